/* SPDX-License-Identifier: MIT */
/* Tokenizer and sentence splitter in the style of the Universal Dependencies
 * English Web Treebank (docs/TOKENIZER.md): clitics split (do|n't, Russia|'s,
 * can|not), hyphenated compounds split but for prefixes (e-mail, non-Arab)
 * and number ranges, abbreviations and initials keep their period, URLs,
 * e-mail addresses and file names stay whole. Byte offsets into the text.
 * Linear time: every byte is looked at a bounded number of times. */
#include "engine_int.h"

#include <string.h>

/* ---- character classes ------------------------------------------------- */

enum { CL_SPACE, CL_WORD, CL_PUNCT, CL_APOS, CL_END };

/* Classifies the code point at s[i]; *len gets its byte length. */
static int cp_class(const char *s, size_t n, size_t i, size_t *len)
{
  const unsigned char *u = (const unsigned char *)s + i;
  uint32_t cp;
  int l;
  if (i >= n) {
    *len = 0;
    return CL_END;
  }
  if (u[0] < 0x80) {
    *len = 1;
    if (dy_isspace(u[0]) || u[0] < 0x20 || u[0] == 0x7F)
      return CL_SPACE;
    if (dy_isalnum(u[0]))
      return CL_WORD;
    if (u[0] == '\'')
      return CL_APOS;
    return CL_PUNCT;
  }
  l = dy_utf8_decode(u, n - i, &cp);
  if (l < 0) {
    *len = 1;
    return CL_PUNCT;
  }
  *len = (size_t)l;
  if (cp == 0x2019 || cp == 0x2018)
    return CL_APOS;
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000 ||
      cp == 0x202F || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
      (cp >= 0x80 && cp < 0xA0))
    return CL_SPACE;
  if ((cp >= 0x2010 && cp <= 0x205E) || cp == 0xAB || cp == 0xBB ||
      cp == 0xD7 || cp == 0xB7 || cp == 0xA9 || cp == 0xAE ||
      (cp >= 0xA1 && cp <= 0xBF) || cp == 0xFFFD ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x2190 && cp <= 0x27FF) ||
      (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xFF01 && cp <= 0xFF0F))
    return CL_PUNCT;
  return CL_WORD;
}

static int is_word_at(const char *s, size_t n, size_t i)
{
  size_t l;
  return cp_class(s, n, i, &l) == CL_WORD;
}

/* Case-insensitive comparison of s[0..n) with the lower-case word w. */
static int eq_ci(const char *s, size_t n, const char *w)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (w[i] == '\0' || dy_tolower(s[i]) != w[i])
      return 0;
  return w[n] == '\0';
}

static int in_list_ci(const char *s, size_t n, const char *const *list)
{
  for (; *list; list++)
    if (eq_ci(s, n, *list))
      return 1;
  return 0;
}

/* ---- abbreviations ----------------------------------------------------- */

/* Words that keep a following period (case as written). Titles come first:
 * they never end a sentence. */
static const char *const titles[] = {
    "Mr",   "Mrs",  "Ms",   "Dr",   "Gen",  "Lt",   "Col",  "Sen",   "Rep",
    "Reps", "Gov",  "Prof", "St",   "Mt",   "Ft",   "Capt", "Cmdr",  "Adm",
    "Maj",  "Sgt",  "Pres", "Amb",  "Rev",  "Hon",  "Messrs", "Gens", "Cpl",
    "Pvt",  "Supt", "Insp", "Brig", "Sens", "Mssrs", "Fr",  "Atty", "No",
    "Nos",  "Vol",  "Ph",   "Attn", "Mme",  "Mlle", NULL};
