/* SPDX-License-Identifier: MIT */
/* Fuzz target: dy_ask_parse (plain questions to queries) on arbitrary
 * bytes. Every field of the answer must be NUL-terminated, dates valid and
 * ordered, the root two digits. Dictionaries: $DYAD_DICT_DIR or
 * tests/data/dict. */
#include "dyad/ask.h"
#include "dyad/dyad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_engine *eng;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_ask a;
  dy_err err;
  if (eng == NULL) {
    dy_engine_opts o = {0};
    o.dict_dir =
        getenv("DYAD_DICT_DIR") ? getenv("DYAD_DICT_DIR") : "tests/data/dict";
    if (dy_engine_open(&o, &eng, &err) < 0)
      abort();
  }
  if (dy_ask_parse(eng, (const char *)data, size, &a, &err) < 0)
    return 0;
  if (memchr(a.source, 0, sizeof a.source) == NULL ||
      memchr(a.target, 0, sizeof a.target) == NULL ||
      memchr(a.root, 0, sizeof a.root) == NULL ||
      memchr(a.from, 0, sizeof a.from) == NULL ||
      memchr(a.to, 0, sizeof a.to) == NULL || a.nnotes > DY_ASK_MAX_NOTES)
    abort();
  if ((a.from[0] && dy_date_parse(dy_str_c(a.from)) < 0) ||
      (a.to[0] && dy_date_parse(dy_str_c(a.to)) < 0) ||
      (a.from[0] && strcmp(a.from, a.to) > 0))
    abort();
  if (a.root[0] && (strlen(a.root) != 2 || !dy_isdigit(a.root[0])))
    abort();
  if (!dy_utf8_valid(a.source_name, strlen(a.source_name)))
    abort();
  return 0;
}
