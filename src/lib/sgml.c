/* SPDX-License-Identifier: MIT */
/* Reuters-21578 SGML reader: each <REUTERS> record becomes a document whose
 * text is the dateline followed by the body (indented lines start
 * paragraphs, the closing "Reuter" signature dropped), with <TITLE> as title
 * and <DATE> ("26-FEB-1987 15:01:01.79") as date. Entities (&lt; &amp;
 * &#3; ...) are decoded; control characters dropped. */
#include "input_int.h"

#include <string.h>

/* Finds the element <tag ...>...</tag> inside p[0..n): its content span. */
static int element(const char *p, size_t n, const char *tag, dy_str *out)
{
  size_t k = strlen(tag), i;
  for (i = 0; i + k + 2 <= n; i++) {
    const char *gt, *end;
    size_t j;
    if (p[i] != '<' || memcmp(p + i + 1, tag, k) != 0 ||
        (p[i + 1 + k] != '>' && p[i + 1 + k] != ' '))
      continue;
    gt = memchr(p + i, '>', n - i);
    if (gt == NULL)
      return 0;
    j = (size_t)(gt - p) + 1;
    for (end = NULL; j + k + 3 <= n; j++)
      if (p[j] == '<' && p[j + 1] == '/' && memcmp(p + j + 2, tag, k) == 0 &&
          p[j + 2 + k] == '>') {
        end = p + j;
        break;
      }
    if (end == NULL)
      return 0;
    out->p = gt + 1;
    out->n = (size_t)(end - gt - 1);
    return 1;
  }
  return 0;
}

/* Appends s with entities decoded, tags removed (when strip), control
 * characters other than \n and \t dropped. */
static void decode(dy_buf *b, dy_str s, int strip)
{
  size_t i = 0;
  while (i < s.n) {
    unsigned char c = (unsigned char)s.p[i];
    if (c == '&') {
      size_t j = i + 1;
      while (j < s.n && j - i < 12 && s.p[j] != ';' && !dy_isspace(s.p[j]))
        j++;
      if (j < s.n && s.p[j] == ';') {
        dy_str e = {s.p + i + 1, j - i - 1};
        uint32_t cp = 0;
        if (e.n >= 2 && e.p[0] == '#') {
          size_t k = 1;
          int hex = e.p[1] == 'x' || e.p[1] == 'X';
          if (hex)
            k++;
          for (; k < e.n && cp < 0x110000; k++) {
            char d = dy_tolower(e.p[k]);
            if (dy_isdigit(d))
              cp = cp * (hex ? 16 : 10) + (uint32_t)(d - '0');
            else if (hex && d >= 'a' && d <= 'f')
              cp = cp * 16 + (uint32_t)(d - 'a' + 10);
            else
              break;
          }
          if (k < e.n)
            cp = 0xFFFFFFFF;
        } else if (dy_str_eq_c(e, "lt")) {
          cp = '<';
        } else if (dy_str_eq_c(e, "gt")) {
          cp = '>';
        } else if (dy_str_eq_c(e, "amp")) {
          cp = '&';
        } else if (dy_str_eq_c(e, "quot")) {
          cp = '"';
        } else if (dy_str_eq_c(e, "apos")) {
          cp = '\'';
        } else {
          cp = 0xFFFFFFFF;
        }
        if (cp != 0xFFFFFFFF) {
          if (cp >= 0x20 || cp == '\n' || cp == '\t') {
            char enc[4];
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
              cp = 0xFFFD;
            dy_buf_append(b, enc, (size_t)dy_utf8_encode(cp, enc));
          }
          i = j + 1;
          continue;
        }
      }
    } else if (c == '<' && strip) {
      const char *gt = memchr(s.p + i, '>', s.n - i);
      if (gt) {
        i = (size_t)(gt - s.p) + 1;
        continue;
      }
    } else if (c < 0x20 && c != '\n' && c != '\t') {
      i++;
      continue;
    }
    dy_buf_putc(b, (char)c);
    i++;
  }
}

/* "26-FEB-1987 15:01:01.79" → "1987-02-26". */
static void reuters_date(dy_str s, char out[11])
{
  size_t i = 0;
  int day = 0, mon, year = 0;
  out[0] = '\0';
  s = dy_str_trim(s);
  while (i < s.n && dy_isdigit(s.p[i]) && day < 100)
    day = day * 10 + (s.p[i++] - '0');
  if (i >= s.n || s.p[i] != '-' || s.n < i + 9)
    return;
  mon = dy_month_from_name((dy_str){s.p + i + 1, 3});
  i += 4;
  if (!mon || s.p[i] != '-')
    return;
  i++;
  while (i < s.n && dy_isdigit(s.p[i]) && year < 10000)
    year = year * 10 + (s.p[i++] - '0');
  if (year < 1000 || year > 9999 || day < 1 || day > 31)
    return;
  {
    char buf[11];
    buf[0] = (char)('0' + year / 1000);
    buf[1] = (char)('0' + year / 100 % 10);
    buf[2] = (char)('0' + year / 10 % 10);
    buf[3] = (char)('0' + year % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + mon / 10);
    buf[6] = (char)('0' + mon % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + day / 10);
    buf[9] = (char)('0' + day % 10);
    buf[10] = '\0';
    if (dy_date_parse((dy_str){buf, 10}) >= 0)
      memcpy(out, buf, 11);
  }
}