static const char *const abbrevs[] = {
    "Jr",   "Sr",   "Jan",  "Feb",  "Mar",  "Apr",  "Aug",  "Sep",  "Sept",
    "Oct",  "Nov",  "Dec",  "Jun",  "Jul",  "Inc",  "Corp", "Ltd",  "Co",
    "vs",   "etc",  "approx", "Ave", "Blvd", "Dept", "Univ", "Assn", "Bros",
    "Cie",  "Mon",  "Tue",  "Tues", "Wed",  "Thu",  "Thur", "Thurs", "Fri",
    "Sat",  "Sun",  "ca",   "cf",   "Esq",  "Ph",   "Rd",   "Hwy",  "Mass",
    "Calif", "Ariz", "Colo", "Conn", "Fla", "Ga",   "Ill",  "Ind",  "Kan",
    "Ky",   "La",   "Md",   "Mich", "Minn", "Miss", "Mo",   "Neb",  "Nev",
    "Okla", "Ore",  "Pa",   "Tenn", "Tex",  "Va",   "Wash", "Wis",  "Wyo",
    "Ct",   "ext",  "Ext",  "tel",  "Tel",  "est",  "Est",  "dept", "govt",
    "Govt", "pp",   "Pp",   "Arrv", "arrv", "Op",   "Ed",   "eds",  "Eds",
    "Lib",  "Dem",  "Sq",   "Fig",  "fig",  "Ass't", "Asst", "asst", "viz",
    NULL};

static int in_list(const char *s, size_t n, const char *const *list)
{
  for (; *list; list++)
    if (strlen(*list) == n && memcmp(*list, s, n) == 0)
      return 1;
  return 0;
}

/* Kind of abbreviation a word (without its period) is: 0 none, 1 ends a
 * sentence only before a capital, 2 a title or initial (never ends one). */
static int abbrev_kind(const char *s, size_t n)
{
  if (n == 1 && dy_isupper(s[0]))
    return 2; /* an initial: "George W. Bush" */
  if (in_list(s, n, titles))
    return 2;
  if (in_list(s, n, abbrevs))
    return 1;
  return 0;
}

/* Hyphenated prefixes EWT keeps in one token (e-mail, non-Arab, re-run). */
static const char *const prefixes[] = {
    "e",     "co",    "pre",   "non",    "anti", "mid",   "re",   "post",
    "pro",   "ex",    "multi", "neo",    "semi", "over",  "counter", "cross",
    "sub",   "socio", "micro", "vice",   "intra", "arch", "inter", "mis",
    "ultra", "uni",   "bi",    "tri",    "pseudo", "quasi", "extra", "infra",
    "psycho", "x",    "de",    "un",     NULL};

/* Words EWT splits without an apostrophe: the length of the first part. */
typedef struct fused {
  const char *w; /* lower case */
  int cut;       /* bytes of the first part */
} fused;

static const fused fusions[] = {
    {"cannot", 3}, {"gonna", 3},  {"wanna", 3},  {"gotta", 3},
    {"dont", 2},   {"didnt", 3},  {"doesnt", 4}, {"wont", 2},
    {"cant", 2},   {"isnt", 2},   {"wasnt", 3},  {"arent", 3},
    {"werent", 4}, {"couldnt", 5}, {"wouldnt", 5}, {"shouldnt", 6},
    {"havent", 4}, {"hasnt", 3},  {"im", 1},     {"ive", 1},
    {"youre", 3},  {"theyre", 4}, {NULL, 0}};

static int fused_cut(const char *s, size_t n)
{
  const fused *f;
  if (n < 2 || n > 8)
    return 0;
  for (f = fusions; f->w; f++)
    if (eq_ci(s, n, f->w))
      return f->cut;
  return 0;
}

/* ---- chunk shapes: URLs, e-mail addresses, domains, file names ---------- */

static const char *const tlds[] = {
    "com", "org", "net", "edu", "gov", "mil", "int", "uk",  "de",  "ca",
    "au",  "us",  "info", "biz", "io", "co",  "ru",  "fr",  "jp",  "cn",
    "in",  "it",  "nl",  "es",  "ch",  "se",  "eu",  "tv",  "me",  "ly",
    "doc", "docx", "xls", "xlsx", "pdf", "txt", "htm", "html", "jpg",
    "jpeg", "gif", "png", "mp3", "mp4", "zip", "ppt", "pptx", "exe", "wav",
    "avi", "url", "csv", "xml", "php", "asp", "aspx", "rtf", "wpd", NULL};

