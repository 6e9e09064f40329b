/* SPDX-License-Identifier: MIT */
/* The input loop shared by code, extract and ingest: files, directories and
 * stdin, each unreadable entry reported by name and counted. */
#include "cli.h"

#include <string.h>

typedef struct walk_ctx {
  size_t max;
  cli_doc_fn fn;
  void *ud;
  cli_tally *tally;
  dy_buf buf;
  int fatal;
} walk_ctx;

static int on_file(const char *path, int rc, const char *msg, void *ud)
{
  walk_ctx *w = ud;
  dy_err err;
  int r;
  if (rc < 0) {
    cli_error(path, "%s", msg ? msg : dy_strerror(rc));
    w->tally->failed++;
    return 0;
  }
  rc = dy_file_read(path, w->max, &w->buf, &err);
  if (rc < 0) {
    cli_error(path, "%s", err.msg);
    w->tally->failed++;
    return 0;
  }
  w->tally->docs++;
  r = w->fn(path, w->buf.p ? w->buf.p : "", w->buf.n, w->ud);
  if (r == CLI_DATA)
    w->tally->failed++;
  if (r == CLI_FATAL) {
    w->fatal = 1;
    return 1;
  }
  return 0;
}

int cli_each_input(char **paths, int npaths, size_t max_bytes, cli_doc_fn fn,
                   void *ud, cli_tally *tally)
{
  walk_ctx w;
  int i;
  memset(&w, 0, sizeof w);
  w.max = max_bytes;
  w.fn = fn;
  w.ud = ud;
  w.tally = tally;
  dy_buf_init(&w.buf, 0);
  for (i = 0; i < npaths && !w.fatal; i++) {
    if (strcmp(paths[i], "-") == 0)
      on_file("-", DY_OK, NULL, &w);
    else
      dy_walk(paths[i], on_file, &w);
  }
  dy_buf_fini(&w.buf);
  if (w.fatal)
    return CLI_FATAL;
  return tally->failed ? CLI_DATA : CLI_OK;
}
