/* SPDX-License-Identifier: MIT */
/* Readers for the PETRARCH-2 dictionary formats (CAMEO verb dictionary with
 * synsets and patterns, actor dictionaries with dated codes, agents with
 * !SUBST! forms and plurals, discards, issues), loaded into the same lexicon
 * as dyad's own format. docs/PETRARCH.md says what is supported. */
#include "lex_int.h"

#include "dyad/read.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PD_MAX_BYTES ((size_t)64 << 20)
#define PD_MAX_ELEMS 32
#define PD_MAX_ALTS  256
#define PD_MAX_CODES 32
#define PD_MAX_NAMES 512

#define GROW(arr, n, cap)                                                      \
  do {                                                                         \
    if ((n) == (cap)) {                                                        \
      size_t nc_ = (cap) ? (cap)*2 : 64;                                       \
      void *np_ = dy_realloc((arr), nc_ * sizeof *(arr));                      \
      if (np_ == NULL)                                                         \
        return DY_ENOMEM;                                                      \
      (arr) = np_;                                                             \
      (cap) = nc_;                                                             \
    }                                                                          \
  } while (0)

static char up(char c)
{
  return dy_islower(c) ? (char)(c - 'a' + 'A') : c;
}

/* ==== lines ============================================================= */

/* The next line of buf from *pos, without '\r', '#' comment and outer
 * blanks. Sets *skip for XML comment lines. Returns 0 at the end. */
static int next_line(loader *L, const dy_buf *buf, size_t *pos, dy_str *out,
                     int *raw_indent, dy_str *comment)
{
  const char *nl;
  size_t end, k;
  dy_str l;
  if (*pos >= buf->n)
    return 0;
  nl = memchr(buf->p + *pos, '\n', buf->n - *pos);
  end = nl ? (size_t)(nl - buf->p) : buf->n;
  l = (dy_str){buf->p + *pos, end - *pos};
  *pos = end + 1;
  L->line++;
  *raw_indent = l.n && (l.p[0] == ' ' || l.p[0] == '\t');
  if (!dy_utf8_valid(l.p, l.n)) {
    dy__lex_bad(L, "invalid UTF-8", NULL);
    *out = (dy_str){l.p, 0};
    return 1;
  }
  if (comment)
    *comment = (dy_str){NULL, 0};
  for (k = 0; k < l.n; k++)
    if (l.p[k] == '#') {
      if (comment)
        *comment = dy_str_trim((dy_str){l.p + k + 1, l.n - k - 1});
      l.n = k;
      break;
    }
  l = dy_str_trim(l);
  if (l.n >= 4 && memcmp(l.p, "<!--", 4) == 0)
    l.n = 0; /* XML comment lines (PETRARCH-1 headers) */
  else if (l.n == 3 && memcmp(l.p, "-->", 3) == 0)
    l.n = 0;
  *out = l;
  return 1;
}

static char *pstr(loader *L, const char *p, size_t n)
{
  return dy_arena_strndup(&L->e->mem, p, n);
}

/* "NAME_WITH_PARTS" → "NAME WITH PARTS" (trailing '_' dropped). */
static dy_str name_text(char *buf, size_t cap, dy_str w)
{
  size_t k, n = 0;
  while (w.n && w.p[w.n - 1] == '_')
    w.n--;
  for (k = 0; k < w.n && n + 1 < cap; k++)
    buf[n++] = w.p[k] == '_' ? ' ' : w.p[k];
  while (n && buf[n - 1] == ' ')
    n--;
  buf[n] = '\0';
  return (dy_str){buf, n};
}

/* ==== synsets =========================================================== */

typedef struct syn_mem {
  const char *text;     /* member as written ("AUSTRIAN FLORIN", "&OTHER") */
  struct syn_mem *next; /* file order */
} syn_mem;

typedef struct syn {
  syn_mem *head, *tail;
} syn;

/* Synset key: upper case name without '&' and trailing '_'. */
static size_t syn_key(char *buf, size_t cap, dy_str w)
{
  size_t k, n = 0;
  if (w.n && w.p[0] == '&') {
    w.p++;
    w.n--;
  }
  while (w.n && w.p[w.n - 1] == '_')
    w.n--;
  for (k = 0; k < w.n && n + 1 < cap; k++)
    buf[n++] = up(w.p[k]);
  buf[n] = '\0';
  return n;
}

typedef struct alts {
  const char **a[PD_MAX_ALTS]; /* token arrays */
  int n;
  int overflow;
} alts;

/* Adds the alternatives of one member text (which may name another synset)
 * to out. */
static int syn_expand(loader *L, dy__map *syns, dy_str w, int depth, alts *out);

static int add_alt_text(loader *L, dy__map *syns, dy_str w, int depth,
                        alts *out)
{
  char buf[256];
  size_t k, n = 0;
  const char **toks;
  w = dy_str_trim(w);
  if (w.n == 0)
    return DY_OK;
  if (w.p[0] == '&')
    return syn_expand(L, syns, w, depth + 1, out);
  for (k = 0; k < w.n && n + 1 < sizeof buf; k++)
    buf[n++] = w.p[k] == ' ' ? '_' : w.p[k];
  buf[n] = '\0';
  toks = dy__lex_lit(L, buf, n);
  if (toks == NULL)
    return L->e->mem.failed ? DY_ENOMEM : DY_OK;
  if (out->n == PD_MAX_ALTS) {
    out->overflow = 1;
    return DY_OK;
  }
  out->a[out->n++] = toks;
  return DY_OK;
}

static int syn_expand(loader *L, dy__map *syns, dy_str w, int depth, alts *out)
{
  char key[128];
  size_t kn = syn_key(key, sizeof key, w);
  const syn *s = kn ? dy__map_get(syns, key, kn) : NULL;
  const syn_mem *m;
  if (s == NULL || depth > 4) {
    out->overflow = 2; /* unknown synset */
    return DY_OK;
  }
  for (m = s->head; m; m = m->next) {
    int rc = add_alt_text(L, syns, dy_str_c(m->text), depth, out);
    if (rc < 0)
      return rc;
  }
  return DY_OK;
}

/* ==== verbs ============================================================= */

typedef struct bverb {
  int verb;        /* verb index */
  lx_pattern *own; /* the verb's own pattern (bare or multi-word), or NULL */
} bverb;

typedef struct vstate {
  dy__map syns;  /* synsets: key → syn */
  syn *cur_syn;  /* synset taking '+' members, or NULL */
  int in_block;  /* inside a "--- NAME [code] ---" block */
  char bcode[8]; /* block code ("" or "---": none) */
  bverb *bv;     /* verbs of the block */
  size_t nbv, capbv;
  dy_str comment;  /* comment of the current line */
  lx_pattern **bp; /* patterns of the block */
  int *borig;      /* per block pattern: verb named by its comment, -1 */
  size_t nbp, capbp;
} vstate;

/* Reads "[CODE]" or "[A:B]" at the end of l; the first code in code (""
 * when "---"). Returns 0 when there is no bracket; -1 when malformed. l is
 * shortened to the part before the bracket. */
