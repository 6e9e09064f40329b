/* SPDX-License-Identifier: MIT */
/* WARC 1.0/1.1 reader: response records (HTTP status line and headers
 * stripped, chunked transfer and gzip content encoding undone) and resource
 * records become documents with WARC-Target-URI as url, WARC-Date as date and
 * the HTTP Content-Type (charset) as a hint. A bad record is reported and the
 * reader looks for the next "WARC/" line. */
#include "input_int.h"

#include <string.h>

#ifndef DY_WARC_MAX_HEADER
#define DY_WARC_MAX_HEADER ((size_t)64 << 10) /* bytes of a header block */
#endif

typedef struct hdrs {
  dy_str type;   /* WARC-Type or "" */
  dy_str uri;    /* WARC-Target-URI */
  dy_str date;   /* WARC-Date */
  dy_str ctype;  /* Content-Type */
  dy_str tenc;   /* Transfer-Encoding (HTTP) */
  dy_str cenc;   /* Content-Encoding (HTTP) */
  long long len; /* Content-Length, -1 when absent or bad */
} hdrs;

/* End of the header block starting at p[i]: offset just past the blank
 * line, or 0 when there is none within the cap. */
static size_t header_end(const char *p, size_t n, size_t i)
{
  size_t lim = n - i > DY_WARC_MAX_HEADER ? i + DY_WARC_MAX_HEADER : n, k;
  for (k = i; k < lim; k++) {
    if (p[k] != '\n')
      continue;
    if (k + 1 < n && p[k + 1] == '\n')
      return k + 2;
    if (k + 2 < n && p[k + 1] == '\r' && p[k + 2] == '\n')
      return k + 3;
  }
  return 0;
}

static int name_is(dy_str name, const char *want)
{
  return dy_str_ieq_c(dy_str_trim(name), want);
}

static long long parse_len(dy_str v)
{
  long long x = 0;
  size_t i;
  v = dy_str_trim(v);
  if (v.n == 0 || v.n > 15)
    return -1;
  for (i = 0; i < v.n; i++) {
    if (!dy_isdigit(v.p[i]))
      return -1;
    x = x * 10 + (v.p[i] - '0');
  }
  return x;
}

/* Parses "Name: value" lines in p[i..e) into h (the first line, a status or
 * version line, is skipped). */
static void parse_headers(const char *p, size_t i, size_t e, hdrs *h)
{
  const char *nl = memchr(p + i, '\n', e - i);
  i = nl ? (size_t)(nl - p) + 1 : e;
  while (i < e) {
    const char *le = memchr(p + i, '\n', e - i);
    size_t end = le ? (size_t)(le - p) : e;
    const char *colon = memchr(p + i, ':', end - i);
    if (colon) {
      dy_str name = {p + i, (size_t)(colon - p) - i};
      dy_str val =
          dy_str_trim((dy_str){colon + 1, end - (size_t)(colon - p) - 1});
      if (name_is(name, "WARC-Type"))
        h->type = val;
      else if (name_is(name, "WARC-Target-URI"))
        h->uri = val;
      else if (name_is(name, "WARC-Date"))
        h->date = val;
      else if (name_is(name, "Content-Type"))
        h->ctype = val;
      else if (name_is(name, "Content-Length"))
        h->len = parse_len(val);
      else if (name_is(name, "Transfer-Encoding"))
        h->tenc = val;
      else if (name_is(name, "Content-Encoding"))
        h->cenc = val;
    }
    i = end + 1;
  }
}

/* Undoes chunked transfer coding into out; DY_EFORMAT when malformed
 * (out keeps the chunks read so far). */
