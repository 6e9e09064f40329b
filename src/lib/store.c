/* SPDX-License-Identifier: MIT */
/* The SQLite store: versioned schema migrations, idempotent ingest of one
 * coded article per transaction or per savepoint of a batch (keyed by content
 * hash), filtered event queries with bound parameters only, counts and a
 * plain-text summary. */
#include "dyad/store.h"

#include <sqlite3.h>
#include <string.h>

#ifndef DY_STORE_BUSY_MS
#define DY_STORE_BUSY_MS 5000 /* wait this long for another writer */
#endif
#define SUMMARY_SENTENCE_BYTES 80 /* sentence bytes shown in the summary */

/* ==== schema ============================================================ */

/* Migration i (0-based) takes the schema from version i to i + 1. Append
 * only: a released migration never changes. */
static const char *const migrations[] = {
    /* v1: articles, their sentences and the coded events */
    "CREATE TABLE articles(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL UNIQUE,\n"
    "  name TEXT,\n"
    "  headline TEXT,\n"
    "  date TEXT,\n"
    "  places TEXT,\n"
    "  agency TEXT,\n"
    "  dateline TEXT,\n"
    "  body TEXT,\n"
    "  nsentences INTEGER,\n"
    "  nevents INTEGER,\n"
    "  nbad_utf8 INTEGER,\n"
    "  ingested_at TEXT DEFAULT CURRENT_TIMESTAMP\n"
    ");\n"
    "CREATE TABLE sentences(\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,\n"
    "  off INTEGER,\n"
    "  len INTEGER,\n"
    "  text TEXT,\n"
    "  PRIMARY KEY(article_id, idx)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  sentence_idx INTEGER,\n"
    "  date TEXT,\n"
    "  source TEXT,\n"
    "  source_country TEXT,\n"
    "  source_name TEXT,\n"
    "  target TEXT,\n"
    "  target_country TEXT,\n"
    "  target_name TEXT,\n"
    "  code TEXT,\n"
    "  root TEXT,\n"
    "  quad INTEGER,\n"
    "  goldstein REAL,\n"
    "  verb_off INTEGER,\n"
    "  verb_len INTEGER,\n"
    "  json TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX events_date ON events(date);\n"
    "CREATE INDEX events_source ON events(source);\n"
    "CREATE INDEX events_target ON events(target);\n"
    "CREATE INDEX events_code ON events(code);\n"
    "CREATE INDEX events_article ON events(article_id);\n",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(sizeof migrations / sizeof migrations[0] ==
                   DY_STORE_SCHEMA_VERSION,
               "one migration per schema version");

/* ==== handle ============================================================ */

/* Statements prepared once per handle, on first use. */
enum {
  ST_BEGIN,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_SAVEPOINT,
  ST_RELEASE,
  ST_ROLLBACK_TO,
  ST_HAS,
  ST_INS_ARTICLE,
  ST_INS_SENTENCE,
  ST_INS_EVENT,
  ST_COUNTS,
  ST_N
};

static const char *const stmt_sql[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT put",
    [ST_RELEASE] = "RELEASE put",
    [ST_ROLLBACK_TO] = "ROLLBACK TO put",
    [ST_HAS] = "SELECT 1 FROM articles WHERE hash = ?1",
    [ST_INS_ARTICLE] =
        "INSERT INTO articles(hash, name, headline, date, places, agency, "
        "dateline, body, nsentences, nevents, nbad_utf8) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [ST_INS_SENTENCE] =
        "INSERT INTO sentences(article_id, idx, off, len, text) "
        "VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_INS_EVENT] =
        "INSERT INTO events(article_id, sentence_idx, date, source, "
        "source_country, source_name, target, target_country, target_name, "
        "code, root, quad, goldstein, verb_off, verb_len, json) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16)",
    [ST_COUNTS] = "SELECT (SELECT count(*) FROM articles), "
                  "(SELECT count(*) FROM sentences), "
                  "(SELECT count(*) FROM events)",
};

struct dy_store {
  sqlite3 *db;              /* the connection, owned */
  sqlite3_stmt *stmt[ST_N]; /* cached statements, NULL until first use */
  dy_buf json;              /* scratch for event records */
  dy_err err;               /* last error */
  int batch;                /* inside dy_store_begin .. dy_store_commit */
};

/* Sets DY_EDB with "<what>: <sqlite message>" on the handle. Call before
 * anything else touches the connection (a rollback rewrites the message). */
static int db_fail(dy_store *s, const char *what)
{
  return dy_err_set(&s->err, DY_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

/* Returns the cached statement k, reset with no bindings, or NULL with the
 * error set on the handle. */
static sqlite3_stmt *stmt_get(dy_store *s, int k)
{
  sqlite3_stmt *st = s->stmt[k];
  if (st == NULL) {
    if (sqlite3_prepare_v3(s->db, stmt_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                           &st, NULL) != SQLITE_OK) {
      db_fail(s, "prepare");
      return NULL;
    }
    s->stmt[k] = st;
  }
  return st;
}

/* Readies a statement after use: the bindings may point into a document
 * that is about to be reset, so they are cleared too. */
static void stmt_done(sqlite3_stmt *st)
{
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

/* Runs a statement that returns no rows of interest. */
static int run_simple(dy_store *s, int k, const char *what)
{
  sqlite3_stmt *st = stmt_get(s, k);
  int rc;
  if (st == NULL)
    return DY_EDB;
  rc = sqlite3_step(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    db_fail(s, what);
    stmt_done(st);
    return DY_EDB;
  }
  stmt_done(st);
  return DY_OK;
}

/* Rolls back the open transaction, if any, keeping the error already set. */
static void rollback(dy_store *s)
{
  sqlite3_stmt *st;
  if (sqlite3_get_autocommit(s->db))
    return; /* SQLite already rolled back (e.g. after SQLITE_FULL) */
  st = stmt_get(s, ST_ROLLBACK);
  if (st) {
    sqlite3_step(st);
    stmt_done(st);
  } else {
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  }
}

/* Binds s[0..n) as text, or NULL when s is NULL. The statement is stepped
 * and reset before the caller's data can change, so SQLITE_STATIC is safe. */
static int bind_text(sqlite3_stmt *st, int i, const char *p, size_t n)
{
  if (p == NULL)
    return sqlite3_bind_null(st, i);
  return sqlite3_bind_text64(st, i, p, (sqlite3_uint64)n, SQLITE_STATIC,
                             SQLITE_UTF8);
}

static int bind_cstr(sqlite3_stmt *st, int i, const char *p)
{
  return bind_text(st, i, p, p ? strlen(p) : 0);
}

/* Dates: "" (unknown) is stored as NULL so date ranges never match it. */
static int bind_date(sqlite3_stmt *st, int i, const char *p)
{
  return bind_cstr(st, i, p && *p ? p : NULL);
}

/* Column text as a C string, "" for NULL. */
static const char *col_text(sqlite3_stmt *st, int i)
{
  const unsigned char *p = sqlite3_column_text(st, i);
  return p ? (const char *)p : "";
}

/* ==== open, migrate, close ============================================== */

/* Reads schema_version into *version (0 for a new database). */
static int read_version(dy_store *s, long long *version)
{
  sqlite3_stmt *st = NULL;
  int rc, ret = DY_OK;
  *version = 0;
  rc = sqlite3_prepare_v2(s->db,
                          "SELECT value FROM meta WHERE key = 'schema_version'",
                          -1, &st, NULL);
  if (rc != SQLITE_OK) {
    /* a database without a meta table yet is version 0 */
    sqlite3_stmt *chk = NULL;
    int missing = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM sqlite_master "
                           "WHERE type = 'table' AND name = 'meta'",
                           -1, &chk, NULL) == SQLITE_OK &&
        sqlite3_step(chk) == SQLITE_ROW)
      missing = sqlite3_column_int(chk, 0) == 0;
    if (!missing)
      ret = db_fail(s, "cannot read the schema version");
    sqlite3_finalize(chk);
    return ret;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    if (sqlite3_column_type(st, 0) != SQLITE_INTEGER &&
        sqlite3_column_type(st, 0) != SQLITE_TEXT)
      ret = dy_err_set(&s->err, DY_EVERSION, "unreadable schema version");
    else
      *version = sqlite3_column_int64(st, 0);
    if (ret == DY_OK && *version < 1)
      ret =
          dy_err_set(&s->err, DY_EVERSION, "bad schema version %lld", *version);
  } else if (rc != SQLITE_DONE) {
    ret = db_fail(s, "cannot read the schema version");
  }
  sqlite3_finalize(st);
  return ret;
}

static int check_version(dy_store *s, long long version)
{
  if (version > NMIGRATIONS)
    return dy_err_set(&s->err, DY_EVERSION,
                      "database schema version %lld is newer than this dyad "
                      "supports (%d); upgrade dyad",
                      version, NMIGRATIONS);
  return DY_OK;
}

/* Brings the schema to the current version, one transaction for all steps. */
static int migrate(dy_store *s)
{
  long long version;
  char *msg = NULL;
  int rc, i;
  rc = read_version(s, &version);
  if (rc == DY_OK)
    rc = check_version(s, version);
  if (rc < 0 || version == NMIGRATIONS)
    return rc;
  /* take the write lock, then look again: another process may have won */
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_fail(s, "cannot start the schema migration");
  rc = sqlite3_exec(s->db,
                    "CREATE TABLE IF NOT EXISTS meta("
                    "key TEXT PRIMARY KEY, value) WITHOUT ROWID",
                    NULL, NULL, NULL) == SQLITE_OK
           ? DY_OK
           : db_fail(s, "cannot create the meta table");
  if (rc == DY_OK)
    rc = read_version(s, &version);
  if (rc == DY_OK)
    rc = check_version(s, version);
  for (i = (int)version; rc == DY_OK && i < NMIGRATIONS; i++) {
    if (sqlite3_exec(s->db, migrations[i], NULL, NULL, &msg) != SQLITE_OK) {
      rc = dy_err_set(&s->err, DY_EDB, "migration to schema version %d: %s",
                      i + 1, msg ? msg : "unknown error");
      sqlite3_free(msg);
      msg = NULL;
    }
  }
  if (rc == DY_OK) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO meta(key, value) "
                           "VALUES('schema_version', ?1)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int(st, 1, NMIGRATIONS) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
      rc = db_fail(s, "cannot record the schema version");
    sqlite3_finalize(st);
  }
  if (rc == DY_OK &&
      sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    rc = db_fail(s, "cannot commit the schema migration");
  if (rc < 0)
    rollback(s);
  return rc;
}

int dy_store_open(const char *path, dy_store **out, dy_err *err)
{
  dy_store *s = NULL;
  int rc;
  *out = NULL;
  if (err)
    dy_err_clear(err);
  if (path == NULL || *path == '\0')
    return dy_err_set(err, DY_EINVAL, "no database path");
  s = dy_calloc(1, sizeof *s);
  if (s == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  dy_buf_init(&s->json, 0);
  rc = sqlite3_open_v2(
      path, &s->db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    if (s->db == NULL)
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    else
      rc = db_fail(s, "cannot open the database");
    goto out;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, DY_STORE_BUSY_MS);
  if (sqlite3_exec(s->db,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;",
                   NULL, NULL, NULL) != SQLITE_OK) {
    rc = db_fail(s, "cannot set up the database");
    goto out;
  }
  rc = migrate(s);
out:
  if (rc < 0) {
    if (err)
      *err = s->err;
    dy_store_close(s);
    return rc;
  }
  *out = s;
  return DY_OK;
}

void dy_store_close(dy_store *s)
{
  int k;
  if (s == NULL)
    return;
  for (k = 0; k < ST_N; k++)
    sqlite3_finalize(s->stmt[k]);
  sqlite3_close(s->db);
  dy_buf_fini(&s->json);
  dy_free(s);
}

const char *dy_store_errmsg(const dy_store *s)
{
  if (s == NULL)
    return "no database";
  return s->err.msg;
}

/* ==== ingest ============================================================ */

int dy_store_has(dy_store *s, const char *hash, int *found)
{
  sqlite3_stmt *st;
  int rc, b = SQLITE_OK;
  *found = 0;
  dy_err_clear(&s->err);
  st = stmt_get(s, ST_HAS);
  if (st == NULL)
    return DY_EDB;
  b |= bind_cstr(st, 1, hash);
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *found = 1;
  else if (rc != SQLITE_DONE)
    db_fail(s, "cannot look up the article");
  stmt_done(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DY_OK : DY_EDB;
}

static int put_article(dy_store *s, const dy_article *a, size_t nevents,
                       sqlite3_int64 *id)
{
  sqlite3_stmt *st = stmt_get(s, ST_INS_ARTICLE);
  int rc, b = SQLITE_OK;
  if (st == NULL)
    return DY_EDB;
  b |= bind_cstr(st, 1, a->hash);
  b |= bind_cstr(st, 2, a->name);
  b |= bind_cstr(st, 3, a->headline);
  b |= bind_date(st, 4, a->date);
  b |= bind_cstr(st, 5, a->places);
  b |= bind_cstr(st, 6, a->agency);
  b |= bind_cstr(st, 7, a->dateline);
  b |= bind_text(st, 8, a->text ? a->text : "", a->text ? a->n : 0);
  b |= sqlite3_bind_int64(st, 9, (sqlite3_int64)a->nsents);
  b |= sqlite3_bind_int64(st, 10, (sqlite3_int64)nevents);
  b |= sqlite3_bind_int64(st, 11, (sqlite3_int64)a->nbad_utf8);
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot store the article");
  stmt_done(st);
  if (rc != SQLITE_DONE)
    return DY_EDB;
  *id = sqlite3_last_insert_rowid(s->db);
  return DY_OK;
}

static int put_sentences(dy_store *s, const dy_article *a, sqlite3_int64 id)
{
  sqlite3_stmt *st = stmt_get(s, ST_INS_SENTENCE);
  size_t i;
  if (st == NULL)
    return DY_EDB;
  for (i = 0; i < a->nsents; i++) {
    const dy_sentence *se = &a->sents[i];
    int rc, b = SQLITE_OK;
    if (se->off > a->n || se->len > a->n - se->off)
      return dy_err_set(&s->err, DY_EINVAL,
                        "sentence %zu lies outside the article text", i);
    b |= sqlite3_bind_int64(st, 1, id);
    b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    b |= sqlite3_bind_int64(st, 3, se->off);
    b |= sqlite3_bind_int64(st, 4, se->len);
    b |= bind_text(st, 5, a->text + se->off, se->len);
    rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
    if (rc != SQLITE_DONE)
      db_fail(s, "cannot store a sentence");
    stmt_done(st);
    if (rc != SQLITE_DONE)
      return DY_EDB;
  }
  return DY_OK;
}

static int put_events(dy_store *s, const dy_doc *d, sqlite3_int64 id)
{
  sqlite3_stmt *st = stmt_get(s, ST_INS_EVENT);
  size_t i, n = dy_doc_nevents(d);
  if (st == NULL)
    return DY_EDB;
  for (i = 0; i < n; i++) {
    const dy_event *ev = dy_doc_event(d, i);
    int rc, b = SQLITE_OK;
    dy_buf_reset(&s->json);
    rc = dy_event_json(d, ev, &s->json);
    if (rc < 0)
      return dy_err_set(&s->err, rc, "cannot format event %zu: %s", i,
                        dy_strerror(rc));
    b |= sqlite3_bind_int64(st, 1, id);
    b |= sqlite3_bind_int64(st, 2, ev->sentence);
    b |= bind_date(st, 3, ev->date);
    b |= bind_cstr(st, 4, ev->source.code);
    b |= bind_cstr(st, 5, ev->source.country);
    b |= bind_cstr(st, 6, ev->source.name);
    b |= bind_cstr(st, 7, ev->target.code);
    b |= bind_cstr(st, 8, ev->target.country);
    b |= bind_cstr(st, 9, ev->target.name);
    b |= bind_cstr(st, 10, ev->code);
    b |= bind_cstr(st, 11, ev->root);
    b |= sqlite3_bind_int(st, 12, ev->quad);
    b |= sqlite3_bind_double(st, 13, ev->goldstein);
    b |= sqlite3_bind_int64(st, 14, ev->verb.off);
    b |= sqlite3_bind_int64(st, 15, ev->verb.len);
    b |= bind_text(st, 16, s->json.p ? s->json.p : "", s->json.n);
    rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
    if (rc != SQLITE_DONE)
      db_fail(s, "cannot store an event");
    stmt_done(st);
    if (rc != SQLITE_DONE)
      return DY_EDB;
  }
  return DY_OK;
}

/* Inserts the article, its sentences and events; the caller owns the
 * transaction or savepoint around it. */
static int put_all(dy_store *s, const dy_doc *d, int *inserted)
{
  const dy_article *a = dy_doc_article(d);
  sqlite3_int64 id = 0;
  int rc, found = 0;
  rc = dy_store_has(s, a->hash, &found);
  if (rc < 0 || found)
    return rc;
  rc = put_article(s, a, dy_doc_nevents(d), &id);
  if (rc == DY_OK)
    rc = put_sentences(s, a, id);
  if (rc == DY_OK)
    rc = put_events(s, d, id);
  if (rc == DY_OK)
    *inserted = 1;
  return rc;
}

/* A put inside a batch: one savepoint, so a failure undoes this article
 * only and leaves the batch open. */
static int put_in_batch(dy_store *s, const dy_doc *d, int *inserted)
{
  int rc;
  if (sqlite3_get_autocommit(s->db)) {
    /* SQLite ended the transaction itself (e.g. after SQLITE_FULL) */
    s->batch = 0;
    return dy_err_set(&s->err, DY_EDB,
                      "the batch transaction was rolled back by the database");
  }
  rc = run_simple(s, ST_SAVEPOINT, "cannot start a savepoint");
  if (rc < 0)
    return rc;
  rc = put_all(s, d, inserted);
  if (rc == DY_OK)
    rc = run_simple(s, ST_RELEASE, "cannot release the savepoint");
  if (rc < 0) {
    dy_err keep = s->err;
    *inserted = 0;
    if (!sqlite3_get_autocommit(s->db)) {
      sqlite3_stmt *st = stmt_get(s, ST_ROLLBACK_TO);
      if (st) {
        sqlite3_step(st);
        stmt_done(st);
      }
      st = stmt_get(s, ST_RELEASE);
      if (st) {
        sqlite3_step(st);
        stmt_done(st);
      }
    } else {
      s->batch = 0;
    }
    s->err = keep;
  }
  return rc;
}

int dy_store_put(dy_store *s, const dy_doc *d, int *inserted)
{
  const dy_article *a = dy_doc_article(d);
  int rc;
  *inserted = 0;
  dy_err_clear(&s->err);
  if (a == NULL || a->hash[0] == '\0')
    return dy_err_set(&s->err, DY_EINVAL, "no analysed article to store");
  if (s->batch)
    return put_in_batch(s, d, inserted);
  rc = run_simple(s, ST_BEGIN, "cannot start a transaction");
  if (rc < 0)
    return rc;
  rc = put_all(s, d, inserted);
  if (rc == DY_OK)
    rc = run_simple(s, ST_COMMIT, "cannot commit");
  if (rc < 0) {
    *inserted = 0;
    rollback(s);
  }
  return rc;
}

int dy_store_begin(dy_store *s)
{
  int rc;
  dy_err_clear(&s->err);
  if (s->batch)
    return dy_err_set(&s->err, DY_EINVAL, "a batch is already open");
  rc = run_simple(s, ST_BEGIN, "cannot start a transaction");
  if (rc == DY_OK)
    s->batch = 1;
  return rc;
}

int dy_store_commit(dy_store *s)
{
  int rc;
  dy_err_clear(&s->err);
  if (!s->batch)
    return dy_err_set(&s->err, DY_EINVAL, "no open batch to commit");
  s->batch = 0;
  if (sqlite3_get_autocommit(s->db))
    return dy_err_set(&s->err, DY_EDB,
                      "the batch transaction was rolled back by the database");
  rc = run_simple(s, ST_COMMIT, "cannot commit");
  if (rc < 0)
    rollback(s);
  return rc;
}

void dy_store_rollback(dy_store *s)
{
  if (s == NULL || !s->batch)
    return;
  s->batch = 0;
  rollback(s);
}

/* ==== checkpoints ======================================================= */

int dy_store_autocheckpoint(dy_store *s, int pages)
{
  dy_err_clear(&s->err);
  if (sqlite3_wal_autocheckpoint(s->db, pages < 0 ? 0 : pages) != SQLITE_OK)
    return db_fail(s, "cannot set the checkpoint threshold");
  return DY_OK;
}

int dy_store_checkpoint(dy_store *s, int *wal_pages)
{
  int nlog = 0, nckpt = 0, rc;
  dy_err_clear(&s->err);
  rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &nlog,
                                 &nckpt);
  if (wal_pages)
    *wal_pages = nlog > 0 ? nlog : 0;
  /* SQLITE_BUSY: another checkpoint is running; that one does the work */
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
    return db_fail(s, "checkpoint");
  return DY_OK;
}

/* ==== queries =========================================================== */

static int check_date(dy_store *s, const char *what, const char *date)
{
  if (date && dy_date_parse(dy_str_c(date)) < 0)
    return dy_err_set(&s->err, DY_EINVAL,
                      "bad %s date \"%.32s\": expected YYYY-MM-DD", what, date);
  return DY_OK;
}

int dy_store_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud)
{
  /* Every filter is a fixed SQL fragment with a numbered parameter; user
   * text only ever reaches SQLite as a bound value. */
  static const struct {
    const char *sql; /* fragment appended after WHERE 1 */
    int param;       /* its parameter number */
  } filters[] = {
      {" AND substr(e.source, 1, length(?1)) = ?1", 1},
      {" AND substr(e.target, 1, length(?2)) = ?2", 2},
      {" AND substr(e.code, 1, length(?3)) = ?3", 3},
      {" AND e.date >= ?4", 4},
      {" AND e.date <= ?5", 5},
  };
  const char *vals[5];
  sqlite3_stmt *st = NULL;
  dy_buf sql;
  size_t i;
  static const dy_query all;
  int rc;
  dy_err_clear(&s->err);
  dy_buf_init(&sql, 0);
  if (q == NULL)
    q = &all;
  vals[0] = q->source;
  vals[1] = q->target;
  vals[2] = q->code;
  vals[3] = q->from;
  vals[4] = q->to;
  rc = check_date(s, "from", q->from);
  if (rc == DY_OK)
    rc = check_date(s, "to", q->to);
  if (rc < 0)
    goto out;
  dy_buf_puts(&sql,
              "SELECT e.id, a.hash, a.name, e.date, e.source, "
              "e.source_country, e.target, e.target_country, e.code, e.root, "
              "e.quad, e.goldstein, e.sentence_idx, s.text, e.json "
              "FROM events e JOIN articles a ON a.id = e.article_id "
              "LEFT JOIN sentences s ON s.article_id = e.article_id "
              "AND s.idx = e.sentence_idx WHERE 1");
  for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
    if (vals[i])
      dy_buf_puts(&sql, filters[i].sql);
  /* independent of insertion order: the same rows print the same way
   * whatever order (or how many workers) stored them */
  dy_buf_puts(&sql, " ORDER BY e.date, a.hash, e.sentence_idx, e.id");
  if (q->limit > 0)
    dy_buf_puts(&sql, " LIMIT ?6");
  if (sql.failed) {
    rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    goto out;
  }
  if (sqlite3_prepare_v2(s->db, sql.p, (int)sql.n, &st, NULL) != SQLITE_OK) {
    rc = db_fail(s, "cannot prepare the query");
    goto out;
  }
  for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
    if (vals[i])
      sqlite3_bind_text(st, filters[i].param, vals[i], -1, SQLITE_STATIC);
  if (q->limit > 0)
    sqlite3_bind_int64(st, 6, q->limit);
  for (;;) {
    dy_event_row row;
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE)
      break;
    if (step != SQLITE_ROW) {
      rc = db_fail(s, "query");
      goto out;
    }
    row.id = (long)sqlite3_column_int64(st, 0);
    row.article = col_text(st, 1);
    row.name = col_text(st, 2);
    row.date = col_text(st, 3);
    row.source = col_text(st, 4);
    row.source_country = col_text(st, 5);
    row.target = col_text(st, 6);
    row.target_country = col_text(st, 7);
    row.code = col_text(st, 8);
    row.root = col_text(st, 9);
    row.quad = sqlite3_column_int(st, 10);
    row.goldstein = sqlite3_column_double(st, 11);
    row.sentence_index = (long)sqlite3_column_int64(st, 12);
    row.sentence = col_text(st, 13);
    row.json = col_text(st, 14);
    if (fn(&row, ud) != 0)
      break;
  }
out:
  sqlite3_finalize(st);
  dy_buf_fini(&sql);
  return rc;
}

int dy_store_counts_get(dy_store *s, dy_store_counts *c)
{
  sqlite3_stmt *st;
  int rc;
  memset(c, 0, sizeof *c);
  dy_err_clear(&s->err);
  st = stmt_get(s, ST_COUNTS);
  if (st == NULL)
    return DY_EDB;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    c->articles = (long)sqlite3_column_int64(st, 0);
    c->sentences = (long)sqlite3_column_int64(st, 1);
    c->events = (long)sqlite3_column_int64(st, 2);
  } else {
    db_fail(s, "cannot count rows");
  }
  stmt_done(st);
  return rc == SQLITE_ROW ? DY_OK : DY_EDB;
}