static int take_code(dy_str *l, char code[8])
{
  const char *open = NULL, *close;
  size_t k, n;
  code[0] = '\0';
  for (k = l->n; k > 0; k--)
    if (l->p[k - 1] == '[') {
      open = l->p + k - 1;
      break;
    }
  if (open == NULL)
    return 0;
  close = memchr(open, ']', (size_t)(l->p + l->n - open));
  if (close == NULL)
    return -1;
  n = (size_t)(close - open - 1);
  for (k = 0; k < n && open[1 + k] != ':'; k++)
    ;
  {
    /* [A:B]: A; [:B]: B */
    dy_str c = dy_str_trim((dy_str){open + 1, k});
    if (c.n == 0 && k < n)
      c = dy_str_trim((dy_str){open + 2 + k, n - k - 1});
    while (c.n > 1 && (c.p[c.n - 1] == '!' || c.p[c.n - 1] == '?'))
      c.n--; /* "[080!]", "[025?]" */
    if (c.n == 0 || c.n > 4)
      return -1;
    for (k = 0; k < c.n; k++)
      if (!dy_isalnum(c.p[k]) && c.p[k] != '-' && c.p[k] != '+')
        return -1;
    memcpy(code, c.p, c.n);
    code[c.n] = '\0';
    if (strcmp(code, "---") == 0 || strcmp(code, "--") == 0)
      code[0] = '-', code[1] = '-', code[2] = '-', code[3] = '\0';
    /* [A:B]: B is the reverse event (target → source), kept as "A:B" */
    if (k < n && c.p == open + 1) {
      dy_str b = dy_str_trim((dy_str){open + 2 + k, n - k - 1});
      size_t q, cn = strlen(code);
      while (b.n > 1 && (b.p[b.n - 1] == '!' || b.p[b.n - 1] == '?'))
        b.n--;
      for (q = 0; q < b.n && dy_isdigit(b.p[q]); q++)
        ;
      if (b.n >= 2 && b.n <= 4 && q == b.n && cn + 1 + b.n < 8) {
        code[cn] = ':';
        memcpy(code + cn + 1, b.p, b.n);
        code[cn + 1 + b.n] = '\0';
      }
    }
  }
  l->n = (size_t)(open - l->p);
  *l = dy_str_trim(*l);
  return 1;
}

static lx_pattern *new_pattern(loader *L, const char *code, const lx_elem *el,
                               int nel, const lx_elem *pre, int npre,
                               dy_str text)
{
  dy_engine *e = L->e;
  lx_pattern *pt = dy_arena_zalloc(&e->mem, sizeof *pt);
  int k, nlit = 0;
  if (pt == NULL)
    return NULL;
  {
    const char *colon = strchr(code, ':');
    size_t cn = colon ? (size_t)(colon - code) : strlen(code);
    snprintf(pt->code, sizeof pt->code, "%.*s", (int)cn, code);
    if (colon)
      snprintf(pt->rcode, sizeof pt->rcode, "%s", colon + 1);
    pt->rboth = L->petr1;
  }
  pt->nel = nel;
  pt->el = dy_arena_alloc(&e->mem, (size_t)nel * sizeof *el);
  if (pt->el == NULL)
    return NULL;
  memcpy(pt->el, el, (size_t)nel * sizeof *el);
  if (npre) {
    pt->pre = dy_arena_alloc(&e->mem, (size_t)npre * sizeof *pre);
    if (pt->pre == NULL)
      return NULL;
    memcpy(pt->pre, pre, (size_t)npre * sizeof *pre);
  }
  pt->npre = npre;
  for (k = 0; k < nel; k++) {
    if (el[k].type == PE_LIT)
      nlit++;
    if (el[k].type == PE_TARGET)
      pt->has_target = 1;
  }
  pt->nlit = nlit + npre;
  pt->text = pstr(L, text.p, text.n);
  pt->file = L->file;
  pt->line = L->line;
  return pt->text ? pt : NULL;
}

/* One literal element from alternatives. */
static int lit_elem(loader *L, lx_elem *el, const alts *al, int stem)
{
  memset(el, 0, sizeof *el);
  el->type = PE_LIT;
  el->stem = stem;
  el->nalt = al->n;
  el->alts = dy_arena_alloc(&L->e->mem, (size_t)al->n * sizeof(char **));
  if (el->alts == NULL)
    return DY_ENOMEM;
  memcpy(el->alts, al->a, (size_t)al->n * sizeof(char **));
  return DY_OK;
}

/* Parses the words of one side of a pattern into elements. before: the
 * side before the verb ('*'). Returns 1 ok, 0 unsupported (why set), <0. */
static int side_elems(loader *L, vstate *vs, dy_str side, int before,
                      lx_elem *el, int *nel, const char **why)
{
  size_t i = 0;
  while (i < side.n) {
    size_t st;
    dy_str w;
    int first_part = 1;
    while (i < side.n && side.p[i] == ' ')
      i++;
    if (i >= side.n)
      break;
    st = i;
    while (i < side.n && side.p[i] != ' ')
      i++;
    w = (dy_str){side.p + st, i - st};
    /* the parts of one word are adjacent: A_B, NEW_&SYN_RELATIONS, X_+ */
    while (w.n) {
      const char *us = memchr(w.p, '_', w.n);
      size_t pn = us ? (size_t)(us - w.p) : w.n;
      dy_str part = {w.p, pn};
      int exact = us != NULL && (pn + 1 == w.n || w.p[pn + 1] == ' ');
      int rc;
      w.p += us ? pn + 1 : pn;
      w.n -= us ? pn + 1 : pn;
      if (part.n == 0)
        continue;
      if (*nel >= PD_MAX_ELEMS - 1) {
        *why = "pattern has too many elements";
        return 0;
      }
      if (!before && first_part) {
        memset(&el[*nel], 0, sizeof el[*nel]);
        el[(*nel)++].type = PE_GAP;
      }
      first_part = 0;
      if (part.n == 1 && part.p[0] == '+') {
        if (before) {
          *why = "target before the verb is not supported";
          return 0;
        }
        memset(&el[*nel], 0, sizeof el[*nel]);
        el[(*nel)++].type = PE_TARGET;
      } else if (part.n == 1 && part.p[0] == '$') {
        if (!before) {
          *why = "source after the verb is not supported";
          return 0;
        }
      } else if (part.n == 1 && part.p[0] == '^') {
        if (!before) {
          memset(&el[*nel], 0, sizeof el[*nel]);
          el[(*nel)++].type = PE_GAP;
        }
      } else if (part.p[0] == '%') {
        *why = "compound actor (%) is not supported";
        return 0;
      } else if (part.p[0] == '~' || part.p[0] == '|') {
        *why = "alternative markers (~, |) are not supported";
        return 0;
      } else {
        alts al;
        memset(&al, 0, sizeof al);
        rc = add_alt_text(L, &vs->syns, part, 0, &al);
        if (rc < 0)
          return rc;
        if (al.overflow == 2) {
          *why = "unknown synset";
          return 0;
        }
        if (al.n == 0) {
          *why = "bad word in pattern";
          return 0;
        }
        rc = lit_elem(L, &el[*nel], &al, part.p[0] != '&' && !exact);
        if (rc < 0)
          return rc;
        (*nel)++;
      }
    }
  }
  return 1;
}