static int dechunk(const char *p, size_t n, dy_buf *out)
{
  size_t i = 0;
  dy_buf_reset(out);
  while (i < n) {
    unsigned long long sz = 0;
    int digits = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
      i++;
    while (i < n && (dy_ctype[(unsigned char)p[i]] & DY_C_XDIGIT)) {
      char c = dy_tolower(p[i]);
      if (sz > ((unsigned long long)1 << 40))
        return DY_EFORMAT;
      sz = sz * 16 +
           (unsigned long long)(dy_isdigit(c) ? c - '0' : c - 'a' + 10);
      digits++;
      i++;
    }
    if (!digits)
      return DY_EFORMAT;
    while (i < n && p[i] != '\n')
      i++; /* chunk extensions */
    i++;
    if (sz == 0)
      return DY_OK;
    if (i > n || sz > n - i)
      return DY_EFORMAT;
    if (dy_buf_append(out, p + i, (size_t)sz) < 0)
      return DY_ENOMEM;
    i += (size_t)sz;
    if (i < n && p[i] == '\r')
      i++;
    if (i < n && p[i] == '\n')
      i++;
  }
  return DY_EFORMAT;
}

static int textual(dy_str ct)
{
  ct = dy_str_trim(ct);
  if (ct.n == 0)
    return 1; /* unknown: sniff */
  return dy_str_starts_c(ct, "text/") || dy_str_starts_c(ct, "Text/") ||
         dy_str_starts_c(ct, "TEXT/") ||
         dy_str_starts_c(ct, "application/xhtml") ||
         dy_str_starts_c(ct, "application/xml") ||
         dy_str_starts_c(ct, "application/rss") ||
         dy_str_starts_c(ct, "application/atom");
}

typedef struct warc_bufs {
  dy_buf url, date, ctype; /* NUL-terminated copies */
  dy_buf body;             /* dechunked / unpacked payload */
  dy_buf tmp;              /* scratch */
} warc_bufs;

static const char *cstr(dy_buf *b, dy_str s)
{
  dy_buf_reset(b);
  dy_buf_append(b, s.p, s.n > DY_MAX_RECORD_FIELD ? DY_MAX_RECORD_FIELD : s.n);
  dy_buf_append(b, "", 0);
  return b->failed ? "" : b->p;
}

/* One record's block: emits a document when it is a textual response or
 * resource. */
static void do_block(dy__sink *s, const hdrs *w, const char *blk, size_t bn,
                     warc_bufs *wb)
{
  hdrs h;
  dy_input in;
  const char *pay = blk;
  size_t pn = bn;
  char date[11];
  int is_resp = w->type.n == 0 || dy_str_ieq_c(w->type, "response");
  memset(&h, 0, sizeof h);
  h.len = -1;
  if (!is_resp && !dy_str_ieq_c(w->type, "resource") &&
      !dy_str_ieq_c(w->type, "conversion"))
    return; /* warcinfo, request, metadata, revisit: not documents */
  if (is_resp && bn >= 5 && memcmp(blk, "HTTP/", 5) == 0) {
    size_t he = header_end(blk, bn, 0);
    int status = 0;
    size_t k = 5;
    if (he == 0) {
      dy__sink_fail(s, DY_EFORMAT, "HTTP headers without an end");
      return;
    }
    while (k < he && blk[k] != ' ')
      k++;
    while (k < he && blk[k] == ' ')
      k++;
    while (k < he && dy_isdigit(blk[k]) && status < 1000)
      status = status * 10 + (blk[k++] - '0');
    if (status < 200 || status > 299)
      return; /* redirects, errors: no article */
    parse_headers(blk, 0, he, &h);
    pay = blk + he;
    pn = bn - he;
  } else {
    h.ctype = w->ctype;
    if (is_resp && dy_str_starts_c(dy_str_trim(w->ctype), "application/http")) {
      dy__sink_fail(s, DY_EFORMAT, "response without an HTTP status line");
      return;
    }
  }
  if (!textual(h.ctype))
    return; /* images, PDFs, scripts */
  if (h.tenc.n && dy_str_ieq_c(dy_str_trim(h.tenc), "chunked")) {
    int rc = dechunk(pay, pn, &wb->body);
    if (rc < 0) {
      dy__sink_fail(s, rc, "bad chunked transfer encoding");
      return;
    }
    pay = wb->body.p ? wb->body.p : "";
    pn = wb->body.n;
  }
  if (h.cenc.n) {
    dy_str ce = dy_str_trim(h.cenc);
    if (dy_str_ieq_c(ce, "gzip") || dy_str_ieq_c(ce, "x-gzip")) {
      dy_err err;
      size_t max = s->opts && s->opts->max_bytes ? s->opts->max_bytes : 0;
      int rc = dy__gunzip(pay, pn, max, &wb->tmp, &err);
      if (rc < 0) {
        dy__sink_fail(s, rc, "Content-Encoding gzip: %s", err.msg);
        return;
      }
      pay = wb->tmp.p ? wb->tmp.p : "";
      pn = wb->tmp.n;
    } else if (!dy_str_ieq_c(ce, "identity")) {
      dy__sink_fail(s, DY_EFORMAT, "unsupported Content-Encoding '%.*s'",
                    (int)(ce.n > 40 ? 40 : ce.n), ce.p);
      return;
    }
  }
  memset(&in, 0, sizeof in);
  in.bytes = pay;
  in.n = pn;
  {
    dy_str u = w->uri;
    if (u.n >= 2 && u.p[0] == '<' && u.p[u.n - 1] == '>') {
      u.p++;
      u.n -= 2;
    }
    in.url = u.n ? cstr(&wb->url, u) : NULL;
  }
  dy__iso_date(w->date.p ? w->date.p : "", w->date.n, date);
  in.date = date[0] ? date : NULL;
  in.ctype = h.ctype.n ? cstr(&wb->ctype, h.ctype) : NULL;
  dy__sink_emit(s, &in);
}

