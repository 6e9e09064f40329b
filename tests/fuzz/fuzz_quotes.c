/* SPDX-License-Identifier: MIT */
/* Fuzz target: the quote-mark scanner on raw bytes (spans must lie inside
 * the input and be counted the same with and without storage), then the
 * whole facts path (entities, quotes, attribution, JSON records) on the
 * document read from the same bytes. Dictionaries: $DYAD_DICT_DIR or data
 * (with countries.tsv, so places are resolved too). */
#include "dyad/dyad.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_engine *eng;
static dy_doc *doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_qspan sp[64];
  size_t n, i, k;
  dy_buf out;
  n = dy_quote_spans((const char *)data, size, sp, 64);
  if (n != dy_quote_spans((const char *)data, size, NULL, 0))
    abort();
  for (i = 0; i < n && i < 64; i++)
    if (sp[i].len == 0 || (size_t)sp[i].off + sp[i].len > size)
      abort();
  if (eng == NULL) {
    dy_engine_opts o = {0};
    dy_err err;
    o.dict_dir = getenv("DYAD_DICT_DIR") ? getenv("DYAD_DICT_DIR") : "data";
    if (dy_engine_open(&o, &eng, &err) < 0)
      abort();
    if (dy_doc_new(eng, NULL, &doc) < 0)
      abort();
  }
  if ((size && (data[0] & 1)
           ? dy_doc_analyse_plain(doc, (const char *)data, size, "fuzz", NULL)
           : dy_doc_analyse(doc, (const char *)data, size, "fuzz",
                            "2024-06-19")) < 0)
    return 0;
  if (dy_doc_code(doc) < 0 || dy_doc_facts(doc) < 0)
    return 0;
  dy_buf_init(&out, 0);
  for (k = 0; k < dy_doc_nquotes(doc); k++) {
    const dy_quote *q = dy_doc_quote(doc, k);
    if ((size_t)q->off + q->len > dy_doc_article(doc)->n)
      abort();
    dy_buf_reset(&out);
    dy_quote_json(doc, q, &out);
    if (!dy_utf8_valid(out.p, out.n))
      abort();
  }
  for (k = 0; k < dy_doc_nentities(doc); k++) {
    dy_buf_reset(&out);
    dy_entity_json(doc, dy_doc_entity(doc, k), &out);
    if (!dy_utf8_valid(out.p, out.n))
      abort();
  }
  for (k = 0; k < dy_doc_nevents(doc); k++) {
    dy_buf_reset(&out);
    dy_event_json(doc, dy_doc_event(doc, k), &out);
    if (!dy_utf8_valid(out.p, out.n))
      abort();
  }
  dy_buf_fini(&out);
  return 0;
}
