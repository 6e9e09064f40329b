/* SPDX-License-Identifier: MIT */
/* The quote-mark scanner: pairs opening and closing marks of every style in
 * one linear pass over the bytes, paragraph by paragraph (docs/QUOTES.md). */
#include "dyad/facts.h"

#include <string.h>

enum {
  M_NONE = 0,
  M_STRAIGHT, /* " */
  M_LDQ,      /* “ U+201C */
  M_RDQ,      /* ” U+201D */
  M_LOW9,     /* „ U+201E */
  M_LGUIL,    /* « U+00AB */
  M_RGUIL,    /* » U+00BB */
  M_LSQ,      /* ‘ U+2018 */
  M_RSQ       /* ’ U+2019 */
};

/* The mark at text[i], its length in *len; M_NONE when none. */
static int mark_at(const char *s, size_t n, size_t i, size_t *len)
{
  unsigned char c = (unsigned char)s[i];
  *len = 1;
  if (c == '"')
    return M_STRAIGHT;
  if (c == 0xC2 && i + 1 < n) {
    *len = 2;
    if ((unsigned char)s[i + 1] == 0xAB)
      return M_LGUIL;
    if ((unsigned char)s[i + 1] == 0xBB)
      return M_RGUIL;
    return M_NONE;
  }
  if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
    *len = 3;
    switch ((unsigned char)s[i + 2]) {
    case 0x9C:
      return M_LDQ;
    case 0x9D:
      return M_RDQ;
    case 0x9E:
      return M_LOW9;
    case 0x98:
      return M_LSQ;
    case 0x99:
      return M_RSQ;
    default:
      return M_NONE;
    }
  }
  return M_NONE;
}

/* Is the byte before i (or after i+len) a letter or digit (ASCII or any
 * non-ASCII byte, which is a letter in practice)? */
static int wordish_before(const char *s, size_t i)
{
  unsigned char c;
  if (i == 0)
    return 0;
  c = (unsigned char)s[i - 1];
  return dy_isalnum(c) ||
         (c >= 0x80 && c != 0x9C && c != 0x9D && c != 0x98 && c != 0x99 &&
          c != 0xAB && c != 0xBB && c != 0x94 && c != 0x93);
}

static int wordish_after(const char *s, size_t n, size_t j)
{
  unsigned char c;
  if (j >= n)
    return 0;
  c = (unsigned char)s[j];
  return dy_isalnum(c) || (c >= 0xC3 && c != 0xE2);
}

static int space_at(const char *s, size_t n, size_t j)
{
  return j >= n || s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r';
}

static int is_opener_kind(int k)
{
  return k == M_LDQ || k == M_LOW9 || k == M_LGUIL || k == M_STRAIGHT;
}

/* Does mark m close a quote opened by kind `open`? */
static int closes(int open, int m)
{
  switch (open) {
  case M_STRAIGHT:
    return m == M_STRAIGHT || m == M_RDQ;
  case M_LDQ:
    return m == M_RDQ || m == M_STRAIGHT;
  case M_LOW9:
    return m == M_LDQ || m == M_RDQ;
  case M_LGUIL:
    return m == M_RGUIL;
  case M_LSQ:
    return m == M_RSQ;
  default:
    return 0;
  }
}

typedef struct scan {
  dy_qspan *out;
  size_t cap, count;
} scan;

static void emit(scan *sc, size_t off, size_t end, int unclosed)
{
  if (end <= off || off > UINT32_MAX || end - off > UINT32_MAX)
    return;
  if (sc->count < sc->cap) {
    sc->out[sc->count].off = (uint32_t)off;
    sc->out[sc->count].len = (uint32_t)(end - off);
    sc->out[sc->count].unclosed = unclosed;
  }
  sc->count++;
}

size_t dy_quote_spans(const char *s, size_t n, dy_qspan *out, size_t cap)
{
  scan sc;
  size_t i = 0, qstart = 0, lastword = 0;
  int open = M_NONE;
  sc.out = out;
  sc.cap = out ? cap : 0;
  sc.count = 0;
  if (s == NULL)
    return 0;
  while (i < n) {
    size_t len;
    int m;
    if (s[i] == '\n') {
      /* paragraph end: a quote still open continues only when the next
       * paragraph opens with a mark of the same family */
      size_t j = i;
      while (j < n &&
             (s[j] == '\n' || s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
        j++;
      if (open != M_NONE) {
        size_t l2;
        int m2 = j < n ? mark_at(s, n, j, &l2) : M_NONE;
        int same = m2 != M_NONE &&
                   (m2 == open || (open == M_STRAIGHT && m2 == M_LDQ) ||
                    (open == M_LDQ && m2 == M_STRAIGHT));
        if (same) {
          i = j + l2; /* the continuation mark; the quote goes on */
          lastword = i;
          continue;
        }
        emit(&sc, qstart, lastword, 1);
        open = M_NONE;
      }
      i = j;
      continue;
    }
    m = mark_at(s, n, i, &len);
    if (m == M_NONE) {
      if (!space_at(s, n, i))
        lastword = i + 1;
      i++;
      continue;
    }
    if (open == M_NONE) {
      int opens = 0;
      if (is_opener_kind(m)) {
        /* a straight mark glued to a word on its left and free on its right
         * is a stray closer (or inches), not an opener */
        opens = !(m == M_STRAIGHT && wordish_before(s, i) &&
                  !wordish_after(s, n, i + len));
      } else if (m == M_LSQ) {
        /* ‘ opens when it starts a word: not inside one */
        opens = !wordish_before(s, i) && i + len < n &&
                !dy_isdigit(s[i + len]) && s[i + len] != '\n';
      }
      if (opens) {
        open = m;
        qstart = i;
      }
      lastword = i + len;
      i += len;
      continue;
    }
    /* inside a quote */
    if (closes(open, m)) {
      int close = 1;
      if (m == M_RSQ && wordish_before(s, i) && wordish_after(s, n, i + len))
        close = 0; /* an apostrophe: don’t, O’Brien */
      if (close) {
        emit(&sc, qstart, i + len, 0);
        open = M_NONE;
        lastword = i + len;
        i += len;
        continue;
      }
    } else if ((m == M_LDQ || m == M_LGUIL || m == M_LOW9) && open != M_LSQ &&
               !(open == M_LOW9 && m == M_LDQ)) {
      /* a new opener while open: the earlier quote was never closed */
      emit(&sc, qstart, lastword, 1);
      open = m;
      qstart = i;
    } else if (open == M_LSQ && is_opener_kind(m) && m != M_STRAIGHT) {
      /* a double quote inside an unclosed single one: drop the single */
      open = m;
      qstart = i;
    }
    lastword = i + len;
    i += len;
  }
  if (open != M_NONE)
    emit(&sc, qstart, lastword, 1);
  return sc.count;
}
