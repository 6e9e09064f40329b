/* SPDX-License-Identifier: MIT */
/* The trained tagger and parser at run time: features, greedy tagging,
 * greedy arc-eager parsing, the model file (checked, then used in place)
 * and the evaluation against a CoNLL-U file. Training is parse_train.c. */
#include "parse_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef DY_DATA_DIR
#define DY_DATA_DIR "data"
#endif

/* ==== words ============================================================= */

void dy__wtok_fill(dy__wtok *w, const char *s, size_t n, int first)
{
  char low[64], shape[16];
  size_t i, m = n < sizeof low ? n : sizeof low, ns = 0;
  int k;
  uint32_t fl = first ? 16u : 0u;
  int upper = 0, lower = 0;
  for (i = 0; i < m; i++) {
    char c = s[i], sc;
    low[i] = dy_tolower(c);
    if (dy_isupper(c)) {
      sc = 'X';
      upper++;
    } else if (dy_islower(c)) {
      sc = 'x';
      lower++;
    } else if (dy_isdigit(c)) {
      sc = 'd';
      fl |= 8u;
    } else if ((unsigned char)c >= 0x80) {
      if (((unsigned char)c & 0xC0) == 0x80)
        continue;
      sc = 'u';
    } else {
      sc = c;
      if (c == '-')
        fl |= 4u;
    }
    if (ns < sizeof shape && (ns == 0 || shape[ns - 1] != sc))
      shape[ns++] = sc;
  }
  if (n && dy_isupper(s[0]))
    fl |= 1u;
  if (upper && !lower)
    fl |= 2u;
  w->form = dy_hash64(s, n < 256 ? n : 256);
  w->low = dy_hash64(low, m);
  w->shape = dy_hash64(shape, ns);
  for (k = 0; k < 3; k++)
    w->pre[k] = (size_t)k < m ? dy_hash64(low, (size_t)k + 1) : 0;
  for (k = 0; k < 4; k++)
    w->suf[k] =
        (size_t)k < m ? dy_hash64(low + m - (size_t)k - 1, (size_t)k + 1) : 0;
  w->flags = fl;
}

uint64_t dy__amb_of(const dy__ptab *lex, uint64_t low)
{
  long e = lex && lex->bk ? dy__ptab_find(lex, low) : -1, j;
  uint64_t h = 0x2545F4914F6CDD1DULL;
  if (e < 0)
    return 0;
  for (j = 0; j < (e & 0xFF); j++)
    h = dy__mix(h ^ lex->run[(e >> 8) + j]);
  return h;
}

void dy__wtok_amb(const dy__ptab *lex, dy__wtok *w)
{
  w->amb = dy__amb_of(lex, w->low);
}

/* ==== weight tables ===================================================== */

size_t dy__ptab_bytes(size_t nf, size_t ne)
{
  /* at most 4/5 of the slots filled */
  size_t nb = nf / (DY__BSLOTS * 4 / 5) + 1;
  return nb * 64 + (3 * ne + 3) / 4 * 4;
}

int dy__ptab_make(dy__ptab *t, size_t nf, const uint64_t *keys,
                  const uint32_t *first, const uint8_t *cls, const float *w,
                  uint32_t ncls)
{
  size_t nb = nf / (DY__BSLOTS * 4 / 5) + 1, i, b, ne = first[nf];
  uint32_t *bk, *who = NULL, off = 0;
  unsigned char *run;
  float max = 0, scale;
  memset(t, 0, sizeof *t);
  if (3 * ne > ((size_t)1 << 30) || nb > ((size_t)1 << 26))
    return DY_ETOOBIG;
  bk = dy_calloc(nb * 16, 4);
  run = dy_malloc(3 * ne + 1);
  who = dy_malloc(nb * DY__BSLOTS * sizeof *who);
  if (bk == NULL || run == NULL || who == NULL) {
    dy_free(bk);
    dy_free(run);
    dy_free(who);
    return DY_ENOMEM;
  }
  for (i = 0; i < nf; i++) { /* slots, in feature order */
    uint64_t m = dy__mix(keys[i]);
    uint32_t j;
    b = DY__PBUCKET(m, nb);
    for (;;) {
      for (j = 1; j <= DY__BSLOTS && bk[16 * b + j]; j++)
        ;
      if (j <= DY__BSLOTS)
        break;
      bk[16 * b] = DY__POVER; /* a probe goes on past this bucket */
      b = b + 1 == nb ? 0 : b + 1;
    }
    bk[16 * b + j] = DY__PKEY(m) | (first[i + 1] - first[i]);
    who[b * DY__BSLOTS + j - 1] = (uint32_t)i;
  }
  for (i = 0; i < ne; i++)
    if (fabsf(w[i]) > max)
      max = fabsf(w[i]);
  scale = max > 0 ? 32767.0f / max : 1.0f;
  for (b = 0; b < nb; b++) { /* runs, in bucket and slot order */
    uint32_t j;
    bk[16 * b] |= off;
    for (j = 1; j <= DY__BSLOTS && bk[16 * b + j]; j++) {
      uint32_t f = who[b * DY__BSLOTS + j - 1], k, n = first[f + 1] - first[f];
      unsigned char *r = run + off;
      for (k = 0; k < n; k++) {
        long q = lrintf(w[first[f] + k] * scale);
        uint16_t u = (uint16_t)(int16_t)q;
        r[k] = cls[first[f] + k];
        r[n + 2 * k] = (unsigned char)(u & 0xFF);
        r[n + 2 * k + 1] = (unsigned char)(u >> 8);
      }
      off += 3 * n;
    }
  }
  dy_free(who);
  t->nb = (uint32_t)nb;
  t->nbytes = off;
  t->ncls = ncls;
  t->bk = bk;
  t->run = run;
  return DY_OK;
}

void dy__ptab_fini(dy__ptab *t)
{
  dy_free((void *)t->bk);
  dy_free((void *)t->run);
  memset(t, 0, sizeof *t);
}

