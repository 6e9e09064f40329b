/* SPDX-License-Identifier: MIT */
/* Tests of the container readers (gzip, WARC, JSONL, CSV, Reuters SGML,
 * format detection) and of HTML extraction (main content, metadata,
 * charsets, the nesting cap), all on small inputs written here. */
#include "test.h"

#include "dyad/dyad.h"

#include <stdlib.h>
#include <zlib.h>

#define X(name) void test_##name(void);
#include "list_extract.inc"
#undef X

/* ---- fixtures ---------------------------------------------------------- */

#define MAXREC 16

typedef struct got {
  int n;                   /* documents */
  char name[MAXREC][64];   /* their names */
  char text[MAXREC][512];  /* their bytes (cut) */
  char url[MAXREC][128];   /* url or "" */
  char date[MAXREC][16];   /* date or "" */
  char title[MAXREC][128]; /* title or "" */
  char ctype[MAXREC][64];  /* content type or "" */
  int nerr;                /* errors */
  char err[MAXREC][256];   /* "name: message" */
} got;

static void cp(char *dst, size_t cap, const char *s, size_t n)
{
  if (s == NULL) {
    dst[0] = '\0';
    return;
  }
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

static int on_doc(const dy_input *in, void *ud)
{
  got *g = ud;
  int i = g->n;
  if (i >= MAXREC)
    return 1;
  cp(g->name[i], 64, in->name, strlen(in->name));
  cp(g->text[i], 512, in->bytes, in->n);
  cp(g->url[i], 128, in->url, in->url ? strlen(in->url) : 0);
  cp(g->date[i], 16, in->date, in->date ? strlen(in->date) : 0);
  cp(g->title[i], 128, in->title, in->title ? strlen(in->title) : 0);
  cp(g->ctype[i], 64, in->ctype, in->ctype ? strlen(in->ctype) : 0);
  g->n++;
  return 0;
}

static void on_err(const char *name, int rc, const char *msg, void *ud)
{
  got *g = ud;
  (void)rc;
  if (g->nerr < MAXREC)
    snprintf(g->err[g->nerr], 256, "%s: %s", name, msg);
  g->nerr++;
}

static void read_fmt(const char *name, const char *p, size_t n, int fmt, got *g)
{
  dy_read_opts o;
  memset(&o, 0, sizeof o);
  memset(g, 0, sizeof *g);
  o.format = fmt;
  dy_read_buffer(name, p, n, &o, on_doc, on_err, g);
}

/* gzip-compresses src into dst (cap bytes); returns the size. */
static size_t gz(const char *src, size_t n, unsigned char *dst, size_t cap)
{
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return 0;
  z.next_in = (unsigned char *)(uintptr_t)src;
  z.avail_in = (uInt)n;
  z.next_out = dst;
  z.avail_out = (uInt)cap;
  deflate(&z, Z_FINISH);
  deflateEnd(&z);
  return cap - z.avail_out;
}

static dy_doc *new_doc(void)
{
  dy_doc *d = NULL;
  if (dy_doc_new(NULL, NULL, &d) < 0)
    return NULL;
  return d;
}

static int analyse_html(dy_doc *d, const char *html, const char *ctype)
{
  dy_input in;
  memset(&in, 0, sizeof in);
  in.name = "t.html";
  in.bytes = html;
  in.n = strlen(html);
  in.ctype = ctype;
  return dy_doc_analyse_input(d, &in, NULL);
}

/* ---- containers ---------------------------------------------------------- */

void test_extract_gzip(void)
{
  static const char a[] = "First member of the text. ";
  static const char b[] = "Second member.\n";
  unsigned char buf[512];
  size_t n1 = gz(a, sizeof a - 1, buf, sizeof buf), n2;
  got g;
  CHECK(n1 > 0);
  n2 = gz(b, sizeof b - 1, buf + n1, sizeof buf - n1);
  CHECK(n2 > 0);
  /* two members are one stream; the .gz suffix goes from the name */
  read_fmt("x.txt.gz", (const char *)buf, n1 + n2, 0, &g);
  CHECK_EQ_INT(g.n, 1);
  CHECK_EQ_INT(g.nerr, 0);
  CHECK_EQ_STR(g.text[0], "First member of the text. Second member.\n");
  CHECK_EQ_STR(g.name[0], "x.txt.gz");
  /* cut: a clear error, and a single document is not read */
  read_fmt("x.txt.gz", (const char *)buf, n1 - 5, 0, &g);
  CHECK_EQ_INT(g.n, 0);
  CHECK_EQ_INT(g.nerr, 1);
  CHECK(strstr(g.err[0], "truncated gzip") != NULL);
  /* corrupt */
  buf[12] ^= 0xFF;
  buf[13] ^= 0xFF;
  read_fmt("x.gz", (const char *)buf, n1, 0, &g);
  CHECK_EQ_INT(g.n, 0);
  CHECK_EQ_INT(g.nerr, 1);
}

static const char warc[] =
    "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n"
    "WARC/1.0\r\nWARC-Type: response\r\n"
    "WARC-Target-URI: <http://example.com/a>\r\n"
    "WARC-Date: 2025-03-04T10:00:00Z\r\nContent-Length: 69\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<p>Hi.</p>\r\n\r\n"
    "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x\r\n\r\nbad\r\n\r\n"
    "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 59\r\n\r\n"
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "2\r\nab\r\n0\r\n\r\n\r\n\r\n"
    "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 35\r\n\r\n"
    "HTTP/1.1 404 Not Found\r\n\r\nmissing!!\r\n\r\n"
    "WARC/1.0\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\n"
    "Content-Length: 500\r\n\r\nshort";

void test_extract_warc(void)
{
  got g;
  read_fmt("c.warc", warc, sizeof warc - 1, 0, &g);
  CHECK_EQ_INT(g.n, 2);
  CHECK_EQ_STR(g.name[0], "c.warc#2");
  CHECK_EQ_STR(g.text[0], "<p>Hi.</p>");
  CHECK_EQ_STR(g.url[0], "http://example.com/a");
  CHECK_EQ_STR(g.date[0], "2025-03-04");
  CHECK_EQ_STR(g.ctype[0], "text/html; charset=utf-8");
  CHECK_EQ_STR(g.name[1], "c.warc#4");
  CHECK_EQ_STR(g.text[1], "ab");
  CHECK_EQ_INT(g.nerr, 2);
  CHECK(strstr(g.err[0], "c.warc#3: record 3: missing or bad Content-Length") !=
        NULL);
  CHECK(strstr(g.err[1], "record 6: Content-Length 500 runs past") != NULL);
}

void test_extract_jsonl(void)
{
  static const char j[] = "{\"url\":\"u1\",\"date\":\"2025-01-02T03:04:05Z\","
                          "\"title\":\"T\\u00e9\","
                          "\"text\":\"a\\nb\",\"x\":[1,{\"y\":null}]}\n"
                          "\n"
                          "{\"html\":\"<p>x</p>\",\"date\":20250101}\n"
                          "{\"text\":\"unterminated}\n"
                          "{\"title\":\"no body\"}\n"
                          "{\"text\":\"ok\"} trailing\n";
  got g;
  read_fmt("a.jsonl", j, sizeof j - 1, 0, &g);
  CHECK_EQ_INT(g.n, 2);
  CHECK_EQ_STR(g.name[0], "a.jsonl#1");
  CHECK_EQ_STR(g.text[0], "a\nb");
  CHECK_EQ_STR(g.title[0], "T\xc3\xa9");
  CHECK_EQ_STR(g.date[0], "2025-01-02");
  CHECK_EQ_STR(g.ctype[0], "text/plain");
  CHECK_EQ_STR(g.name[1], "a.jsonl#2");
  CHECK_EQ_STR(g.ctype[1], "text/html");
  CHECK_EQ_STR(g.date[1], "");
  CHECK_EQ_INT(g.nerr, 3);
  CHECK(strstr(g.err[0], "record 3: bad JSON") != NULL);
  CHECK(strstr(g.err[1], "record 4: no \"text\"") != NULL);
  CHECK(strstr(g.err[2], "record 5: bad JSON") != NULL);
}

void test_extract_json_string(void)
{
  static const struct {
    const char *in;
    const char *out; /* NULL: must fail */
  } cases[] = {
      {"\"plain\"", "plain"},
      {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"},
      {"\"\\u0041\\u00e9\\u20ac\"", "A\xc3\xa9\xe2\x82\xac"},
      {"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},
      {"\"\\ud83d\"", NULL},
      {"\"\\ude00\"", NULL},
      {"\"\\x\"", NULL},
      {"\"\\u12\"", NULL},
      {"\"raw\ttab\"", NULL},
      {"\"open", NULL},
      {"nope", NULL},
  };
  size_t i;
  dy_buf b;
  dy_buf_init(&b, 0);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t off = 0;
    int rc;
    dy_buf_reset(&b);
    rc = dy_json_string(cases[i].in, strlen(cases[i].in), &off, &b);
    if (cases[i].out == NULL) {
      CHECK(rc < 0);
    } else {
      CHECK_EQ_INT(rc, DY_OK);
      dy_buf_append(&b, "", 0);
      CHECK_EQ_STR(b.p, cases[i].out);
      CHECK_EQ_INT(off, strlen(cases[i].in));
    }
  }
  dy_buf_fini(&b);
}

void test_extract_csv(void)
{
  static const char c[] =
      "id,URL,Date,Title,Text\r\n"
      "1,u1,2025-01-10,\"A, B\",\"line one\r\n\r\nsaid \"\"hi\"\"\"\r\n"
      "2,u2,bad,T2,plain\n"
      "3,u3,2025-01-12,\"bad \"quote\",x\n"
      "4,u4,2025-01-13,T4\n"
      "\n"
      "5,u5,2025-01-14,T5,\"never closed\n";
  got g;
  read_fmt("n.csv", c, sizeof c - 1, 0, &g);
  CHECK_EQ_INT(g.n, 2);
  CHECK_EQ_STR(g.name[0], "n.csv#1");
  CHECK_EQ_STR(g.text[0], "line one\r\n\r\nsaid \"hi\"");
  CHECK_EQ_STR(g.title[0], "A, B");
  CHECK_EQ_STR(g.url[0], "u1");
  CHECK_EQ_STR(g.date[0], "2025-01-10");
  CHECK_EQ_STR(g.text[1], "plain");
  CHECK_EQ_STR(g.date[1], "");
  CHECK_EQ_INT(g.nerr, 3);
  CHECK(strstr(g.err[0], "record 3: text after a closing quote") != NULL);
  CHECK(strstr(g.err[1], "record 4: 4 fields, the header has 5") != NULL);
  CHECK(strstr(g.err[2], "record 5: unterminated quoted field") != NULL);
  /* no text column: one clear error */
  read_fmt("n.csv", "a,b\n1,2\n", 8, 0, &g);
  CHECK_EQ_INT(g.n, 0);
  CHECK_EQ_INT(g.nerr, 1);
  CHECK(strstr(g.err[0], "no text or html column") != NULL);
}

void test_extract_sgml(void)
{
  static const char s[] =
      "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
      "<REUTERS NEWID=\"1\">\n<DATE> 2-MAR-1987 10:00:00.00</DATE>\n"
      "<TEXT>&#2;\n<TITLE>A &amp; B AGREE</TITLE>\n"
      "<DATELINE>    PARIS, March 2 - </DATELINE><BODY>A and B agreed\n"
      "on a deal &lt;today&gt;.\n    Second paragraph.\n Reuter\n&#3;</BODY>"
      "</TEXT>\n</REUTERS>\n<REUTERS NEWID=\"2\"><DATE>junk</DATE></REUTERS>\n"
      "<REUTERS NEWID=\"3\"><TEXT>cut";
  got g;
  read_fmt("r.sgm", s, sizeof s - 1, 0, &g);
  CHECK_EQ_INT(g.n, 1);
  CHECK_EQ_STR(g.name[0], "r.sgm#1");
  CHECK_EQ_STR(g.title[0], "A & B AGREE");
  CHECK_EQ_STR(g.date[0], "1987-03-02");
  CHECK_EQ_STR(g.text[0], "PARIS, March 2 - A and B agreed\non a deal "
                          "<today>.\n\nSecond paragraph.");
  CHECK_EQ_INT(g.nerr, 2);
  CHECK(strstr(g.err[0], "record 2: no title and no text") != NULL);
  CHECK(strstr(g.err[1], "record 3: <REUTERS> without") != NULL);
}

void test_extract_detect(void)
{
  got g;
  /* by content */
  read_fmt("-",
           "WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 2\r\n\r\nhi", 57,
           0, &g);
  CHECK_EQ_INT(g.n, 1);
  CHECK_EQ_STR(g.name[0], "-#1");
  read_fmt("-", "{\"text\":\"x\"}\n", 13, 0, &g);
  CHECK_EQ_STR(g.name[0], "-#1");
  read_fmt("x.data", "<REUTERS><BODY>b</BODY></REUTERS>", 33, 0, &g);
  CHECK_EQ_STR(g.name[0], "x.data#1");
  /* plain documents stay whole */
  read_fmt("x.txt", "{\"text\":\"x\"}\n", 13, 0, &g);
  CHECK_EQ_STR(g.name[0], "x.txt");
  read_fmt("notes", "Just text about <REUTERS later>\n", 32, 0, &g);
  CHECK_EQ_INT(g.n, 1);
  CHECK_EQ_STR(g.name[0], "notes");
  /* forced */
  read_fmt("x.txt", "text\nhello\n", 11, DY_FMT_CSV, &g);
  CHECK_EQ_STR(g.name[0], "x.txt#1");
  CHECK_EQ_STR(g.text[0], "hello");
  CHECK_EQ_STR(dy_format_name(DY_FMT_WARC), "warc");
}

/* ---- HTML ---------------------------------------------------------------- */

static const char page[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Pact signed in Vienna | Example Post</title>"
    "<meta name=\"author\" content=\"A. Writer\">"
    "<meta property=\"article:published_time\" "
    "content=\"2025-03-04T09:00:00Z\"></head><body>"
    "<nav><a href=\"/\">Home</a> <a href=\"/w\">World</a></nav>"
    "<div class=\"share-buttons\"><a href=\"#\">Share this</a></div>"
    "<article><h1>Pact signed in Vienna</h1>"
    "<p>VIENNA, March 4 (Reuters) - Austria and Hungary signed a water "
    "pact on Tuesday, ending a long dispute, officials said.</p>"
    "<h2>Ten years of talks</h2>"
    "<p>The talks began in 2015, and broke down twice over dams, the "
    "ministry said in a statement on its website.</p>"
    "<p>Subscribe to our newsletter</p>"
    "<ul class=\"related-links\"><li><a href=\"/1\">Other story one</a></li>"
    "<li><a href=\"/2\">Other story two</a></li></ul>"
    "<p>Both parliaments will vote on the pact, and the treaty takes "
    "effect next year, diplomats said.</p></article>"
    "<footer>Copyright 2025 Example Post</footer></body></html>";

void test_extract_html_basic(void)
{
  dy_doc *d = new_doc();
  const dy_article *a;
  CHECK(d != NULL);
  CHECK_EQ_INT(analyse_html(d, page, NULL), DY_OK);
  a = dy_doc_article(d);
  CHECK_EQ_STR(a->format, "html");
  CHECK_EQ_STR(a->headline, "Pact signed in Vienna");
  CHECK_EQ_STR(a->date, "2025-03-04");
  CHECK_EQ_STR(a->byline, "A. Writer");
  CHECK_EQ_STR(a->language, "en");
  CHECK_EQ_STR(a->places, "Vienna");
  CHECK_EQ_STR(a->agency, "Reuters");
  CHECK_EQ_INT(a->nheadings, 1);
  CHECK_EQ_STR(a->headings[0], "Ten years of talks");
  CHECK(strncmp(a->text, "Austria and Hungary signed", 26) == 0);
  CHECK(strstr(a->text, "diplomats said.") != NULL);
  CHECK(a->heading_off[0] > 0 && a->heading_off[0] < a->n);
  CHECK(strncmp(a->text + a->heading_off[0], "The talks began", 15) == 0);
  CHECK(strstr(a->text, "Home") == NULL);
  CHECK(strstr(a->text, "Share") == NULL);
  CHECK(strstr(a->text, "Subscribe") == NULL);
  CHECK(strstr(a->text, "Other story") == NULL);
  CHECK(strstr(a->text, "Copyright") == NULL);
  CHECK(a->nsents >= 3);
  /* the explicit date still wins */
  {
    dy_input in;
    memset(&in, 0, sizeof in);
    in.name = "p.html";
    in.bytes = page;
    in.n = sizeof page - 1;
    CHECK_EQ_INT(dy_doc_analyse_input(d, &in, "2020-01-01"), DY_OK);
    CHECK_EQ_STR(dy_doc_article(d)->date, "2020-01-01");
  }
  dy_doc_free(d);
}

void test_extract_html_charset(void)
{
  dy_doc *d = new_doc();
  const dy_article *a;
  CHECK(d != NULL);
  /* undeclared and not UTF-8: windows-1252, flagged */
  CHECK_EQ_INT(analyse_html(d,
                            "<html><body><p>Caf\xe9 \x93quoted\x94 "
                            "and more words in it.</p></body></html>",
                            NULL),
               DY_OK);
  a = dy_doc_article(d);
  CHECK_EQ_STR(a->charset, "windows-1252");
  CHECK(a->charset_guessed);
  CHECK_EQ_STR(
      a->text,
      "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d and more words in it.");
  /* declared in the HTTP header (container hint) */
  CHECK_EQ_INT(analyse_html(d, "<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>",
                            "text/html; charset=windows-1251"),
               DY_OK);
  a = dy_doc_article(d);
  CHECK_EQ_STR(a->charset, "windows-1251");
  CHECK(!a->charset_guessed);
  CHECK_EQ_STR(a->text, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  /* labelled latin-1 but valid UTF-8 */
  CHECK_EQ_INT(
      analyse_html(d, "<meta charset=iso-8859-1><p>Caf\xc3\xa9</p>", NULL),
      DY_OK);
  CHECK_EQ_STR(dy_doc_article(d)->text, "Caf\xc3\xa9");
  /* BOM */
  CHECK_EQ_INT(analyse_html(d, "\xef\xbb\xbf<p>Bom</p>", NULL), DY_OK);
  CHECK_EQ_STR(dy_doc_article(d)->text, "Bom");
  dy_doc_free(d);
}

void test_extract_html_deep(void)
{
  dy_doc *d = new_doc();
  dy_buf b;
  int i;
  CHECK(d != NULL);
  dy_buf_init(&b, 0);
  dy_buf_puts(&b, "<html><body>");
  for (i = 0; i < 200000; i++)
    dy_buf_puts(&b, "<div>");
  dy_buf_puts(&b, "<p>Deep text that is long enough to count as article "
                  "text, with a comma.</p></body></html>");
  CHECK(!b.failed);
  CHECK_EQ_INT(analyse_html(d, b.p, NULL), DY_OK);
  CHECK(dy_doc_article(d)->depth_capped);
  CHECK(strstr(dy_doc_article(d)->text, "Deep text") != NULL);
  dy_buf_fini(&b);
  /* empty page: a clear error */
  CHECK_EQ_INT(analyse_html(d, "<html><body></body></html>", NULL), DY_EEMPTY);
  dy_doc_free(d);
}

void test_extract_html_headline(void)
{
  static const struct {
    const char *html;
    const char *headline;
    const char *date;
  } cases[] = {
      {"<title>Big storm hits the coast - The Paper</title><p>x</p>",
       "Big storm hits the coast", ""},
      {"<title>Site | Big storm hits the coast tonight</title><p>x</p>",
       "Big storm hits the coast tonight", ""},
      {"<title>News</title><meta property=\"og:title\" content=\"OG wins\">"
       "<p>x</p>",
       "OG wins", ""},
      {"<script type=\"application/ld+json\">{\"headline\":\"LD \\u0026 "
       "more\",\"datePublished\":\"2024-06-19T10:00:00+09:00\"}</script>"
       "<p>x</p>",
       "LD & more", "2024-06-19"},
      {"<title>T</title><p><time datetime=\"2023-02-01\" pubdate>Feb 1</time>"
       "</p>",
       "T", "2023-02-01"},
      {"<title>T</title><meta name=\"date\" content=\"March 5, 2022\"><p>x</p>",
       "T", "2022-03-05"},
      {"<link rel=\"canonical\" href=\"https://e.com/2021/07/08/x\"><p>x</p>",
       "", "2021-07-08"},
  };
  dy_doc *d = new_doc();
  size_t i;
  CHECK(d != NULL);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_EQ_INT(analyse_html(d, cases[i].html, "text/html"), DY_OK);
    CHECK_EQ_STR(dy_doc_article(d)->headline, cases[i].headline);
    CHECK_EQ_STR(dy_doc_article(d)->date, cases[i].date);
  }
  dy_doc_free(d);
}

void test_extract_text_title_hint(void)
{
  dy_doc *d = new_doc();
  dy_input in;
  static const char t[] = "Friday, January 4, 2019\n\nThe council met.\n";
  CHECK(d != NULL);
  memset(&in, 0, sizeof in);
  in.name = "x.csv#1";
  in.bytes = t;
  in.n = sizeof t - 1;
  in.title = "Council meets";
  in.date = "2019-01-04";
  CHECK_EQ_INT(dy_doc_analyse_input(d, &in, NULL), DY_OK);
  /* the container's title is the headline; the first line stays text */
  CHECK_EQ_STR(dy_doc_article(d)->headline, "Council meets");
  CHECK(strncmp(dy_doc_article(d)->text, "Friday, January 4, 2019", 23) == 0);
  CHECK_EQ_STR(dy_doc_article(d)->date, "2019-01-04");
  dy_doc_free(d);
}
