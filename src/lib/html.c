/* SPDX-License-Identifier: MIT */
/* HTML pages to articles: charset detection and conversion, a nesting cap,
 * HTML5 parsing with myhtml (Debian's libmodest), main-content detection
 * (paragraph scoring with text and link density, boilerplate tags, classes
 * and ids, sibling merging) and metadata (headline, date, byline, language)
 * from meta tags, JSON-LD, <time>, the URL and the page. The result is the
 * same article record as plain text gives (see dy__article_build). */
#include "html.h"

#include "input_int.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <myhtml/api.h>

struct dy__html {
  myhtml_t *mh;        /* parser (single-threaded mode) */
  myhtml_tree_t *tree; /* reused tree */
  dy_buf conv;         /* input converted to UTF-8 */
  dy_buf work;         /* depth-capped copy */
  dy_buf para;         /* paragraph being built */
  dy_buf tmp;          /* scratch */
};

void dy__html_free(struct dy__html *h)
{
  if (h == NULL)
    return;
  if (h->tree)
    myhtml_tree_destroy(h->tree);
  if (h->mh)
    myhtml_destroy(h->mh);
  dy_buf_fini(&h->conv);
  dy_buf_fini(&h->work);
  dy_buf_fini(&h->para);
  dy_buf_fini(&h->tmp);
  dy_free(h);
}

/* ---- small string helpers ---------------------------------------------- */

static int ci_eq(const char *a, size_t n, const char *b)
{
  size_t i;
  for (i = 0; i < n && b[i]; i++)
    if (dy_tolower(a[i]) != b[i])
      return 0;
  return i == n && b[i] == '\0';
}

/* Case-insensitive search of a lower-case needle in p[0..n). */
static const char *ci_find(const char *p, size_t n, const char *needle)
{
  size_t k = strlen(needle), i, j;
  char c0 = needle[0];
  if (k == 0 || n < k)
    return NULL;
  if (!dy_isalpha(c0)) {
    /* memchr finds the first byte fast */
    const char *q = p, *end = p + n - k + 1;
    while (q < end && (q = memchr(q, c0, (size_t)(end - q))) != NULL) {
      for (j = 1; j < k && dy_tolower(q[j]) == needle[j]; j++)
        ;
      if (j == k)
        return q;
      q++;
    }
    return NULL;
  }
  for (i = 0; i + k <= n; i++) {
    if (dy_tolower(p[i]) != c0)
      continue;
    for (j = 1; j < k && dy_tolower(p[i + j]) == needle[j]; j++)
      ;
    if (j == k)
      return p + i;
  }
  return NULL;
}

/* ---- sniffing ---------------------------------------------------------- */

int dy__html_sniff(const char *p, size_t n, const char *ctype)
{
  size_t i = 0, lim;
  if (ctype && *ctype) {
    size_t cn = strlen(ctype);
    if (ci_find(ctype, cn, "html") || ci_find(ctype, cn, "xml"))
      return 1;
    if (ci_find(ctype, cn, "text/plain"))
      return 0;
  }
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  else if (n >= 2 &&
           (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
            ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF)))
    return ci_find(p, n < 4096 ? n : 4096, "h\0t\0m\0l") != NULL ||
           ci_find(p, n < 4096 ? n : 4096, "\0h\0t\0m\0l") != NULL;
  while (i < n && dy_isspace(p[i]))
    i++;
  if (i >= n || p[i] != '<')
    return 0;
  lim = n - i < 4096 ? n - i : 4096;
  if (ci_find(p + i, lim, "<!doctype html") || ci_find(p + i, lim, "<html") ||
      ci_find(p + i, lim, "<head") || ci_find(p + i, lim, "<body") ||
      ci_find(p + i, lim, "<meta ") || ci_find(p + i, lim, "<title>"))
    return 1;
  /* a fragment: a known block tag first */
  lim = lim < 8 ? lim : 8;
  return ci_find(p + i, lim, "<p>") || ci_find(p + i, lim, "<div") ||
         ci_find(p + i, lim, "<article") || ci_find(p + i, lim, "<!--") ||
         ci_find(p + i, lim, "<h1") || ci_find(p + i, lim, "<section");
}

/* ---- charsets ---------------------------------------------------------- */

enum { CS_UTF8, CS_1252, CS_ICONV };

/* windows-1252 0x80..0x9F (WHATWG: undefined bytes map to C1 controls). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static int from_1252(const char *p, size_t n, dy_buf *out)
{
  size_t i, run = 0;
  dy_buf_reset(out);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    char enc[4];
    uint32_t cp;
    if (c < 0x80)
      continue;
    dy_buf_append(out, p + run, i - run);
    cp = c < 0xA0 ? cp1252_hi[c - 0x80] : c;
    dy_buf_append(out, enc, (size_t)dy_utf8_encode(cp, enc));
    run = i + 1;
  }
  dy_buf_append(out, p + run, n - run);
  return out->failed ? DY_ENOMEM : DY_OK;
}

/* Converts with iconv; undecodable bytes become U+FFFD. DY_EINVAL when the
 * charset is unknown to iconv. */
static int from_iconv(const char *label, const char *p, size_t n, dy_buf *out)
{
  iconv_t cd = iconv_open("UTF-8", label);
  char chunk[16384];
  char *in = (char *)(uintptr_t)p;
  size_t left = n;
  if (cd == (iconv_t)-1)
    return DY_EINVAL;
  dy_buf_reset(out);
  while (left > 0 && !out->failed) {
    char *o = chunk;
    size_t ol = sizeof chunk;
    size_t r = iconv(cd, &in, &left, &o, &ol);
    int e = r == (size_t)-1 ? errno : 0;
    dy_buf_append(out, chunk, sizeof chunk - ol);
    if (r != (size_t)-1)
      continue;
    if (e == E2BIG)
      continue;
    dy_buf_append(out, "\xEF\xBF\xBD", 3); /* EILSEQ or EINVAL */
    in++;
    left--;
    if (e == EINVAL)
      break;
  }
  iconv_close(cd);
  return out->failed ? DY_ENOMEM : DY_OK;
}

/* Copies the charset name after "charset" in p[0..n) into out[cap]. */
static int charset_param(const char *p, size_t n, char *out, size_t cap)
{
  const char *c = ci_find(p, n, "charset");
  size_t i, k = 0;
  if (c == NULL)
    return 0;
  i = (size_t)(c - p) + 7;
  while (i < n && (p[i] == ' ' || p[i] == '='))
    i++;
  while (i < n && (p[i] == '"' || p[i] == '\''))
    i++;
  while (i < n && k + 1 < cap &&
         (dy_isalnum(p[i]) || p[i] == '-' || p[i] == '_' || p[i] == ':' ||
          p[i] == '.')) {
    out[k++] = dy_tolower(p[i]);
    i++;
  }
  out[k] = '\0';
  return k > 0;
}

/* The charset declared in the first bytes: <meta charset>, <meta
 * http-equiv content="...; charset=">, <?xml encoding=...?>. */
static int declared_charset(const char *p, size_t n, char *out, size_t cap)
{
  size_t lim = n < 8192 ? n : 8192, i = 0;
  if (lim > 5 && memcmp(p, "<?xml", 5) == 0) {
    const char *e = memchr(p, '>', lim), *enc;
    if (e && (enc = ci_find(p, (size_t)(e - p), "encoding=")) != NULL) {
      size_t k = 0, j = (size_t)(enc - p) + 9;
      while (j < (size_t)(e - p) && (p[j] == '"' || p[j] == '\''))
        j++;
      while (j < (size_t)(e - p) && k + 1 < cap &&
             (dy_isalnum(p[j]) || p[j] == '-' || p[j] == '_')) {
        out[k++] = dy_tolower(p[j]);
        j++;
      }
      out[k] = '\0';
      if (k)
        return 1;
    }
  }
  while (i < lim) {
    const char *m = ci_find(p + i, lim - i, "<meta"), *e;
    if (m == NULL)
      return 0;
    i = (size_t)(m - p) + 5;
    e = memchr(p + i, '>', lim - i);
    if (e == NULL)
      return 0;
    if (charset_param(p + i, (size_t)(e - p) - i, out, cap))
      return 1;
    i = (size_t)(e - p);
  }
  return 0;
}

static int charset_kind(const char *cs)
{
  static const char *const utf8[] = {"utf-8",   "utf8",     "unicode-1-1-utf-8",
                                     "utf-16",  "utf-16le", "utf-16be",
                                     "unicode", NULL};
  static const char *const w1252[] = {
      "iso-8859-1", "iso8859-1",  "latin1",      "latin-1",
      "l1",         "us-ascii",   "ascii",       "windows-1252",
      "cp1252",     "x-cp1252",   "iso_8859-1",  "cp819",
      "ibm819",     "iso-ir-100", "csisolatin1", "ansi_x3.4-1968",
      NULL};
  int i;
  for (i = 0; utf8[i]; i++)
    if (strcmp(cs, utf8[i]) == 0)
      return CS_UTF8; /* a page cannot declare UTF-16 from inside */
  for (i = 0; w1252[i]; i++)
    if (strcmp(cs, w1252[i]) == 0)
      return CS_1252;
  return CS_ICONV;
}