uint64_t dy__model_sum(const unsigned char *p, size_t n)
{
  uint64_t h[4] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL,
                   0xA4093822299F31D0ULL, 0x082EFA98EC4E6C89ULL};
  size_t i;
  for (i = 0; i + 32 <= n; i += 32) {
    uint64_t w[4];
    memcpy(w, p + i, 32);
    h[0] = (h[0] ^ w[0]) * 0x9E3779B97F4A7C15ULL;
    h[1] = (h[1] ^ w[1]) * 0x9E3779B97F4A7C15ULL;
    h[2] = (h[2] ^ w[2]) * 0x9E3779B97F4A7C15ULL;
    h[3] = (h[3] ^ w[3]) * 0x9E3779B97F4A7C15ULL;
  }
  for (; i < n; i++)
    h[0] = (h[0] ^ p[i]) * 1099511628211ULL;
  return dy__mix(h[0] ^ dy__mix(h[1] ^ dy__mix(h[2] ^ dy__mix(h[3] ^ n))));
}

/* GCC 12.2 at -O1 and above dropped the call from parse_piece, as if this
 * function stored nothing (the stores to sc are indexed by run bytes);
 * -fno-ipa-modref and clang keep it, ASan, UBSan and valgrind are clean:
 * no interprocedural analysis of it. */
#if defined(__GNUC__) && !defined(__clang__)
#define NOIPA_ __attribute__((noipa))
#else
#define NOIPA_
#endif

/* Three rounds so the cache misses of all features overlap: prefetch the
 * buckets, find the runs (prefetching them), then add. */
NOIPA_ void dy__ptab_score(const void *tab, const uint64_t *f, int nf,
                           float *sc)
{
  const dy__ptab *t = tab;
  long st[DY__PAR_NF > DY__TAG_NF ? DY__PAR_NF : DY__TAG_NF];
  uint64_t m[DY__PAR_NF > DY__TAG_NF ? DY__PAR_NF : DY__TAG_NF];
  int i, ns = 0;
  for (i = 0; i < nf; i++) {
    m[i] = dy__mix(f[i]);
    __builtin_prefetch(&t->bk[16 * (size_t)DY__PBUCKET(m[i], t->nb)]);
  }
  for (i = 0; i < nf; i++) {
    long e = dy__ptab_findm(t, m[i]);
    if (e >= 0) {
      __builtin_prefetch(&t->run[e >> 8]);
      st[ns++] = e;
    }
  }
  for (i = 0; i < ns; i++) {
    const unsigned char *r = &t->run[st[i] >> 8];
    int j, n = (int)(st[i] & 0xFF);
    for (j = 0; j < n; j++)
      sc[r[j]] += dy__ptab_w(r, n, j);
  }
}

/* ==== tagger ============================================================ */

#define NOW_ 0x5bd1e9955bd1e995ULL /* word hash beyond the sentence */

int dy__tag_feats(const dy__wtok *w, size_t n, size_t i, int p1, int p2,
                  const int *first, uint64_t *f)
{
  const dy__wtok *c = &w[i];
  uint64_t wm1 = i >= 1 ? w[i - 1].low : NOW_;
  uint64_t wm2 = i >= 2 ? w[i - 2].low : NOW_ + 1;
  uint64_t wp1 = i + 1 < n ? w[i + 1].low : NOW_ + 2;
  uint64_t wp2 = i + 2 < n ? w[i + 2].low : NOW_ + 3;
  uint64_t sm1 = i >= 1 ? w[i - 1].suf[2] : 1;
  uint64_t sp1 = i + 1 < n ? w[i + 1].suf[2] : 2;
  uint64_t sp1b = i + 1 < n ? w[i + 1].suf[0] : 2;
  uint64_t shp1 = i + 1 < n ? w[i + 1].shape : 3;
  uint64_t shm1 = i >= 1 ? w[i - 1].shape : 4;
  uint64_t t1 = (uint64_t)(p1 + 2), t2 = (uint64_t)(p2 + 2);
  int k = 0;
  f[k++] = DY__F1(1, 0);
  f[k++] = DY__F1(2, c->low);
  f[k++] = DY__F1(3, c->form);
  f[k++] = DY__F1(4, c->suf[0]);
  f[k++] = DY__F1(5, c->suf[1]);
  f[k++] = DY__F1(6, c->suf[2]);
  f[k++] = DY__F1(7, c->suf[3]);
  f[k++] = DY__F1(8, c->pre[0]);
  f[k++] = DY__F1(9, c->pre[1]);
  f[k++] = DY__F1(10, c->pre[2]);
  f[k++] = DY__F1(11, c->shape);
  f[k++] = DY__F1(12, c->flags);
  f[k++] = DY__F1(13, t1);
  f[k++] = DY__F1(14, t2);
  f[k++] = DY__F2(15, t1, t2);
  f[k++] = DY__F2(16, t1, c->low);
  f[k++] = DY__F1(17, wm1);
  f[k++] = DY__F1(18, sm1);
  f[k++] = DY__F1(19, wm2);
  f[k++] = DY__F1(20, wp1);
  f[k++] = DY__F1(21, sp1);
  f[k++] = DY__F1(22, wp2);
  f[k++] = DY__F2(23, wm1, c->low);
  f[k++] = DY__F2(24, c->low, wp1);
  f[k++] = DY__F1(25, shp1);
  f[k++] = DY__F2(26, t1, c->suf[2]);
  f[k++] = DY__F2(27, shm1, c->shape);
  f[k++] = DY__F2(28, c->suf[1], sp1b);
  {
    uint64_t am1 = i >= 1 ? w[i - 1].amb : 5;
    uint64_t ap1 = i + 1 < n ? w[i + 1].amb : 6;
    uint64_t ap2 = i + 2 < n ? w[i + 2].amb : 7;
    f[k++] = DY__F1(29, c->amb);
    f[k++] = DY__F1(30, ap1);
    f[k++] = DY__F1(31, ap2);
    f[k++] = DY__F2(32, t1, c->amb);
    f[k++] = DY__F2(33, c->amb, ap1);
    f[k++] = DY__F3(34, am1, c->amb, ap1);
  }
  if (first) {
    uint64_t a0 = (uint64_t)first[i];
    uint64_t a1 = i + 1 < n ? (uint64_t)first[i + 1] : 300;
    uint64_t a2 = i + 2 < n ? (uint64_t)first[i + 2] : 301;
    f[k++] = DY__F1(40, a1);
    f[k++] = DY__F1(41, a2);
    f[k++] = DY__F2(42, a1, a2);
    f[k++] = DY__F2(43, c->low, a1);
    f[k++] = DY__F1(44, a0);
    f[k++] = DY__F3(45, t1, a0, a1);
  }
  return k;
}

