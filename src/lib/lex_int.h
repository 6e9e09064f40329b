/* SPDX-License-Identifier: MIT */
/* Internals shared by the dictionary loaders: lex.c (dyad's own format) and
 * pdict.c (PETRARCH-2 formats). The loader state and the lexicon builders
 * both readers use. */
#ifndef DYAD_LEX_INT_H
#define DYAD_LEX_INT_H

#include "engine_int.h"

typedef struct loader {
  dy_engine *e;
  const char *file; /* basename, engine-owned */
  const char *path; /* full path for messages */
  int line;
  int strict;
  dy_err *err;
  size_t bad;
  /* current record */
  int kind;     /* REC_* */
  int idx;      /* index of the record's object */
  char code[8]; /* CAMEO code of a `code` record */
  const char *cat; /* discard/issue record: its code (engine string) */
  int story;       /* discard record: story scope */
  int nphrases;    /* discard record: phrases added so far */
  int petr;     /* PETRARCH-2 names: no case rules from the spelling */
  int petr1;    /* a PETRARCH-1 verb file (opens with <!-- headers) */
} loader;

/* Counts and logs a skipped line ("FILE:LINE: fmt detail"); in strict mode
 * also sets L->err. */
void dy__lex_bad(loader *L, const char *fmt, const char *detail);
/* Adds the name v (tokenised like text) for object idx of kind LX_*. */
int dy__lex_name(loader *L, dy_str v, int kind, int idx, const char *what);
/* "kind code name" as an engine string. */
const char *dy__lex_what(loader *L, const char *kind, const char *code,
                         const char *name);
/* Adds a verb form → verb mapping. */
int dy__lex_form(loader *L, const char *form, int verb, int base);
/* Finds or creates the verb with this lemma; DY_EINVAL for a bad lemma. */
int dy__lex_verb(loader *L, const char *lemma, size_t n, int *out);
/* "a_b" → NULL-terminated normalised token array (engine arena). */
const char **dy__lex_lit(loader *L, const char *p, size_t n);

/* pdict.c: loads PETRARCH-2 dictionaries from dir: the comma-separated
 * files list, or the default set when files is NULL. */
int dy__pdict_load(dy_engine *e, const char *dir, const char *files, int strict,
                   dy_err *err);
/* pdict.c: nonzero when dir holds PETRARCH-2 dictionaries rather than
 * dyad's own (no actors.dict). */
int dy__pdict_dir(const char *dir);

#endif
