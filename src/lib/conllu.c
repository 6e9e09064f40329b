/* SPDX-License-Identifier: MIT */
/* CoNLL-U reader: sentences of words with their tags, heads and relations,
 * comments and multiword-token lines kept for output, empty nodes dropped.
 * Every line is untrusted: a malformed one is reported and skipped. */
#include "dyad/parse.h"

#include <stdio.h>
#include <string.h>

struct dy_conllu_doc {
  dy_arena mem;          /* strings and per-sentence arrays */
  dy_conllu_sent *sents; /* sentences (owned) */
  size_t nsents, cap;    /* used, allocated */
  size_t nbad;           /* malformed lines */
  size_t nwords;         /* words in all sentences */
};

/* Sentence under construction (growable, reused). */
typedef struct pending {
  dy_conllu_tok *toks;
  size_t ntok, captok;
  const char **com;
  size_t ncom, capcom;
  dy_conllu_mwt *mwt;
  size_t nmwt, capmwt;
  int broken;   /* a word line was skipped: IDs may not be 1..n */
  size_t line;  /* first word line */
  size_t first; /* first line of any kind */
} pending;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
  size_t nc;
  void *q;
  if (need <= *cap)
    return DY_OK;
  nc = *cap ? *cap * 2 : 16;
  while (nc < need)
    nc *= 2;
  q = dy_realloc(*p, nc * size);
  if (q == NULL)
    return DY_ENOMEM;
  *p = q;
  *cap = nc;
  return DY_OK;
}

/* Splits a line into at most 10 tab-separated fields; returns the count. */
static int split_tabs(const char *s, size_t n, dy_str *f)
{
  int k = 0;
  size_t start = 0, i;
  for (i = 0; i <= n; i++) {
    if (i == n || s[i] == '\t') {
      if (k == 10)
        return 11;
      f[k].p = s + start;
      f[k].n = i - start;
      k++;
      start = i + 1;
    }
  }
  return k;
}

/* Parses a decimal integer 0..10^7 filling all of s; -1 otherwise. */
static long parse_id(dy_str s)
{
  long v = 0;
  size_t i;
  if (s.n == 0 || s.n > 7)
    return -1;
  for (i = 0; i < s.n; i++) {
    if (!dy_isdigit(s.p[i]))
      return -1;
    v = v * 10 + (s.p[i] - '0');
  }
  return v;
}

/* Heads 0..n, at least one root, no cycles. */
static int tree_ok(const dy_conllu_tok *t, size_t n)
{
  size_t i, roots = 0;
  for (i = 0; i < n; i++) {
    if (t[i].head < 0 || (size_t)t[i].head > n)
      return 0;
    if (t[i].head == 0)
      roots++;
  }
  if (roots == 0)
    return 0;
  for (i = 0; i < n; i++) {
    size_t steps = 0;
    long h = (long)i + 1;
    while (h != 0) {
      if (++steps > n)
        return 0;
      h = t[h - 1].head;
    }
  }
  return 1;
}

