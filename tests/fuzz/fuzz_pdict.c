/* SPDX-License-Identifier: MIT */
/* Fuzz target: the PETRARCH-2 dictionary readers. The first byte selects
 * the format (verbs, actors, agents, discards, issues); the rest becomes
 * that file in a scratch directory (with the test CAMEO table). Loading
 * must fail cleanly or succeed, and coding a sentence with the result must
 * not crash. */
#include "dyad/dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const names[] = {"f.verbs.txt", "f.actors.txt",
                                      "f.agents.txt", "f.discards.txt",
                                      "f.issues.txt"};
  static const char text[] = "Arnor signed a treaty with Gondor on Monday, "
                             "and rebels accused the Gondor government.";
  char path[512], buf[65536];
  const char *name;
  FILE *f, *in;
  size_t n;
  dy_engine *eng = NULL;
  dy_engine_opts o = {0};
  dy_err err;
  if (dir[0] == '\0') {
    snprintf(dir, sizeof dir, "/tmp/dyad-fuzz-pdict-XXXXXX");
    if (mkdtemp(dir) == NULL)
      abort();
    snprintf(path, sizeof path, "%s/cameo.tsv", dir);
    in = fopen("tests/data/dict/cameo.tsv", "rb");
    f = fopen(path, "wb");
    if (in == NULL || f == NULL)
      abort();
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
      fwrite(buf, 1, n, f);
    fclose(in);
    fclose(f);
  }
  if (size == 0)
    return 0;
  name = names[data[0] % 5];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (f == NULL)
    abort();
  fwrite(data + 1, 1, size - 1, f);
  fclose(f);
  o.dict_dir = dir;
  o.no_analysis = 1; /* the dictionaries only: no model, no lemmatizer */
  o.dict_files = name;
  if (dy_engine_open(&o, &eng, &err) == DY_OK) {
    dy_doc *d = NULL;
    if (dy_doc_new(eng, NULL, &d) == DY_OK &&
        dy_doc_analyse(d, text, sizeof text - 1, "fuzz", "2020-01-01") == DY_OK)
      dy_doc_code(d);
    dy_doc_free(d);
    dy_engine_free(eng);
  }
  unlink(path);
  return 0;
}