/* Lays the decoded body out as paragraphs: an indented line starts a new
 * paragraph; a last line "Reuter" is dropped. */
static void layout_body(dy_buf *out, const char *p, size_t n)
{
  size_t i = 0;
  int first = 1;
  while (i < n) {
    const char *nl = memchr(p + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - p) : n;
    dy_str line = {p + i, end - i};
    dy_str t = dy_str_trim(line);
    int indented = line.n >= 2 && dy_isspace(line.p[0]) && t.n > 0;
    i = end + 1;
    if (t.n == 0)
      continue;
    if ((dy_str_eq_c(t, "Reuter") || dy_str_eq_c(t, "REUTER")) &&
        (i >= n || dy_str_trim((dy_str){p + i, n - i}).n == 0))
      break;
    if (!first)
      dy_buf_puts(out, indented ? "\n\n" : "\n");
    dy_buf_append(out, t.p, t.n);
    first = 0;
  }
}

int dy__sgml_read(dy__sink *s, const char *p, size_t n)
{
  dy_buf title, text, tmp;
  size_t i = 0;
  dy_buf_init(&title, 0);
  dy_buf_init(&text, 0);
  dy_buf_init(&tmp, 0);
  while (i < n && !s->stop) {
    const char *open = NULL, *close;
    size_t k, rn;
    dy_str rec, v;
    dy_input in;
    char date[11];
    for (k = i; k + 8 <= n; k++)
      if (p[k] == '<' && memcmp(p + k, "<REUTERS", 8) == 0 &&
          (k + 8 == n || p[k + 8] == ' ' || p[k + 8] == '>')) {
        open = p + k;
        break;
      }
    if (open == NULL)
      break;
    dy__sink_next(s);
    rn = n - (size_t)(open - p);
    close = NULL;
    for (k = 8; k + 10 <= rn; k++)
      if (open[k] == '<' && memcmp(open + k, "</REUTERS>", 10) == 0) {
        close = open + k;
        break;
      } else if (open[k] == '<' && memcmp(open + k, "<REUTERS", 8) == 0) {
        break;
      }
    if (close == NULL) {
      dy__sink_fail(s, DY_EFORMAT, "<REUTERS> without </REUTERS>");
      i = (size_t)(open - p) + 8;
      continue;
    }
    rec.p = open;
    rec.n = (size_t)(close - open);
    i = (size_t)(close - p) + 10;
    dy_buf_reset(&title);
    dy_buf_reset(&text);
    dy_buf_reset(&tmp);
    date[0] = '\0';
    if (element(rec.p, rec.n, "DATE", &v))
      reuters_date(v, date);
    if (element(rec.p, rec.n, "TITLE", &v)) {
      dy_str t;
      decode(&tmp, v, 1);
      t = dy_str_trim((dy_str){tmp.p ? tmp.p : "", tmp.n});
      dy_buf_append(&title, t.p, t.n);
      dy_buf_append(&title, "", 0);
      dy_buf_reset(&tmp);
    }
    if (element(rec.p, rec.n, "DATELINE", &v)) {
      dy_buf d;
      dy_buf_init(&d, 0);
      decode(&d, v, 1);
      if (d.n) {
        dy_str t = dy_str_trim((dy_str){d.p, d.n});
        dy_buf_append(&text, t.p, t.n);
        dy_buf_putc(&text, ' ');
      }
      dy_buf_fini(&d);
    }
    if (element(rec.p, rec.n, "BODY", &v)) {
      decode(&tmp, v, 1);
      layout_body(&text, tmp.p ? tmp.p : "", tmp.n);
    } else if (element(rec.p, rec.n, "TEXT", &v)) {
      /* no <BODY> (briefs, unprocessed stories): the text minus its title */
      decode(&tmp, v, 1);
      if (title.n && tmp.n >= title.n) {
        size_t q;
        for (q = 0; q + title.n <= tmp.n; q++)
          if (memcmp(tmp.p + q, title.p, title.n) == 0) {
            memset(tmp.p + q, ' ', title.n);
            break;
          }
      }
      dy_buf_reset(&text);
      layout_body(&text, tmp.p ? tmp.p : "", tmp.n);
    }
    if (text.failed || title.failed || tmp.failed) {
      dy__sink_fail(s, DY_ENOMEM, "out of memory");
      continue;
    }
    dy_buf_append(&text, "", 0);
    if (dy_str_trim((dy_str){text.p ? text.p : "", text.n}).n == 0 &&
        title.n == 0) {
      dy__sink_fail(s, DY_EEMPTY, "no title and no text");
      continue;
    }
    memset(&in, 0, sizeof in);
    in.bytes = text.p ? text.p : "";
    in.n = text.n;
    if (in.n == 0 && title.n) {
      in.bytes = title.p; /* a brief: the title is all there is */
      in.n = title.n;
    }
    in.title = title.n && title.n <= DY_MAX_RECORD_FIELD ? title.p : NULL;
    in.date = date[0] ? date : NULL;
    in.ctype = "text/plain";
    dy__sink_emit(s, &in);
  }
  dy_buf_fini(&title);
  dy_buf_fini(&text);
  dy_buf_fini(&tmp);
  return DY_OK;
}
