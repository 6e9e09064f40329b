/* SPDX-License-Identifier: MIT */
/* Training of the tagger and parser: averaged perceptrons over hashed
 * features, the tagger with a tag dictionary, the arc-eager parser with
 * Goldberg & Nivre's dynamic oracle on jackknifed tags, and the writer of
 * the model file. */
#include "parse_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== training weight table ============================================= */

typedef struct tent {
  double u;    /* sum of c * delta (for averaging) */
  float w;     /* current weight */
  uint8_t cls; /* class */
} tent;

typedef struct tfeat {
  uint64_t key; /* feature hash, 0 = empty slot */
  tent *e;      /* entries (owned) */
  uint16_t n;   /* entries used */
  uint16_t cap; /* entries allocated */
  uint32_t cnt; /* updates */
} tfeat;

typedef struct ttab {
  tfeat *s;   /* slots */
  size_t cap; /* slots (power of two) */
  size_t n;   /* used slots */
  double c;   /* instances seen (averaging clock) */
  int avg;    /* score with averaged weights */
  int failed; /* an allocation failed */
} ttab;

static uint64_t fkey(uint64_t h)
{
  return h ? h : 1;
}

static tfeat *tt_find(const ttab *t, uint64_t h)
{
  size_t i;
  if (t->cap == 0)
    return NULL;
  h = fkey(h);
  for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    if (t->s[i].key == h)
      return &t->s[i];
    if (t->s[i].key == 0)
      return NULL;
  }
}

static int tt_grow(ttab *t)
{
  size_t nc = t->cap ? t->cap * 2 : 1 << 16, i;
  tfeat *ns = dy_calloc(nc, sizeof *ns);
  if (ns == NULL)
    return DY_ENOMEM;
  for (i = 0; i < t->cap; i++) {
    size_t j;
    if (t->s[i].key == 0)
      continue;
    for (j = t->s[i].key & (nc - 1); ns[j].key; j = (j + 1) & (nc - 1))
      ;
    ns[j] = t->s[i];
  }
  dy_free(t->s);
  t->s = ns;
  t->cap = nc;
  return DY_OK;
}

static tfeat *tt_insert(ttab *t, uint64_t h)
{
  size_t i;
  if ((t->n + 1) * 2 > t->cap && tt_grow(t) < 0) {
    t->failed = 1;
    return NULL;
  }
  h = fkey(h);
  for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    if (t->s[i].key == h)
      return &t->s[i];
    if (t->s[i].key == 0) {
      t->s[i].key = h;
      t->n++;
      return &t->s[i];
    }
  }
}

static void tt_update(ttab *t, const uint64_t *f, int nf, int cls, float d)
{
  int i;
  for (i = 0; i < nf; i++) {
    tfeat *x = tt_insert(t, f[i]);
    uint16_t j;
    if (x == NULL)
      return;
    for (j = 0; j < x->n && x->e[j].cls != cls; j++)
      ;
    if (j == x->n) {
      if (x->n == x->cap) {
        uint16_t nc = x->cap ? (uint16_t)(x->cap * 2) : 2;
        tent *ne = dy_realloc(x->e, nc * sizeof *ne);
        if (ne == NULL) {
          t->failed = 1;
          return;
        }
        x->e = ne;
        x->cap = nc;
      }
      x->e[j].cls = (uint8_t)cls;
      x->e[j].w = 0;
      x->e[j].u = 0;
      x->n++;
    }
    x->e[j].w += d;
    x->e[j].u += t->c * d;
    x->cnt++;
  }
}

static void tt_score(const void *tab, const uint64_t *f, int nf, float *sc)
{
  const ttab *t = tab;
  int i;
  for (i = 0; i < nf; i++) {
    const tfeat *x = tt_find(t, f[i]);
    uint16_t j;
    if (x == NULL)
      continue;
    for (j = 0; j < x->n; j++)
      sc[x->e[j].cls] +=
          t->avg ? (float)(x->e[j].w - x->e[j].u / t->c) : x->e[j].w;
  }
}

static void tt_free(ttab *t)
{
  size_t i;
  for (i = 0; i < t->cap; i++)
    dy_free(t->s[i].e);
  dy_free(t->s);
  memset(t, 0, sizeof *t);
}

/* ==== the lemma lexicon ================================================= */

typedef struct olem {
  dy__plem l;      /* view (points into the owned arrays) */
  uint32_t nslots; /* slots */
  uint32_t *slots; /* owned: key, offset per slot */
  dy_buf str;      /* owned: "form\0lemma\0" strings */
} olem;

static void ol_free(olem *o)
{
  dy_free(o->slots);
  dy_buf_fini(&o->str);
  memset(o, 0, sizeof *o);
}

typedef struct flx {
  uint64_t h;        /* dy__lemma_key */
  const char *form;  /* borrowed from the treebank */
  const char *lemma; /* borrowed */
  int xpos;
} flx;

static int flx_cmp(const void *a, const void *b)
{
  const flx *x = a, *y = b;
  int c;
  if (x->h != y->h)
    return x->h < y->h ? -1 : 1;
  if ((c = strcmp(x->form, y->form)) != 0)
    return c;
  if (x->xpos != y->xpos)
    return x->xpos - y->xpos;
  return strcmp(x->lemma, y->lemma);
}

/* The lemma lexicon of the treebank: every (form, XPOS) with the lemma it
 * was given most often (on a tie the first in byte order); words without
 * a lemma ("_") are left out. */
