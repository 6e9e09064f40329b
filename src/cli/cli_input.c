/* SPDX-License-Identifier: MIT */
/* The input loop shared by code, extract and ingest: every document of every
 * path, each unreadable input reported by name and counted. */
#include "cli.h"

#include <string.h>

typedef struct loop_ctx {
  cli_doc_fn fn;
  void *ud;
  cli_tally *tally;
  int fatal;
} loop_ctx;

static void on_error(const char *name, int rc, const char *msg, void *ud)
{
  loop_ctx *l = ud;
  (void)rc;
  cli_error(name, "%s", msg);
  l->tally->failed++;
}

static int on_doc(const dy_input *in, void *ud)
{
  loop_ctx *l = ud;
  int r;
  l->tally->docs++;
  r = l->fn(in, l->ud);
  if (r == CLI_DATA)
    l->tally->failed++;
  if (r == CLI_FATAL) {
    l->fatal = 1;
    return 1;
  }
  return 0;
}

int cli_each_input(char **paths, int npaths, size_t max_bytes, cli_doc_fn fn,
                   void *ud, cli_tally *tally)
{
  loop_ctx l;
  dy_read_opts ro;
  int i;
  memset(&l, 0, sizeof l);
  memset(&ro, 0, sizeof ro);
  ro.max_bytes = max_bytes;
  l.fn = fn;
  l.ud = ud;
  l.tally = tally;
  for (i = 0; i < npaths && !l.fatal; i++)
    dy_read_inputs(paths[i], &ro, on_doc, on_error, &l);
  if (l.fatal)
    return CLI_FATAL;
  return tally->failed ? CLI_DATA : CLI_OK;
}
