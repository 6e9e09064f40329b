/* SPDX-License-Identifier: MIT */
/* Fuzz target: the SGML container reader (see fuzz_reader.h). */
#define DY_FUZZ_FORMAT DY_FMT_SGML
#include "fuzz_reader.h"
