/* SPDX-License-Identifier: MIT */
/* The store: articles, sentences, deduplicated events and their mentions in
 * SQLite (WAL). A document is keyed by the SHA-256 of its input bytes and
 * its URL, so re-ingesting changes nothing; one transaction per article (or
 * one per batch of articles, each under its own savepoint) so a failure
 * loses nothing already committed. Derived views: near-duplicate articles
 * (SimHash), full-text search (FTS5), "more like this", dyad time series,
 * the alignment graph, GDELT/JSONL/CSV exports and saved queries
 * (docs/STORE.md). One handle per thread. */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "dyad/core.h"
#include "dyad/engine.h"

#define DY_STORE_SCHEMA_VERSION 2

typedef struct dy_store dy_store;

/* Opens or creates the database at path and migrates it to the current
 * schema. path is a SQLite file, or a PostgreSQL connection URI
 * ("postgresql://user:pass@host:port/db?..." or "postgres://...", libpq
 * syntax): the PostgreSQL backend (docs/SCALE.md). Returns owned handle in *out
 * (close with dy_store_close). */
int dy_store_open(const char *path, dy_store **out, dy_err *err);
void dy_store_close(dy_store *s);
/* 1 when path names a database server (postgresql:// or postgres://)
 * rather than a file. */
int dy_store_is_remote(const char *path);
const char *dy_store_errmsg(const dy_store *s);

/* *found = 1 when an article with this content hash is stored (under any
 * URL). */
int dy_store_has(dy_store *s, const char *hash, int *found);
/* *found = 1 when the document (input hash, url) is stored; url NULL or ""
 * means "no URL". This is the identity dy_store_put uses: the same bytes
 * under a second URL are a second document (an exact duplicate). */
int dy_store_has_doc(dy_store *s, const char *hash, const char *url,
                     int *found);

/* Stores the analysed and coded document d (article, sentences, mentions,
 * events) in one transaction. *inserted = 0 when the document (hash, url)
 * was already there (nothing changes). An article whose body has the content
 * hash of a stored one, or whose SimHash is within DY_SIMHASH_MAX_DIST bits
 * of one, is marked as a duplicate of that first copy; its events take the
 * first copy's date, so they become mentions of the same events. Each coded
 * event is merged into the event with the same (date, source, target, code,
 * place) and adds one mention. Agreement and military cooperation events
 * update the alignment graph. Errors: DY_EDB (message in dy_store_errmsg). */
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
  long offset;        /* rows skipped first (paging), 0 = none */
  const char *actor;  /* actor code prefix on either side, or NULL */
  const char *source_country; /* exact country code of the source, or NULL */
  const char *target_country; /* exact country code of the target, or NULL */
  const char *country;        /* exact country code on either side, or NULL */
  int quad;                   /* QuadClass 1..4, 0 = any */
  long min_mentions;          /* at least this many mentions, 0 = any */
  const char *article; /* article content hash prefix (any mention), or NULL */
  const char *text;    /* FTS5 query over the mentioning articles, or NULL */
  int roots_only;      /* nonzero: events mentioned in a lead paragraph only */
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
  const char *source_name;    /* display name of the source or "" */
  const char *target_name;    /* display name of the target or "" */
  const char *source_role;    /* role code ("GOV") or "" */
  const char *target_role;    /* role code or "" */
  const char *place;          /* action place or "" (not coded yet) */
  long num_mentions;          /* mentions of the event */
  long num_sources;           /* distinct sources among them */
  long num_articles;          /* distinct articles among them */
  int is_root;                /* first mention in a lead paragraph */
  const char *url;            /* URL of the first mention's article or "" */
  const char *added;          /* when first stored, "YYYY-MM-DD HH:MM:SS" */
} dy_event_row;

typedef int (*dy_row_fn)(const dy_event_row *row, void *ud);

