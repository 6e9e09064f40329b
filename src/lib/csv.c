/* SPDX-License-Identifier: MIT */
/* CSV reader (RFC 4180: quoted fields with "" escapes and line breaks, LF or
 * CRLF rows) with a header row naming the columns url, date, title and text
 * (or html; body and content are read as text). Every data row is one
 * document; a row with the wrong number of fields or bad quoting is reported
 * and skipped. */
#include "input_int.h"

#include <string.h>

enum { C_URL, C_DATE, C_TITLE, C_TEXT, C_HTML, C_N };

#ifndef DY_CSV_MAX_COLUMNS
#define DY_CSV_MAX_COLUMNS 4096
#endif

typedef struct row {
  int nfields;     /* fields seen */
  int bad;         /* quoting fault */
  const char *why; /* fault message */
} row;

/* Reads one row starting at *ip. Field k goes to out[map[k]] when
 * 0 <= map[k] (map has nmap entries); with hdr set, every field is appended
 * to hdr separated by NUL bytes instead. */
static void read_row(const char *p, size_t n, size_t *ip, const int *map,
                     int nmap, dy_buf *out, dy_buf *hdr, row *r)
{
  size_t i = *ip;
  memset(r, 0, sizeof *r);
  for (;;) {
    int col = r->nfields;
    dy_buf *dst = NULL;
    if (hdr)
      dst = hdr;
    else if (col < nmap && map[col] >= 0)
      dst = &out[map[col]];
    if (dst && !hdr)
      dy_buf_reset(dst);
    r->nfields++;
    if (i < n && p[i] == '"') {
      i++;
      for (;;) {
        const char *q = i < n ? memchr(p + i, '"', n - i) : NULL;
        if (q == NULL) {
          r->bad = 1;
          r->why = "unterminated quoted field";
          i = n;
          goto end;
        }
        if (dst)
          dy_buf_append(dst, p + i, (size_t)(q - p) - i);
        i = (size_t)(q - p) + 1;
        if (i < n && p[i] == '"') {
          if (dst)
            dy_buf_putc(dst, '"');
          i++;
          continue;
        }
        break;
      }
      if (i < n && p[i] != ',' && p[i] != '\n' &&
          !(p[i] == '\r' && (i + 1 == n || p[i + 1] == '\n'))) {
        r->bad = 1;
        r->why = "text after a closing quote";
        while (i < n && p[i] != ',' && p[i] != '\n')
          i++;
      }
    } else {
      size_t st = i, e;
      while (i < n && p[i] != ',' && p[i] != '\n')
        i++;
      e = i;
      if (e > st && p[e - 1] == '\r' && (i >= n || p[i] == '\n'))
        e--;
      if (dst)
        dy_buf_append(dst, p + st, e - st);
    }
    if (hdr)
      dy_buf_putc(hdr, '\0');
    if (i < n && p[i] == ',') {
      i++;
      if (r->nfields > DY_CSV_MAX_COLUMNS) {
        r->bad = 1;
        r->why = "too many fields";
        while (i < n && p[i] != '\n')
          i++;
        break;
      }
      continue;
    }
    if (i < n && p[i] == '\r')
      i++;
    break;
  }
end:
  if (i < n && p[i] == '\n')
    i++;
  *ip = i;
}

static int column_of(const char *name, size_t len)
{
  static const struct {
    const char *name;
    int col;
  } cols[] = {{"url", C_URL},        {"link", C_URL},    {"date", C_DATE},
              {"published", C_DATE}, {"title", C_TITLE}, {"headline", C_TITLE},
              {"text", C_TEXT},      {"body", C_TEXT},   {"content", C_TEXT},
              {"html", C_HTML}};
  size_t k;
  dy_str s = dy_str_trim((dy_str){name, len});
  for (k = 0; k < sizeof cols / sizeof cols[0]; k++)
    if (dy_str_ieq_c(s, cols[k].name))
      return cols[k].col;
  return -1;
}

int dy__csv_read(dy__sink *s, const char *p, size_t n)
{
  dy_buf f[C_N], hdr;
  int *map = NULL, nmap = 0, k, seen[C_N] = {0}, rc = DY_OK;
  size_t i = 0;
  row r;
  for (k = 0; k < C_N; k++)
    dy_buf_init(&f[k], 0);
  dy_buf_init(&hdr, 0);
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  read_row(p, n, &i, NULL, 0, NULL, &hdr, &r);
  if (r.bad || hdr.failed) {
    dy__sink_fail(s, DY_EFORMAT, "bad header row: %s",
                  r.why ? r.why : "out of memory");
    rc = DY_EFORMAT;
    goto out;
  }
  map = dy_calloc((size_t)r.nfields, sizeof *map);
  if (map == NULL) {
    rc = DY_ENOMEM;
    goto out;
  }
  nmap = r.nfields;
  {
    size_t off = 0;
    for (k = 0; k < nmap; k++) {
      size_t len = strlen(hdr.p + off);
      map[k] = column_of(hdr.p + off, len);
      if (map[k] >= 0 && seen[map[k]])
        map[k] = -1; /* first column of a kind wins */
      if (map[k] >= 0)
        seen[map[k]] = 1;
      off += len + 1;
    }
  }
  if (!seen[C_TEXT] && !seen[C_HTML]) {
    dy__sink_fail(s, DY_EFORMAT, "the header row names no text or html column");
    rc = DY_EFORMAT;
    goto out;
  }
  while (i < n && !s->stop) {
    dy_input in;
    char date[11];
    int body;
    if (p[i] == '\n' || (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')) {
      i += p[i] == '\r' ? 2 : 1; /* blank line */
      continue;
    }
    for (k = 0; k < C_N; k++)
      dy_buf_reset(&f[k]);
    dy__sink_next(s);
    read_row(p, n, &i, map, nmap, f, NULL, &r);
    if (r.bad) {
      dy__sink_fail(s, DY_EFORMAT, "%s", r.why);
      continue;
    }
    if (r.nfields != nmap) {
      dy__sink_fail(s, DY_EFORMAT, "%d fields, the header has %d", r.nfields,
                    nmap);
      continue;
    }
    for (k = 0; k < C_N; k++)
      dy_buf_append(&f[k], "", 0);
    body = seen[C_TEXT] && f[C_TEXT].n ? C_TEXT
           : seen[C_HTML]              ? C_HTML
                                       : C_TEXT;
    memset(&in, 0, sizeof in);
    in.bytes = f[body].p ? f[body].p : "";
    in.n = f[body].n;
    in.ctype = body == C_HTML ? "text/html" : "text/plain";
    if (f[C_URL].n && f[C_URL].n <= DY_MAX_RECORD_FIELD)
      in.url = f[C_URL].p;
    if (f[C_TITLE].n && f[C_TITLE].n <= DY_MAX_RECORD_FIELD)
      in.title = f[C_TITLE].p;
    dy__iso_date(f[C_DATE].p ? f[C_DATE].p : "", f[C_DATE].n, date);
    in.date = date[0] ? date : NULL;
    dy__sink_emit(s, &in);
  }
out:
  dy_free(map);
  for (k = 0; k < C_N; k++)
    dy_buf_fini(&f[k]);
  dy_buf_fini(&hdr);
  return rc;
}