int dy__tag_dict(const dy__ptab *dict, const dy__wtok *w)
{
  long e;
  if (dict == NULL || dict->bk == NULL)
    return -1;
  e = dy__ptab_find(dict, w->form);
  return e < 0 ? -1 : (int)dict->run[e >> 8]; /* count >= 1 */
}

void dy__tag_run(const dy__tagger *tg, const dy__wtok *w, size_t n,
                 const int *first, int *cls, float *sc)
{
  size_t i;
  uint64_t f[DY__TAG_NF];
  int p1 = -1, p2 = -1;
  for (i = 0; i < n; i++) {
    int best = dy__tag_dict(tg->dict, &w[i]);
    if (best < 0) {
      int nf = dy__tag_feats(w, n, i, p1, p2, first, f);
      uint32_t c;
      memset(sc, 0, tg->ntag * sizeof *sc);
      tg->score(tg->tab, f, nf, sc);
      best = 0;
      for (c = 1; c < tg->ntag; c++)
        if (sc[c] > sc[best])
          best = (int)c;
    }
    cls[i] = best;
    p2 = p1;
    p1 = best;
  }
}

/* ==== arc-eager transitions ============================================= */

void dy__pstate_init(dy__pstate *s, int n)
{
  int i;
  s->n = n;
  s->sp = 0; /* no artificial root on the stack (docs/PARSER.md) */
  s->b = 1;
  for (i = 0; i <= n + 1 && i < DY__MAXN + 2; i++) {
    s->head[i] = -1;
    s->lab[i] = -1;
    s->l1[i] = s->l2[i] = s->r1[i] = s->r2[i] = -1;
    s->nl[i] = s->nr[i] = 0;
    s->ls[i] = s->rs[i] = 0;
  }
  s->w[0] = NOW_ + 7;
  s->sfx[0] = 3;
  s->amb[0] = 4;
  s->p[0] = 5001;
}

/* Non-monotonic arc-eager (Honnibal, Goldberg & Johnson 2013): LEFT may
 * replace the head a RIGHT gave S0, and REDUCE may pop a headless S0,
 * which then attaches to the word below it. */
int dy__pvalid(const dy__pstate *s, int c)
{
  int s0 = s->sp ? s->stack[s->sp - 1] : -1;
  int hasb = s->b <= s->n;
  if (c == DY__SHIFT)
    return hasb;
  if (c == DY__REDUCE)
    return s0 > 0 && (s->head[s0] >= 0 || s->sp >= 2);
  return hasb && s0 > 0; /* LEFT, RIGHT */
}

/* Recounts the right dependents of h (after one of them got another
 * head). */
static void right_deps(dy__pstate *s, int h)
{
  int d;
  s->nr[h] = 0;
  s->rs[h] = 0;
  s->r1[h] = s->r2[h] = -1;
  for (d = h + 1; d <= s->n; d++) {
    if (s->head[d] != h)
      continue;
    s->nr[h]++;
    if (s->lab[d] >= 0)
      s->rs[h] |= (uint64_t)1 << (s->lab[d] & 63);
    s->r2[h] = s->r1[h];
    s->r1[h] = d;
  }
}

void dy__papply(dy__pstate *s, int c)
{
  int s0 = s->sp ? s->stack[s->sp - 1] : -1, b = s->b;
  if (c == DY__SHIFT) {
    s->stack[s->sp++] = b;
    s->b++;
  } else if (c == DY__REDUCE) {
    if (s->head[s0] < 0) { /* attach to the word below, unlabelled */
      int s1 = s->stack[s->sp - 2];
      s->head[s0] = s1;
      s->lab[s0] = -1;
      s->nr[s1]++;
      s->r2[s1] = s->r1[s1];
      s->r1[s1] = s0;
    }
    s->sp--;
  } else {
    int l = (c - 2) >> 1;
    uint64_t bit = (uint64_t)1 << (l & 63);
    if ((c & 1) == 0) { /* LEFT: b → s0 */
      int h = s->head[s0];
      s->head[s0] = b;
      s->lab[s0] = l;
      if (h >= 0)
        right_deps(s, h);
      s->nl[b]++;
      s->ls[b] |= bit;
      s->l2[b] = s->l1[b];
      s->l1[b] = s0;
      s->sp--;
    } else { /* RIGHT: s0 → b */
      s->head[b] = s0;
      s->lab[b] = l;
      s->nr[s0]++;
      s->rs[s0] |= bit;
      s->r2[s0] = s->r1[s0];
      s->r1[s0] = b;
      s->stack[s->sp++] = b;
      s->b++;
    }
  }
}

void dy__pfinish(dy__pstate *s)
{
  int i, r = -1;
  for (i = 1; i <= s->n; i++) /* the root: the headless word with the most
                                 dependents, the first on a tie */
    if (s->head[i] < 0 && (r < 0 || s->nl[i] + s->nr[i] > s->nl[r] + s->nr[r]))
      r = i;
  for (i = 1; i <= s->n; i++) {
    if (s->head[i] >= 0)
      continue;
    s->head[i] = i == r ? 0 : r;
    s->lab[i] = -1;
  }
}

