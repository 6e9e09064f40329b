/* SPDX-License-Identifier: MIT */
/* Tests of the quote-mark scanner, the gazetteer, quotes with speakers,
 * entities and event geography (src/lib/quotes.c, geo.c, facts.c). Texts
 * are written by the project; the seed article is read from ../shared. */
#include "test.h"

#include "dyad/dyad.h"

#include <math.h>
#include <stdlib.h>

static dy_engine *open_engine(void)
{
  dy_engine_opts o = {0};
  dy_engine *e = NULL;
  dy_err err;
  o.dict_dir = dy_test_data();
  if (dy_engine_open(&o, &e, &err) < 0) {
    fprintf(stderr, "  engine: %s\n", err.msg);
    return NULL;
  }
  return e;
}

/* The quoted bytes of span i as a NUL-terminated copy in buf. */
static const char *span_text(const char *s, const dy_qspan *q, char *buf,
                             size_t cap)
{
  size_t n = q->len < cap - 1 ? q->len : cap - 1;
  memcpy(buf, s + q->off, n);
  buf[n] = '\0';
  return buf;
}

void test_quote_spans(void)
{
  dy_qspan sp[8];
  char b[256];
  const char *s;
  size_t n;
  /* curly, interrupted by the attribution */
  s = "\xe2\x80\x9cWe will go,\xe2\x80\x9d Ivanov said, \xe2\x80\x9c"
      "and soon.\xe2\x80\x9d";
  n = dy_quote_spans(s, strlen(s), sp, 8);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_STR(span_text(s, &sp[0], b, sizeof b),
               "\xe2\x80\x9cWe will go,\xe2\x80\x9d");
  CHECK_EQ_STR(span_text(s, &sp[1], b, sizeof b), "\xe2\x80\x9c"
                                                  "and soon.\xe2\x80\x9d");
  /* straight quotes, an apostrophe inside, inches outside */
  s = "He said \"it's fine\" and left. A 12\" pipe.";
  n = dy_quote_spans(s, strlen(s), sp, 8);
  CHECK_EQ_INT(n, 1);
  CHECK_EQ_STR(span_text(s, &sp[0], b, sizeof b), "\"it's fine\"");
  /* guillemets and single curly quotes with an apostrophe inside */
  s = "\xc2\xab"
      "Bonjour\xc2\xbb, then \xe2\x80\x98we don\xe2\x80\x99t "
      "know\xe2\x80\x99 he said.";
  n = dy_quote_spans(s, strlen(s), sp, 8);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_STR(span_text(s, &sp[0], b, sizeof b), "\xc2\xab"
                                                  "Bonjour\xc2\xbb");
  CHECK_EQ_STR(span_text(s, &sp[1], b, sizeof b),
               "\xe2\x80\x98we don\xe2\x80\x99t know\xe2\x80\x99");
  /* a quote over two paragraphs: the first has no closing mark */
  s = "\xe2\x80\x9c"
      "First part.\n\n\xe2\x80\x9cSecond part,\xe2\x80\x9d "
      "she said.";
  n = dy_quote_spans(s, strlen(s), sp, 8);
  CHECK_EQ_INT(n, 1);
  CHECK_EQ_INT(sp[0].unclosed, 0);
  CHECK_EQ_INT(sp[0].off, 0);
  CHECK(strstr(span_text(s, &sp[0], b, sizeof b), "Second part,") != NULL);
  /* unbalanced: ends at the paragraph, flagged */
  s = "\xe2\x80\x9cNever closed here.\n\nNext paragraph.";
  n = dy_quote_spans(s, strlen(s), sp, 8);
  CHECK_EQ_INT(n, 1);
  CHECK_EQ_INT(sp[0].unclosed, 1);
  CHECK_EQ_STR(span_text(s, &sp[0], b, sizeof b),
               "\xe2\x80\x9cNever closed here.");
  /* a stray closer opens nothing; counting without storage */
  s = "odd\xe2\x80\x9d text \" \"";
  CHECK(dy_quote_spans(s, strlen(s), NULL, 0) <= 1);
  CHECK_EQ_INT(dy_quote_spans("", 0, sp, 8), 0);
}