static int build_lemmas(dy_conllu_doc *doc, olem *o)
{
  size_t n = 0, i, j, ne = 0, nslots = 16;
  flx *v;
  int rc = DY_ENOMEM;
  memset(o, 0, sizeof *o);
  dy_buf_init(&o->str, (size_t)1 << 30);
  for (i = 0; i < dy_conllu_nsents(doc); i++)
    n += dy_conllu_sent_at(doc, i)->ntok;
  v = dy_malloc((n + 1) * sizeof *v);
  if (v == NULL)
    return DY_ENOMEM;
  n = 0;
  for (i = 0; i < dy_conllu_nsents(doc); i++) {
    const dy_conllu_sent *cs = dy_conllu_sent_at(doc, i);
    size_t k;
    for (k = 0; k < cs->ntok; k++) {
      const dy_conllu_tok *g = &cs->toks[k];
      if (g->lemma == NULL || g->lemma[0] == '\0' ||
          strcmp(g->lemma, "_") == 0 || g->form[0] == '\0')
        continue;
      v[n].h = dy__lemma_key(g->form, strlen(g->form), g->xpos);
      v[n].form = g->form;
      v[n].lemma = g->lemma;
      v[n++].xpos = g->xpos;
    }
  }
  qsort(v, n, sizeof *v, flx_cmp);
  for (i = 0; i < n; i = j) {
    for (j = i + 1; j < n && v[j].h == v[i].h && v[j].xpos == v[i].xpos &&
                    strcmp(v[j].form, v[i].form) == 0;
         j++)
      ;
    ne++;
  }
  while (nslots < ne + ne / 2 + 1)
    nslots *= 2;
  o->slots = dy_calloc(nslots * 2, sizeof *o->slots);
  if (o->slots == NULL)
    goto out;
  o->nslots = (uint32_t)nslots;
  for (i = 0; i < n; i = j) {
    size_t best = 0, run, k, s;
    const char *bl = NULL;
    for (j = i + 1; j < n && v[j].h == v[i].h && v[j].xpos == v[i].xpos &&
                    strcmp(v[j].form, v[i].form) == 0;
         j++)
      ;
    for (k = i; k < j; k += run) {
      for (run = 1; k + run < j && strcmp(v[k + run].lemma, v[k].lemma) == 0;
           run++)
        ;
      if (run > best) {
        best = run;
        bl = v[k].lemma;
      }
    }
    for (s = v[i].h & (nslots - 1); o->slots[2 * s]; s = (s + 1) & (nslots - 1))
      ;
    o->slots[2 * s] = (uint32_t)(v[i].h >> 32) | 1u;
    o->slots[2 * s + 1] = (uint32_t)o->str.n;
    dy_buf_append(&o->str, v[i].form, strlen(v[i].form) + 1);
    if (strcmp(bl, v[i].form) == 0)
      dy_buf_putc(&o->str, '\0'); /* "" = the form itself */
    else
      dy_buf_append(&o->str, bl, strlen(bl) + 1);
  }
  if (o->str.n == 0)
    dy_buf_putc(&o->str, '\0');
  if (o->str.failed || o->str.n >= (size_t)1 << 30)
    goto out;
  o->l.mask = o->nslots - 1;
  o->l.nstr = (uint32_t)o->str.n;
  o->l.slots = o->slots;
  o->l.str = o->str.p;
  rc = DY_OK;
out:
  dy_free(v);
  return rc;
}

/* ==== frozen tables (the file layout) =================================== */

typedef struct otab {
  dy__ptab t; /* owned arrays, in the file layout */
} otab;

static void ot_free(otab *o)
{
  dy__ptab_fini(&o->t);
}

/* Builds a table of nf features: feature i has entries first[i] ..
 * first[i+1] of cls/w. */
static int ot_build(otab *o, size_t nf, const uint64_t *keys,
                    const uint32_t *first, const uint8_t *cls, const float *w,
                    uint32_t ncls)
{
  int rc = dy__ptab_make(&o->t, nf, keys, first, cls, w, ncls);
  return rc == DY_ETOOBIG ? DY_ENOMEM : rc;
}

/* Bytes of the frozen table of t (as put_tab writes it) keeping the
 * features updated at least min_cnt times with a weight of at least tf in
 * magnitude, and of those the weights of at least te. */
static size_t tab_bytes(const ttab *t, uint32_t min_cnt, float tf, float te)
{
  size_t i, nf = 0, ne = 0;
  for (i = 0; i < t->cap; i++) {
    const tfeat *x = &t->s[i];
    size_t k = 0;
    float mx = 0;
    uint16_t j;
    if (x->key == 0 || x->cnt < min_cnt)
      continue;
    for (j = 0; j < x->n; j++) {
      float a = fabsf((float)(x->e[j].w - x->e[j].u / t->c));
      mx = a > mx ? a : mx;
      k += a >= te;
    }
    if (mx >= tf) {
      nf++;
      ne += k;
    }
  }
  return 12 + dy__ptab_bytes(nf, ne);
}

/* Pruning thresholds for a table of at most budget bytes: the smallest
 * feature threshold tf >= floor that fits with te = tf (few features:
 * each costs a slot), then the smallest weight threshold te in
 * [floor, tf] that still fits (more weights of the features kept). */
static void fit_prune(const ttab *t, uint32_t min_cnt, float floor,
                      size_t budget, float *tf, float *te)
{
  double lo = floor, hi = 1e4;
  int it;
  *tf = *te = floor;
  if (tab_bytes(t, min_cnt, floor, floor) <= budget)
    return;
  for (it = 0; it < 40; it++) { /* geometric bisection */
    double mid = sqrt(lo * hi);
    if (tab_bytes(t, min_cnt, (float)mid, (float)mid) <= budget)
      hi = mid;
    else
      lo = mid;
  }
  *tf = (float)hi;
  lo = floor;
  for (it = 0; it < 40; it++) {
    double mid = sqrt(lo * hi);
    if (tab_bytes(t, min_cnt, *tf, (float)mid) <= budget)
      hi = mid;
    else
      lo = mid;
  }
  *te = (float)hi;
}