int dy__par_feats(const dy__pstate *s, uint64_t *f)
{
  int S0 = s->sp ? s->stack[s->sp - 1] : -1;
  int S1 = s->sp > 1 ? s->stack[s->sp - 2] : -1;
  int N0 = s->b <= s->n ? s->b : -1;
  int N1 = N0 >= 0 && s->b + 1 <= s->n ? s->b + 1 : -1;
  int N2 = N0 >= 0 && s->b + 2 <= s->n ? s->b + 2 : -1;
  int S0h = S0 > 0 ? s->head[S0] : -1;
  int S0h2 = S0h > 0 ? s->head[S0h] : -1;
  int S0l = S0 >= 0 ? s->l1[S0] : -1, S0l2 = S0 >= 0 ? s->l2[S0] : -1;
  int S0r = S0 >= 0 ? s->r1[S0] : -1, S0r2 = S0 >= 0 ? s->r2[S0] : -1;
  int N0l = N0 >= 0 ? s->l1[N0] : -1, N0l2 = N0 >= 0 ? s->l2[N0] : -1;
  int k = 0, d;
  uint64_t s0w, s0p, n0w, n0p, n1w, n1p, n2w, n2p, s0wp, n0wp;
#define W(x) ((x) < 0 ? NOW_ : s->w[x])
#define P(x) ((x) < 0 ? 5000u : (uint64_t)s->p[x])
#define L(x) ((x) < 0 || s->lab[x] < 0 ? 255u : (uint64_t)s->lab[x])
  s0w = W(S0);
  s0p = P(S0);
  n0w = W(N0);
  n0p = P(N0);
  n1w = W(N1);
  n1p = P(N1);
  n2w = W(N2);
  n2p = P(N2);
  s0wp = DY__F2(99, s0w, s0p);
  n0wp = DY__F2(98, n0w, n0p);
  d = S0 > 0 && N0 > 0 ? N0 - S0 : 0;
  d = d >= 10 ? 6 : d >= 5 ? 5 : d;
  f[k++] = DY__F1(1, 0);
  /* single words */
  f[k++] = DY__F1(2, s0wp);
  f[k++] = DY__F1(3, s0w);
  f[k++] = DY__F1(4, s0p);
  f[k++] = DY__F1(5, n0wp);
  f[k++] = DY__F1(6, n0w);
  f[k++] = DY__F1(7, n0p);
  f[k++] = DY__F2(8, n1w, n1p);
  f[k++] = DY__F1(9, n1w);
  f[k++] = DY__F1(10, n1p);
  f[k++] = DY__F2(11, n2w, n2p);
  f[k++] = DY__F1(12, n2w);
  f[k++] = DY__F1(13, n2p);
  /* pairs */
  f[k++] = DY__F2(14, s0wp, n0wp);
  f[k++] = DY__F2(15, s0wp, n0w);
  f[k++] = DY__F2(16, s0w, n0wp);
  f[k++] = DY__F2(17, s0wp, n0p);
  f[k++] = DY__F2(18, s0p, n0wp);
  f[k++] = DY__F2(19, s0w, n0w);
  f[k++] = DY__F2(20, s0p, n0p);
  f[k++] = DY__F2(21, n0p, n1p);
  /* three words */
  f[k++] = DY__F3(22, n0p, n1p, n2p);
  f[k++] = DY__F3(23, s0p, n0p, n1p);
  f[k++] = DY__F3(24, P(S0h), s0p, n0p);
  f[k++] = DY__F3(25, s0p, P(S0l), n0p);
  f[k++] = DY__F3(26, s0p, P(S0r), n0p);
  f[k++] = DY__F3(27, s0p, n0p, P(N0l));
  /* distance */
  f[k++] = DY__F2(28, s0w, d);
  f[k++] = DY__F2(29, s0p, d);
  f[k++] = DY__F2(30, n0w, d);
  f[k++] = DY__F2(31, n0p, d);
  f[k++] = DY__F3(32, s0w, n0w, d);
  f[k++] = DY__F3(33, s0p, n0p, d);
  /* valency */
  {
    uint64_t vr = S0 >= 0 ? (uint64_t)s->nr[S0] : 99;
    uint64_t vl = S0 >= 0 ? (uint64_t)s->nl[S0] : 99;
    uint64_t nvl = N0 >= 0 ? (uint64_t)s->nl[N0] : 99;
    f[k++] = DY__F2(34, s0w, vr);
    f[k++] = DY__F2(35, s0p, vr);
    f[k++] = DY__F2(36, s0w, vl);
    f[k++] = DY__F2(37, s0p, vl);
    f[k++] = DY__F2(38, n0w, nvl);
    f[k++] = DY__F2(39, n0p, nvl);
  }
  /* heads and dependents */
  f[k++] = DY__F1(40, W(S0h));
  f[k++] = DY__F1(41, P(S0h));
  f[k++] = DY__F1(42, L(S0));
  f[k++] = DY__F1(43, W(S0l));
  f[k++] = DY__F1(44, P(S0l));
  f[k++] = DY__F1(45, L(S0l));
  f[k++] = DY__F1(46, W(S0r));
  f[k++] = DY__F1(47, P(S0r));
  f[k++] = DY__F1(48, L(S0r));
  f[k++] = DY__F1(49, W(N0l));
  f[k++] = DY__F1(50, P(N0l));
  f[k++] = DY__F1(51, L(N0l));
  /* third order */
  f[k++] = DY__F1(52, W(S0h2));
  f[k++] = DY__F1(53, P(S0h2));
  f[k++] = DY__F1(54, L(S0h));
  f[k++] = DY__F1(55, W(S0l2));
  f[k++] = DY__F1(56, P(S0l2));
  f[k++] = DY__F1(57, L(S0l2));
  f[k++] = DY__F1(58, W(S0r2));
  f[k++] = DY__F1(59, P(S0r2));
  f[k++] = DY__F1(60, L(S0r2));
  f[k++] = DY__F1(61, W(N0l2));
  f[k++] = DY__F1(62, P(N0l2));
  f[k++] = DY__F1(63, L(N0l2));
  f[k++] = DY__F3(64, s0p, P(S0l), P(S0l2));
  f[k++] = DY__F3(65, s0p, P(S0r), P(S0r2));
  f[k++] = DY__F3(66, s0p, P(S0h), P(S0h2));
  f[k++] = DY__F3(67, n0p, P(N0l), P(N0l2));
  /* label sets */
  {
    uint64_t sr = S0 >= 0 ? s->rs[S0] : 1, sl = S0 >= 0 ? s->ls[S0] : 1;
    uint64_t nl = N0 >= 0 ? s->ls[N0] : 1;
    f[k++] = DY__F2(68, s0w, sr);
    f[k++] = DY__F2(69, s0p, sr);
    f[k++] = DY__F2(70, s0w, sl);
    f[k++] = DY__F2(71, s0p, sl);
    f[k++] = DY__F2(72, n0w, nl);
    f[k++] = DY__F2(73, n0p, nl);
  }
  /* second stack word */
  f[k++] = DY__F1(74, W(S1));
  f[k++] = DY__F1(75, P(S1));
  f[k++] = DY__F3(76, P(S1), s0p, n0p);
  f[k++] = DY__F2(77, P(S1), n0wp);
  f[k++] = DY__F2(78, s0wp, n1p);
  f[k++] = DY__F3(79, s0p, n1w, n1p);
  f[k++] = DY__F3(80, s0w, n0p, n1p);
  f[k++] = DY__F2(81, n0w, n1w);
  f[k++] = DY__F3(82, s0p, n0w, n1p);
  {
    uint64_t ss = S0 >= 0 ? s->sfx[S0] : 1, ns = N0 >= 0 ? s->sfx[N0] : 2;
    f[k++] = DY__F1(83, ss);
    f[k++] = DY__F1(84, ns);
    f[k++] = DY__F2(85, ss, n0p);
    f[k++] = DY__F2(86, s0p, ns);
  }
  {
    uint64_t sa = S0 >= 0 ? s->amb[S0] : 1, na = N0 >= 0 ? s->amb[N0] : 2;
    f[k++] = DY__F1(87, sa);
    f[k++] = DY__F1(88, na);
    f[k++] = DY__F2(89, sa, na);
  }
#undef W
#undef P
#undef L
  return k;
}

