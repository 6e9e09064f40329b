/* SPDX-License-Identifier: MIT */
/* `dyad eval extract DIR`: scores article extraction against a gold folder.
 * Laid out like the article-extraction benchmark (ground-truth.json +
 * html/<id>.html.gz): shingle precision, recall and F1 as that benchmark's
 * README defines them, plus pages/s. Laid out like Mozilla Readability's
 * test pages (<case>/source.html + expected-metadata.json): headline and
 * date agreement. Gold data is only read, never copied. */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the shingle metric -------------------------------------------------- */

/* Python's re \w for one code point: letters and numbers (and '_'); marks,
 * punctuation, symbols and spaces separate words. Ranges cover the scripts
 * met in news pages. */
static int word_cp(uint32_t cp)
{
  if (cp < 0x80)
    return dy_isalnum((int)cp) || cp == '_';
  if (cp == 0xAA || cp == 0xB5 || cp == 0xBA || cp == 0xB2 || cp == 0xB3 ||
      cp == 0xB9 || (cp >= 0xBC && cp <= 0xBE))
    return 1;
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
    return 0;
  if (cp >= 0x2B9 && cp <= 0x2FF)
    return cp <= 0x2C1 || (cp >= 0x2C6 && cp <= 0x2D1) ||
           (cp >= 0x2E0 && cp <= 0x2E4) || cp == 0x2EC || cp == 0x2EE;
  if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x483 && cp <= 0x489) ||
      (cp >= 0x591 && cp <= 0x5C7) || (cp >= 0x610 && cp <= 0x61A) ||
      (cp >= 0x64B && cp <= 0x65F) || (cp >= 0x900 && cp <= 0x903) ||
      (cp >= 0x93A && cp <= 0x94F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
      cp == 0x3099 || cp == 0x309A)
    return 0; /* combining marks */
  if ((cp >= 0x37E && cp <= 0x387 && cp != 0x386) || cp == 0x55A ||
      (cp >= 0x589 && cp <= 0x58A) || cp == 0x5BE || cp == 0x60C ||
      cp == 0x61B || cp == 0x61F || cp == 0x6D4 || cp == 0x964 || cp == 0x965)
    return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF)
    return (cp >= 0x2070 && cp <= 0x209C && cp != 0x2072 && cp != 0x2073 &&
            !(cp >= 0x207A && cp <= 0x207E) &&
            !(cp >= 0x208A && cp <= 0x208F)) ||
           cp == 0x2102 || cp == 0x2107 || (cp >= 0x210A && cp <= 0x2113) ||
           cp == 0x2115 || (cp >= 0x2119 && cp <= 0x211D) || cp == 0x2124 ||
           cp == 0x2126 || cp == 0x2128 || (cp >= 0x212A && cp <= 0x212D) ||
           (cp >= 0x212F && cp <= 0x2139) || (cp >= 0x2150 && cp <= 0x2189) ||
           (cp >= 0x2460 && cp <= 0x249B) || (cp >= 0x24EA && cp <= 0x24FF) ||
           (cp >= 0x2776 && cp <= 0x2793);
  if ((cp >= 0x3000 && cp <= 0x3004) || (cp >= 0x3008 && cp <= 0x3020) ||
      cp == 0x3030 || cp == 0x303D || cp == 0x30A0 || cp == 0x30FB)
    return 0;
  if ((cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
      (cp >= 0xFF1A && cp <= 0xFF20) ||
      (cp >= 0xFF3B && cp <= 0xFF40 && cp != 0xFF3F) ||
      (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFE0 && cp <= 0xFFFF))
    return 0;
  if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
    return 0; /* private use, emoji */
  return 1;
}

typedef struct u64s {
  uint64_t *v; /* values */
  size_t n;    /* used */
  size_t cap;  /* allocated */
} u64s;

static int u64s_push(u64s *a, uint64_t x)
{
  if (a->n == a->cap) {
    size_t nc = a->cap ? a->cap * 2 : 256;
    uint64_t *p = dy_realloc(a->v, nc * sizeof *p);
    if (p == NULL)
      return DY_ENOMEM;
    a->v = p;
    a->cap = nc;
  }
  a->v[a->n++] = x;
  return DY_OK;
}