static int has_multibyte(const char *p, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    if ((unsigned char)p[i] >= 0x80)
      return 1;
  return 0;
}

/* Decodes the page into UTF-8: *out points either at p itself or into
 * h->conv. Sets art->charset and art->charset_guessed. */
static int decode_page(dy_doc *d, struct dy__html *h, const char *p, size_t n,
                       const char **out, size_t *outn)
{
  dy_article *art = &d->art;
  char cs[48];
  int kind = -1, rc = DY_OK, valid = -1;
  const char *ctype = d->hint ? d->hint->ctype : NULL;
  cs[0] = '\0';
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
    p += 3;
    n -= 3;
    kind = CS_UTF8;
    memcpy(cs, "utf-8", 6);
  } else if (n >= 2 && (unsigned char)p[0] == 0xFF &&
             (unsigned char)p[1] == 0xFE) {
    kind = CS_ICONV;
    memcpy(cs, "utf-16le", 9);
    p += 2;
    n -= 2;
  } else if (n >= 2 && (unsigned char)p[0] == 0xFE &&
             (unsigned char)p[1] == 0xFF) {
    kind = CS_ICONV;
    memcpy(cs, "utf-16be", 9);
    p += 2;
    n -= 2;
  } else if ((ctype && charset_param(ctype, strlen(ctype), cs, sizeof cs)) ||
             declared_charset(p, n, cs, sizeof cs)) {
    kind = charset_kind(cs);
    if (kind == CS_UTF8)
      memcpy(cs, "utf-8", 6);
    /* a page labelled with a legacy charset whose bytes are valid UTF-8
     * with multi-byte sequences was re-saved as UTF-8: no legacy text of
     * any length passes that test by chance */
    if (kind != CS_UTF8 && has_multibyte(p, n) &&
        (valid = dy_utf8_valid(p, n)) != 0) {
      kind = CS_UTF8;
      memcpy(cs, "utf-8", 6);
    }
  }
  if (kind < 0) {
    if (valid < 0)
      valid = dy_utf8_valid(p, n);
    if (valid) {
      kind = CS_UTF8;
      memcpy(cs, "utf-8", 6);
    } else {
      kind = CS_1252;
      art->charset_guessed = 1;
    }
  }
  if (kind == CS_ICONV) {
    rc = from_iconv(cs, p, n, &h->conv);
    if (rc == DY_EINVAL) {
      /* unknown label: as if undeclared */
      art->charset_guessed = 1;
      if (dy_utf8_valid(p, n)) {
        kind = CS_UTF8;
        memcpy(cs, "utf-8", 6);
      } else {
        kind = CS_1252;
      }
      rc = DY_OK;
    } else if (rc == DY_OK) {
      size_t nb = 0;
      /* iconv's output is UTF-8, but may carry encoded surrogates etc. */
      if (!dy_utf8_valid(h->conv.p ? h->conv.p : "", h->conv.n)) {
        rc = dy_utf8_repair(h->conv.p, h->conv.n, &h->tmp, &nb);
        if (rc == DY_OK) {
          dy_buf t = h->conv;
          h->conv = h->tmp;
          h->tmp = t;
        }
      }
      art->nbad_utf8 += nb;
    }
  }
  if (kind == CS_1252) {
    memcpy(cs, "windows-1252", 13);
    rc = from_1252(p, n, &h->conv);
  } else if (kind == CS_UTF8) {
    if (valid < 0)
      valid = dy_utf8_valid(p, n);
    if (valid) {
      *out = p;
      *outn = n;
    } else {
      rc = dy_utf8_repair(p, n, &h->conv, &art->nbad_utf8);
      kind = CS_ICONV; /* take the converted copy */
    }
  }
  if (rc < 0)
    return dy_err_set(&d->err, rc, "cannot convert the page from %s",
                      cs[0] ? cs : "its charset");
  if (kind != CS_UTF8) {
    *out = h->conv.p ? h->conv.p : "";
    *outn = h->conv.n;
  }
  art->charset = dy_arena_strndup(&d->mem, cs, strlen(cs));
  if (art->charset == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  return DY_OK;
}

/* ---- nesting cap ------------------------------------------------------- */

/* Tags that open nothing (void) or close themselves often enough that they
 * do not count towards the nesting estimate. */
static int nest_neutral(const char *t, size_t n)
{
  static const char *const tags[] = {
      "area",   "base",     "br",       "col",   "embed", "hr",
      "img",    "input",    "link",     "meta",  "param", "source",
      "track",  "wbr",      "p",        "li",    "dt",    "dd",
      "option", "tr",       "td",       "th",    "tbody", "thead",
      "tfoot",  "optgroup", "colgroup", "rt",    "rp",    "rb",
      "keygen", "basefont", "bgsound",  "frame", "image", NULL};
  int i;
  char c0;
  if (n == 0 || n > 8)
    return 0;
  c0 = dy_tolower(t[0]);
  for (i = 0; tags[i]; i++)
    if (tags[i][0] == c0 && ci_eq(t, n, tags[i]))
      return 1;
  return 0;
}

static int raw_text_tag(const char *t, size_t n)
{
  if (n < 3 || n > 8)
    return 0;
  return ci_eq(t, n, "script") || ci_eq(t, n, "style") ||
         ci_eq(t, n, "textarea") || ci_eq(t, n, "title") ||
         ci_eq(t, n, "xmp") || ci_eq(t, n, "noembed") ||
         ci_eq(t, n, "noframes");
}

/* Scans tags and, when out is not NULL, copies p to out without the start
 * and end tags deeper than cap. Returns the deepest estimated nesting. */
static size_t nest_scan(const char *p, size_t n, size_t cap, dy_buf *out)
{
  size_t i = 0, depth = 0, maxd = 0, run = 0;
  while (i < n) {
    const char *lt = memchr(p + i, '<', n - i);
    size_t s, ns, ne, gt;
    int end = 0;
    if (lt == NULL)
      break;
    s = (size_t)(lt - p);
    i = s + 1;
    if (i + 3 <= n && memcmp(p + i, "!--", 3) == 0) {
      const char *c = ci_find(p + i + 3, n - i - 3, "-->");
      i = c ? (size_t)(c - p) + 3 : n;
      continue;
    }
    if (i < n && p[i] == '/') {
      end = 1;
      i++;
    }
    if (i >= n || !dy_isalpha(p[i]))
      continue;
    ns = i;
    while (i < n && !dy_isspace(p[i]) && p[i] != '>' && p[i] != '/')
      i++;
    ne = i;
    {
      const char *g = memchr(p + i, '>', n - i);
      gt = g ? (size_t)(g - p) + 1 : n;
    }
    i = gt;
    if (!end && raw_text_tag(p + ns, ne - ns)) {
      /* skip to the matching end tag */
      char close[16];
      size_t k = ne - ns;
      const char *c;
      close[0] = '<';
      close[1] = '/';
      memcpy(close + 2, p + ns, k);
      close[2 + k] = '\0';
      for (k = 2; close[k]; k++)
        close[k] = dy_tolower(close[k]);
      c = ci_find(p + i, n - i, close);
      i = c ? (size_t)(c - p) : n;
      continue;
    }
    if (nest_neutral(p + ns, ne - ns) || (gt >= 2 && p[gt - 2] == '/'))
      continue;
    if (end) {
      if (depth > cap && out) {
        dy_buf_append(out, p + run, s - run);
        run = gt;
      }
      if (depth)
        depth--;
    } else {
      depth++;
      if (depth > maxd)
        maxd = depth;
      if (depth > cap && out) {
        dy_buf_append(out, p + run, s - run);
        run = gt;
      }
    }
  }
  if (out)
    dy_buf_append(out, p + run, n - run);
  return maxd;
}

/* ---- the tree ---------------------------------------------------------- */

typedef myhtml_tree_node_t mnode;

/* Per-element facts gathered in document order. */
typedef struct hn {
  mnode *node;     /* the element */
  int parent;      /* index of the parent element, -1 at the root */
  int tag;         /* myhtml tag id */
  unsigned flags;  /* F_* */
  int weight;      /* class/id weight (+25 / -25 / 0) */
  uint32_t own;    /* text chars directly inside (text node children) */
  uint32_t ownl;   /* of which inside a link */
  uint32_t inl;    /* inline text attributed to this block (paragraph) */
  uint32_t commas; /* commas in that inline text */
  uint32_t text;   /* text chars in the subtree (not dropped) */
  uint32_t link;   /* of which inside links */
  uint32_t nparas; /* paragraph-like blocks in the subtree */
  float score;     /* content score (candidates) */
} hn;

#define F_DROP     0x01  /* never content: script, nav, hidden... */
#define F_INLINE   0x02  /* inline element */
#define F_LINK     0x04  /* inside an <a> */
#define F_UNLIKELY 0x08  /* class/id says boilerplate, unless maybe */
#define F_MAYBE    0x10  /* class/id says article/content/main */
#define F_STRONG   0x20  /* class/id says share/newsletter/... */
#define F_CAND     0x40  /* scored as a candidate */
#define F_CDROP    0x80  /* dropped by class/id */
#define F_HEAD     0x100 /* inside <head> */
#define F_PARA     0x200 /* a scored paragraph */

