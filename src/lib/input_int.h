/* SPDX-License-Identifier: MIT */
/* Internals of the container readers (input.c, warc.c, jsonl.c, csv.c,
 * sgml.c): a record sink that numbers records, names them "path#N", applies
 * the per-document cap and reports bad records through the error callback. */
#ifndef DYAD_INPUT_INT_H
#define DYAD_INPUT_INT_H

#include "dyad/read.h"

#ifndef DY_MAX_RECORD_FIELD
#define DY_MAX_RECORD_FIELD ((size_t)4 << 10) /* url/date/title bytes kept */
#endif

typedef struct dy__sink {
  const char *path;         /* container name, borrowed */
  const dy_read_opts *opts; /* caps, borrowed (may be NULL) */
  dy_input_fn fn;           /* document callback */
  dy_input_err_fn efn;      /* error callback (may be NULL) */
  void *ud;                 /* callbacks' user data */
  size_t nrec;              /* records numbered so far */
  size_t ndocs;             /* documents handed to fn */
  size_t nfail;             /* records reported as bad */
  int stop;                 /* fn's nonzero value once it stopped reading */
  dy_buf name;              /* "path#N" of the current record */
} dy__sink;

/* Starts record number ++s->nrec; returns its name ("path#N"). */
const char *dy__sink_next(dy__sink *s);
/* Hands in (name set by dy__sink_next unless in->name is set) to the
 * callback; a document over the cap is reported instead. Returns s->stop. */
int dy__sink_emit(dy__sink *s, dy_input *in);
/* Reports the current record as bad: "record N: <message>". */
void dy__sink_fail(dy__sink *s, int rc, const char *fmt, ...) DY_PRINTF(3, 4);

/* Each reader splits p[0..n) (borrowed) into records. They return DY_OK,
 * or a negative code after reporting when the container cannot be read at
 * all; s->stop tells the caller the callback asked to stop. */
int dy__warc_read(dy__sink *s, const char *p, size_t n);
int dy__jsonl_read(dy__sink *s, const char *p, size_t n);
int dy__csv_read(dy__sink *s, const char *p, size_t n);
int dy__sgml_read(dy__sink *s, const char *p, size_t n);

/* Unpacks gzip data (one or more members) into out (reset first), at most
 * max bytes. DY_OK; DY_EFORMAT when the data is not gzip or is truncated or
 * corrupt (out keeps what was unpacked before the fault; message in err);
 * DY_ETOOBIG over max; DY_ENOMEM. */
int dy__gunzip(const char *p, size_t n, size_t max, dy_buf *out, dy_err *err);

/* Copies a date given as "YYYY-MM-DD..." (ISO 8601 timestamps too) into
 * out[11]; "" when it does not start with a valid date. */
void dy__iso_date(const char *p, size_t n, char out[11]);

/* Parses one JSON value at p[*i..n) that must be a string; appends the
 * decoded UTF-8 to out (when not NULL). Strict: control characters,
 * bad escapes and lone surrogates fail. DY_OK or DY_EFORMAT. */
int dy__json_string(const char *p, size_t n, size_t *i, dy_buf *out);

#endif
