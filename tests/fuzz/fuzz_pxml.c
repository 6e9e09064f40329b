/* SPDX-License-Identifier: MIT */
/* Fuzz target: the PETRARCH validation/input XML reader, and each record's
 * parse through the Penn tree and CoNLL-U readers. */
#include "dyad/dyad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_pxml *x = NULL;
  dy_err err;
  dy_arena a;
  size_t i;
  if (dy_pxml_parse((const char *)data, size, &x, &err) < 0)
    return 0;
  dy_arena_init(&a, (size_t)64 << 20);
  for (i = 0; i < x->nrecs; i++) {
    const dy_precord *r = &x->recs[i];
    dy_ptok *t;
    size_t n;
    if (r->id == NULL || r->text == NULL || r->parse == NULL)
      abort();
    if (r->ngold && r->gold == NULL)
      abort();
    dy_arena_reset(&a);
    if (r->parse[0] == '(')
      dy_penn_parse(r->parse, strlen(r->parse), &a, &t, &n, &err);
    else
      dy_conllu_parse(r->parse, strlen(r->parse), &a, &t, &n, &err);
  }
  dy_arena_fini(&a);
  dy_pxml_free(x);
  return 0;
}