/* ==== the model file ==================================================== */

const char *dy_parser_default_path(void)
{
  const char *env = getenv("DYAD_MODEL");
  return env && *env ? env : DY_DATA_DIR "/dyad-ewt.model";
}

typedef struct cursor {
  const unsigned char *p; /* payload */
  size_t n, off;          /* bytes, position */
} cursor;

static const void *take(cursor *c, size_t n)
{
  const void *r;
  size_t pad = (4 - (n & 3)) & 3;
  if (n > c->n - c->off || pad > c->n - c->off - n)
    return NULL;
  r = c->p + c->off;
  c->off += n + pad;
  return r;
}

static int take_u32(cursor *c, uint32_t *v)
{
  const void *p = take(c, 4);
  if (p == NULL)
    return -1;
  memcpy(v, p, 4);
  return 0;
}

/* Reads and checks one table: at least one empty slot (so a lookup
 * always ends), the filled slots of a bucket first, the runs of the
 * buckets following each other exactly to the end, classes below ncls. */
static int take_tab(cursor *c, dy__ptab *t, uint32_t ncls, const char *what,
                    dy_err *err)
{
  uint32_t nb, nbytes, fcls, b, off = 0;
  int has_empty = 0;
  if (take_u32(c, &nb) < 0 || take_u32(c, &nbytes) < 0 ||
      take_u32(c, &fcls) < 0)
    goto trunc;
  if (nb == 0 || nb > (1u << 26) || fcls != ncls || nbytes > (1u << 30))
    return dy_err_set(err, DY_EFORMAT, "model: bad %s table header", what);
  t->nb = nb;
  t->nbytes = nbytes;
  t->ncls = ncls;
  t->bk = take(c, (size_t)nb * 64);
  t->run = take(c, nbytes);
  if (!t->bk || !t->run)
    goto trunc;
  for (b = 0; b < nb; b++) {
    const uint32_t *s = t->bk + 16 * (size_t)b;
    uint32_t j, k;
    if ((s[0] & ~DY__POVER) != off || ((s[0] & DY__POVER) && !s[DY__BSLOTS]))
      return dy_err_set(err, DY_EFORMAT, "model: %s bucket %u misplaced", what,
                        b);
    for (j = 1; j <= DY__BSLOTS; j++) {
      uint32_t n = s[j] & 0xFF;
      if (s[j] == 0) {
        has_empty = 1;
        continue;
      }
      if (s[j - 1] == 0 && j > 1)
        return dy_err_set(err, DY_EFORMAT, "model: %s bucket %u has a gap",
                          what, b);
      if (n == 0 || !(s[j] & 0x100) || 3 * n > nbytes - off)
        return dy_err_set(err, DY_EFORMAT, "model: bad %s slot %u/%u", what, b,
                          j);
      for (k = 0; k < n; k++)
        if (t->run[off + k] >= ncls)
          return dy_err_set(err, DY_EFORMAT, "model: bad %s class at %u", what,
                            off + k);
      off += 3 * n;
    }
  }
  if (off != nbytes)
    return dy_err_set(err, DY_EFORMAT, "model: %s weights unaccounted for",
                      what);
  if (!has_empty)
    return dy_err_set(err, DY_EFORMAT, "model: %s table full", what);
  return DY_OK;
trunc:
  return dy_err_set(err, DY_EFORMAT, "model: %s table truncated", what);
}

