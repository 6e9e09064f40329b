/* SPDX-License-Identifier: MIT */
/* Fuzz target: the gazetteer loader. The first byte picks the file kind
 * (countries.tsv, gazetteer.tsv or zone1970.tab); a small valid crosswalk
 * is loaded first so place lines find their countries. Loading must skip
 * bad lines with a count, never crash; lookups on the loaded names and on
 * the input itself must stay in bounds. */
#include "dyad/dyad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] = "FR\tFRA\tFRA\tFR\tFrance\tParis\t48.86\t2.35\n"
                           "US\tUSA\tUSA\tUS\tUnited States\tWashington\t"
                           "38.90\t-77.04\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const kinds[] = {"countries", "places", "zones"};
  dy_gazetteer *g = NULL;
  dy_err err;
  size_t nbad = 0, out[8], i, k;
  const char *prior[] = {"USA", "FRA"};
  if (dy_gazetteer_new(&g) < 0)
    return 0;
  if (dy_gazetteer_add(g, "countries", base, strlen(base), "base", &nbad,
                       &err) < 0)
    abort();
  if (size > 0) {
    const char *kind = kinds[data[0] % 3];
    if (dy_gazetteer_add(g, kind, (const char *)data + 1, size - 1, "fuzz",
                         &nbad, &err) == DY_OK &&
        dy_gazetteer_finish(g) == DY_OK) {
      for (i = 0; i < dy_gazetteer_nplaces(g) && i < 64; i++) {
        const dy_place *p = dy_gazetteer_place(g, i);
        dy_geo geo;
        k = dy_gazetteer_lookup(g, p->name, strlen(p->name), prior, 2, out, 8);
        if (k > 8)
          abort();
        if (k == 0)
          continue; /* a name of punctuation only folds to nothing */
        dy_gazetteer_geo(g, out[0], -1, &geo);
        if (geo.type < 1 || geo.type > 5)
          abort();
      }
      k = dy_gazetteer_lookup(g, (const char *)data, size, NULL, 0, out, 8);
      if (k > 8)
        abort();
    }
  }
  dy_gazetteer_free(g);
  return 0;
}