/* Calls fn for each matching (deduplicated) event ordered by date, first
 * article hash, sentence index and id: the same rows come out in the same
 * order whatever order they were stored in. The article, name, sentence and
 * json fields are those of the event's first mention. fn returning nonzero
 * stops. Errors: DY_EINVAL (bad date, bad FTS query), DY_EDB. */
int dy_store_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud);

typedef struct dy_store_counts {
  long articles;   /* rows in articles */
  long sentences;  /* rows in sentences */
  long events;     /* rows in events (deduplicated) */
  long mentions;   /* rows in mentions */
  long duplicates; /* articles marked as duplicates of a first copy */
} dy_store_counts;
int dy_store_counts_get(dy_store *s, dy_store_counts *c);

/* Appends a plain-text summary (counts, events per root, top dyads, latest
 * events) to out. */
int dy_store_summary(dy_store *s, dy_buf *out);

/* ==== near-duplicates ==================================================== */

#define DY_SIMHASH_SHINGLE 3 /* words per shingle */
#define DY_SIMHASH_MAX_DIST                                                    \
  7                                /* most differing bits of a near-duplicate  \
                                      (8 bands of 8 bits are indexed) */
#define DY_SIMHASH_MIN_SHINGLES 20 /* shorter bodies: exact duplicates only */
#define DY_SIMHASH_MAX_DAYS                                                    \
  3 /* near-duplicates are published this close                                \
       (or both undated) */

/* 64-bit SimHash of text over shingles of DY_SIMHASH_SHINGLE lower-cased
 * words (ASCII letters and digits, other bytes >= 0x80 kept as letters);
 * each shingle is hashed with FNV-1a 64 and votes with weight 1.
 * *nshingles (may be NULL) gets the shingle count. Thread-safe. */
uint64_t dy_simhash(const char *text, size_t n, size_t *nshingles);
/* Bits that differ between two hashes. */
int dy_hamming64(uint64_t a, uint64_t b);

/* ==== articles, full-text search, more like this ======================== */

/* One stored article; strings borrowed for the duration of the callback. */
typedef struct dy_article_row {
  long id;              /* article id (rowid) */
  const char *hash;     /* input content hash */
  const char *name;     /* input name */
  const char *url;      /* URL or "" */
  const char *headline; /* headline or "" */
  const char *date;     /* YYYY-MM-DD or "" */
  long dup_of;          /* id of the first copy when a duplicate, else 0 */
  const char *dup_kind; /* "exact", "near" or "" */
  double score;         /* search or similarity score (higher = better) */
  long shared_terms;    /* similar: query terms the article holds */
  long shared_actors;   /* similar: actor countries in common */
  const char *snippet;  /* search: text around the match, or "" */
} dy_article_row;

typedef int (*dy_article_fn)(const dy_article_row *row, void *ud);

/* Full-text search (FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*)
 * over headline and body, best first (bm25, headline weighted 2), at most
 * limit rows (0 = 20), skipping offset. Errors: DY_EINVAL (bad query
 * syntax), DY_EDB. */
int dy_store_search(dy_store *s, const char *query, long limit, long offset,
                    dy_article_fn fn, void *ud);

/* Resolves an article reference: a decimal id, or a prefix (at least 6 hex
 * digits) of its content hash. DY_ENOENT when nothing (or more than one
 * article) matches. */
int dy_store_article_id(dy_store *s, const char *ref, long *id);

typedef struct dy_similar_opts {
  int k;               /* articles to return, 0 = 10 */
  int max_terms;       /* query terms, 0 = 25 */
  double min_match;    /* share of query terms a candidate must hold, 0 = 0.1 */
  double actor_weight; /* weight of the shared-actor score, <0 = 0.5 */
  int include_dups;    /* nonzero: also list duplicates of the article */
} dy_similar_opts;

/* "More like this": the top k articles related to article id, by the
 * article's top tf-idf terms (document frequencies from the FTS5 index;
 * each term scored by bm25 in the candidate, boosted by its tf-idf weight;
 * a candidate must hold min_match of the terms) plus the actor countries
 * shared with the article's events (docs/STORE.md). Calls fn best first;
 * *terms (may be NULL) gets the query terms as "term:weight" joined by
 * spaces. Errors: DY_ENOENT (no such article), DY_EDB. */
