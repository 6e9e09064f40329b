/* SPDX-License-Identifier: MIT */
/* From raw bytes to an article: binary and size checks, UTF-8 repair,
 * boilerplate lines, headline, dateline, headings, body paragraphs, then the
 * tokenizer and the sentence splitter of tokenize.c (byte offsets into the
 * body). */
#include "engine_int.h"

#include "dyad/read.h"

#include <string.h>

/* ---- lines and blocks -------------------------------------------------- */

typedef struct line {
  const char *p; /* trimmed line */
  size_t n;      /* bytes */
} line;

typedef struct block {
  size_t first;  /* first line index */
  size_t nlines; /* lines */
} block;

static int istarts(const char *p, size_t n, const char *prefix)
{
  size_t k = strlen(prefix), i;
  if (n < k)
    return 0;
  for (i = 0; i < k; i++)
    if (dy_tolower(p[i]) != prefix[i])
      return 0;
  return 1;
}

static size_t count_words(const char *p, size_t n)
{
  size_t i, w = 0;
  int in = 0;
  for (i = 0; i < n; i++) {
    if (dy_isspace(p[i])) {
      in = 0;
    } else if (!in) {
      in = 1;
      w++;
    }
  }
  return w;
}

/* A line after which the rest of the page is teasers and widgets. */
static int is_cutoff(const char *p, size_t n)
{
  static const char *const cut[] = {
      "more like this",   "related articles", "related stories",
      "related posts",    "related news",     "related coverage",
      "you may also like", "you might also like", "recommended for you",
      "read next",        "most popular",     "most read",
      "trending now",     "more stories",     "more from",
      "also read",        "related",          NULL};
  int i;
  if (count_words(p, n) > 5)
    return 0;
  for (i = 0; cut[i]; i++) {
    size_t k = strlen(cut[i]);
    if (istarts(p, n, cut[i]) &&
        (n == k || p[k] == ':' || dy_isspace(p[k])))
      return 1;
  }
  return 0;
}

/* Share bars, subscribe prompts, chat widgets, cookie notices. */
static int is_boiler(const char *p, size_t n)
{
  static const char *const pre[] = {
      "share post",  "share this",   "share on",      "share:",
      "thank you for reading", "subscribe", "sign up for", "click here",
      "follow us",   "advertisement", "copyright",    "all rights reserved",
      "\xc3\x97",    "how can i help you", "we use cookies", "accept cookies",
      "tags:",       "print this",   "email this",    "leave a comment",
      "don't forget to subscribe", "newsletter", "download our app", NULL};
  int i;
  if (count_words(p, n) > 30)
    return 0;
  for (i = 0; pre[i]; i++)
    if (istarts(p, n, pre[i]))
      return 1;
  if (istarts(p, n, "\xc2\xa9")) /* © */
    return 1;
  return 0;
}

static int ends_with_any(const char *p, size_t n, const char *const *ends)
{
  int i;
  for (i = 0; ends[i]; i++) {
    size_t k = strlen(ends[i]);
    if (n >= k && memcmp(p + n - k, ends[i], k) == 0)
      return 1;
  }
  return 0;
}

static const char *const terminal[] = {
    ".", "!", "?", ":", ";", ",", "\"", "\xe2\x80\x9d", "\xe2\x80\x99", ")",
    "\xe2\x80\xa6", NULL};

static int looks_like_heading(const char *p, size_t n)
{
  size_t w = count_words(p, n);
  return w >= 1 && w <= 10 && n <= 120 && dy_isupper(p[0]) &&
         !ends_with_any(p, n, terminal);
}

/* ---- dateline ---------------------------------------------------------- */

/* Finds the dateline separator (" – ", " — ", " - ", " -- ") in the first
 * bytes of p; returns its offset and sets *seplen, or returns 0. */
static size_t find_dash(const char *p, size_t n, size_t *seplen)
{
  static const char *const seps[] = {" \xe2\x80\x93 ", " \xe2\x80\x94 ",
                                     " -- ", " - ", "\xe2\x80\x94", NULL};
  size_t lim = n < 160 ? n : 160, i;
  int k;
  for (i = 1; i < lim; i++) {
    for (k = 0; seps[k]; k++) {
      size_t l = strlen(seps[k]);
      if (i + l <= n && memcmp(p + i, seps[k], l) == 0) {
        *seplen = l;
        return i;
      }
    }
  }
  return 0;
}

