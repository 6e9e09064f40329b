/* SPDX-License-Identifier: MIT */
/* The SQLite store: versioned schema migrations, idempotent ingest of one
 * coded article per transaction or per savepoint of a batch (keyed by input
 * hash and URL), duplicate detection (content hash, SimHash), event dedup
 * into events + mentions, alignment updates from coded events, filtered
 * event queries with bound parameters only, counts and a plain-text
 * summary. The derived views are in store_views.c. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
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
    /* v2: documents keyed by (input hash, URL) with duplicate marks and
     * SimHash bands; deduplicated events with mentions; FTS5 over headline
     * and body; quotes, entities, places (filled by later stages);
     * alignments and their evidence; saved queries. Version 1 data is
     * carried over: each old event row becomes a mention. */
    "CREATE TABLE articles_v2(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL,\n"
    "  url TEXT NOT NULL DEFAULT '',\n"
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
    "  ingested_at TEXT DEFAULT CURRENT_TIMESTAMP,\n"
    "  source TEXT NOT NULL DEFAULT '',\n"
    "  body_hash TEXT,\n"
    "  simhash INTEGER,\n"
    "  nshingles INTEGER NOT NULL DEFAULT 0,\n"
    "  sh0 INTEGER, sh1 INTEGER, sh2 INTEGER, sh3 INTEGER,\n"
    "  sh4 INTEGER, sh5 INTEGER, sh6 INTEGER, sh7 INTEGER,\n"
    "  dup_of INTEGER REFERENCES articles(id),\n"
    "  dup_kind TEXT,\n"
    "  dup_dist INTEGER,\n"
    "  UNIQUE(hash, url)\n"
    ");\n"
    "INSERT INTO articles_v2(id, hash, url, name, headline, date, places, "
    "agency, dateline, body, nsentences, nevents, nbad_utf8, ingested_at, "
    "source) SELECT id, hash, '', name, headline, date, places, agency, "
    "dateline, body, nsentences, nevents, nbad_utf8, ingested_at, "
    "ifnull(agency, '') FROM articles ORDER BY id;\n"
    "DROP TABLE articles;\n"
    "ALTER TABLE articles_v2 RENAME TO articles;\n"
    "CREATE INDEX articles_hash ON articles(hash);\n"
    "CREATE INDEX articles_body_hash ON articles(body_hash);\n"
    "CREATE INDEX articles_sh0 ON articles(sh0, date);\n"
    "CREATE INDEX articles_sh1 ON articles(sh1, date);\n"
    "CREATE INDEX articles_sh2 ON articles(sh2, date);\n"
    "CREATE INDEX articles_sh3 ON articles(sh3, date);\n"
    "CREATE INDEX articles_sh4 ON articles(sh4, date);\n"
    "CREATE INDEX articles_sh5 ON articles(sh5, date);\n"
    "CREATE INDEX articles_sh6 ON articles(sh6, date);\n"
    "CREATE INDEX articles_sh7 ON articles(sh7, date);\n"
    "CREATE INDEX articles_dup ON articles(dup_of);\n"
    "CREATE INDEX articles_date ON articles(date);\n"
    "ALTER TABLE events RENAME TO events_v1;\n"
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  date TEXT,\n"
    "  source TEXT NOT NULL DEFAULT '',\n"
    "  source_country TEXT,\n"
    "  source_name TEXT,\n"
    "  source_role TEXT,\n"
    "  target TEXT NOT NULL DEFAULT '',\n"
    "  target_country TEXT,\n"
    "  target_name TEXT,\n"
    "  target_role TEXT,\n"
    "  code TEXT NOT NULL,\n"
    "  root TEXT,\n"
    "  quad INTEGER,\n"
    "  goldstein REAL,\n"
    "  place TEXT NOT NULL DEFAULT '',\n"
    "  is_root INTEGER NOT NULL DEFAULT 0,\n"
    "  num_mentions INTEGER NOT NULL DEFAULT 0,\n"
    "  num_sources INTEGER NOT NULL DEFAULT 0,\n"
    "  num_articles INTEGER NOT NULL DEFAULT 0,\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  json TEXT NOT NULL,\n"
    "  added_at TEXT DEFAULT CURRENT_TIMESTAMP\n"
    ");\n"
    "CREATE UNIQUE INDEX events_key ON events(ifnull(date, ''), source, "
    "target, code, place);\n"
    "CREATE INDEX events_by_date ON events(date);\n"
    "CREATE INDEX events_by_source ON events(source, date);\n"
    "CREATE INDEX events_by_target ON events(target, date);\n"
    "CREATE INDEX events_by_code ON events(code, date);\n"
    "CREATE INDEX events_by_scountry ON events(source_country, date);\n"
    "CREATE INDEX events_by_tcountry ON events(target_country, date);\n"
    "CREATE INDEX events_by_article ON events(article_id);\n"
    "CREATE TABLE mentions(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  event_id INTEGER NOT NULL REFERENCES events(id),\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  para INTEGER,\n"
    "  source_off INTEGER, source_len INTEGER,\n"
    "  target_off INTEGER, target_len INTEGER,\n"
    "  verb_off INTEGER, verb_len INTEGER,\n"
    "  confidence INTEGER NOT NULL DEFAULT 100,\n"
    "  json TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX mentions_event ON mentions(event_id);\n"
    "CREATE INDEX mentions_article ON mentions(article_id);\n"
    "INSERT INTO events(date, source, source_country, source_name, "
    "source_role, target, target_country, target_name, target_role, code, "
    "root, quad, goldstein, article_id, sentence_idx, json, added_at) "
    "SELECT date, source, source_country, source_name, source_role, target, "
    "target_country, target_name, target_role, code, root, quad, goldstein, "
    "article_id, sentence_idx, json, ingested_at FROM ("
    "SELECT min(o.id) AS first, o.date, ifnull(o.source, '') AS source, "
    "o.source_country, o.source_name, "
    "json_extract(o.json, '$.source_role') AS source_role, "
    "ifnull(o.target, '') AS target, o.target_country, o.target_name, "
    "json_extract(o.json, '$.target_role') AS target_role, o.code, o.root, "
    "o.quad, o.goldstein, o.article_id, o.sentence_idx, o.json, "
    "a.ingested_at FROM events_v1 o JOIN articles a ON a.id = o.article_id "
    "GROUP BY ifnull(o.date, ''), ifnull(o.source, ''), "
    "ifnull(o.target, ''), o.code) ORDER BY first;\n"
    "INSERT INTO mentions(event_id, article_id, sentence_idx, source_off, "
    "source_len, target_off, target_len, verb_off, verb_len, json) "
    "SELECT e.id, o.article_id, o.sentence_idx, "
    "json_extract(o.json, '$.evidence.source.start'), "
    "json_extract(o.json, '$.evidence.source.end') - "
    "json_extract(o.json, '$.evidence.source.start'), "
    "json_extract(o.json, '$.evidence.target.start'), "
    "json_extract(o.json, '$.evidence.target.end') - "
    "json_extract(o.json, '$.evidence.target.start'), "
    "o.verb_off, o.verb_len, o.json FROM events_v1 o JOIN events e "
    "ON ifnull(e.date, '') = ifnull(o.date, '') "
    "AND e.source = ifnull(o.source, '') AND e.target = ifnull(o.target, '') "
    "AND e.code = o.code AND e.place = '' ORDER BY o.id;\n"
    "DROP TABLE events_v1;\n"
    "UPDATE events SET num_mentions = (SELECT count(*) FROM mentions m "
    "WHERE m.event_id = events.id), num_articles = (SELECT "
    "count(DISTINCT m.article_id) FROM mentions m WHERE m.event_id = "
    "events.id), num_sources = (SELECT count(DISTINCT a.source) FROM "
    "mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = "
    "events.id), is_root = ifnull((SELECT sentence_idx = 0 FROM events e2 "
    "WHERE e2.id = events.id), 0);\n"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(headline, body, "
    "content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2');\n"
    "INSERT INTO articles_fts(articles_fts) VALUES('rebuild');\n"
    "CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, "
    "'row');\n"
    "CREATE TABLE entities(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  code TEXT NOT NULL DEFAULT '',\n"
    "  name TEXT NOT NULL,\n"
    "  country TEXT,\n"
    "  role TEXT,\n"
    "  ref TEXT,\n"
    "  UNIQUE(kind, code, name)\n"
    ");\n"
    "CREATE TABLE entity_mentions(\n"
    "  entity_id INTEGER NOT NULL REFERENCES entities(id),\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  off INTEGER, len INTEGER\n"
    ");\n"
    "CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);\n"
    "CREATE INDEX entity_mentions_article ON entity_mentions(article_id);\n"
    "CREATE TABLE quotes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  speaker TEXT,\n"
    "  speaker_entity_id INTEGER REFERENCES entities(id),\n"
    "  affiliation TEXT,\n"
    "  cue TEXT,\n"
    "  off INTEGER, len INTEGER,\n"
    "  text TEXT,\n"
    "  direct INTEGER NOT NULL DEFAULT 1\n"
    ");\n"
    "CREATE INDEX quotes_article ON quotes(article_id);\n"
    "CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);\n"
    "CREATE TABLE places(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  event_id INTEGER REFERENCES events(id),\n"
    "  kind TEXT NOT NULL DEFAULT 'mention',\n"
    "  name TEXT NOT NULL,\n"
    "  country TEXT, adm1 TEXT, adm2 TEXT,\n"
    "  lat REAL, lon REAL,\n"
    "  feature_id TEXT,\n"
    "  off INTEGER, len INTEGER\n"
    ");\n"
    "CREATE INDEX places_article ON places(article_id);\n"
    "CREATE INDEX places_event ON places(event_id);\n"
    "CREATE TABLE alignments(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  a TEXT NOT NULL,\n"
    "  b TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  name TEXT NOT NULL DEFAULT '',\n"
    "  start TEXT NOT NULL,\n"
    "  end TEXT,\n"
    "  origin TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  line INTEGER,\n"
    "  event_id INTEGER REFERENCES events(id),\n"
    "  article_id INTEGER REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  CHECK (a < b)\n"
    ");\n"
    "CREATE INDEX alignments_a ON alignments(a);\n"
    "CREATE INDEX alignments_b ON alignments(b);\n"
    "CREATE UNIQUE INDEX alignments_event ON alignments(a, b, kind) "
    "WHERE origin = 'event';\n"
    "CREATE TABLE alignment_evidence(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  a TEXT NOT NULL,\n"
    "  b TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL DEFAULT '',\n"
    "  role TEXT NOT NULL,\n"
    "  date TEXT,\n"
    "  event_id INTEGER NOT NULL REFERENCES events(id),\n"
    "  article_id INTEGER REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  UNIQUE(event_id, role)\n"
    ");\n"
    "CREATE INDEX alignment_evidence_pair ON alignment_evidence(a, b, date);\n"
    "CREATE TABLE saved_queries(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  params TEXT NOT NULL,\n"
    "  created_at TEXT DEFAULT CURRENT_TIMESTAMP\n"
    ");\n",
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
  ST_HAS_DOC,
  ST_INS_ARTICLE,
  ST_INS_SENTENCE,
  ST_INS_FTS,
  ST_FIND_EXACT,
  ST_FIND_NEAR,
  ST_ARTICLE_DATE,
  ST_FIND_EVENT,
  ST_INS_EVENT,
  ST_INS_MENTION,
  ST_HAS_MENTION,
  ST_UPD_EVENT,
  ST_BUMP_EVENT,
  ST_COUNTS,
  ST_ALIGN_FIND,
  ST_ALIGN_INS,
  ST_ALIGN_MOVE,
  ST_ALIGN_EVIDENCE,
  ST_N
};