static int url_prefix(const char *s, size_t n)
{
  static const char *const pre[] = {"http://", "https://", "ftp://",
                                    "www.", "mailto:", "file://", NULL};
  int k;
  for (k = 0; pre[k]; k++) {
    size_t l = strlen(pre[k]);
    if (n > l && eq_ci(s, l, pre[k]) &&
        (s[l] != '.' && !dy_isspace(s[l])))
      return 1;
  }
  return 0;
}

/* Is core[0..n) (no spaces) one token: URL, e-mail (x@y), domain or file
 * name (name.tld)? */
static int whole_shape(const char *p, size_t n)
{
  size_t i, at = n, lastdot = n, alnum = 0;
  if (n < 3)
    return 0;
  if (url_prefix(p, n))
    return 1;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '@' && at == n)
      at = i;
    else if (c == '.')
      lastdot = i;
    else if (dy_isalnum(c))
      alnum++;
    else if (c >= 0x80 || !(c == '-' || c == '_' || c == '%' || c == '/' ||
                            c == '#' || c == '~' || c == '+' || c == '=' ||
                            c == '&' || c == '?' || c == ':' || c == '!'))
      return 0;
  }
  if (!dy_isalnum(p[0]) && p[0] != '_' && p[0] != '-')
    return 0;
  if (!dy_isalnum(p[n - 1]))
    return 0;
  if (at < n)
    return at > 0 && at + 1 < n && dy_isalnum(p[at - 1]) &&
           dy_isalpha(p[at + 1]);
  if (lastdot < n && lastdot > 0 && dy_isalnum(p[lastdot - 1]) &&
      in_list_ci(p + lastdot + 1, n - lastdot - 1, tlds)) {
    /* name.tld: not a sentence joint "end.The", not "U.S" */
    for (i = 0; i < lastdot; i++)
      if (dy_islower(p[i]) || dy_isdigit(p[i]))
        return alnum > 3;
    return dy_isupper(p[lastdot + 1]) && alnum > 3;
  }
  return 0;
}

/* ---- the tokenizer ----------------------------------------------------- */

typedef struct tk {
  dy_arena *a;
  const char *s;
  size_t n;
  dy__tok *t;
  size_t nt, cap;
} tk;

static int emit(tk *k, size_t off, size_t len, uint32_t flags)
{
  size_t j;
  int upper = 0, lower = 0;
  if (len == 0)
    return DY_OK;
  if (k->nt == k->cap) {
    dy__tok *p = dy_arena_grow(k->a, k->t, k->cap * sizeof *k->t,
                               2 * k->cap * sizeof *k->t);
    if (p == NULL)
      return DY_ENOMEM;
    k->t = p;
    k->cap *= 2;
  }
  if (flags & DY_TOK_WORD) {
    const char *p = k->s + off;
    size_t f = 0;
    while (f < len && !dy_isalnum(p[f]) && (unsigned char)p[f] < 0x80)
      f++; /* 's, n't: look at the letters */
    if (f < len && dy_isupper(p[f]))
      flags |= DY_TOK_CAP;
    if (f < len && dy_isdigit(p[f]) && f == 0)
      flags |= DY_TOK_NUM;
    for (j = 0; j < len; j++) {
      if (dy_isupper(p[j]))
        upper++;
      else if (dy_islower(p[j]))
        lower++;
    }
    if (upper && !lower)
      flags |= DY_TOK_UPPER;
  }
  k->t[k->nt].off = (uint32_t)off;
  k->t[k->nt].len = (uint32_t)len;
  k->t[k->nt].flags = flags;
  k->nt++;
  return DY_OK;
}

/* Length of a clitic at s[i] (apostrophe first): 's 'm 'd 'll 're 've, 0
 * when none. */
