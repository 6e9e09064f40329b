/* SPDX-License-Identifier: MIT */
/* Internals shared by the tagger/parser (parse.c) and their training
 * (parse_train.c): hashed features, weight tables, the arc-eager
 * transition system and the model layout. */
#ifndef DYAD_PARSE_INT_H
#define DYAD_PARSE_INT_H

#include "dyad/parse.h"

#include <stdint.h>

#define DY__NOCLS  0xFF /* end of a feature's class list */
#define DY__MAXCLS 254  /* classes per table */
#define DY__TAG_NF 40   /* tagger features per word */
#define DY__PAR_NF 92   /* parser features per configuration (max) */
#define DY__MAXN   DY_PARSE_MAX_TOKENS

/* ---- hashing ----------------------------------------------------------- */

static inline uint64_t dy__mix(uint64_t x)
{
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
#define DY__F1(t, a) dy__mix((uint64_t)(t)*0x9E3779B97F4A7C15ULL ^ (a))
#define DY__F2(t, a, b)                                                        \
  dy__mix(DY__F1(t, a) ^ ((uint64_t)(b)*0xC2B2AE3D27D4EB4FULL))
#define DY__F3(t, a, b, c)                                                     \
  dy__mix(DY__F2(t, a, b) ^ ((uint64_t)(c)*0x165667B19E3779F9ULL))

/* ---- weight tables ----------------------------------------------------- */

/* A weight table, the same in the file and in memory (used in place): one
 * 8-byte slot per hash position (a lookup touches one cache line) and one
 * 4-byte entry per (feature, class) weight, the weight quantised to 16 bits
 * (scores are only compared, so the per-table scale is never applied). */
typedef struct dy__ptab {
  uint32_t mask;         /* slots - 1 (slots a power of two) */
  uint32_t nent;         /* entries */
  uint32_t ncls;         /* classes */
  const uint32_t *slots; /* per slot: key (high half of the feature hash
                            | 1, 0 = empty), first entry */
  const uint32_t *ent;   /* class << 16 | (uint16) weight; class DY__NOCLS
                            ends a feature's list */
} dy__ptab;

#define DY__ENT_CLS(e) ((e) >> 16)
#define DY__ENT_W(e)   ((float)(int16_t)(uint16_t)((e)&0xFFFF))

/* Builds t (owned arrays: free with dy__ptab_fini) from per-slot keys and
 * starts and per-entry classes and float weights. DY_OK or DY_ENOMEM. */
int dy__ptab_make(dy__ptab *t, uint32_t nslots, uint32_t nent, uint32_t ncls,
                  const uint32_t *keys, const uint32_t *start,
                  const uint8_t *cls, const float *w);
void dy__ptab_fini(dy__ptab *t);

/* Entry index of feature h, or -1. */
static inline long dy__ptab_find(const dy__ptab *t, uint64_t h)
{
  uint32_t key = (uint32_t)(h >> 32) | 1u, i = (uint32_t)h & t->mask, k;
  for (k = 0; k <= t->mask; k++) {
    uint32_t s = t->slots[2 * i];
    if (s == key)
      return (long)t->slots[2 * i + 1];
    if (s == 0)
      return -1;
    i = (i + 1) & t->mask;
  }
  return -1;
}

/* Adds the weights of features f[0..nf) to sc[0..ncls). */
typedef void (*dy__score_fn)(const void *tab, const uint64_t *f, int nf,
                             float *sc);
void dy__ptab_score(const void *tab, const uint64_t *f, int nf, float *sc);

/* The model file's checksum: four lanes of 64-bit multiply-xor over
 * little-endian 8-byte words, the tail bytes FNV-style, then mixed. */
uint64_t dy__model_sum(const unsigned char *p, size_t n);

/* ---- the lemma lexicon -------------------------------------------------- */

/* (exact form, XPOS) → the lemma the training treebank gave it most often.
 * Same layout in the file and in memory: one 8-byte slot per hash position
 * and the strings "form\0lemma\0" (lemma "" = the form itself). */
typedef struct dy__plem {
  uint32_t mask;         /* slots - 1 (slots a power of two) */
  uint32_t nstr;         /* bytes of str (the last one NUL) */
  const uint32_t *slots; /* per slot: key (high half of dy__lemma_key | 1,
                            0 = empty), offset of the form in str */
  const char *str;       /* the strings */
} dy__plem;

static inline uint64_t dy__lemma_key(const char *s, size_t n, int xpos)
{
  return dy__mix(dy_hash64(s, n) ^
                 ((uint64_t)(xpos + 1) * 0x9E3779B97F4A7C15ULL));
}

/* Offset in l->str of the entry of (s[0..n), xpos), or -1. */
long dy__plem_find(const dy__plem *l, const char *s, size_t n, int xpos);

/* ---- the model --------------------------------------------------------- */

#define DY__MAGIC   "DYADPARS"
#define DY__VERSION 5u /* the file layout (docs/PARSER.md) */
#define DY__HDR     64

struct dy_parser {
  unsigned char *blob;    /* the whole file (owned: mapped or malloc'd) */
  int mapped;             /* blob is an mmap of the file */
  size_t n;               /* bytes */
  uint32_t ntag;          /* tagger classes */
  const uint8_t *tagpair; /* class → xpos, upos (2 bytes each) */
  uint32_t nlab;          /* relation labels */
  const uint8_t *labels;  /* label index → DY_DEP_* */
  dy__ptab dict;          /* tag dictionary: exact form → class */
  dy__ptab lex;           /* lexicon: lower-cased form → classes seen */
  dy__ptab tag;           /* tagger weights, first pass */
  dy__ptab tag2;          /* tagger weights, second pass (sees the first
                             pass's tags of the next words) */
  dy__ptab par;           /* parser weights */
  dy__plem lem;           /* lemma lexicon */
};

/* ---- tagger ------------------------------------------------------------ */

/* Per-word precomputed hashes. */
typedef struct dy__wtok {
  uint64_t form;   /* exact form */
  uint64_t low;    /* lower-cased form */
  uint64_t shape;  /* collapsed shape (Xxxd-) */
  uint64_t pre[3]; /* prefixes of 1..3 bytes (lower case) */
  uint64_t suf[4]; /* suffixes of 1..4 bytes (lower case) */
  uint64_t amb;    /* ambiguity class: the tags seen with the lower-cased
                      form in training (dy__wtok_amb), 0 = unseen */
  uint32_t flags;  /* bit 0 cap, 1 all caps, 2 hyphen, 3 digit, 4 first */
} dy__wtok;

void dy__wtok_fill(dy__wtok *w, const char *s, size_t n, int first);
/* Sets w->amb from the lexicon (lower-cased form → classes seen). */
void dy__wtok_amb(const dy__ptab *lex, dy__wtok *w);
/* The ambiguity class of the lower-cased form hashed to low. */
uint64_t dy__amb_of(const dy__ptab *lex, uint64_t low);

/* What tagging needs: a scorer and the dictionary. */
typedef struct dy__tagger {
  dy__score_fn score;     /* dy__ptab_score, or a training scorer */
  const void *tab;        /* its table */
  const dy__ptab *dict;   /* tag dictionary, or NULL */
  uint32_t ntag;          /* classes */
  const uint8_t *tagpair; /* class → xpos, upos */
} dy__tagger;

/* Features of word i given the two previous predicted classes (-1 before
 * the start) and, for the second pass, the first pass's classes of the
 * whole sentence (first, else NULL). Returns the count (<= DY__TAG_NF). */
int dy__tag_feats(const dy__wtok *w, size_t n, size_t i, int p1, int p2,
                  const int *first, uint64_t *f);
/* Dictionary class of w, or -1. */
int dy__tag_dict(const dy__ptab *dict, const dy__wtok *w);
/* Tags w[0..n) greedily into cls[0..n). sc has room for ntag floats. */
void dy__tag_run(const dy__tagger *tg, const dy__wtok *w, size_t n,
                 const int *first, int *cls, float *sc);

/* ---- arc-eager transitions --------------------------------------------- */

enum { DY__SHIFT = 0, DY__REDUCE = 1 }; /* then LEFT l = 2+2l, RIGHT = 3+2l */

typedef struct dy__pstate {
  int n;                   /* words; positions 1..n (0 is the root, never
                              on the stack: words left headless at the
                              end are attached by dy__pfinish) */
  int stack[DY__MAXN + 2]; /* stack of positions */
  int sp;                  /* entries on the stack */
  int b;                   /* first buffer position (n+1 = empty) */
  int head[DY__MAXN + 2];  /* -1 = none */
  int lab[DY__MAXN + 2];   /* label index of the arc to the head */
  int l1[DY__MAXN + 2], l2[DY__MAXN + 2]; /* leftmost, second leftmost dep */
  int r1[DY__MAXN + 2], r2[DY__MAXN + 2]; /* rightmost, second rightmost */
  int nl[DY__MAXN + 2], nr[DY__MAXN + 2]; /* left / right dependents */
  uint64_t ls[DY__MAXN + 2], rs[DY__MAXN + 2]; /* label sets */
  uint64_t w[DY__MAXN + 2];                    /* word hash (lower case) */
  uint64_t sfx[DY__MAXN + 2]; /* hash of the last 3 bytes (lower case) */
  uint64_t amb[DY__MAXN + 2]; /* ambiguity class (dy__wtok.amb) */
  int p[DY__MAXN + 2];        /* tag: xpos * 32 + upos */
} dy__pstate;

void dy__pstate_init(dy__pstate *s, int n);
/* Nonzero when class c is allowed in s. */
int dy__pvalid(const dy__pstate *s, int c);
void dy__papply(dy__pstate *s, int c);
/* Features of the configuration; returns the count (<= DY__PAR_NF). */
int dy__par_feats(const dy__pstate *s, uint64_t *f);
/* Words left without a head: the one with the most dependents becomes the
 * root (head 0), the others attach to it (label -1). */
void dy__pfinish(dy__pstate *s);

#endif