static int add_block_pattern(loader *L, vstate *vs, dy_str l)
{
  char code[8];
  dy_str body = dy_str_trim((dy_str){l.p + 1, l.n - 1}), text = body;
  char flat[512];
  size_t k, n;
  const char *star;
  lx_elem el[PD_MAX_ELEMS], pre[PD_MAX_ELEMS];
  int nel = 1, npre = 0, rc;
  const char *why = NULL;
  lx_pattern *pt;
  if (!vs->in_block) {
    dy__lex_bad(L, "pattern outside a verb block", NULL);
    return DY_OK;
  }
  if (take_code(&body, code) != 1) {
    dy__lex_bad(L, "pattern without a [code]", NULL);
    return DY_OK;
  }
  if (body.n >= sizeof flat) {
    dy__lex_bad(L, "pattern too long", NULL);
    return DY_OK;
  }
  /* phrase brackets only group words; the matcher is linear */
  for (k = 0, n = 0; k < body.n; k++) {
    char c = body.p[k];
    flat[n++] = (c == '(' || c == ')' || c == '{' || c == '}') ? ' ' : c;
  }
  star = memchr(flat, '*', n);
  if (star == NULL) {
    dy__lex_bad(L, "pattern without '*' for the verb", NULL);
    return DY_OK;
  }
  memset(el, 0, sizeof el);
  el[0].type = PE_HEAD;
  rc = side_elems(L, vs, (dy_str){flat, (size_t)(star - flat)}, 1, pre, &npre,
                  &why);
  if (rc == 1) {
    /* pre elements: only literals are kept (in order) */
    int j, m = 0;
    for (j = 0; j < npre; j++)
      if (pre[j].type == PE_LIT)
        pre[m++] = pre[j];
    npre = m;
    rc = side_elems(L, vs, (dy_str){star + 1, n - (size_t)(star + 1 - flat)}, 0,
                    el, &nel, &why);
  }
  if (rc < 0)
    return rc;
  if (rc == 0) {
    L->e->st.unsupported++;
    DY_LOG(DY_LOG_DEBUG, "lex", "%s:%d: pattern skipped: %s", L->path, L->line,
           why);
    return DY_OK;
  }
  while (nel > 1 && el[nel - 1].type == PE_GAP)
    nel--; /* a trailing gap matches anything */
  pt = new_pattern(L, code, el, nel, pre, npre, text);
  if (pt == NULL)
    return DY_ENOMEM;
  {
    /* "# RATIFY": the verb the pattern was written for; it wins ties */
    int orig = -1;
    size_t k2 = 0;
    dy_str c = vs->comment;
    char low[64];
    while (k2 < c.n && k2 < sizeof low - 1 && dy_isalpha(c.p[k2])) {
      low[k2] = dy_tolower(c.p[k2]);
      k2++;
    }
    low[k2] = '\0';
    if (k2 > 1) {
      void *v = dy__map_get(&L->e->verbidx, low, k2);
      if (v)
        orig = (int)((intptr_t)v - 1);
    }
    if (vs->nbp == vs->capbp) {
      size_t nc = vs->capbp ? vs->capbp * 2 : 64;
      void *np = dy_realloc(vs->bp, nc * sizeof *vs->bp);
      void *no = np ? dy_realloc(vs->borig, nc * sizeof *vs->borig) : NULL;
      if (np)
        vs->bp = np;
      if (no == NULL)
        return DY_ENOMEM;
      vs->borig = no;
      vs->capbp = nc;
    }
    vs->borig[vs->nbp] = orig;
    vs->bp[vs->nbp++] = pt;
  }
  return DY_OK;
}

/* A verb line: "WORD {FORMS} [code]", "+MULTI_WORD", "PART_+VERB [code]". */
static int add_block_verb(loader *L, vstate *vs, dy_str l)
{
  char code[8], buf[160];
  dy_str forms = {NULL, 0}, w;
  const char *brace;
  int rc, verb, head = 0, nparts = 0, k;
  dy_str parts[8];
  lx_elem el[8], pre[8];
  int nel = 1, npre = 0;
  bverb *b;
  if (l.p[0] == '+') {
    l.p++;
    l.n--;
  }
  if (take_code(&l, code) < 0) {
    dy__lex_bad(L, "bad [code] on verb line", NULL);
    return DY_OK;
  }
  if (code[0] == '\0')
    memcpy(code, vs->bcode, sizeof code);
  brace = memchr(l.p, '{', l.n);
  if (brace) {
    const char *cl = memchr(brace, '}', (size_t)(l.p + l.n - brace));
    if (cl == NULL) {
      dy__lex_bad(L, "unbalanced '{' on verb line", NULL);
      return DY_OK;
    }
    forms = (dy_str){brace + 1, (size_t)(cl - brace - 1)};
    l.n = (size_t)(brace - l.p);
  }
  l = dy_str_trim(l);
  while (l.n && l.p[l.n - 1] == '_')
    l.n--;
  if (l.n < sizeof buf) {
    /* "LASH OUT" (PETRARCH-1) is "LASH_OUT" */
    size_t j;
    for (j = 0; j < l.n; j++)
      buf[j] = l.p[j] == ' ' ? '_' : l.p[j];
    l.p = pstr(L, buf, l.n);
    if (l.p == NULL)
      return DY_ENOMEM;
  }
  if (l.n == 0 || memchr(l.p, ' ', l.n)) {
    dy__lex_bad(L, "bad verb line", NULL);
    return DY_OK;
  }
  /* parts of a multi-word verb; '+' marks the verb when it is not first */
  w = l;
  while (w.n && nparts < 8) {
    const char *us = memchr(w.p, '_', w.n);
    size_t pn = us ? (size_t)(us - w.p) : w.n;
    if (pn) {
      parts[nparts] = (dy_str){w.p, pn};
      if (w.p[0] == '+') {
        parts[nparts].p++;
        parts[nparts].n--;
        head = nparts;
      }
      nparts++;
    }
    w.p += us ? pn + 1 : pn;
    w.n -= us ? pn + 1 : pn;
  }
  if (nparts == 0 || w.n) {
    dy__lex_bad(L, "bad verb line", NULL);
    return DY_OK;
  }
  rc = dy__lex_verb(L, parts[head].p, parts[head].n, &verb);
  if (rc == DY_EINVAL) {
    dy__lex_bad(L, "bad verb", NULL);
    return DY_OK;
  }
  if (rc < 0)
    return rc;
  /* irregular forms */
  while (forms.n) {
    size_t i = 0, n;
    while (i < forms.n && forms.p[i] == ' ')
      i++;
    forms.p += i;
    forms.n -= i;
    for (n = 0; n < forms.n && forms.p[n] != ' '; n++)
      ;
    if (n) {
      char *f;
      size_t j;
      if (n < sizeof buf) {
        for (j = 0; j < n; j++)
          buf[j] = dy_tolower(forms.p[j]);
        buf[n] = '\0';
        /* a multi-word form keeps its verb word only */
        if (memchr(buf, '_', n) == NULL) {
          f = buf;
          if ((rc = dy__lex_form(L, f, verb, 0)) < 0)
            return rc;
        }
      }
    }
    forms.p += n;
    forms.n -= n;
  }
  GROW(vs->bv, vs->nbv, vs->capbv);
  b = &vs->bv[vs->nbv++];
  b->verb = verb;
  b->own = NULL;
  memset(el, 0, sizeof el);
  el[0].type = PE_HEAD;
  el[0].nalt = verb;
  for (k = 0; k < nparts; k++) {
    alts al;
    lx_elem *x;
    if (k == head)
      continue;
    memset(&al, 0, sizeof al);
    if ((rc = add_alt_text(L, &vs->syns, parts[k], 0, &al)) < 0)
      return rc;
    if (al.n == 0) {
      dy__lex_bad(L, "bad word in multi-word verb", NULL);
      vs->nbv--;
      return DY_OK;
    }
    x = k < head ? &pre[npre++] : &el[nel++];
    if ((rc = lit_elem(L, x, &al, 0)) < 0)
      return rc;
  }
  if (nparts > 1 || (code[0] && strcmp(code, "---") != 0)) {
    b->own = new_pattern(L, code[0] ? code : "---", el, nel, pre, npre, l);
    if (b->own == NULL)
      return DY_ENOMEM;
    b->own->verb = verb;
  }
  return DY_OK;
}

