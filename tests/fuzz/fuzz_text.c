/* SPDX-License-Identifier: MIT */
/* Fuzz target: the whole reading path on arbitrary bytes: binary check,
 * UTF-8 repair, boilerplate, dateline, tokenizer, sentence splitter, coder
 * and the JSON record. Dictionaries: $DYAD_DICT_DIR or tests/data/dict. */
#include "dyad/dyad.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_engine *eng;
static dy_doc *doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t i;
  dy_buf out;
  if (eng == NULL) {
    dy_engine_opts o = {0};
    dy_err err;
    o.dict_dir = getenv("DYAD_DICT_DIR") ? getenv("DYAD_DICT_DIR")
                                         : "tests/data/dict";
    if (dy_engine_open(&o, &eng, &err) < 0)
      abort();
    if (dy_doc_new(eng, NULL, &doc) < 0)
      abort();
  }
  if (dy_doc_analyse(doc, (const char *)data, size, "fuzz", "2024-06-19") < 0)
    return 0;
  if (dy_doc_code(doc) < 0)
    return 0;
  dy_buf_init(&out, 0);
  for (i = 0; i < dy_doc_nevents(doc); i++) {
    const dy_event *ev = dy_doc_event(doc, i);
    dy_buf_reset(&out);
    dy_event_json(doc, ev, &out);
    if (!dy_utf8_valid(out.p, out.n))
      abort(); /* records must be valid UTF-8 */
  }
  dy_buf_fini(&out);
  return 0;
}
