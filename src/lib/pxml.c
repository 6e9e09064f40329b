/* SPDX-License-Identifier: MIT */
/* The PETRARCH validation/input XML reader. Tolerant on purpose: the
 * UniversalPetrarch file is not well-formed (self-closing <Sentence .../>
 * later closed by </Sentence>, free text in the header), so this is a tag
 * scanner, not an XML parser. */
#include "dyad/petrarch.h"

#include <stdio.h>
#include <string.h>

#define PX_MAX_RECORDS 1000000
#define PX_MAX_GOLD    64
#define PX_MAX_ATTRS   16

typedef struct attr {
  dy_str name, val;
} attr;

typedef struct scan {
  const char *p;
  size_t n, i;
  int line;
} scan;

static int count_lines(const char *p, size_t from, size_t to)
{
  int k = 0;
  for (; from < to; from++)
    k += p[from] == '\n';
  return k;
}

/* Decodes entities and collapses blanks into an arena string. */
static char *text_dup(dy_arena *a, const char *p, size_t n)
{
  char *out = dy_arena_alloc(a, n + 1);
  size_t i, o = 0;
  int sp = 1;
  if (out == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    char c = p[i];
    if (c == '&') {
      static const struct {
        const char *e;
        char c;
      } ents[] = {{"&amp;", '&'},
                  {"&lt;", '<'},
                  {"&gt;", '>'},
                  {"&quot;", '"'},
                  {"&apos;", '\''}};
      size_t k;
      for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
        size_t l = strlen(ents[k].e);
        if (n - i >= l && memcmp(p + i, ents[k].e, l) == 0) {
          c = ents[k].c;
          i += l - 1;
          break;
        }
      }
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!sp)
        out[o++] = ' ';
      sp = 1;
      continue;
    }
    out[o++] = c;
    sp = 0;
  }
  while (o && out[o - 1] == ' ')
    o--;
  out[o] = '\0';
  return out;
}

/* Parses attributes of a tag body (after the name). */
static int parse_attrs(dy_str body, attr *at, int max)
{
  size_t i = 0;
  int n = 0;
  while (i < body.n && n < max) {
    size_t st;
    char q;
    while (i < body.n &&
           (body.p[i] == ' ' || body.p[i] == '\t' || body.p[i] == '\n' ||
            body.p[i] == '\r' || body.p[i] == '/'))
      i++;
    st = i;
    while (i < body.n && body.p[i] != '=' && body.p[i] != ' ' &&
           body.p[i] != '\t' && body.p[i] != '\n' && body.p[i] != '/')
      i++;
    if (i == st)
      break;
    at[n].name = (dy_str){body.p + st, i - st};
    while (i < body.n && (body.p[i] == ' ' || body.p[i] == '\t'))
      i++;
    if (i >= body.n || body.p[i] != '=') {
      at[n].val = (dy_str){body.p + i, 0};
      n++;
      continue;
    }
    i++;
    while (i < body.n && (body.p[i] == ' ' || body.p[i] == '\t'))
      i++;
    if (i >= body.n)
      return -1;
    q = body.p[i];
    if (q == '"' || q == '\'') {
      const char *e = memchr(body.p + i + 1, q, body.n - i - 1);
      if (e == NULL)
        return -1;
      at[n].val = (dy_str){body.p + i + 1, (size_t)(e - body.p - i - 1)};
      i = (size_t)(e - body.p) + 1;
    } else {
      st = i;
      while (i < body.n && body.p[i] != ' ' && body.p[i] != '\t')
        i++;
      at[n].val = (dy_str){body.p + st, i - st};
    }
    n++;
  }
  return n;
}

static dy_str get_attr(const attr *at, int n, const char *name)
{
  int k;
  for (k = 0; k < n; k++)
    if (at[k].name.n == strlen(name) && dy_str_eq_c(at[k].name, name))
      return at[k].val;
  return (dy_str){NULL, 0};
}

static void copy_code(char *dst, size_t cap, dy_str v)
{
  size_t k, o = 0;
  v = dy_str_trim(v);
  for (k = 0; k < v.n && o + 1 < cap; k++)
    if (v.p[k] != ' ')
      dst[o++] = v.p[k];
  dst[o] = '\0';
}

