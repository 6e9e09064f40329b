/* SPDX-License-Identifier: MIT */
/* Internals shared by the tagger/parser (parse.c) and their training
 * (parse_train.c): hashed features, weight tables, the arc-eager
 * transition system and the model layout. */
#ifndef DYAD_PARSE_INT_H
#define DYAD_PARSE_INT_H

#include "dyad/parse.h"

#include <stdint.h>
#include <string.h>

#define DY__MAXCLS 254 /* classes per table */
#define DY__TAG_NF 40  /* tagger features per word */
#define DY__PAR_NF 92  /* parser features per configuration (max) */
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

/* A weight table, the same in the file and in memory (used in place).
 * Buckets of 64 bytes (one cache line): u32 offset of the bucket's first
 * run in run[] (bit 31 set when some feature did not fit and went on to
 * the next bucket: a lookup stops at a full bucket without it), then
 * DY__BSLOTS slots of key << 8 | count (0 = empty;
 * filled slots come first). A feature hashes to a bucket (the low half of
 * its hash scaled to the bucket count, so any count works) and, when that
 * is full, goes on to the next (linear probing by bucket). Its 24-bit key
 * is the top byte-and-a-half of the (remixed) hash with bit 8 set. Its weights
 * are a run of count class bytes then count int16 weights (little-endian,
 * unaligned), quantised with one scale per table (scores are only
 * compared, so the scale is never applied). The runs of a bucket follow
 * each other in slot order, so a slot's run starts at the bucket's
 * offset plus 3 × the counts of the slots before it. */
#define DY__BSLOTS 15
#define DY__POVER  0x80000000u /* in a bucket's offset: probes go on */
typedef struct dy__ptab {
  uint32_t nb;              /* buckets (>= 1, one slot at least empty) */
  uint32_t nbytes;          /* bytes of run */
  uint32_t ncls;            /* classes */
  const uint32_t *bk;       /* 16 u32 per bucket */
  const unsigned char *run; /* the weight runs */
} dy__ptab;

/* Key and bucket come from the hash mixed once more: word-form hashes
 * (FNV-1a) of similar strings share many high bits. */
#define DY__PKEY(m) (((uint32_t)((m) >> 32) & ~0xFFu) | 0x100u)
#define DY__PBUCKET(m, nb)                                                     \
  ((uint32_t)(((uint64_t)(uint32_t)(m) * (uint64_t)(nb)) >> 32))

/* Builds t (owned arrays: free with dy__ptab_fini) from nf features:
 * feature i has hash keys[i] and the classes and float weights
 * first[i] .. first[i+1] of cls and w (at most 255, distinct classes).
 * DY_OK, DY_ENOMEM, or DY_ETOOBIG past 1 GiB of weights. */
int dy__ptab_make(dy__ptab *t, size_t nf, const uint64_t *keys,
                  const uint32_t *first, const uint8_t *cls, const float *w,
                  uint32_t ncls);
void dy__ptab_fini(dy__ptab *t);
/* Bytes of run and buckets a table of nf features and ne weights takes. */
size_t dy__ptab_bytes(size_t nf, size_t ne);

/* The weights of the feature whose remixed hash is m: (offset in t->run)
 * << 8 | count, or -1. (Comparing four slots at a time with SSE2 was
 * slower: the time goes into cache misses, not into the scan.) */
static inline long dy__ptab_findm(const dy__ptab *t, uint64_t m)
{
  uint32_t key = DY__PKEY(m), b = DY__PBUCKET(m, t->nb), k, j;
  for (k = 0; k < t->nb; k++) {
    const uint32_t *s = t->bk + 16 * (size_t)b;
    uint32_t off = s[0] & ~DY__POVER;
    for (j = 1; j <= DY__BSLOTS; j++) {
      uint32_t x = s[j];
      if (x == 0)
        return -1;
      if ((x & ~0xFFu) == key)
        return (long)off << 8 | (long)(x & 0xFF);
      off += 3 * (x & 0xFF);
    }
    if (!(s[0] & DY__POVER)) /* full, but no probe went on from here */
      return -1;
    b = b + 1 == t->nb ? 0 : b + 1;
  }
  return -1;
}

/* The same for feature hash h. */
static inline long dy__ptab_find(const dy__ptab *t, uint64_t h)
{
  return dy__ptab_findm(t, dy__mix(h));
}

static inline float dy__ptab_w(const unsigned char *r, int n, int j)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  int16_t v;
  memcpy(&v, r + n + 2 * j, 2);
  return (float)v;
#else
  uint16_t u = (uint16_t)(r[n + 2 * j] | r[n + 2 * j + 1] << 8);
  return (float)(int16_t)u;
#endif
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
#define DY__VERSION 6u /* the file layout (docs/PARSER.md) */
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