static int flush(dy_conllu_doc *d, pending *s, size_t max_tok,
                 dy_conllu_bad_fn bad, void *ud)
{
  dy_conllu_sent *o;
  size_t i;
  if (s->ntok == 0) {
    /* comments with no words: dropped (a trailing comment block) */
    s->ncom = s->nmwt = 0;
    s->broken = 0;
    return DY_OK;
  }
  if (s->ntok > max_tok) {
    char why[96];
    snprintf(why, sizeof why,
             "sentence of %zu words over the cap of %zu: "
             "dropped",
             s->ntok, max_tok);
    d->nbad++;
    if (bad)
      bad(s->line, why, ud);
    s->ntok = s->ncom = s->nmwt = 0;
    s->broken = 0;
    return DY_OK;
  }
  if (grow((void **)&d->sents, &d->cap, d->nsents + 1, sizeof *d->sents) < 0)
    return DY_ENOMEM;
  o = &d->sents[d->nsents];
  memset(o, 0, sizeof *o);
  o->toks = dy_arena_alloc(&d->mem, s->ntok * sizeof *o->toks);
  if (s->ncom)
    o->comments = dy_arena_alloc(&d->mem, s->ncom * sizeof *o->comments);
  if (s->nmwt)
    o->mwts = dy_arena_alloc(&d->mem, s->nmwt * sizeof *o->mwts);
  if (d->mem.failed)
    return DY_ENOMEM;
  memcpy(o->toks, s->toks, s->ntok * sizeof *o->toks);
  o->ntok = s->ntok;
  for (i = 0; i < s->ncom; i++)
    o->comments[i] = s->com[i];
  o->ncomments = s->ncom;
  for (i = 0; i < s->nmwt; i++)
    o->mwts[i] = s->mwt[i];
  o->nmwts = s->nmwt;
  o->line = s->line;
  o->tree_ok = !s->broken && tree_ok(o->toks, o->ntok);
  d->nsents++;
  d->nwords += s->ntok;
  s->ntok = s->ncom = s->nmwt = 0;
  s->broken = 0;
  return DY_OK;
}

static const char *field_str(dy_arena *a, dy_str f)
{
  return dy_arena_strndup(a, f.p, f.n);
}

/* One word line (ID is an integer). Returns DY_OK, DY_ENOMEM, or
 * DY_EFORMAT with *why set. */
static int word_line(dy_conllu_doc *d, pending *s, const dy_str *f, long id,
                     const char **why)
{
  dy_conllu_tok *t;
  long head;
  if (id != (long)s->ntok + 1) {
    *why = "word ID out of sequence";
    return DY_EFORMAT;
  }
  if (f[1].n == 0) {
    *why = "empty FORM";
    return DY_EFORMAT;
  }
  if (grow((void **)&s->toks, &s->captok, s->ntok + 1, sizeof *s->toks) < 0)
    return DY_ENOMEM;
  t = &s->toks[s->ntok];
  memset(t, 0, sizeof *t);
  t->form = field_str(&d->mem, f[1]);
  t->lemma = field_str(&d->mem, f[2]);
  if (d->mem.failed)
    return DY_ENOMEM;
  t->upos = (uint8_t)dy_upos_parse(f[3].p, f[3].n);
  t->xpos = (uint8_t)dy_xpos_parse(f[4].p, f[4].n);
  t->dep = (uint8_t)dy_dep_parse(f[7].p, f[7].n);
  head = f[6].n == 1 && f[6].p[0] == '_' ? -1 : parse_id(f[6]);
  t->head = (int32_t)head;
  if (s->ntok == 0)
    s->line = 0; /* set by caller */
  s->ntok++;
  return DY_OK;
}

/* A bad line of the sentence being read: counted, reported, and the
 * sentence is no longer a well-formed tree. */
static void bad_line(dy_conllu_doc *d, pending *s, size_t lineno,
                     const char *why, dy_conllu_bad_fn bad, void *ud)
{
  d->nbad++;
  s->broken = 1;
  if (bad)
    bad(lineno, why, ud);
}