static size_t clitic_len(const char *s, size_t n, size_t i)
{
  size_t al, r;
  if (cp_class(s, n, i, &al) != CL_APOS)
    return 0;
  r = i + al;
  if (r < n && (dy_tolower(s[r]) == 's' || dy_tolower(s[r]) == 'm' ||
                dy_tolower(s[r]) == 'd') &&
      !is_word_at(s, n, r + 1))
    return al + 1;
  if (r + 1 < n &&
      ((dy_tolower(s[r]) == 'l' && dy_tolower(s[r + 1]) == 'l') ||
       (dy_tolower(s[r]) == 'r' && dy_tolower(s[r + 1]) == 'e') ||
       (dy_tolower(s[r]) == 'v' && dy_tolower(s[r + 1]) == 'e')) &&
      !is_word_at(s, n, r + 2))
    return al + 2;
  return 0;
}

/* n't at s[i]: its length, or 0. */
static size_t nt_len(const char *s, size_t n, size_t i)
{
  size_t al;
  if (i + 1 >= n || dy_tolower(s[i]) != 'n' ||
      cp_class(s, n, i + 1, &al) != CL_APOS)
    return 0;
  if (i + 1 + al < n && dy_tolower(s[i + 1 + al]) == 't' &&
      !is_word_at(s, n, i + 2 + al))
    return 2 + al;
  return 0;
}

/* Reads a word starting at s[i] (a word character) up to e; returns its
 * end. *dots gets nonzero when the word is dotted (U.S., e.g.). */
static size_t read_word(const char *s, size_t e, size_t i, int *dots)
{
  size_t start = i, seg = i, len;
  int digits = 1, letters = 0;
  *dots = 0;
  for (;;) {
    int cl = cp_class(s, e, i, &len);
    if (cl == CL_WORD) {
      if (i > start && nt_len(s, e, i) && i > seg)
        return i; /* do|n't */
      if (dy_isdigit(s[i]))
        ;
      else {
        digits = 0;
        letters++;
      }
      i += len;
      if (i - start >= DY_MAX_TOKEN_BYTES)
        return i;
      continue;
    }
    if (cl == CL_APOS) {
      size_t l2;
      if (clitic_len(s, e, i))
        return i;
      /* O'Brien, o'clock: letters on both sides */
      if (i > seg && cp_class(s, e, i + len, &l2) == CL_WORD &&
          !dy_isdigit(s[i - 1])) {
        i += len;
        continue;
      }
      return i;
    }
    if (i + 1 >= e || cl != CL_PUNCT)
      break;
    {
      char c = s[i], nx = s[i + 1];
      if (c == '.' && dy_isalpha(nx) && i - seg <= 2 && letters &&
          (i + 2 >= e || s[i + 2] == '.' || !is_word_at(s, e, i + 2))) {
        /* U.S., e.g., a.m.: short segments joined by dots */
        *dots = 1;
        i++;
        seg = i;
        continue;
      }
      if ((c == '.' || c == ',' || c == ':' || c == '/') && digits &&
          dy_isdigit(nx) && i > start && dy_isdigit(s[i - 1])) {
        /* 3.5, 1,117, 1:30, 02/13/2001, 713.837.1638 */
        i++;
        seg = i;
        continue;
      }
      if (c == '-' && dy_isdigit(nx) && digits && i > start) {
        i++; /* 713-853-3989, 3-5213 */
        seg = i;
        continue;
      }
      if (c == '-' && is_word_at(s, e, i + 1) && !digits &&
          in_list_ci(s + seg, i - seg, prefixes) && seg == start) {
        i++; /* e-mail, non-Arab */
        seg = i;
        digits = 0;
        continue;
      }
      if (c == '/' && i - seg == 1 && dy_isalpha(s[i - 1]) && dy_isalpha(nx) &&
          (i + 2 >= e || !is_word_at(s, e, i + 2))) {
        i++; /* b/c, w/o, l/c */
        seg = i;
        continue;
      }
      if (c == '&' && dy_isupper(nx) && i > start && dy_isupper(s[i - 1]) &&
          i - start <= 3) {
        i++; /* AT&T */
        continue;
      }
    }
    break;
  }
  return i;
}

