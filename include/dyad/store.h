/* SPDX-License-Identifier: MIT */
/* The store: articles, sentences and events in SQLite (WAL), keyed by the
 * SHA-256 of each input so re-ingesting changes nothing; one transaction per
 * article (or one per batch of articles, each under its own savepoint) so a
 * failure loses nothing already committed. One handle per thread. */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "dyad/core.h"
#include "dyad/engine.h"

#define DY_STORE_SCHEMA_VERSION 1

typedef struct dy_store dy_store;

/* Opens or creates the database at path and migrates it to the current
 * schema. Returns owned handle in *out (close with dy_store_close). */
int dy_store_open(const char *path, dy_store **out, dy_err *err);
void dy_store_close(dy_store *s);
const char *dy_store_errmsg(const dy_store *s);

/* *found = 1 when an article with this content hash is stored. */
int dy_store_has(dy_store *s, const char *hash, int *found);

/* Stores the analysed and coded document d (article, sentences, events) in
 * one transaction. *inserted = 0 when the article was already there (nothing
 * changes). Errors: DY_EDB (message in dy_store_errmsg). */
int dy_store_put(dy_store *s, const dy_doc *d, int *inserted);

/* Batches: after dy_store_begin, each dy_store_put runs under its own
 * savepoint of one open transaction (a failed put undoes its article only)
 * and nothing is durable until dy_store_commit returns DY_OK; *inserted
 * then means "inserted by the commit to come". dy_store_rollback drops the
 * batch (a no-op without one); closing the handle with a batch open rolls
 * it back. Errors: DY_EINVAL (begin inside a batch, commit without one),
 * DY_EDB (also when SQLite itself rolled the transaction back, e.g. disk
 * full: the batch is then over and none of it was stored). */
int dy_store_begin(dy_store *s);
int dy_store_commit(dy_store *s);
void dy_store_rollback(dy_store *s);

/* Checkpoints copy the write-ahead log back into the database file. By
 * default the handle that commits does it once the log passes 1000 pages,
 * disk syncs included, in its own thread. A bulk writer can leave that to
 * another thread: raise (or, 0, turn off) its threshold with
 * dy_store_autocheckpoint and call dy_store_checkpoint on a second handle
 * from the other thread. dy_store_checkpoint is passive: it copies what it
 * can without waiting for readers or the writer; *wal_pages (may be NULL)
 * gets the pages in the log. Errors: DY_EDB. */
int dy_store_autocheckpoint(dy_store *s, int pages);
int dy_store_checkpoint(dy_store *s, int *wal_pages);

typedef struct dy_query {
  const char *source; /* actor code prefix ("RUS", "RUSGOV"), or NULL */
  const char *target; /* actor code prefix, or NULL */
  const char *code;   /* CAMEO event code prefix ("05", "057"), or NULL */
  const char *from;   /* first date included, "YYYY-MM-DD", or NULL */
  const char *to;     /* last date included, or NULL */
  long limit;         /* max rows, 0 = all */
} dy_query;

/* One stored event; strings borrowed for the duration of the callback. */
typedef struct dy_event_row {
  long id;                    /* event id */
  const char *article;        /* article content hash */
  const char *name;           /* input name of the article */
  const char *date;           /* YYYY-MM-DD or "" */
  const char *source;         /* actor code */
  const char *source_country; /* country code or "" */
  const char *target;         /* actor code */
  const char *target_country; /* country code or "" */
  const char *code;           /* CAMEO event code */
  const char *root;           /* root code */
  int quad;                   /* QuadClass */
  double goldstein;           /* Goldstein score */
  long sentence_index;        /* sentence index in the article */
  const char *sentence;       /* sentence text */
  const char *json;           /* the full record as printed by dyad code */
} dy_event_row;

typedef int (*dy_row_fn)(const dy_event_row *row, void *ud);

/* Calls fn for each matching event ordered by date, article hash, sentence
 * index and event order within the article: the same rows come out in the
 * same order whatever order they were stored in. fn returning nonzero
 * stops. Errors: DY_EINVAL (bad date), DY_EDB. */
int dy_store_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud);

typedef struct dy_store_counts {
  long articles;  /* rows in articles */
  long sentences; /* rows in sentences */
  long events;    /* rows in events */
} dy_store_counts;
int dy_store_counts_get(dy_store *s, dy_store_counts *c);

/* Appends a plain-text summary (counts, events per root, top dyads, latest
 * events) to out. */
int dy_store_summary(dy_store *s, dy_buf *out);

#endif