/* Offset of the next line starting "WARC/" at or after i, or n. */
static size_t resync(const char *p, size_t n, size_t i)
{
  for (; i + 5 <= n; i++)
    if ((i == 0 || p[i - 1] == '\n') && memcmp(p + i, "WARC/", 5) == 0)
      return i;
  return n;
}

int dy__warc_read(dy__sink *s, const char *p, size_t n)
{
  warc_bufs wb;
  size_t i = 0;
  dy_buf_init(&wb.url, 0);
  dy_buf_init(&wb.date, 0);
  dy_buf_init(&wb.ctype, 0);
  dy_buf_init(&wb.body, 0);
  dy_buf_init(&wb.tmp, 0);
  while (i < n && !s->stop) {
    hdrs w;
    size_t he;
    while (i < n && (p[i] == '\r' || p[i] == '\n'))
      i++;
    if (i >= n)
      break;
    dy__sink_next(s);
    if (n - i < 6 || memcmp(p + i, "WARC/", 5) != 0) {
      size_t next = resync(p, n, i + 1);
      dy__sink_fail(s, DY_EFORMAT,
                    "no WARC version line at byte %zu (%zu bytes skipped)", i,
                    next - i);
      i = next;
      continue;
    }
    he = header_end(p, n, i);
    if (he == 0) {
      size_t next = resync(p, n, i + 1);
      dy__sink_fail(s, DY_EFORMAT, "WARC header block without an end");
      i = next;
      continue;
    }
    memset(&w, 0, sizeof w);
    w.len = -1;
    parse_headers(p, i, he, &w);
    if (w.len < 0) {
      size_t next = resync(p, n, he);
      dy__sink_fail(s, DY_EFORMAT, "missing or bad Content-Length");
      i = next;
      continue;
    }
    if ((unsigned long long)w.len > n - he) {
      dy__sink_fail(s, DY_EFORMAT,
                    "Content-Length %lld runs past the end of the data "
                    "(%zu bytes left): truncated",
                    w.len, n - he);
      i = resync(p, n, he);
      continue;
    }
    do_block(s, &w, p + he, (size_t)w.len, &wb);
    i = he + (size_t)w.len;
  }
  dy_buf_fini(&wb.url);
  dy_buf_fini(&wb.date);
  dy_buf_fini(&wb.ctype);
  dy_buf_fini(&wb.body);
  dy_buf_fini(&wb.tmp);
  return DY_OK;
}