/* The content of <name>...</name> starting at *i (after the open tag). */
static int element_text(scan *s, const char *name, dy_str *out)
{
  char close[32];
  size_t cl, k;
  snprintf(close, sizeof close, "</%s", name);
  cl = strlen(close);
  for (k = s->i; k + cl <= s->n; k++) {
    if (s->p[k] == '<' && memcmp(s->p + k, close, cl) == 0) {
      const char *gt = memchr(s->p + k, '>', s->n - k);
      *out = (dy_str){s->p + s->i, k - s->i};
      s->line += count_lines(s->p, s->i, k);
      s->i = gt ? (size_t)(gt - s->p) + 1 : s->n;
      return 1;
    }
  }
  return 0;
}

static int env_add(dy_pxml *x, const char **field, dy_str v, int append)
{
  char *s;
  v = dy_str_trim(v);
  if (append && **field) {
    size_t ol = strlen(*field);
    s = dy_arena_alloc(&x->mem, ol + v.n + 2);
    if (s == NULL)
      return DY_ENOMEM;
    memcpy(s, *field, ol);
    s[ol] = ',';
    memcpy(s + ol + 1, v.p, v.n);
    s[ol + 1 + v.n] = '\0';
  } else {
    s = dy_arena_strndup(&x->mem, v.p, v.n);
    if (s == NULL)
      return DY_ENOMEM;
  }
  *field = s;
  return DY_OK;
}

static void bad(dy_pxml *x, int line)
{
  if (x->nbad++ == 0)
    x->first_bad_line = line;
}