static char *title_case(dy_arena *a, const char *p, size_t n)
{
  char *s = dy_arena_strndup(a, p, n);
  size_t i;
  int start = 1;
  if (s == NULL)
    return NULL;
  for (i = 0; i < n; i++) {
    if (dy_isalpha(s[i])) {
      if (!start && dy_isupper(s[i]))
        s[i] = (char)(s[i] + 32);
      start = 0;
    } else {
      start = s[i] == ' ' || s[i] == '-' || s[i] == '/' || s[i] == '.';
    }
  }
  return s;
}

typedef struct dateline {
  size_t skip;        /* bytes of the paragraph taken by the dateline */
  char *text;         /* as written */
  char *places;       /* "Moscow/Seoul" */
  char *agency;       /* "Reuters" */
  char date[11];      /* YYYY-MM-DD when the year is given, else "" */
} dateline;

/* Reads "Month D[, YYYY]" or "D Month YYYY" in q; fills out when a year is
 * present. */
static void parse_date_words(const char *q, size_t n, char out[11])
{
  size_t i = 0, ws;
  int month = 0, day = 0, year = 0;
  out[0] = '\0';
  while (i < n) {
    dy_str w;
    while (i < n && (dy_isspace(q[i]) || q[i] == ','))
      i++;
    ws = i;
    while (i < n && !dy_isspace(q[i]) && q[i] != ',' && q[i] != '(')
      i++;
    if (i == ws)
      break;
    w.p = q + ws;
    w.n = i - ws;
    if (dy_isdigit(w.p[0])) {
      int v = 0;
      size_t k;
      for (k = 0; k < w.n && dy_isdigit(w.p[k]) && v < 100000; k++)
        v = v * 10 + (w.p[k] - '0');
      if (v >= 1 && v <= 31 && day == 0)
        day = v;
      else if (v >= 1900 && v <= 2100)
        year = v;
    } else if (dy_month_from_name(w) && month == 0) {
      month = dy_month_from_name(w);
    }
    if (i < n && q[i] == '(')
      break;
  }
  if (month && day && year) {
    char buf[16];
    dy_str s;
    buf[0] = (char)('0' + year / 1000);
    buf[1] = (char)('0' + year / 100 % 10);
    buf[2] = (char)('0' + year / 10 % 10);
    buf[3] = (char)('0' + year % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + month / 10);
    buf[6] = (char)('0' + month % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + day / 10);
    buf[9] = (char)('0' + day % 10);
    buf[10] = '\0';
    s.p = buf;
    s.n = 10;
    if (dy_date_parse(s) >= 0)
      memcpy(out, buf, 11);
  }
}

/* "GAZA CITY, Palestinian Territories: Four children…", "LYON: Interpol
 * has said…": a colon within the first words after a place written in
 * capitals. Returns the colon's offset and sets *seplen, or returns 0. */
static size_t find_colon(const char *p, size_t n, size_t *seplen)
{
  size_t lim = n < 80 ? n : 80, i, letters = 0;
  int in_place = 1;
  for (i = 1; i < lim; i++) {
    if (p[i] == ':')
      break;
    if (p[i] == ',' || p[i] == '(')
      in_place = 0;
    if (in_place && dy_isalpha(p[i])) {
      if (!dy_isupper(p[i]))
        return 0; /* "Update: …" is no dateline */
      letters++;
    }
  }
  if (i >= lim || i + 1 >= n || p[i + 1] != ' ' || letters < 2 ||
      count_words(p, i) > 6)
    return 0;
  *seplen = 2;
  return i;
}