/* Token hashes of the \w+ runs of s. */
static int tokens(const char *s, size_t n, u64s *out)
{
  size_t i = 0;
  out->n = 0;
  while (i < n) {
    size_t st;
    uint32_t cp = 0;
    int l = dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (l < 0) {
      i++;
      continue;
    }
    if (!word_cp(cp)) {
      i += (size_t)l;
      continue;
    }
    st = i;
    while (i < n) {
      l = dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
      if (l < 0 || !word_cp(cp))
        break;
      i += (size_t)l;
    }
    if (u64s_push(out, dy_hash64(s + st, i - st)) < 0)
      return DY_ENOMEM;
  }
  return DY_OK;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Sorted 4-gram shingle hashes of a token list. */
static int shingles(const u64s *t, u64s *out)
{
  size_t i;
  out->n = 0;
  if (t->n == 0)
    return DY_OK;
  if (t->n < 4) {
    uint64_t h = 1469598103934665603ULL;
    for (i = 0; i < t->n; i++)
      h = (h ^ t->v[i]) * 1099511628211ULL;
    return u64s_push(out, h);
  }
  for (i = 0; i + 4 <= t->n; i++) {
    uint64_t h = 1469598103934665603ULL;
    int k;
    for (k = 0; k < 4; k++)
      h = (h ^ t->v[i + (size_t)k]) * 1099511628211ULL;
    if (u64s_push(out, h) < 0)
      return DY_ENOMEM;
  }
  qsort(out->v, out->n, sizeof *out->v, cmp_u64);
  return DY_OK;
}

typedef struct score {
  double psum, rsum; /* sums of per-page precision and recall */
  size_t np, nr;     /* pages counted in each */
  size_t exact;      /* pages whose token lists are equal */
  size_t pages;      /* pages scored */
} score;

static int score_page(score *sc, const char *gold, size_t gn, const char *pred,
                      size_t pn)
{
  u64s gt = {0}, pt = {0}, gs = {0}, ps = {0};
  size_t i = 0, j = 0, tp = 0, fp = 0, fn = 0;
  int rc = tokens(gold, gn, &gt);
  if (rc == DY_OK)
    rc = tokens(pred, pn, &pt);
  if (rc == DY_OK)
    rc = shingles(&gt, &gs);
  if (rc == DY_OK)
    rc = shingles(&pt, &ps);
  if (rc < 0)
    goto out;
  while (i < gs.n || j < ps.n) {
    if (j >= ps.n || (i < gs.n && gs.v[i] < ps.v[j])) {
      fn++;
      i++;
    } else if (i >= gs.n || ps.v[j] < gs.v[i]) {
      fp++;
      j++;
    } else {
      tp++;
      i++;
      j++;
    }
  }
  sc->pages++;
  if (gt.n == pt.n && (gt.n == 0 || memcmp(gt.v, pt.v, gt.n * 8) == 0))
    sc->exact++;
  if (tp + fp + fn > 0) {
    double all = (double)(tp + fp + fn);
    double t = tp / all, f = fp / all, g = fn / all;
    double p = (fp == 0 && fn == 0) ? 1.0 : (t + f > 0 ? t / (t + f) : 0);
    double r = (fp == 0 && fn == 0) ? 1.0 : (t + g > 0 ? t / (t + g) : 0);
    if (tp + fp > 0) {
      sc->psum += p;
      sc->np++;
    }
    if (tp + fn > 0) {
      sc->rsum += r;
      sc->nr++;
    }
  }
out:
  dy_free(gt.v);
  dy_free(pt.v);
  dy_free(gs.v);
  dy_free(ps.v);
  return rc;
}

/* ---- helpers ------------------------------------------------------------ */

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The article as the benchmark sees it: dateline, body, with the section
 * headings back in place. */
static void article_text(const dy_article *a, dy_buf *b)
{
  size_t h = 0, off = 0;
  dy_buf_reset(b);
  if (a->dateline[0]) {
    dy_buf_puts(b, a->dateline);
    dy_buf_puts(b, " - ");
  }
  for (h = 0; h <= a->nheadings; h++) {
    size_t until = h < a->nheadings ? a->heading_off[h] : a->n;
    if (until > a->n)
      until = a->n;
    if (until > off) {
      dy_buf_append(b, a->text + off, until - off);
      off = until;
    }
    if (h < a->nheadings) {
      dy_buf_puts(b, "\n\n");
      dy_buf_puts(b, a->headings[h]);
      dy_buf_puts(b, "\n\n");
    }
  }
}

typedef struct page {
  char *id;     /* key */
  char *gold;   /* gold body */
  size_t ngold; /* bytes */
  char *url;    /* page address */
  dy_buf html;  /* the page, unpacked */
  int ok;       /* read */
} page;

typedef struct load_ctx {
  page *pg;
} load_ctx;

static int on_page(const dy_input *in, void *ud)
{
  load_ctx *l = ud;
  dy_buf_append(&l->pg->html, in->bytes, in->n);
  l->pg->ok = !l->pg->html.failed;
  return 1; /* one document per file */
}

static void on_page_err(const char *name, int rc, const char *msg, void *ud)
{
  (void)ud;
  (void)rc;
  cli_error(name, "%s", msg);
}

/* Reads ground-truth.json: {"id": {"articleBody": "...", "url": "..."}}. */
static int load_gold(const char *dir, page **out, size_t *nout)
{
  dy_buf path, raw, s;
  dy_err err;
  page *pg = NULL;
  size_t n = 0, cap = 0, i = 0;
  int rc = CLI_OK;
  dy_buf_init(&path, 0);
  dy_buf_init(&raw, 0);
  dy_buf_init(&s, 0);
  dy_buf_printf(&path, "%s/ground-truth.json", dir);
  if (dy_file_read(path.p, 0, &raw, &err) < 0) {
    cli_error(path.p, "%s", err.msg);
    rc = CLI_DATA;
    goto out;
  }
  dy_json_ws(raw.p, raw.n, &i);
  if (i >= raw.n || raw.p[i] != '{')
    goto bad;
  i++;
  for (;;) {
    page *p;
    dy_json_ws(raw.p, raw.n, &i);
    if (i < raw.n && raw.p[i] == '}')
      break;
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      page *q = dy_realloc(pg, nc * sizeof *q);
      if (q == NULL)
        goto bad;
      pg = q;
      cap = nc;
    }
    p = &pg[n];
    memset(p, 0, sizeof *p);
    dy_buf_init(&p->html, 0);
    dy_buf_reset(&s);
    if (dy_json_string(raw.p, raw.n, &i, &s) < 0)
      goto bad;
    p->id = dy_strndup(s.p ? s.p : "", s.n);
    n++;
    dy_json_ws(raw.p, raw.n, &i);
    if (i >= raw.n || raw.p[i] != ':')
      goto bad;
    i++;
    dy_json_ws(raw.p, raw.n, &i);
    if (i >= raw.n || raw.p[i] != '{')
      goto bad;
    i++;
    for (;;) {
      int which;
      dy_json_ws(raw.p, raw.n, &i);
      if (i < raw.n && raw.p[i] == '}') {
        i++;
        break;
      }
      dy_buf_reset(&s);
      if (dy_json_string(raw.p, raw.n, &i, &s) < 0)
        goto bad;
      which = s.n == 11 && memcmp(s.p, "articleBody", 11) == 0 ? 1
              : s.n == 3 && memcmp(s.p, "url", 3) == 0         ? 2
                                                               : 0;
      dy_json_ws(raw.p, raw.n, &i);
      if (i >= raw.n || raw.p[i] != ':')
        goto bad;
      i++;
      dy_json_ws(raw.p, raw.n, &i);
      if (which && i < raw.n && raw.p[i] == '"') {
        dy_buf_reset(&s);
        if (dy_json_string(raw.p, raw.n, &i, &s) < 0)
          goto bad;
        if (which == 1) {
          p->gold = dy_strndup(s.p ? s.p : "", s.n);
          p->ngold = s.n;
        } else {
          p->url = dy_strndup(s.p ? s.p : "", s.n);
        }
      } else if (dy_json_skip(raw.p, raw.n, &i) < 0) {
        goto bad;
      }
      dy_json_ws(raw.p, raw.n, &i);
      if (i < raw.n && raw.p[i] == ',')
        i++;
    }
    dy_json_ws(raw.p, raw.n, &i);
    if (i < raw.n && raw.p[i] == ',')
      i++;
  }
  goto out;
bad:
  cli_error(path.p, "bad ground truth JSON near byte %zu", i);
  rc = CLI_DATA;
out:
  *out = pg;
  *nout = n;
  dy_buf_fini(&path);
  dy_buf_fini(&raw);
  dy_buf_fini(&s);
  return rc;
}

