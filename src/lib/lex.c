/* SPDX-License-Identifier: MIT */
/* Dictionaries: the project's block format (docs/DICTIONARIES.md) for
 * actors, people, agents and verb patterns, plus the CAMEO code table.
 * Every line is untrusted: bad ones are reported as FILE:LINE and skipped. */
#include "lex_int.h"

#include "dyad/read.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string map -------------------------------------------------------- */

static size_t map_slot(const dy__map *m, const char *key, size_t n)
{
  size_t mask = m->cap - 1, i = (size_t)dy_hash64(key, n) & mask;
  while (m->keys[i] &&
         !(strncmp(m->keys[i], key, n) == 0 && m->keys[i][n] == '\0'))
    i = (i + 1) & mask;
  return i;
}

int dy__map_put(dy__map *m, const char *key, void *val)
{
  size_t i, n = strlen(key);
  if (m->n * 2 >= m->cap) {
    dy__map old = *m;
    size_t k;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = dy_calloc(m->cap, sizeof *m->keys);
    m->vals = dy_calloc(m->cap, sizeof *m->vals);
    if (m->keys == NULL || m->vals == NULL) {
      dy_free(m->keys);
      dy_free(m->vals);
      *m = old;
      return DY_ENOMEM;
    }
    m->n = 0;
    for (k = 0; k < old.cap; k++) {
      if (old.keys[k]) {
        size_t j = map_slot(m, old.keys[k], strlen(old.keys[k]));
        m->keys[j] = old.keys[k];
        m->vals[j] = old.vals[k];
        m->n++;
      }
    }
    dy_free(old.keys);
    dy_free(old.vals);
  }
  i = map_slot(m, key, n);
  if (m->keys[i] == NULL) {
    m->keys[i] = key;
    m->n++;
  }
  m->vals[i] = val;
  return DY_OK;
}

void *dy__map_get(const dy__map *m, const char *key, size_t n)
{
  size_t i;
  if (m->cap == 0)
    return NULL;
  i = map_slot(m, key, n);
  return m->keys[i] ? m->vals[i] : NULL;
}

void dy__map_fini(dy__map *m)
{
  dy_free(m->keys);
  dy_free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---- normalisation ----------------------------------------------------- */

char *dy__norm(dy_arena *a, const char *s, size_t n)
{
  char *out = dy_arena_alloc(a, n + 1);
  size_t i, j = 0;
  if (out == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
      out[j++] = '\'';
      i += 2;
      continue;
    }
    out[j++] = dy_tolower((char)c);
  }
  out[j] = '\0';
  return out;
}

/* ---- loader state ------------------------------------------------------ */


enum { REC_NONE, REC_COUNTRY, REC_IGO, REC_GROUP, REC_PERSON, REC_AGENT,
       REC_VERB, REC_CODE, REC_DISCARD, REC_ISSUE, REC_SKIP };

void dy__lex_bad(loader *L, const char *fmt, const char *detail)
{
  L->bad++;
  DY_LOG(DY_LOG_WARN, "lex", "%s:%d: %s%s", L->path, L->line, fmt,
         detail ? detail : "");
  if (L->strict && L->err->code == DY_OK)
    dy_err_set(L->err, DY_EFORMAT, "%s:%d: %s%s", L->path, L->line, fmt,
               detail ? detail : "");
}

static char *astr(dy_engine *e, const char *p, size_t n)
{
  return dy_arena_strndup(&e->mem, p, n);
}

#define GROW(arr, n, cap)                                                      \
  do {                                                                         \
    if ((n) == (cap)) {                                                        \
      size_t nc_ = (cap) ? (cap) * 2 : 64;                                     \
      void *np_ = dy_realloc((arr), nc_ * sizeof *(arr));                      \
      if (np_ == NULL)                                                         \
        return DY_ENOMEM;                                                      \
      (arr) = np_;                                                             \
      (cap) = nc_;                                                             \
    }                                                                          \
  } while (0)

static int valid_code(const char *p, size_t n, size_t minn)
{
  size_t i;
  if (n < minn || n >= 24)
    return 0;
  for (i = 0; i < n; i++)
    if (!dy_isupper(p[i]) && !dy_isdigit(p[i]))
      return 0;
  return 1;
}

/* ---- names ------------------------------------------------------------- */

