/* SPDX-License-Identifier: MIT */
/* Input: whole files (or stdin) under a size cap, and directory walks that
 * report each unreadable entry instead of stopping. */
#ifndef DYAD_READ_H
#define DYAD_READ_H

#include "dyad/core.h"

/* Reads the whole of path ("-" = standard input) into out (reset first).
 * More than max bytes (0 = no cap) fails with DY_ETOOBIG without reading
 * the rest into memory. Errors: DY_ENOENT, DY_EACCES, DY_ENOTREG (a
 * directory, FIFO or device), DY_ETOOBIG, DY_EIO, DY_ENOMEM; message in err. */
int dy_file_read(const char *path, size_t max, dy_buf *out, dy_err *err);

/* Called once per regular file found (rc == DY_OK, msg NULL) and once per
 * entry that cannot be read (rc < 0, msg says why). Return nonzero to stop. */
typedef int (*dy_walk_fn)(const char *path, int rc, const char *msg,
                          void *ud);

/* Walks path: a regular file is reported as is; a directory is walked
 * recursively in byte order of names, skipping names starting with '.';
 * symlinks to files are followed, symlinked directories are not (no loops).
 * Returns DY_OK, or the callback's nonzero value when it stopped the walk. */
int dy_walk(const char *path, dy_walk_fn fn, void *ud);

/* ---- documents from inputs -------------------------------------------- */

/* One document found in an input: a whole file, or one record of a
 * container (WARC, JSONL, CSV, SGML: later readers). Everything is borrowed
 * for the duration of the callback only. */
typedef struct dy_input {
  const char *name;  /* path ("-" = stdin), "path#N" for a record */
  const char *bytes; /* content */
  size_t n;          /* bytes in content */
  const char *url;   /* from the container, or NULL */
  const char *date;  /* YYYY-MM-DD from the container, or NULL */
  const char *title; /* from the container, or NULL */
} dy_input;

/* Called per document; return nonzero to stop the reading. */
typedef int (*dy_input_fn)(const dy_input *in, void *ud);
/* Called per input (or record) that cannot be read: name, DY_E* code and a
 * message; reading goes on. */
typedef void (*dy_input_err_fn)(const char *name, int rc, const char *msg,
                                void *ud);

typedef struct dy_read_opts {
  size_t max_bytes; /* per-document cap, 0 = no cap */
} dy_read_opts;

/* Reads path ("-" = standard input; a directory is walked as by dy_walk)
 * and hands every document to fn, every failure to efn. Returns DY_OK, or the
 * callback's nonzero value when it stopped the reading. Not thread-safe per
 * call; separate calls may run in separate threads. */
int dy_read_inputs(const char *path, const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud);

#endif