static int parse_dateline(dy_arena *a, const char *p, size_t n, dateline *dl)
{
  size_t seplen = 0, dash = find_dash(p, n, &seplen), i, pe, clen = 0;
  size_t colon = find_colon(p, n, &clen);
  const char *open, *close;
  int caps = 0;
  memset(dl, 0, sizeof *dl);
  if (!dy_isupper(p[0]))
    return 0;
  if (colon && (dash == 0 || colon < dash)) {
    dash = colon;
    seplen = clen;
  }
  if (dash == 0)
    return 0;
  /* places: up to the first ',' or '(' */
  for (pe = 0; pe < dash && p[pe] != ',' && p[pe] != '('; pe++)
    ;
  for (i = 0; i < pe; i++)
    if (dy_isupper(p[i]) && i + 1 < pe && dy_isupper(p[i + 1]))
      caps = 1;
  open = memchr(p, '(', dash);
  close = open ? memchr(open, ')', (size_t)(p + dash - open)) : NULL;
  if (!caps && close == NULL)
    return 0;
  if (count_words(p, pe) > 6)
    return 0;
  dl->text = dy_arena_strndup(a, p, dash);
  dl->places = title_case(a, p, dy_str_trim((dy_str){p, pe}).n);
  dl->agency = close ? dy_arena_strndup(a, open + 1, (size_t)(close - open - 1))
                     : dy_arena_strndup(a, "", 0);
  if (dl->text == NULL || dl->places == NULL || dl->agency == NULL)
    return -1;
  if (pe < dash && p[pe] == ',')
    parse_date_words(p + pe + 1, dash - pe - 1, dl->date);
  dl->skip = dash + seplen;
  while (dl->skip < n && p[dl->skip] == ' ')
    dl->skip++;
  return 1;
}

/* ---- sentences --------------------------------------------------------- */

/* ---- the analysis ------------------------------------------------------ */

int dy__text_is_boiler(const char *p, size_t n, int *cut)
{
  *cut = 0;
  if (n && is_cutoff(p, n)) {
    *cut = 1;
    return 1;
  }
  return n && is_boiler(p, n);
}

static int push_heading(dy_doc *d, const char *p, size_t n, size_t *cap,
                        uint32_t **offs, uint32_t off)
{
  dy_article *art = &d->art;
  if (art->nheadings == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    art->headings = dy_arena_grow(&d->mem, art->headings,
                                  *cap * sizeof(char *), nc * sizeof(char *));
    *offs = dy_arena_grow(&d->mem, *offs, *cap * sizeof(uint32_t),
                          nc * sizeof(uint32_t));
    if (art->headings == NULL || *offs == NULL)
      return DY_ENOMEM;
    *cap = nc;
  }
  art->headings[art->nheadings] = dy_arena_strndup(&d->mem, p, n);
  if (art->headings[art->nheadings] == NULL)
    return DY_ENOMEM;
  (*offs)[art->nheadings] = off;
  art->nheadings++;
  return DY_OK;
}

/* A gap between tokens holding a blank line (two line breaks). */
static int blank_line(const char *p, size_t n)
{
  const char *nl = memchr(p, '\n', n);
  return nl && memchr(nl + 1, '\n', n - (size_t)(nl + 1 - p)) != NULL;
}

static int looks_binary(const char *s, size_t n)
{
  size_t i, lim = n < 65536 ? n : 65536, ctl = 0;
  for (i = 0; i < lim; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0)
      return 1;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
      ctl++;
  }
  return lim > 0 && ctl * 20 > lim;
}

static int fail_mem(dy_doc *d)
{
  if (d->mem.failed == DY_ARENA_OVERCAP)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "document needs more than the work memory cap of %zu "
                      "bytes",
                      d->opts.arena_cap);
  return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
}

