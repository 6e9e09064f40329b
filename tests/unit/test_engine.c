/* SPDX-License-Identifier: MIT */
/* Tests of reading and coding: tokenizer, sentence splitter, article
 * structure (headline, dateline, headings, boilerplate), the dictionary
 * loader's error handling, and the coder's events and refusals. */
#include "test.h"

#include "dyad/dyad.h"
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static dy_engine *test_engine(const char *dir)
{
  dy_engine_opts o = {0};
  dy_engine *e = NULL;
  dy_err err;
  o.dict_dir = dir;
  if (dy_engine_open(&o, &e, &err) < 0) {
    fprintf(stderr, "  engine: %s\n", err.msg);
    return NULL;
  }
  return e;
}

/* Tokens of s as "tok|tok|tok". */
static void tokens_of(const char *s, char *out, size_t cap)
{
  dy_arena a;
  dy__tok *t;
  size_t n, i, used = 0;
  dy_arena_init(&a, 0);
  out[0] = '\0';
  if (dy__tokenize(&a, s, strlen(s), &t, &n) == DY_OK) {
    for (i = 0; i < n && used + t[i].len + 2 < cap; i++) {
      if (i)
        out[used++] = '|';
      memcpy(out + used, s + t[i].off, t[i].len);
      used += t[i].len;
      out[used] = '\0';
    }
  }
  dy_arena_fini(&a);
}

void test_tokenize(void)
{
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"Russia's veto", "Russia|'s|veto"},
      {"Russia\xe2\x80\x99s veto", "Russia|\xe2\x80\x99s|veto"},
      {"the U.S. and U.N.", "the|U.S.|and|U.N."},
      {"Mr. Kim met Dr. Lee.", "Mr.|Kim|met|Dr.|Lee|."},
      {"Kim Jong-un", "Kim|Jong|-|un"},
      {"don't stop", "do|n't|stop"}, /* EWT: clitics split */
      {"N1,117/Litre 3.5%", "N1|,|117|/|Litre|3.5|%"},
      {"1,117 people", "1,117|people"},
      {"\xe2\x80\x9cWe will,\xe2\x80\x9d he said",
       "\xe2\x80\x9c|We|will|,|\xe2\x80\x9d|he|said"},
      {"George W. Bush", "George|W.|Bush"},
      {"caf\xc3\xa9 \xc3\x97 x", "caf\xc3\xa9|\xc3\x97|x"},
      {"", ""},
  };
  char got[512];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tokens_of(cases[i].in, got, sizeof got);
    CHECK_EQ_STR(got, cases[i].want);
  }
}

static dy_doc *analyse(dy_engine *e, const char *text, const char *date)
{
  dy_doc *d = NULL;
  if (dy_doc_new(e, NULL, &d) < 0)
    return NULL;
  if (dy_doc_analyse(d, text, strlen(text), "t", date) < 0) {
    fprintf(stderr, "  analyse: %s\n", dy_doc_errmsg(d));
    dy_doc_free(d);
    return NULL;
  }
  return d;
}

static void sentence_text(const dy_article *a, size_t i, char *out,
                          size_t cap)
{
  size_t n = a->sents[i].len < cap - 1 ? a->sents[i].len : cap - 1;
  memcpy(out, a->text + a->sents[i].off, n);
  out[n] = '\0';
}

