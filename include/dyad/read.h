/* SPDX-License-Identifier: MIT */
/* Input: whole files (or stdin) under a size cap, directory walks that
 * report each unreadable entry instead of stopping, and the container readers
 * (gzip, WARC, JSONL, CSV, Reuters SGML) that split inputs into documents. */
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
 * container (WARC, JSONL, CSV, Reuters SGML). Everything is borrowed for the
 * duration of the callback only. */
typedef struct dy_input {
  const char *name;  /* path ("-" = stdin), "path#N" for record N (1-based) */
  const char *bytes; /* content */
  size_t n;          /* bytes in content */
  const char *url;   /* from the container, or NULL */
  const char *date;  /* YYYY-MM-DD from the container, or NULL */
  const char *title; /* from the container, or NULL */
  const char *ctype; /* content type from the container ("text/html;
                        charset=..." from a WARC HTTP header, "text/html"
                        for a JSONL `html` field), or NULL: sniff */
} dy_input;

/* Called per document; return nonzero to stop the reading. */
typedef int (*dy_input_fn)(const dy_input *in, void *ud);
/* Called per input (or record) that cannot be read: name, DY_E* code and a
 * message; reading goes on. */
typedef void (*dy_input_err_fn)(const char *name, int rc, const char *msg,
                                void *ud);

/* Input formats; DY_FMT_AUTO detects by file name and content. */
typedef enum {
  DY_FMT_AUTO = 0, /* by extension (.warc .jsonl .csv .sgm, .gz inside) and
                      content (gzip magic, "WARC/", "<REUTERS", JSON lines) */
  DY_FMT_DOC,      /* one document (plain text or HTML, told apart later) */
  DY_FMT_WARC,     /* WARC 1.0/1.1: response and resource records */
  DY_FMT_JSONL,    /* one JSON object per line: url, date, title, text|html */
  DY_FMT_CSV,      /* RFC 4180 with a header row: url, date, title, text|html */
  DY_FMT_SGML      /* Reuters-21578: <REUTERS> records */
} dy_format;

typedef struct dy_read_opts {
  size_t max_bytes; /* per-document cap, 0 = no cap */
  int format;       /* dy_format; 0 = detect */
} dy_read_opts;

#ifndef DY_MAX_CONTAINER_BYTES
#define DY_MAX_CONTAINER_BYTES ((size_t)1 << 30) /* container file, unpacked */
#endif

/* Reads path ("-" = standard input; a directory is walked as by dy_walk)
 * and hands every document to fn, every failure to efn. Returns DY_OK, or the
 * callback's nonzero value when it stopped the reading. Not thread-safe per
 * call; separate calls may run in separate threads. */
int dy_read_inputs(const char *path, const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud);

/* As dy_read_inputs for bytes already in memory (borrowed): name is used for
 * the extension and for record names. gzip data is unpacked first (several
 * members are one stream; truncated data is reported and the complete
 * records before the cut are still read). Returns DY_OK or the callback's
 * nonzero value. */
int dy_read_buffer(const char *name, const char *bytes, size_t n,
                   const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud);

/* A small strict JSON reader (the one behind the JSONL reader), for tools
 * that read JSON files such as evaluation gold sets. dy_json_string decodes
 * the string literal at p[*off] and appends it to out (NULL: check only);
 * dy_json_skip checks and skips any value at p[*off]; dy_json_ws skips white
 * space. On success *off is moved past the value. DY_OK, DY_EFORMAT or
 * DY_ENOMEM. Thread-safe. */
int dy_json_string(const char *p, size_t n, size_t *off, dy_buf *out);
int dy_json_skip(const char *p, size_t n, size_t *off);
void dy_json_ws(const char *p, size_t n, size_t *off);

/* Short name of a format ("warc", "jsonl", ...; "doc" for DY_FMT_DOC). */
const char *dy_format_name(int format);

#endif
