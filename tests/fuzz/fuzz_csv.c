/* SPDX-License-Identifier: MIT */
/* Fuzz target: the CSV container reader (see fuzz_reader.h). */
#define DY_FUZZ_FORMAT DY_FMT_CSV
#include "fuzz_reader.h"
