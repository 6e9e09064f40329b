/* SPDX-License-Identifier: MIT */
/* The body shared by the container-reader fuzz targets: each fuzz_<fmt>.c
 * defines DY_FUZZ_FORMAT and includes this file. The reader runs on
 * arbitrary bytes (gzip unpacking first when they start with its magic);
 * every record handed out must lie in valid memory and carry a name, and
 * every error must carry a message. */
#include "dyad/dyad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_doc(const dy_input *in, void *ud)
{
  size_t *sum = ud, i;
  if (in->name == NULL || (in->n && in->bytes == NULL))
    abort();
  for (i = 0; i < in->n; i += 64)
    *sum += (unsigned char)in->bytes[i];
  if (in->url)
    *sum += strlen(in->url);
  if (in->title)
    *sum += strlen(in->title);
  if (in->date && strlen(in->date) != 10)
    abort();
  return 0;
}

static void on_err(const char *name, int rc, const char *msg, void *ud)
{
  (void)ud;
  if (name == NULL || msg == NULL || rc >= 0)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_read_opts o;
  size_t sum = 0;
  memset(&o, 0, sizeof o);
  o.format = DY_FUZZ_FORMAT;
  o.max_bytes = 1 << 20;
  dy_read_buffer("fuzz", (const char *)data, size, &o, on_doc, on_err, &sum);
  return 0;
}
