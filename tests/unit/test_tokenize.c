/* SPDX-License-Identifier: MIT */
/* Tokenizer, sentence splitter and lemmatizer: EWT-style tokens for a table
 * of written cases, offsets, sentence cues, the length cap and hostile
 * inputs (long runs, control bytes, mixed scripts), and lemma rules. */
#include "test.h"

#include "dyad/dyad.h"

#include <stdlib.h>

/* Tokens of s joined by '|'. */
static const char *toks_of(dy_doc *d, const char *s, char *out, size_t cap)
{
  const dy_article *a;
  size_t i, n = 0;
  out[0] = '\0';
  if (dy_doc_tokenize(d, s, strlen(s), "t") < 0)
    return "(error)";
  a = dy_doc_article(d);
  for (i = 0; i < a->ntoks && n + a->toks[i].len + 2 < cap; i++) {
    if (i)
      out[n++] = '|';
    memcpy(out + n, a->text + a->toks[i].off, a->toks[i].len);
    n += a->toks[i].len;
  }
  out[n] = '\0';
  return out;
}

void test_tok_table(void)
{
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"Russia's veto", "Russia|'s|veto"},
      {"They didn't go.", "They|did|n't|go|."},
      {"I can't, we won't", "I|ca|n't|,|we|wo|n't"},
      {"you cannot", "you|can|not"},
      {"we're I'm they'll she'd we've", "we|'re|I|'m|they|'ll|she|'d|we|'ve"},
      {"Russia\xE2\x80\x99s", "Russia|\xE2\x80\x99s"},
      {"gonna wanna", "gon|na|wan|na"},
      {"O'Brien o'clock", "O'Brien|o'clock"},
      {"Mr. Smith met Dr. Jones", "Mr.|Smith|met|Dr.|Jones"},
      {"the U.S. and e.g. this", "the|U.S.|and|e.g.|this"},
      {"George W. Bush", "George|W.|Bush"},
      {"a 15-year term", "a|15|-|year|term"},
      {"e-mail non-Arab re-run", "e-mail|non-Arab|re-run"},
      {"call 713-853-3989 at 1:30 on 02/13/2001",
       "call|713-853-3989|at|1:30|on|02/13/2001"},
      {"$1,200.50 and 3.5%", "$|1,200.50|and|3.5|%"},
      {"see http://example.org/a-b?c=1, ok",
       "see|http://example.org/a-b?c=1|,|ok"},
      {"mail <me@example.com>.", "mail|<|me@example.com|>|."},
      {"open notes.pdf now", "open|notes.pdf|now"},
      {"wait... what?! -- no", "wait|...|what|?!|--|no"},
      {"great :-) thanks", "great|:-)|thanks"},
      {"\"Quoted,\" he said", "\"|Quoted|,|\"|he|said"},
      {"b/c AT&T", "b/c|AT&T"},
      {"and so on, etc.\nNext", "and|so|on|,|etc|.|Next"},
      {"the U.S.", "the|U.S."},
  };
  dy_doc *d;
  char buf[512];
  size_t i;
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *got = toks_of(d, cases[i].in, buf, sizeof buf);
    if (strcmp(got, cases[i].want) != 0) {
      fprintf(stderr, "  input '%s': got '%s', want '%s'\n", cases[i].in, got,
              cases[i].want);
      dy_test_failed = 1;
    }
  }
  dy_doc_free(d);
}

void test_tok_offsets(void)
{
  dy_doc *d;
  const dy_article *a;
  const char *s = "  Hi  there\xE2\x80\x99s \n\n\n  more";
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  CHECK(dy_doc_tokenize(d, s, strlen(s), "t") == DY_OK);
  a = dy_doc_article(d);
  CHECK_EQ_INT(a->ntoks, 4);
  /* paragraphs are joined by one blank line: offsets index art->text */
  CHECK_EQ_STR(a->text, "Hi  there\xE2\x80\x99s\n\nmore");
  CHECK_EQ_INT(a->toks[1].off, 4);
  CHECK_EQ_INT(a->toks[2].off, 9);
  CHECK_EQ_INT(a->toks[2].len, 4);
  CHECK_EQ_STR(a->toks[2].norm, "'s");
  CHECK(a->toks[3].flags & DY_TOK_PARA);
  CHECK(!(a->toks[1].flags & DY_TOK_PARA));
  CHECK_EQ_INT(a->nsents, 2);
  CHECK_EQ_INT(a->sents[1].para, 1);
  dy_doc_free(d);
}

