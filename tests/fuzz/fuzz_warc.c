/* SPDX-License-Identifier: MIT */
/* Fuzz target: the WARC container reader (see fuzz_reader.h). */
#define DY_FUZZ_FORMAT DY_FMT_WARC
#include "fuzz_reader.h"