/* Freezes a training table with averaged weights; features whose weights
 * are all below tf in magnitude, weights below te (<= tf) and features
 * updated fewer than min_cnt times are dropped. */
static int ot_from_tt2(otab *o, const ttab *t, uint32_t ncls, float tf,
                       float te, uint32_t min_cnt)
{
  size_t i, nf = 0, ne = 0;
  uint64_t *keys = NULL;
  uint32_t *first = NULL;
  uint8_t *cls = NULL;
  float *w = NULL;
  int rc = DY_ENOMEM;
  for (i = 0; i < t->cap; i++)
    if (t->s[i].key) {
      nf++;
      ne += t->s[i].n;
    }
  keys = dy_malloc((nf + 1) * sizeof *keys);
  first = dy_malloc((nf + 2) * sizeof *first);
  cls = dy_malloc(ne + 1);
  w = dy_malloc((ne + 1) * sizeof *w);
  if (!keys || !first || !cls || !w)
    goto out;
  nf = ne = 0;
  for (i = 0; i < t->cap; i++) {
    const tfeat *x = &t->s[i];
    size_t before = ne;
    uint16_t j;
    float mx;
    if (x->key == 0 || x->cnt < min_cnt)
      continue;
    first[nf] = (uint32_t)ne;
    mx = 0;
    for (j = 0; j < x->n; j++) {
      float a = (float)(x->e[j].w - x->e[j].u / t->c);
      mx = fabsf(a) > mx ? fabsf(a) : mx;
      if (fabsf(a) < te)
        continue;
      cls[ne] = x->e[j].cls;
      w[ne++] = a;
    }
    if (mx < tf)
      ne = before;
    if (ne > before)
      keys[nf++] = x->key;
  }
  first[nf] = (uint32_t)ne;
  rc = ot_build(o, nf, keys, first, cls, w, ncls);
out:
  dy_free(keys);
  dy_free(first);
  dy_free(cls);
  dy_free(w);
  return rc;
}

static int ot_from_tt(otab *o, const ttab *t, uint32_t ncls, float thr,
                      uint32_t min_cnt)
{
  return ot_from_tt2(o, t, ncls, thr, thr, min_cnt);
}

/* Freezes the mean of the averaged weights of tables t[0..k) (a linear
 * model's score ensemble) pruned by fit_prune to at most budget bytes
 * (thresholds not below thr; the ones used in *tf, *te). */
static int ot_from_tts(otab *o, ttab *t, int k, uint32_t ncls, float thr,
                       uint32_t min_cnt, size_t budget, float *tf, float *te)
{
  ttab m;
  int j, rc;
  size_t i;
  if (k == 1) {
    fit_prune(&t[0], min_cnt, thr, budget, tf, te);
    return ot_from_tt2(o, &t[0], ncls, *tf, *te, min_cnt);
  }
  memset(&m, 0, sizeof m);
  m.c = 1;
  for (j = 0; j < k; j++) {
    for (i = 0; i < t[j].cap; i++) {
      const tfeat *x = &t[j].s[i];
      uint16_t e;
      if (x->key == 0)
        continue;
      for (e = 0; e < x->n; e++) {
        float a = (float)(x->e[e].w - x->e[e].u / t[j].c) / (float)k;
        uint64_t f = x->key;
        tt_update(&m, &f, 1, x->e[e].cls, a);
      }
      {
        tfeat *y = tt_find(&m, x->key);
        if (y) /* counts: the sum over the tables, less the entries added */
          y->cnt += x->cnt - x->n;
      }
    }
  }
  /* tt_update also added c * d to u: with c = 1, w - u / c would be 0 */
  for (i = 0; i < m.cap; i++) {
    uint16_t e;
    for (e = 0; e < m.s[i].n; e++)
      m.s[i].e[e].u = 0;
  }
  if (m.failed) {
    tt_free(&m);
    return DY_ENOMEM;
  }
  fit_prune(&m, min_cnt, thr, budget, tf, te);
  rc = ot_from_tt2(o, &m, ncls, *tf, *te, min_cnt);
  tt_free(&m);
  return rc;
}

static void put_u32(dy_buf *b, uint32_t v)
{
  dy_buf_append(b, &v, 4);
}

static void put_pad(dy_buf *b, size_t n)
{
  static const char z[4];
  dy_buf_append(b, z, (4 - (n & 3)) & 3);
}

static void put_tab(dy_buf *b, const otab *t)
{
  put_u32(b, t->t.nb);
  put_u32(b, t->t.nbytes);
  put_u32(b, t->t.ncls);
  dy_buf_append(b, t->t.bk, (size_t)t->t.nb * 64);
  dy_buf_append(b, t->t.run, t->t.nbytes);
  put_pad(b, t->t.nbytes);
}

/* Bytes put_tab writes. */
static size_t ot_bytes(const otab *t)
{
  return 12 + (size_t)t->t.nb * 64 + ((size_t)t->t.nbytes + 3) / 4 * 4;
}