/* Reads and checks the lemma lexicon: slots a power of two with at least
 * one empty slot, the strings ending with a NUL, every entry's form and
 * lemma inside them. */
static int take_lem(cursor *c, dy__plem *l, dy_err *err)
{
  uint32_t nslots, nstr, i;
  int has_empty = 0;
  if (take_u32(c, &nslots) < 0 || take_u32(c, &nstr) < 0)
    goto trunc;
  if (nslots == 0 || (nslots & (nslots - 1)) || nslots > (1u << 28) ||
      nstr == 0 || nstr > (1u << 30))
    return dy_err_set(err, DY_EFORMAT, "model: bad lemma table header");
  l->mask = nslots - 1;
  l->nstr = nstr;
  l->slots = take(c, (size_t)nslots * 8);
  l->str = take(c, nstr);
  if (!l->slots || !l->str)
    goto trunc;
  if (l->str[nstr - 1] != '\0')
    return dy_err_set(err, DY_EFORMAT, "model: lemma strings not terminated");
  for (i = 0; i < nslots; i++) {
    uint32_t off = l->slots[2 * i + 1];
    if (l->slots[2 * i] == 0) {
      has_empty = 1;
      continue;
    }
    /* the form's NUL, then at least the lemma's NUL before the end */
    if (off >= nstr - 1 || memchr(l->str + off, '\0', nstr - 1 - off) == NULL)
      return dy_err_set(err, DY_EFORMAT, "model: lemma slot %u out of range",
                        i);
  }
  if (!has_empty)
    return dy_err_set(err, DY_EFORMAT, "model: lemma table full");
  return DY_OK;
trunc:
  return dy_err_set(err, DY_EFORMAT, "model: lemma table truncated");
}

long dy__plem_find(const dy__plem *l, const char *s, size_t n, int xpos)
{
  uint64_t h;
  uint32_t key, i, k;
  if (l->slots == NULL)
    return -1;
  h = dy__lemma_key(s, n, xpos);
  key = (uint32_t)(h >> 32) | 1u;
  i = (uint32_t)h & l->mask;
  for (k = 0; k <= l->mask; k++) {
    uint32_t sk = l->slots[2 * i];
    if (sk == 0)
      return -1;
    if (sk == key) {
      uint32_t off = l->slots[2 * i + 1];
      /* the entry's form is NUL-terminated inside str (checked at load) */
      if ((size_t)(l->nstr - off) > n && memcmp(l->str + off, s, n) == 0 &&
          l->str[off + n] == '\0')
        return (long)off;
    }
    i = (i + 1) & l->mask;
  }
  return -1;
}

size_t dy_parser_lemma(const dy_parser *p, const dy_lemmatizer *lm,
                       const char *s, size_t n, int xpos, int upos, char *buf,
                       size_t cap)
{
  long off = p ? dy__plem_find(&p->lem, s, n, xpos) : -1;
  const char *r = s;
  size_t rn = n;
  if (cap == 0)
    return 0;
  if (off >= 0) {
    const char *l = p->lem.str + off + n + 1;
    if (*l) {
      r = l;
      rn = strlen(l);
    }
  } else if (lm) {
    return dy_lemmatize(lm, s, n, xpos, upos, buf, cap);
  }
  if (rn > cap - 1)
    rn = cap - 1;
  memcpy(buf, r, rn);
  buf[rn] = '\0';
  return rn;
}

static int parse_blob(dy_parser *m, dy_err *err)
{
  const unsigned char *h = m->blob;
  uint32_t ver, hdr, bom;
  uint64_t len, sum;
  cursor c;
  uint32_t i;
  int rc;
  if (m->n < DY__HDR || memcmp(h, DY__MAGIC, 8) != 0)
    return dy_err_set(err, DY_EFORMAT, "not a dyad model file");
  memcpy(&ver, h + 8, 4);
  memcpy(&hdr, h + 12, 4);
  memcpy(&bom, h + 16, 4);
  memcpy(&len, h + 24, 8);
  memcpy(&sum, h + 32, 8);
  if (bom != 0x01020304u)
    return dy_err_set(err, DY_EFORMAT, "model: other byte order");
  for (i = 20; i < DY__HDR; i++)
    if ((i < 24 || i >= 40) && h[i] != 0)
      return dy_err_set(err, DY_EFORMAT, "model: bad header");
  if (ver != DY__VERSION)
    return dy_err_set(err, DY_EVERSION,
                      "model: format version %u, this build reads %u", ver,
                      DY__VERSION);
  if (hdr != DY__HDR || len != m->n - DY__HDR)
    return dy_err_set(err, DY_EFORMAT,
                      "model: truncated or padded (%zu bytes, header says "
                      "%llu)",
                      m->n, (unsigned long long)len + DY__HDR);
  if (dy__model_sum(h + DY__HDR, (size_t)len) != sum)
    return dy_err_set(err, DY_EFORMAT, "model: checksum mismatch");
  c.p = h + DY__HDR;
  c.n = (size_t)len;
  c.off = 0;
  if (take_u32(&c, &m->ntag) < 0 || m->ntag == 0 || m->ntag > DY__MAXCLS ||
      (m->tagpair = take(&c, (size_t)m->ntag * 2)) == NULL)
    return dy_err_set(err, DY_EFORMAT, "model: bad tag classes");
  for (i = 0; i < m->ntag; i++)
    if (m->tagpair[2 * i] >= DY_XPOS_N || m->tagpair[2 * i + 1] >= DY_UPOS_N)
      return dy_err_set(err, DY_EFORMAT, "model: bad tag class %u", i);
  if (take_u32(&c, &m->nlab) < 0 || m->nlab == 0 || m->nlab > 64 ||
      (m->labels = take(&c, m->nlab)) == NULL)
    return dy_err_set(err, DY_EFORMAT, "model: bad relation labels");
  for (i = 0; i < m->nlab; i++)
    if (m->labels[i] >= DY_DEP_N)
      return dy_err_set(err, DY_EFORMAT, "model: bad relation label %u", i);
  rc = take_tab(&c, &m->dict, m->ntag, "tag dictionary", err);
  if (rc == DY_OK)
    rc = take_tab(&c, &m->lex, m->ntag, "lexicon", err);
  if (rc == DY_OK)
    rc = take_tab(&c, &m->tag, m->ntag, "tagger", err);
  if (rc == DY_OK)
    rc = take_tab(&c, &m->tag2, m->ntag, "second tagger", err);
  if (rc == DY_OK)
    rc = take_tab(&c, &m->par, 2 + 2 * m->nlab, "parser", err);
  if (rc == DY_OK)
    rc = take_lem(&c, &m->lem, err);
  if (rc == DY_OK && c.off != c.n)
    rc = dy_err_set(err, DY_EFORMAT, "model: trailing bytes");
  return rc;
}