/* Inserts a name (tokenised like text) for object idx of the given kind. */
int dy__lex_name(loader *L, dy_str v, int kind, int idx, const char *what)
{
  dy_engine *e = L->e;
  dy_arena tmp;
  dy__tok *toks;
  size_t ntok, k, letters = 0, uppers = 0;
  lx_name *nm, *first, **pp;
  int rc;
  if (v.n == 0 || v.n > 200) {
    dy__lex_bad(L, "name empty or too long", NULL);
    return DY_OK;
  }
  if (dy_str_starts_c(v, "the ") || dy_str_starts_c(v, "The ")) {
    v.p += 4;
    v.n -= 4;
  }
  dy_arena_init(&tmp, 0);
  rc = dy__tokenize(&tmp, v.p, v.n, &toks, &ntok);
  if (rc < 0 || ntok == 0 || ntok > 16) {
    dy_arena_fini(&tmp);
    if (rc < 0)
      return rc;
    dy__lex_bad(L, "name has no or too many tokens: ", NULL);
    return DY_OK;
  }
  nm = dy_arena_zalloc(&e->mem, sizeof *nm);
  if (nm == NULL)
    goto nomem;
  nm->toks = dy_arena_alloc(&e->mem, ntok * sizeof *nm->toks);
  if (nm->toks == NULL)
    goto nomem;
  for (k = 0; k < ntok; k++) {
    nm->toks[k] = dy__norm(&e->mem, v.p + toks[k].off, toks[k].len);
    if (nm->toks[k] == NULL)
      goto nomem;
  }
  for (k = 0; k < v.n; k++) {
    if (dy_isalpha(v.p[k]))
      letters++;
    if (dy_isupper(v.p[k]))
      uppers++;
  }
  nm->ntok = (int)ntok;
  nm->kind = kind;
  nm->idx = idx;
  nm->exact = !L->petr && letters > 0 && letters <= 4 && uppers == letters;
  nm->cap = L->petr ? kind != LX_AGENT : dy_isupper(v.p[0]);
  nm->what = what;
  nm->file = L->file;
  nm->line = L->line;
  dy_arena_fini(&tmp);
  /* chain sorted by token count (longest first), then kind priority; among
     equals the first entry wins, except in PETRARCH dictionaries, where a
     later entry of the same name replaces the earlier one (its dictionary
     tree keeps the last: "PRESIDENT_BUSH" under GEORGE_W._BUSH_ overrides
     the same name under GEORGE_BUSH_ further up) */
  first = dy__map_get(&e->names, nm->toks[0], strlen(nm->toks[0]));
  pp = &first;
  while (*pp && ((*pp)->ntok > nm->ntok ||
                 ((*pp)->ntok == nm->ntok &&
                  (L->petr ? (*pp)->kind < nm->kind
                           : (*pp)->kind <= nm->kind))))
    pp = &(*pp)->next;
  nm->next = *pp;
  *pp = nm;
  return dy__map_put(&e->names, nm->toks[0], first);
nomem:
  dy_arena_fini(&tmp);
  return DY_ENOMEM;
}

/* Splits "a; b; c" and adds each as a name. */
static int add_names(loader *L, dy_str vals, int kind, int idx,
                     const char *what)
{
  while (vals.n) {
    const char *semi = memchr(vals.p, ';', vals.n);
    size_t len = semi ? (size_t)(semi - vals.p) : vals.n;
    dy_str v = dy_str_trim((dy_str){vals.p, len});
    int rc;
    if (v.n) {
      rc = dy__lex_name(L, v, kind, idx, what);
      if (rc < 0)
        return rc;
    }
    if (!semi)
      break;
    vals.p = semi + 1;
    vals.n -= len + 1;
  }
  return DY_OK;
}

const char *dy__lex_what(loader *L, const char *kind, const char *code,
                            const char *name)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s %s %s", kind, code, name);
  return astr(L->e, buf, strlen(buf));
}

/* ---- verbs ------------------------------------------------------------- */