static size_t emoticon(const char *s, size_t e, size_t i)
{
  static const char *const faces[] = {
      ":-)", ":-(", ";-)", ":-D", ":-P", ":-p", ":-/", ":-|", ":'(", "^_^",
      ":)",  ":(",  ";)",  ":D",  ":P",  ":p",  ":/",  ":|",  "=)",  "=(",
      "<3",  ":o",  ":O",  "XD",  "xD",  NULL};
  int k;
  for (k = 0; faces[k]; k++) {
    size_t l = strlen(faces[k]);
    if (i + l <= e && memcmp(s + i, faces[k], l) == 0 &&
        (i + l == e || !is_word_at(s, e, i + l)) &&
        (i == 0 || !is_word_at(s, e, i - 1) || faces[k][0] == ':'))
      return l;
  }
  return 0;
}

/* Does the period at s[i] after an abbreviation of the given kind (1 list
 * word, 2 title/initial, 3 dotted word) end a sentence? EWT then writes it
 * as its own token: "etc" ".". At the end of the text or a line, yes; before
 * a capitalised word, for list words (Inc. The). */
static int period_ends(const char *s, size_t n, size_t i, int kind)
{
  size_t j = i + 1;
  int nl = 0;
  if (j < n && !dy_isspace(s[j]))
    return 0;
  while (j < n && dy_isspace(s[j]))
    if (s[j++] == '\n')
      nl = 1;
  if (j >= n)
    return 0; /* the end of a name ("U.S." in a dictionary) */
  if (nl)
    return kind != 2;
  return kind == 1 && dy_isupper(s[j]) &&
         !(j + 1 < n && (s[j + 1] == '.' || dy_isspace(s[j + 1])));
}

/* Tokens of one chunk s[b..e) (no whitespace inside). */
static int chunk(tk *k, size_t b, size_t e)
{
  const char *s = k->s;
  size_t i = b, len;
  int rc;
  /* the whole chunk (less opening and closing punctuation) as one token */
  {
    size_t cb = b, ce = e;
    while (cb < ce && strchr("<([{\"'*", s[cb]) && s[cb])
      cb++;
    while (ce > cb && strchr(">)]}\"'.,;:!?*", s[ce - 1]) && s[ce - 1])
      ce--;
    if (ce - cb >= 3 && ce - cb <= 4096 && whole_shape(s + cb, ce - cb)) {
      for (i = b; i < cb; i++)
        if ((rc = emit(k, i, 1, DY_TOK_PUNCT)) < 0)
          return rc;
      if ((rc = emit(k, cb, ce - cb, DY_TOK_WORD)) < 0)
        return rc;
      b = ce;
    }
  }
  i = b;
  while (i < e) {
    int cl = cp_class(s, e, i, &len);
    size_t start = i, l;
    if (cl == CL_WORD) {
      int dots;
      size_t cut;
      if ((l = nt_len(s, e, i)) != 0 && k->nt > 0 &&
          k->t[k->nt - 1].off + k->t[k->nt - 1].len == i) {
        rc = emit(k, i, l, DY_TOK_WORD); /* n't after do */
        i += l;
        if (rc < 0)
          return rc;
        continue;
      }
      i = read_word(s, e, i, &dots);
      cut = (size_t)fused_cut(s + start, i - start);
      if (cut && !dots) {
        if ((rc = emit(k, start, cut, DY_TOK_WORD)) < 0)
          return rc;
        start += cut;
      } else if (i < e && s[i] == '.' &&
                 (dots || abbrev_kind(s + start, i - start)) &&
                 !period_ends(s, k->n, i, dots ? 3 : abbrev_kind(s + start,
                                                                i - start)))
        i++; /* Mr., U.S., M.; but "etc" "." at the end of a sentence */
      if ((rc = emit(k, start, i - start, DY_TOK_WORD)) < 0)
        return rc;
      continue;
    }
    if (cl == CL_APOS) {
      l = clitic_len(s, e, i);
      if (l && i > b && k->nt > 0 &&
          k->t[k->nt - 1].off + k->t[k->nt - 1].len == i &&
          (k->t[k->nt - 1].flags & DY_TOK_WORD)) {
        rc = emit(k, i, l, DY_TOK_WORD); /* 's 're 'll */
        i += l;
      } else if (s[i] == '\'' && i + 1 < e && s[i + 1] == '\'') {
        rc = emit(k, i, 2, DY_TOK_PUNCT); /* '' */
        i += 2;
      } else {
        rc = emit(k, i, len, DY_TOK_PUNCT);
        i += len;
      }
      if (rc < 0)
        return rc;
      continue;
    }
    /* punctuation */
    if ((l = emoticon(s, e, i)) != 0) {
      i += l;
    } else if (s[i] == '.' || s[i] == '!' || s[i] == '?') {
      while (i < e && (s[i] == '.' || s[i] == '!' || s[i] == '?') &&
             i - start < DY_MAX_TOKEN_BYTES)
        i++; /* ... ?! !!! */
    } else if (len == 1 && strchr("-*=_+~#<>$`|^", s[i]) && s[i]) {
      char c = s[i];
      while (i < e && s[i] == c && i - start < DY_MAX_TOKEN_BYTES)
        i++; /* -- *** ===== $$$ */
    } else {
      i += len;
    }
    if ((rc = emit(k, start, i - start, DY_TOK_PUNCT)) < 0)
      return rc;
  }
  return DY_OK;
}