static void chain_append(dy_engine *e, int verb, lx_pattern *pt)
{
  lx_pattern **pp = &e->verbs[verb].patterns;
  while (*pp)
    pp = &(*pp)->next;
  pt->next = NULL;
  *pp = pt;
}

/* Ends a block: every single-word verb of the block gets a copy of every
 * block pattern; every verb gets its own pattern. */
static int end_block(loader *L, vstate *vs)
{
  dy_engine *e = L->e;
  size_t i, j;
  for (i = 0; i < vs->nbv; i++) {
    bverb *b = &vs->bv[i];
    int multi = b->own && (b->own->nel > 1 || b->own->npre > 0);
    if (b->own) {
      chain_append(e, b->verb, b->own);
      e->st.patterns++;
    }
    if (multi)
      continue;
    /* the patterns written for this verb first (ties go to the first) */
    for (j = 0; j < 2 * vs->nbp; j++) {
      lx_pattern *cp;
      size_t jj = j % vs->nbp;
      if ((j < vs->nbp) != (vs->borig[jj] == b->verb))
        continue;
      cp = dy_arena_alloc(&e->mem, sizeof *cp);
      if (cp == NULL)
        return DY_ENOMEM;
      *cp = *vs->bp[jj];
      cp->verb = b->verb;
      cp->el = dy_arena_alloc(&e->mem, (size_t)cp->nel * sizeof *cp->el);
      if (cp->el == NULL)
        return DY_ENOMEM;
      memcpy(cp->el, vs->bp[jj]->el, (size_t)cp->nel * sizeof *cp->el);
      cp->el[0].nalt = b->verb;
      chain_append(e, b->verb, cp);
    }
  }
  e->st.patterns += vs->nbp;
  vs->nbv = vs->nbp = 0;
  vs->in_block = 0;
  return DY_OK;
}

/* "~ a (a b VERB) VERB = a b CODE|Q" and "~ a (b . VERB) VERB = a b
 * CODE|Q": the two forms of PETRARCH-2 transformation that rewrite a
 * reported event (what a speaker says of itself or of someone else).
 * Returns 0 for any other form (counted as unsupported). */
static int add_xform(loader *L, dy_str l)
{
  char buf[256], *w[16], *p;
  int n = 0, self;
  lx_xform *x;
  if (l.n >= sizeof buf || L->e->nxforms >= LX_MAX_XFORMS)
    return 0;
  /* spaces around the brackets so they tokenise alone */
  {
    size_t i, o = 0;
    for (i = 0; i < l.n && o + 3 < sizeof buf; i++) {
      if (l.p[i] == '(' || l.p[i] == ')') {
        buf[o++] = ' ';
        buf[o++] = l.p[i];
        buf[o++] = ' ';
      } else {
        buf[o++] = l.p[i];
      }
    }
    if (i < l.n)
      return 0;
    buf[o] = '\0';
  }
  for (p = buf; *p && n < 16;) {
    while (*p == ' ' || *p == '\t')
      *p++ = '\0';
    if (*p == '\0')
      break;
    w[n++] = p;
    while (*p && *p != ' ' && *p != '\t')
      p++;
  }
  /* ~ a ( S T X ) V = a b C */
  if (n != 12 || strcmp(w[0], "~") || strcmp(w[1], "a") || strcmp(w[2], "(") ||
      strcmp(w[6], ")") || strcmp(w[8], "=") || strcmp(w[9], "a") ||
      strcmp(w[10], "b"))
    return 0;
  if (strcmp(w[3], "a") == 0 && strcmp(w[4], "b") == 0)
    self = 1;
  else if (strcmp(w[3], "b") == 0 && strcmp(w[4], ".") == 0)
    self = 0;
  else
    return 0;
  if (strcmp(w[11], "Q") != 0 && (strlen(w[11]) < 3 || strlen(w[11]) > 4 ||
                                  strspn(w[11], "0123456789") != strlen(w[11])))
    return 0;
  x = &L->e->xforms[L->e->nxforms];
  x->self = self;
  x->inner = dy__norm(&L->e->mem, w[5], strlen(w[5]));
  x->outer = dy__norm(&L->e->mem, w[7], strlen(w[7]));
  if (x->inner == NULL || x->outer == NULL)
    return 0;
  snprintf(x->code, sizeof x->code, "%s", strcmp(w[11], "Q") == 0 ? "" : w[11]);
  x->line = L->line;
  L->e->nxforms++;
  return 1;
}

