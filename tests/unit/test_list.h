/* SPDX-License-Identifier: MIT */
/* Every unit test, as X(name) for a function void test_name(void); one
 * list per module so modules add tests without touching each other. */
#include "list_core.inc"
#include "list_read.inc"
#include "list_engine.inc"
#include "list_store.inc"
#include "list_extract.inc"
#include "list_frame.inc"
#include "list_tokenize.inc"
#include "list_petrarch.inc"
#include "list_storeviews.inc"
#include "list_parse.inc"
#include "list_facts.inc"
#include "list_ask.inc"
#include "list_scale.inc"