typedef struct meta {
  dy_str title;    /* <title> */
  dy_str og_title; /* og:title, twitter:title, dc.title... */
  dy_str ld_title; /* JSON-LD headline */
  dy_str h1;       /* first <h1> */
  char date[11];   /* best date so far */
  int date_rank;   /* its source's rank (lower is better), 99 none */
  dy_str byline;   /* author */
  int byline_rank; /* its source's rank */
  dy_str lang;     /* <html lang> */
  dy_str url;      /* og:url or canonical */
  dy_str site;     /* og:site_name */
  int nh1;         /* <h1> elements seen */
  int og_rank;     /* rank of og_title's source (lower wins), 9 none */
} meta;

typedef struct ctx {
  dy_doc *d;
  struct dy__html *h;
  hn *nodes;         /* in document order */
  size_t nn, capn;   /* used, allocated */
  int body;          /* index of <body>, -1 */
  meta m;            /* metadata found */
  dy__block *blocks; /* output blocks */
  size_t nb, capb;   /* used, allocated */
  int stop;          /* a teaser-list line ended the article */
  size_t nparas_out; /* paragraphs emitted */
  struct {
    uint64_t key;   /* hash of the lower-cased class + id, 0 = empty */
    unsigned flags; /* F_UNLIKELY | F_MAYBE | F_STRONG */
    int weight;     /* class weight */
  } cls_cache[512]; /* pages repeat the same class names */
} ctx;

static int is_inline_tag(int tag)
{
  switch (tag) {
  case MyHTML_TAG_A:
  case MyHTML_TAG_ABBR:
  case MyHTML_TAG_B:
  case MyHTML_TAG_BDI:
  case MyHTML_TAG_BDO:
  case MyHTML_TAG_CITE:
  case MyHTML_TAG_CODE:
  case MyHTML_TAG_DFN:
  case MyHTML_TAG_EM:
  case MyHTML_TAG_FONT:
  case MyHTML_TAG_I:
  case MyHTML_TAG_KBD:
  case MyHTML_TAG_MARK:
  case MyHTML_TAG_Q:
  case MyHTML_TAG_RP:
  case MyHTML_TAG_RT:
  case MyHTML_TAG_RUBY:
  case MyHTML_TAG_S:
  case MyHTML_TAG_SAMP:
  case MyHTML_TAG_SMALL:
  case MyHTML_TAG_SPAN:
  case MyHTML_TAG_STRONG:
  case MyHTML_TAG_SUB:
  case MyHTML_TAG_SUP:
  case MyHTML_TAG_TIME:
  case MyHTML_TAG_U:
  case MyHTML_TAG_VAR:
  case MyHTML_TAG_WBR:
  case MyHTML_TAG_IMG:
  case MyHTML_TAG_LABEL:
  case MyHTML_TAG_TT:
  case MyHTML_TAG_STRIKE:
  case MyHTML_TAG_BIG:
  case MyHTML_TAG_NOBR:
  case MyHTML_TAG_INS:
  case MyHTML_TAG_DEL:
    return 1;
  default:
    return 0;
  }
}

/* Elements that are never article text. */
static int is_drop_tag(int tag)
{
  switch (tag) {
  case MyHTML_TAG_SCRIPT:
  case MyHTML_TAG_STYLE:
  case MyHTML_TAG_NOSCRIPT:
  case MyHTML_TAG_TEMPLATE:
  case MyHTML_TAG_SVG:
  case MyHTML_TAG_MATH:
  case MyHTML_TAG_IFRAME:
  case MyHTML_TAG_OBJECT:
  case MyHTML_TAG_EMBED:
  case MyHTML_TAG_CANVAS:
  case MyHTML_TAG_BUTTON:
  case MyHTML_TAG_SELECT:
  case MyHTML_TAG_INPUT:
  case MyHTML_TAG_TEXTAREA:
  case MyHTML_TAG_NAV:
  case MyHTML_TAG_ASIDE:
  case MyHTML_TAG_FOOTER:
  case MyHTML_TAG_HEADER:
  case MyHTML_TAG_FIGCAPTION:
  case MyHTML_TAG_DIALOG:
  case MyHTML_TAG_MENU:
  case MyHTML_TAG_HEAD:
  case MyHTML_TAG_TITLE:
  case MyHTML_TAG_AUDIO:
  case MyHTML_TAG_VIDEO:
  case MyHTML_TAG_MAP:
  case MyHTML_TAG_FRAMESET:
  case MyHTML_TAG_LINK:
  case MyHTML_TAG_META:
    return 1;
  default:
    return 0;
  }
}

static dy_str attr(mnode *n, const char *key)
{
  myhtml_tree_attr_t *a = myhtml_attribute_by_key(n, key, strlen(key));
  dy_str s = {"", 0};
  if (a) {
    size_t len = 0;
    const char *v = myhtml_attribute_value(a, &len);
    if (v) {
      s.p = v;
      s.n = len;
    }
  }
  return s;
}

/* Class/id vocabulary. */
static const char *const unlikely_words[] = {
    "-ad-",       "ai2html",    "banner",     "breadcrumb", "combx",
    "comment",    "community",  "cover-wrap", "disqus",     "extra",
    "footer",     "gdpr",       "header",     "legends",    "menu",
    "related",    "remark",     "replies",    "rss",        "shoutbox",
    "sidebar",    "skyscraper", "social",     "sponsor",    "supplemental",
    "ad-break",   "agegate",    "pagination", "pager",      "popup",
    "yom-remote", "masthead",   "toolbar",    "navbar",     "nav-",
    "-nav",       "subnav",     "byline",     "dateline",   "author",
    "caption",    "tags",       "meta",       NULL};
static const char *const maybe_words[] = {
    "and",     "article", "body",  "column", "content", "main",
    "mathjax", "shadow",  "story", "entry",  NULL};
static const char *const strong_words[] = {"share",         "sharing",
                                           "social",        "newsletter",
                                           "subscribe",     "subscription",
                                           "cookie",        "consent",
                                           "chat-",         "promo",
                                           "related",       "recommend",
                                           "outbrain",      "taboola",
                                           "comments",      "sidebar",
                                           "signup",        "sign-up",
                                           "advert",        "most-popular",
                                           "mostpopular",   "most-read",
                                           "trending",      "read-more",
                                           "readmore",      "more-stories",
                                           "newsletter",    "breadcrumb",
                                           "print-",        "skip-link",
                                           "skiplink",      "hidden",
                                           "sr-only",       "visually-hidden",
                                           "screen-reader", "modal",
                                           "overlay",       "banner",
                                           "widget",        "rating",
                                           "follow-us",     "author-bio",
                                           "bio-",          "tooltip",
                                           "dropdown",      NULL};
static const char *const positive_words[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main",
    "page",    "post", "text",    "blog",  "story",  NULL};
static const char *const negative_words[] = {
    "hidden",   "banner",   "combx",      "comment", "com-",     "contact",
    "foot",     "footer",   "footnote",   "gdpr",    "masthead", "media",
    "meta",     "outbrain", "promo",      "related", "scroll",   "share",
    "shoutbox", "sidebar",  "skyscraper", "sponsor", "shopping", "tags",
    "tool",     "widget",   "caption",    "byline",  "author",   "date",
    NULL};
static const char *const ad_tokens[] = {
    "ad",     "ads",     "adv",    "advert", "advertisement", "adsense", "dfp",
    "adslot", "ad-slot", "adunit", NULL};

/* Exact search of w[0..k) in s[0..n). */
static int mem_has(const char *s, size_t n, const char *w, size_t k)
{
  const char *q = s, *end;
  if (k == 0 || n < k)
    return 0;
  end = s + n - k + 1;
  while (q < end && (q = memchr(q, w[0], (size_t)(end - q))) != NULL) {
    if (memcmp(q, w, k) == 0)
      return 1;
    q++;
  }
  return 0;
}

/* s is lower case already. */
static int any_word(const char *s, size_t n, const char *const *w)
{
  int i;
  for (i = 0; w[i]; i++)
    if (mem_has(s, n, w[i], strlen(w[i])))
      return 1;
  return 0;
}

/* Exact whitespace/underscore-separated tokens against a list. */
static int any_token(const char *s, size_t n, const char *const *w)
{
  size_t i = 0;
  while (i < n) {
    size_t st;
    int k;
    while (i < n && (dy_isspace(s[i]) || s[i] == '_'))
      i++;
    st = i;
    while (i < n && !dy_isspace(s[i]) && s[i] != '_')
      i++;
    for (k = 0; w[k]; k++)
      if (ci_eq(s + st, i - st, w[k]))
        return 1;
  }
  return 0;
}

