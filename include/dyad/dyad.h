/* SPDX-License-Identifier: MIT */
/* dyad public API: the umbrella header. */
#ifndef DYAD_DYAD_H
#define DYAD_DYAD_H

#define DYAD_VERSION "0.1.0"

#include "dyad/core.h"
#include "dyad/engine.h"
#include "dyad/petrarch.h"
#include "dyad/facts.h"
#include "dyad/read.h"
#include "dyad/store.h"

#endif
