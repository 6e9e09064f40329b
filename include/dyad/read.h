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

#endif