void test_quote_spans_large(void)
{
  size_t n = (size_t)1 << 20, i;
  char *s = malloc(n + 8);
  dy_qspan sp[2];
  CHECK(s != NULL);
  memcpy(s, "\xe2\x80\x9c", 3);
  for (i = 3; i < n; i++)
    s[i] = (i % 7 == 0) ? ' ' : 'a';
  /* no closing mark in 1 MiB: one unclosed span, bounded */
  CHECK_EQ_INT(dy_quote_spans(s, n, sp, 2), 1);
  CHECK_EQ_INT(sp[0].unclosed, 1);
  CHECK(sp[0].len <= n);
  memcpy(s + n - 3, "\xe2\x80\x9d", 3);
  CHECK_EQ_INT(dy_quote_spans(s, n, sp, 2), 1);
  CHECK_EQ_INT(sp[0].unclosed, 0);
  CHECK_EQ_INT(sp[0].len, n);
  /* a million opening marks: counted, only cap stored */
  for (i = 0; i + 1 < n; i += 2) {
    s[i] = '"';
    s[i + 1] = ' ';
  }
  CHECK(dy_quote_spans(s, n, sp, 2) > 2);
  free(s);
}

static const char countries_tsv[] =
    "# test crosswalk\n"
    "FR\tFRA\tFRA\tFR\tFrance\tParis\t48.86\t2.35\n"
    "US\tUSA\tUSA\tUS\tUnited States\tWashington\t38.90\t-77.04\n"
    "GE\tGEO\tGEO\tGG\tGeorgia\tTbilisi\t41.72\t44.78\n"
    "bad line\n"
    "XX\tXXX\tXXX\tXX\tNowhere\tNone\t123\t0\n";

static const char places_tsv[] =
    "C\tParis\tFR\t\tIle-de-France\t48.85\t2.35\t2000000\n"
    "C\tParis\tUS\tUS-TX\tTexas\t33.66\t-95.56\t25000\n"
    "S\tGeorgia\tUS\tUS-GA\tGeorgia\t33.0\t-83.5\t0\n"
    "S\tTexas\tUS\tUS-TX\tTexas\t31.0\t-97.5\t0\n"
    "C\tS\xc3\xa3o Tom\xc3\xa9\tFR\t\t\t0.34\t6.73\t70000\n"
    "C\ttoo\tfew\n"
    "Q\tOdd\tFR\t\t\t1\t1\t1\n";

static const char zones_tab[] = "FR\t+4852+00220\tEurope/Paris\n"
                                "US\t+404251-0740023\tAmerica/New_York\n"
                                "US\tbogus\tAmerica/X\n";