void test_article_structure(void)
{
  const char *text =
      "Leaders Meet in Geneva\n\n"
      "GENEVA/BERN, March 3, 2024 (dyad demo) \xe2\x80\x94 Mr. Smith arrived "
      "in the U.S. on Monday. He left again.\n\n"
      "Share post:\n\n"
      "A Section Heading\n\n"
      "The talks went on\nacross two lines. \xe2\x80\x9c" "Fine,\xe2\x80\x9d "
      "he said.\n\n"
      "Thank you for reading this post, don't forget to subscribe!\n\n"
      "More like this\n\n"
      "Unrelated teaser about markets\n";
  dy_engine *e = test_engine("tests/data/dict");
  dy_doc *d;
  const dy_article *a;
  char s[256];
  CHECK(e != NULL);
  d = analyse(e, text, NULL);
  CHECK(d != NULL);
  a = dy_doc_article(d);
  CHECK_EQ_STR(a->headline, "Leaders Meet in Geneva");
  CHECK_EQ_STR(a->date, "2024-03-03");
  CHECK_EQ_STR(a->places, "Geneva/Bern");
  CHECK_EQ_STR(a->agency, "dyad demo");
  CHECK_EQ_INT(a->nheadings, 1);
  CHECK_EQ_STR(a->headings[0], "A Section Heading");
  CHECK(strstr(a->text, "Share post") == NULL);
  CHECK(strstr(a->text, "subscribe") == NULL);
  CHECK(strstr(a->text, "teaser") == NULL);
  CHECK(strncmp(a->text, "Mr. Smith arrived", 17) == 0);
  CHECK_EQ_INT(a->nsents, 4);
  sentence_text(a, 0, s, sizeof s);
  CHECK_EQ_STR(s, "Mr. Smith arrived in the U.S. on Monday.");
  sentence_text(a, 2, s, sizeof s);
  CHECK_EQ_STR(s, "The talks went on across two lines.");
  sentence_text(a, 3, s, sizeof s);
  CHECK_EQ_STR(s, "\xe2\x80\x9c" "Fine,\xe2\x80\x9d he said.");
  CHECK(a->nboiler >= 4);
  /* an explicit date wins over the dateline */
  CHECK_EQ_INT(dy_doc_analyse(d, text, strlen(text), "t", "2020-01-02"),
               DY_OK);
  CHECK_EQ_STR(dy_doc_article(d)->date, "2020-01-02");
  CHECK_EQ_INT(dy_doc_analyse(d, text, strlen(text), "t", "2020-02-30"),
               DY_EINVAL);
  dy_doc_free(d);
  dy_engine_free(e);
}