int dy_store_similar(dy_store *s, long id, const dy_similar_opts *o,
                     dy_article_fn fn, void *ud, dy_buf *terms);

/* ==== time series ======================================================= */

enum { DY_BY_DAY, DY_BY_WEEK, DY_BY_MONTH, DY_BY_YEAR };

typedef struct dy_series_opts {
  const char *a;    /* actor code prefix (required) */
  const char *b;    /* second actor code prefix, or NULL: every event of a */
  int both;         /* with b: a->b and b->a; otherwise a->b only */
  int by;           /* DY_BY_* (weeks start on Monday) */
  const char *from; /* first date, or NULL */
  const char *to;   /* last date, or NULL */
  const char *code; /* CAMEO code prefix, or NULL */
} dy_series_opts;

typedef struct dy_series_row {
  const char *period;    /* "2024-06-19", "2024-06-17" (week's Monday),
                            "2024-06", "2024" */
  long events;           /* deduplicated events */
  long mentions;         /* their mentions */
  double goldstein_sum;  /* sum of Goldstein scores over events */
  double goldstein_mean; /* mean over events */
  long cooperation;      /* events with QuadClass 1 or 2 */
  long conflict;         /* events with QuadClass 3 or 4 */
} dy_series_row;

typedef int (*dy_series_fn)(const dy_series_row *row, void *ud);

/* Counts and Goldstein sums per period, oldest first; periods without
 * events are not reported. Errors: DY_EINVAL, DY_EDB. */
int dy_store_series(dy_store *s, const dy_series_opts *o, dy_series_fn fn,
                    void *ud);

/* ==== alignments ======================================================== */

/* Loads the baseline alignments (data/alignments.tsv format, docs/STORE.md)
 * from path, replacing the baseline rows in one transaction; does nothing
 * when the same file content is already loaded. Bad lines fail the load
 * with "path:line: why" in dy_store_errmsg. Errors: DY_ENOENT, DY_EFORMAT,
 * DY_EDB. */
int dy_store_alignments_load(dy_store *s, const char *path);

typedef struct dy_alignment_row {
  const char *a;        /* party (CAMEO country code); with an actor filter,
                           the actor */
  const char *b;        /* other party */
  const char *kind;     /* "mutual defense", "alliance", "strategic
                           partnership", "non-aggression" */
  const char *name;     /* treaty or organisation, or "" */
  const char *start;    /* YYYY-MM-DD */
  const char *end;      /* YYYY-MM-DD or "" (in force) */
  const char *origin;   /* "baseline" or "event" */
  const char *note;     /* source note (baseline) or "" */
  const char *evidence; /* event edges: article hash of the creating event */
  const char *evidence_name; /* its input name or URL */
  long evidence_sentence;    /* its sentence index, -1 when none */
  long strength;           /* cooperation/renewal events seen up to the date */
  const char *change;      /* changes view: "started", "ended", "renewed",
                              "strengthened"; else "" */
  const char *change_date; /* changes view: when */
} dy_alignment_row;

typedef int (*dy_alignment_fn)(const dy_alignment_row *row, void *ud);

/* Edges in force at date at (NULL = today's date is not assumed: every
 * edge), those of actor only when actor is not NULL (country code), sorted
 * by party then kind. Errors: DY_EINVAL, DY_EDB. */
int dy_store_alignments(dy_store *s, const char *at, const char *actor,
                        dy_alignment_fn fn, void *ud);
/* What changed in (d1, d2]: edges started or ended, renewed or
 * strengthened by coded events, ordered by date. */
int dy_store_alignment_changes(dy_store *s, const char *d1, const char *d2,
                               const char *actor, dy_alignment_fn fn, void *ud);

/* ==== exports =========================================================== */