static int load_verbs(loader *L, const dy_buf *buf)
{
  vstate vs;
  size_t pos = 0;
  dy_str l;
  int ind, rc = DY_OK;
  memset(&vs, 0, sizeof vs);
  /* PETRARCH-1 files (the validation suite's) open with <!-- headers and
     read [A:B] as TABARI did: A source to target, B target to source */
  L->petr1 = buf->n >= 4 && memcmp(buf->p, "<!--", 4) == 0;
  while (next_line(L, buf, &pos, &l, &ind, &vs.comment)) {
    if (l.n == 0)
      continue; /* a synset may span blank lines */
    if (l.n >= 3 && memcmp(l.p, "---", 3) == 0) {
      char code[8];
      dy_str h = dy_str_trim((dy_str){l.p + 3, l.n - 3});
      if ((rc = end_block(L, &vs)) < 0)
        break;
      vs.cur_syn = NULL;
      while (h.n && h.p[h.n - 1] == '-')
        h.n--;
      h = dy_str_trim(h);
      if (take_code(&h, code) < 0 || h.n == 0) {
        dy__lex_bad(L, "bad verb block header", NULL);
        continue;
      }
      memcpy(vs.bcode, code, sizeof code);
      vs.in_block = 1;
      continue;
    }
    if (l.p[0] == '&') {
      char key[128];
      size_t kn = syn_key(key, sizeof key, l);
      syn *s;
      char *k2;
      if ((rc = end_block(L, &vs)) < 0)
        break;
      if (kn == 0 || memchr(key, ' ', kn)) {
        dy__lex_bad(L, "bad synset name", NULL);
        vs.cur_syn = NULL;
        continue;
      }
      s = dy__map_get(&vs.syns, key, kn);
      if (s == NULL) {
        s = dy_arena_zalloc(&L->e->mem, sizeof *s);
        k2 = pstr(L, key, kn);
        if (s == NULL || k2 == NULL || dy__map_put(&vs.syns, k2, s) < 0) {
          rc = DY_ENOMEM;
          break;
        }
      }
      vs.cur_syn = s;
      continue;
    }
    if (l.p[0] == '+' && vs.cur_syn) {
      syn_mem *m = dy_arena_zalloc(&L->e->mem, sizeof *m);
      dy_str t = dy_str_trim((dy_str){l.p + 1, l.n - 1});
      if (m == NULL || (m->text = pstr(L, t.p, t.n)) == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      if (vs.cur_syn->tail)
        vs.cur_syn->tail->next = m;
      else
        vs.cur_syn->head = m;
      vs.cur_syn->tail = m;
      continue;
    }
    if (l.p[0] == '~') {
      if (!add_xform(L, l))
        L->e->st.unsupported++; /* other transformation forms */
      continue;
    }
    if (l.p[0] == '-') {
      rc = add_block_pattern(L, &vs, l);
    } else if (vs.in_block) {
      rc = add_block_verb(L, &vs, l);
    } else {
      dy__lex_bad(L, "line outside a verb block or synset", NULL);
      continue;
    }
    if (rc < 0)
      break;
  }
  if (rc >= 0)
    rc = end_block(L, &vs);
  dy__map_fini(&vs.syns);
  dy_free(vs.bv);
  dy_free(vs.bp);
  dy_free(vs.borig);
  return rc;
}

/* ==== actors ============================================================ */

typedef struct acode {
  char code[24];
  long from, to; /* day numbers; LONG_MIN/LONG_MAX when open */
  int dated;
  int line;
} acode;

typedef struct astate {
  dy_str names[PD_MAX_NAMES]; /* pending names (into the file buffer) */
  int nnames;
  int name_line; /* line of the first name */
  acode codes[PD_MAX_CODES];
  int ncodes;
} astate;

/* YYMMDD (pivot 30) or YYYYMMDD → day number; -1 when malformed. */
static long petr_date(dy_str s)
{
  char iso[16];
  size_t k;
  for (k = 0; k < s.n; k++)
    if (!dy_isdigit(s.p[k]))
      return -1;
  if (s.n == 6) {
    int yy = (s.p[0] - '0') * 10 + (s.p[1] - '0');
    snprintf(iso, sizeof iso, "%d-%.2s-%.2s", yy < 30 ? 2000 + yy : 1900 + yy,
             s.p + 2, s.p + 4);
  } else if (s.n == 8) {
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s.p, s.p + 4, s.p + 6);
  } else {
    return -1;
  }
  return dy_date_parse(dy_str_c(iso));
}

/* Parses the inside of "[CODE]", "[CODE >D]", "[CODE <D]", "[CODE D-D]". */
static int parse_acode(dy_str in, acode *c)
{
  size_t k = 0;
  dy_str code, r;
  in = dy_str_trim(in);
  while (k < in.n && in.p[k] != ' ' && in.p[k] != '\t')
    k++;
  code = (dy_str){in.p, k};
  r = dy_str_trim((dy_str){in.p + k, in.n - k});
  if (code.n == 0 || code.n >= sizeof c->code)
    return -1;
  if (memchr(code.p, '/', code.n))
    return -2; /* alternative codes "[A/B]": not supported */
  for (k = 0; k < code.n; k++) {
    char ch = up(code.p[k]);
    if (!dy_isupper(ch) && !dy_isdigit(ch) && ch != '-' && ch != '~')
      return -1;
    c->code[k] = ch;
  }
  c->code[code.n] = '\0';
  c->from = LONG_MIN;
  c->to = LONG_MAX;
  c->dated = r.n > 0;
  if (r.n == 0)
    return 0;
  if (r.p[0] == '>') {
    c->from = petr_date(dy_str_trim((dy_str){r.p + 1, r.n - 1}));
    return c->from < 0 ? -1 : 0;
  }
  if (r.p[0] == '<') {
    c->to = petr_date(dy_str_trim((dy_str){r.p + 1, r.n - 1}));
    return c->to < 0 ? -1 : 0;
  }
  {
    const char *dash = memchr(r.p, '-', r.n);
    if (dash == NULL)
      return -1;
    c->from = petr_date(dy_str_trim((dy_str){r.p, (size_t)(dash - r.p)}));
    c->to = petr_date(
        dy_str_trim((dy_str){dash + 1, (size_t)(r.p + r.n - dash - 1)}));
    return c->from < 0 || c->to < 0 ? -1 : 0;
  }
}

static int actor_index(loader *L, const char *code, const char *name, int *out)
{
  dy_engine *e = L->e;
  void *v = dy__map_get(&e->actoridx, code, strlen(code));
  lx_actor *a;
  const char *key;
  int isi = strncmp(code, "IGO", 3) == 0;
  if (v) {
    *out = (int)((intptr_t)v - 1);
    return DY_OK;
  }
  GROW(e->actors, e->nactors, e->capactors);
  a = &e->actors[e->nactors];
  memset(a, 0, sizeof *a);
  snprintf(a->code, sizeof a->code, "%s", code);
  if (isi)
    memcpy(a->country, "IGO", 4);
  else
    snprintf(a->country, sizeof a->country, "%.3s", code);
  if (strlen(code) >= 6)
    snprintf(a->role, sizeof a->role, "%.3s", code + 3);
  a->name = pstr(L, name, strlen(name));
  if (a->name == NULL)
    return DY_ENOMEM;
  *out = (int)e->nactors++;
  if (strlen(code) == 3 && !isi)
    e->st.countries++;
  else if (isi)
    e->st.igos++;
  else
    e->st.groups++;
  key = pstr(L, code, strlen(code));
  if (key == NULL)
    return DY_ENOMEM;
  return dy__map_put(&e->actoridx, key, (void *)(intptr_t)(*out + 1));
}

static int add_entry_names(loader *L, astate *as, int kind, int idx,
                           const char *what)
{
  int k, rc, save = L->line;
  char buf[256];
  L->line = as->name_line;
  for (k = 0; k < as->nnames; k++) {
    dy_str t = name_text(buf, sizeof buf, as->names[k]);
    if (t.n == 0)
      continue;
    if ((rc = dy__lex_name(L, t, kind, idx, what)) < 0) {
      L->line = save;
      return rc;
    }
  }
  L->line = save;
  return DY_OK;
}