/* Serialises the model and loads it back into *out. */
static int model_make(uint32_t ntag, const uint8_t *tagpair, uint32_t nlab,
                      const uint8_t *labels, const otab *dict, const otab *lex,
                      const otab *tag, const otab *tag2, const otab *par,
                      const olem *lem, dy_parser **out, dy_err *err)
{
  dy_buf b;
  unsigned char hdr[DY__HDR];
  uint32_t v;
  uint64_t len, sum;
  int rc;
  dy_buf_init(&b, (size_t)1 << 31);
  memset(hdr, 0, sizeof hdr);
  dy_buf_append(&b, hdr, sizeof hdr);
  put_u32(&b, ntag);
  dy_buf_append(&b, tagpair, (size_t)ntag * 2);
  put_pad(&b, (size_t)ntag * 2);
  put_u32(&b, nlab);
  dy_buf_append(&b, labels, nlab);
  put_pad(&b, nlab);
  put_tab(&b, dict);
  put_tab(&b, lex);
  put_tab(&b, tag);
  put_tab(&b, tag2);
  put_tab(&b, par);
  put_u32(&b, lem->nslots);
  put_u32(&b, lem->l.nstr);
  dy_buf_append(&b, lem->slots, (size_t)lem->nslots * 8);
  dy_buf_append(&b, lem->l.str, lem->l.nstr);
  put_pad(&b, lem->l.nstr);
  if (b.failed) {
    dy_buf_fini(&b);
    return dy_err_set(err, DY_ENOMEM, "out of memory writing the model");
  }
  memcpy(b.p, DY__MAGIC, 8);
  v = DY__VERSION;
  memcpy(b.p + 8, &v, 4);
  v = DY__HDR;
  memcpy(b.p + 12, &v, 4);
  v = 0x01020304u;
  memcpy(b.p + 16, &v, 4);
  len = b.n - DY__HDR;
  memcpy(b.p + 24, &len, 8);
  sum = dy__model_sum((const unsigned char *)b.p + DY__HDR, (size_t)len);
  memcpy(b.p + 32, &sum, 8);
  rc = dy_parser_load_mem(b.p, b.n, out, err);
  dy_buf_fini(&b);
  return rc;
}

/* ==== training data ===================================================== */

typedef struct tsent {
  int n;          /* words */
  dy__wtok *w;    /* word hashes */
  int *gcls;      /* gold tag class */
  int *ptag;      /* predicted (jackknifed) tag for the parser, [1..n] */
  int *pcls;      /* predicted (jackknifed) first-pass class, [0..n) */
  int *gh;        /* gold head, 1-based positions, [1..n]; 0 = root */
  int *gl;        /* gold label index, [1..n] */
  uint64_t *low;  /* lower-case word hash, [1..n] */
  uint64_t *sfx3; /* hash of its last 3 bytes, [1..n] */
  int parse;      /* usable for parser training */
} tsent;

typedef struct trainer {
  tsent *s;               /* sentences */
  size_t ns;              /* count */
  uint8_t tagpair[512];   /* class → xpos, upos */
  uint32_t ntag;          /* classes */
  uint8_t labels[64];     /* label index → dep */
  uint32_t nlab;          /* labels */
  int labidx[DY_DEP_N];   /* dep → label index, -1 */
  unsigned rng;           /* xorshift state */
  const dy_train_opts *o; /* options */
  dy_arena mem;           /* arrays of the sentences */
} trainer;

static unsigned rnd(trainer *t)
{
  unsigned x = t->rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return t->rng = x;
}

static void shuffle(trainer *t, size_t *idx, size_t n)
{
  size_t i;
  for (i = n; i > 1; i--) {
    size_t j = rnd(t) % i, x = idx[i - 1];
    idx[i - 1] = idx[j];
    idx[j] = x;
  }
}

static void say(const trainer *t, const char *fmt, ...) DY_PRINTF(2, 3);
static void say(const trainer *t, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  if (t->o->progress == NULL)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  t->o->progress(msg, t->o->ud);
}

/* Projective: no two arcs cross (the root arc counts as 0 → r). */
static int projective(const int *gh, int n)
{
  int i, j;
  for (i = 1; i <= n; i++) {
    int a1 = gh[i] < i ? gh[i] : i, b1 = gh[i] < i ? i : gh[i];
    for (j = 1; j <= n; j++) {
      int a2 = gh[j] < j ? gh[j] : j, b2 = gh[j] < j ? j : gh[j];
      if (a1 < a2 && a2 < b1 && b1 < b2)
        return 0;
    }
  }
  return 1;
}

static int tag_class(trainer *t, int xpos, int upos)
{
  uint32_t i;
  for (i = 0; i < t->ntag; i++)
    if (t->tagpair[2 * i] == xpos && t->tagpair[2 * i + 1] == upos)
      return (int)i;
  if (t->ntag >= DY__MAXCLS)
    return 0;
  t->tagpair[2 * t->ntag] = (uint8_t)xpos;
  t->tagpair[2 * t->ntag + 1] = (uint8_t)upos;
  return (int)t->ntag++;
}