/* Sets class/id flags and weight of an element. */
static void classify(ctx *c, hn *e)
{
  dy_str cls = attr(e->node, "class"), id = attr(e->node, "id");
  dy_str role = attr(e->node, "role");
  dy_str st = attr(e->node, "style");
  char buf[320];
  size_t n = 0;
  if (cls.n + id.n == 0 && role.n == 0 && st.n == 0 &&
      !myhtml_attribute_by_key(e->node, "hidden", 6) &&
      !myhtml_attribute_by_key(e->node, "aria-hidden", 11))
    return;
  if (myhtml_attribute_by_key(e->node, "hidden", 6))
    e->flags |= F_DROP;
  {
    dy_str ah = attr(e->node, "aria-hidden");
    if (ah.n == 4 && ci_eq(ah.p, 4, "true"))
      e->flags |= F_DROP;
  }
  if (st.n && (ci_find(st.p, st.n, "display:none") ||
               ci_find(st.p, st.n, "display: none") ||
               ci_find(st.p, st.n, "visibility:hidden") ||
               ci_find(st.p, st.n, "visibility: hidden")))
    e->flags |= F_DROP;
  if (role.n &&
      (ci_eq(role.p, role.n, "navigation") || ci_eq(role.p, role.n, "banner") ||
       ci_eq(role.p, role.n, "contentinfo") ||
       ci_eq(role.p, role.n, "complementary") ||
       ci_eq(role.p, role.n, "menu") || ci_eq(role.p, role.n, "menubar") ||
       ci_eq(role.p, role.n, "dialog") ||
       ci_eq(role.p, role.n, "alertdialog") || ci_eq(role.p, role.n, "search")))
    e->flags |= F_UNLIKELY | F_STRONG;
  if (cls.n + id.n == 0)
    return;
  if (cls.n > 200)
    cls.n = 200;
  if (id.n > 100)
    id.n = 100;
  memcpy(buf, cls.p, cls.n);
  n = cls.n;
  buf[n++] = ' ';
  memcpy(buf + n, id.p, id.n);
  n += id.n;
  {
    size_t i;
    for (i = 0; i < n; i++)
      buf[i] = dy_tolower(buf[i]);
  }
  {
    uint64_t key = dy_hash64(buf, n) | 1;
    size_t slot = (size_t)(key >> 7) % 512;
    unsigned fl = 0;
    int w = 0;
    if (c->cls_cache[slot].key == key) {
      e->flags |= c->cls_cache[slot].flags;
      e->weight += c->cls_cache[slot].weight;
      return;
    }
    if (any_word(buf, n, unlikely_words))
      fl |= F_UNLIKELY;
    if (any_word(buf, n, maybe_words))
      fl |= F_MAYBE;
    if (any_word(buf, n, strong_words) || any_token(buf, n, ad_tokens))
      fl |= F_STRONG;
    if (any_word(buf, n, negative_words))
      w -= 25;
    if (any_word(buf, n, positive_words))
      w += 25;
    c->cls_cache[slot].key = key;
    c->cls_cache[slot].flags = fl;
    c->cls_cache[slot].weight = w;
    e->flags |= fl;
    e->weight += w;
  }
}

/* Counts text characters (not spaces) and commas in t[0..n). */
static uint32_t text_chars(const char *t, size_t n, uint32_t *commas)
{
  size_t i;
  uint32_t k = 0, cm = 0;
  for (i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)t[i];
    if (ch == ',')
      cm++;
    if (ch <= ' ' || (ch & 0xC0) == 0x80)
      continue;
    if (ch == 0xC2 && i + 1 < n && (unsigned char)t[i + 1] == 0xA0) {
      i++; /* no-break space */
      continue;
    }
    k++;
  }
  *commas += cm;
  return k;
}

/* Appends the text of the subtree at n (whitespace collapsed) to b, at most
 * max bytes. */
static void subtree_text(mnode *top, dy_buf *b, size_t max)
{
  mnode *n = myhtml_node_child(top);
  while (n && b->n < max) {
    int tag = (int)myhtml_node_tag_id(n);
    if (tag == MyHTML_TAG__TEXT) {
      size_t len = 0, i;
      const char *t = myhtml_node_text(n, &len);
      for (i = 0; t && i < len && b->n < max; i++) {
        char ch = t[i];
        if (dy_isspace(ch)) {
          if (b->n && b->p[b->n - 1] != ' ')
            dy_buf_putc(b, ' ');
        } else {
          dy_buf_putc(b, ch);
        }
      }
    } else if (tag != MyHTML_TAG_SCRIPT && tag != MyHTML_TAG_STYLE &&
               tag != MyHTML_TAG__COMMENT && myhtml_node_child(n)) {
      if (tag == MyHTML_TAG_BR && b->n && b->p[b->n - 1] != ' ')
        dy_buf_putc(b, ' ');
      n = myhtml_node_child(n);
      continue;
    }
    while (n && n != top && myhtml_node_next(n) == NULL)
      n = myhtml_node_parent(n);
    if (n == NULL || n == top)
      break;
    n = myhtml_node_next(n);
  }
}

/* Copies s (trimmed, whitespace collapsed) into the arena. */
static const char *arena_clean(dy_doc *d, dy_str s, size_t max)
{
  char *o;
  size_t i, k = 0;
  s = dy_str_trim(s);
  if (s.n > max)
    s.n = max;
  o = dy_arena_alloc(&d->mem, s.n + 1);
  if (o == NULL)
    return NULL;
  for (i = 0; i < s.n; i++) {
    char ch = s.p[i];
    if (dy_isspace(ch)) {
      if (k && o[k - 1] != ' ')
        o[k++] = ' ';
    } else {
      o[k++] = ch;
    }
  }
  while (k && o[k - 1] == ' ')
    k--;
  /* do not cut a UTF-8 sequence */
  while (k && ((unsigned char)o[k - 1] & 0xC0) == 0x80 && !dy_utf8_valid(o, k))
    k--;
  if (k && (unsigned char)o[k - 1] >= 0xC0)
    k--;
  o[k] = '\0';
  return o;
}

/* ---- dates ------------------------------------------------------------- */

static void put_date(char out[11], int y, int m, int dd)
{
  char buf[11];
  buf[0] = (char)('0' + y / 1000 % 10);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + dd / 10);
  buf[9] = (char)('0' + dd % 10);
  buf[10] = '\0';
  if (y >= 1900 && y <= 2100 && dy_date_parse((dy_str){buf, 10}) >= 0)
    memcpy(out, buf, 11);
}

/* Reads a date in ISO form (2024-06-19T...), 2024/06/19, or words ("June
 * 19, 2024", "19 Jun 2024", "Wed, 19 Jun 2024 10:00:00 GMT"). */
static void any_date(dy_str s, char out[11])
{
  size_t i = 0;
  int nums[3], nn = 0, month = 0, y = 0, dd = 0;
  out[0] = '\0';
  s = dy_str_trim(s);
  if (s.n >= 10 && dy_isdigit(s.p[0]) && dy_isdigit(s.p[3]) &&
      (s.p[4] == '-' || s.p[4] == '/' || s.p[4] == '.') && s.p[7] == s.p[4]) {
    int yy = 0, mm = 0, d2 = 0, k;
    for (k = 0; k < 4; k++)
      yy = yy * 10 + (dy_isdigit(s.p[k]) ? s.p[k] - '0' : 0);
    if (dy_isdigit(s.p[5]) && dy_isdigit(s.p[6]) && dy_isdigit(s.p[8]) &&
        dy_isdigit(s.p[9])) {
      mm = (s.p[5] - '0') * 10 + (s.p[6] - '0');
      d2 = (s.p[8] - '0') * 10 + (s.p[9] - '0');
      put_date(out, yy, mm, d2);
    }
    return;
  }
  if (s.n > 80)
    s.n = 80;
  while (i < s.n && nn < 3) {
    size_t st;
    while (i < s.n && !dy_isalnum(s.p[i]))
      i++;
    st = i;
    while (i < s.n && dy_isalnum(s.p[i]))
      i++;
    if (i == st)
      break;
    if (dy_isdigit(s.p[st])) {
      int v = 0;
      size_t k;
      for (k = st; k < i && v < 100000; k++)
        v = dy_isdigit(s.p[k]) ? v * 10 + (s.p[k] - '0') : v;
      if (i - st <= 2 || (i - st <= 4 && i > st && !dy_isdigit(s.p[i - 1])))
        nums[nn++] = v; /* day (19, 19th) */
      else if (i - st == 4)
        y = v;
      if (i < s.n && s.p[i] == ':')
        break; /* a time: stop */
    } else if (!month) {
      month = dy_month_from_name((dy_str){s.p + st, i - st});
    }
    if (y && month && nn)
      break;
  }
  if (nn)
    dd = nums[0];
  if (y && month && dd)
    put_date(out, y, month, dd);
}

static void offer_date(meta *m, dy_str v, int rank)
{
  char d[11];
  if (rank >= m->date_rank)
    return;
  any_date(v, d);
  if (d[0]) {
    memcpy(m->date, d, 11);
    m->date_rank = rank;
  }
}

static void offer_byline(meta *m, dy_str v, int rank)
{
  v = dy_str_trim(v);
  if (v.n == 0 || v.n > 200 || rank >= m->byline_rank)
    return;
  if (dy_str_starts_c(v, "http"))
    return;
  m->byline = v;
  m->byline_rank = rank;
}

