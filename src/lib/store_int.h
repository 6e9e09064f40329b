/* SPDX-License-Identifier: MIT */
/* Private to the store module (store.c: schema, ingest, queries;
 * store_views.c: search, similar, series, alignments, exports, saved
 * queries): the handle and the small SQLite helpers both files use. */
#ifndef DYAD_STORE_INT_H
#define DYAD_STORE_INT_H

#include "dyad/store.h"

#include <sqlite3.h>

struct dy_store {
  sqlite3 *db;            /* the connection, owned */
  sqlite3_stmt *stmt[32]; /* cached statements, NULL until first use */
  dy_buf json;            /* scratch for event records */
  dy_buf scratch;         /* scratch for SQL and text */
  dy_err err;             /* last error */
  int batch;              /* inside dy_store_begin .. dy_store_commit */
  sqlite3_int64 fts_mark; /* articles above this id are not yet in the
                             full-text index (batch only) */
  struct dy__pg *pg;      /* PostgreSQL backend (store_pg.c) when not NULL;
                             db is then NULL */
};

/* The duplicate marks of an article about to be stored. */
typedef struct dy__dup_info {
  char body_hash[65]; /* SHA-256 of the body */
  uint64_t simhash;   /* dy_simhash of the body */
  size_t nshingles;   /* shingles it was built from */
  long long of;       /* first copy, 0 when none */
  const char *kind;   /* "exact", "near" or NULL */
  int dist;           /* Hamming distance to the first copy */
} dy__dup_info;

/* Alignments from coded events (store.c; docs/STORE.md): what event ev,
 * dated date and coded from the sentence sent[0..n), says of the
 * alignment of its two states *a < *b: DY__ALIGN_NONE; DY__ALIGN_COOP, a
 * military co-operation that strengthens whatever binds them; or
 * DY__ALIGN_PACT, a signed pact of kind *kind. */
enum { DY__ALIGN_NONE, DY__ALIGN_COOP, DY__ALIGN_PACT };
int dy__align_of(const dy_event *ev, const char *date, const char *sent,
                 size_t n, const char **a, const char **b, const char **kind);

/* The date n days from date ("YYYY-MM-DD") into out[11]; "" if invalid. */
void dy__date_add(const char *date, int n, char out[11]);

/* ---- the PostgreSQL backend (store_pg.c) ---------------------------------
 * store.c and store_views.c call these when s->pg is set; errors are set on
 * the handle as for SQLite. */
int dy__pg_is_url(const char *path);
int dy__pg_open(dy_store *s, const char *url);
void dy__pg_close(dy_store *s);
int dy__pg_has(dy_store *s, const char *hash, const char *url, int doc,
               int *found);
int dy__pg_put(dy_store *s, const dy_doc *d, int *inserted);
int dy__pg_begin(dy_store *s);
int dy__pg_commit(dy_store *s);
void dy__pg_rollback(dy_store *s);
int dy__pg_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud);
int dy__pg_counts(dy_store *s, dy_store_counts *c);
/* kind: 0 events per root, 1 top dyads, 2 latest events */
int dy__pg_summary_section(dy_store *s, dy_buf *out, int kind);
int dy__pg_series(dy_store *s, const dy_series_opts *o, dy_series_fn fn,
                  void *ud);
int dy__pg_search(dy_store *s, const char *query, long limit, long offset,
                  dy_article_fn fn, void *ud);
int dy__pg_article_id(dy_store *s, const char *ref, long *id);
/* The event query for q with columns cols, joins from_extra and tail
 * (ORDER BY; no limit), rows as text to fn (dy__store_prepare_events'
 * counterpart). */
int dy__pg_event_rows(dy_store *s, const dy_query *q, const char *cols,
                      const char *from_extra, const char *tail,
                      dy_sql_row_fn fn, void *ud);
/* dy_store_sql on PostgreSQL: ?K becomes $K. */
int dy__pg_sql(dy_store *s, const char *sql, const char *const *params,
               int nparams, dy_sql_row_fn fn, void *ud);
/* Transactions around a multi-statement change made with dy_store_sql
 * (outside a batch: BEGIN and the write lock; inside one: a savepoint).
 * dy__pg_xact_end commits (ok) or rolls back. */
int dy__pg_xact_begin(dy_store *s);
int dy__pg_xact_end(dy_store *s, int ok);
/* Runs sql (parameters $1 = after, $2 = limit) and calls fn per row with
 * the column values (NULL for SQL NULL). */
int dy__pg_dump(dy_store *s, const char *sql, long long after, long limit,
                dy_dump_fn fn, void *ud);

/* Sets DY_EDB with "<what>: <sqlite message>" on the handle. */
int dy__store_fail(dy_store *s, const char *what);
/* Column text as a C string, "" for NULL. */
const char *dy__col_text(sqlite3_stmt *st, int i);
/* DY_EINVAL with a message unless date is NULL or a valid YYYY-MM-DD. */
int dy__store_check_date(dy_store *s, const char *what, const char *date);
/* Prepares the event query for q: "SELECT <cols> FROM events e JOIN
 * articles a ON a.id = e.article_id LEFT JOIN sentences s ... WHERE
 * <filters> <tail>", binds the filter values (borrowed from q until the
 * statement is finalized). order_limit: append ORDER BY and LIMIT/OFFSET.
 * Returns owned statement in *out (sqlite3_finalize it). */
int dy__store_prepare_events(dy_store *s, const dy_query *q, const char *cols,
                             const char *from_extra, const char *tail,
                             int order_limit, sqlite3_stmt **out);
/* Fills row from a statement whose first columns are DY__EVENT_COLS. */
#define DY__EVENT_COLS                                                         \
  "e.id, a.hash, a.name, e.date, e.source, e.source_country, e.target, "       \
  "e.target_country, e.code, e.root, e.quad, e.goldstein, e.sentence_idx, "    \
  "s.text, e.json, e.source_name, e.target_name, e.source_role, "              \
  "e.target_role, e.place, e.num_mentions, e.num_sources, e.num_articles, "    \
  "e.is_root, a.url, e.added_at"
#define DY__EVENT_NCOLS 26
void dy__event_row_fill(sqlite3_stmt *st, dy_event_row *row);
/* Sets the error after a failed step: DY_EINVAL for a bad FTS5 query in
 * q->text, else DY_EDB. */
int dy__store_step_fail(dy_store *s, const dy_query *q);
/* The source name of a document: URL host without "www.", else the
 * dateline agency, else "". Writes at most cap bytes with a NUL. */
void dy__source_name(const char *url, const char *agency, char *out,
                     size_t cap);

#endif
