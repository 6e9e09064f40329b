/* SPDX-License-Identifier: MIT */
/* PETRARCH compatibility: the validation/input XML of PETRARCH-2 and
 * UniversalPetrarch (records with date, id, text, parse and gold events),
 * Penn Treebank trees converted to UD-style dependencies, CoNLL-U, and
 * coding a sentence from such a given parse. docs/PETRARCH.md. */
#ifndef DYAD_PETRARCH_H
#define DYAD_PETRARCH_H

#include "dyad/engine.h"

/* ---- PETRARCH XML ------------------------------------------------------ */

typedef struct dy_ptriple {
  char source[24]; /* actor code as written ("USAGOV", "---REB") */
  char target[24];
  char code[8]; /* event code as written ("042") */
} dy_ptriple;

typedef struct dy_precord {
  const char *id;    /* id attribute, "" when none */
  char date[11];     /* "YYYY-MM-DD", "" when missing or bad */
  const char *text;  /* <Text>, entities decoded, blanks collapsed */
  const char *parse; /* <Parse> content as written, "" when none */
  int line;          /* line of <Sentence> in the file */
  int noevents;      /* expects no event (noevents="True") */
  int error;         /* expects an error/discard (error="...") */
  dy_ptriple *gold;  /* expected triples */
  size_t ngold;      /* entries in gold */
} dy_precord;

typedef struct dy_pxml {
  dy_arena mem;           /* everything below */
  dy_precord *recs;       /* records in file order */
  size_t nrecs;           /* entries in recs */
  const char *verbfile;   /* <Environment> names, "" when absent */
  const char *actorfiles; /* comma-separated */
  const char *agentfile;
  const char *discardfile;
  size_t nbad;        /* malformed tags or records skipped */
  int first_bad_line; /* line of the first, 0 when none */
} dy_pxml;

/* Reads PETRARCH validation/input XML from p[0..n) (borrowed; copied).
 * Tolerant, line-oriented: self-closing <Sentence .../> still opens a
 * record, comments and free text are skipped, malformed tags are counted.
 * Returns owned result in *out (free with dy_pxml_free) or DY_ENOMEM /
 * DY_EFORMAT (no <Sentence> at all). */
int dy_pxml_parse(const char *p, size_t n, dy_pxml **out, dy_err *err);
void dy_pxml_free(dy_pxml *x);

/* ---- parses ------------------------------------------------------------ */

/* One token of a given parse. */
typedef struct dy_ptok {
  const char *form;  /* word as text ("(" for -LRB-); arena-owned */
  const char *lemma; /* lemma or NULL */
  uint8_t xpos;      /* DY_XPOS_* */
  uint8_t upos;      /* DY_UPOS_* */
  uint8_t dep;       /* DY_DEP_* */
  int32_t head;      /* index of the head in the sentence, -1 root */
} dy_ptok;

/* Reads one Penn Treebank bracketed tree ("(ROOT (S (NP ...) ...))") and
 * converts it to dependencies with head rules (content heads, UD labels).
 * Tokens go to *toks (allocated in a, *ntok entries). DY_EFORMAT with a
 * message for unbalanced or empty trees; DY_ETOOBIG past 4096 leaves or
 * depth 400. */
int dy_penn_parse(const char *p, size_t n, dy_arena *a, dy_ptok **toks,
                  size_t *ntok, dy_err *err);

/* Reads CoNLL-U lines (one sentence; comments, multi-word token ranges and
 * empty nodes are skipped). DY_EFORMAT for a line without 10 columns. */
int dy_conllu_parse(const char *p, size_t n, dy_arena *a, dy_ptok **toks,
                    size_t *ntok, dy_err *err);

/* Like dy_doc_analyse for one sentence given as tokens (borrowed): the text
 * is the forms joined by spaces; the tokens keep their tags, heads and
 * relations. */
int dy_doc_analyse_tokens(dy_doc *d, const dy_ptok *toks, size_t n,
                          const char *name, const char *date);

#endif