void test_doc_rejects(void)
{
  dy_engine *e = test_engine("tests/data/dict");
  dy_doc *d = NULL;
  dy_doc_opts o = {0};
  static const char bin[] = "PK\x03\x04\x00\x00binary";
  char big[100];
  CHECK(e != NULL);
  o.max_bytes = 50;
  CHECK_EQ_INT(dy_doc_new(e, &o, &d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse(d, "", 0, "empty", NULL), DY_EEMPTY);
  CHECK_EQ_INT(dy_doc_analyse(d, " \n\t\n ", 5, "blank", NULL), DY_EEMPTY);
  CHECK_EQ_INT(dy_doc_analyse(d, bin, sizeof bin - 1, "bin", NULL),
               DY_EBINARY);
  memset(big, 'a', sizeof big);
  CHECK_EQ_INT(dy_doc_analyse(d, big, sizeof big, "big", NULL), DY_ETOOBIG);
  CHECK(strstr(dy_doc_errmsg(d), "cap") != NULL);
  /* invalid UTF-8 is repaired and counted, not refused */
  CHECK_EQ_INT(dy_doc_analyse(d, "ab\xff\xfe cd.", 8, "bad", NULL), DY_OK);
  CHECK_EQ_INT(dy_doc_article(d)->nbad_utf8, 2);
  CHECK(dy_utf8_valid(dy_doc_article(d)->text, dy_doc_article(d)->n));
  dy_doc_free(d);
  dy_engine_free(e);
}

/* Codes text and returns "SRC>TGT:CODE;..." for the events. */
static void events_of(dy_engine *e, const char *text, const char *date,
                      char *out, size_t cap)
{
  dy_doc *d = analyse(e, text, date);
  size_t i, used = 0;
  out[0] = '\0';
  if (d == NULL || dy_doc_code(d) < 0)
    goto out;
  for (i = 0; i < dy_doc_nevents(d); i++) {
    const dy_event *ev = dy_doc_event(d, i);
    int n = snprintf(out + used, cap - used, "%s%s>%s:%s", i ? ";" : "",
                     ev->source.code, ev->target.code, ev->code);
    if (n < 0 || (size_t)n >= cap - used)
      break;
    used += (size_t)n;
  }
out:
  dy_doc_free(d);
}

/* Sets token i of t (sentence at absolute index t0) from tags, relation
 * and head (sentence index, -1 root). */
static void set_tok(dy_token *t, int i, int upos, int xpos, int dep, int head,
                    int32_t t0)
{
  memset(&t[i], 0, sizeof t[i]);
  t[i].upos = (uint8_t)upos;
  t[i].xpos = (uint8_t)xpos;
  t[i].dep = (uint8_t)dep;
  t[i].head = head < 0 ? -1 : t0 + head;
}

void test_modal_adj_verb(void)
{
  dy_token t[6];
  const int32_t t0 = 10;
  /* "Arnor would free forty prisoners ." with the modal and "free" (JJ)
     both on the noun */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 4, t0);
  set_tok(t, 1, DY_UPOS_AUX, DY_XPOS_MD, DY_DEP_AUX, 4, t0);
  set_tok(t, 2, DY_UPOS_ADJ, DY_XPOS_JJ, DY_DEP_AMOD, 4, t0);
  set_tok(t, 3, DY_UPOS_NUM, DY_XPOS_CD, DY_DEP_NUMMOD, 4, t0);
  set_tok(t, 4, DY_UPOS_NOUN, DY_XPOS_NNS, DY_DEP_ROOT, -1, t0);
  set_tok(t, 5, DY_UPOS_PUNCT, DY_XPOS_PERIOD, DY_DEP_PUNCT, 4, t0);
  dy__modal_adj_verb(t, 6, t0);
  CHECK_EQ_INT(t[2].upos, DY_UPOS_VERB);
  CHECK_EQ_INT(t[2].xpos, DY_XPOS_VB);
  CHECK_EQ_INT(t[2].dep, DY_DEP_ROOT);
  CHECK_EQ_INT(t[2].head, -1);
  CHECK_EQ_INT(t[4].dep, DY_DEP_OBJ);
  CHECK_EQ_INT(t[4].head, t0 + 2);
  CHECK_EQ_INT(t[0].head, t0 + 2); /* the subject and modal move */
  CHECK_EQ_INT(t[1].head, t0 + 2);
  CHECK_EQ_INT(t[3].head, t0 + 4); /* "forty" stays on the noun */
  CHECK_EQ_INT(t[5].head, t0 + 2);
  /* "Arnor would free prisoners ." with "free" a predicate adjective
     carrying the modal and "prisoners" a bare oblique */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 2, t0);
  set_tok(t, 1, DY_UPOS_AUX, DY_XPOS_MD, DY_DEP_AUX, 2, t0);
  set_tok(t, 2, DY_UPOS_ADJ, DY_XPOS_JJ, DY_DEP_ROOT, -1, t0);
  set_tok(t, 3, DY_UPOS_NOUN, DY_XPOS_NNS, DY_DEP_OBL, 2, t0);
  set_tok(t, 4, DY_UPOS_PUNCT, DY_XPOS_PERIOD, DY_DEP_PUNCT, 2, t0);
  dy__modal_adj_verb(t, 5, t0);
  CHECK_EQ_INT(t[2].upos, DY_UPOS_VERB);
  CHECK_EQ_INT(t[3].dep, DY_DEP_OBJ);
  /* "Arnor would stay free" / "a free city": no modal right before the
     adjective, nothing changes */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 2, t0);
  set_tok(t, 1, DY_UPOS_AUX, DY_XPOS_MD, DY_DEP_AUX, 2, t0);
  set_tok(t, 2, DY_UPOS_VERB, DY_XPOS_VB, DY_DEP_ROOT, -1, t0);
  set_tok(t, 3, DY_UPOS_ADJ, DY_XPOS_JJ, DY_DEP_XCOMP, 2, t0);
  dy__modal_adj_verb(t, 4, t0);
  CHECK_EQ_INT(t[3].upos, DY_UPOS_ADJ);
  CHECK_EQ_INT(t[3].dep, DY_DEP_XCOMP);
  /* an adjective with a copula of its own stays the predicate, wherever
     the tree puts the copula */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 2, t0);
  set_tok(t, 1, DY_UPOS_AUX, DY_XPOS_MD, DY_DEP_AUX, 2, t0);
  set_tok(t, 2, DY_UPOS_ADJ, DY_XPOS_JJ, DY_DEP_ROOT, -1, t0);
  set_tok(t, 3, DY_UPOS_AUX, DY_XPOS_VB, DY_DEP_COP, 2, t0);
  dy__modal_adj_verb(t, 4, t0);
  CHECK_EQ_INT(t[2].upos, DY_UPOS_ADJ);
}

