/* SPDX-License-Identifier: MIT */
/* JSON lines reader: one object per line with `url`, `date`, `title` and
 * `text` (plain) or `html`. A small strict JSON parser of our own: strings
 * fully decoded (escapes, surrogate pairs), other values checked and
 * skipped, nesting capped. A bad line is reported and skipped. */
#include "input_int.h"

#include <string.h>

#ifndef DY_JSON_MAX_DEPTH
#define DY_JSON_MAX_DEPTH 64 /* nested arrays/objects inside a record */
#endif

static int hex4(const char *p, size_t n, size_t i, uint32_t *v)
{
  size_t k;
  *v = 0;
  if (n - i < 4)
    return -1;
  for (k = 0; k < 4; k++) {
    char c = dy_tolower(p[i + k]);
    if (!(dy_ctype[(unsigned char)c] & DY_C_XDIGIT))
      return -1;
    *v = *v * 16 + (uint32_t)(dy_isdigit(c) ? c - '0' : c - 'a' + 10);
  }
  return 0;
}

int dy__json_string(const char *p, size_t n, size_t *ip, dy_buf *out)
{
  size_t i = *ip;
  if (i >= n || p[i] != '"')
    return DY_EFORMAT;
  i++;
  while (i < n) {
    unsigned char c = (unsigned char)p[i];
    size_t run = i;
    while (i < n && (unsigned char)p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
      i++;
    if (out && i > run)
      dy_buf_append(out, p + run, i - run);
    if (i >= n)
      break;
    c = (unsigned char)p[i];
    if (c == '"') {
      *ip = i + 1;
      return out && out->failed ? DY_ENOMEM : DY_OK;
    }
    if (c < 0x20)
      return DY_EFORMAT; /* raw control character */
    /* backslash */
    if (++i >= n)
      return DY_EFORMAT;
    switch (p[i]) {
    case '"':
    case '\\':
    case '/':
      if (out)
        dy_buf_putc(out, p[i]);
      i++;
      break;
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't': {
      static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
      if (out)
        dy_buf_putc(out, to[strchr(from, p[i]) - from]);
      i++;
      break;
    }
    case 'u': {
      uint32_t cp, lo;
      char enc[4];
      if (hex4(p, n, i + 1, &cp) < 0)
        return DY_EFORMAT;
      i += 5;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (n - i < 6 || p[i] != '\\' || p[i + 1] != 'u' ||
            hex4(p, n, i + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
          return DY_EFORMAT; /* lone high surrogate */
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 6;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return DY_EFORMAT; /* lone low surrogate */
      }
      if (out)
        dy_buf_append(out, enc, (size_t)dy_utf8_encode(cp, enc));
      break;
    }
    default:
      return DY_EFORMAT;
    }
  }
  return DY_EFORMAT; /* unterminated */
}

static void skip_ws(const char *p, size_t n, size_t *i)
{
  while (*i < n &&
         (p[*i] == ' ' || p[*i] == '\t' || p[*i] == '\r' || p[*i] == '\n'))
    (*i)++;
}

static int skip_number(const char *p, size_t n, size_t *ip)
{
  size_t i = *ip, d;
  if (i < n && p[i] == '-')
    i++;
  if (i < n && p[i] == '0') {
    i++;
  } else {
    d = i;
    while (i < n && dy_isdigit(p[i]))
      i++;
    if (i == d)
      return DY_EFORMAT;
  }
  if (i < n && p[i] == '.') {
    d = ++i;
    while (i < n && dy_isdigit(p[i]))
      i++;
    if (i == d)
      return DY_EFORMAT;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-'))
      i++;
    d = i;
    while (i < n && dy_isdigit(p[i]))
      i++;
    if (i == d)
      return DY_EFORMAT;
  }
  *ip = i;
  return DY_OK;
}

/* Checks and skips any JSON value. */
static int skip_value(const char *p, size_t n, size_t *ip, int depth)
{
  size_t i = *ip;
  int rc;
  if (depth > DY_JSON_MAX_DEPTH || i >= n)
    return DY_EFORMAT;
  switch (p[i]) {
  case '"':
    return dy__json_string(p, n, ip, NULL);
  case '{':
  case '[': {
    char close = p[i] == '{' ? '}' : ']';
    int obj = p[i] == '{';
    i++;
    skip_ws(p, n, &i);
    if (i < n && p[i] == close) {
      *ip = i + 1;
      return DY_OK;
    }
    for (;;) {
      if (obj) {
        if ((rc = dy__json_string(p, n, &i, NULL)) < 0)
          return rc;
        skip_ws(p, n, &i);
        if (i >= n || p[i] != ':')
          return DY_EFORMAT;
        i++;
        skip_ws(p, n, &i);
      }
      if ((rc = skip_value(p, n, &i, depth + 1)) < 0)
        return rc;
      skip_ws(p, n, &i);
      if (i < n && p[i] == ',') {
        i++;
        skip_ws(p, n, &i);
        continue;
      }
      if (i < n && p[i] == close) {
        *ip = i + 1;
        return DY_OK;
      }
      return DY_EFORMAT;
    }
  }
  case 't':
    if (n - i >= 4 && memcmp(p + i, "true", 4) == 0) {
      *ip = i + 4;
      return DY_OK;
    }
    return DY_EFORMAT;
  case 'f':
    if (n - i >= 5 && memcmp(p + i, "false", 5) == 0) {
      *ip = i + 5;
      return DY_OK;
    }
    return DY_EFORMAT;
  case 'n':
    if (n - i >= 4 && memcmp(p + i, "null", 4) == 0) {
      *ip = i + 4;
      return DY_OK;
    }
    return DY_EFORMAT;
  default:
    return skip_number(p, n, ip);
  }
}

enum { F_URL, F_DATE, F_TITLE, F_TEXT, F_HTML, F_N };
static const char *const fields[F_N] = {"url", "date", "title", "text", "html"};

/* Parses one line holding an object; fills the wanted string fields
 * (have[k] set when present). Returns DY_OK or DY_EFORMAT with *at the
 * byte offset of the fault. */
static int parse_record(const char *p, size_t n, dy_buf *f, int *have,
                        dy_buf *key, size_t *at)
{
  size_t i = 0;
  int rc, k;
  skip_ws(p, n, &i);
  if (i >= n || p[i] != '{')
    goto bad;
  i++;
  skip_ws(p, n, &i);
  if (i < n && p[i] == '}') {
    i++;
    goto end;
  }
  for (;;) {
    int want = -1;
    dy_buf_reset(key);
    if (dy__json_string(p, n, &i, key) < 0)
      goto bad;
    for (k = 0; k < F_N; k++)
      if (key->n == strlen(fields[k]) && memcmp(key->p, fields[k], key->n) == 0)
        want = k;
    skip_ws(p, n, &i);
    if (i >= n || p[i] != ':')
      goto bad;
    i++;
    skip_ws(p, n, &i);
    if (want >= 0 && i < n && p[i] == '"') {
      dy_buf_reset(&f[want]);
      rc = dy__json_string(p, n, &i, &f[want]);
      if (rc == DY_ENOMEM)
        return rc;
      if (rc < 0)
        goto bad;
      dy_buf_append(&f[want], "", 0);
      have[want] = 1;
    } else {
      if (want >= 0)
        have[want] = 0; /* null or a non-string: as if absent */
      if (skip_value(p, n, &i, 1) < 0)
        goto bad;
    }
    skip_ws(p, n, &i);
    if (i < n && p[i] == ',') {
      i++;
      skip_ws(p, n, &i);
      continue;
    }
    if (i < n && p[i] == '}') {
      i++;
      break;
    }
    goto bad;
  }
end:
  skip_ws(p, n, &i);
  if (i == n)
    return DY_OK;
bad:
  *at = i;
  return DY_EFORMAT;
}

int dy__jsonl_read(dy__sink *s, const char *p, size_t n)
{
  dy_buf f[F_N], key;
  size_t i = 0;
  int k;
  for (k = 0; k < F_N; k++)
    dy_buf_init(&f[k], 0);
  dy_buf_init(&key, 0);
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && !s->stop) {
    const char *nl = memchr(p + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - p) : n, at = 0;
    dy_str line = dy_str_trim((dy_str){p + i, end - i});
    int have[F_N] = {0}, rc;
    i = end + 1;
    if (line.n == 0)
      continue;
    dy__sink_next(s);
    rc = parse_record(line.p, line.n, f, have, &key, &at);
    if (rc == DY_ENOMEM) {
      dy__sink_fail(s, rc, "out of memory");
      continue;
    }
    if (rc < 0) {
      dy__sink_fail(s, rc, "bad JSON at byte %zu of the line", at);
      continue;
    }
    {
      dy_input in;
      char date[11];
      int body = have[F_TEXT] ? F_TEXT : have[F_HTML] ? F_HTML : -1;
      if (body < 0) {
        dy__sink_fail(s, DY_EFORMAT, "no \"text\" or \"html\" string");
        continue;
      }
      memset(&in, 0, sizeof in);
      in.bytes = f[body].p;
      in.n = f[body].n;
      in.ctype = body == F_HTML ? "text/html" : "text/plain";
      if (have[F_URL] && f[F_URL].n && f[F_URL].n <= DY_MAX_RECORD_FIELD)
        in.url = f[F_URL].p;
      if (have[F_TITLE] && f[F_TITLE].n && f[F_TITLE].n <= DY_MAX_RECORD_FIELD)
        in.title = f[F_TITLE].p;
      date[0] = '\0';
      if (have[F_DATE])
        dy__iso_date(f[F_DATE].p, f[F_DATE].n, date);
      in.date = date[0] ? date : NULL;
      dy__sink_emit(s, &in);
    }
  }
  for (k = 0; k < F_N; k++)
    dy_buf_fini(&f[k]);
  dy_buf_fini(&key);
  return DY_OK;
}

/* ---- public helpers ---------------------------------------------------- */

int dy_json_string(const char *p, size_t n, size_t *off, dy_buf *out)
{
  return dy__json_string(p, n, off, out);
}

int dy_json_skip(const char *p, size_t n, size_t *off)
{
  return skip_value(p, n, off, 0);
}

void dy_json_ws(const char *p, size_t n, size_t *off)
{
  skip_ws(p, n, off);
}
