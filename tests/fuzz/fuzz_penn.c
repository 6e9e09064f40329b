/* SPDX-License-Identifier: MIT */
/* Fuzz target: the Penn tree reader and dependency conversion (first byte
 * even) or the CoNLL-U reader (odd); the tokens are then coded as a
 * sentence. Heads must stay inside the sentence. Dictionaries:
 * tests/data/dict. */
#include "dyad/dyad.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_engine *eng;
static dy_doc *doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_arena a;
  dy_err err;
  dy_ptok *t;
  size_t n, i;
  int rc;
  if (eng == NULL) {
    dy_engine_opts o = {0};
    o.dict_dir = "tests/data/dict";
    if (dy_engine_open(&o, &eng, &err) < 0 || dy_doc_new(eng, NULL, &doc) < 0)
      abort();
  }
  if (size == 0)
    return 0;
  dy_arena_init(&a, (size_t)64 << 20);
  if (data[0] & 1)
    rc = dy_conllu_parse((const char *)data + 1, size - 1, &a, &t, &n, &err);
  else
    rc = dy_penn_parse((const char *)data + 1, size - 1, &a, &t, &n, &err);
  if (rc == DY_OK) {
    for (i = 0; i < n; i++)
      if (t[i].head < -1 || t[i].head >= (int32_t)n || t[i].form == NULL)
        abort();
    if (dy_doc_analyse_tokens(doc, t, n, "fuzz", "2024-06-19") == DY_OK)
      dy_doc_code(doc);
  }
  dy_arena_fini(&a);
  return 0;
}