int dy_parser_load_mem(const void *p, size_t n, dy_parser **out, dy_err *err)
{
  dy_parser *m;
  int rc;
  *out = NULL;
  dy_err_clear(err);
  m = dy_calloc(1, sizeof *m);
  if (m == NULL || (m->blob = dy_malloc(n ? n : 1)) == NULL) {
    dy_free(m);
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  if (n)
    memcpy(m->blob, p, n);
  m->n = n;
  rc = parse_blob(m, err);
  if (rc < 0) {
    dy_parser_free(m);
    return rc;
  }
  *out = m;
  return DY_OK;
}

/* The file is mapped read-only (no copy; pages come from the page cache)
 * or, where mmap fails, read. A model file replaced while mapped stays
 * valid: dy_parser_save renames a new file over the old one. */
int dy_parser_load(const char *path, dy_parser **out, dy_err *err)
{
  dy_parser *m;
  struct stat st;
  int fd, rc;
  size_t got = 0;
  *out = NULL;
  dy_err_clear(err);
  fd = open(path, O_RDONLY);
  if (fd < 0) {
    int e = errno;
    return dy_err_set(err, dy_err_from_errno(e), "%s: %s", path, strerror(e));
  }
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
      st.st_size > ((off_t)1 << 31)) {
    close(fd);
    return dy_err_set(err, DY_EFORMAT, "%s: not a regular file of a sane size",
                      path);
  }
  m = dy_calloc(1, sizeof *m);
  if (m == NULL) {
    close(fd);
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  if (st.st_size >= DY__HDR) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ,
                   MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      m->blob = p;
      m->n = (size_t)st.st_size;
      m->mapped = 1;
    }
  }
  if (!m->mapped) {
    m->blob = dy_malloc((size_t)st.st_size + 1);
    if (m->blob == NULL) {
      close(fd);
      dy_free(m);
      return dy_err_set(err, DY_ENOMEM, "out of memory");
    }
    while (got < (size_t)st.st_size) {
      ssize_t r = read(fd, m->blob + got, (size_t)st.st_size - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got += (size_t)r;
    }
    m->n = got;
  }
  close(fd);
  rc = parse_blob(m, err);
  if (rc < 0) {
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    dy_err_set(err, rc, "%s: %s", path, msg);
    dy_parser_free(m);
    return rc;
  }
  *out = m;
  return DY_OK;
}

void dy_parser_free(dy_parser *p)
{
  if (p == NULL)
    return;
  if (p->mapped) /* the tables point into the blob */
    munmap(p->blob, p->n);
  else
    dy_free(p->blob);
  dy_free(p);
}

size_t dy_parser_size(const dy_parser *p)
{
  return p->n;
}

int dy_parser_save(const dy_parser *p, const char *path, dy_err *err)
{
  char tmp[4096];
  FILE *f;
  int ok;
  dy_err_clear(err);
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
    return dy_err_set(err, DY_EINVAL, "path too long");
  f = fopen(tmp, "wb");
  if (f == NULL) {
    int e = errno;
    return dy_err_set(err, dy_err_from_errno(e), "%s: %s", tmp, strerror(e));
  }
  ok = fwrite(p->blob, 1, p->n, f) == p->n;
  ok &= fclose(f) == 0;
  if (!ok || rename(tmp, path) != 0) {
    int e = errno;
    remove(tmp);
    return dy_err_set(err, DY_EIO, "%s: %s", path, strerror(e));
  }
  return DY_OK;
}

/* ==== analysis ========================================================== */

struct dy_parse_ws {
  dy__wtok w[DY__MAXN];   /* word hashes */
  int cls[DY__MAXN];      /* tag classes */
  int cls1[DY__MAXN];     /* first-pass tag classes */
  float sc[256];          /* class scores */
  uint64_t f[DY__PAR_NF]; /* features */
  dy__pstate st;          /* parser state */
};

int dy_parse_ws_new(dy_parse_ws **out)
{
  *out = dy_calloc(1, sizeof **out);
  return *out ? DY_OK : DY_ENOMEM;
}

void dy_parse_ws_free(dy_parse_ws *ws)
{
  dy_free(ws);
}

void dy_parser_tag(const dy_parser *p, dy_parse_ws *ws, dy_pword *t, size_t n)
{
  dy__tagger tg;
  size_t off, i;
  tg.score = dy__ptab_score;
  tg.tab = &p->tag;
  tg.dict = &p->dict;
  tg.ntag = p->ntag;
  tg.tagpair = p->tagpair;
  for (off = 0; off < n; off += DY__MAXN) {
    size_t m = n - off < DY__MAXN ? n - off : DY__MAXN;
    for (i = 0; i < m; i++) {
      dy__wtok_fill(&ws->w[i], t[off + i].form, t[off + i].len, off + i == 0);
      dy__wtok_amb(&p->lex, &ws->w[i]);
    }
    dy__tag_run(&tg, ws->w, m, NULL, ws->cls1, ws->sc);
    tg.tab = &p->tag2;
    dy__tag_run(&tg, ws->w, m, ws->cls1, ws->cls, ws->sc);
    tg.tab = &p->tag;
    for (i = 0; i < m; i++) {
      t[off + i].xpos = p->tagpair[2 * ws->cls[i]];
      t[off + i].upos = p->tagpair[2 * ws->cls[i] + 1];
    }
  }
}