int dy__article_build(dy_doc *d, const dy__block *b, size_t nb,
                      const char *date, int find_dateline)
{
  dy_article *art = &d->art;
  dy_buf body;
  dy__tok *toks;
  size_t ntok, k, i, hcap = 0;
  uint32_t *hoffs = NULL;
  int rc, have_dl = 0, first = 1;
  dateline dl;

  memset(&dl, 0, sizeof dl);
  art->headings = NULL;
  art->nheadings = 0;
  /* body: paragraphs joined by blank lines; headings set apart */
  dy_buf_init(&body, 0);
  for (i = 0; i < nb; i++) {
    size_t skip = 0;
    if (b[i].n == 0)
      continue;
    if (b[i].heading) {
      if (push_heading(d, b[i].p, b[i].n, &hcap, &hoffs,
                       (uint32_t)(body.n ? body.n + 2 : 0)) < 0)
        goto nomem_body;
      continue;
    }
    if (first && find_dateline) {
      int r = parse_dateline(&d->mem, b[i].p, b[i].n, &dl);
      if (r < 0)
        goto nomem_body;
      if (r > 0) {
        have_dl = 1;
        skip = dl.skip;
      }
    }
    first = 0;
    if (skip >= b[i].n)
      continue;
    if (body.n)
      dy_buf_append(&body, "\n\n", 2);
    dy_buf_append(&body, b[i].p + skip, b[i].n - skip);
  }
  if (body.failed) {
    dy_buf_fini(&body);
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory building the body");
  }
  if (body.n > UINT32_MAX - 16) {
    dy_buf_fini(&body);
    return dy_err_set(&d->err, DY_ETOOBIG, "article body over 4 GiB");
  }
  art->text = dy_arena_strndup(&d->mem, body.p ? body.p : "", body.n);
  art->n = body.n;
  dy_buf_fini(&body);
  if (art->text == NULL)
    goto nomem;
  for (k = 0; k < art->nheadings; k++)
    if (hoffs[k] > art->n)
      hoffs[k] = (uint32_t)art->n;
  art->heading_off = hoffs;
  art->dateline = have_dl ? dl.text : "";
  art->places = have_dl ? dl.places : "";
  art->agency = have_dl ? dl.agency : "";
  if (date && *date)
    art->date = dy_arena_strndup(&d->mem, date, strlen(date));
  else if (art->date == NULL || art->date[0] == '\0')
    art->date = dy_arena_strndup(&d->mem, dl.date, strlen(dl.date));
  if (art->date == NULL)
    goto nomem;

  /* tokens with normalised forms */
  rc = dy__tokenize(&d->mem, art->text, art->n, &toks, &ntok);
  if (rc < 0)
    goto nomem;
  art->toks = dy_arena_alloc(&d->mem, (ntok + 1) * sizeof *art->toks);
  if (art->toks == NULL)
    goto nomem;
  for (k = 0; k < ntok; k++) {
    dy_token *t = &art->toks[k];
    t->off = toks[k].off;
    t->len = toks[k].len;
    t->flags = toks[k].flags;
    t->lemma = NULL;
    t->upos = t->xpos = t->dep = t->pad_ = 0;
    t->head = -1;
    t->norm = dy__norm(&d->mem, art->text + t->off, t->len);
    if (t->norm == NULL)
      goto nomem;
    if (k == 0 || blank_line(art->text + toks[k - 1].off + toks[k - 1].len,
                             t->off - toks[k - 1].off - toks[k - 1].len))
      t->flags |= DY_TOK_PARA;
  }
  art->ntoks = ntok;

  /* sentences */
  art->sents = dy_arena_alloc(&d->mem, (ntok + 1) * sizeof *art->sents);
  if (art->sents == NULL)
    goto nomem;
  art->nsents = dy__split_sentences(art->text, art->toks, ntok, art->sents);
  if (d->mem.failed)
    goto nomem;
  return DY_OK;
nomem_body:
  dy_buf_fini(&body);
nomem:
  return fail_mem(d);
}

/* The first line of the first block is the headline when it is short and
 * does not end a sentence; with a container title, only when it is that
 * title. */
static int headline_ok(dy_doc *d, const line *l, size_t nblocks)
{
  const char *title = d->hint ? d->hint->title : NULL;
  if (nblocks < 2)
    return 0;
  if (title && *title) {
    dy_str t = dy_str_trim(dy_str_c(title));
    return t.n == l->n && memcmp(t.p, l->p, t.n) == 0;
  }
  return count_words(l->p, l->n) <= 30 &&
         !ends_with_any(l->p, l->n, (const char *const[]){".", NULL});
}

