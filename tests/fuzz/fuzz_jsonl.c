/* SPDX-License-Identifier: MIT */
/* Fuzz target: the JSONL container reader (see fuzz_reader.h). */
#define DY_FUZZ_FORMAT DY_FMT_JSONL
#include "fuzz_reader.h"