static void free_pages(page *pg, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    dy_free(pg[i].id);
    dy_free(pg[i].gold);
    dy_free(pg[i].url);
    dy_buf_fini(&pg[i].html);
  }
  dy_free(pg);
}

/* ---- article-extraction benchmark layout --------------------------------- */

static int eval_bodies(const char *dir, dy_doc *doc, int verbose, int repeat)
{
  page *pg = NULL;
  size_t n = 0, i, bytes = 0;
  score sc;
  dy_buf path, pred;
  double t0, t1;
  int rc = load_gold(dir, &pg, &n), r;
  memset(&sc, 0, sizeof sc);
  dy_buf_init(&path, 0);
  dy_buf_init(&pred, 0);
  if (rc != CLI_OK)
    goto out;
  for (i = 0; i < n; i++) {
    load_ctx l;
    l.pg = &pg[i];
    dy_buf_reset(&path);
    dy_buf_printf(&path, "%s/html/%s.html.gz", dir, pg[i].id);
    dy_read_inputs(path.p, NULL, on_page, on_page_err, &l);
    bytes += pg[i].html.n;
  }
  /* timing: analysis only, pages in memory */
  t0 = now_s();
  for (r = 0; r < repeat; r++)
    for (i = 0; i < n; i++) {
      dy_input in;
      if (!pg[i].ok)
        continue;
      memset(&in, 0, sizeof in);
      in.name = pg[i].id;
      in.bytes = pg[i].html.p;
      in.n = pg[i].html.n;
      in.url = pg[i].url;
      (void)dy_doc_analyse_input(doc, &in, NULL);
    }
  t1 = now_s();
  for (i = 0; i < n; i++) {
    dy_input in;
    const char *p = "";
    size_t pn = 0;
    double before_p = sc.psum, before_r = sc.rsum;
    memset(&in, 0, sizeof in);
    in.name = pg[i].id;
    in.bytes = pg[i].html.p ? pg[i].html.p : "";
    in.n = pg[i].html.n;
    in.url = pg[i].url;
    if (pg[i].ok && dy_doc_analyse_input(doc, &in, NULL) == DY_OK) {
      article_text(dy_doc_article(doc), &pred);
      p = pred.p ? pred.p : "";
      pn = pred.n;
    } else if (pg[i].ok) {
      cli_error(pg[i].id, "%s", dy_doc_errmsg(doc));
    }
    if (score_page(&sc, pg[i].gold ? pg[i].gold : "", pg[i].ngold, p, pn) < 0) {
      rc = CLI_FATAL;
      goto out;
    }
    if (verbose)
      printf("page %s precision %.3f recall %.3f\n", pg[i].id,
             sc.psum - before_p, sc.rsum - before_r);
  }
  {
    double P = sc.np ? sc.psum / (double)sc.np : 0;
    double R = sc.nr ? sc.rsum / (double)sc.nr : 0;
    double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
    double secs = t1 - t0;
    printf("pages %zu\nprecision %.4f\nrecall %.4f\nf1 %.4f\n"
           "accuracy %.4f\npages/s %.1f\nMB/s %.1f\n",
           sc.pages, P, R, F, sc.pages ? (double)sc.exact / sc.pages : 0,
           secs > 0 ? (double)(n * (size_t)repeat) / secs : 0,
           secs > 0 ? (double)bytes * repeat / secs / 1e6 : 0);
  }
out:
  free_pages(pg, n);
  dy_buf_fini(&path);
  dy_buf_fini(&pred);
  return rc;
}