static int is_vowel(char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* One syllable ending consonant-vowel-consonant (stop, ban, plan). */
static int cvc_short(const char *w, size_t n)
{
  size_t i, groups = 0;
  int inv = 0;
  if (n < 3 || is_vowel(w[n - 1]) || w[n - 1] == 'w' || w[n - 1] == 'x' ||
      w[n - 1] == 'y' || !is_vowel(w[n - 2]) || is_vowel(w[n - 3]))
    return 0;
  for (i = 0; i < n; i++) {
    int v = is_vowel(w[i]);
    if (v && !inv)
      groups++;
    inv = v;
  }
  return groups == 1;
}

int dy__lex_form(loader *L, const char *form, int verb, int base)
{
  dy_engine *e = L->e;
  lx_form *f, *head;
  char *key = astr(e, form, strlen(form));
  if (key == NULL)
    return DY_ENOMEM;
  head = dy__map_get(&e->forms, key, strlen(key));
  for (f = head; f; f = f->next)
    if (f->verb == verb)
      return DY_OK;
  f = dy_arena_zalloc(&e->mem, sizeof *f);
  if (f == NULL)
    return DY_ENOMEM;
  f->verb = verb;
  f->base = base;
  f->next = head;
  return dy__map_put(&e->forms, key, f);
}

static int add_regular_forms(loader *L, const char *w, int verb)
{
  char buf[128];
  size_t n = strlen(w);
  int rc;
  if (n + 4 >= sizeof buf)
    return DY_OK;
  /* third person */
  if ((n >= 1 && (w[n - 1] == 's' || w[n - 1] == 'x' || w[n - 1] == 'z' ||
                  w[n - 1] == 'o')) ||
      (n >= 2 && (w[n - 1] == 'h') && (w[n - 2] == 'c' || w[n - 2] == 's')))
    snprintf(buf, sizeof buf, "%ses", w);
  else if (n >= 2 && w[n - 1] == 'y' && !is_vowel(w[n - 2]))
    snprintf(buf, sizeof buf, "%.*sies", (int)(n - 1), w);
  else
    snprintf(buf, sizeof buf, "%ss", w);
  if ((rc = dy__lex_form(L, buf, verb, 0)) < 0)
    return rc;
  /* past */
  if (w[n - 1] == 'e')
    snprintf(buf, sizeof buf, "%sd", w);
  else if (n >= 2 && w[n - 1] == 'y' && !is_vowel(w[n - 2]))
    snprintf(buf, sizeof buf, "%.*sied", (int)(n - 1), w);
  else if (cvc_short(w, n))
    snprintf(buf, sizeof buf, "%s%ced", w, w[n - 1]);
  else
    snprintf(buf, sizeof buf, "%sed", w);
  if ((rc = dy__lex_form(L, buf, verb, 0)) < 0)
    return rc;
  /* -ing */
  if (n >= 2 && w[n - 2] == 'i' && w[n - 1] == 'e')
    snprintf(buf, sizeof buf, "%.*sying", (int)(n - 2), w);
  else if (w[n - 1] == 'e' && n >= 2 && w[n - 2] != 'e' && w[n - 2] != 'y' &&
           w[n - 2] != 'o')
    snprintf(buf, sizeof buf, "%.*sing", (int)(n - 1), w);
  else if (cvc_short(w, n))
    snprintf(buf, sizeof buf, "%s%cing", w, w[n - 1]);
  else
    snprintf(buf, sizeof buf, "%sing", w);
  return dy__lex_form(L, buf, verb, 0);
}

/* Finds or creates the verb with this lemma (lower case). */
int dy__lex_verb(loader *L, const char *lemma, size_t n, int *out)
{
  dy_engine *e = L->e;
  char low[128];
  size_t i;
  void *v;
  int rc;
  if (n == 0 || n >= sizeof low)
    return DY_EINVAL;
  for (i = 0; i < n; i++) {
    if (!dy_isalpha(lemma[i]) && lemma[i] != '-')
      return DY_EINVAL;
    low[i] = dy_tolower(lemma[i]);
  }
  low[n] = '\0';
  v = dy__map_get(&e->verbidx, low, n);
  if (v) {
    *out = (int)((intptr_t)v - 1);
    return DY_OK;
  }
  GROW(e->verbs, e->nverbs, e->capverbs);
  e->verbs[e->nverbs].lemma = astr(e, low, n);
  e->verbs[e->nverbs].patterns = NULL;
  if (e->verbs[e->nverbs].lemma == NULL)
    return DY_ENOMEM;
  *out = (int)e->nverbs;
  e->nverbs++;
  rc = dy__map_put(&e->verbidx, e->verbs[*out].lemma,
                   (void *)(intptr_t)(*out + 1));
  if (rc < 0)
    return rc;
  if ((rc = dy__lex_form(L, e->verbs[*out].lemma, *out, 1)) < 0)
    return rc;
  return add_regular_forms(L, e->verbs[*out].lemma, *out);
}

/* ---- patterns ---------------------------------------------------------- */

/* Tokenises one literal alternative ("peace_talks") into a NULL-terminated
 * token array. */
const char **dy__lex_lit(loader *L, const char *p, size_t n)
{
  const char **toks;
  size_t i, k = 0, parts = 1, start = 0;
  for (i = 0; i < n; i++)
    if (p[i] == '_')
      parts++;
  toks = dy_arena_alloc(&L->e->mem, (parts + 1) * sizeof *toks);
  if (toks == NULL)
    return NULL;
  for (i = 0; i <= n; i++) {
    if (i == n || p[i] == '_') {
      if (i > start) {
        toks[k] = dy__norm(&L->e->mem, p + start, i - start);
        if (toks[k] == NULL)
          return NULL;
        k++;
      }
      start = i + 1;
    }
  }
  toks[k] = NULL;
  return k ? toks : NULL;
}

static int all_upper(const char *p, size_t n)
{
  size_t i, letters = 0;
  for (i = 0; i < n; i++) {
    if (dy_islower(p[i]))
      return 0;
    if (dy_isupper(p[i]))
      letters++;
  }
  return letters > 1;
}

static int add_pattern(loader *L, dy_str v)
{
  dy_engine *e = L->e;
  lx_pattern *pt;
  lx_elem el[32];
  int nel = 0, head = -1, nlit = 0, has_target = 0;
  size_t i = 0;
  if (L->kind != REC_CODE) {
    dy__lex_bad(L, "pattern outside a code record", NULL);
    return DY_OK;
  }
  while (i < v.n) {
    size_t st;
    while (i < v.n && v.p[i] == ' ')
      i++;
    if (i >= v.n)
      break;
    st = i;
    if (v.p[i] == '(') {
      const char *close = memchr(v.p + i, ')', v.n - i);
      if (close == NULL) {
        dy__lex_bad(L, "unbalanced '(' in pattern", NULL);
        return DY_OK;
      }
      i = (size_t)(close - v.p) + 1;
    } else {
      while (i < v.n && v.p[i] != ' ')
        i++;
    }
    if (nel == 32) {
      dy__lex_bad(L, "pattern has more than 32 elements", NULL);
      return DY_OK;
    }
    memset(&el[nel], 0, sizeof el[nel]);
    if (i - st == 1 && v.p[st] == '*') {
      el[nel].type = PE_GAP;
    } else if (i - st == 1 && v.p[st] == '$') {
      el[nel].type = PE_TARGET;
      has_target = 1;
    } else if (v.p[st] == '(') {
      const char *q = v.p + st + 1, *endp = v.p + i - 1;
      int nalt = 1, a = 0;
      const char *c;
      for (c = q; c < endp; c++)
        if (*c == '|')
          nalt++;
      el[nel].type = PE_LIT;
      el[nel].alts = dy_arena_alloc(&e->mem, (size_t)nalt * sizeof(char **));
      if (el[nel].alts == NULL)
        return DY_ENOMEM;
      while (q <= endp) {
        const char *bar = memchr(q, '|', (size_t)(endp - q));
        size_t len = bar ? (size_t)(bar - q) : (size_t)(endp - q);
        dy_str alt = dy_str_trim((dy_str){q, len});
        if (alt.n) {
          el[nel].alts[a] = dy__lex_lit(L, alt.p, alt.n);
          if (el[nel].alts[a] == NULL) {
            if (e->mem.failed)
              return DY_ENOMEM;
          } else {
            a++;
          }
        }
        if (!bar)
          break;
        q = bar + 1;
      }
      if (a == 0) {
        dy__lex_bad(L, "empty alternatives in pattern", NULL);
        return DY_OK;
      }
      el[nel].nalt = a;
      nlit++;
    } else if (all_upper(v.p + st, i - st)) {
      int verb, rc;
      if (head >= 0) {
        dy__lex_bad(L, "pattern has two head verbs", NULL);
        return DY_OK;
      }
      rc = dy__lex_verb(L, v.p + st, i - st, &verb);
      if (rc == DY_EINVAL) {
        dy__lex_bad(L, "bad head verb in pattern", NULL);
        return DY_OK;
      }
      if (rc < 0)
        return rc;
      el[nel].type = PE_HEAD;
      el[nel].nalt = verb; /* verb index kept here */
      head = nel;
    } else {
      el[nel].type = PE_LIT;
      el[nel].alts = dy_arena_alloc(&e->mem, sizeof(char **));
      if (el[nel].alts == NULL)
        return DY_ENOMEM;
      el[nel].alts[0] = dy__lex_lit(L, v.p + st, i - st);
      if (el[nel].alts[0] == NULL) {
        if (e->mem.failed)
          return DY_ENOMEM;
        dy__lex_bad(L, "bad literal in pattern", NULL);
        return DY_OK;
      }
      el[nel].nalt = 1;
      nlit++;
    }
    nel++;
  }
  if (head != 0) {
    dy__lex_bad(L, head < 0 ? "pattern has no head verb in capitals"
                         : "pattern must start with its head verb",
             NULL);
    return DY_OK;
  }
  pt = dy_arena_zalloc(&e->mem, sizeof *pt);
  if (pt == NULL)
    return DY_ENOMEM;
  memcpy(pt->code, L->code, sizeof pt->code);
  pt->verb = el[0].nalt;
  pt->nel = nel;
  pt->nlit = nlit;
  pt->has_target = has_target;
  pt->el = dy_arena_alloc(&e->mem, (size_t)nel * sizeof *pt->el);
  pt->text = astr(e, v.p, v.n);
  if (pt->el == NULL || pt->text == NULL)
    return DY_ENOMEM;
  memcpy(pt->el, el, (size_t)nel * sizeof *pt->el);
  pt->file = L->file;
  pt->line = L->line;
  /* append to the verb's chain, keeping file order */
  {
    lx_pattern **pp = &e->verbs[pt->verb].patterns;
    while (*pp)
      pp = &(*pp)->next;
    *pp = pt;
  }
  e->st.patterns++;
  return DY_OK;
}

/* ---- records ----------------------------------------------------------- */

static int parse_role(loader *L, dy_str v)
{
  dy_engine *e = L->e;
  lx_person *p = &e->people[L->idx];
  lx_role *r;
  dy_str f[3];
  size_t i = 0;
  int k;
  for (k = 0; k < 3; k++) {
    size_t st;
    while (i < v.n && v.p[i] == ' ')
      i++;
    st = i;
    while (i < v.n && v.p[i] != ' ')
      i++;
    f[k].p = v.p + st;
    f[k].n = i - st;
  }
  if (!valid_code(f[0].p, f[0].n, 3)) {
    dy__lex_bad(L, "role: bad actor code", NULL);
    return DY_OK;
  }
  r = dy_realloc(p->roles, (size_t)(p->nroles + 1) * sizeof *r);
  if (r == NULL)
    return DY_ENOMEM;
  p->roles = r;
  r = &p->roles[p->nroles];
  memset(r, 0, sizeof *r);
  memcpy(r->code, f[0].p, f[0].n);
  r->from = dy_date_parse(f[1]);
  r->to = (f[2].n == 1 && f[2].p[0] == '-') ? LONG_MAX : dy_date_parse(f[2]);
  if (r->from < 0 || r->to < 0 || r->to < r->from) {
    dy__lex_bad(L, "role: bad dates (want YYYY-MM-DD YYYY-MM-DD|-)", NULL);
    return DY_OK;
  }
  r->desc = astr(e, v.p + i, v.n - i);
  if (r->desc == NULL)
    return DY_ENOMEM;
  r->desc = dy_str_trim(dy_str_c(r->desc)).p;
  r->line = L->line;
  p->nroles++;
  return DY_OK;
}

static int start_record(loader *L, dy_str kind, dy_str code, dy_str rest)
{
  dy_engine *e = L->e;
  L->kind = REC_SKIP;
  if (dy_str_eq_c(kind, "country") || dy_str_eq_c(kind, "igo") ||
      dy_str_eq_c(kind, "group")) {
    lx_actor *a;
    int isc = dy_str_eq_c(kind, "country"), isi = dy_str_eq_c(kind, "igo");
    if (!valid_code(code.p, code.n, 3) || (isc && code.n != 3) ||
        (isi && !dy_str_starts_c(code, "IGO"))) {
      dy__lex_bad(L, "bad actor code", NULL);
      return DY_OK;
    }
    GROW(e->actors, e->nactors, e->capactors);
    a = &e->actors[e->nactors];
    memset(a, 0, sizeof *a);
    memcpy(a->code, code.p, code.n);
    if (isi) {
      memcpy(a->country, "IGO", 3);
    } else {
      memcpy(a->country, code.p, 3);
      if (!isc && code.n >= 6)
        memcpy(a->role, code.p + 3, 3);
    }
    a->name = astr(e, rest.p, rest.n);
    if (a->name == NULL)
      return DY_ENOMEM;
    L->idx = (int)e->nactors++;
    L->kind = isc ? REC_COUNTRY : isi ? REC_IGO : REC_GROUP;
    if (isc)
      e->st.countries++;
    else if (isi)
      e->st.igos++;
    else
      e->st.groups++;
    {
      /* the key must outlive e->actors, which moves as it grows */
      const char *key = astr(e, a->code, strlen(a->code));
      if (key == NULL)
        return DY_ENOMEM;
      return dy__map_put(&e->actoridx, key, (void *)(intptr_t)(L->idx + 1));
    }
  }
  if (dy_str_eq_c(kind, "person")) {
    lx_person *p;
    dy_str name = dy_str_trim((dy_str){code.p, (size_t)(rest.p + rest.n - code.p)});
    if (name.n == 0) {
      dy__lex_bad(L, "person without a name", NULL);
      return DY_OK;
    }
    GROW(e->people, e->npeople, e->cappeople);
    p = &e->people[e->npeople];
    memset(p, 0, sizeof *p);
    p->name = astr(e, name.p, name.n);
    if (p->name == NULL)
      return DY_ENOMEM;
    L->idx = (int)e->npeople++;
    L->kind = REC_PERSON;
    e->st.people++;
    return DY_OK;
  }
  if (dy_str_eq_c(kind, "agent")) {
    lx_actor *a;
    if (!valid_code(code.p, code.n, 3) || code.n > 3) {
      dy__lex_bad(L, "bad agent code (want 3 capitals)", NULL);
      return DY_OK;
    }
    GROW(e->agents, e->nagents, e->capagents);
    a = &e->agents[e->nagents];
    memset(a, 0, sizeof *a);
    memcpy(a->code, code.p, code.n);
    memcpy(a->role, code.p, code.n);
    a->name = astr(e, rest.p, rest.n);
    if (a->name == NULL)
      return DY_ENOMEM;
    L->idx = (int)e->nagents++;
    L->kind = REC_AGENT;
    e->st.agents++;
    return DY_OK;
  }
  if (dy_str_eq_c(kind, "verb")) {
    int verb, rc = dy__lex_verb(L, code.p, code.n, &verb);
    if (rc == DY_EINVAL) {
      dy__lex_bad(L, "bad verb lemma", NULL);
      return DY_OK;
    }
    if (rc < 0)
      return rc;
    L->idx = verb;
    L->kind = REC_VERB;
    return DY_OK;
  }
  if (dy_str_eq_c(kind, "code")) {
    if (code.n < 2 || code.n > 4 || !valid_code(code.p, code.n, 2) ||
        dy__map_get(&e->cameo, code.p, code.n) == NULL) {
      dy__lex_bad(L, "unknown CAMEO code", NULL);
      return DY_OK;
    }
    memset(L->code, 0, sizeof L->code);
    memcpy(L->code, code.p, code.n);
    L->kind = REC_CODE;
    e->st.codes++;
    return DY_OK;
  }
  if (dy_str_eq_c(kind, "discard") || dy_str_eq_c(kind, "issue")) {
    if (!valid_code(code.p, code.n, 2)) {
      dy__lex_bad(L, "bad category code (want capitals)", NULL);
      return DY_OK;
    }
    L->cat = astr(e, code.p, code.n);
    if (L->cat == NULL)
      return DY_ENOMEM;
    L->story = 0;
    L->nphrases = 0;
    L->kind = dy_str_eq_c(kind, "discard") ? REC_DISCARD : REC_ISSUE;
    return DY_OK;
  }
  dy__lex_bad(L, "unknown record kind", NULL);
  return DY_OK;
}

/* Normalised tokens of a phrase (tokenised like text); NULL with *n = 0
 * when it is empty or longer than 16 tokens. */
static const char **phrase_tokens(loader *L, dy_str v, int *n)
{
  dy_engine *e = L->e;
  dy_arena ta;
  dy__tok *toks;
  size_t ntok, k;
  const char **out = NULL;
  *n = 0;
  dy_arena_init(&ta, 0);
  if (dy__tokenize(&ta, v.p, v.n, &toks, &ntok) == DY_OK && ntok > 0 &&
      ntok <= 16 &&
      (out = dy_arena_alloc(&e->mem, ntok * sizeof *out)) != NULL) {
    for (k = 0; k < ntok; k++)
      if ((out[k] = dy__norm(&e->mem, v.p + toks[k].off, toks[k].len)) ==
          NULL)
        out = NULL;
    if (out)
      *n = (int)ntok;
  }
  dy_arena_fini(&ta);
  return out;
}

/* names: of a discard or issue record, each a phrase. */
static int add_phrases(loader *L, dy_str vals)
{
  dy_engine *e = L->e;
  while (vals.n) {
    const char *semi = memchr(vals.p, ';', vals.n);
    size_t cut = semi ? (size_t)(semi - vals.p) : vals.n;
    dy_str v = dy_str_trim((dy_str){vals.p, cut});
    const char **toks;
    int ntok;
    vals.p += semi ? cut + 1 : cut;
    vals.n -= semi ? cut + 1 : cut;
    if (v.n == 0)
      continue;
    toks = phrase_tokens(L, v, &ntok);
    if (toks == NULL) {
      if (e->mem.failed)
        return DY_ENOMEM;
      dy__lex_bad(L, "bad phrase", NULL);
      continue;
    }
    if (L->kind == REC_DISCARD) {
      lx_discard *dc = dy_arena_zalloc(&e->mem, sizeof *dc);
      if (dc == NULL)
        return DY_ENOMEM;
      dc->toks = toks;
      dc->ntok = ntok;
      dc->story = L->story;
      dc->code = L->cat;
      dc->file = L->file;
      dc->line = L->line;
      dc->next = dy__map_get(&e->discards, toks[0], strlen(toks[0]));
      if (dy__map_put(&e->discards, toks[0], dc) < 0)
        return DY_ENOMEM;
      e->st.discards++;
    } else {
      lx_issue *is = dy_arena_zalloc(&e->mem, sizeof *is);
      if (is == NULL)
        return DY_ENOMEM;
      is->toks = toks;
      is->ntok = ntok;
      is->code = L->cat;
      is->file = L->file;
      is->line = L->line;
      is->next = dy__map_get(&e->issues, toks[0], strlen(toks[0]));
      if (dy__map_put(&e->issues, toks[0], is) < 0)
        return DY_ENOMEM;
      e->st.issues++;
    }
    L->nphrases++;
  }
  return DY_OK;
}

static int record_field(loader *L, dy_str key, dy_str val)
{
  dy_engine *e = L->e;
  switch (L->kind) {
  case REC_SKIP:
    return DY_OK;
  case REC_DISCARD:
  case REC_ISSUE:
    if (dy_str_eq_c(key, "names"))
      return add_phrases(L, val);
    if (L->kind == REC_DISCARD && dy_str_eq_c(key, "scope")) {
      if (L->nphrases)
        dy__lex_bad(L, "scope must come before the names", NULL);
      else if (dy_str_eq_c(val, "story"))
        L->story = 1;
      else if (!dy_str_eq_c(val, "sentence"))
        dy__lex_bad(L, "bad scope (want sentence or story)", NULL);
      return DY_OK;
    }
    dy__lex_bad(L, "unknown field", NULL);
    return DY_OK;
  case REC_NONE:
    dy__lex_bad(L, "field outside a record", NULL);
    return DY_OK;
  case REC_COUNTRY: {
    const lx_actor *a = &e->actors[L->idx];
    static const struct {
      const char *key, *label;
      int kind;
    } ck[] = {{"names", "country", LX_COUNTRY},
              {"adjectives", "adjective of", LX_ADJ},
              {"demonyms", "demonym of", LX_DEMONYM},
              {"capitals", "capital of", LX_CAPITAL},
              {"seats", "seat of government of", LX_SEAT}};
    size_t k;
    for (k = 0; k < sizeof ck / sizeof ck[0]; k++) {
      if (dy_str_eq_c(key, ck[k].key)) {
        const char *w = dy__lex_what(L, ck[k].label, a->code, a->name);
        return w ? add_names(L, val, ck[k].kind, L->idx, w) : DY_ENOMEM;
      }
    }
    break;
  }
  case REC_IGO:
  case REC_GROUP: {
    const lx_actor *a = &e->actors[L->idx];
    if (dy_str_eq_c(key, "names")) {
      const char *w = dy__lex_what(L, L->kind == REC_IGO ? "igo" : "group",
                               a->code, a->name);
      return w ? add_names(L, val, L->kind == REC_IGO ? LX_IGO : LX_GROUP,
                           L->idx, w)
               : DY_ENOMEM;
    }
    if (dy_str_eq_c(key, "country")) {
      lx_actor *m = &e->actors[L->idx];
      if (val.n == 3 && valid_code(val.p, 3, 3))
        memcpy(m->country, val.p, 3);
      else
        dy__lex_bad(L, "country: want a 3-letter code", NULL);
      return DY_OK;
    }
    if (dy_str_eq_c(key, "members"))
      return DY_OK; /* informational */
    break;
  }
  case REC_PERSON:
    if (dy_str_eq_c(key, "names")) {
      const char *w = dy__lex_what(L, "person", "", e->people[L->idx].name);
      return w ? add_names(L, val, LX_PERSON, L->idx, w) : DY_ENOMEM;
    }
    if (dy_str_eq_c(key, "role"))
      return parse_role(L, val);
    break;
  case REC_AGENT:
    if (dy_str_eq_c(key, "names")) {
      const char *w =
          dy__lex_what(L, "agent", e->agents[L->idx].code, e->agents[L->idx].name);
      return w ? add_names(L, val, LX_AGENT, L->idx, w) : DY_ENOMEM;
    }
    break;
  case REC_VERB:
    if (dy_str_eq_c(key, "forms")) {
      while (val.n) {
        const char *semi = memchr(val.p, ';', val.n);
        size_t len = semi ? (size_t)(semi - val.p) : val.n;
        dy_str f = dy_str_trim((dy_str){val.p, len});
        if (f.n) {
          char *low = dy__norm(&e->mem, f.p, f.n);
          int rc;
          if (low == NULL)
            return DY_ENOMEM;
          rc = dy__lex_form(L, low, L->idx, 0);
          if (rc < 0)
            return rc;
        }
        if (!semi)
          break;
        val.p = semi + 1;
        val.n -= len + 1;
      }
      return DY_OK;
    }
    break;
  case REC_CODE:
    if (dy_str_eq_c(key, "pattern"))
      return add_pattern(L, val);
    if (dy_str_eq_c(key, "goldstein"))
      return DY_OK; /* cameo.tsv is authoritative */
    break;
  default:
    break;
  }
  dy__lex_bad(L, "unknown field for this record", NULL);
  return DY_OK;
}

/* ---- files ------------------------------------------------------------- */

#define DICT_MAX_BYTES ((size_t)64 << 20)

static int load_dict(dy_engine *e, const char *dir, const char *base,
                     int strict, dy_err *err)
{
  char path[4096];
  dy_buf buf;
  loader L;
  size_t i = 0;
  int rc, seen_magic = 0;
  snprintf(path, sizeof path, "%s/%s", dir, base);
  dy_buf_init(&buf, 0);
  rc = dy_file_read(path, DICT_MAX_BYTES, &buf, err);
  if (rc < 0) {
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    dy_buf_fini(&buf);
    return dy_err_set(err, rc, "%s: %s", path, why);
  }
  memset(&L, 0, sizeof L);
  L.e = e;
  L.file = astr(e, base, strlen(base));
  L.path = path;
  L.strict = strict;
  L.err = err;
  if (L.file == NULL) {
    rc = DY_ENOMEM;
    goto out;
  }
  while (i < buf.n) {
    const char *nl = memchr(buf.p + i, '\n', buf.n - i);
    size_t end = nl ? (size_t)(nl - buf.p) : buf.n;
    dy_str raw = {buf.p + i, end - i}, l;
    const char *hash;
    int indented = raw.n && (raw.p[0] == ' ' || raw.p[0] == '\t');
    i = end + 1;
    L.line++;
    if (!dy_utf8_valid(raw.p, raw.n)) {
      dy__lex_bad(&L, "invalid UTF-8", NULL);
      continue;
    }
    l = dy_str_trim(raw);
    if (l.n == 0 || l.p[0] == '#')
      continue;
    hash = NULL;
    for (size_t k = 1; k < l.n; k++)
      if (l.p[k] == '#' && l.p[k - 1] == ' ') {
        hash = l.p + k;
        break;
      }
    if (hash)
      l = dy_str_trim((dy_str){l.p, (size_t)(hash - l.p)});
    if (!seen_magic) {
      if (!dy_str_starts_c(l, "@dyad-dict ")) {
        rc = dy_err_set(err, DY_EFORMAT,
                        "%s:%d: missing '@dyad-dict 1' header", path, L.line);
        goto out;
      }
      if (!dy_str_eq_c(dy_str_trim((dy_str){l.p + 11, l.n - 11}), "1")) {
        rc = dy_err_set(err, DY_EVERSION,
                        "%s:%d: dictionary format version not supported "
                        "(this dyad reads version 1)",
                        path, L.line);
        goto out;
      }
      seen_magic = 1;
      continue;
    }
    if (!indented) {
      dy_str kind, code, rest;
      size_t k = 0;
      while (k < l.n && l.p[k] != ' ')
        k++;
      kind = (dy_str){l.p, k};
      while (k < l.n && l.p[k] == ' ')
        k++;
      code.p = l.p + k;
      while (k < l.n && l.p[k] != ' ')
        k++;
      code.n = (size_t)(l.p + k - code.p);
      rest = dy_str_trim((dy_str){l.p + k, l.n - k});
      rc = start_record(&L, kind, code, rest);
    } else {
      const char *colon = memchr(l.p, ':', l.n);
      if (colon == NULL) {
        dy__lex_bad(&L, "field line without 'key:'", NULL);
        continue;
      }
      rc = record_field(&L, dy_str_trim((dy_str){l.p, (size_t)(colon - l.p)}),
                        dy_str_trim((dy_str){colon + 1,
                                             l.n - (size_t)(colon + 1 - l.p)}));
    }
    if (rc < 0) {
      dy_err_set(err, rc, "%s:%d: %s", path, L.line, dy_strerror(rc));
      goto out;
    }
    if (strict && err->code != DY_OK) {
      rc = err->code;
      goto out;
    }
  }
  if (!seen_magic)
    rc = dy_err_set(err, DY_EFORMAT, "%s: empty dictionary (no header)", path);
  else
    rc = DY_OK;
out:
  e->st.bad_lines += L.bad;
  dy_buf_fini(&buf);
  return rc;
}

static int load_cameo(dy_engine *e, const char *dir, dy_err *err)
{
  char path[4096];
  dy_buf buf;
  size_t i = 0;
  int rc, lineno = 0;
  snprintf(path, sizeof path, "%s/cameo.tsv", dir);
  dy_buf_init(&buf, 0);
  rc = dy_file_read(path, DICT_MAX_BYTES, &buf, err);
  if (rc < 0) {
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    dy_buf_fini(&buf);
    return dy_err_set(err, rc, "%s: %s", path, why);
  }
  while (i < buf.n) {
    const char *nl = memchr(buf.p + i, '\n', buf.n - i);
    size_t end = nl ? (size_t)(nl - buf.p) : buf.n, k;
    dy_str f[5] = {{NULL, 0}};
    const char *p = buf.p + i;
    size_t len = end - i, st = 0;
    int nf = 0;
    lx_cameo *c;
    i = end + 1;
    lineno++;
    for (k = 0; k <= len && nf < 5; k++) {
      if (k == len || p[k] == '\t') {
        f[nf].p = p + st;
        f[nf].n = k - st;
        nf++;
        st = k + 1;
      }
    }
    if (lineno == 1 || len == 0)
      continue;
    if (nf < 5 || f[0].n < 2 || f[0].n > 4 || !valid_code(f[0].p, f[0].n, 2) ||
        f[1].n != 2 || f[2].n != 1 || f[2].p[0] < '1' || f[2].p[0] > '4') {
      DY_LOG(DY_LOG_WARN, "lex", "%s:%d: bad CAMEO line skipped", path,
             lineno);
      e->st.bad_lines++;
      continue;
    }
    c = dy_arena_zalloc(&e->mem, sizeof *c);
    if (c == NULL)
      goto nomem;
    memcpy(c->code, f[0].p, f[0].n);
    memcpy(c->root, f[1].p, 2);
    c->quad = f[2].p[0] - '0';
    {
      char num[32];
      size_t nn = f[3].n < sizeof num - 1 ? f[3].n : sizeof num - 1;
      memcpy(num, f[3].p, nn);
      num[nn] = '\0';
      c->goldstein = strtod(num, NULL);
    }
    c->name = astr(e, f[4].p, f[4].n);
    if (c->name == NULL || dy__map_put(&e->cameo, c->code, c) < 0)
      goto nomem;
  }
  dy_buf_fini(&buf);
  if (e->cameo.n == 0)
    return dy_err_set(err, DY_EFORMAT, "%s: no CAMEO codes", path);
  return DY_OK;
nomem:
  dy_buf_fini(&buf);
  return dy_err_set(err, DY_ENOMEM, "out of memory loading %s", path);
}

int dy__lex_load(dy_engine *e, const char *dir, const char *pfiles,
                 int strict, dy_err *err)
{
  static const char *const files[] = {"actors.dict", "people.dict",
                                      "agents.dict", "verbs.dict", NULL};
  int rc, k;
  if (dy__pdict_dir(dir)) {
    /* PETRARCH-2 dictionaries; the CAMEO table from dir or dyad's data */
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/cameo.tsv", dir);
    f = fopen(path, "rb");
    if (f)
      fclose(f);
    rc = load_cameo(e, f ? dir : DY_DATA_DIR, err);
    if (rc < 0)
      return rc;
    rc = dy__pdict_load(e, dir, pfiles, strict, err);
    if (rc < 0)
      return rc;
    e->st.verbs = e->nverbs;
    if (e->mem.failed)
      return dy_err_set(err, DY_ENOMEM, "out of memory loading dictionaries");
    return DY_OK;
  }
  rc = load_cameo(e, dir, err);
  if (rc < 0)
    return rc;
  for (k = 0; files[k]; k++) {
    rc = load_dict(e, dir, files[k], strict, err);
    if (rc < 0)
      return rc;
  }
  {
    /* optional: discards and issues */
    static const char *const extra[] = {"discards.dict", "issues.dict", NULL};
    for (k = 0; extra[k]; k++) {
      char path[4096];
      FILE *f;
      snprintf(path, sizeof path, "%s/%s", dir, extra[k]);
      if ((f = fopen(path, "rb")) == NULL)
        continue;
      fclose(f);
      rc = load_dict(e, dir, extra[k], strict, err);
      if (rc < 0)
        return rc;
    }
  }
  e->st.verbs = e->nverbs;
  if (e->mem.failed)
    return dy_err_set(err, DY_ENOMEM, "out of memory loading dictionaries");
  return DY_OK;
}