/* Date in a URL: /2024/06/19/ or /2024-06-19. */
static void url_date(dy_str u, char out[11])
{
  size_t i;
  out[0] = '\0';
  for (i = 0; i + 11 <= u.n; i++) {
    const char *q = u.p + i;
    if (q[0] != '/' || !dy_isdigit(q[1]) || !dy_isdigit(q[4]) ||
        !(q[1] == '1' || q[1] == '2'))
      continue;
    if ((q[5] == '/' || q[5] == '-') && dy_isdigit(q[6]) && dy_isdigit(q[7]) &&
        q[8] == q[5] && dy_isdigit(q[9]) && dy_isdigit(q[10])) {
      int y = (q[1] - '0') * 1000 + (q[2] - '0') * 100 + (q[3] - '0') * 10 +
              (q[4] - '0');
      put_date(out, y, (q[6] - '0') * 10 + (q[7] - '0'),
               (q[9] - '0') * 10 + (q[10] - '0'));
      if (out[0])
        return;
    }
  }
}

/* ---- JSON-LD ----------------------------------------------------------- */

/* Finds "key" : "string" in JSON text and decodes the string into b. */
static int ld_string(const char *p, size_t n, const char *key, dy_buf *b,
                     size_t *after)
{
  size_t k = strlen(key), i;
  for (i = 0; i + k + 2 < n; i++) {
    size_t j;
    if (p[i] != '"' || memcmp(p + i + 1, key, k) != 0 || p[i + 1 + k] != '"')
      continue;
    j = i + k + 2;
    while (j < n && dy_isspace(p[j]))
      j++;
    if (j >= n || p[j] != ':')
      continue;
    j++;
    while (j < n && dy_isspace(p[j]))
      j++;
    if (after)
      *after = j;
    if (j < n && p[j] == '"') {
      dy_buf_reset(b);
      if (dy__json_string(p, n, &j, b) == DY_OK)
        return 1;
    }
    return 0;
  }
  return 0;
}

static void jsonld(ctx *c, const char *p, size_t n)
{
  dy_buf *b = &c->h->tmp;
  meta *m = &c->m;
  size_t after = 0;
  if (ld_string(p, n, "datePublished", b, NULL))
    offer_date(m, (dy_str){b->p, b->n}, 1);
  else if (ld_string(p, n, "dateCreated", b, NULL))
    offer_date(m, (dy_str){b->p, b->n}, 6);
  if (m->ld_title.n == 0 && ld_string(p, n, "headline", b, NULL)) {
    const char *t = arena_clean(c->d, (dy_str){b->p, b->n}, 500);
    if (t)
      m->ld_title = dy_str_c(t);
  }
  if (m->byline_rank > 2) {
    if (ld_string(p, n, "author", b, &after)) {
      const char *t = arena_clean(c->d, (dy_str){b->p, b->n}, 200);
      if (t)
        offer_byline(m, dy_str_c(t), 2);
    } else if (after && after < n &&
               ld_string(p + after, n - after < 600 ? n - after : 600, "name",
                         b, NULL)) {
      const char *t = arena_clean(c->d, (dy_str){b->p, b->n}, 200);
      if (t)
        offer_byline(m, dy_str_c(t), 2);
    }
  }
  if (c->m.lang.n == 0 && ld_string(p, n, "inLanguage", b, NULL)) {
    const char *t = arena_clean(c->d, (dy_str){b->p, b->n}, 32);
    if (t)
      m->lang = dy_str_c(t);
  }
}

/* ---- metadata from elements -------------------------------------------- */

/* Readability's order of title meta tags; 9 for other names. */
static int title_rank(dy_str name)
{
  static const char *const names[] = {"dc:title",      "dc.title",
                                      "dcterm:title",  "dcterms.title",
                                      "og:title",      "weibo:article:title",
                                      "title",         "twitter:title",
                                      "parsely-title", NULL};
  int i;
  for (i = 0; names[i]; i++)
    if (ci_eq(name.p, name.n, names[i]))
      return i;
  return 9;
}

static void meta_tag(ctx *c, mnode *n)
{
  dy_str name = attr(n, "property"), content = attr(n, "content");
  meta *m = &c->m;
  if (name.n == 0)
    name = attr(n, "name");
  if (name.n == 0)
    name = attr(n, "itemprop");
  if (name.n == 0) {
    dy_str he = attr(n, "http-equiv");
    if (he.n && ci_eq(he.p, he.n, "content-language") && m->lang.n == 0)
      m->lang = dy_str_trim(content);
    return;
  }
  if (content.n == 0)
    return;
  if (title_rank(name) < 9) {
    /* dc:title > dcterm:title > og:title > title > twitter:title > ... */
    int r = title_rank(name);
    if (r < m->og_rank) {
      m->og_title = dy_str_trim(content);
      m->og_rank = r;
    }
  } else if (ci_eq(name.p, name.n, "article:published_time") ||
             ci_eq(name.p, name.n, "og:article:published_time") ||
             ci_eq(name.p, name.n, "datepublished") ||
             ci_eq(name.p, name.n, "parsely-pub-date") ||
             ci_eq(name.p, name.n, "sailthru.date") ||
             ci_eq(name.p, name.n, "publish-date") ||
             ci_eq(name.p, name.n, "publishdate") ||
             ci_eq(name.p, name.n, "pubdate") ||
             ci_eq(name.p, name.n, "publication_date") ||
             ci_eq(name.p, name.n, "original-publish-date") ||
             ci_eq(name.p, name.n, "dc.date.issued") ||
             ci_eq(name.p, name.n, "dcterms.created") ||
             ci_eq(name.p, name.n, "dcterms.date") ||
             ci_eq(name.p, name.n, "article.published") ||
             ci_eq(name.p, name.n, "og:published_time")) {
    offer_date(m, content, 2);
  } else if (ci_eq(name.p, name.n, "date") ||
             ci_eq(name.p, name.n, "dc.date") ||
             ci_eq(name.p, name.n, "citation_publication_date") ||
             ci_eq(name.p, name.n, "citation_date")) {
    offer_date(m, content, 3);
  } else if (ci_eq(name.p, name.n, "article:modified_time") ||
             ci_eq(name.p, name.n, "og:updated_time") ||
             ci_eq(name.p, name.n, "datemodified")) {
    offer_date(m, content, 8);
  } else if (ci_eq(name.p, name.n, "author") ||
             ci_eq(name.p, name.n, "dc.creator") ||
             ci_eq(name.p, name.n, "article:author") ||
             ci_eq(name.p, name.n, "parsely-author") ||
             ci_eq(name.p, name.n, "sailthru.author") ||
             ci_eq(name.p, name.n, "citation_author")) {
    offer_byline(m, content, 1);
  } else if (ci_eq(name.p, name.n, "og:url")) {
    m->url = dy_str_trim(content);
  } else if (ci_eq(name.p, name.n, "og:site_name")) {
    m->site = dy_str_trim(content);
  } else if (ci_eq(name.p, name.n, "og:locale") && m->lang.n == 0) {
    m->lang = dy_str_trim(content);
  }
}

/* Text of a small subtree into the arena. */
static const char *small_text(ctx *c, mnode *n, size_t max)
{
  dy_buf *b = &c->h->tmp;
  dy_buf_reset(b);
  subtree_text(n, b, max);
  return arena_clean(c->d, (dy_str){b->p ? b->p : "", b->n}, max);
}

/* Metadata from one element met in the walk. */
static void element_meta(ctx *c, hn *e)
{
  mnode *n = e->node;
  meta *m = &c->m;
  switch (e->tag) {
  case MyHTML_TAG_HTML: {
    dy_str l = attr(n, "lang");
    if (l.n == 0)
      l = attr(n, "xml:lang");
    if (l.n)
      m->lang = dy_str_trim(l);
    break;
  }
  case MyHTML_TAG_TITLE:
    if (m->title.n == 0 && (e->flags & F_HEAD)) {
      const char *t = small_text(c, n, 1000);
      if (t)
        m->title = dy_str_c(t);
    }
    break;
  case MyHTML_TAG_META:
    meta_tag(c, n);
    break;
  case MyHTML_TAG_LINK: {
    dy_str rel = attr(n, "rel");
    if (rel.n && ci_eq(rel.p, rel.n, "canonical") && m->url.n == 0)
      m->url = dy_str_trim(attr(n, "href"));
    break;
  }
  case MyHTML_TAG_SCRIPT: {
    dy_str ty = attr(n, "type");
    mnode *t = myhtml_node_child(n);
    if (ty.n && ci_find(ty.p, ty.n, "ld+json") && t &&
        myhtml_node_tag_id(t) == MyHTML_TAG__TEXT) {
      size_t len = 0;
      const char *s = myhtml_node_text(t, &len);
      if (s)
        jsonld(c, s, len);
    }
    break;
  }
  case MyHTML_TAG_H1:
    m->nh1++;
    if (m->h1.n == 0) {
      const char *t = small_text(c, n, 500);
      if (t && *t)
        m->h1 = dy_str_c(t);
    }
    break;
  case MyHTML_TAG_TIME: {
    dy_str dt = attr(n, "datetime");
    dy_str ip = attr(n, "itemprop");
    int rank = 5;
    if (ip.n && ci_find(ip.p, ip.n, "datepublished"))
      rank = 2;
    else if (myhtml_attribute_by_key(n, "pubdate", 7))
      rank = 3;
    else if (ip.n && ci_find(ip.p, ip.n, "modified"))
      rank = 9;
    if (dt.n)
      offer_date(m, dt, rank);
    else if (rank < 5) {
      const char *t = small_text(c, n, 100);
      if (t)
        offer_date(m, dy_str_c(t), rank);
    }
    break;
  }
  default:
    break;
  }
  if (e->tag != MyHTML_TAG_META && e->tag != MyHTML_TAG_LINK &&
      !(e->flags & F_HEAD)) {
    dy_str ip = attr(n, "itemprop"), rel = attr(n, "rel");
    if (ip.n && ci_find(ip.p, ip.n, "datepublished") &&
        e->tag != MyHTML_TAG_TIME) {
      dy_str v = attr(n, "content");
      if (v.n == 0)
        v = attr(n, "datetime");
      if (v.n)
        offer_date(m, v, 2);
    }
    if (m->byline_rank > 3 && ((ip.n && ci_eq(ip.p, ip.n, "author")) ||
                               (rel.n && ci_eq(rel.p, rel.n, "author")))) {
      const char *t = small_text(c, n, 200);
      if (t)
        offer_byline(m, dy_str_c(t), 3);
    } else if (m->byline_rank > 4) {
      dy_str cls = attr(n, "class");
      if (cls.n && cls.n < 200 && ci_find(cls.p, cls.n, "byline")) {
        const char *t = small_text(c, n, 200);
        if (t && *t)
          offer_byline(m, dy_str_c(t), 4);
      }
    }
  }
}