/* Turns the pending names and codes into an actor or a person. */
static int flush_actor(loader *L, astate *as)
{
  dy_engine *e = L->e;
  char disp[256];
  int rc = DY_OK, k, idx, ndated = 0;
  if (as->nnames == 0 || as->ncodes == 0)
    goto out;
  name_text(disp, sizeof disp, as->names[0]);
  for (k = 0; k < as->ncodes; k++)
    ndated += as->codes[k].dated;
  if (as->ncodes == 1 && !ndated) {
    const char *code = as->codes[0].code;
    const char *what;
    int kind;
    if (code[0] == '-' || code[0] == '~') {
      e->st.unsupported++; /* "---" actors name nobody */
      goto out;
    }
    if ((rc = actor_index(L, code, disp, &idx)) < 0)
      goto out;
    kind = strncmp(code, "IGO", 3) == 0 ? LX_IGO
           : strlen(code) == 3          ? LX_COUNTRY
                                        : LX_GROUP;
    what = dy__lex_what(L,
                        kind == LX_COUNTRY ? "country"
                        : kind == LX_IGO   ? "igo"
                                           : "group",
                        code, disp);
    if (what == NULL) {
      rc = DY_ENOMEM;
      goto out;
    }
    rc = add_entry_names(L, as, kind, idx, what);
    goto out;
  }
  /* several or dated codes: a person with dated roles; undated codes are
   * the fallback and go last */
  {
    lx_person *p;
    int r = 0, pass;
    const char *what;
    if (e->npeople == e->cappeople) {
      size_t nc = e->cappeople ? e->cappeople * 2 : 64;
      void *np = dy_realloc(e->people, nc * sizeof *e->people);
      if (np == NULL) {
        rc = DY_ENOMEM;
        goto out;
      }
      e->people = np;
      e->cappeople = nc;
    }
    p = &e->people[e->npeople];
    memset(p, 0, sizeof *p);
    p->name = pstr(L, disp, strlen(disp));
    p->roles = dy_calloc((size_t)as->ncodes, sizeof *p->roles);
    if (p->name == NULL || p->roles == NULL) {
      dy_free(p->roles);
      rc = DY_ENOMEM;
      goto out;
    }
    for (pass = 0; pass < 2; pass++)
      for (k = 0; k < as->ncodes; k++) {
        const acode *c = &as->codes[k];
        if (c->dated != !pass || c->code[0] == '-')
          continue;
        p->roles[r].from = c->from;
        p->roles[r].to = c->to;
        snprintf(p->roles[r].code, sizeof p->roles[r].code, "%s", c->code);
        p->roles[r].desc = c->dated ? "dated code" : "default code";
        p->roles[r].line = c->line;
        r++;
      }
    p->nroles = r;
    if (r == 0) {
      dy_free(p->roles);
      e->st.unsupported++;
      goto out;
    }
    idx = (int)e->npeople++;
    e->st.people++;
    what = dy__lex_what(L, "person", "", disp);
    if (what == NULL) {
      rc = DY_ENOMEM;
      goto out;
    }
    rc = add_entry_names(L, as, LX_PERSON, idx, what);
  }
out:
  as->nnames = as->ncodes = 0;
  return rc;
}

/* Reads the "[...]" groups of a line into codes; returns 0, or -1 when a
 * bracket is malformed. */
static int line_codes(loader *L, astate *as, dy_str *l)
{
  const char *open = memchr(l->p, '[', l->n);
  const char *end = l->p + l->n;
  dy_str rest;
  int rc;
  if (open == NULL)
    return 0;
  rest = (dy_str){open, (size_t)(end - open)};
  l->n = (size_t)(open - l->p);
  *l = dy_str_trim(*l);
  while (rest.n && rest.p[0] == '[') {
    const char *close = memchr(rest.p, ']', rest.n);
    acode c;
    if (close == NULL)
      return -1;
    memset(&c, 0, sizeof c);
    rc = parse_acode((dy_str){rest.p + 1, (size_t)(close - rest.p - 1)}, &c);
    if (rc == -1)
      return -1;
    c.line = L->line;
    if (rc == -2)
      L->e->st.unsupported++;
    else if (as->ncodes < PD_MAX_CODES)
      as->codes[as->ncodes++] = c;
    rest = dy_str_trim((dy_str){close + 1, (size_t)(end - close - 1)});
  }
  return rest.n ? -1 : 0;
}

static int load_actors(loader *L, const dy_buf *buf)
{
  astate *as = dy_calloc(1, sizeof *as);
  size_t pos = 0;
  dy_str l;
  int ind, rc = DY_OK;
  if (as == NULL)
    return DY_ENOMEM;
  while (next_line(L, buf, &pos, &l, &ind, NULL)) {
    int plus, save_n;
    if (l.n == 0)
      continue;
    if (l.p[0] == '[') {
      if (line_codes(L, as, &l) < 0 || l.n) {
        dy__lex_bad(L, "bad actor code", NULL);
        continue;
      }
      continue;
    }
    plus = l.p[0] == '+';
    if (!plus && as->ncodes > 0 && (rc = flush_actor(L, as)) < 0)
      break;
    save_n = as->ncodes;
    if (line_codes(L, as, &l) < 0) {
      as->ncodes = save_n;
      dy__lex_bad(L, "bad actor code", NULL);
      continue;
    }
    if (plus) {
      l.p++;
      l.n--;
      l = dy_str_trim(l);
    }
    if (l.n == 0 || l.n > 200) {
      dy__lex_bad(L, "actor name empty or too long", NULL);
      continue;
    }
    if (as->nnames == 0)
      as->name_line = L->line;
    if (as->nnames < PD_MAX_NAMES)
      as->names[as->nnames++] = l;
  }
  if (rc >= 0)
    rc = flush_actor(L, as);
  dy_free(as);
  return rc;
}

/* ==== agents ============================================================ */

typedef struct subst {
  char key[32];    /* "!PERSON!" */
  dy_str vals[16]; /* replacements */
  int nvals;
} subst;

static int agent_index(loader *L, const char *code, int *out)
{
  dy_engine *e = L->e;
  size_t i;
  for (i = 0; i < e->nagents; i++)
    if (strcmp(e->agents[i].code, code) == 0) {
      *out = (int)i;
      return DY_OK;
    }
  GROW(e->agents, e->nagents, e->capagents);
  memset(&e->agents[e->nagents], 0, sizeof e->agents[e->nagents]);
  snprintf(e->agents[e->nagents].code, sizeof e->agents[0].code, "%s", code);
  snprintf(e->agents[e->nagents].role, sizeof e->agents[0].role, "%.3s", code);
  e->agents[e->nagents].name = e->agents[e->nagents].code;
  *out = (int)e->nagents++;
  e->st.agents++;
  return DY_OK;
}

static int add_agent_name(loader *L, const char *w, size_t n, int idx,
                          const char *what)
{
  char buf[256];
  dy_str t = name_text(buf, sizeof buf, (dy_str){w, n});
  if (t.n == 0)
    return DY_OK;
  return dy__lex_name(L, t, LX_AGENT, idx, what);
}