/* Sentence texts joined by '|'. */
static const char *sents_of(dy_doc *d, const char *s, char *out, size_t cap)
{
  const dy_article *a;
  size_t i, n = 0;
  if (dy_doc_tokenize(d, s, strlen(s), "t") < 0)
    return "(error)";
  a = dy_doc_article(d);
  for (i = 0; i < a->nsents && n + a->sents[i].len + 2 < cap; i++) {
    if (i)
      out[n++] = '|';
    memcpy(out + n, a->text + a->sents[i].off, a->sents[i].len);
    n += a->sents[i].len;
  }
  out[n] = '\0';
  return out;
}

void test_tok_sentences(void)
{
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"Mr. Smith went home. He slept.", "Mr. Smith went home.|He slept."},
      {"He said \"Stop.\" Then he left.", "He said \"Stop.\"|Then he left."},
      {"It works (really!) well. Yes.", "It works (really!) well.|Yes."},
      {"Ask the U.S. Army. It knows.", "Ask the U.S. Army.|It knows."},
      {"Sales rose at Acme Inc. The firm grew.",
       "Sales rose at Acme Inc.|The firm grew."},
      {"Wait... and see. OK", "Wait... and see.|OK"},
      {"Hello there\nThanks for all", "Hello there|Thanks for all"},
      {"one,\nTwo", "one,\nTwo"},
      {"Why? Because!", "Why?|Because!"},
      {"J. R. R. Tolkien wrote it.", "J. R. R. Tolkien wrote it."},
  };
  dy_doc *d;
  char buf[512];
  size_t i;
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *got = sents_of(d, cases[i].in, buf, sizeof buf);
    if (strcmp(got, cases[i].want) != 0) {
      fprintf(stderr, "  input '%s': got '%s', want '%s'\n", cases[i].in, got,
              cases[i].want);
      dy_test_failed = 1;
    }
  }
  dy_doc_free(d);
}

/* A 100,000-token run without a stop is cut into pieces of the cap. */
void test_tok_sentence_cap(void)
{
  dy_doc *d;
  const dy_article *a;
  size_t n = 100000, i;
  char *s = malloc(n * 2);
  CHECK(s != NULL);
  for (i = 0; i < n; i++) {
    s[2 * i] = 'a';
    s[2 * i + 1] = ' ';
  }
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  CHECK(dy_doc_tokenize(d, s, n * 2, "t") == DY_OK);
  a = dy_doc_article(d);
  CHECK_EQ_INT(a->ntoks, n);
  CHECK_EQ_INT(a->nsents, (n + DY_MAX_SENTENCE_TOKENS - 1) /
                              DY_MAX_SENTENCE_TOKENS);
  for (i = 0; i < a->nsents; i++)
    CHECK(a->sents[i].ntok <= DY_MAX_SENTENCE_TOKENS);
  dy_doc_free(d);
  free(s);
}

/* 10^6 identical characters of several kinds, control bytes and mixed
 * scripts: bounded tokens, no crash. */
void test_tok_hostile(void)
{
  static const char fill[] = {'a', '.', '-', '\'', '!', '@', '1', '/'};
  dy_doc *d;
  const dy_article *a;
  size_t n = 1000000, i, k;
  char *s = malloc(n);
  const char *mixed = "\x01\x02 abc\x7f\x1b[0m \xd0\x9c\xd0\xbe\xd1\x81"
                      "\xd0\xba\xd0\xb2\xd0\xb0 \xe4\xb8\xad\xe6\x96\x87 "
                      "\xd8\xa7\xd9\x84 \xff\xfe end.";
  CHECK(s != NULL);
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  for (k = 0; k < sizeof fill; k++) {
    memset(s, fill[k], n);
    CHECK(dy_doc_tokenize(d, s, n, "t") == DY_OK);
    a = dy_doc_article(d);
    CHECK(a->ntoks >= n / 4096);
    for (i = 0; i < a->ntoks; i++)
      CHECK(a->toks[i].len <= 4096);
  }
  CHECK(dy_doc_tokenize(d, mixed, strlen(mixed), "t") == DY_OK);
  a = dy_doc_article(d);
  CHECK(a->ntoks >= 6);
  CHECK(a->nsents >= 1);
  dy_doc_free(d);
  free(s);
}

/* The coder matches dictionary names over tokens: a name tokenizes as it
 * does in running text ("U.S." at the end of a name keeps its period). */
