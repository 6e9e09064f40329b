/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 decoding (no overlongs, surrogates or > U+10FFFF) and repair
 * of bad bytes into U+FFFD. */
#include "dyad/core.h"

int dy_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  uint32_t c;
  int len, i;
  if (n == 0)
    return -1;
  c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    c &= 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    c &= 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    c &= 0x07;
  } else {
    return -1; /* continuation byte, C0/C1 overlong lead, F5..FF */
  }
  if ((size_t)len > n)
    return -1;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return -1;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10FFFF ||
      (c >= 0xD800 && c <= 0xDFFF))
    return -1;
  *cp = c;
  return len;
}

int dy_utf8_encode(uint32_t cp, char *out)
{
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int dy_utf8_valid(const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  uint32_t cp;
  while (i < n) {
    int len;
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    len = dy_utf8_decode(u + i, n - i, &cp);
    if (len < 0)
      return 0;
    i += (size_t)len;
  }
  return 1;
}

int dy_utf8_repair(const char *s, size_t n, dy_buf *out, size_t *nbad)
{
  static const char repl[] = "\xEF\xBF\xBD";
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, start = 0, bad = 0;
  uint32_t cp;
  int rc;
  dy_buf_reset(out);
  while (i < n) {
    int len;
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    len = dy_utf8_decode(u + i, n - i, &cp);
    if (len > 0) {
      i += (size_t)len;
      continue;
    }
    rc = dy_buf_append(out, s + start, i - start);
    if (rc == DY_OK)
      rc = dy_buf_append(out, repl, 3);
    if (rc < 0)
      return rc;
    bad++;
    i++;
    start = i;
  }
  rc = dy_buf_append(out, s + start, n - start);
  if (rc < 0)
    return rc;
  if (nbad)
    *nbad = bad;
  return DY_OK;
}
