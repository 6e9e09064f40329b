/* SPDX-License-Identifier: MIT */
/* Fuzz target: the baseline alignments reader (data/alignments.tsv format).
 * The input is written to a scratch file and loaded into an in-memory
 * store; the load must succeed or fail with a message, never crash, and a
 * successful load must leave only well-formed edges (a < b, start <= end). */
#include "dyad/dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];

static int check_edge(const dy_alignment_row *r, void *ud)
{
  (void)ud;
  if (strcmp(r->a, r->b) >= 0)
    abort();
  if (*r->end && strcmp(r->end, r->start) < 0)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  FILE *f;
  dy_store *st = NULL;
  dy_err err;
  int rc;
  if (path[0] == '\0') {
    int fd;
    snprintf(path, sizeof path, "/tmp/dyad-fuzz-align-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
      abort();
    close(fd);
  }
  f = fopen(path, "wb");
  if (f == NULL)
    abort();
  if (size)
    fwrite(data, 1, size, f);
  fclose(f);
  if (dy_store_open(":memory:", &st, &err) < 0)
    abort();
  rc = dy_store_alignments_load(st, path);
  if (rc < 0 && dy_store_errmsg(st)[0] == '\0')
    abort();
  if (rc == DY_OK && dy_store_alignments(st, NULL, NULL, check_edge, NULL) < 0)
    abort();
  dy_store_close(st);
  return 0;
}