/* ---- the walk ---------------------------------------------------------- */

static int push_node(ctx *c, mnode *n, int parent, int tag)
{
  hn *e;
  if (c->nn == c->capn) {
    size_t nc = c->capn ? c->capn * 2 : 1024;
    hn *p = dy_arena_grow(&c->d->mem, c->nodes, c->capn * sizeof *p,
                          nc * sizeof *p);
    if (p == NULL)
      return -1;
    c->nodes = p;
    c->capn = nc;
  }
  e = &c->nodes[c->nn];
  memset(e, 0, sizeof *e);
  e->node = n;
  e->parent = parent;
  e->tag = tag;
  return (int)c->nn++;
}

/* Nearest block ancestor-or-self of element i. */
static int block_of(const ctx *c, int i)
{
  while (i >= 0 && (c->nodes[i].flags & F_INLINE))
    i = c->nodes[i].parent;
  return i;
}

/* Pre-order walk of the whole document: one hn per element, text counted
 * on its parent and on the nearest block, metadata gathered. */
static int walk(ctx *c, mnode *root)
{
  mnode *n = myhtml_node_child(root);
  int cur = -1; /* hn index of n's parent */
  while (n) {
    int tag = (int)myhtml_node_tag_id(n);
    int descend = 0, me = -1;
    if (tag == MyHTML_TAG__TEXT) {
      if (cur >= 0 && !(c->nodes[cur].flags & F_DROP)) {
        size_t len = 0;
        const char *t = myhtml_node_text(n, &len);
        uint32_t cm = 0, k = t ? text_chars(t, len, &cm) : 0;
        hn *pe = &c->nodes[cur];
        int b = block_of(c, cur);
        pe->own += k;
        if (pe->flags & F_LINK)
          pe->ownl += k;
        if (b >= 0) {
          c->nodes[b].inl += k;
          c->nodes[b].commas += cm;
        }
      }
    } else if (tag != MyHTML_TAG__COMMENT && tag != MyHTML_TAG__DOCTYPE &&
               tag != MyHTML_TAG__UNDEF) {
      hn *e;
      me = push_node(c, n, cur, tag);
      if (me < 0)
        return DY_ENOMEM;
      e = &c->nodes[me];
      myhtml_node_set_data(n, (void *)(uintptr_t)(me + 1));
      if (cur >= 0)
        e->flags |= c->nodes[cur].flags & (F_DROP | F_LINK | F_HEAD);
      if (tag == MyHTML_TAG_HEAD)
        e->flags |= F_HEAD;
      if (tag == MyHTML_TAG_A)
        e->flags |= F_LINK;
      if (is_inline_tag(tag))
        e->flags |= F_INLINE;
      if (is_drop_tag(tag) || myhtml_node_namespace(n) != MyHTML_NAMESPACE_HTML)
        e->flags |= F_DROP;
      if (tag == MyHTML_TAG_BODY && c->body < 0)
        c->body = me;
      classify(c, e);
      element_meta(c, e);
      descend = tag != MyHTML_TAG_SCRIPT && tag != MyHTML_TAG_STYLE &&
                tag != MyHTML_TAG_SVG && tag != MyHTML_TAG_MATH;
    }
    if (descend && myhtml_node_child(n)) {
      cur = me;
      n = myhtml_node_child(n);
      continue;
    }
    /* next sibling, or up */
    while (n && myhtml_node_next(n) == NULL) {
      n = myhtml_node_parent(n);
      if (n == NULL || n == root)
        return c->d->mem.failed ? DY_ENOMEM : DY_OK;
      cur = cur >= 0 ? c->nodes[cur].parent : -1;
    }
    if (n == NULL || n == root)
      break;
    n = myhtml_node_next(n);
  }
  return c->d->mem.failed ? DY_ENOMEM : DY_OK;
}

/* Decides class/id drops with the text sizes known, then sums text and
 * links bottom-up. */
static void settle(ctx *c)
{
  size_t i, total = 0;
  /* raw subtree text, ignoring class drops, to protect big containers */
  for (i = c->nn; i-- > 0;) {
    hn *e = &c->nodes[i];
    e->text = (e->flags & F_DROP) ? 0 : e->text + e->own;
    if (e->parent >= 0)
      c->nodes[e->parent].text += e->text;
  }
  if (c->body >= 0)
    total = c->nodes[c->body].text;
  for (i = 0; i < c->nn; i++) {
    hn *e = &c->nodes[i];
    int tag = e->tag;
    if (e->parent >= 0 && (c->nodes[e->parent].flags & F_CDROP))
      e->flags |= F_CDROP;
    if ((e->flags & F_DROP) || (e->flags & F_CDROP))
      continue;
    if (tag == MyHTML_TAG_HTML || tag == MyHTML_TAG_BODY ||
        tag == MyHTML_TAG_MAIN || tag == MyHTML_TAG_ARTICLE ||
        tag == MyHTML_TAG_A)
      continue;
    if ((e->flags & F_STRONG) ||
        ((e->flags & F_UNLIKELY) && !(e->flags & F_MAYBE))) {
      /* never throw away most of the page on a class name */
      if (total && e->text * 2 > total && !(e->flags & F_STRONG))
        continue;
      if (total && e->text * 10 > total * 6)
        continue;
      e->flags |= F_CDROP;
    }
  }
  for (i = 0; i < c->nn; i++) {
    hn *e = &c->nodes[i];
    e->text = 0;
    e->link = 0;
  }
  for (i = c->nn; i-- > 0;) {
    hn *e = &c->nodes[i];
    if (e->flags & (F_DROP | F_CDROP)) {
      e->text = e->link = 0;
      e->inl = 0;
      continue;
    }
    e->text += e->own;
    e->link += e->ownl;
    if (e->parent >= 0) {
      c->nodes[e->parent].text += e->text;
      c->nodes[e->parent].link += e->link;
    }
  }
}

static float link_density(const hn *e)
{
  return e->text ? (float)e->link / (float)e->text : 0.0f;
}

static int tag_base_score(int tag)
{
  switch (tag) {
  case MyHTML_TAG_DIV:
  case MyHTML_TAG_ARTICLE:
  case MyHTML_TAG_SECTION:
  case MyHTML_TAG_MAIN:
    return 5;
  case MyHTML_TAG_PRE:
  case MyHTML_TAG_TD:
  case MyHTML_TAG_BLOCKQUOTE:
    return 3;
  case MyHTML_TAG_ADDRESS:
  case MyHTML_TAG_OL:
  case MyHTML_TAG_UL:
  case MyHTML_TAG_DL:
  case MyHTML_TAG_DD:
  case MyHTML_TAG_DT:
  case MyHTML_TAG_LI:
  case MyHTML_TAG_FORM:
    return -3;
  case MyHTML_TAG_H1:
  case MyHTML_TAG_H2:
  case MyHTML_TAG_H3:
  case MyHTML_TAG_H4:
  case MyHTML_TAG_H5:
  case MyHTML_TAG_H6:
  case MyHTML_TAG_TH:
    return -5;
  default:
    return 0;
  }
}

static void add_score(ctx *c, int i, float s)
{
  hn *e = &c->nodes[i];
  if (!(e->flags & F_CAND)) {
    e->flags |= F_CAND;
    e->score = (float)(tag_base_score(e->tag) + e->weight);
  }
  e->score += s;
}

static int is_heading(int tag)
{
  return tag == MyHTML_TAG_H1 || tag == MyHTML_TAG_H2 || tag == MyHTML_TAG_H3 ||
         tag == MyHTML_TAG_H4 || tag == MyHTML_TAG_H5 || tag == MyHTML_TAG_H6;
}

