/* SPDX-License-Identifier: MIT */
/* Documents from inputs: files, directories and stdin, one document per
 * file for now. Container formats (WARC, JSONL, CSV, SGML) plug in here: a
 * reader splits a file's bytes into dy_input records. */
#include "dyad/read.h"

#include <string.h>

typedef struct reader {
  const dy_read_opts *opts;
  dy_input_fn fn;
  dy_input_err_fn efn;
  void *ud;
  dy_buf buf;
} reader;

static int on_file(const char *path, int rc, const char *msg, void *ud)
{
  reader *r = ud;
  dy_input in;
  dy_err err;
  if (rc < 0) {
    if (r->efn)
      r->efn(path, rc, msg ? msg : dy_strerror(rc), r->ud);
    return 0;
  }
  rc = dy_file_read(path, r->opts ? r->opts->max_bytes : 0, &r->buf, &err);
  if (rc < 0) {
    if (r->efn)
      r->efn(path, rc, err.msg, r->ud);
    return 0;
  }
  memset(&in, 0, sizeof in);
  in.name = path;
  in.bytes = r->buf.p ? r->buf.p : "";
  in.n = r->buf.n;
  return r->fn(&in, r->ud);
}

int dy_read_inputs(const char *path, const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud)
{
  reader r;
  int rc;
  memset(&r, 0, sizeof r);
  r.opts = opts;
  r.fn = fn;
  r.efn = efn;
  r.ud = ud;
  dy_buf_init(&r.buf, 0);
  if (strcmp(path, "-") == 0)
    rc = on_file("-", DY_OK, NULL, &r);
  else
    rc = dy_walk(path, on_file, &r);
  dy_buf_fini(&r.buf);
  return rc;
}