/* ==== summary =========================================================== */

/* Bytes of s[0..n) to show within max bytes, cut on a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
  if (n <= max)
    return n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
    max--;
  return max;
}

/* Country code for display: "-" when unknown. */
static const char *or_dash(const char *s)
{
  return s && *s ? s : "-";
}

/* Appends the rows of a summary section, formatted by kind. */
enum { SEC_ROOTS, SEC_DYADS, SEC_LATEST };

static int summary_section(dy_store *s, dy_buf *out, int kind, const char *sql)
{
  sqlite3_stmt *st = NULL;
  int rc = DY_OK, step, nrows = 0;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return db_fail(s, "cannot prepare the summary");
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    nrows++;
    if (kind == SEC_ROOTS) {
      dy_buf_printf(out, "  %-4s  %8lld  %10.2f\n", or_dash(col_text(st, 0)),
                    (long long)sqlite3_column_int64(st, 1),
                    sqlite3_column_double(st, 2) + 0.0);
    } else if (kind == SEC_DYADS) {
      dy_buf_printf(out, "  %-3s -> %-3s  %8lld\n", or_dash(col_text(st, 0)),
                    or_dash(col_text(st, 1)),
                    (long long)sqlite3_column_int64(st, 2));
    } else {
      const char *text = col_text(st, 4);
      size_t n = strlen(text), cut = utf8_cut(text, n, SUMMARY_SENTENCE_BYTES);
      dy_buf_printf(out, "  %-10s  %-12s  %-12s  %-4s  ",
                    or_dash(col_text(st, 0)), or_dash(col_text(st, 1)),
                    or_dash(col_text(st, 2)), or_dash(col_text(st, 3)));
      dy_buf_tsv_field(out, text, cut);
      dy_buf_puts(out, cut < n ? "...\n" : "\n");
    }
  }
  if (step != SQLITE_DONE)
    rc = db_fail(s, "cannot read the summary");
  else if (nrows == 0)
    dy_buf_puts(out, "  (none)\n");
  sqlite3_finalize(st);
  return rc;
}