void test_gazetteer(void)
{
  dy_gazetteer *g = NULL;
  dy_err err;
  size_t nbad = 0, out[4], k;
  const char *us_first[] = {"USA"};
  const dy_place *p;
  dy_geo geo;
  CHECK_EQ_INT(dy_gazetteer_new(&g), DY_OK);
  CHECK_EQ_INT(dy_gazetteer_add(g, "countries", countries_tsv,
                                strlen(countries_tsv), "c.tsv", &nbad, &err),
               DY_OK);
  CHECK_EQ_INT(nbad, 2);
  CHECK(strstr(err.msg, "c.tsv:5") != NULL);
  CHECK_EQ_INT(dy_gazetteer_add(g, "places", places_tsv, strlen(places_tsv),
                                "p.tsv", &nbad, &err),
               DY_OK);
  CHECK_EQ_INT(nbad, 4);
  CHECK_EQ_INT(dy_gazetteer_add(g, "zones", zones_tab, strlen(zones_tab),
                                "z.tab", &nbad, &err),
               DY_OK);
  CHECK_EQ_INT(nbad, 5);
  CHECK_EQ_INT(dy_gazetteer_finish(g), DY_OK);
  CHECK_EQ_INT(dy_gazetteer_add(g, "nonsense", "", 0, "x", &nbad, &err),
               DY_EINVAL);
  CHECK_EQ_INT(dy_gazetteer_ncountries(g), 3);
  CHECK_EQ_INT(dy_gazetteer_country_by_code(g, "GG") < 0, 1); /* FIPS no */
  CHECK(dy_gazetteer_country_by_code(g, "FRA") >= 0);
  /* Paris: the French capital, even with a US prior */
  k = dy_gazetteer_lookup(g, "PARIS", 5, us_first, 1, out, 4);
  CHECK_EQ_INT(k, 2);
  p = dy_gazetteer_place(g, out[0]);
  CHECK_EQ_STR(dy_gazetteer_country(g, (size_t)p->country)->iso2, "FR");
  CHECK_EQ_INT(p->capital, 1);
  dy_gazetteer_geo(g, out[0], -1, &geo);
  CHECK_EQ_INT(geo.type, 4);
  CHECK_EQ_STR(geo.fips, "FR");
  CHECK_EQ_STR(geo.iso3, "FRA");
  /* Georgia: the country, unless the document is set in the US */
  k = dy_gazetteer_lookup(g, "Georgia", 7, NULL, 0, out, 4);
  CHECK_EQ_INT(k, 2);
  CHECK_EQ_INT(dy_gazetteer_place(g, out[0])->kind, DY_PLACE_COUNTRY);
  k = dy_gazetteer_lookup(g, "Georgia", 7, us_first, 1, out, 4);
  CHECK_EQ_INT(dy_gazetteer_place(g, out[0])->kind, DY_PLACE_ADM1);
  dy_gazetteer_geo(g, out[0], -1, &geo);
  CHECK_EQ_INT(geo.type, 2);
  CHECK_EQ_STR(geo.adm1, "US-GA");
  CHECK_EQ_STR(geo.feature, "US-GA");
  /* accents folded; tzdata cities with ISO 6709 seconds */
  CHECK_EQ_INT(dy_gazetteer_lookup(g, "Sao Tome", 8, NULL, 0, out, 4), 1);
  CHECK_EQ_INT(dy_gazetteer_lookup(g, "new york", 8, NULL, 0, out, 4), 1);
  p = dy_gazetteer_place(g, out[0]);
  CHECK(fabs(p->lat - 40.7142) < 0.01 && fabs(p->lon + 74.0064) < 0.01);
  /* Washington: the capital is added from the crosswalk */
  CHECK_EQ_INT(dy_gazetteer_lookup(g, "Washington", 10, NULL, 0, out, 4), 1);
  CHECK_EQ_INT(dy_gazetteer_place(g, out[0])->capital, 1);
  /* non-Latin names are kept, looked up byte for byte */
  CHECK_EQ_INT(
      dy_gazetteer_lookup(g, "\xd0\x9c\xd0\xbe\xd1\x81", 6, NULL, 0, out, 4),
      0);
  dy_gazetteer_free(g);
}

static double km(double la1, double lo1, double la2, double lo2)
{
  const double r = 3.14159265358979 / 180;
  double a = sin((la2 - la1) * r / 2) * sin((la2 - la1) * r / 2) +
             cos(la1 * r) * cos(la2 * r) * sin((lo2 - lo1) * r / 2) *
                 sin((lo2 - lo1) * r / 2);
  return 6371 * 2 * asin(sqrt(a));
}

/* A story written for this test: attribution after, before and around the
 * quote, a surname and a pronoun resolved, an affiliation, indirect
 * speech, a capital city as the place of the event. */
static const char story[] =
    "Pact in the east\n\n"
    "Helga Brandtner, a professor at Vienna Technical University, said "
    "the accord was fragile.\n\n"
    "\xe2\x80\x9cIt will not hold for long,\xe2\x80\x9d Brandtner said, "
    "\xe2\x80\x9cnot without money.\xe2\x80\x9d\n\n"
    "She added: \xe2\x80\x9cNobody in Vienna wants another winter like "
    "the last one.\xe2\x80\x9d\n\n"
    "Tensions rose in Kharkiv, according to local officials who asked "
    "not to be named.\n\n"
    "\xe2\x80\x9cThe talks in Vienna failed,\xe2\x80\x9d Vladimir Putin "
    "told reporters.";