int dy_conllu_read(const char *p, size_t n, size_t max_tok,
                   dy_conllu_bad_fn bad, void *ud, dy_conllu_doc **out)
{
  dy_conllu_doc *d;
  pending s;
  size_t off = 0, lineno = 0;
  int rc = DY_OK;
  *out = NULL;
  if (max_tok == 0)
    max_tok = 100000;
  d = dy_calloc(1, sizeof *d);
  if (d == NULL)
    return DY_ENOMEM;
  dy_arena_init(&d->mem, 0);
  d->mem.chunk = 1 << 20;
  memset(&s, 0, sizeof s);
  while (off < n || s.ntok || s.ncom) {
    const char *l = p + off;
    size_t len;
    const char *nl;
    dy_str f[11];
    int nf;
    const char *why = NULL;
    if (off >= n) { /* end of input: flush the last sentence */
      rc = flush(d, &s, max_tok, bad, ud);
      break;
    }
    nl = memchr(l, '\n', n - off);
    len = nl ? (size_t)(nl - l) : n - off;
    off += len + (nl != NULL);
    lineno++;
    if (len && l[len - 1] == '\r')
      len--;
    if (len == 0 || (len == 1 && l[0] == ' ')) {
      rc = flush(d, &s, max_tok, bad, ud);
      if (rc < 0)
        break;
      continue;
    }
    if (memchr(l, '\0', len) != NULL) { /* fields are C strings */
      bad_line(d, &s, lineno, "NUL byte in the line", bad, ud);
      continue;
    }
    if (l[0] == '#') {
      if (s.ntok) { /* a comment after words starts a new sentence */
        rc = flush(d, &s, max_tok, bad, ud);
        if (rc < 0)
          break;
      }
      if (grow((void **)&s.com, &s.capcom, s.ncom + 1, sizeof *s.com) < 0) {
        rc = DY_ENOMEM;
        break;
      }
      s.com[s.ncom] = dy_arena_strndup(&d->mem, l, len);
      if (s.com[s.ncom] == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      s.ncom++;
      continue;
    }
    nf = split_tabs(l, len, f);
    if (nf != 10) {
      why = nf > 10 ? "more than 10 fields" : "fewer than 10 fields";
    } else {
      const char *dash = memchr(f[0].p, '-', f[0].n);
      const char *dot = memchr(f[0].p, '.', f[0].n);
      if (dot) {
        dy_str a = {f[0].p, (size_t)(dot - f[0].p)};
        dy_str b = {dot + 1, f[0].n - a.n - 1};
        if (parse_id(a) < 0 || parse_id(b) < 1)
          why = "bad empty-node ID";
        /* empty nodes (enhanced graphs only) are dropped */
      } else if (dash) {
        dy_str a = {f[0].p, (size_t)(dash - f[0].p)};
        dy_str b = {dash + 1, f[0].n - a.n - 1};
        long x = parse_id(a), y = parse_id(b);
        if (x < 1 || y < x || x != (long)s.ntok + 1) {
          why = "bad multiword-token range";
        } else if (grow((void **)&s.mwt, &s.capmwt, s.nmwt + 1, sizeof *s.mwt) <
                   0) {
          rc = DY_ENOMEM;
          break;
        } else {
          s.mwt[s.nmwt].first = (uint32_t)x;
          s.mwt[s.nmwt].last = (uint32_t)y;
          s.mwt[s.nmwt].line = dy_arena_strndup(&d->mem, l, len);
          if (s.mwt[s.nmwt].line == NULL) {
            rc = DY_ENOMEM;
            break;
          }
          s.nmwt++;
        }
      } else {
        long id = parse_id(f[0]);
        size_t before = s.ntok;
        if (id < 1) {
          why = "bad word ID";
        } else {
          rc = word_line(d, &s, f, id, &why);
          if (rc == DY_ENOMEM)
            break;
          rc = DY_OK;
          if (before == 0 && s.ntok == 1)
            s.line = lineno;
        }
      }
    }
    if (why)
      bad_line(d, &s, lineno, why, bad, ud);
  }
  dy_free(s.toks);
  dy_free(s.com);
  dy_free(s.mwt);
  if (rc < 0) {
    dy_conllu_free(d);
    return rc;
  }
  *out = d;
  return DY_OK;
}

void dy_conllu_free(dy_conllu_doc *d)
{
  if (d == NULL)
    return;
  dy_arena_fini(&d->mem);
  dy_free(d->sents);
  dy_free(d);
}

size_t dy_conllu_nsents(const dy_conllu_doc *d)
{
  return d->nsents;
}

dy_conllu_sent *dy_conllu_sent_at(dy_conllu_doc *d, size_t i)
{
  return i < d->nsents ? &d->sents[i] : NULL;
}

size_t dy_conllu_nbad(const dy_conllu_doc *d)
{
  return d->nbad;
}

size_t dy_conllu_nwords(const dy_conllu_doc *d)
{
  return d->nwords;
}