static int load_agents(loader *L, const dy_buf *buf)
{
  subst subs[16];
  int nsubs = 0, ind, rc = DY_OK;
  size_t pos = 0;
  dy_str l;
  while (next_line(L, buf, &pos, &l, &ind, NULL)) {
    char code[24], word[256], plural[256];
    const char *open, *close, *brace, *bang;
    size_t k, cn = 0;
    dy_str w;
    int idx, s;
    const char *what;
    if (l.n == 0)
      continue;
    if (l.p[0] == '!' && memchr(l.p, '=', l.n)) {
      const char *eq = memchr(l.p, '=', l.n);
      const char *b2 = memchr(l.p + 1, '!', l.n - 1);
      dy_str vals;
      if (eq == NULL || b2 == NULL || b2 > eq ||
          (size_t)(b2 - l.p) + 1 >= sizeof subs[0].key || nsubs == 16) {
        dy__lex_bad(L, "bad !SUBSTITUTION! line", NULL);
        continue;
      }
      memset(&subs[nsubs], 0, sizeof subs[nsubs]);
      memcpy(subs[nsubs].key, l.p, (size_t)(b2 - l.p) + 1);
      vals = (dy_str){eq + 1, (size_t)(l.p + l.n - eq - 1)};
      while (vals.n && subs[nsubs].nvals < 16) {
        const char *cm = memchr(vals.p, ',', vals.n);
        size_t len = cm ? (size_t)(cm - vals.p) : vals.n;
        dy_str v = dy_str_trim((dy_str){vals.p, len});
        if (v.n)
          subs[nsubs].vals[subs[nsubs].nvals++] = v;
        vals.p += cm ? len + 1 : len;
        vals.n -= cm ? len + 1 : len;
      }
      nsubs++;
      continue;
    }
    open = memchr(l.p, '[', l.n);
    close = open ? memchr(open, ']', (size_t)(l.p + l.n - open)) : NULL;
    if (close == NULL) {
      dy__lex_bad(L, "agent line without [code]", NULL);
      continue;
    }
    for (k = 1; open + k < close && cn + 1 < sizeof code; k++)
      if (open[k] != '~' && open[k] != ' ')
        code[cn++] = up(open[k]);
    code[cn] = '\0';
    if (cn < 3 || cn > 12) {
      dy__lex_bad(L, "bad agent code", NULL);
      continue;
    }
    w = dy_str_trim((dy_str){l.p, (size_t)(open - l.p)});
    if (w.n && w.p[0] == '+') {
      w.p++;
      w.n--;
    }
    plural[0] = '\0';
    brace = memchr(w.p, '{', w.n);
    if (brace) {
      const char *cb = memchr(brace, '}', (size_t)(w.p + w.n - brace));
      if (cb == NULL || (size_t)(cb - brace) >= sizeof plural) {
        dy__lex_bad(L, "bad {plural} on agent line", NULL);
        continue;
      }
      snprintf(plural, sizeof plural, "%.*s", (int)(cb - brace - 1), brace + 1);
      w.n = (size_t)(brace - w.p);
      w = dy_str_trim(w);
    }
    if (w.n == 0 || w.n >= sizeof word - 8) {
      dy__lex_bad(L, "agent name empty or too long", NULL);
      continue;
    }
    if ((rc = agent_index(L, code, &idx)) < 0)
      break;
    what = dy__lex_what(L, "agent", code, "");
    if (what == NULL) {
      rc = DY_ENOMEM;
      break;
    }
    bang = memchr(w.p, '!', w.n);
    if (bang) {
      const char *b2 = memchr(bang + 1, '!', (size_t)(w.p + w.n - bang - 1));
      size_t kl = b2 ? (size_t)(b2 - bang) + 1 : 0;
      int found = 0;
      for (s = 0; s < nsubs && b2; s++) {
        int v;
        if (strlen(subs[s].key) != kl || memcmp(subs[s].key, bang, kl) != 0)
          continue;
        found = 1;
        for (v = 0; v < subs[s].nvals; v++) {
          int n = snprintf(word, sizeof word, "%.*s%.*s%.*s", (int)(bang - w.p),
                           w.p, (int)subs[s].vals[v].n, subs[s].vals[v].p,
                           (int)(w.p + w.n - b2 - 1), b2 + 1);
          if (n > 0 && (size_t)n < sizeof word &&
              (rc = add_agent_name(L, word, (size_t)n, idx, what)) < 0)
            break;
        }
      }
      if (rc < 0)
        break;
      if (!found)
        dy__lex_bad(L, "unknown !SUBSTITUTION!", NULL);
      continue;
    }
    if ((rc = add_agent_name(L, w.p, w.n, idx, what)) < 0)
      break;
    if (plural[0]) {
      if ((rc = add_agent_name(L, plural, strlen(plural), idx, what)) < 0)
        break;
    } else if (w.p[w.n - 1] != '_') {
      int n = snprintf(word, sizeof word, "%.*sS", (int)w.n, w.p);
      if ((rc = add_agent_name(L, word, (size_t)n, idx, what)) < 0)
        break;
    }
  }
  return rc;
}

/* ==== discards and issues =============================================== */

static int load_discards(loader *L, const dy_buf *buf)
{
  dy_engine *e = L->e;
  size_t pos = 0;
  dy_str l;
  int ind;
  while (next_line(L, buf, &pos, &l, &ind, NULL)) {
    char tmp[256];
    dy_str t;
    lx_discard *dc, *head;
    dy_arena ta;
    dy__tok *toks;
    size_t ntok, k;
    int rc;
    if (l.n == 0)
      continue;
    if (l.p[0] == '+') {
      l.p++;
      l.n--;
    }
    t = name_text(tmp, sizeof tmp, dy_str_trim(l));
    if (t.n == 0 || l.n >= sizeof tmp) {
      dy__lex_bad(L, "bad discard phrase", NULL);
      continue;
    }
    dy_arena_init(&ta, 0);
    rc = dy__tokenize(&ta, t.p, t.n, &toks, &ntok);
    if (rc < 0 || ntok == 0 || ntok > 16) {
      dy_arena_fini(&ta);
      if (rc < 0)
        return rc;
      dy__lex_bad(L, "bad discard phrase", NULL);
      continue;
    }
    dc = dy_arena_zalloc(&e->mem, sizeof *dc);
    if (dc == NULL ||
        (dc->toks = dy_arena_alloc(&e->mem, ntok * sizeof *dc->toks)) == NULL) {
      dy_arena_fini(&ta);
      return DY_ENOMEM;
    }
    for (k = 0; k < ntok; k++)
      if ((dc->toks[k] = dy__norm(&e->mem, t.p + toks[k].off, toks[k].len)) ==
          NULL) {
        dy_arena_fini(&ta);
        return DY_ENOMEM;
      }
    dy_arena_fini(&ta);
    dc->ntok = (int)ntok;
    dc->words = 1;
    dc->file = L->file;
    dc->line = L->line;
    head = dy__map_get(&e->discards, dc->toks[0], strlen(dc->toks[0]));
    dc->next = head;
    if (dy__map_put(&e->discards, dc->toks[0], dc) < 0)
      return DY_ENOMEM;
    e->st.discards++;
  }
  return DY_OK;
}