void test_comma_compound(void)
{
  dy_token t[9];
  const int32_t t0 = 3;
  /* "Arnor blamed Gondor , Rohan and Dale ." with "Gondor" a compound of
     "Rohan" across the comma */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 1, t0);
  set_tok(t, 1, DY_UPOS_VERB, DY_XPOS_VBD, DY_DEP_ROOT, -1, t0);
  set_tok(t, 2, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_COMPOUND, 4, t0);
  set_tok(t, 3, DY_UPOS_PUNCT, DY_XPOS_COMMA, DY_DEP_PUNCT, 4, t0);
  set_tok(t, 4, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_OBJ, 1, t0);
  set_tok(t, 5, DY_UPOS_CCONJ, DY_XPOS_CC, DY_DEP_CC, 6, t0);
  set_tok(t, 6, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_CONJ, 4, t0);
  set_tok(t, 7, DY_UPOS_PUNCT, DY_XPOS_PERIOD, DY_DEP_PUNCT, 1, t0);
  dy__comma_compound(t, 8, t0);
  CHECK_EQ_INT(t[2].dep, DY_DEP_OBJ); /* the first name heads the list */
  CHECK_EQ_INT(t[2].head, t0 + 1);
  CHECK_EQ_INT(t[4].dep, DY_DEP_CONJ);
  CHECK_EQ_INT(t[4].head, t0 + 2);
  CHECK_EQ_INT(t[6].head, t0 + 2); /* and so does every conjunct */
  CHECK_EQ_INT(t[3].head, t0 + 4);
  /* "the New York office": a compound without a comma stays */
  set_tok(t, 0, DY_UPOS_DET, DY_XPOS_DT, DY_DEP_DET, 3, t0);
  set_tok(t, 1, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_COMPOUND, 2, t0);
  set_tok(t, 2, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_COMPOUND, 3, t0);
  set_tok(t, 3, DY_UPOS_NOUN, DY_XPOS_NN, DY_DEP_ROOT, -1, t0);
  dy__comma_compound(t, 4, t0);
  CHECK_EQ_INT(t[1].dep, DY_DEP_COMPOUND);
  CHECK_EQ_INT(t[2].head, t0 + 3);
  /* "Gondor , said Arnor , Rohan": a comma, but a word between hangs
     outside the phrase */
  set_tok(t, 0, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_COMPOUND, 5, t0);
  set_tok(t, 1, DY_UPOS_PUNCT, DY_XPOS_COMMA, DY_DEP_PUNCT, 2, t0);
  set_tok(t, 2, DY_UPOS_VERB, DY_XPOS_VBD, DY_DEP_ROOT, -1, t0);
  set_tok(t, 3, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_NSUBJ, 2, t0);
  set_tok(t, 4, DY_UPOS_PUNCT, DY_XPOS_COMMA, DY_DEP_PUNCT, 5, t0);
  set_tok(t, 5, DY_UPOS_PROPN, DY_XPOS_NNP, DY_DEP_OBJ, 2, t0);
  dy__comma_compound(t, 6, t0);
  CHECK_EQ_INT(t[0].dep, DY_DEP_COMPOUND);
  CHECK_EQ_INT(t[0].head, t0 + 5);
}

void test_code_events(void)
{
  static const struct {
    const char *text, *date, *want;
  } cases[] = {
      /* composite actors and a pattern with $ */
      {"Russian President Vladimir Putin signed a pact with North Korean "
       "leader Kim Jong Un.",
       "2024-06-19", "RUSGOV>PRKGOV:057"},
      /* dated roles: Putin was prime minister (still GOV) in 2010 */
      {"Vladimir Putin met Kim Jong Un.", "2010-01-01", "RUSGOV>PRKELI:040"},
      {"Putin met Kim in Moscow.", "2019-04-25", ""},
      {"Vladimir Putin met Kim Jong Un in Vladivostok.", "2019-04-25",
       "RUSGOV>PRKGOV:040"},
      /* lists give one event per member */
      {"The Kremlin chief accused the U.S., South Korea, and Japan of "
       "staging provocative drills.",
       "2024-06-19", "RUSGOV>USA:112;RUSGOV>KOR:112;RUSGOV>JPN:112"},
      {"Both Russia and North Korea swiftly denied U.S. allegations about "
       "arms deliveries.",
       "2024-06-19", "RUS>USA:016;PRK>USA:016"},
      /* refusals: modality, negation, conditionals, questions, nouns */
      {"Russia could sign a pact with Japan.", "2024-06-19", ""},
      {"Russia did not sign a pact with Japan.", "2024-06-19", ""},
      {"If Russia attacks Ukraine, NATO will respond.", "2024-06-19", ""},
      {"Did Russia attack Ukraine?", "2024-06-19", ""},
      {"Russia is unlikely to attack Ukraine.", "2024-06-19", ""},
      {"The attack on Ukraine by Russia was condemned.", "2024-06-19", ""},
      {"Ukraine was attacked by Russia.", "2024-06-19", ""},
      /* surnames resolve to the person named in full earlier */
      {"Volodymyr Zelensky spoke. Later, Zelensky met NATO officials.",
       "2024-06-19", "UKRGOV>IGOWSTNAT:040"},
      /* the subject of a complement clause is the source */
      {"Japan said that Russia attacked Ukraine.", "2024-06-19",
       "RUS>UKR:190"},
  };
  dy_engine *e = test_engine("tests/data/dict");
  char got[512];
  size_t i;
  CHECK(e != NULL);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    events_of(e, cases[i].text, cases[i].date, got, sizeof got);
    if (strcmp(got, cases[i].want) != 0)
      fprintf(stderr, "  case %zu: %s\n", i, cases[i].text);
    CHECK_EQ_STR(got, cases[i].want);
  }
  dy_engine_free(e);
}