int dy__tokenize(dy_arena *a, const char *s, size_t n, dy__tok **out,
                 size_t *nout)
{
  tk k;
  size_t i = 0, len;
  int rc;
  k.a = a;
  k.s = s;
  k.n = n;
  k.nt = 0;
  k.cap = 64;
  k.t = dy_arena_alloc(a, k.cap * sizeof *k.t);
  *out = NULL;
  *nout = 0;
  if (k.t == NULL)
    return DY_ENOMEM;
  while (i < n) {
    size_t b;
    if (cp_class(s, n, i, &len) == CL_SPACE) {
      i += len;
      continue;
    }
    b = i;
    while (i < n && cp_class(s, n, i, &len) != CL_SPACE)
      i += len;
    if ((rc = chunk(&k, b, i)) < 0)
      return rc;
  }
  *out = k.t;
  *nout = k.nt;
  return DY_OK;
}

/* ---- the sentence splitter --------------------------------------------- */

static int tok_is(const char *s, const dy_token *t, const char *w)
{
  return strlen(w) == t->len && memcmp(s + t->off, w, t->len) == 0;
}

static int is_closer(const char *s, const dy_token *t, int quotes_open)
{
  const unsigned char *p = (const unsigned char *)s + t->off;
  if (t->len == 1)
    return p[0] == ')' || p[0] == ']' || p[0] == '}' ||
           ((p[0] == '"' || p[0] == '\'') && quotes_open);
  if (t->len == 2 && p[0] == '\'' && p[1] == '\'')
    return 1;
  return t->len == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
         (p[2] == 0x9D || p[2] == 0x99);
}

/* 1 for . ! ? runs and the ellipsis; 2 for an ellipsis (weaker). */
static int terminal(const char *s, const dy_token *t)
{
  const unsigned char *p = (const unsigned char *)s + t->off;
  size_t i;
  if (!(t->flags & DY_TOK_PUNCT))
    return 0;
  if (t->len == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6)
    return 2;
  for (i = 0; i < t->len; i++)
    if (p[i] != '.' && p[i] != '!' && p[i] != '?')
      return 0;
  if (t->len >= 2 && p[0] == '.' && p[1] == '.')
    return 2;
  return 1;
}

/* Upper-case start or an opener: a likely first token. */
static int starts_upper(const char *s, const dy_token *t)
{
  unsigned char c = (unsigned char)s[t->off];
  return dy_isupper(c) || dy_isdigit(c) || c == '"' || c == '(' ||
         c == '[' || c == '*' || c == '-' || (c >= 0x80 && !(t->flags & DY_TOK_WORD)) ||
         (c >= 0xC3 && c <= 0xDF); /* Latin capitals and other scripts */
}

/* Kind of abbreviation token ending with '.' (Mr. → 2, Inc. → 1). */
static int abbrev_tok(const char *s, const dy_token *t)
{
  const char *p = s + t->off;
  size_t i;
  if (t->len < 2 || p[t->len - 1] != '.' || !(t->flags & DY_TOK_WORD))
    return 0;
  for (i = 0; i + 1 < t->len; i++)
    if (p[i] == '.')
      return 1; /* U.S. */
  return abbrev_kind(p, t->len - 1);
}