void test_facts_story(void)
{
  dy_engine *e = open_engine();
  dy_doc *d = NULL;
  const dy_quote *q;
  size_t i, nq, direct = 0, places = 0;
  int found_brandtner_ent = 0;
  CHECK(e != NULL);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  CHECK_EQ_INT(
      dy_doc_analyse(d, story, sizeof story - 1, "story", "2024-06-19"), DY_OK);
  CHECK_EQ_INT(dy_doc_facts(d), DY_OK);
  CHECK_EQ_INT(dy_doc_facts(d), DY_OK); /* idempotent */
  nq = dy_doc_nquotes(d);
  CHECK(nq >= 5);
  for (i = 0; i < nq; i++) {
    const dy_article *a = dy_doc_article(d);
    q = dy_doc_quote(d, i);
    CHECK(q->off + q->len <= a->n);
    CHECK(q->qoff >= q->off && q->qoff + q->qlen <= q->off + q->len);
    if (!q->direct)
      continue;
    direct++;
    if (direct <= 3) {
      CHECK_EQ_STR(q->speaker, "Helga Brandtner");
      CHECK_EQ_STR(q->affiliation, "Vienna Technical University");
    }
    if (direct == 3)
      CHECK(q->pronoun);
    if (direct == 4) {
      CHECK_EQ_STR(q->speaker, "Vladimir Putin");
      CHECK_EQ_STR(q->code, "RUSGOV");
      CHECK_EQ_STR(q->cue, "told");
    }
  }
  CHECK_EQ_INT(direct, 4);
  /* indirect: "said the accord …" and "according to local officials" */
  for (i = 0; i < nq; i++) {
    q = dy_doc_quote(d, i);
    if (!q->direct && strcmp(q->cue, "according to") == 0)
      CHECK_EQ_STR(q->speaker, "local officials");
  }
  for (i = 0; i < dy_doc_nentities(d); i++) {
    const dy_entity *en = dy_doc_entity(d, i);
    if (en->type == DY_ENT_PERSON && strcmp(en->name, "Helga Brandtner") == 0)
      found_brandtner_ent = 1;
    if (en->type == DY_ENT_PLACE && en->geo.type == 4 &&
        strcmp(en->geo.iso2, "AT") == 0) {
      places++;
      CHECK(km(en->geo.lat, en->geo.lon, 48.21, 16.37) < 50);
    }
  }
  CHECK(found_brandtner_ent);
  CHECK(places >= 2);
  CHECK(strstr(dy_doc_countries(d), "RUS") != NULL);
  dy_doc_free(d);
  dy_engine_free(e);
}