static int load_data(trainer *t, dy_conllu_doc *doc, dy_err *err)
{
  size_t i, nparse = 0, nproj = 0;
  int k;
  t->ns = 0;
  t->s = dy_calloc(dy_conllu_nsents(doc) + 1, sizeof *t->s);
  if (t->s == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  for (k = 0; k < DY_DEP_N; k++)
    t->labidx[k] = -1;
  for (i = 0; i < dy_conllu_nsents(doc); i++) {
    const dy_conllu_sent *cs = dy_conllu_sent_at(doc, i);
    tsent *s = &t->s[t->ns];
    int n = (int)cs->ntok, roots = 0;
    s->n = n;
    s->w = dy_arena_alloc(&t->mem, (size_t)n * sizeof *s->w);
    s->gcls = dy_arena_alloc(&t->mem, (size_t)n * sizeof *s->gcls);
    s->ptag = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->ptag);
    s->pcls = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->pcls);
    s->gh = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->gh);
    s->gl = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->gl);
    s->low = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->low);
    s->sfx3 = dy_arena_alloc(&t->mem, ((size_t)n + 1) * sizeof *s->sfx3);
    if (t->mem.failed)
      return dy_err_set(err, DY_ENOMEM, "out of memory");
    for (k = 0; k < n; k++) {
      const dy_conllu_tok *g = &cs->toks[k];
      int dep = g->dep ? g->dep : DY_DEP_DEP;
      dy__wtok_fill(&s->w[k], g->form, strlen(g->form), k == 0);
      s->low[k + 1] = s->w[k].low;
      s->sfx3[k + 1] = s->w[k].suf[2]   ? s->w[k].suf[2]
                       : s->w[k].suf[1] ? s->w[k].suf[1]
                       : s->w[k].suf[0] ? s->w[k].suf[0]
                                        : dy_hash64("", 0);
      s->gcls[k] = tag_class(t, g->xpos, g->upos);
      s->ptag[k + 1] = g->xpos * 32 + g->upos;
      s->gh[k + 1] = g->head;
      if (t->labidx[dep] < 0 && t->nlab < 64) {
        t->labidx[dep] = (int)t->nlab;
        t->labels[t->nlab++] = (uint8_t)dep;
      }
      s->gl[k + 1] = t->labidx[dep] < 0 ? 0 : t->labidx[dep];
      roots += g->head == 0;
    }
    s->parse = cs->tree_ok && roots == 1 && n <= DY__MAXN;
    nproj += (size_t)(s->parse && projective(s->gh, n));
    nparse += (size_t)s->parse;
    t->ns++;
  }
  say(t,
      "%zu sentences, %zu trees for the parser (%zu projective), %u tag "
      "classes, %u relations",
      t->ns, nparse, nproj, t->ntag, t->nlab);
  return DY_OK;
}

/* ==== tagger ============================================================ */

typedef struct fc {
  uint64_t form; /* exact form hash */
  int cls;       /* class */
} fc;

static int fc_cmp(const void *a, const void *b)
{
  const fc *x = a, *y = b;
  if (x->form != y->form)
    return x->form < y->form ? -1 : 1;
  return x->cls - y->cls;
}

/* Tag dictionary from the sentences with fold != skip: forms seen at least
 * 20 times with one class at least 97% of the time. */
static int build_dict(trainer *t, const int *fold, int skip, otab *o,
                      int lexicon)
{
  size_t n = 0, i, j, nf = 0, nl = 0;
  fc *v;
  uint64_t *keys;
  uint32_t *first;
  uint8_t *cls;
  float *w;
  int rc = DY_ENOMEM;
  for (i = 0; i < t->ns; i++)
    if (fold[i] != skip)
      n += (size_t)t->s[i].n;
  v = dy_malloc((n + 1) * sizeof *v);
  keys = dy_malloc((n + 1) * sizeof *keys);
  first = dy_malloc((n + 2) * sizeof *first);
  cls = dy_malloc(n + 1);
  w = dy_malloc((n + 1) * sizeof *w);
  if (!v || !keys || !first || !cls || !w)
    goto out;
  n = 0;
  for (i = 0; i < t->ns; i++) {
    int k;
    if (fold[i] == skip)
      continue;
    for (k = 0; k < t->s[i].n; k++) {
      v[n].form = lexicon ? t->s[i].w[k].low : t->s[i].w[k].form;
      v[n++].cls = t->s[i].gcls[k];
    }
  }
  qsort(v, n, sizeof *v, fc_cmp);
  for (i = 0; i < n; i = j) {
    size_t best = 0, run, k;
    int bcls = 0;
    for (j = i; j < n && v[j].form == v[i].form; j++)
      ;
    for (k = i; k < j; k += run) {
      for (run = 1; k + run < j && v[k + run].cls == v[k].cls; run++)
        ;
      if (run > best) {
        best = run;
        bcls = v[k].cls;
      }
    }
    if (lexicon && j - i >= 3) { /* every class seen 5% of the time */
      first[nf] = (uint32_t)nl;
      for (k = i; k < j; k += run) {
        for (run = 1; k + run < j && v[k + run].cls == v[k].cls; run++)
          ;
        if ((double)run >= 0.05 * (double)(j - i)) {
          cls[nl] = (uint8_t)v[k].cls;
          w[nl++] = (float)run / (float)(j - i);
        }
      }
      keys[nf++] = v[i].form;
    } else if (!lexicon && j - i >= 20 &&
               (double)best >= 0.97 * (double)(j - i)) {
      keys[nf] = v[i].form;
      first[nf] = (uint32_t)nl;
      cls[nl] = (uint8_t)bcls;
      w[nl++] = 1;
      nf++;
    }
  }
  first[nf] = (uint32_t)nl;
  rc = ot_build(o, nf, keys, first, cls, w, t->ntag);
out:
  dy_free(v);
  dy_free(keys);
  dy_free(first);
  dy_free(cls);
  dy_free(w);
  return rc;
}

/* Dictionary and lexicon from the sentences with fold != skip; every
 * word's ambiguity class from that lexicon. */