static int dotted(const char *s, const dy_token *t)
{
  return t->len > 2 && memchr(s + t->off, '.', t->len - 1) != NULL;
}

/* Words that often start a sentence after "U.S." and the like. */
static int starter(const char *s, const dy_token *t)
{
  static const char *const w[] = {
      "The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That",
      "These", "Those", "But", "And", "In", "On", "At", "If", "When", "There",
      "His", "Her", "Its", "Their", "Our", "My", "You", "Your", "What", "So",
      "As", "For", "After", "Some", "Many", "Most", "No", "Yes", NULL};
  int k;
  for (k = 0; w[k]; k++)
    if (tok_is(s, t, w[k]))
      return 1;
  return 0;
}

static int line_break(const char *s, const dy_token *a, const dy_token *b)
{
  return memchr(s + a->off + a->len, '\n', b->off - a->off - a->len) != NULL;
}

size_t dy__split_sentences(const char *s, const dy_token *toks, size_t ntok,
                           dy_sentence *out)
{
  size_t k = 0, ns = 0;
  int para = -1;
  while (k < ntok) {
    size_t start = k, end;
    int quotes = 0;
    if (toks[k].flags & DY_TOK_PARA || para < 0)
      para++;
    end = k + 1;
    while (end < ntok) {
      const dy_token *prev = &toks[end - 1], *cur = &toks[end];
      int term, ab;
      size_t e2;
      if ((cur->flags & DY_TOK_PARA) || end - start >= DY_MAX_SENTENCE_TOKENS)
        break;
      if (tok_is(s, prev, "\"") || tok_is(s, prev, "\xE2\x80\x9C") ||
          tok_is(s, prev, "\xE2\x80\x9D"))
        quotes = !quotes;
      if (line_break(s, prev, cur) && starts_upper(s, cur) &&
          !tok_is(s, prev, ",") && !tok_is(s, prev, "and"))
        break;
      term = terminal(s, prev);
      ab = term ? 0 : abbrev_tok(s, prev);
      if (!term && ab != 1) {
        end++;
        continue;
      }
      /* closing quotes and brackets stay with the sentence */
      e2 = end;
      while (e2 < ntok && !(toks[e2].flags & DY_TOK_PARA) &&
             e2 - start < DY_MAX_SENTENCE_TOKENS &&
             (is_closer(s, &toks[e2], quotes) || terminal(s, &toks[e2])))
        e2++;
      if (e2 >= ntok || (toks[e2].flags & DY_TOK_PARA) ||
          e2 - start >= DY_MAX_SENTENCE_TOKENS) {
        end = e2;
        break;
      }
      if (ab != 1 && term != 2) {
        const char *q = s + toks[e2].off;
        /* "(really!) well", "Yahoo! and": no stop before lower case */
        if ((toks[e2].flags & DY_TOK_WORD) && dy_islower(q[0]) &&
            (tok_is(s, prev, "!") || tok_is(s, &toks[e2 - 1], ")"))) {
          end = e2 > end ? e2 : end + 1;
          continue;
        }
        end = e2;
        break;
      }
      if (ab == 1 && dotted(s, prev) && !starter(s, &toks[e2])) {
        end = e2 > end ? e2 : end + 1; /* the U.S. Army */
        continue;
      }
      /* U.S. / Inc. / ... end a sentence only before a capital */
      if ((toks[e2].flags & DY_TOK_CAP) &&
          !((toks[e2].flags & DY_TOK_UPPER) && toks[e2].len == 1)) {
        end = e2;
        break;
      }
      end = e2 > end ? e2 : end + 1;
    }
    if (end > ntok)
      end = ntok;
    out[ns].tok = (uint32_t)start;
    out[ns].ntok = (uint32_t)(end - start);
    out[ns].off = toks[start].off;
    out[ns].len = toks[end - 1].off + toks[end - 1].len - toks[start].off;
    out[ns].para = para < 0 ? 0 : para;
    ns++;
    k = end;
  }
  return ns;
}