_Static_assert(ST_N <= 32, "room for the cached statements");

static const char *const stmt_sql[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT put",
    [ST_RELEASE] = "RELEASE put",
    [ST_ROLLBACK_TO] = "ROLLBACK TO put",
    [ST_HAS] = "SELECT 1 FROM articles WHERE hash = ?1",
    [ST_HAS_DOC] = "SELECT 1 FROM articles WHERE hash = ?1 AND url = ?2",
    [ST_INS_ARTICLE] =
        "INSERT INTO articles(hash, name, headline, date, places, agency, "
        "dateline, body, nsentences, nevents, nbad_utf8, url, source, "
        "body_hash, simhash, nshingles, dup_of, dup_kind, dup_dist, sh0, sh1, "
        "sh2, sh3, sh4, sh5, sh6, sh7) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    [ST_INS_SENTENCE] =
        "INSERT INTO sentences(article_id, idx, off, len, text) "
        "VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_INS_FTS] =
        "INSERT INTO articles_fts(rowid, headline, body) VALUES(?1, ?2, ?3)",
    [ST_FIND_EXACT] = "SELECT min(ifnull(dup_of, id)) FROM articles "
                      "WHERE body_hash = ?1",
    /* one arm per band: equal band and a publication date within
     * DY_SIMHASH_MAX_DAYS (?9, ?10), or both dates unknown (?11 = 1) */
    [ST_FIND_NEAR] =
        "SELECT id, simhash FROM articles WHERE ("
        "(sh0 = ?1 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh1 = ?2 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh2 = ?3 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh3 = ?4 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh4 = ?5 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh5 = ?6 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh6 = ?7 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL))) OR "
        "(sh7 = ?8 AND (date BETWEEN ?9 AND ?10 OR (?11 AND date IS NULL)))) "
        "AND +dup_of IS NULL AND nshingles >= ?12",
    [ST_ARTICLE_DATE] = "SELECT date FROM articles WHERE id = ?1",
    [ST_FIND_EVENT] =
        "SELECT id FROM events WHERE ifnull(date, '') = ifnull(?1, '') AND "
        "source = ?2 AND target = ?3 AND code = ?4 AND place = ?5",
    [ST_INS_EVENT] =
        "INSERT INTO events(date, source, source_country, source_name, "
        "source_role, target, target_country, target_name, target_role, "
        "code, root, quad, goldstein, place, article_id, sentence_idx, json) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17)",
    [ST_INS_MENTION] =
        "INSERT INTO mentions(event_id, article_id, sentence_idx, para, "
        "source_off, source_len, target_off, target_len, verb_off, verb_len, "
        "confidence, json) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    /* newest first: a repeat within the article being stored is found at
       once */
    [ST_HAS_MENTION] = "SELECT 1 FROM mentions WHERE event_id = ?1 AND "
                       "article_id = ?2 ORDER BY id DESC LIMIT 1",
    [ST_BUMP_EVENT] = "UPDATE events SET num_mentions = num_mentions + 1, "
                      "is_root = max(is_root, ?2) WHERE id = ?1",
    [ST_UPD_EVENT] =
        "UPDATE events SET num_mentions = num_mentions + 1, "
        "num_articles = (SELECT count(DISTINCT article_id) FROM mentions "
        "WHERE event_id = ?1), num_sources = (SELECT count(DISTINCT "
        "a.source) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.event_id = ?1), is_root = max(is_root, ?2) WHERE id = ?1",
    [ST_COUNTS] = "SELECT (SELECT count(*) FROM articles), "
                  "(SELECT count(*) FROM sentences), "
                  "(SELECT count(*) FROM events), "
                  "(SELECT count(*) FROM mentions), "
                  "(SELECT count(*) FROM articles WHERE dup_of IS NOT NULL)",
    [ST_ALIGN_FIND] = "SELECT id, start FROM alignments WHERE a = ?1 AND "
                      "b = ?2 AND kind = ?3 AND origin = 'event'",
    [ST_ALIGN_INS] =
        "INSERT INTO alignments(a, b, kind, name, start, origin, note, "
        "event_id, article_id, sentence_idx) "
        "VALUES(?1, ?2, ?3, '', ?4, 'event', ?5, ?6, ?7, ?8)",
    [ST_ALIGN_MOVE] = "UPDATE alignments SET start = ?2, event_id = ?3, "
                      "article_id = ?4, sentence_idx = ?5 WHERE id = ?1",
    [ST_ALIGN_EVIDENCE] =
        "INSERT OR IGNORE INTO alignment_evidence(a, b, kind, role, date, "
        "event_id, article_id, sentence_idx) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

/* Sets DY_EDB with "<what>: <sqlite message>" on the handle. Call before
 * anything else touches the connection (a rollback rewrites the message). */
int dy__store_fail(dy_store *s, const char *what)
{
  return dy_err_set(&s->err, DY_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}
#define db_fail dy__store_fail

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
const char *dy__col_text(sqlite3_stmt *st, int i)
{
  const unsigned char *p = sqlite3_column_text(st, i);
  return p ? (const char *)p : "";
}

#define col_text dy__col_text

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

static int backfill_v2(dy_store *s);

/* Brings the schema to the current version, one transaction for all steps.
 * Foreign keys are off meanwhile (tables are rebuilt under their names). */
static int migrate(dy_store *s)
{
  long long version;
  char *msg = NULL;
  int rc, i;
  long long from;
  rc = read_version(s, &version);
  if (rc == DY_OK)
    rc = check_version(s, version);
  if (rc < 0 || version == NMIGRATIONS)
    return rc;
  sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
  /* take the write lock, then look again: another process may have won */
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
    rc = db_fail(s, "cannot start the schema migration");
    sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
  }
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
  from = version;
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
  /* version 1 articles get their content hash, SimHash and duplicate
   * marks, which SQL alone cannot compute */
  if (rc == DY_OK && from >= 1 && from < 2)
    rc = backfill_v2(s);
  if (rc == DY_OK && sqlite3_exec(s->db, "PRAGMA user_version = 2", NULL, NULL,
                                  NULL) != SQLITE_OK)
    rc = db_fail(s, "cannot record the schema version");
  if (rc == DY_OK &&
      sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    rc = db_fail(s, "cannot commit the schema migration");
  if (rc < 0)
    rollback(s);
  sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
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
  dy_buf_init(&s->scratch, 0);
  if (dy__pg_is_url(path)) {
    rc = dy__pg_open(s, path);
    goto out;
  }
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

int dy_store_sql(dy_store *s, const char *sql, const char *const *params,
                 int nparams, dy_sql_row_fn fn, void *ud)
{
  sqlite3_stmt *st = NULL;
  const char *v[64];
  int i, n, step, rc = DY_OK;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_sql(s, sql, params, nparams, fn, ud);
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return db_fail(s, "cannot prepare a statement");
  for (i = 0; i < nparams; i++)
    if (params[i] && sqlite3_bind_text(st, i + 1, params[i], -1,
                                       SQLITE_STATIC) != SQLITE_OK) {
      sqlite3_finalize(st);
      return db_fail(s, "cannot bind a value");
    }
  n = sqlite3_column_count(st);
  if (n > 64)
    n = 64;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    for (i = 0; i < n; i++)
      v[i] = (const char *)sqlite3_column_text(st, i);
    if (fn && (rc = fn(v, n, ud)) != 0)
      break;
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    rc = db_fail(s, "query");
  sqlite3_finalize(st);
  return rc;
}

const char *dy_store_backend(const dy_store *s)
{
  return s->pg ? "postgresql" : "sqlite";
}

int dy_store_is_remote(const char *path)
{
  return dy__pg_is_url(path);
}

void dy_store_close(dy_store *s)
{
  int k;
  if (s == NULL)
    return;
  dy__pg_close(s);
  for (k = 0; k < ST_N; k++)
    sqlite3_finalize(s->stmt[k]);
  sqlite3_close(s->db);
  dy_buf_fini(&s->json);
  dy_buf_fini(&s->scratch);
  dy_free(s);
}

const char *dy_store_errmsg(const dy_store *s)
{
  if (s == NULL)
    return "no database";
  return s->err.msg;
}

/* ==== near-duplicates =================================================== */

uint64_t dy_simhash(const char *text, size_t n, size_t *nshingles)
{
  /* the last DY_SIMHASH_SHINGLE word hashes, combined per shingle */
  uint64_t win[DY_SIMHASH_SHINGLE];
  long votes[64];
  size_t i = 0, nwords = 0, nsh = 0;
  uint64_t out = 0;
  int b;
  memset(votes, 0, sizeof votes);
  while (i < n) {
    uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 over the word */
    size_t start;
    while (i < n && !(dy_isalnum(text[i]) || (unsigned char)text[i] >= 0x80))
      i++;
    start = i;
    while (i < n && (dy_isalnum(text[i]) || (unsigned char)text[i] >= 0x80)) {
      h ^= (unsigned char)dy_tolower(text[i]);
      h *= 1099511628211ULL;
      i++;
    }
    if (i == start)
      break;
    win[nwords % DY_SIMHASH_SHINGLE] = h;
    nwords++;
    if (nwords >= DY_SIMHASH_SHINGLE) {
      uint64_t sh = 14695981039346656037ULL;
      size_t k;
      for (k = 0; k < DY_SIMHASH_SHINGLE; k++) {
        uint64_t w =
            win[(nwords - DY_SIMHASH_SHINGLE + k) % DY_SIMHASH_SHINGLE];
        sh ^= w;
        sh *= 1099511628211ULL;
        sh ^= sh >> 29; /* spread the bits of the product */
      }
      sh *= 0xbf58476d1ce4e5b9ULL;
      sh ^= sh >> 31;
      for (b = 0; b < 64; b++)
        votes[b] += (sh >> b) & 1 ? 1 : -1;
      nsh++;
    }
  }
  for (b = 0; b < 64; b++)
    if (votes[b] > 0)
      out |= (uint64_t)1 << b;
  if (nshingles)
    *nshingles = nsh;
  return out;
}

int dy_hamming64(uint64_t a, uint64_t b)
{
  uint64_t x = a ^ b;
  int n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}

void dy__source_name(const char *url, const char *agency, char *out, size_t cap)
{
  const char *p = url ? strstr(url, "://") : NULL;
  size_t n = 0;
  if (cap == 0)
    return;
  out[0] = '\0';
  if (p) {
    p += 3;
    if (strncmp(p, "www.", 4) == 0)
      p += 4;
    while (p[n] && p[n] != '/' && p[n] != ':' && p[n] != '?' && p[n] != '#' &&
           n + 1 < cap) {
      out[n] = dy_tolower(p[n]);
      n++;
    }
    out[n] = '\0';
    if (n)
      return;
  }
  if (agency && *agency)
    snprintf(out, cap, "%s", agency);
}

typedef dy__dup_info dup_info;

/* Band k (0..7) of a SimHash: 8 bits. With at most 7 differing bits, one
 * of the 8 bands of a near-duplicate is equal (pigeonhole). */
static sqlite3_int64 band(uint64_t h, int k)
{
  return (sqlite3_int64)((h >> (8 * k)) & 0xff);
}

void dy__date_add(const char *date, int n, char out[11])
{
  int y, m, d, mdays;
  static const int ml[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  out[0] = '\0';
  if (date == NULL || dy_date_parse(dy_str_c(date)) < 0)
    return;
  y = (int)strtol(date, NULL, 10);
  m = (int)strtol(date + 5, NULL, 10);
  d = (int)strtol(date + 8, NULL, 10) + n;
  for (;;) {
    mdays =
        ml[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > mdays) {
      d -= mdays;
      if (++m > 12) {
        m = 1;
        y++;
      }
    } else if (d < 1) {
      if (--m < 1) {
        m = 12;
        y--;
      }
      d += ml[m - 1] +
           (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    } else {
      break;
    }
  }
  if (y < 0 || y > 9999)
    return;
  {
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 11);
  }
}

/* Finds the first copy of a body: same content hash (any earlier article,
 * mapped to its own first copy), else the earliest first copy whose SimHash
 * is within DY_SIMHASH_MAX_DIST bits (looked up by 16-bit bands: with at
 * most 3 differing bits, one of the 4 bands is equal). */
static int find_dup(dy_store *s, const char *body, size_t n, const char *date,
                    dup_info *di)
{
  char lo[11], hi[11];
  sqlite3_stmt *st;
  int rc, k, b = SQLITE_OK;
  memset(di, 0, sizeof *di);
  dy_sha256_hex(body, n, di->body_hash);
  di->simhash = dy_simhash(body, n, &di->nshingles);
  if (n == 0)
    return DY_OK; /* no body: nothing to compare */
  st = stmt_get(s, ST_FIND_EXACT);
  if (st == NULL)
    return DY_EDB;
  b |= sqlite3_bind_text(st, 1, di->body_hash, 64, SQLITE_STATIC);
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    di->of = sqlite3_column_int64(st, 0);
    di->kind = "exact";
  }
  stmt_done(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_fail(s, "cannot look up duplicates");
  if (di->of || di->nshingles < DY_SIMHASH_MIN_SHINGLES)
    return DY_OK;
  st = stmt_get(s, ST_FIND_NEAR);
  if (st == NULL)
    return DY_EDB;
  for (k = 0; k < 8; k++)
    b |= sqlite3_bind_int64(st, k + 1, band(di->simhash, k));
  dy__date_add(date, -DY_SIMHASH_MAX_DAYS, lo);
  dy__date_add(date, DY_SIMHASH_MAX_DAYS, hi);
  if (*lo && *hi) {
    b |= sqlite3_bind_text(st, 9, lo, -1, SQLITE_TRANSIENT);
    b |= sqlite3_bind_text(st, 10, hi, -1, SQLITE_TRANSIENT);
  }
  b |= sqlite3_bind_int(st, 11, !(*lo && *hi));
  b |= sqlite3_bind_int64(st, 12, DY_SIMHASH_MIN_SHINGLES);
  /* the earliest first copy within the distance (the band index answers
   * in no particular order) */
  while (b == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    uint64_t h = (uint64_t)sqlite3_column_int64(st, 1);
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    int d = dy_hamming64(h, di->simhash);
    if (d <= DY_SIMHASH_MAX_DIST && (di->of == 0 || id < di->of)) {
      di->of = id;
      di->kind = "near";
      di->dist = d;
    }
  }
  stmt_done(st);
  if (b != SQLITE_OK || rc != SQLITE_DONE)
    return db_fail(s, "cannot look up near-duplicates");
  return DY_OK;
}

/* Schema 2 for articles stored under schema 1: content hash, SimHash,
 * source name and duplicate marks, in id order (so the first copy is the
 * first stored, as for new articles). Inside the migration transaction. */
static int backfill_v2(dy_store *s)
{
  sqlite3_stmt *sel = NULL, *upd = NULL;
  int rc = DY_OK, step;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT id, url, agency, body, date FROM articles "
                         "ORDER BY id",
                         -1, &sel, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(s->db,
                         "UPDATE articles SET source = ?2, body_hash = ?3, "
                         "simhash = ?4, nshingles = ?5, dup_of = ?6, "
                         "dup_kind = ?7, dup_dist = ?8, sh0 = ?9, sh1 = ?10, "
                         "sh2 = ?11, sh3 = ?12, sh4 = ?13, sh5 = ?14, "
                         "sh6 = ?15, sh7 = ?16 WHERE id = ?1",
                         -1, &upd, NULL) != SQLITE_OK) {
    rc = db_fail(s, "migration to schema version 2");
    goto out;
  }
  while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
    const char *body = col_text(sel, 3);
    size_t n = (size_t)sqlite3_column_bytes(sel, 3);
    char src[256];
    dup_info di;
    int k;
    dy__source_name(col_text(sel, 1), col_text(sel, 2), src, sizeof src);
    rc = find_dup(s, body, n,
                  sqlite3_column_type(sel, 4) == SQLITE_TEXT ? col_text(sel, 4)
                                                             : NULL,
                  &di);
    if (rc < 0)
      goto out;
    sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
    sqlite3_bind_text(upd, 2, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(upd, 3, di.body_hash, 64, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 4, (sqlite3_int64)di.simhash);
    sqlite3_bind_int64(upd, 5, (sqlite3_int64)di.nshingles);
    for (k = 0; k < 8; k++)
      sqlite3_bind_int64(upd, 9 + k, band(di.simhash, k));
    if (di.of) {
      sqlite3_bind_int64(upd, 6, di.of);
      sqlite3_bind_text(upd, 7, di.kind, -1, SQLITE_STATIC);
      sqlite3_bind_int(upd, 8, di.dist);
    }
    if (sqlite3_step(upd) != SQLITE_DONE) {
      rc = db_fail(s, "migration to schema version 2");
      goto out;
    }
    sqlite3_reset(upd);
    sqlite3_clear_bindings(upd);
  }
  if (step != SQLITE_DONE)
    rc = db_fail(s, "migration to schema version 2");
out:
  sqlite3_finalize(sel);
  sqlite3_finalize(upd);
  return rc;
}

/* ==== ingest ============================================================ */

int dy_store_has(dy_store *s, const char *hash, int *found)
{
  sqlite3_stmt *st;
  int rc, b = SQLITE_OK;
  *found = 0;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_has(s, hash, NULL, 0, found);
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

int dy_store_has_doc(dy_store *s, const char *hash, const char *url, int *found)
{
  sqlite3_stmt *st;
  int rc, b = SQLITE_OK;
  *found = 0;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_has(s, hash, url, 1, found);
  st = stmt_get(s, ST_HAS_DOC);
  if (st == NULL)
    return DY_EDB;
  b |= bind_cstr(st, 1, hash);
  b |= bind_cstr(st, 2, url ? url : "");
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *found = 1;
  else if (rc != SQLITE_DONE)
    db_fail(s, "cannot look up the article");
  stmt_done(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DY_OK : DY_EDB;
}

static int put_article(dy_store *s, const dy_article *a, size_t nevents,
                       const dup_info *di, const char *src, sqlite3_int64 *id)
{
  sqlite3_stmt *st = stmt_get(s, ST_INS_ARTICLE);
  int rc, k, b = SQLITE_OK;
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
  b |= bind_cstr(st, 12, a->url ? a->url : "");
  b |= bind_cstr(st, 13, src);
  b |= sqlite3_bind_text(st, 14, di->body_hash, 64, SQLITE_STATIC);
  b |= sqlite3_bind_int64(st, 15, (sqlite3_int64)di->simhash);
  b |= sqlite3_bind_int64(st, 16, (sqlite3_int64)di->nshingles);
  if (di->of) {
    b |= sqlite3_bind_int64(st, 17, di->of);
    b |= bind_cstr(st, 18, di->kind);
    b |= sqlite3_bind_int(st, 19, di->dist);
  }
  for (k = 0; k < 8; k++)
    b |= sqlite3_bind_int64(st, 20 + k, band(di->simhash, k));
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot store the article");
  stmt_done(st);
  if (rc != SQLITE_DONE)
    return DY_EDB;
  *id = sqlite3_last_insert_rowid(s->db);
  /* the full-text index (external content: the text stays in articles) */
  if (s->batch)
    return DY_OK; /* indexed at commit: see fts_catch_up */
  st = stmt_get(s, ST_INS_FTS);
  if (st == NULL)
    return DY_EDB;
  b = sqlite3_bind_int64(st, 1, *id);
  b |= bind_cstr(st, 2, a->headline ? a->headline : "");
  b |= bind_text(st, 3, a->text ? a->text : "", a->text ? a->n : 0);
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot index the article");
  stmt_done(st);
  return rc == SQLITE_DONE ? DY_OK : DY_EDB;
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

/* ---- alignments from coded events ---------------------------------------- */

/* Kind of formal alignment a sentence speaks of, or NULL. Checked in this
 * order (docs/STORE.md). */
static const char *pact_kind(const char *p, size_t n)
{
  static const struct {
    const char *word; /* lower-case substring */
    const char *kind; /* alignment kind */
  } rules[] = {
      {"non-aggression", "non-aggression"},
      {"nonaggression", "non-aggression"},
      {"mutual defen", "mutual defense"},
      {"defense pact", "mutual defense"},
      {"defence pact", "mutual defense"},
      {"defense treaty", "mutual defense"},
      {"defence treaty", "mutual defense"},
      {"collective defen", "mutual defense"},
      {"mutual assistance", "mutual defense"},
      {"security guarantee", "mutual defense"},
      {"strategic partnership", "strategic partnership"},
      {"comprehensive partnership", "strategic partnership"},
      {"alliance", "alliance"},
      {"military pact", "alliance"},
      {"security pact", "alliance"},
      {"security treaty", "alliance"},
      {"military treaty", "alliance"},
  };
  char low[1024];
  size_t i, k = n < sizeof low - 1 ? n : sizeof low - 1;
  for (i = 0; i < k; i++)
    low[i] = dy_tolower(p[i]);
  low[k] = '\0';
  for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (strstr(low, rules[i].word))
      return rules[i].kind;
  return NULL;
}

/* CAMEO codes that strengthen an alignment: intent to cooperate militarily
 * or on intelligence, to give military aid or protection; military
 * cooperation; intelligence sharing. */
static int is_military_coop(const char *code)
{
  static const char *const codes[] = {"0312", "0314", "0332",
                                      "0334", "062",  "064"};
  size_t i;
  for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
    if (strcmp(code, codes[i]) == 0)
      return 1;
  return 0;
}

/* A country code a party of an alignment can be: three capitals, not an
 * international organisation. */
static int is_state(const char *c)
{
  return strlen(c) == 3 && dy_isupper(c[0]) && dy_isupper(c[1]) &&
         dy_isupper(c[2]) && strcmp(c, "IGO") != 0;
}

int dy__align_of(const dy_event *ev, const char *date, const char *sent,
                 size_t n, const char **a, const char **b, const char **kind)
{
  const char *x = ev->source.country, *y = ev->target.country;
  if (date == NULL || *date == '\0' || !is_state(x) || !is_state(y) ||
      strcmp(x, y) == 0)
    return DY__ALIGN_NONE;
  *a = strcmp(x, y) < 0 ? x : y;
  *b = *a == x ? y : x;
  if (is_military_coop(ev->code))
    return DY__ALIGN_COOP;
  if (strcmp(ev->code, "057") != 0 || (*kind = pact_kind(sent, n)) == NULL)
    return DY__ALIGN_NONE;
  return DY__ALIGN_PACT;
}

static int align_evidence(dy_store *s, const char *a, const char *b,
                          const char *kind, const char *role, const char *date,
                          sqlite3_int64 event, sqlite3_int64 article,
                          int sentence)
{
  sqlite3_stmt *st = stmt_get(s, ST_ALIGN_EVIDENCE);
  int rc, bb = SQLITE_OK;
  if (st == NULL)
    return DY_EDB;
  bb |= bind_cstr(st, 1, a);
  bb |= bind_cstr(st, 2, b);
  bb |= bind_cstr(st, 3, kind);
  bb |= bind_cstr(st, 4, role);
  bb |= bind_date(st, 5, date);
  bb |= sqlite3_bind_int64(st, 6, event);
  bb |= sqlite3_bind_int64(st, 7, article);
  bb |= sqlite3_bind_int(st, 8, sentence);
  rc = bb != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot store alignment evidence");
  stmt_done(st);
  return rc == SQLITE_DONE ? DY_OK : DY_EDB;
}

/* Updates the alignment graph from one coded event of a first copy: an
 * agreement (057) whose sentence speaks of a pact creates the edge (or
 * moves its start earlier) or renews it; military cooperation strengthens
 * whatever edge the pair has. Evidence is kept once per event and role. */
static int put_alignment(dy_store *s, const dy_event *ev, const char *date,
                         const char *sent, size_t sent_n, sqlite3_int64 event,
                         sqlite3_int64 article)
{
  const char *a = NULL, *b = NULL, *kind = NULL;
  sqlite3_stmt *st;
  int rc, bb = SQLITE_OK;
  switch (dy__align_of(ev, date, sent, sent_n, &a, &b, &kind)) {
  case DY__ALIGN_COOP:
    return align_evidence(s, a, b, "", "strengthen", date, event, article,
                          ev->sentence);
  case DY__ALIGN_PACT:
    break;
  default:
    return DY_OK;
  }
  st = stmt_get(s, ST_ALIGN_FIND);
  if (st == NULL)
    return DY_EDB;
  bb |= bind_cstr(st, 1, a);
  bb |= bind_cstr(st, 2, b);
  bb |= bind_cstr(st, 3, kind);
  rc = bb != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    int earlier = strcmp(date, col_text(st, 1)) < 0;
    stmt_done(st);
    if (earlier) {
      st = stmt_get(s, ST_ALIGN_MOVE);
      if (st == NULL)
        return DY_EDB;
      bb |= sqlite3_bind_int64(st, 1, id);
      bb |= bind_cstr(st, 2, date);
      bb |= sqlite3_bind_int64(st, 3, event);
      bb |= sqlite3_bind_int64(st, 4, article);
      bb |= sqlite3_bind_int(st, 5, ev->sentence);
      rc = bb != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
      if (rc != SQLITE_DONE)
        db_fail(s, "cannot update an alignment");
      stmt_done(st);
      if (rc != SQLITE_DONE)
        return DY_EDB;
    }
    return align_evidence(s, a, b, kind, earlier ? "create" : "renew", date,
                          event, article, ev->sentence);
  }
  stmt_done(st);
  if (rc != SQLITE_DONE)
    return db_fail(s, "cannot look up an alignment");
  st = stmt_get(s, ST_ALIGN_INS);
  if (st == NULL)
    return DY_EDB;
  bb |= bind_cstr(st, 1, a);
  bb |= bind_cstr(st, 2, b);
  bb |= bind_cstr(st, 3, kind);
  bb |= bind_cstr(st, 4, date);
  bb |= bind_cstr(st, 5, "created by a coded agreement event");
  bb |= sqlite3_bind_int64(st, 6, event);
  bb |= sqlite3_bind_int64(st, 7, article);
  bb |= sqlite3_bind_int(st, 8, ev->sentence);
  rc = bb != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot store an alignment");
  stmt_done(st);
  if (rc != SQLITE_DONE)
    return DY_EDB;
  return align_evidence(s, a, b, kind, "create", date, event, article,
                        ev->sentence);
}

/* ---- events and mentions --------------------------------------------------
 */

/* Finds or creates the event with ev's key on date; *id gets its id,
 * *created whether it is new. */
static int event_upsert(dy_store *s, const dy_event *ev, const char *date,
                        sqlite3_int64 article, sqlite3_int64 *id, int *created)
{
  sqlite3_stmt *st = stmt_get(s, ST_FIND_EVENT);
  int rc, b = SQLITE_OK;
  *created = 0;
  if (st == NULL)
    return DY_EDB;
  b |= bind_date(st, 1, date);
  b |= bind_cstr(st, 2, ev->source.code);
  b |= bind_cstr(st, 3, ev->target.code);
  b |= bind_cstr(st, 4, ev->code);
  b |= bind_cstr(st, 5, "");
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  stmt_done(st);
  if (rc == SQLITE_ROW)
    return DY_OK;
  if (rc != SQLITE_DONE)
    return db_fail(s, "cannot look up an event");
  st = stmt_get(s, ST_INS_EVENT);
  if (st == NULL)
    return DY_EDB;
  b |= bind_date(st, 1, date);
  b |= bind_cstr(st, 2, ev->source.code);
  b |= bind_cstr(st, 3, ev->source.country);
  b |= bind_cstr(st, 4, ev->source.name);
  b |= bind_cstr(st, 5, ev->source.role);
  b |= bind_cstr(st, 6, ev->target.code);
  b |= bind_cstr(st, 7, ev->target.country);
  b |= bind_cstr(st, 8, ev->target.name);
  b |= bind_cstr(st, 9, ev->target.role);
  b |= bind_cstr(st, 10, ev->code);
  b |= bind_cstr(st, 11, ev->root);
  b |= sqlite3_bind_int(st, 12, ev->quad);
  b |= sqlite3_bind_double(st, 13, ev->goldstein);
  b |= bind_cstr(st, 14, "");
  b |= sqlite3_bind_int64(st, 15, article);
  b |= sqlite3_bind_int(st, 16, ev->sentence);
  b |= bind_text(st, 17, s->json.p ? s->json.p : "", s->json.n);
  rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
  if (rc != SQLITE_DONE)
    db_fail(s, "cannot store an event");
  stmt_done(st);
  if (rc != SQLITE_DONE)
    return DY_EDB;
  *id = sqlite3_last_insert_rowid(s->db);
  *created = 1;
  return DY_OK;
}

static int put_events(dy_store *s, const dy_doc *d, sqlite3_int64 id,
                      const dup_info *di)
{
  const dy_article *a = dy_doc_article(d);
  size_t i, n = dy_doc_nevents(d);
  char first_date[16] = "";
  int has_first_date = 0;
  if (di->of) {
    /* a duplicate's events are reports of the first copy's events */
    sqlite3_stmt *st = stmt_get(s, ST_ARTICLE_DATE);
    int rc;
    if (st == NULL)
      return DY_EDB;
    sqlite3_bind_int64(st, 1, di->of);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
      snprintf(first_date, sizeof first_date, "%s", col_text(st, 0));
      has_first_date = 1;
    }
    stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return db_fail(s, "cannot read the first copy");
  }
  for (i = 0; i < n; i++) {
    const dy_event *ev = dy_doc_event(d, i);
    const char *date = has_first_date ? first_date : ev->date;
    const dy_sentence *se =
        ev->sentence >= 0 && (size_t)ev->sentence < a->nsents
            ? &a->sents[ev->sentence]
            : NULL;
    sqlite3_stmt *st;
    sqlite3_int64 eid = 0;
    int rc, created, root = se && se->para == 0, b = SQLITE_OK, seen;
    dy_buf_reset(&s->json);
    rc = dy_event_json(d, ev, &s->json);
    if (rc < 0)
      return dy_err_set(&s->err, rc, "cannot format event %zu: %s", i,
                        dy_strerror(rc));
    rc = event_upsert(s, ev, date, id, &eid, &created);
    if (rc < 0)
      return rc;
    /* a further mention in an article that already reports the event
       changes only the mention count (no recount over all its mentions) */
    st = stmt_get(s, ST_HAS_MENTION);
    if (st == NULL)
      return DY_EDB;
    b |= sqlite3_bind_int64(st, 1, eid);
    b |= sqlite3_bind_int64(st, 2, id);
    rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
    seen = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      db_fail(s, "cannot look up a mention");
    stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return DY_EDB;
    st = stmt_get(s, ST_INS_MENTION);
    if (st == NULL)
      return DY_EDB;
    b |= sqlite3_bind_int64(st, 1, eid);
    b |= sqlite3_bind_int64(st, 2, id);
    b |= sqlite3_bind_int(st, 3, ev->sentence);
    b |= se ? sqlite3_bind_int(st, 4, se->para) : sqlite3_bind_null(st, 4);
    b |= sqlite3_bind_int64(st, 5, ev->source.off);
    b |= sqlite3_bind_int64(st, 6, ev->source.len);
    b |= sqlite3_bind_int64(st, 7, ev->target.off);
    b |= sqlite3_bind_int64(st, 8, ev->target.len);
    b |= sqlite3_bind_int64(st, 9, ev->verb.off);
    b |= sqlite3_bind_int64(st, 10, ev->verb.len);
    b |= sqlite3_bind_int(st, 11, di->of ? 50 : 100);
    b |= bind_text(st, 12, s->json.p ? s->json.p : "", s->json.n);
    rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
    if (rc != SQLITE_DONE)
      db_fail(s, "cannot store a mention");
    stmt_done(st);
    if (rc != SQLITE_DONE)
      return DY_EDB;
    st = stmt_get(s, seen ? ST_BUMP_EVENT : ST_UPD_EVENT);
    if (st == NULL)
      return DY_EDB;
    b |= sqlite3_bind_int64(st, 1, eid);
    b |= sqlite3_bind_int(st, 2, root);
    rc = b != SQLITE_OK ? SQLITE_ERROR : sqlite3_step(st);
    if (rc != SQLITE_DONE)
      db_fail(s, "cannot count a mention");
    stmt_done(st);
    if (rc != SQLITE_DONE)
      return DY_EDB;
    if (!di->of) {
      rc = put_alignment(s, ev, date, se ? a->text + se->off : "",
                         se ? se->len : 0, eid, id);
      if (rc < 0)
        return rc;
    }
  }
  return DY_OK;
}

/* Inserts the article, its sentences, events and mentions; the caller owns
 * the transaction or savepoint around it. */
static int put_all(dy_store *s, const dy_doc *d, int *inserted)
{
  const dy_article *a = dy_doc_article(d);
  sqlite3_int64 id = 0;
  int rc, found = 0;
  dup_info di;
  char src[256];
  rc = dy_store_has_doc(s, a->hash, a->url, &found);
  if (rc < 0 || found)
    return rc;
  rc = find_dup(s, a->text ? a->text : "", a->text ? a->n : 0,
                a->date && *a->date ? a->date : NULL, &di);
  if (rc < 0)
    return rc;
  dy__source_name(a->url, a->agency, src, sizeof src);
  rc = put_article(s, a, dy_doc_nevents(d), &di, src, &id);
  if (rc == DY_OK)
    rc = put_sentences(s, a, id);
  if (rc == DY_OK)
    rc = put_events(s, d, id, &di);
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
  if (s->pg)
    return dy__pg_put(s, d, inserted);
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

/* Adds the articles stored since the batch began to the full-text index,
 * in one statement outside any savepoint: FTS5 writes a new index segment
 * at every savepoint, so indexing per put (each under its own savepoint)
 * made ingest ten times slower (measured: docs/STORE.md). */
static int fts_catch_up(dy_store *s)
{
  sqlite3_stmt *st = NULL;
  int rc = DY_OK;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO articles_fts(rowid, headline, body) "
                         "SELECT id, ifnull(headline, ''), ifnull(body, '') "
                         "FROM articles WHERE id > ?1 ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK ||
      sqlite3_bind_int64(st, 1, s->fts_mark) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_DONE)
    rc = db_fail(s, "cannot index the articles");
  sqlite3_finalize(st);
  return rc;
}

int dy_store_begin(dy_store *s)
{
  int rc;
  dy_err_clear(&s->err);
  if (s->batch)
    return dy_err_set(&s->err, DY_EINVAL, "a batch is already open");
  if (s->pg)
    return dy__pg_begin(s);
  rc = run_simple(s, ST_BEGIN, "cannot start a transaction");
  if (rc == DY_OK) {
    sqlite3_stmt *st = NULL;
    s->fts_mark = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT ifnull(max(id), 0) FROM articles", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
      rc = db_fail(s, "cannot start a transaction");
      sqlite3_finalize(st);
      rollback(s);
      return rc;
    }
    s->fts_mark = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    s->batch = 1;
  }
  return rc;
}

int dy_store_commit(dy_store *s)
{
  int rc;
  dy_err_clear(&s->err);
  if (!s->batch)
    return dy_err_set(&s->err, DY_EINVAL, "no open batch to commit");
  if (s->pg)
    return dy__pg_commit(s);
  s->batch = 0;
  if (sqlite3_get_autocommit(s->db))
    return dy_err_set(&s->err, DY_EDB,
                      "the batch transaction was rolled back by the database");
  rc = fts_catch_up(s);
  if (rc == DY_OK)
    rc = run_simple(s, ST_COMMIT, "cannot commit");
  if (rc < 0)
    rollback(s);
  return rc;
}

void dy_store_rollback(dy_store *s)
{
  if (s == NULL || !s->batch)
    return;
  if (s->pg) {
    dy__pg_rollback(s);
    return;
  }
  s->batch = 0;
  rollback(s);
}

/* ==== checkpoints ======================================================= */

int dy_store_autocheckpoint(dy_store *s, int pages)
{
  dy_err_clear(&s->err);
  if (s->pg)
    return DY_OK; /* the server checkpoints */
  if (sqlite3_wal_autocheckpoint(s->db, pages < 0 ? 0 : pages) != SQLITE_OK)
    return db_fail(s, "cannot set the checkpoint threshold");
  return DY_OK;
}

int dy_store_checkpoint(dy_store *s, int *wal_pages)
{
  int nlog = 0, nckpt = 0, rc;
  dy_err_clear(&s->err);
  if (s->pg) {
    if (wal_pages)
      *wal_pages = 0;
    return DY_OK;
  }
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

int dy__store_check_date(dy_store *s, const char *what, const char *date)
{
  if (date && dy_date_parse(dy_str_c(date)) < 0)
    return dy_err_set(&s->err, DY_EINVAL,
                      "bad %s date \"%.32s\": expected YYYY-MM-DD", what, date);
  return DY_OK;
}

/* Every filter is a fixed SQL fragment with a numbered parameter; user text
 * only ever reaches SQLite as a bound value. Prefixes are ranges
 * [p, p || char(127)) so the indexes serve them (codes are ASCII). */
enum {
  QP_SOURCE = 1,
  QP_TARGET,
  QP_CODE,
  QP_FROM,
  QP_TO,
  QP_ACTOR,
  QP_SCOUNTRY,
  QP_TCOUNTRY,
  QP_COUNTRY,
  QP_QUAD,
  QP_MENTIONS,
  QP_ARTICLE,
  QP_TEXT,
  QP_LIMIT,
  QP_OFFSET
};

int dy__store_prepare_events(dy_store *s, const dy_query *q, const char *cols,
                             const char *from_extra, const char *tail,
                             int order_limit, sqlite3_stmt **out)
{
  static const dy_query all;
  dy_buf *sql = &s->scratch;
  sqlite3_stmt *st = NULL;
  int rc;
  *out = NULL;
  if (q == NULL)
    q = &all;
  rc = dy__store_check_date(s, "from", q->from);
  if (rc == DY_OK)
    rc = dy__store_check_date(s, "to", q->to);
  if (rc == DY_OK && (q->quad < 0 || q->quad > 4))
    rc = dy_err_set(&s->err, DY_EINVAL, "bad QuadClass %d (1 to 4)", q->quad);
  if (rc == DY_OK && (q->limit < 0 || q->offset < 0))
    rc = dy_err_set(&s->err, DY_EINVAL, "negative limit or offset");
  if (rc < 0)
    return rc;
  dy_buf_reset(sql);
  dy_buf_printf(sql,
                "SELECT %s FROM events e JOIN articles a ON a.id = "
                "e.article_id LEFT JOIN sentences s ON s.article_id = "
                "e.article_id AND s.idx = e.sentence_idx%s WHERE 1",
                cols, from_extra ? from_extra : "");
  if (q->source)
    dy_buf_puts(sql, " AND e.source >= ?1 AND e.source < ?1 || char(127)");
  if (q->target)
    dy_buf_puts(sql, " AND e.target >= ?2 AND e.target < ?2 || char(127)");
  if (q->code)
    dy_buf_puts(sql, " AND e.code >= ?3 AND e.code < ?3 || char(127)");
  if (q->from)
    dy_buf_puts(sql, " AND e.date >= ?4");
  if (q->to)
    dy_buf_puts(sql, " AND e.date <= ?5");
  if (q->actor)
    dy_buf_puts(sql, " AND ((e.source >= ?6 AND e.source < ?6 || char(127))"
                     " OR (e.target >= ?6 AND e.target < ?6 || char(127)))");
  if (q->source_country)
    dy_buf_puts(sql, " AND e.source_country = ?7");
  if (q->target_country)
    dy_buf_puts(sql, " AND e.target_country = ?8");
  if (q->country)
    dy_buf_puts(sql, " AND (e.source_country = ?9 OR e.target_country = ?9)");
  if (q->quad)
    dy_buf_puts(sql, " AND e.quad = ?10");
  if (q->min_mentions > 0)
    dy_buf_puts(sql, " AND e.num_mentions >= ?11");
  if (q->article)
    dy_buf_puts(sql, " AND e.id IN (SELECT m.event_id FROM mentions m JOIN "
                     "articles a2 ON a2.id = m.article_id WHERE a2.hash >= "
                     "?12 AND a2.hash < ?12 || char(127))");
  if (q->text)
    dy_buf_puts(sql, " AND e.id IN (SELECT m.event_id FROM mentions m WHERE "
                     "m.article_id IN (SELECT rowid FROM articles_fts WHERE "
                     "articles_fts MATCH ?13))");
  if (q->roots_only)
    dy_buf_puts(sql, " AND e.is_root = 1");
  if (tail)
    dy_buf_puts(sql, tail);
  if (order_limit) {
    /* independent of insertion order: the same rows print the same way
     * whatever order (or how many workers) stored them */
    dy_buf_puts(sql, " ORDER BY e.date, a.hash, e.sentence_idx, e.id");
    if (q->limit > 0 || q->offset > 0)
      dy_buf_puts(sql, " LIMIT ?14 OFFSET ?15");
  }
  if (sql->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  if (sqlite3_prepare_v2(s->db, sql->p, (int)sql->n, &st, NULL) != SQLITE_OK)
    return db_fail(s, "cannot prepare the query");
#define BINDS(k, v)                                                            \
  if (v)                                                                       \
  sqlite3_bind_text(st, (k), (v), -1, SQLITE_STATIC)
  BINDS(QP_SOURCE, q->source);
  BINDS(QP_TARGET, q->target);
  BINDS(QP_CODE, q->code);
  BINDS(QP_FROM, q->from);
  BINDS(QP_TO, q->to);
  BINDS(QP_ACTOR, q->actor);
  BINDS(QP_SCOUNTRY, q->source_country);
  BINDS(QP_TCOUNTRY, q->target_country);
  BINDS(QP_COUNTRY, q->country);
  BINDS(QP_ARTICLE, q->article);
  BINDS(QP_TEXT, q->text);
#undef BINDS
  if (q->quad)
    sqlite3_bind_int(st, QP_QUAD, q->quad);
  if (q->min_mentions > 0)
    sqlite3_bind_int64(st, QP_MENTIONS, q->min_mentions);
  if (order_limit && (q->limit > 0 || q->offset > 0)) {
    sqlite3_bind_int64(st, QP_LIMIT, q->limit > 0 ? q->limit : -1);
    sqlite3_bind_int64(st, QP_OFFSET, q->offset);
  }
  *out = st;
  return DY_OK;
}

void dy__event_row_fill(sqlite3_stmt *st, dy_event_row *row)
{
  row->id = (long)sqlite3_column_int64(st, 0);
  row->article = col_text(st, 1);
  row->name = col_text(st, 2);
  row->date = col_text(st, 3);
  row->source = col_text(st, 4);
  row->source_country = col_text(st, 5);
  row->target = col_text(st, 6);
  row->target_country = col_text(st, 7);
  row->code = col_text(st, 8);
  row->root = col_text(st, 9);
  row->quad = sqlite3_column_int(st, 10);
  row->goldstein = sqlite3_column_double(st, 11);
  row->sentence_index = (long)sqlite3_column_int64(st, 12);
  row->sentence = col_text(st, 13);
  row->json = col_text(st, 14);
  row->source_name = col_text(st, 15);
  row->target_name = col_text(st, 16);
  row->source_role = col_text(st, 17);
  row->target_role = col_text(st, 18);
  row->place = col_text(st, 19);
  row->num_mentions = (long)sqlite3_column_int64(st, 20);
  row->num_sources = (long)sqlite3_column_int64(st, 21);
  row->num_articles = (long)sqlite3_column_int64(st, 22);
  row->is_root = sqlite3_column_int(st, 23);
  row->url = col_text(st, 24);
  row->added = col_text(st, 25);
}

/* A step error from a MATCH is the user's query syntax, not the database. */
int dy__store_step_fail(dy_store *s, const dy_query *q)
{
  /* a plain SQLITE_ERROR (not I/O, not corruption) while a MATCH runs is
   * the FTS5 query parser's */
  if (q && q->text && (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_ERROR)
    return dy_err_set(&s->err, DY_EINVAL, "bad text query: %s",
                      sqlite3_errmsg(s->db));
  return db_fail(s, "query");
}

int dy_store_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud)
{
  sqlite3_stmt *st = NULL;
  int rc;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_query(s, q, fn, ud);
  rc = dy__store_prepare_events(s, q, DY__EVENT_COLS, NULL, NULL, 1, &st);
  if (rc < 0)
    return rc;
  for (;;) {
    dy_event_row row;
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE)
      break;
    if (step != SQLITE_ROW) {
      rc = dy__store_step_fail(s, q);
      break;
    }
    dy__event_row_fill(st, &row);
    if (fn(&row, ud) != 0)
      break;
  }
  sqlite3_finalize(st);
  return rc;
}

int dy_store_counts_get(dy_store *s, dy_store_counts *c)
{
  sqlite3_stmt *st;
  int rc;
  memset(c, 0, sizeof *c);
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_counts(s, c);
  st = stmt_get(s, ST_COUNTS);
  if (st == NULL)
    return DY_EDB;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    c->articles = (long)sqlite3_column_int64(st, 0);
    c->sentences = (long)sqlite3_column_int64(st, 1);
    c->events = (long)sqlite3_column_int64(st, 2);
    c->mentions = (long)sqlite3_column_int64(st, 3);
    c->duplicates = (long)sqlite3_column_int64(st, 4);
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
  if (s->pg)
    return dy__pg_summary_section(s, out, kind);
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
                "events     %ld\n"
                "mentions   %ld\n"
                "duplicates %ld\n",
                c.articles, c.sentences, c.events, c.mentions, c.duplicates);
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
