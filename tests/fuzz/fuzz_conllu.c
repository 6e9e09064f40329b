/* SPDX-License-Identifier: MIT */
/* Fuzz target: the CoNLL-U reader. Whatever the bytes, every sentence it
 * keeps has words 1..n with non-NULL strings, heads in -1..n and a tree_ok
 * flag that agrees with those heads; multiword ranges are well-formed. */
#include "dyad/parse.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_conllu_doc *d = NULL;
  size_t i, k, words = 0;
  if (dy_conllu_read((const char *)data, size, 64, NULL, NULL, &d) < 0)
    return 0;
  for (i = 0; i < dy_conllu_nsents(d); i++) {
    dy_conllu_sent *s = dy_conllu_sent_at(d, i);
    if (s == NULL || s->ntok == 0 || s->ntok > 64)
      abort();
    for (k = 0; k < s->ntok; k++) {
      const dy_conllu_tok *t = &s->toks[k];
      if (t->form == NULL || t->lemma == NULL || t->form[0] == '\0')
        abort();
      if (t->head < -1 ||
          (s->tree_ok && (t->head < 0 || (size_t)t->head > s->ntok)))
        abort();
      if (t->upos >= DY_UPOS_N || t->xpos >= DY_XPOS_N || t->dep >= DY_DEP_N)
        abort();
    }
    for (k = 0; k < s->nmwts; k++)
      if (s->mwts[k].first < 1 || s->mwts[k].last < s->mwts[k].first ||
          s->mwts[k].line == NULL)
        abort();
    for (k = 0; k < s->ncomments; k++)
      if (s->comments[k] == NULL || s->comments[k][0] != '#')
        abort();
    words += s->ntok;
  }
  if (words != dy_conllu_nwords(d) || dy_conllu_sent_at(d, i) != NULL)
    abort();
  dy_conllu_free(d);
  return 0;
}