void test_facts_bounded(void)
{
  dy_engine *e = open_engine();
  dy_doc *d = NULL;
  dy_buf b;
  size_t i;
  CHECK(e != NULL);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  /* a 1 MiB quotation without a closing mark, then names in Cyrillic,
   * Chinese and Arabic with quote marks of every kind unbalanced */
  dy_buf_init(&b, 0);
  dy_buf_puts(&b, "Opening line of the test\n\n\xe2\x80\x9c");
  for (i = 0; b.n < ((size_t)1 << 20); i++)
    dy_buf_puts(&b, i % 9 == 8 ? "Word. " : "word ");
  dy_buf_puts(&b, "\n\n\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xbc"
                  "\xd0\xb8\xd1\x80 \xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd "
                  "said \xc2\xab\xe4\xb9\xa0\xe8\xbf\x91\xe5\xb9\xb3 "
                  "\"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xe2\x80\x98 "
                  "\xe2\x80\x9d \xe2\x80\x99 \xc2\xbb \" \xe2\x80\x9e");
  CHECK(!b.failed);
  CHECK_EQ_INT(dy_doc_analyse(d, b.p, b.n, "big", "2024-06-19"), DY_OK);
  CHECK_EQ_INT(dy_doc_facts(d), DY_OK);
  CHECK(dy_doc_nquotes(d) >= 1);
  CHECK(dy_doc_quote(d, 0)->unclosed);
  CHECK(dy_doc_quote(d, 0)->len > 1000000);
  for (i = 0; i < dy_doc_nentities(d); i++) {
    const dy_entity *en = dy_doc_entity(d, i);
    CHECK(en->off + en->len <= dy_doc_article(d)->n);
  }
  {
    dy_buf j;
    dy_buf_init(&j, 0);
    for (i = 0; i < dy_doc_nquotes(d); i++) {
      dy_buf_reset(&j);
      CHECK_EQ_INT(dy_quote_json(d, dy_doc_quote(d, i), &j), DY_OK);
      CHECK(dy_utf8_valid(j.p, j.n));
    }
    dy_buf_fini(&j);
  }
  dy_buf_fini(&b);
  /* plain bodies keep the input's offsets */
  CHECK_EQ_INT(dy_doc_analyse_plain(d, "A \"b c\" d.", 10, "p", NULL), DY_OK);
  CHECK_EQ_INT(dy_doc_facts(d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse_plain(d, "\n\n", 2, "p", NULL), DY_EEMPTY);
  dy_doc_free(d);
  dy_engine_free(e);
}

void test_facts_seed(void)
{
  char path[512];
  dy_buf buf;
  dy_err err;
  dy_engine *e;
  dy_doc *d = NULL;
  size_t i;
  int lukin = 0, pardo = 0, rinna = 0, putin = 0, kim = 0, moscow = 0,
      seoul = 0, ev_geo = 0;
  static const char *const cc[] = {"RUS", "PRK", "KOR", "JPN",
                                   "USA", "CHN", "BLR", "UKR"};
  if (dy_test_shared() == NULL) {
    dy_test_skip("../shared is absent");
    return;
  }
  snprintf(path, sizeof path, "%s/examples/pact-article.txt", dy_test_shared());
  dy_buf_init(&buf, 0);
  CHECK_EQ_INT(dy_file_read(path, 0, &buf, &err), DY_OK);
  e = open_engine();
  CHECK(e != NULL);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse(d, buf.p, buf.n, path, "2024-06-19"), DY_OK);
  CHECK_EQ_INT(dy_doc_code(d), DY_OK);
  for (i = 0; i < dy_doc_nquotes(d); i++) {
    const dy_quote *q = dy_doc_quote(d, i);
    if (!q->direct)
      continue;
    if (strcmp(q->speaker, "Artyom Lukin") == 0 &&
        strcmp(q->affiliation, "Far Eastern Federal University") == 0)
      lukin++;
    if (strcmp(q->speaker, "Ramon Pacheco Pardo") == 0 &&
        strstr(q->affiliation, "College London") != NULL)
      pardo++;
    if (strcmp(q->speaker, "Anthony Rinna") == 0 &&
        strcmp(q->affiliation, "Sino-NK") == 0)
      rinna++;
  }
  CHECK_EQ_INT(lukin, 1);
  CHECK_EQ_INT(pardo, 1);
  CHECK_EQ_INT(rinna, 1);
  for (i = 0; i < dy_doc_nentities(d); i++) {
    const dy_entity *en = dy_doc_entity(d, i);
    if (strcmp(en->name, "Vladimir Putin") == 0)
      putin += strcmp(en->code, "RUSGOV") == 0 ? 1 : -100;
    if (strcmp(en->name, "Kim Jong Un") == 0)
      kim += strcmp(en->code, "PRKGOV") == 0 ? 1 : -100;
  }
  CHECK(putin > 0 && kim > 0);
  for (i = 0; i < dy_doc_ndateline_geo(d); i++) {
    const dy_geo *g = dy_doc_dateline_geo(d, i);
    if (strcmp(g->iso2, "RU") == 0 && km(g->lat, g->lon, 55.756, 37.617) < 50)
      moscow = 1;
    if (strcmp(g->iso2, "KR") == 0 && km(g->lat, g->lon, 37.566, 126.978) < 50)
      seoul = 1;
  }
  CHECK(moscow && seoul);
  for (i = 0; i < sizeof cc / sizeof cc[0]; i++)
    CHECK(strstr(dy_doc_countries(d), cc[i]) != NULL);
  for (i = 0; i < dy_doc_nevents(d); i++)
    if (dy_doc_event(d, i)->action_geo.type > 0)
      ev_geo++;
  CHECK_EQ_INT(ev_geo, (int)dy_doc_nevents(d));
  dy_doc_free(d);
  dy_engine_free(e);
  dy_buf_fini(&buf);
}