static int build_lex(trainer *t, const int *fold, int skip, otab *dict,
                     otab *lex)
{
  size_t i;
  int k;
  if (build_dict(t, fold, skip, dict, 0) < 0)
    return DY_ENOMEM;
  if (build_dict(t, fold, skip, lex, 1) < 0) {
    ot_free(dict);
    return DY_ENOMEM;
  }
  for (i = 0; i < t->ns; i++)
    for (k = 0; k < t->s[i].n; k++)
      dy__wtok_amb(&lex->t, &t->s[i].w[k]);
  return DY_OK;
}

/* Trains a tagger on sentences with fold != skip. */
static int train_tagger(trainer *t, const int *fold, int skip,
                        const dy__ptab *dict, int second, ttab *tt)
{
  size_t *idx = dy_malloc((t->ns + 1) * sizeof *idx), n = 0, i;
  int ep, epochs = t->o->tag_epochs > 0 ? t->o->tag_epochs : 8;
  int cls[DY__MAXN];
  float sc[256];
  uint64_t f[DY__TAG_NF];
  if (idx == NULL)
    return DY_ENOMEM;
  for (i = 0; i < t->ns; i++)
    if (fold[i] != skip)
      idx[n++] = i;
  tt->c = 1;
  for (ep = 0; ep < epochs; ep++) {
    size_t right = 0, all = 0;
    shuffle(t, idx, n);
    for (i = 0; i < n; i++) {
      const tsent *s = &t->s[idx[i]];
      int k, p1 = -1, p2 = -1;
      for (k = 0; k < s->n; k++) {
        int best = dy__tag_dict(dict, &s->w[k]);
        if (best < 0) {
          int nf = dy__tag_feats(s->w, (size_t)s->n, (size_t)k, p1, p2,
                                 second ? s->pcls : NULL, f);
          uint32_t c;
          memset(sc, 0, t->ntag * sizeof *sc);
          tt_score(tt, f, nf, sc);
          best = 0;
          for (c = 1; c < t->ntag; c++)
            if (sc[c] > sc[best])
              best = (int)c;
          if (best != s->gcls[k]) {
            tt_update(tt, f, nf, s->gcls[k], 1);
            tt_update(tt, f, nf, best, -1);
          }
          tt->c++;
        }
        right += best == s->gcls[k];
        all++;
        p2 = p1;
        p1 = best;
        (void)cls;
      }
    }
    if (tt->failed) {
      dy_free(idx);
      return DY_ENOMEM;
    }
    if (skip < 0)
      say(t, "tagger%s epoch %d: train accuracy %.2f%%, %zu features",
          second ? " (second pass)" : "", ep + 1,
          100.0 * (double)right / (double)(all ? all : 1), tt->n);
  }
  dy_free(idx);
  return DY_OK;
}

/* Tags the sentences of fold `only` with tt (averaged, first pass) into
 * pcls and, when set_ptag, into ptag. */
static void tag_fold(trainer *t, const int *fold, int only,
                     const dy__ptab *dict, ttab *tt, int set_ptag)
{
  dy__tagger tg;
  size_t i;
  int *cls = NULL;
  float sc[256];
  size_t cap = 0;
  tg.score = tt_score;
  tg.tab = tt;
  tg.dict = dict;
  tg.ntag = t->ntag;
  tg.tagpair = t->tagpair;
  tt->avg = 1;
  for (i = 0; i < t->ns; i++) {
    tsent *s = &t->s[i];
    int k;
    if (fold[i] != only)
      continue;
    if ((size_t)s->n > cap) {
      int *nc = dy_realloc(cls, (size_t)s->n * 2 * sizeof *nc);
      if (nc == NULL)
        continue; /* keeps the gold tags of this sentence */
      cls = nc;
      cap = (size_t)s->n * 2;
    }
    dy__tag_run(&tg, s->w, (size_t)s->n, NULL, cls, sc);
    for (k = 0; k < s->n; k++) {
      s->pcls[k] = cls[k];
      if (set_ptag)
        s->ptag[k + 1] =
            t->tagpair[2 * cls[k]] * 32 + t->tagpair[2 * cls[k] + 1];
    }
  }
  tt->avg = 0;
  dy_free(cls);
}

/* ==== parser ============================================================ */

/* Costs of SHIFT, REDUCE, LEFT, RIGHT (unlabelled) in s against gold for
 * the non-monotonic system (dy__pvalid): the gold arcs a transition makes
 * unreachable. A word on the stack can still get its gold head from the
 * buffer (LEFT replaces a wrong head) and a headless one the word below it
 * (REDUCE). Attaching a headless S0 by REDUCE costs nothing when S1 is its
 * gold head, although the arc gets no label (relation dep): in that state
 * nothing does better. RIGHT keeps its monotonic cost when b's gold head
 * is further right (a later LEFT could replace the arc, but the oracle
 * does not plan on repairs: on the gold path the system is the monotonic
 * one, and the repairs are learnt from the states exploration reaches). */