/* ---- Readability test-page layout ---------------------------------------- */

/* Lower-cased, whitespace collapsed, quotes and dashes folded, for
 * comparing headlines. */
static void fold(const char *s, dy_buf *b)
{
  size_t i = 0, n = strlen(s);
  dy_buf_reset(b);
  while (i < n) {
    uint32_t cp;
    int l = dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (l < 0) {
      i++;
      continue;
    }
    i += (size_t)l;
    if (cp == 0x2018 || cp == 0x2019)
      cp = '\'';
    else if (cp == 0x201C || cp == 0x201D)
      cp = '"';
    else if (cp == 0x2013 || cp == 0x2014)
      cp = '-';
    else if (cp == 0xA0 || cp == '\t' || cp == '\n' || cp == '\r')
      cp = ' ';
    if (cp == ' ' && (b->n == 0 || b->p[b->n - 1] == ' '))
      continue;
    if (cp < 0x80) {
      dy_buf_putc(b, dy_tolower((char)cp));
    } else {
      char enc[4];
      dy_buf_append(b, enc, (size_t)dy_utf8_encode(cp, enc));
    }
  }
  while (b->n && b->p[b->n - 1] == ' ')
    b->p[--b->n] = '\0';
}

/* The string value of a top-level key of a small JSON object, or NULL
 * (null, absent, not a string). */