int dy__text_analyse(dy_doc *d, const char *bytes, size_t n, const char *name,
                     const char *date)
{
  dy_article *art = &d->art;
  const char *s;
  size_t nlines = 0, capl = 256, i, nblocks = 0, nb = 0, first_para, nout = 0;
  line *lines;
  block *blocks;
  dy__block *out;
  int rc, cut = 0;

  art->name = dy_arena_strndup(&d->mem, name ? name : "-",
                               strlen(name ? name : "-"));
  if (art->name == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  dy_sha256_hex(bytes, n, art->hash);
  if (n > d->opts.max_bytes)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "document is %zu bytes, over the cap of %zu bytes", n,
                      d->opts.max_bytes);
  if (dy__html_sniff(bytes, n, d->hint ? d->hint->ctype : NULL)) {
    art->format = "html";
    return dy__html_analyse(d, bytes, n, date);
  }
  if (looks_binary(bytes, n))
    return dy_err_set(&d->err, DY_EBINARY,
                      "binary data (NUL or control bytes), not text");
  rc = dy_utf8_repair(bytes, n, &d->in, &art->nbad_utf8);
  if (rc < 0)
    return dy_err_set(&d->err, rc, "cannot copy input: %s", dy_strerror(rc));
  s = d->in.p ? d->in.p : "";
  n = d->in.n;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
    s += 3;
    n -= 3;
  }

  /* lines, trimmed, boilerplate dropped, cut at teaser lists */
  lines = dy_arena_alloc(&d->mem, capl * sizeof *lines);
  if (lines == NULL)
    return fail_mem(d);
  for (i = 0; i < n && !cut;) {
    const char *e = memchr(s + i, '\n', n - i);
    size_t end = e ? (size_t)(e - s) : n;
    dy_str l = dy_str_trim((dy_str){s + i, end - i});
    i = end + 1;
    if (l.n && is_cutoff(l.p, l.n)) {
      cut = 1;
      art->nboiler++;
      break;
    }
    if (l.n && is_boiler(l.p, l.n)) {
      art->nboiler++;
      continue;
    }
    if (nlines == capl) {
      lines = dy_arena_grow(&d->mem, lines, capl * sizeof *lines,
                            2 * capl * sizeof *lines);
      if (lines == NULL)
        return fail_mem(d);
      capl *= 2;
    }
    lines[nlines].p = l.p;
    lines[nlines].n = l.n;
    nlines++;
  }
  if (cut) {
    /* count the dropped tail as boilerplate lines */
    for (; i < n; i++)
      if (s[i] == '\n')
        art->nboiler++;
  }

  /* blocks of non-blank lines */
  blocks = dy_arena_alloc(&d->mem, (nlines + 1) * sizeof *blocks);
  if (blocks == NULL)
    return fail_mem(d);
  for (i = 0; i < nlines; i++) {
    if (lines[i].n == 0)
      continue;
    if (i == 0 || lines[i - 1].n == 0) {
      blocks[nblocks].first = i;
      blocks[nblocks].nlines = 0;
      nblocks++;
    }
    blocks[nblocks - 1].nlines++;
  }
  if (nblocks == 0)
    return dy_err_set(&d->err, DY_EEMPTY, "no text");

  art->headline = "";
  if (blocks[0].nlines == 1 && headline_ok(d, &lines[blocks[0].first], nblocks)) {
    art->headline = dy_arena_strndup(&d->mem, lines[blocks[0].first].p,
                                     lines[blocks[0].first].n);
    if (art->headline == NULL)
      return fail_mem(d);
    nb = 1;
  }
  first_para = nb;

  /* one body block per block of lines, joined by spaces */
  out = dy_arena_alloc(&d->mem, (nblocks + 1) * sizeof *out);
  if (out == NULL)
    return fail_mem(d);
  for (; nb < nblocks; nb++) {
    const block *b = &blocks[nb];
    const line *l0 = &lines[b->first];
    size_t li, len = 0;
    char *p;
    if (b->nlines == 1 && nb > first_para && nb + 1 < nblocks &&
        looks_like_heading(l0->p, l0->n)) {
      out[nout].p = l0->p;
      out[nout].n = l0->n;
      out[nout].heading = 1;
      nout++;
      continue;
    }
    for (li = 0; li < b->nlines; li++)
      len += lines[b->first + li].n + 1;
    p = dy_arena_alloc(&d->mem, len + 1);
    if (p == NULL)
      return fail_mem(d);
    len = 0;
    for (li = 0; li < b->nlines; li++) {
      const line *l = &lines[b->first + li];
      if (li)
        p[len++] = ' ';
      memcpy(p + len, l->p, l->n);
      len += l->n;
    }
    p[len] = '\0';
    out[nout].p = p;
    out[nout].n = len;
    out[nout].heading = 0;
    nout++;
  }
  art->date = NULL;
  return dy__article_build(d, out, nout, date, 1);
}