int dy_pxml_parse(const char *p, size_t n, dy_pxml **out, dy_err *err)
{
  dy_pxml *x = dy_calloc(1, sizeof *x);
  scan s = {p, n, 0, 1};
  dy_precord *cur = NULL;
  size_t cap = 0;
  int rc = DY_OK, saw_sentence = 0;
  dy_err_clear(err);
  *out = NULL;
  if (x == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  dy_arena_init(&x->mem, 0);
  x->verbfile = x->actorfiles = x->agentfile = x->discardfile = "";
  while (s.i < n) {
    const char *lt = memchr(p + s.i, '<', n - s.i);
    const char *gt;
    size_t st, k;
    dy_str name, body;
    attr at[PX_MAX_ATTRS];
    int na, closing, selfclose;
    if (lt == NULL)
      break;
    s.line += count_lines(p, s.i, (size_t)(lt - p));
    s.i = (size_t)(lt - p);
    if (n - s.i >= 4 && memcmp(p + s.i, "<!--", 4) == 0) {
      size_t e;
      for (e = s.i + 4; e + 3 <= n; e++)
        if (memcmp(p + e, "-->", 3) == 0)
          break;
      if (e + 3 > n) {
        bad(x, s.line);
        break; /* unterminated comment: the rest is comment */
      }
      s.line += count_lines(p, s.i, e);
      s.i = e + 3;
      continue;
    }
    gt = memchr(p + s.i, '>', n - s.i);
    if (gt == NULL) {
      bad(x, s.line);
      break;
    }
    st = s.i + 1;
    closing = st < n && p[st] == '/';
    if (closing)
      st++;
    for (k = st; k < (size_t)(gt - p) && p[k] != ' ' && p[k] != '\t' &&
                 p[k] != '\n' && p[k] != '\r' && p[k] != '/';
         k++)
      ;
    name = (dy_str){p + st, k - st};
    body = (dy_str){p + k, (size_t)(gt - p) - k};
    selfclose = body.n && body.p[body.n - 1] == '/';
    s.line += count_lines(p, s.i, (size_t)(gt - p));
    s.i = (size_t)(gt - p) + 1;
    if (dy_str_eq_c(name, "Sentence")) {
      if (closing) {
        cur = NULL;
        continue;
      }
      na = parse_attrs(body, at, PX_MAX_ATTRS);
      if (na < 0) {
        bad(x, s.line);
        cur = NULL;
        continue;
      }
      saw_sentence = 1;
      if (x->nrecs >= PX_MAX_RECORDS) {
        bad(x, s.line);
        cur = NULL;
        continue;
      }
      if (x->nrecs == cap) {
        size_t nc = cap ? cap * 2 : 64;
        dy_precord *nr =
            dy_arena_grow(&x->mem, x->recs, cap * sizeof *nr, nc * sizeof *nr);
        if (nr == NULL) {
          rc = DY_ENOMEM;
          break;
        }
        x->recs = nr;
        cap = nc;
      }
      cur = &x->recs[x->nrecs++];
      memset(cur, 0, sizeof *cur);
      cur->line = s.line;
      {
        dy_str id = dy_str_trim(get_attr(at, na, "id"));
        dy_str dt = dy_str_trim(get_attr(at, na, "date"));
        cur->id = dy_arena_strndup(&x->mem, id.p ? id.p : "", id.n);
        cur->text = cur->parse = "";
        if (cur->id == NULL) {
          rc = DY_ENOMEM;
          break;
        }
        if (dt.n == 8) {
          char iso[11];
          snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", dt.p, dt.p + 4, dt.p + 6);
          if (dy_date_parse(dy_str_c(iso)) >= 0)
            memcpy(cur->date, iso, sizeof iso);
        } else if (dt.n == 10 && dy_date_parse(dt) >= 0) {
          memcpy(cur->date, dt.p, 10);
          cur->date[10] = '\0';
        }
      }
      (void)selfclose; /* <Sentence .../> still opens the record */
      continue;
    }
    if (closing)
      continue;
    if (dy_str_eq_c(name, "EventCoding")) {
      dy_str src, tgt, code, noev, er;
      if (cur == NULL) {
        bad(x, s.line);
        continue;
      }
      na = parse_attrs(body, at, PX_MAX_ATTRS);
      if (na < 0) {
        bad(x, s.line);
        continue;
      }
      src = get_attr(at, na, "sourcecode");
      tgt = get_attr(at, na, "targetcode");
      code = get_attr(at, na, "eventcode");
      noev = get_attr(at, na, "noevents");
      er = get_attr(at, na, "error");
      if (noev.p && (dy_str_starts_c(noev, "T") || dy_str_starts_c(noev, "t")))
        cur->noevents = 1;
      else if (er.p)
        cur->error = 1;
      else if (src.p && tgt.p && code.p) {
        dy_ptriple *g;
        if (cur->ngold >= PX_MAX_GOLD) {
          bad(x, s.line);
          continue;
        }
        if (cur->gold == NULL) {
          cur->gold = dy_arena_alloc(&x->mem, PX_MAX_GOLD * sizeof *g);
          if (cur->gold == NULL) {
            rc = DY_ENOMEM;
            break;
          }
        }
        g = &cur->gold[cur->ngold++];
        copy_code(g->source, sizeof g->source, src);
        copy_code(g->target, sizeof g->target, tgt);
        copy_code(g->code, sizeof g->code, code);
      } else {
        bad(x, s.line);
      }
      continue;
    }
    if (selfclose)
      continue;
    if (dy_str_eq_c(name, "Text") || dy_str_eq_c(name, "Parse")) {
      dy_str content;
      int is_text = dy_str_eq_c(name, "Text");
      if (!element_text(&s, is_text ? "Text" : "Parse", &content)) {
        bad(x, s.line);
        break;
      }
      if (cur == NULL) {
        bad(x, s.line);
        continue;
      }
      if (is_text)
        cur->text = text_dup(&x->mem, content.p, content.n);
      else
        cur->parse = dy_arena_strndup(&x->mem, content.p, content.n);
      if ((is_text ? cur->text : cur->parse) == NULL) {
        rc = DY_ENOMEM;
        break;
      }
      continue;
    }
    {
      static const char *const envs[] = {"Verbfile", "Actorfile", "Agentfile",
                                         "Discardfile", NULL};
      int e;
      for (e = 0; envs[e]; e++)
        if (dy_str_eq_c(name, envs[e]))
          break;
      if (envs[e]) {
        dy_str content;
        const char **field = e == 0   ? &x->verbfile
                             : e == 1 ? &x->actorfiles
                             : e == 2 ? &x->agentfile
                                      : &x->discardfile;
        if (!element_text(&s, envs[e], &content)) {
          bad(x, s.line);
          break; /* unclosed: nothing after it can be trusted (and no
                    rescans of the rest of the file) */
        }
        if ((rc = env_add(x, field, content, e == 1)) < 0)
          break;
      }
    }
  }
  if (rc < 0) {
    dy_pxml_free(x);
    return dy_err_set(err, rc, "out of memory");
  }
  if (!saw_sentence) {
    dy_pxml_free(x);
    return dy_err_set(err, DY_EFORMAT, "no <Sentence> records");
  }
  *out = x;
  return DY_OK;
}

void dy_pxml_free(dy_pxml *x)
{
  if (x == NULL)
    return;
  dy_arena_fini(&x->mem);
  dy_free(x);
}