enum {
  DY_EXPORT_GDELT,    /* GDELT 2.0 events: 61 tab-separated columns */
  DY_EXPORT_MENTIONS, /* GDELT 2.0 mentions: 16 tab-separated columns */
  DY_EXPORT_JSONL,    /* one JSON object per event */
  DY_EXPORT_CSV       /* RFC 4180 with a header row */
};

#define DY_GDELT_EVENT_COLUMNS   61
#define DY_GDELT_MENTION_COLUMNS 16

/* Writes the events matching q (limit/offset apply to events) in format fmt,
 * one record at a time: fn gets each chunk of output (a whole line).
 * Errors: DY_EINVAL, DY_EDB, or fn's nonzero value. */
typedef int (*dy_out_fn)(const char *p, size_t n, void *ud);
int dy_store_export(dy_store *s, const dy_query *q, int fmt, dy_out_fn fn,
                    void *ud);

/* ==== bulk dump (for column stores) ===================================== */

enum { DY_DUMP_ARTICLES, DY_DUMP_EVENTS, DY_DUMP_MENTIONS };

/* Columns of each dump, in order (NULL values come as NULL):
 * articles: id, hash, url, name, headline, date, source, dup_of, dup_kind,
 *           ingested_at
 * events:   id, date, source, source_country, target, target_country, code,
 *           root, quad, goldstein, num_mentions, num_sources, num_articles,
 *           is_root, article_id, added_at
 * mentions: id, event_id, article_id, date, source, target, code (of the
 *           event), sentence_idx, confidence, source name of the article */
#define DY_DUMP_ARTICLE_COLS 10
#define DY_DUMP_EVENT_COLS   16
#define DY_DUMP_MENTION_COLS 10
typedef int (*dy_dump_fn)(const char *const *v, int n, void *ud);
/* Calls fn with the rows of table whose id is above after, in id order, at
 * most limit rows (> 0). fn returning nonzero stops (and is returned).
 * Errors: DY_EINVAL, DY_EDB. */
int dy_store_dump(dy_store *s, int table, long long after, long limit,
                  dy_dump_fn fn, void *ud);

/* ==== portable SQL ====================================================== */

/* Callback of dy_store_sql: the row's n column values as text (NULL for SQL
 * NULL), borrowed for the duration of the call; nonzero stops. */
typedef int (*dy_sql_row_fn)(const char *const *v, int n, void *ud);

/* Runs one SQL statement written in the dialect both backends accept
 * (coalesce, not ifnull; CAST(x AS INTEGER); "end" quoted) with
 * parameters ?1..?N, the text values params[0..nparams) (NULL for SQL
 * NULL; on PostgreSQL ?K becomes $K and a parameter takes its type from
 * where it is used, so write CAST(?K AS TEXT) where it could not), and
 * calls fn (may be NULL) per result row. For the web server's own reads
 * and its saved-query table. Errors: DY_EINVAL (bad parameter value on
 * PostgreSQL), DY_EDB, or fn's nonzero value. */
int dy_store_sql(dy_store *s, const char *sql, const char *const *params,
                 int nparams, dy_sql_row_fn fn, void *ud);

/* "sqlite" or "postgresql". */
const char *dy_store_backend(const dy_store *s);

/* ==== saved queries ===================================================== */

/* Saves q under name (replacing one of that name). Strings of q are
 * copied. Errors: DY_EINVAL (empty name), DY_EDB. */
int dy_store_saved_put(dy_store *s, const char *name, const dy_query *q);
/* Loads the saved query name into q; its strings live in *storage (owned
 * by the caller: dy_buf_fini it). DY_ENOENT when no such query. */
int dy_store_saved_get(dy_store *s, const char *name, dy_query *q,
                       dy_buf *storage);
/* Calls fn with each saved query's name and its "key=value&..." form. */
typedef int (*dy_saved_fn)(const char *name, const char *params,
                           const char *created, void *ud);
int dy_store_saved_list(dy_store *s, dy_saved_fn fn, void *ud);
/* DY_ENOENT when no such query. */
int dy_store_saved_delete(dy_store *s, const char *name);

#endif