/* Scores paragraphs into their ancestors; returns the best candidate. */
static int score(ctx *c)
{
  size_t i;
  int best = -1;
  for (i = 0; i < c->nn; i++) {
    hn *e = &c->nodes[i];
    float s;
    int a, level;
    if ((e->flags & (F_DROP | F_CDROP | F_INLINE | F_HEAD)) ||
        is_heading(e->tag) || e->inl < 25)
      continue;
    e->flags |= F_PARA;
    s = 1.0f + (float)e->commas +
        (e->inl / 100 < 3 ? (float)(e->inl / 100) : 3.0f);
    for (a = e->parent, level = 0; a >= 0 && level < 5;
         a = c->nodes[a].parent, level++) {
      if (c->nodes[a].tag == MyHTML_TAG_HTML)
        break;
      add_score(c, a,
                level == 0   ? s
                : level == 1 ? s / 2.0f
                             : s / (float)(level * 3));
      c->nodes[a].nparas++;
    }
  }
  for (i = 0; i < c->nn; i++) {
    hn *e = &c->nodes[i];
    if (!(e->flags & F_CAND) || (e->flags & (F_DROP | F_CDROP)))
      continue;
    e->score *= 1.0f - link_density(e);
    if (best < 0 || e->score > c->nodes[best].score)
      best = (int)i;
  }
  return best;
}

/* Readability's walk up from the top candidate. */
static int climb(ctx *c, int top)
{
  float last = c->nodes[top].score, threshold = last / 3.0f;
  int p = c->nodes[top].parent;
  while (p >= 0 && c->nodes[p].tag != MyHTML_TAG_BODY &&
         c->nodes[p].tag != MyHTML_TAG_HTML) {
    hn *e = &c->nodes[p];
    if (!(e->flags & F_CAND)) {
      p = e->parent;
      continue;
    }
    if (e->score < threshold)
      break;
    if (e->score > last) {
      top = p;
      break;
    }
    last = e->score;
    p = e->parent;
  }
  /* an only child with the same text: take the parent */
  for (;;) {
    int q = c->nodes[top].parent;
    if (q < 0 || c->nodes[q].tag == MyHTML_TAG_BODY ||
        c->nodes[q].tag == MyHTML_TAG_HTML)
      break;
    if (c->nodes[q].text != c->nodes[top].text)
      break;
    top = q;
  }
  return top;
}

/* ---- output ------------------------------------------------------------ */

static int push_block(ctx *c, const char *p, size_t n, int heading)
{
  dy__block *b;
  char *s;
  if (c->nb == c->capb) {
    size_t nc = c->capb ? c->capb * 2 : 64;
    b = dy_arena_grow(&c->d->mem, c->blocks, c->capb * sizeof *b,
                      nc * sizeof *b);
    if (b == NULL)
      return DY_ENOMEM;
    c->blocks = b;
    c->capb = nc;
  }
  s = dy_arena_strndup(&c->d->mem, p, n);
  if (s == NULL)
    return DY_ENOMEM;
  b = &c->blocks[c->nb++];
  b->p = s;
  b->n = n;
  b->heading = heading;
  return DY_OK;
}

typedef struct para_state {
  uint32_t chars; /* text chars in the paragraph */
  uint32_t link;  /* of which in links */
  int heading;    /* the paragraph is a heading */
} para_state;

/* Ends the paragraph being built: filters and pushes it. */
static int flush(ctx *c, para_state *ps)
{
  dy_buf *b = &c->h->para;
  dy_str t = dy_str_trim((dy_str){b->p ? b->p : "", b->n});
  int rc = DY_OK, cut = 0;
  if (t.n && !c->stop) {
    if (dy__text_is_boiler(t.p, t.n, &cut)) {
      c->d->art.nboiler++;
      if (cut && c->nparas_out > 0)
        c->stop = 1;
    } else if (ps->chars && ps->link * 10 > ps->chars * 9 && ps->chars < 300 &&
               !ps->heading) {
      c->d->art.nboiler++; /* a line of links */
    } else if (ps->heading) {
      if (!(c->m.h1.n == t.n && memcmp(c->m.h1.p, t.p, t.n) == 0))
        rc = push_block(c, t.p, t.n, t.n <= 200);
    } else {
      rc = push_block(c, t.p, t.n, 0);
      c->nparas_out++;
    }
  }
  dy_buf_reset(b);
  memset(ps, 0, sizeof *ps);
  return rc;
}

static void para_text(ctx *c, para_state *ps, const char *t, size_t len,
                      int in_link)
{
  dy_buf *b = &c->h->para;
  size_t i, run = 0;
  uint32_t cm = 0, k = text_chars(t, len, &cm);
  ps->chars += k;
  if (in_link)
    ps->link += k;
  for (i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)t[i];
    int sp = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' ||
             ch == '\f' || ch == '\v';
    if (!sp)
      continue;
    dy_buf_append(b, t + run, i - run);
    if (b->n && b->p[b->n - 1] != ' ')
      dy_buf_putc(b, ' ');
    run = i + 1;
  }
  dy_buf_append(b, t + run, len - run);
}

/* Conditional cleaning inside the chosen content (Readability's
 * _cleanConditionally, simplified): link-heavy or negatively named
 * containers go. */
static int drop_in_content(const ctx *c, const hn *e)
{
  float ld;
  switch (e->tag) {
  case MyHTML_TAG_DIV:
  case MyHTML_TAG_SECTION:
  case MyHTML_TAG_UL:
  case MyHTML_TAG_OL:
  case MyHTML_TAG_TABLE:
  case MyHTML_TAG_FORM:
  case MyHTML_TAG_DL:
  case MyHTML_TAG_FIGURE:
    break;
  default:
    return 0;
  }
  (void)c;
  if (e->text == 0)
    return 0;
  if (e->weight < 0 && e->text < 1000)
    return 1;
  ld = link_density(e);
  if (ld > 0.5f)
    return 1;
  if (e->weight < 25 && ld > 0.25f && e->text < 500 &&
      (e->tag == MyHTML_TAG_UL || e->tag == MyHTML_TAG_OL || e->nparas < 2))
    return 1;
  return 0;
}

static int node_index(mnode *n)
{
  return (int)(uintptr_t)myhtml_node_get_data(n) - 1;
}

/* Emits the paragraphs of the subtree at node index r, in document order. */
static int emit(ctx *c, int r, para_state *ps)
{
  mnode *top = c->nodes[r].node, *n = top;
  int rc = DY_OK;
  for (;;) {
    int tag = (int)myhtml_node_tag_id(n), descend = 0, idx;
    /* enter n */
    if (tag == MyHTML_TAG__TEXT) {
      mnode *p = myhtml_node_parent(n);
      int pi = p ? node_index(p) : -1;
      size_t len = 0;
      const char *t = myhtml_node_text(n, &len);
      if (t && len && pi >= 0)
        para_text(c, ps, t, len, (c->nodes[pi].flags & F_LINK) != 0);
    } else if ((idx = node_index(n)) >= 0) {
      hn *e = &c->nodes[idx];
      if ((e->flags & (F_DROP | F_CDROP)) ||
          (idx != r && drop_in_content(c, e))) {
        if (!(e->flags & F_INLINE))
          rc = flush(c, ps);
        if (e->text)
          c->d->art.nboiler++;
      } else {
        if (!(e->flags & F_INLINE) || e->tag == MyHTML_TAG_BR)
          rc = flush(c, ps);
        if (is_heading(e->tag))
          ps->heading = 1;
        descend = 1;
      }
    }
    if (rc < 0 || c->stop)
      break;
    if (descend && myhtml_node_child(n)) {
      n = myhtml_node_child(n);
      continue;
    }
    /* leave n and the ancestors it closes */
    for (;;) {
      if (tag != MyHTML_TAG__TEXT) {
        int li = node_index(n);
        if (li >= 0 && !(c->nodes[li].flags & F_INLINE))
          rc = flush(c, ps);
      }
      if (n == top || rc < 0)
        return rc;
      if (myhtml_node_next(n)) {
        n = myhtml_node_next(n);
        break;
      }
      n = myhtml_node_parent(n);
      if (n == NULL)
        return rc;
      tag = (int)myhtml_node_tag_id(n);
    }
  }
  if (rc == DY_OK)
    rc = flush(c, ps);
  return rc;
}

/* Chooses the content roots: the top candidate and the siblings that look
 * like article text too. Emits them in document order. */
static int extract_content(ctx *c)
{
  int top = score(c), parent, k;
  para_state ps;
  float thr;
  int rc = DY_OK;
  memset(&ps, 0, sizeof ps);
  if (top < 0) {
    if (c->body < 0)
      return DY_OK;
    return emit(c, c->body, &ps);
  }
  top = climb(c, top);
  parent = c->nodes[top].parent;
  if (parent < 0)
    return emit(c, top, &ps);
  thr = c->nodes[top].score * 0.2f;
  if (thr < 10.0f)
    thr = 10.0f;
  for (k = parent + 1; (size_t)k < c->nn && rc == DY_OK && !c->stop; k++) {
    hn *e = &c->nodes[k];
    int a = e->parent;
    int take = 0;
    while (a > parent)
      a = c->nodes[a].parent;
    if (a != parent)
      break; /* past parent's subtree */
    if (e->parent != parent)
      continue;
    if (k == top) {
      take = 1;
    } else if (!(e->flags & (F_DROP | F_CDROP))) {
      float bonus = 0.0f;
      dy_str c1 = attr(e->node, "class"),
             c2 = attr(c->nodes[top].node, "class");
      if (c1.n && dy_str_eq(c1, c2))
        bonus = c->nodes[top].score * 0.2f;
      if ((e->flags & F_CAND) && e->score + bonus >= thr)
        take = 1;
      else if (e->tag == MyHTML_TAG_P || (e->flags & F_PARA)) {
        float ld = link_density(e);
        if (e->text > 80 && ld < 0.25f)
          take = 1;
        else if (e->text > 0 && e->text <= 80 && ld == 0.0f) {
          const char *b = c->h->tmp.p;
          (void)b;
          take = 1;
        }
      }
    }
    if (take)
      rc = emit(c, k, &ps);
  }
  return rc;
}