static int json_field(const char *p, size_t n, const char *key, dy_buf *out)
{
  size_t i = 0;
  dy_buf k;
  int found = 0;
  dy_buf_init(&k, 0);
  dy_json_ws(p, n, &i);
  if (i >= n || p[i] != '{')
    goto out;
  i++;
  for (;;) {
    dy_json_ws(p, n, &i);
    if (i >= n || p[i] == '}')
      break;
    dy_buf_reset(&k);
    if (dy_json_string(p, n, &i, &k) < 0)
      break;
    dy_json_ws(p, n, &i);
    if (i >= n || p[i] != ':')
      break;
    i++;
    dy_json_ws(p, n, &i);
    if (k.n == strlen(key) && memcmp(k.p, key, k.n) == 0 && i < n &&
        p[i] == '"') {
      dy_buf_reset(out);
      found = dy_json_string(p, n, &i, out) == DY_OK;
      dy_buf_append(out, "", 0);
      break;
    }
    if (dy_json_skip(p, n, &i) < 0)
      break;
    dy_json_ws(p, n, &i);
    if (i < n && p[i] == ',')
      i++;
  }
out:
  dy_buf_fini(&k);
  return found;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int eval_meta(const char *dir, dy_doc *doc, int verbose)
{
  DIR *dh = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t nn = 0, cap = 0, i, nt = 0, at = 0, nd = 0, ad = 0, pages = 0;
  dy_buf path, raw, meta, want, got;
  int rc = CLI_OK;
  double t0, secs = 0;
  if (dh == NULL) {
    cli_error(dir, "cannot open directory");
    return CLI_DATA;
  }
  while ((de = readdir(dh)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    if (nn == cap) {
      size_t nc = cap ? cap * 2 : 64;
      char **q = dy_realloc(names, nc * sizeof *q);
      if (q == NULL)
        break;
      names = q;
      cap = nc;
    }
    names[nn++] = dy_strndup(de->d_name, strlen(de->d_name));
  }
  closedir(dh);
  if (nn > 1)
    qsort(names, nn, sizeof *names, cmp_str);
  dy_buf_init(&path, 0);
  dy_buf_init(&raw, 0);
  dy_buf_init(&meta, 0);
  dy_buf_init(&want, 0);
  dy_buf_init(&got, 0);
  for (i = 0; i < nn; i++) {
    dy_err err;
    dy_input in;
    const dy_article *a;
    int arc;
    dy_buf_reset(&path);
    dy_buf_printf(&path, "%s/%s/expected-metadata.json", dir, names[i]);
    if (dy_file_read(path.p, 0, &meta, &err) < 0)
      continue;
    dy_buf_reset(&path);
    dy_buf_printf(&path, "%s/%s/source.html", dir, names[i]);
    if (dy_file_read(path.p, 0, &raw, &err) < 0)
      continue;
    memset(&in, 0, sizeof in);
    in.name = names[i];
    in.bytes = raw.p;
    in.n = raw.n;
    in.ctype = "text/html";
    t0 = now_s();
    arc = dy_doc_analyse_input(doc, &in, NULL);
    secs += now_s() - t0;
    pages++;
    a = dy_doc_article(doc);
    if (json_field(meta.p, meta.n, "title", &want)) {
      dy_buf w2;
      int ok;
      dy_buf_init(&w2, 0);
      fold(want.p, &w2);
      fold(arc == DY_OK ? a->headline : "", &got);
      ok = w2.n == got.n && (got.n == 0 || memcmp(w2.p, got.p, got.n) == 0);
      nt++;
      at += (size_t)ok;
      if (verbose && !ok)
        printf("headline %s: want \"%s\" got \"%s\"\n", names[i], want.p,
               arc == DY_OK ? a->headline : "");
      dy_buf_fini(&w2);
    }
    if (json_field(meta.p, meta.n, "publishedTime", &want)) {
      int ok = want.n >= 10 && arc == DY_OK && strlen(a->date) == 10 &&
               memcmp(want.p, a->date, 10) == 0;
      nd++;
      ad += (size_t)ok;
      if (verbose && !ok)
        printf("date %s: want \"%s\" got \"%s\"\n", names[i], want.p,
               arc == DY_OK ? a->date : "");
    }
  }
  if (pages == 0) {
    cli_error(dir, "no gold found: neither ground-truth.json nor "
                   "<case>/source.html with expected-metadata.json");
    rc = CLI_DATA;
    goto out;
  }
  printf("pages %zu\nheadline agreement %zu/%zu %.1f%%\n"
         "date agreement %zu/%zu %.1f%%\n"
         "headline+date agreement %zu/%zu %.1f%%\npages/s %.1f\n",
         pages, at, nt, nt ? 100.0 * at / nt : 0, ad, nd,
         nd ? 100.0 * ad / nd : 0, at + ad, nt + nd,
         nt + nd ? 100.0 * (at + ad) / (nt + nd) : 0,
         secs > 0 ? pages / secs : 0);
out:
  for (i = 0; i < nn; i++)
    dy_free(names[i]);
  dy_free(names);
  dy_buf_fini(&path);
  dy_buf_fini(&raw);
  dy_buf_fini(&meta);
  dy_buf_fini(&want);
  dy_buf_fini(&got);
  return rc;
}

int cli_eval(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "eval", "extract [options] DIR | code [options] FILE.xml",
      "Scores article extraction against a gold folder. With "
      "ground-truth.json and\nhtml/<id>.html.gz (the article-extraction "
      "benchmark layout): shingle\nprecision, recall and F1 of the body, "
      "and pages/s. With <case>/source.html\nand "
      "expected-metadata.json (Readability's test pages): headline and "
      "date\nagreement. `dyad eval parse --help`: scoring the tagger and "
      "parser.",
      NULL};
  cli_opt opts[] = {{"verbose", NULL, "print per-page figures", NULL},
                    {"repeat", "N", "timing passes over the pages", "3"},
                    {NULL, NULL, NULL, NULL}};
  char **pos;
  int npos, rc;
  dy_doc *doc = NULL;
  struct stat st;
  dy_buf gt;
  long repeat;
  if (argc >= 2 && strcmp(argv[1], "tokenize") == 0)
    return cli_eval_tokenize(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "code") == 0)
    return cli_eval_code(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "parse") == 0)
    return cli_eval_parse(argc, argv);
  pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  if (argc >= 2 && strcmp(argv[1], "quotes") == 0) {
    dy_free(pos);
    return cli_eval_quotes(argc - 1, argv + 1);
  }
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (npos != 2 || strcmp(pos[0], "extract") != 0) {
    cli_error("eval", "usage: dyad eval extract DIR");
    dy_free(pos);
    return CLI_USAGE;
  }
  repeat = strtol(cli_get(opts, "repeat"), NULL, 10);
  if (repeat < 1 || repeat > 1000) {
    cli_error("eval", "bad --repeat '%s'", cli_get(opts, "repeat"));
    dy_free(pos);
    return CLI_USAGE;
  }
  cli_log_init(DY_LOG_ERROR);
  if (dy_doc_new(NULL, NULL, &doc) < 0) {
    dy_free(pos);
    return CLI_FATAL;
  }
  dy_buf_init(&gt, 0);
  dy_buf_printf(&gt, "%s/ground-truth.json", pos[1]);
  if (stat(gt.p, &st) == 0)
    rc =
        eval_bodies(pos[1], doc, cli_get(opts, "verbose") != NULL, (int)repeat);
  else if (stat(pos[1], &st) == 0 && S_ISDIR(st.st_mode))
    rc = eval_meta(pos[1], doc, cli_get(opts, "verbose") != NULL);
  else {
    cli_error(pos[1], "not a directory");
    rc = CLI_USAGE;
  }
  dy_buf_fini(&gt);
  dy_doc_free(doc);
  dy_free(pos);
  fflush(stdout);
  return rc;
}
