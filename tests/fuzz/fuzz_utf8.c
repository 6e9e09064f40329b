/* SPDX-License-Identifier: MIT */
/* Fuzz target: the strict UTF-8 decoder and repair. Repaired text must be
 * valid; valid input must come back unchanged with no replacements. */
#include "dyad/core.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_buf out;
  size_t bad = 0;
  int valid = dy_utf8_valid((const char *)data, size);
  dy_buf_init(&out, 0);
  if (dy_utf8_repair((const char *)data, size, &out, &bad) == DY_OK) {
    if (!dy_utf8_valid(out.p ? out.p : "", out.n))
      abort();
    if (valid && (bad != 0 || out.n != size ||
                  (size && memcmp(out.p, data, size) != 0)))
      abort();
    if (!valid && bad == 0)
      abort();
  }
  dy_buf_fini(&out);
  return 0;
}