/* Parses t[0..m) (m <= DY__MAXN); heads relative to t. Returns the root. */
static int parse_piece(const dy_parser *p, dy_parse_ws *ws, dy_pword *t, int m)
{
  dy__pstate *s = &ws->st;
  int i, ncls = 2 + 2 * (int)p->nlab, root = 0;
  dy__pstate_init(s, m);
  for (i = 0; i < m; i++) {
    char low[64];
    size_t k, len = t[i].len < sizeof low ? t[i].len : sizeof low;
    for (k = 0; k < len; k++)
      low[k] = dy_tolower(t[i].form[k]);
    s->w[i + 1] = dy_hash64(low, len);
    s->amb[i + 1] = dy__amb_of(&p->lex, s->w[i + 1]);
    s->sfx[i + 1] = dy_hash64(low + (len > 3 ? len - 3 : 0), len > 3 ? 3 : len);
    s->p[i + 1] = t[i].xpos * 32 + t[i].upos;
  }
  while (s->b <= s->n) {
    int nf = dy__par_feats(s, ws->f), c, best = -1;
    memset(ws->sc, 0, (size_t)ncls * sizeof *ws->sc);
    dy__ptab_score(&p->par, ws->f, nf, ws->sc);
    for (c = 0; c < ncls; c++)
      if (dy__pvalid(s, c) && (best < 0 || ws->sc[c] > ws->sc[best]))
        best = c;
    dy__papply(s, best); /* SHIFT is valid while the buffer is not empty */
  }
  dy__pfinish(s);
  for (i = 1; i <= m; i++) {
    dy_pword *o = &t[i - 1];
    if (s->head[i] == 0) {
      o->head = -1;
      o->dep = DY_DEP_ROOT;
      root = i - 1;
    } else {
      o->head = s->head[i] - 1;
      o->dep = s->lab[i] < 0 ? DY_DEP_DEP : p->labels[s->lab[i]];
    }
  }
  return root;
}

void dy_parser_parse(const dy_parser *p, dy_parse_ws *ws, dy_pword *t, size_t n)
{
  size_t off;
  int first_root = -1;
  for (off = 0; off < n; off += DY__MAXN) {
    size_t m = n - off < DY__MAXN ? n - off : DY__MAXN, i;
    int r = parse_piece(p, ws, t + off, (int)m);
    for (i = 0; i < m; i++)
      if (t[off + i].head >= 0)
        t[off + i].head += (int32_t)off;
    if (first_root < 0) {
      first_root = (int)off + r;
    } else { /* later pieces hang off the first piece's root */
      t[off + (size_t)r].head = first_root;
      t[off + (size_t)r].dep = DY_DEP_DEP;
    }
  }
}

/* ==== evaluation ======================================================== */

/* CPU seconds of this thread: other load on the machine barely moves it. */
static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int dy_parser_eval(const dy_parser *p, const dy_lemmatizer *lm,
                   dy_conllu_doc *gold, dy_parse_score *sc)
{
  dy_parse_ws *ws;
  dy_pword *t = NULL;
  char **lem = NULL;
  size_t cap = 0, i, k;
  double t0;
  int rc = DY_OK;
  memset(sc, 0, sizeof *sc);
  if (dy_parse_ws_new(&ws) < 0)
    return DY_ENOMEM;
  for (i = 0; i < dy_conllu_nsents(gold); i++) {
    const dy_conllu_sent *s = dy_conllu_sent_at(gold, i);
    if (s->ntok > cap) {
      size_t nc = s->ntok * 2;
      dy_pword *nt = dy_realloc(t, nc * sizeof *t);
      char **nl;
      if (nt == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      t = nt;
      nl = dy_realloc(lem, nc * sizeof *lem);
      if (nl == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      lem = nl;
      for (k = cap; k < nc; k++)
        lem[k] = NULL;
      for (k = cap; k < nc; k++)
        if ((lem[k] = dy_malloc(128)) == NULL)
          break;
      if (k < nc) {
        cap = k;
        rc = DY_ENOMEM;
        break;
      }
      cap = nc;
    }
    for (k = 0; k < s->ntok; k++) {
      t[k].form = s->toks[k].form;
      t[k].len = strlen(s->toks[k].form);
    }
    t0 = now_s();
    dy_parser_tag(p, ws, t, s->ntok);
    dy_parser_parse(p, ws, t, s->ntok);
    if (lm)
      for (k = 0; k < s->ntok; k++)
        dy_parser_lemma(p, lm, t[k].form, t[k].len, t[k].xpos, t[k].upos,
                        lem[k], 128);
    sc->seconds += now_s() - t0;
    for (k = 0; k < s->ntok; k++) {
      const dy_conllu_tok *g = &s->toks[k];
      int ph = t[k].head + 1;
      sc->words++;
      sc->upos += t[k].upos == g->upos;
      sc->xpos += t[k].xpos == g->xpos;
      if (lm)
        sc->lemma += strcmp(lem[k], g->lemma) == 0;
      if (ph == g->head) {
        sc->uas++;
        sc->las += dy_dep_base(t[k].dep) == dy_dep_base(g->dep);
      }
    }
  }
  for (k = 0; k < cap; k++)
    dy_free(lem[k]);
  dy_free(lem);
  dy_free(t);
  dy_parse_ws_free(ws);
  return rc;
}
