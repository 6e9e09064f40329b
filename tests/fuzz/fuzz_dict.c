/* SPDX-License-Identifier: MIT */
/* Fuzz target: the dictionary loader. The input becomes verbs.dict (first
 * byte odd) or actors.dict (even) in a scratch directory beside copies of the
 * test dictionaries; loading must fail cleanly or succeed, never crash. */
#include "dyad/dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

static void copy(const char *name)
{
  char src[512], dst[512], buf[65536];
  FILE *in, *out;
  size_t n;
  snprintf(src, sizeof src, "tests/data/dict/%s", name);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  in = fopen(src, "rb");
  out = fopen(dst, "wb");
  if (in == NULL || out == NULL)
    abort();
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const names[] = {"cameo.tsv", "actors.dict",
                                      "people.dict", "agents.dict",
                                      "verbs.dict"};
  char path[512];
  const char *target;
  FILE *f;
  dy_engine *eng = NULL;
  dy_engine_opts o = {0};
  dy_err err;
  size_t i;
  if (dir[0] == '\0') {
    snprintf(dir, sizeof dir, "/tmp/dyad-fuzz-dict-XXXXXX");
    if (mkdtemp(dir) == NULL)
      abort();
  }
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    copy(names[i]);
  target = size && (data[0] & 1) ? "verbs.dict" : "actors.dict";
  snprintf(path, sizeof path, "%s/%s", dir, target);
  f = fopen(path, "wb");
  if (f == NULL)
    abort();
  fwrite(data, 1, size, f);
  fclose(f);
  o.dict_dir = dir;
  o.no_analysis = 1; /* the dictionaries only: no model, no lemmatizer */
  if (dy_engine_open(&o, &eng, &err) == DY_OK)
    dy_engine_free(eng);
  return 0;
}