void test_dict_errors(void)
{
  char dir[] = "/tmp/dyad-test-dict-XXXXXX";
  char path[256], cmd[512];
  static const char *const files[] = {"cameo.tsv", "actors.dict",
                                      "people.dict", "agents.dict"};
  dy_engine_opts o = {0};
  dy_engine *e = NULL;
  dy_engine_stats st;
  dy_err err;
  FILE *f;
  size_t i;
  CHECK(mkdtemp(dir) != NULL);
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(cmd, sizeof cmd, "cp -L tests/data/dict/%s %s/", files[i], dir);
    CHECK(system(cmd) == 0);
  }
  snprintf(path, sizeof path, "%s/verbs.dict", dir);
  f = fopen(path, "w");
  CHECK(f != NULL);
  fputs("@dyad-dict 1\n"
        "code 999 no such code\n"
        "  pattern: SIGN\n"
        "code 057 sign\n"
        "  pattern: lower case only\n"
        "  pattern: (unbalanced\n"
        "  pattern: SIGN * (pact|treaty) with $\n"
        "  pattern: the SIGN\n"
        "  nonsense\n"
        "weird record\n",
        f);
  fclose(f);
  o.dict_dir = dir;
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_OK);
  dy_engine_stats_get(e, &st);
  CHECK_EQ_INT(st.patterns, 1);
  CHECK_EQ_INT(st.bad_lines, 6);
  dy_engine_free(e);
  o.strict = 1;
  CHECK(dy_engine_open(&o, &e, &err) == DY_EFORMAT);
  CHECK(strstr(err.msg, "verbs.dict:2:") != NULL);
  /* wrong version and missing header */
  f = fopen(path, "w");
  CHECK(f != NULL);
  fputs("@dyad-dict 7\n", f);
  fclose(f);
  o.strict = 0;
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_EVERSION);
  f = fopen(path, "w");
  CHECK(f != NULL);
  fputs("code 057 x\n", f);
  fclose(f);
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_EFORMAT);
  CHECK(strstr(err.msg, "verbs.dict:1:") != NULL);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
}

/* The seed article with the project's own dictionaries: the root event. */
void test_pact_article(void)
{
  char path[512];
  dy_buf buf;
  dy_err err;
  dy_engine *e;
  dy_doc *d = NULL;
  const dy_article *a;
  const dy_event *ev = NULL;
  size_t i;
  if (dy_test_shared() == NULL) {
    dy_test_skip("../shared is absent");
    return;
  }
  snprintf(path, sizeof path, "%s/examples/pact-article.txt",
           dy_test_shared());
  dy_buf_init(&buf, 0);
  CHECK_EQ_INT(dy_file_read(path, 0, &buf, &err), DY_OK);
  e = test_engine(dy_test_data());
  CHECK(e != NULL);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse(d, buf.p, buf.n, path, "2024-06-19"), DY_OK);
  CHECK_EQ_INT(dy_doc_code(d), DY_OK);
  a = dy_doc_article(d);
  for (i = 0; i < dy_doc_nevents(d); i++) {
    const dy_event *x = dy_doc_event(d, i);
    if (x->sentence == 0 && strcmp(x->code, "057") == 0 &&
        strcmp(x->source.country, "RUS") == 0 &&
        strcmp(x->target.country, "PRK") == 0)
      ev = x;
  }
  CHECK(ev != NULL);
  CHECK(strstr(a->text + ev->source.off, "Putin") ==
        a->text + ev->source.off + (ev->source.len - 5));
  CHECK(strncmp(a->text + ev->verb.off, "signed", ev->verb.len) == 0);
  CHECK(strncmp(a->text + ev->target.off + ev->target.len - 11,
                "Kim Jong Un", 11) == 0);
  /* no event from the boilerplate or the teasers */
  CHECK(strstr(a->text, "More like this") == NULL);
  CHECK(strstr(a->text, "subscribe") == NULL);
  dy_doc_free(d);
  dy_engine_free(e);
  dy_buf_fini(&buf);
}