static int load_issues(loader *L, const dy_buf *buf)
{
  size_t pos = 0;
  dy_str l;
  int ind;
  while (next_line(L, buf, &pos, &l, &ind, NULL)) {
    char code[8];
    if (l.n == 0 || l.p[0] == '~')
      continue;
    if (l.p[0] == '<') {
      if (l.n < 2 || l.p[l.n - 1] != '>')
        dy__lex_bad(L, "bad <ISSUE> line", NULL);
      continue;
    }
    {
      const char *open = memchr(l.p, '[', l.n);
      const char *close =
          open ? memchr(open, ']', (size_t)(l.p + l.n - open)) : NULL;
      (void)code;
      if (open == NULL) {
        L->e->st.issues++; /* a further spelling of the phrase above */
        continue;
      }
      if (close == NULL || close == open + 1 || open == l.p) {
        dy__lex_bad(L, "issue phrase without [CATEGORY]", NULL);
        continue;
      }
    }
    L->e->st.issues++;
  }
  return DY_OK;
}

/* ==== files ============================================================= */

enum { PF_VERBS, PF_ACTORS, PF_AGENTS, PF_DISCARDS, PF_ISSUES, PF_UNKNOWN };

static int contains_ci(const char *s, const char *w)
{
  size_t n = strlen(w), k;
  for (; *s; s++) {
    for (k = 0; k < n && s[k] && dy_tolower(s[k]) == w[k]; k++)
      ;
    if (k == n)
      return 1;
  }
  return 0;
}

static int file_kind(const char *name)
{
  if (contains_ci(name, "verb") || contains_ci(name, "cameo"))
    return PF_VERBS;
  if (contains_ci(name, "actor"))
    return PF_ACTORS;
  if (contains_ci(name, "agent"))
    return PF_AGENTS;
  if (contains_ci(name, "discard"))
    return PF_DISCARDS;
  if (contains_ci(name, "issue"))
    return PF_ISSUES;
  return PF_UNKNOWN;
}

static int load_file(dy_engine *e, const char *dir, const char *name,
                     int strict, dy_err *err)
{
  char path[4096];
  dy_buf buf;
  int rc, kind = file_kind(name);
  if (kind == PF_UNKNOWN)
    return dy_err_set(err, DY_EINVAL,
                      "%s: cannot tell the kind of PETRARCH dictionary from "
                      "its name (want verbs/CAMEO, actors, agents, discards "
                      "or issues in it)",
                      name);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  dy_buf_init(&buf, 0);
  rc = dy_file_read(path, PD_MAX_BYTES, &buf, err);
  if (rc < 0) {
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    dy_buf_fini(&buf);
    return dy_err_set(err, rc, "%s: %s", path, why);
  }
  {
    loader L;
    memset(&L, 0, sizeof L);
    L.e = e;
    L.file = pstr(&L, name, strlen(name));
    L.path = path;
    L.strict = strict;
    L.err = err;
    L.petr = 1;
    if (L.file == NULL)
      rc = DY_ENOMEM;
    else if (kind == PF_VERBS)
      rc = load_verbs(&L, &buf);
    else if (kind == PF_ACTORS)
      rc = load_actors(&L, &buf);
    else if (kind == PF_AGENTS)
      rc = load_agents(&L, &buf);
    else if (kind == PF_DISCARDS)
      rc = load_discards(&L, &buf);
    else
      rc = load_issues(&L, &buf);
    e->st.bad_lines += L.bad;
    if (rc < 0 && rc != DY_ENOMEM)
      rc = dy_err_set(err, rc, "%s: %s", path, dy_strerror(rc));
    else if (rc >= 0 && strict && err->code != DY_OK)
      rc = err->code;
  }
  dy_buf_fini(&buf);
  return rc;
}

int dy__pdict_dir(const char *dir)
{
  char path[4096];
  FILE *f;
  snprintf(path, sizeof path, "%s/actors.dict", dir);
  f = fopen(path, "rb");
  if (f) {
    fclose(f);
    return 0;
  }
  return 1;
}

/* PETRARCH-2's default configuration (PETR_config.ini). */
static const char *const default_set[] = {"CAMEO.2.0.txt",
                                          "Phoenix.Countries.actors.txt",
                                          "Phoenix.International.actors.txt",
                                          "Phoenix.MilNonState.actors.txt",
                                          "Phoenix.agents.txt",
                                          "Phoenix.discards.txt",
                                          "Phoenix.IssueCoding.txt",
                                          NULL};

static int exists(const char *dir, const char *name)
{
  char path[4096];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f)
    fclose(f);
  return f != NULL;
}

int dy__pdict_load(dy_engine *e, const char *dir, const char *files, int strict,
                   dy_err *err)
{
  int rc, k, n = 0;
  if (files && *files) {
    const char *p = files;
    while (*p) {
      char name[512];
      const char *cm = strchr(p, ',');
      size_t len = cm ? (size_t)(cm - p) : strlen(p);
      dy_str t = dy_str_trim((dy_str){p, len});
      if (t.n && t.n < sizeof name) {
        memcpy(name, t.p, t.n);
        name[t.n] = '\0';
        if (strchr(name, '/'))
          return dy_err_set(err, DY_EINVAL,
                            "%s: dictionary names are file names in the "
                            "dictionary directory",
                            name);
        if ((rc = load_file(e, dir, name, strict, err)) < 0)
          return rc;
        n++;
      }
      p += cm ? len + 1 : len;
    }
  } else if (exists(dir, default_set[0])) {
    for (k = 0; default_set[k]; k++)
      if (exists(dir, default_set[k])) {
        if ((rc = load_file(e, dir, default_set[k], strict, err)) < 0)
          return rc;
        n++;
      }
  } else {
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, cap = 0, i;
    if (d == NULL)
      return dy_err_set(err, DY_EIO, "%s: cannot open dictionary directory",
                        dir);
    rc = DY_OK;
    while ((de = readdir(d)) != NULL) {
      size_t l = strlen(de->d_name);
      if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0 ||
          file_kind(de->d_name) == PF_UNKNOWN)
        continue;
      if (nn == cap) {
        size_t nc = cap ? cap * 2 : 16;
        void *np = dy_realloc(names, nc * sizeof *names);
        if (np == NULL) {
          rc = DY_ENOMEM;
          break;
        }
        names = np;
        cap = nc;
      }
      names[nn] = dy_arena_strndup(&e->mem, de->d_name, l);
      if (names[nn] == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      nn++;
    }
    closedir(d);
    if (rc >= 0) {
      /* sorted, for a stable load order */
      for (i = 1; i < nn; i++) {
        size_t j = i;
        char *x = names[i];
        while (j > 0 && strcmp(names[j - 1], x) > 0) {
          names[j] = names[j - 1];
          j--;
        }
        names[j] = x;
      }
      for (i = 0; i < nn && rc >= 0; i++) {
        rc = load_file(e, dir, names[i], strict, err);
        n++;
      }
    }
    dy_free(names);
    if (rc < 0)
      return rc == DY_ENOMEM
                 ? dy_err_set(err, rc, "out of memory loading %s", dir)
                 : rc;
  }
  if (n == 0)
    return dy_err_set(err, DY_ENOENT,
                      "%s: no dyad (actors.dict) or PETRARCH-2 (*.txt) "
                      "dictionaries",
                      dir);
  return DY_OK;
}
