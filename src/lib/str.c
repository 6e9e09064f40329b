/* SPDX-License-Identifier: MIT */
/* String slices, the ASCII class table and the capped byte builder. */
#include "dyad/core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const unsigned char dy_ctype[256] = {
#include "ctype.inc"
};

dy_str dy_str_c(const char *s)
{
  dy_str r;
  r.p = s;
  r.n = s ? strlen(s) : 0;
  return r;
}

int dy_str_eq(dy_str a, dy_str b)
{
  return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

int dy_str_eq_c(dy_str a, const char *s)
{
  return dy_str_eq(a, dy_str_c(s));
}

int dy_str_ieq_c(dy_str a, const char *s)
{
  size_t i;
  for (i = 0; i < a.n; i++) {
    if (s[i] == '\0' || dy_tolower(a.p[i]) != dy_tolower(s[i]))
      return 0;
  }
  return s[i] == '\0';
}

dy_str dy_str_trim(dy_str s)
{
  while (s.n && dy_isspace(s.p[0])) {
    s.p++;
    s.n--;
  }
  while (s.n && dy_isspace(s.p[s.n - 1]))
    s.n--;
  return s;
}

int dy_str_starts_c(dy_str s, const char *prefix)
{
  size_t n = strlen(prefix);
  return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

/* ---- buffer ------------------------------------------------------------ */

#define BUF_MAX_DEFAULT ((size_t)1 << 30)

void dy_buf_init(dy_buf *b, size_t max)
{
  memset(b, 0, sizeof *b);
  b->max = max ? max : BUF_MAX_DEFAULT;
}

void dy_buf_fini(dy_buf *b)
{
  dy_free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
  b->failed = 0;
}

void dy_buf_reset(dy_buf *b)
{
  b->n = 0;
  b->failed = 0;
  if (b->p)
    b->p[0] = '\0';
}

static int buf_reserve(dy_buf *b, size_t add)
{
  size_t need, cap;
  char *p;
  if (b->failed)
    return DY_ENOMEM;
  if (add > b->max || b->n > b->max - add) {
    b->failed = 1;
    return DY_ETOOBIG;
  }
  need = b->n + add + 1;
  if (need <= b->cap)
    return DY_OK;
  cap = b->cap ? b->cap : 256;
  while (cap < need)
    cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
  p = dy_realloc(b->p, cap);
  if (p == NULL) {
    b->failed = 1;
    return DY_ENOMEM;
  }
  b->p = p;
  b->cap = cap;
  return DY_OK;
}

int dy_buf_append(dy_buf *b, const void *p, size_t n)
{
  int rc = buf_reserve(b, n);
  if (rc < 0)
    return rc;
  if (n)
    memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = '\0';
  return DY_OK;
}

int dy_buf_puts(dy_buf *b, const char *s)
{
  return dy_buf_append(b, s, strlen(s));
}

int dy_buf_putc(dy_buf *b, char c)
{
  return dy_buf_append(b, &c, 1);
}

int dy_buf_printf(dy_buf *b, const char *fmt, ...)
{
  va_list ap;
  int len, rc;
  char small[256];
  va_start(ap, fmt);
  len = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (len < 0)
    return DY_EINVAL;
  if ((size_t)len < sizeof small)
    return dy_buf_append(b, small, (size_t)len);
  rc = buf_reserve(b, (size_t)len);
  if (rc < 0)
    return rc;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)len;
  return DY_OK;
}

int dy_buf_json_str(dy_buf *b, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  size_t i, start = 0;
  int rc = dy_buf_putc(b, '"');
  for (i = 0; i < n && rc == DY_OK; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[7];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    rc = dy_buf_append(b, s + start, i - start);
    switch (c) {
    case '"':
      esc = "\\\"";
      break;
    case '\\':
      esc = "\\\\";
      break;
    case '\n':
      esc = "\\n";
      break;
    case '\r':
      esc = "\\r";
      break;
    case '\t':
      esc = "\\t";
      break;
    default:
      memcpy(u, "\\u00", 4);
      u[4] = hex[c >> 4];
      u[5] = hex[c & 15];
      u[6] = '\0';
      esc = u;
    }
    if (rc == DY_OK)
      rc = dy_buf_puts(b, esc);
    start = i + 1;
  }
  if (rc == DY_OK)
    rc = dy_buf_append(b, s + start, n - start);
  if (rc == DY_OK)
    rc = dy_buf_putc(b, '"');
  return rc;
}

int dy_buf_tsv_field(dy_buf *b, const char *s, size_t n)
{
  size_t i, start = 0;
  int rc = DY_OK;
  for (i = 0; i < n && rc == DY_OK; i++) {
    if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      rc = dy_buf_append(b, s + start, i - start);
      if (rc == DY_OK)
        rc = dy_buf_putc(b, ' ');
      start = i + 1;
    }
  }
  if (rc == DY_OK)
    rc = dy_buf_append(b, s + start, n - start);
  return rc;
}
