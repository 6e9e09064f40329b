/* SPDX-License-Identifier: MIT */
/* dy_ask_parse: plain questions to event queries (dyad/ask.h). Reuses the
 * engine's tokenizer, normalisation and name tables, so a name the coder
 * knows is a name the question box knows. */
#include "dyad/ask.h"
#include "engine_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct qtok {
  const char *p;    /* text */
  size_t n;         /* bytes */
  const char *norm; /* normalised (arena) */
  uint32_t flags;   /* DY_TOK_* */
  int used;         /* consumed by a date or an actor */
} qtok;

static void note(dy_ask *a, const char *fmt, ...) DY_PRINTF(2, 3);
static void note(dy_ask *a, const char *fmt, ...)
{
  va_list ap;
  if (a->nnotes >= DY_ASK_MAX_NOTES)
    return;
  va_start(ap, fmt);
  vsnprintf(a->notes[a->nnotes++], sizeof a->notes[0], fmt, ap);
  va_end(ap);
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

static int days_in_month(int y, int m)
{
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static int year_of(const qtok *t)
{
  int y = 0;
  size_t i;
  if (t->n != 4 || !(t->flags & DY_TOK_NUM))
    return 0;
  for (i = 0; i < 4; i++) {
    if (!dy_isdigit(t->p[i]))
      return 0;
    y = y * 10 + (t->p[i] - '0');
  }
  return y >= 1900 && y <= 2100 ? y : 0;
}

static int day_of(const qtok *t)
{
  int d = 0;
  size_t i, k = 0;
  for (i = 0; i < t->n && dy_isdigit(t->p[i]); i++, k++)
    d = d * 10 + (t->p[i] - '0');
  if (k == 0 || k > 2)
    return 0;
  if (i < t->n &&
      !(t->n - i == 2 &&
        (strcmp(t->norm + i, "st") == 0 || strcmp(t->norm + i, "nd") == 0 ||
         strcmp(t->norm + i, "rd") == 0 || strcmp(t->norm + i, "th") == 0)))
    return 0;
  return d >= 1 && d <= 31 ? d : 0;
}

typedef struct range {
  char a[11], b[11];
} range;

/* Dates in the question, in order: "June 2024", "2024", "19 June 2024",
 * "June 19, 2024", "2024-06-19". */
static int find_dates(qtok *t, size_t nt, const char *end, range *r, int maxr)
{
  size_t i, k;
  int nr = 0;
  for (i = 0; i < nt && nr < maxr; i++) {
    int m, y, d = 0;
    if (t[i].used)
      continue;
    /* an ISO date is several tokens (2024 - 06 - 19): look at the bytes */
    if (end - t[i].p >= 10 && dy_date_parse((dy_str){t[i].p, 10}) >= 0 &&
        (end - t[i].p == 10 || !dy_isdigit(t[i].p[10]))) {
      copy(r[nr].a, 11, t[i].p, 10);
      copy(r[nr].b, 11, t[i].p, 10);
      for (k = i; k < nt && t[k].p < t[i].p + 10; k++)
        t[k].used = 1;
      i = k - 1;
      nr++;
      continue;
    }
    m = dy_month_from_name((dy_str){t[i].p, t[i].n});
    if (m && t[i].n >= 3 &&
        !(t[i].n == 3 && strcmp(t[i].norm, "may") == 0 &&
          !(t[i].flags & DY_TOK_CAP))) {
      size_t j = i + 1;
      if (j < nt && day_of(&t[j])) {
        d = day_of(&t[j]);
        j++;
        if (j < nt && t[j].n == 1 && t[j].p[0] == ',')
          j++;
      }
      if (j < nt && (y = year_of(&t[j])) != 0) {
        if (i > 0 && !d && day_of(&t[i - 1]) && !t[i - 1].used) {
          d = day_of(&t[i - 1]);
          t[i - 1].used = 1;
        }
        if (d > days_in_month(y, m))
          d = days_in_month(y, m);
        snprintf(r[nr].a, 11, "%04d-%02d-%02d", y, m, d ? d : 1);
        snprintf(r[nr].b, 11, "%04d-%02d-%02d", y, m,
                 d ? d : days_in_month(y, m));
        for (; i <= j; i++)
          t[i].used = 1;
        i = j;
        nr++;
      }
      continue;
    }
    if ((y = year_of(&t[i])) != 0) {
      snprintf(r[nr].a, 11, "%04d-01-01", y);
      snprintf(r[nr].b, 11, "%04d-12-31", y);
      t[i].used = 1;
      nr++;
    }
  }
  return nr;
}

/* Longest dictionary name at token i, NULL when none. */
static const lx_name *name_at(const dy_engine *e, const qtok *t, size_t nt,
                              size_t i, int lower_q)
{
  const lx_name *nm;
  if (!(t[i].flags & DY_TOK_WORD) || t[i].used)
    return NULL;
  nm = dy__map_get(&e->names, t[i].norm, strlen(t[i].norm));
  for (; nm; nm = nm->next) {
    int k, ok = 1;
    if (i + (size_t)nm->ntok > nt)
      continue;
    for (k = 0; k < nm->ntok && ok; k++) {
      const qtok *x = &t[i + (size_t)k];
      if (x->used || strcmp(x->norm, nm->toks[k]) != 0 ||
          (nm->exact && (x->flags & DY_TOK_WORD) && !(x->flags & DY_TOK_UPPER)))
        ok = 0;
    }
    if (ok && nm->cap && !lower_q && !(t[i].flags & DY_TOK_CAP))
      ok = 0;
    if (ok)
      return nm;
  }
  return NULL;
}

/* The person's role code at day (day < 0: the latest role). */
static const lx_role *role_at(const lx_person *p, long day)
{
  const lx_role *best = NULL;
  int i;
  for (i = 0; i < p->nroles; i++) {
    if (day >= 0 && day >= p->roles[i].from && day <= p->roles[i].to)
      return &p->roles[i];
    if (best == NULL || p->roles[i].to > best->to)
      best = &p->roles[i];
  }
  return best;
}

typedef struct actor_hit {
  char code[24];
  char name[80];
  size_t tok; /* first token */
} actor_hit;

static int find_actors(const dy_engine *e, qtok *t, size_t nt, long day,
                       int lower_q, actor_hit *h, int maxh)
{
  size_t i;
  int nh = 0;
  for (i = 0; i < nt && nh < maxh; i++) {
    const lx_name *nm = name_at(e, t, nt, i, lower_q);
    size_t k;
    if (nm == NULL)
      continue;
    if (nm->kind == LX_AGENT) {
      /* "Russian military": an agent right after a country gives its role */
      if (nh > 0 && h[nh - 1].tok + 4 >= i && strlen(h[nh - 1].code) == 3) {
        size_t have = strlen(h[nh - 1].code);
        const char *role = e->agents[nm->idx].code;
        copy(h[nh - 1].code + have, sizeof h[0].code - have, role,
             strlen(role));
        for (k = 0; k < (size_t)nm->ntok; k++)
          t[i + k].used = 1;
      }
      continue;
    }
    memset(&h[nh], 0, sizeof h[nh]);
    h[nh].tok = i;
    if (nm->kind == LX_PERSON) {
      const lx_person *p = &e->people[nm->idx];
      const lx_role *r = role_at(p, day);
      if (r == NULL)
        continue;
      copy(h[nh].code, sizeof h[nh].code, r->code, strlen(r->code));
      copy(h[nh].name, sizeof h[nh].name, p->name, strlen(p->name));
    } else {
      const lx_actor *x = &e->actors[nm->idx];
      copy(h[nh].code, sizeof h[nh].code, x->code, strlen(x->code));
      copy(h[nh].name, sizeof h[nh].name, x->name, strlen(x->name));
    }
    for (k = 0; k < (size_t)nm->ntok; k++)
      t[i + k].used = 1;
    i += (size_t)nm->ntok - 1;
    nh++;
  }
  return nh;
}

/* Words that are verbs in the dictionary but carry no event in a question. */
static const char *const aux[] = {
    "do",   "did",  "does",   "done",     "doing", "be",   "is",    "are",
    "was",  "were", "been",   "have",     "has",   "had",  "get",   "got",
    "go",   "went", "happen", "happened", "make",  "made", "take",  "took",
    "show", "list", "find",   "tell",     "give",  "see",  "say",   "said",
    "let",  "want", "know",   "can",      "could", "will", "would", NULL};

static int is_aux(const char *w)
{
  int i;
  for (i = 0; aux[i]; i++)
    if (strcmp(aux[i], w) == 0)
      return 1;
  return 0;
}

/* The root a verb word stands for: the root of its bare pattern ("VERB" or
 * "VERB $") when it has one, else the root most of its patterns give. */
static int verb_root(const dy_engine *e, const char *w, char root[3])
{
  const lx_form *f = dy__map_get(&e->forms, w, strlen(w));
  int counts[21], best = -1, i;
  for (; f; f = f->next) {
    const lx_pattern *p;
    memset(counts, 0, sizeof counts);
    for (p = e->verbs[f->verb].patterns; p; p = p->next) {
      int r = (p->code[0] - '0') * 10 + (p->code[1] - '0');
      if (r < 1 || r > 20)
        continue;
      if (p->nel == 1 || (p->nel == 2 && p->has_target)) {
        memcpy(root, p->code, 2);
        root[2] = '\0';
        return 1;
      }
      counts[r]++;
    }
    for (i = 1; i <= 20; i++)
      if (counts[i] && (best < 0 || counts[i] > counts[best]))
        best = i;
    if (best > 0) {
      root[0] = (char)('0' + best / 10);
      root[1] = (char)('0' + best % 10);
      root[2] = '\0';
      return 1;
    }
  }
  return 0;
}

int dy_ask_parse(const dy_engine *e, const char *q, size_t n, dy_ask *out,
                 dy_err *err)
{
  dy_arena mem;
  dy__tok *tk;
  size_t ntk, i, nt = 0;
  qtok *t;
  range r[4];
  actor_hit h[4];
  /* lower_q: a question typed all in lower case still names countries, so
   * the capital-letter requirement is dropped (not the exact-case acronyms) */
  int nr, nh, rc, lower_q = 1;
  long day = -1;
  memset(out, 0, sizeof *out);
  if (n > DY_ASK_MAX_BYTES)
    return dy_err_set(err, DY_ETOOBIG, "question over %d bytes",
                      DY_ASK_MAX_BYTES);
  if (n == 0 || !dy_utf8_valid(q, n))
    return dy_err_set(err, DY_EINVAL,
                      n ? "question is not UTF-8" : "empty question");
  dy_arena_init(&mem, 1 << 20);
  rc = dy__tokenize(&mem, q, n, &tk, &ntk);
  t = rc == DY_OK ? dy_arena_zalloc(&mem, (ntk + 1) * sizeof *t) : NULL;
  if (t == NULL) {
    dy_arena_fini(&mem);
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  for (i = 0; i < ntk; i++) {
    t[nt].p = q + tk[i].off;
    t[nt].n = tk[i].len;
    t[nt].flags = tk[i].flags;
    t[nt].norm = dy__norm(&mem, t[nt].p, t[nt].n);
    if (t[nt].norm == NULL) {
      dy_arena_fini(&mem);
      return dy_err_set(err, DY_ENOMEM, "out of memory");
    }
    if (t[nt].flags & DY_TOK_CAP)
      lower_q = 0;
    nt++;
  }
  nr = find_dates(t, nt, q + n, r, 4);
  if (nr > 0) {
    memcpy(out->from, r[0].a, 11);
    memcpy(out->to, r[nr - 1].b, 11);
    if (strcmp(out->from, out->to) > 0) { /* dates given latest first */
      memcpy(out->from, r[nr - 1].a, 11);
      memcpy(out->to, r[0].b, 11);
    }
    note(out, "dates %s to %s", out->from, out->to);
    day = dy_date_parse(dy_str_c(out->from));
  }
  nh = find_actors(e, t, nt, day, lower_q, h, 4);
  if (nh >= 1) {
    memcpy(out->source, h[0].code, sizeof out->source);
    memcpy(out->source_name, h[0].name, sizeof out->source_name);
    note(out, "source %s (%s)", out->source, out->source_name);
  }
  if (nh >= 2) {
    memcpy(out->target, h[1].code, sizeof out->target);
    memcpy(out->target_name, h[1].name, sizeof out->target_name);
    note(out, "target %s (%s)", out->target, out->target_name);
    for (i = 0; i < h[0].tok; i++)
      if (strcmp(t[i].norm, "between") == 0)
        out->symmetric = 1;
    if (out->symmetric)
      note(out, "either direction (between)");
  }
  for (i = 0; i < nt; i++) {
    if (t[i].used || !(t[i].flags & DY_TOK_WORD) || is_aux(t[i].norm))
      continue;
    if (verb_root(e, t[i].norm, out->root)) {
      copy(out->verb, sizeof out->verb, t[i].p, t[i].n);
      note(out, "verb '%s' -> CAMEO root %s", out->verb, out->root);
      break;
    }
  }
  dy_arena_fini(&mem);
  return DY_OK;
}