void test_tok_names_like_text(void)
{
  dy_doc *d;
  char a[128], b[128];
  CHECK(dy_doc_new(NULL, NULL, &d) == DY_OK);
  CHECK_EQ_STR(toks_of(d, "U.S.", a, sizeof a), "U.S.");
  CHECK_EQ_STR(toks_of(d, "the U.S. said", b, sizeof b), "the|U.S.|said");
  CHECK_EQ_STR(toks_of(d, "Kim Jong Un", a, sizeof a), "Kim|Jong|Un");
  dy_doc_free(d);
}

void test_lemma_rules(void)
{
  static const struct {
    const char *form;
    int xpos, upos;
    const char *want;
  } cases[] = {
      {"me", DY_XPOS_PRP, DY_UPOS_PRON, "I"},
      {"him", DY_XPOS_PRP, DY_UPOS_PRON, "he"},
      {"us", DY_XPOS_PRP, DY_UPOS_PRON, "we"},
      {"n't", DY_XPOS_RB, DY_UPOS_PART, "not"},
      {"'s", DY_XPOS_POS, DY_UPOS_PART, "'s"},
      {"'s", DY_XPOS_VBZ, DY_UPOS_AUX, "be"},
      {"'re", DY_XPOS_VBP, DY_UPOS_AUX, "be"},
      {"'ve", DY_XPOS_VBP, DY_UPOS_AUX, "have"},
      {"'d", DY_XPOS_MD, DY_UPOS_AUX, "would"},
      {"'ll", DY_XPOS_MD, DY_UPOS_AUX, "will"},
      {"wo", DY_XPOS_MD, DY_UPOS_AUX, "will"},
      {"was", DY_XPOS_VBD, DY_UPOS_AUX, "be"},
      {"has", DY_XPOS_VBZ, DY_UPOS_VERB, "have"},
      {"did", DY_XPOS_VBD, DY_UPOS_AUX, "do"},
      {"an", DY_XPOS_DT, DY_UPOS_DET, "a"},
      {"those", DY_XPOS_DT, DY_UPOS_DET, "that"},
      {"Putin", DY_XPOS_NNP, DY_UPOS_PROPN, "Putin"},
      {"1,100", DY_XPOS_CD, DY_UPOS_NUM, "1100"},
      {",", DY_XPOS_COMMA, DY_UPOS_PUNCT, ","},
      {"Talks", DY_XPOS_NNS, DY_UPOS_NOUN, "talk"},
      {"children", DY_XPOS_NNS, DY_UPOS_NOUN, "child"},
      {"churches", DY_XPOS_NNS, DY_UPOS_NOUN, "church"},
      {"signed", DY_XPOS_VBD, DY_UPOS_VERB, "sign"},
      {"went", DY_XPOS_VBD, DY_UPOS_VERB, "go"},
      {"stopped", DY_XPOS_VBD, DY_UPOS_VERB, "stop"},
      {"hoping", DY_XPOS_VBG, DY_UPOS_VERB, "hope"},
      {"singing", DY_XPOS_VBG, DY_UPOS_VERB, "sing"},
      {"bigger", DY_XPOS_JJR, DY_UPOS_ADJ, "big"},
      {"best", DY_XPOS_JJS, DY_UPOS_ADJ, "good"},
      {"blorfed", DY_XPOS_VBD, DY_UPOS_VERB, "blorf"},
  };
  dy_lemmatizer *lm;
  dy_err err;
  char buf[64];
  size_t i;
  if (dy_lemmatizer_open(NULL, &lm, &err) < 0) {
    dy_test_skip("WordNet (wordnet-base) is not installed");
    return;
  }
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    dy_lemmatize(lm, cases[i].form, strlen(cases[i].form), cases[i].xpos,
                 cases[i].upos, buf, sizeof buf);
    if (strcmp(buf, cases[i].want) != 0) {
      fprintf(stderr, "  %s: got '%s', want '%s'\n", cases[i].form, buf,
              cases[i].want);
      dy_test_failed = 1;
    }
  }
  /* truncation: cap bytes including the NUL */
  CHECK_EQ_INT(dy_lemmatize(lm, "Putin", 5, DY_XPOS_NNP, DY_UPOS_PROPN, buf,
                            3),
               2);
  CHECK_EQ_STR(buf, "Pu");
  dy_lemmatizer_free(lm);
}

void test_lemma_missing_wordnet(void)
{
  dy_lemmatizer *lm = NULL;
  dy_err err;
  memset(&err, 0, sizeof err);
  CHECK(dy_lemmatizer_open("/nonexistent-wordnet", &lm, &err) < 0);
  CHECK(lm == NULL);
  CHECK(strstr(err.msg, "/nonexistent-wordnet/") != NULL);
  dy_lemmatizer_free(NULL);
}
