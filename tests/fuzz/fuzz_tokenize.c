/* SPDX-License-Identifier: MIT */
/* Fuzz target: the tokenizer and sentence splitter on arbitrary bytes
 * (dy_doc_tokenize), checking the records they promise: tokens in order,
 * inside the text, not overlapping, no empty token; sentences cover the
 * tokens in order with at most DY_MAX_SENTENCE_TOKENS each. Also the
 * lemmatizer on every token when WordNet is installed. */
#include "dyad/dyad.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_doc *doc;
static dy_lemmatizer *lm;
static int lm_tried;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const dy_article *a;
  size_t i, next = 0, prev_end = 0;
  char buf[64];
  if (doc == NULL && dy_doc_new(NULL, NULL, &doc) < 0)
    abort();
  if (!lm_tried) {
    dy_err err;
    lm_tried = 1;
    if (dy_lemmatizer_open(NULL, &lm, &err) < 0)
      lm = NULL;
  }
  if (dy_doc_tokenize(doc, (const char *)data, size, "fuzz") < 0)
    return 0;
  a = dy_doc_article(doc);
  for (i = 0; i < a->ntoks; i++) {
    const dy_token *t = &a->toks[i];
    if (t->len == 0 || t->off < prev_end || t->off + t->len > a->n)
      abort();
    prev_end = t->off + t->len;
    if (lm && dy_lemmatize(lm, a->text + t->off, t->len, (int)(i % DY_XPOS_N),
                           (int)(i % DY_UPOS_N), buf, sizeof buf) >= sizeof buf)
      abort();
  }
  for (i = 0; i < a->nsents; i++) {
    const dy_sentence *s = &a->sents[i];
    if (s->tok != next || s->ntok == 0 || s->ntok > DY_MAX_SENTENCE_TOKENS)
      abort();
    next = s->tok + s->ntok;
  }
  if (next != a->ntoks)
    abort();
  return 0;
}