static void costs(const dy__pstate *s, const tsent *g, int *c)
{
  int s0 = s->sp ? s->stack[s->sp - 1] : -1, b = s->b, k, i, deps = 0;
  int s1 = s->sp > 1 ? s->stack[s->sp - 2] : -1;
  const int *gh = g->gh;
  c[0] = c[1] = c[2] = c[3] = 0;
  if (s0 > 0)
    for (k = b; k <= s->n; k++) /* s0's gold dependents in the buffer */
      deps += gh[k] == s0;
  if (b <= s->n) {
    int below = 0; /* stack words whose gold head is b */
    for (i = 0; i < s->sp; i++) {
      k = s->stack[i];
      below += k > 0 && gh[k] == b;
    }
    /* SHIFT: b's gold head in the stack (if it is s0, a REDUCE could
     * still attach b to it, but without the label RIGHT gives) */
    c[0] = below;
    for (i = 0; i < s->sp; i++)
      if (gh[b] == s->stack[i])
        c[0]++;
    if (s0 > 0) {
      /* LEFT: s0's gold head, if still reachable, and its dependents */
      int hs = gh[s0], h = s->head[s0];
      if (hs != b && (hs > b || h == hs || (h < 0 && (hs == 0 || hs == s1))))
        c[2]++;
      c[2] += deps;
      /* RIGHT: b's gold head anywhere but s0 */
      c[3] = below;
      if (gh[b] == 0 || gh[b] > b)
        c[3]++;
      for (i = 0; i < s->sp; i++)
        if (s->stack[i] != s0 && gh[b] == s->stack[i])
          c[3]++;
    }
  }
  if (s0 > 0) { /* REDUCE */
    int hs = gh[s0], h = s->head[s0];
    c[1] = deps;
    if (h >= 0 ? h != hs && hs >= b : hs != s1 && (hs >= b || hs == 0))
      c[1]++;
  }
}

static int class_cost(const dy__pstate *s, const tsent *g, const int *u, int c)
{
  int s0 = s->sp ? s->stack[s->sp - 1] : -1, l;
  if (c < 2)
    return u[c];
  l = (c - 2) >> 1;
  if ((c & 1) == 0)
    return u[2] + (g->gh[s0] == s->b && g->gl[s0] != l);
  return u[3] + (g->gh[s->b] == s0 && g->gl[s->b] != l);
}

static void fill_state(dy__pstate *st, const tsent *s)
{
  int k;
  dy__pstate_init(st, s->n);
  for (k = 1; k <= s->n; k++) {
    st->w[k] = s->low[k];
    st->sfx[k] = s->sfx3[k];
    st->amb[k] = s->w[k - 1].amb;
    st->p[k] = s->ptag[k];
  }
}

static int train_parser_epoch(trainer *t, ttab *tt, size_t *idx, size_t n,
                              int explore, dy__pstate *st, double *acc)
{
  int ncls = 2 + 2 * (int)t->nlab;
  uint64_t f[DY__PAR_NF];
  float sc[256];
  size_t i, right = 0, all = 0;
  shuffle(t, idx, n);
  for (i = 0; i < n; i++) {
    const tsent *s = &t->s[idx[i]];
    fill_state(st, s);
    while (st->b <= st->n) {
      int nf = dy__par_feats(st, f), c, pred = -1, gold = -1, u[4],
          mc = 1 << 30;
      int cc[256];
      memset(sc, 0, (size_t)ncls * sizeof *sc);
      tt_score(tt, f, nf, sc);
      costs(st, s, u);
      for (c = 0; c < ncls; c++) {
        if (!dy__pvalid(st, c)) {
          cc[c] = -1;
          continue;
        }
        cc[c] = class_cost(st, s, u, c);
        if (cc[c] < mc)
          mc = cc[c];
        if (pred < 0 || sc[c] > sc[pred])
          pred = c;
      }
      for (c = 0; c < ncls; c++)
        if (cc[c] == mc && (gold < 0 || sc[c] > sc[gold]))
          gold = c;
      if (cc[pred] > mc) {
        tt_update(tt, f, nf, gold, 1);
        tt_update(tt, f, nf, pred, -1);
      } else {
        right++;
      }
      all++;
      tt->c++;
      dy__papply(st, explore && rnd(t) % 10 != 0 ? pred : gold);
    }
    if (tt->failed)
      return DY_ENOMEM;
  }
  *acc = (double)right / (double)(all ? all : 1);
  return DY_OK;
}

/* ==== the whole training ================================================ */