/* ---- headline ---------------------------------------------------------- */

static size_t word_count(dy_str s)
{
  size_t i, w = 0;
  int in = 0;
  for (i = 0; i < s.n; i++) {
    if (dy_isspace(s.p[i])) {
      in = 0;
    } else if (!in) {
      in = 1;
      w++;
    }
  }
  return w;
}

/* Separators between a headline and the site name. */
static size_t find_sep(dy_str t, int last, size_t *seplen)
{
  static const char *const seps[] = {
      " | ", " - ",        " \xe2\x80\x93 ", " \xe2\x80\x94 ", " \\ ", " / ",
      " > ", " \xc2\xbb ", " :: ",           " \xc2\xb7 ",     NULL};
  size_t i, best = 0;
  int k, found = 0;
  for (i = 1; i + 2 < t.n; i++) {
    for (k = 0; seps[k]; k++) {
      size_t l = strlen(seps[k]);
      if (i + l <= t.n && memcmp(t.p + i, seps[k], l) == 0) {
        if (!found || last) {
          best = i;
          *seplen = l;
        }
        found = 1;
        if (!last)
          return best;
      }
    }
  }
  return found ? best : 0;
}

/* Readability's title rules: the <title> with the site name cut off. */
static dy_str clean_title(const meta *m)
{
  dy_str orig = dy_str_trim(m->title), cur = orig;
  size_t sl = 0, at;
  if (orig.n == 0)
    return m->h1;
  at = find_sep(orig, 1, &sl);
  if (at) {
    dy_str head = dy_str_trim((dy_str){orig.p, at});
    cur = head;
    if (word_count(head) < 3) {
      size_t fl = 0, first = find_sep(orig, 0, &fl);
      cur = dy_str_trim((dy_str){orig.p + first + fl, orig.n - first - fl});
    }
  } else {
    const char *colon = NULL;
    size_t i;
    for (i = 0; i + 1 < orig.n; i++)
      if (orig.p[i] == ':' && orig.p[i + 1] == ' ')
        colon = orig.p + i;
    if (colon && !(m->h1.n == orig.n && memcmp(m->h1.p, orig.p, orig.n) == 0)) {
      dy_str after = dy_str_trim(
          (dy_str){colon + 1, orig.n - (size_t)(colon + 1 - orig.p)});
      cur = after;
      if (word_count(after) < 3) {
        const char *fc = memchr(orig.p, ':', orig.n);
        cur = dy_str_trim((dy_str){orig.p, (size_t)(fc - orig.p)});
      } else if (word_count((dy_str){orig.p, (size_t)(colon - orig.p)}) > 5) {
        cur = orig;
      }
    } else if ((orig.n > 150 || orig.n < 15) && m->nh1 == 1 && m->h1.n) {
      cur = m->h1;
    }
  }
  if (word_count(cur) <= 4 &&
      (!at || word_count(cur) != word_count(orig) - 1)) {
    /* a short head part that is also the page's <h1> is the headline */
    if (at && m->h1.n && dy_str_eq(dy_str_trim(m->h1), cur))
      return cur;
    cur = orig;
  }
  return cur;
}

static int choose_headline(ctx *c)
{
  dy_article *art = &c->d->art;
  dy_str t = c->m.ld_title;
  const char *s;
  if (t.n == 0)
    t = c->m.og_title;
  if (t.n == 0)
    t = clean_title(&c->m);
  if (t.n == 0)
    return DY_OK;
  s = arena_clean(c->d, t, 1000);
  if (s == NULL)
    return DY_ENOMEM;
  art->headline = s;
  return DY_OK;
}

/* ---- entry point ------------------------------------------------------- */

static int ensure_parser(dy_doc *d)
{
  struct dy__html *h = d->html;
  if (h == NULL) {
    h = dy_calloc(1, sizeof *h);
    if (h == NULL)
      return DY_ENOMEM;
    dy_buf_init(&h->conv, 0);
    dy_buf_init(&h->work, 0);
    dy_buf_init(&h->para, 0);
    dy_buf_init(&h->tmp, 0);
    d->html = h;
  }
  if (h->mh == NULL) {
    h->mh = myhtml_create();
    if (h->mh == NULL || myhtml_init(h->mh, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1,
                                     0) != MyHTML_STATUS_OK) {
      if (h->mh)
        myhtml_destroy(h->mh);
      h->mh = NULL;
      return DY_ENOMEM;
    }
  }
  if (h->tree == NULL) {
    h->tree = myhtml_tree_create();
    if (h->tree == NULL ||
        myhtml_tree_init(h->tree, h->mh) != MyHTML_STATUS_OK) {
      if (h->tree)
        myhtml_tree_destroy(h->tree);
      h->tree = NULL;
      return DY_ENOMEM;
    }
  }
  return DY_OK;
}

int dy__html_analyse(dy_doc *d, const char *bytes, size_t n, const char *date)
{
  dy_article *art = &d->art;
  struct dy__html *h;
  const char *s = NULL;
  size_t sn = 0, depth;
  ctx c;
  int rc;
  mnode *root;

  rc = ensure_parser(d);
  if (rc < 0)
    return dy_err_set(&d->err, rc, "cannot start the HTML parser");
  h = d->html;
  rc = decode_page(d, h, bytes, n, &s, &sn);
  if (rc < 0)
    return rc;
  if (sn && memchr(s, '\0', sn)) {
    /* NUL bytes in a page: drop them (the parser would turn them into
     * U+FFFD anyway) */
    size_t i, k = 0;
    dy_buf_reset(&h->work);
    for (i = 0; i < sn; i++)
      if (s[i] != '\0')
        k++;
    if (dy_buf_append(&h->work, "", 0) < 0)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
    for (i = 0; i < sn; i++)
      if (s[i] != '\0')
        dy_buf_putc(&h->work, s[i]);
    if (h->work.failed)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
    dy_buf_reset(&h->conv);
    dy_buf_append(&h->conv, h->work.p, h->work.n);
    if (h->conv.failed)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
    s = h->conv.p;
    sn = h->conv.n;
    (void)k;
  }
  depth = nest_scan(s, sn, DY_HTML_MAX_DEPTH, NULL);
  if (depth > DY_HTML_MAX_DEPTH) {
    dy_buf_reset(&h->work);
    nest_scan(s, sn, DY_HTML_MAX_DEPTH, &h->work);
    if (h->work.failed)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
    s = h->work.p ? h->work.p : "";
    sn = h->work.n;
    art->depth_capped = 1;
  }
  myhtml_tree_clean(h->tree);
  if (myhtml_parse(h->tree, MyENCODING_UTF_8, s, sn) != MyHTML_STATUS_OK)
    return dy_err_set(&d->err, DY_EFORMAT, "the HTML parser failed");

  memset(&c, 0, sizeof c);
  c.d = d;
  c.h = h;
  c.body = -1;
  c.m.date_rank = 99;
  c.m.byline_rank = 99;
  c.m.og_rank = 9;
  root = myhtml_tree_get_document(h->tree);
  rc = walk(&c, root);
  if (rc < 0)
    goto nomem;
  settle(&c);
  rc = extract_content(&c);
  if (rc < 0 || d->mem.failed)
    goto nomem;
  rc = choose_headline(&c);
  if (rc < 0)
    goto nomem;

  /* date: metadata, else the URL's */
  if (c.m.date[0] == '\0') {
    dy_str u = {"", 0};
    if (d->hint && d->hint->url)
      u = dy_str_c(d->hint->url);
    if (u.n == 0)
      u = c.m.url;
    url_date(u, c.m.date);
  }
  art->date = dy_arena_strndup(&d->mem, c.m.date, strlen(c.m.date));
  art->byline = c.m.byline.n ? arena_clean(d, c.m.byline, 200) : "";
  art->language = c.m.lang.n ? arena_clean(d, c.m.lang, 32) : "";
  if (c.m.url.n && !(d->hint && d->hint->url && *d->hint->url))
    art->url = arena_clean(d, c.m.url, 2000);
  if (art->date == NULL || art->byline == NULL || art->language == NULL ||
      art->url == NULL)
    goto nomem;
  if (sn > ((size_t)8 << 20)) {
    /* a big page: give the parser's memory back */
    myhtml_tree_destroy(h->tree);
    h->tree = NULL;
  }
  if (c.nb == 0 && art->headline[0] == '\0')
    return dy_err_set(&d->err, DY_EEMPTY, "no text in the page");
  return dy__article_build(d, c.blocks, c.nb, date, 1);
nomem:
  if (d->mem.failed == DY_ARENA_OVERCAP)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "page needs more than the work memory cap of %zu bytes",
                      d->opts.arena_cap);
  return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
}