int dy_store_summary(dy_store *s, dy_buf *out)
{
  dy_store_counts c;
  int rc = dy_store_counts_get(s, &c);
  if (rc < 0)
    return rc;
  dy_buf_printf(out,
                "articles   %ld\n"
                "sentences  %ld\n"
                "events     %ld\n",
                c.articles, c.sentences, c.events);
  dy_buf_puts(out, "\nevents per CAMEO root\n"
                   "  root    events  mean Goldstein\n");
  rc = summary_section(s, out, SEC_ROOTS,
                       "SELECT root, count(*), avg(goldstein) FROM events "
                       "GROUP BY root ORDER BY root");
  if (rc < 0)
    return rc;
  dy_buf_puts(out, "\ntop dyads (source country -> target country)\n");
  rc = summary_section(s, out, SEC_DYADS,
                       "SELECT source_country, target_country, count(*) AS n "
                       "FROM events GROUP BY source_country, target_country "
                       "ORDER BY n DESC, source_country, target_country "
                       "LIMIT 10");
  if (rc < 0)
    return rc;
  dy_buf_puts(out, "\nlatest events\n");
  rc = summary_section(
      s, out, SEC_LATEST,
      "SELECT e.date, e.source, e.target, e.code, s.text "
      "FROM events e LEFT JOIN sentences s ON s.article_id = e.article_id "
      "AND s.idx = e.sentence_idx "
      "ORDER BY e.date IS NULL, e.date DESC, e.id DESC LIMIT 10");
  if (rc < 0)
    return rc;
  if (out->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "summary: out of memory");
  return DY_OK;
}