/* Allocation failures while loading and coding end in DY_ENOMEM, never a
 * crash; run under ASan this also checks for leaks on every path. */
void test_engine_oom(void)
{
  const char *text = "Russian President Vladimir Putin signed a pact with "
                     "North Korean leader Kim Jong Un.";
  long k;
  int ok_seen = 0;
  for (k = 1; k < 2000 && !ok_seen; k += 7) {
    dy_engine_opts o = {0};
    dy_engine *e = NULL;
    dy_doc *d = NULL;
    dy_err err;
    int rc;
    o.dict_dir = "tests/data/dict";
    dy_alloc_fail_after(k);
    rc = dy_engine_open(&o, &e, &err);
    if (rc == DY_OK) {
      rc = dy_doc_new(e, NULL, &d);
      if (rc == DY_OK) {
        rc = dy_doc_analyse(d, text, strlen(text), "t", "2024-06-19");
        if (rc == DY_OK)
          rc = dy_doc_code(d);
        if (rc == DY_OK)
          ok_seen = 1;
      }
    }
    dy_alloc_fail_after(0);
    CHECK(rc == DY_OK || rc == DY_ENOMEM);
    dy_doc_free(d);
    dy_engine_free(e);
  }
  CHECK(ok_seen);
}

/* Discards (sentence and story scope) and issue codes on events. */
void test_code_discards_issues(void)
{
  char dir[] = "/tmp/dyad-test-disc-XXXXXX";
  char path[256], cmd[512], got[512];
  static const char *const files[] = {"cameo.tsv", "actors.dict",
                                      "people.dict", "agents.dict",
                                      "verbs.dict"};
  dy_engine *e;
  dy_doc *d = NULL;
  dy_engine_stats st;
  FILE *f;
  size_t i;
  const char *text;
  CHECK(mkdtemp(dir) != NULL);
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(cmd, sizeof cmd, "cp -L tests/data/dict/%s %s/", files[i], dir);
    CHECK(system(cmd) == 0);
  }
  snprintf(path, sizeof path, "%s/discards.dict", dir);
  CHECK((f = fopen(path, "w")) != NULL);
  fputs("@dyad-dict 1\n"
        "discard GAME Games\n"
        "  names: chess match\n"
        "discard AWARDS Awards\n"
        "  scope: story\n"
        "  names: box office\n"
        "discard BAD Scope after names\n"
        "  names: quiz night\n"
        "  scope: story\n",
        f);
  fclose(f);
  snprintf(path, sizeof path, "%s/issues.dict", dir);
  CHECK((f = fopen(path, "w")) != NULL);
  fputs("@dyad-dict 1\n"
        "issue NUCLEAR Nuclear weapons\n"
        "  names: warhead; nuclear weapons\n"
        "issue ARMS Arms\n"
        "  names: missiles\n",
        f);
  fclose(f);
  e = test_engine(dir);
  CHECK(e != NULL);
  dy_engine_stats_get(e, &st);
  CHECK_EQ_INT(st.discards, 3);
  CHECK_EQ_INT(st.issues, 3);
  CHECK_EQ_INT(st.bad_lines, 1); /* the late scope line */
  /* a sentence-scope discard drops only its sentence */
  events_of(e, "Russia attacked Ukraine in a chess match. Russia attacked "
               "Ukraine.",
            "2024-06-19", got, sizeof got);
  CHECK_EQ_STR(got, "RUS>UKR:190");
  /* a story-scope discard anywhere drops the document's events */
  events_of(e, "Russia attacked Ukraine. The film topped the box office.",
            "2024-06-19", got, sizeof got);
  CHECK_EQ_STR(got, "");
  /* issues travel with the sentence's events, each code once */
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  text = "Russia attacked Ukraine with missiles carrying a warhead and "
         "more missiles.";
  CHECK_EQ_INT(dy_doc_analyse(d, text, strlen(text), "t", "2024-06-19"),
               DY_OK);
  CHECK_EQ_INT(dy_doc_code(d), DY_OK);
  CHECK_EQ_INT(dy_doc_nevents(d), 1);
  CHECK_EQ_STR(dy_doc_event(d, 0)->issues, "ARMS;NUCLEAR");
  CHECK(dy_doc_event(d, 0)->root_event);
  dy_doc_free(d);
  dy_engine_free(e);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
}
