/* SPDX-License-Identifier: MIT */
/* Plain questions to event queries: "what did Russia do to North Korea in
 * June 2024" → source RUS, target PRK, 2024-06-01..2024-06-30. Actor names
 * are looked up in the engine's dictionaries (countries, capitals,
 * adjectives, organisations, groups, people with their role at the date,
 * agents after a country), dates are months, years, days and ISO dates, and
 * verb words ("threaten", "met", "sanctioned") give a CAMEO root code from
 * the verb dictionary's patterns. */
#ifndef DYAD_ASK_H
#define DYAD_ASK_H

#include "dyad/engine.h"

#define DY_ASK_MAX_BYTES 1000 /* longer questions are refused */
#define DY_ASK_MAX_NOTES 8

typedef struct dy_ask {
  char source[24];                   /* actor code or "" */
  char target[24];                   /* actor code or "" */
  char source_name[80];              /* display name of the source or "" */
  char target_name[80];              /* display name of the target or "" */
  char root[3];                      /* CAMEO root code or "" */
  char verb[40];                     /* the verb word that gave root, or "" */
  char from[11];                     /* "YYYY-MM-DD" or "" */
  char to[11];                       /* "YYYY-MM-DD" or "" */
  int symmetric;                     /* "between A and B": either direction */
  char notes[DY_ASK_MAX_NOTES][120]; /* what was understood, for display */
  int nnotes;                        /* entries in notes */
} dy_ask;

/* Parses question q[0..n) (UTF-8; invalid bytes are refused) into *out.
 * Errors: DY_EINVAL (empty, not UTF-8), DY_ETOOBIG (over DY_ASK_MAX_BYTES),
 * DY_ENOMEM; message in err. A question with nothing recognised is DY_OK
 * with every field empty. */
int dy_ask_parse(const dy_engine *e, const char *q, size_t n, dy_ask *out,
                 dy_err *err);

#endif