int dy_parser_train(dy_conllu_doc *train, const dy_train_opts *opts,
                    dy_parser **out, dy_err *err)
{
  trainer t;
  int *fold = NULL, folds, k, ep, rc;
  int pepochs = opts->parse_epochs > 0 ? opts->parse_epochs : 12;
  float prune = opts->prune > 0 ? opts->prune : 0.1f;
  size_t max_bytes = opts->max_bytes > 0 ? opts->max_bytes : (size_t)20 << 20;
  uint32_t min_count = opts->min_count > 0 ? (uint32_t)opts->min_count : 1;
  size_t i, np = 0, *idx = NULL;
  otab dict, lex, tag, tag2, par;
  olem lem;
  ttab tt, ptt[8];
  int nparsers = opts->parsers > 0 ? opts->parsers : 2;
  dy__pstate *st = NULL;
  *out = NULL;
  if (nparsers > 8)
    nparsers = 8;
  memset(ptt, 0, sizeof ptt);
  dy_err_clear(err);
  memset(&t, 0, sizeof t);
  memset(&dict, 0, sizeof dict);
  memset(&lex, 0, sizeof lex);
  memset(&tag, 0, sizeof tag);
  memset(&tag2, 0, sizeof tag2);
  memset(&par, 0, sizeof par);
  memset(&lem, 0, sizeof lem);
  memset(&tt, 0, sizeof tt);
  t.o = opts;
  t.rng = opts->seed ? opts->seed : 1;
  dy_arena_init(&t.mem, 0);
  t.mem.chunk = 1 << 20;
  folds = opts->folds > 0 ? opts->folds : 5;
  rc = load_data(&t, train, err);
  if (rc < 0)
    goto out;
  if (t.ns == 0) {
    rc = dy_err_set(err, DY_EEMPTY, "no training sentences");
    goto out;
  }
  if (build_lemmas(train, &lem) < 0)
    goto nomem;
  say(&t, "lemma lexicon: %u slots, %u bytes of strings", lem.nslots,
      lem.l.nstr);
  fold = dy_malloc(t.ns * sizeof *fold);
  idx = dy_malloc(t.ns * sizeof *idx);
  st = dy_malloc(sizeof *st);
  if (!fold || !idx || !st)
    goto nomem;
  for (i = 0; i < t.ns; i++)
    fold[i] = folds > 1 ? (int)(i % (size_t)folds) : 0;
  /* jackknifed tags for the parser */
  for (k = 0; folds > 1 && k < folds; k++) {
    otab d, l;
    ttab ft;
    memset(&ft, 0, sizeof ft);
    if (build_lex(&t, fold, k, &d, &l) < 0)
      goto nomem;
    rc = train_tagger(&t, fold, k, &d.t, 0, &ft);
    if (rc == DY_OK)
      tag_fold(&t, fold, k, &d.t, &ft, 1);
    tt_free(&ft);
    ot_free(&d);
    ot_free(&l);
    if (rc < 0)
      goto nomem;
    say(&t, "jackknife fold %d/%d tagged", k + 1, folds);
  }
  /* the tagger on everything */
  for (i = 0; i < t.ns; i++)
    fold[i] = 0;
  if (build_lex(&t, fold, -1, &dict, &lex) < 0)
    goto nomem;
  rc = train_tagger(&t, fold, -1, &dict.t, 0, &tt);
  if (rc < 0)
    goto nomem;
  if (ot_from_tt(&tag, &tt, t.ntag, 1e-3f, 1) < 0)
    goto nomem;
  if (folds == 1) /* no jackknife: the second pass sees the first's tags */
    tag_fold(&t, fold, 0, &dict.t, &tt, 0);
  tt_free(&tt);
  rc = train_tagger(&t, fold, -1, &dict.t, 1, &tt);
  if (rc < 0)
    goto nomem;
  if (ot_from_tt(&tag2, &tt, t.ntag, 1e-3f, 1) < 0)
    goto nomem;
  tt_free(&tt);
  /* the parser */
  for (i = 0; i < t.ns; i++)
    if (t.s[i].parse)
      idx[np++] = i;
  for (k = 0; k < nparsers; k++)
    ptt[k].c = 1;
  for (ep = 0; ep < pepochs; ep++) {
    double acc = 0, a;
    size_t nfeat = 0;
    for (k = 0; k < nparsers; k++) { /* each its own shuffles */
      rc = train_parser_epoch(&t, &ptt[k], idx, np, ep >= 1, st, &a);
      if (rc < 0)
        goto nomem;
      acc += a / nparsers;
      nfeat += ptt[k].n;
    }
    if (opts->dev || ep == pepochs - 1) {
      dy_parser *m = NULL;
      /* everything but the parser table, then the parser's budget */
      size_t fixed = DY__HDR + 8 + ((size_t)t.ntag * 2 + 3) / 4 * 4 +
                     ((size_t)t.nlab + 3) / 4 * 4 + ot_bytes(&dict) +
                     ot_bytes(&lex) + ot_bytes(&tag) + ot_bytes(&tag2) + 8 +
                     (size_t)lem.nslots * 8 + ((size_t)lem.l.nstr + 3) / 4 * 4;
      float tf, te;
      ot_free(&par);
      if (ot_from_tts(&par, ptt, nparsers, 2 + 2 * t.nlab, prune, min_count,
                      max_bytes > fixed ? max_bytes - fixed : 0, &tf, &te) < 0)
        goto nomem;
      say(&t, "parser table pruned at %.3f (features) / %.3f (weights)", tf,
          te);
      rc = model_make(t.ntag, t.tagpair, t.nlab, t.labels, &dict, &lex, &tag,
                      &tag2, &par, &lem, &m, err);
      if (rc < 0)
        goto out;
      if (opts->dev) {
        dy_parse_score s;
        if (dy_parser_eval(m, NULL, opts->dev, &s) < 0) {
          dy_parser_free(m);
          goto nomem;
        }
        say(&t,
            "parser epoch %d: train transitions %.2f%%, %zu features; "
            "dev UPOS %.2f XPOS %.2f UAS %.2f LAS %.2f, %zu bytes",
            ep + 1, 100 * acc, nfeat,
            100.0 * (double)s.upos / (double)(s.words ? s.words : 1),
            100.0 * (double)s.xpos / (double)(s.words ? s.words : 1),
            100.0 * (double)s.uas / (double)(s.words ? s.words : 1),
            100.0 * (double)s.las / (double)(s.words ? s.words : 1),
            dy_parser_size(m));
      } else {
        say(&t, "parser epoch %d: train transitions %.2f%%", ep + 1, 100 * acc);
      }
      if (ep == pepochs - 1) {
        *out = m;
        m = NULL;
      }
      dy_parser_free(m);
    } else {
      say(&t, "parser epoch %d: train transitions %.2f%%, %zu features", ep + 1,
          100 * acc, nfeat);
    }
  }
  rc = DY_OK;
  goto out;
nomem:
  rc = dy_err_set(err, DY_ENOMEM, "out of memory");
out:
  tt_free(&tt);
  for (k = 0; k < 8; k++)
    tt_free(&ptt[k]);
  ot_free(&dict);
  ot_free(&lex);
  ot_free(&tag);
  ot_free(&tag2);
  ot_free(&par);
  ol_free(&lem);
  dy_free(fold);
  dy_free(idx);
  dy_free(st);
  dy_free(t.s);
  dy_arena_fini(&t.mem);
  return rc;
}
