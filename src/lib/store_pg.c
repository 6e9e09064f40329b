/* SPDX-License-Identifier: MIT */
/* The PostgreSQL store backend (libpq), selected by a postgresql:// or
 * postgres:// database "path". Same tables and columns as the SQLite schema
 * 2 in PostgreSQL's dialect (docs/SCALE.md), the same ingest semantics:
 * documents keyed by (hash, url) with INSERT ... ON CONFLICT, exact and
 * near duplicates, events deduplicated on (date, source, target, code,
 * place) with an upsert on a unique index, mention counts. Each write
 * transaction (one put, or one batch) takes a transaction-level advisory
 * lock first, so several processes writing into one database serialise
 * their short write transactions: duplicate detection and mention counting
 * see every committed article, nothing deadlocks, and a client that dies
 * leaves its open transaction to be rolled back by the server. The costly
 * part (reading, parsing, coding) stays parallel in each process. */
#include "store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Advisory lock keys: 1685676388 (0x64796164, "dyad" in ASCII) for the
 * write transactions, one more for the schema migration. */
#define PG_MAXP 32 /* parameters of one statement */

struct dy__pg {
  PGconn *conn;
  int prepared[64]; /* cached statement k prepared as "dyK" */
};

static const char *const pg_migrations[] = {
    /* v1 exists only in SQLite; a PostgreSQL database starts at v2 */
    "SELECT 1",
    "CREATE TABLE articles(\n"
    "  id BIGSERIAL PRIMARY KEY,\n"
    "  hash TEXT NOT NULL,\n"
    "  url TEXT NOT NULL DEFAULT '',\n"
    "  name TEXT, headline TEXT, date TEXT, places TEXT, agency TEXT,\n"
    "  dateline TEXT, body TEXT,\n"
    "  nsentences INTEGER, nevents INTEGER, nbad_utf8 INTEGER,\n"
    "  ingested_at TEXT DEFAULT to_char(now() AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD HH24:MI:SS'),\n"
    "  source TEXT NOT NULL DEFAULT '',\n"
    "  body_hash TEXT, simhash BIGINT,\n"
    "  nshingles INTEGER NOT NULL DEFAULT 0,\n"
    "  sh0 INTEGER, sh1 INTEGER, sh2 INTEGER, sh3 INTEGER,\n"
    "  sh4 INTEGER, sh5 INTEGER, sh6 INTEGER, sh7 INTEGER,\n"
    "  dup_of BIGINT REFERENCES articles(id),\n"
    "  dup_kind TEXT, dup_dist INTEGER,\n"
    "  tsv tsvector GENERATED ALWAYS AS (\n"
    "    setweight(to_tsvector('simple', coalesce(headline, '')), 'A') ||\n"
    "    setweight(to_tsvector('simple', coalesce(body, '')), 'B')) STORED,\n"
    "  UNIQUE(hash, url)\n"
    ");\n"
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
    "CREATE INDEX articles_tsv ON articles USING gin(tsv);\n"
    "CREATE TABLE sentences(\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL, off INTEGER, len INTEGER, text TEXT,\n"
    "  PRIMARY KEY(article_id, idx)\n"
    ");\n"
    "CREATE TABLE events(\n"
    "  id BIGSERIAL PRIMARY KEY,\n"
    "  date TEXT,\n"
    "  source TEXT NOT NULL DEFAULT '',\n"
    "  source_country TEXT, source_name TEXT, source_role TEXT,\n"
    "  target TEXT NOT NULL DEFAULT '',\n"
    "  target_country TEXT, target_name TEXT, target_role TEXT,\n"
    "  code TEXT NOT NULL, root TEXT, quad INTEGER,\n"
    "  goldstein DOUBLE PRECISION,\n"
    "  place TEXT NOT NULL DEFAULT '',\n"
    "  is_root INTEGER NOT NULL DEFAULT 0,\n"
    "  num_mentions INTEGER NOT NULL DEFAULT 0,\n"
    "  num_sources INTEGER NOT NULL DEFAULT 0,\n"
    "  num_articles INTEGER NOT NULL DEFAULT 0,\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER,\n"
    "  json TEXT NOT NULL,\n"
    "  added_at TEXT DEFAULT to_char(now() AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD HH24:MI:SS')\n"
    ");\n"
    "CREATE UNIQUE INDEX events_key ON events((coalesce(date, '')), source, "
    "target, code, place);\n"
    "CREATE INDEX events_by_date ON events(date);\n"
    "CREATE INDEX events_by_source ON events(source, date);\n"
    "CREATE INDEX events_by_target ON events(target, date);\n"
    "CREATE INDEX events_by_code ON events(code, date);\n"
    "CREATE INDEX events_by_scountry ON events(source_country, date);\n"
    "CREATE INDEX events_by_tcountry ON events(target_country, date);\n"
    "CREATE INDEX events_by_article ON events(article_id);\n"
    "CREATE TABLE mentions(\n"
    "  id BIGSERIAL PRIMARY KEY,\n"
    "  event_id BIGINT NOT NULL REFERENCES events(id),\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, para INTEGER,\n"
    "  source_off INTEGER, source_len INTEGER,\n"
    "  target_off INTEGER, target_len INTEGER,\n"
    "  verb_off INTEGER, verb_len INTEGER,\n"
    "  confidence INTEGER NOT NULL DEFAULT 100,\n"
    "  json TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX mentions_event ON mentions(event_id);\n"
    "CREATE INDEX mentions_article ON mentions(article_id);\n"
    "CREATE TABLE entities(\n"
    "  id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL,\n"
    "  code TEXT NOT NULL DEFAULT '', name TEXT NOT NULL,\n"
    "  country TEXT, role TEXT, ref TEXT, UNIQUE(kind, code, name)\n"
    ");\n"
    "CREATE TABLE entity_mentions(\n"
    "  entity_id BIGINT NOT NULL REFERENCES entities(id),\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, off INTEGER, len INTEGER\n"
    ");\n"
    "CREATE TABLE quotes(\n"
    "  id BIGSERIAL PRIMARY KEY,\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, speaker TEXT,\n"
    "  speaker_entity_id BIGINT REFERENCES entities(id),\n"
    "  affiliation TEXT, cue TEXT, off INTEGER, len INTEGER, text TEXT,\n"
    "  direct INTEGER NOT NULL DEFAULT 1\n"
    ");\n"
    "CREATE TABLE places(\n"
    "  id BIGSERIAL PRIMARY KEY,\n"
    "  article_id BIGINT NOT NULL REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, event_id BIGINT REFERENCES events(id),\n"
    "  kind TEXT NOT NULL DEFAULT 'mention', name TEXT NOT NULL,\n"
    "  country TEXT, adm1 TEXT, adm2 TEXT,\n"
    "  lat DOUBLE PRECISION, lon DOUBLE PRECISION,\n"
    "  feature_id TEXT, off INTEGER, len INTEGER\n"
    ");\n"
    "CREATE TABLE alignments(\n"
    "  id BIGSERIAL PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',\n"
    "  start TEXT NOT NULL, \"end\" TEXT, origin TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT '', line INTEGER,\n"
    "  event_id BIGINT REFERENCES events(id),\n"
    "  article_id BIGINT REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, CHECK (a < b)\n"
    ");\n"
    "CREATE UNIQUE INDEX alignments_event ON alignments(a, b, kind) "
    "WHERE origin = 'event';\n"
    "CREATE TABLE alignment_evidence(\n"
    "  id BIGSERIAL PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, date TEXT,\n"
    "  event_id BIGINT NOT NULL REFERENCES events(id),\n"
    "  article_id BIGINT REFERENCES articles(id),\n"
    "  sentence_idx INTEGER, UNIQUE(event_id, role)\n"
    ");\n"
    "CREATE TABLE saved_queries(\n"
    "  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE,\n"
    "  params TEXT NOT NULL,\n"
    "  created_at TEXT DEFAULT to_char(now() AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD HH24:MI:SS')\n"
    ");\n",
};

_Static_assert(sizeof pg_migrations / sizeof pg_migrations[0] ==
                   DY_STORE_SCHEMA_VERSION,
               "one PostgreSQL migration per schema version");

/* ==== statements ========================================================= */

enum {
  PS_HAS,
  PS_HAS_DOC,
  PS_LOCK,
  PS_FIND_EXACT,
  PS_FIND_NEAR,
  PS_INS_ARTICLE,
  PS_INS_SENTENCE,
  PS_ARTICLE_DATE,
  PS_UPSERT_EVENT,
  PS_INS_MENTION,
  PS_UPD_EVENT,
  PS_BUMP_EVENT,
  PS_N
};

static const char *const ps_sql[PS_N] = {
    [PS_HAS] = "SELECT 1 FROM articles WHERE hash = $1 LIMIT 1",
    [PS_HAS_DOC] = "SELECT 1 FROM articles WHERE hash = $1 AND url = $2",
    [PS_LOCK] = "SELECT pg_advisory_xact_lock(1685676388)",
    [PS_FIND_EXACT] = "SELECT min(coalesce(dup_of, id)) FROM articles "
                      "WHERE body_hash = $1",
    [PS_FIND_NEAR] =
        "SELECT id, simhash FROM articles WHERE ("
        "(sh0 = $1 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh1 = $2 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh2 = $3 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh3 = $4 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh4 = $5 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh5 = $6 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh6 = $7 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL))) OR "
        "(sh7 = $8 AND (date BETWEEN $9 AND $10 OR ($11 AND date IS NULL)))) "
        "AND dup_of IS NULL AND nshingles >= $12::int",
    [PS_INS_ARTICLE] =
        "INSERT INTO articles(hash, name, headline, date, places, agency, "
        "dateline, body, nsentences, nevents, nbad_utf8, url, source, "
        "body_hash, simhash, nshingles, dup_of, dup_kind, dup_dist, sh0, sh1, "
        "sh2, sh3, sh4, sh5, sh6, sh7) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27) "
        "ON CONFLICT (hash, url) DO NOTHING RETURNING id",
    [PS_INS_SENTENCE] =
        "INSERT INTO sentences(article_id, idx, off, len, text) "
        "SELECT $1, n - 1, o, l, t FROM unnest($2::int[], $3::int[], "
        "$4::text[]) WITH ORDINALITY AS x(o, l, t, n)",
    [PS_ARTICLE_DATE] = "SELECT date FROM articles WHERE id = $1",
    [PS_UPSERT_EVENT] =
        "INSERT INTO events(date, source, source_country, source_name, "
        "source_role, target, target_country, target_name, target_role, "
        "code, root, quad, goldstein, place, article_id, sentence_idx, json) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17) ON CONFLICT ((coalesce(date, '')), source, target, "
        "code, place) DO UPDATE SET num_mentions = events.num_mentions "
        "RETURNING id",
    [PS_INS_MENTION] =
        "INSERT INTO mentions(event_id, article_id, sentence_idx, para, "
        "source_off, source_len, target_off, target_len, verb_off, verb_len, "
        "confidence, json) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    /* a separate statement after the upsert locked the row: its snapshot
     * includes every mention committed before the lock was granted */
    [PS_UPD_EVENT] =
        "UPDATE events SET num_mentions = num_mentions + 1, "
        "num_articles = (SELECT count(DISTINCT article_id) FROM mentions "
        "WHERE event_id = $1), num_sources = (SELECT count(DISTINCT "
        "a.source) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.event_id = $1), is_root = greatest(is_root, $2::int) "
        "WHERE id = $1",
    /* repeat mentions of an event within the article being stored (as
       ST_BUMP_EVENT in store.c), counted once per event by pg_put_events */
    [PS_BUMP_EVENT] = "UPDATE events SET num_mentions = num_mentions + "
                      "$3::int, is_root = greatest(is_root, $2::int) "
                      "WHERE id = $1",
};

/* Parameters of one statement: text values or NULL; numbers formatted into
 * num, strings that are not NUL-terminated copied into own (freed by
 * pp_fini). */
typedef struct pgparams {
  const char *v[PG_MAXP];
  char num[PG_MAXP][32];
  char *own[PG_MAXP];
  int n;
} pgparams;

static void pp_init(pgparams *p)
{
  memset(p, 0, sizeof *p);
}

static void pp_fini(pgparams *p)
{
  int i;
  for (i = 0; i < p->n; i++)
    dy_free(p->own[i]);
  p->n = 0;
}

static void pp_str(pgparams *p, const char *s)
{
  if (p->n < PG_MAXP)
    p->v[p->n++] = s;
}

/* Dates: "" is stored as NULL, as in SQLite. */
static void pp_date(pgparams *p, const char *s)
{
  pp_str(p, s && *s ? s : NULL);
}

static void pp_strn(pgparams *p, const char *s, size_t n)
{
  if (p->n >= PG_MAXP)
    return;
  if (s == NULL) {
    p->v[p->n++] = NULL;
    return;
  }
  p->own[p->n] = dy_strndup(s, n);
  p->v[p->n] = p->own[p->n] ? p->own[p->n] : "";
  p->n++;
}

static void pp_int(pgparams *p, long long x)
{
  if (p->n >= PG_MAXP)
    return;
  snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", x);
  p->v[p->n] = p->num[p->n];
  p->n++;
}

static void pp_double(pgparams *p, double x)
{
  if (p->n >= PG_MAXP)
    return;
  snprintf(p->num[p->n], sizeof p->num[p->n], "%.17g", x);
  p->v[p->n] = p->num[p->n];
  p->n++;
}

/* The server's message without its trailing newline. */
static int pg_fail(dy_store *s, const char *what, const PGresult *r)
{
  const char *m = r ? PQresultErrorMessage(r) : NULL;
  char buf[200];
  size_t n;
  if (m == NULL || *m == '\0')
    m = PQerrorMessage(s->pg->conn);
  snprintf(buf, sizeof buf, "%s", m ? m : "unknown error");
  n = strlen(buf);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
    buf[--n] = '\0';
  return dy_err_set(&s->err, DY_EDB, "%s: %s", what, buf);
}

static int res_ok(const PGresult *r)
{
  ExecStatusType t = PQresultStatus(r);
  return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ||
         t == PGRES_SINGLE_TUPLE;
}

/* Runs cached statement k with params; returns the result (PQclear it) or
 * NULL with the error set. */
static PGresult *ps_run(dy_store *s, int k, pgparams *p, const char *what)
{
  PGresult *r;
  char name[16];
  snprintf(name, sizeof name, "dy%d", k);
  if (!s->pg->prepared[k]) {
    r = PQprepare(s->pg->conn, name, ps_sql[k], 0, NULL);
    if (!res_ok(r)) {
      pg_fail(s, "prepare", r);
      PQclear(r);
      return NULL;
    }
    PQclear(r);
    s->pg->prepared[k] = 1;
  }
  r = PQexecPrepared(s->pg->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL,
                     NULL, 0);
  if (!res_ok(r)) {
    pg_fail(s, what, r);
    PQclear(r);
    return NULL;
  }
  return r;
}

/* Runs sql with params (ad hoc statement). */
static PGresult *sql_run(dy_store *s, const char *sql, pgparams *p,
                         const char *what)
{
  PGresult *r = PQexecParams(s->pg->conn, sql, p ? p->n : 0, NULL,
                             p ? p->v : NULL, NULL, NULL, 0);
  if (!res_ok(r)) {
    pg_fail(s, what, r);
    PQclear(r);
    return NULL;
  }
  return r;
}

static int exec_simple(dy_store *s, const char *sql, const char *what)
{
  PGresult *r = PQexec(s->pg->conn, sql);
  int ok = res_ok(r);
  if (!ok)
    pg_fail(s, what, r);
  PQclear(r);
  return ok ? DY_OK : DY_EDB;
}

static long long val_ll(const PGresult *r, int row, int col)
{
  return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static const char *gv0(const PGresult *r, int row, int col)
{
  return PQgetvalue(r, row, col);
}

/* ==== open, migrate, close =============================================== */

int dy__pg_is_url(const char *path)
{
  return path && (strncmp(path, "postgresql://", 13) == 0 ||
                  strncmp(path, "postgres://", 11) == 0);
}

/* The connection string without its password, for messages. */
static void redact(const char *url, char *out, size_t cap)
{
  const char *at = strchr(url, '@'), *scheme = strstr(url, "://");
  const char *colon;
  if (at && scheme &&
      (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) != NULL)
    snprintf(out, cap, "%.*s:***%s", (int)(colon - url), url, at);
  else
    snprintf(out, cap, "%s", url);
}

static int pg_migrate(dy_store *s)
{
  PGresult *r;
  long long version = 0;
  int i, rc = DY_OK;
  if (exec_simple(s, "BEGIN", "cannot start the schema migration") < 0)
    return DY_EDB;
  /* one migrating process at a time; the others wait, then see it done */
  rc = exec_simple(s, "SELECT pg_advisory_xact_lock(1685676389)",
                   "cannot lock the schema");
  if (rc == DY_OK)
    rc = exec_simple(s,
                     "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, "
                     "value TEXT)",
                     "cannot create the meta table");
  if (rc == DY_OK) {
    r = sql_run(s, "SELECT value FROM meta WHERE key = 'schema_version'", NULL,
                "cannot read the schema version");
    if (r == NULL)
      rc = DY_EDB;
    else if (PQntuples(r) > 0)
      version = val_ll(r, 0, 0);
    PQclear(r);
  }
  if (rc == DY_OK && version > DY_STORE_SCHEMA_VERSION)
    rc = dy_err_set(&s->err, DY_EVERSION,
                    "database schema version %lld is newer than this dyad "
                    "supports (%d); upgrade dyad",
                    version, DY_STORE_SCHEMA_VERSION);
  for (i = (int)version; rc == DY_OK && i < DY_STORE_SCHEMA_VERSION; i++) {
    char what[64];
    snprintf(what, sizeof what, "migration to schema version %d", i + 1);
    rc = exec_simple(s, pg_migrations[i], what);
  }
  if (rc == DY_OK && version < DY_STORE_SCHEMA_VERSION) {
    pgparams p;
    pp_init(&p);
    pp_int(&p, DY_STORE_SCHEMA_VERSION);
    r = sql_run(s,
                "INSERT INTO meta(key, value) VALUES('schema_version', $1) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                &p, "cannot record the schema version");
    rc = r ? DY_OK : DY_EDB;
    PQclear(r);
  }
  if (rc == DY_OK)
    rc = exec_simple(s, "COMMIT", "cannot commit the schema migration");
  if (rc < 0) {
    dy_err keep = s->err;
    PQclear(PQexec(s->pg->conn, "ROLLBACK"));
    s->err = keep;
  }
  return rc;
}

int dy__pg_open(dy_store *s, const char *url)
{
  char shown[256];
  s->pg = dy_calloc(1, sizeof *s->pg);
  if (s->pg == NULL)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  s->pg->conn = PQconnectdb(url);
  if (s->pg->conn == NULL)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  if (PQstatus(s->pg->conn) != CONNECTION_OK) {
    char msg[200];
    size_t n;
    redact(url, shown, sizeof shown);
    snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->pg->conn));
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
      msg[--n] = '\0';
    return dy_err_set(&s->err, DY_EDB, "cannot connect to %.80s: %s", shown,
                      msg);
  }
  if (PQsetClientEncoding(s->pg->conn, "UTF8") != 0)
    return pg_fail(s, "cannot set the client encoding", NULL);
  if (exec_simple(s, "SET client_min_messages = warning",
                  "cannot set up the session") < 0)
    return DY_EDB;
  return pg_migrate(s);
}

void dy__pg_close(dy_store *s)
{
  if (s->pg == NULL)
    return;
  if (s->pg->conn)
    PQfinish(s->pg->conn); /* an open batch is rolled back by the server */
  dy_free(s->pg);
  s->pg = NULL;
}

/* ==== ingest ============================================================= */

int dy__pg_has(dy_store *s, const char *hash, const char *url, int doc,
               int *found)
{
  pgparams p;
  PGresult *r;
  *found = 0;
  dy_err_clear(&s->err);
  pp_init(&p);
  pp_str(&p, hash ? hash : "");
  if (doc)
    pp_str(&p, url ? url : "");
  r = ps_run(s, doc ? PS_HAS_DOC : PS_HAS, &p, "cannot look up the article");
  if (r == NULL)
    return DY_EDB;
  *found = PQntuples(r) > 0;
  PQclear(r);
  return DY_OK;
}

static long long band(uint64_t h, int k)
{
  return (long long)((h >> (8 * k)) & 0xff);
}

/* As find_dup in store.c: exact copy by body hash, else the earliest first
 * copy within DY_SIMHASH_MAX_DIST bits published within
 * DY_SIMHASH_MAX_DAYS (or both undated). */
static int pg_find_dup(dy_store *s, const char *body, size_t n,
                       const char *date, dy__dup_info *di)
{
  char lo[11], hi[11];
  pgparams p;
  PGresult *r;
  int k, i;
  memset(di, 0, sizeof *di);
  dy_sha256_hex(body, n, di->body_hash);
  di->simhash = dy_simhash(body, n, &di->nshingles);
  if (n == 0)
    return DY_OK;
  pp_init(&p);
  pp_str(&p, di->body_hash);
  r = ps_run(s, PS_FIND_EXACT, &p, "cannot look up duplicates");
  if (r == NULL)
    return DY_EDB;
  if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
    di->of = val_ll(r, 0, 0);
    di->kind = "exact";
  }
  PQclear(r);
  if (di->of || di->nshingles < DY_SIMHASH_MIN_SHINGLES)
    return DY_OK;
  pp_init(&p);
  for (k = 0; k < 8; k++)
    pp_int(&p, band(di->simhash, k));
  dy__date_add(date, -DY_SIMHASH_MAX_DAYS, lo);
  dy__date_add(date, DY_SIMHASH_MAX_DAYS, hi);
  pp_str(&p, *lo && *hi ? lo : NULL);
  pp_str(&p, *lo && *hi ? hi : NULL);
  pp_str(&p, *lo && *hi ? "false" : "true");
  pp_int(&p, DY_SIMHASH_MIN_SHINGLES);
  r = ps_run(s, PS_FIND_NEAR, &p, "cannot look up near-duplicates");
  if (r == NULL)
    return DY_EDB;
  for (i = 0; i < PQntuples(r); i++) {
    long long id = val_ll(r, i, 0);
    uint64_t h = (uint64_t)val_ll(r, i, 1);
    int d = dy_hamming64(h, di->simhash);
    if (d <= DY_SIMHASH_MAX_DIST && (di->of == 0 || id < di->of)) {
      di->of = id;
      di->kind = "near";
      di->dist = d;
    }
  }
  PQclear(r);
  return DY_OK;
}

/* ---- alignments from coded events (as put_alignment in store.c) ------- */

static int pg_align_evidence(dy_store *s, const char *a, const char *b,
                             const char *kind, const char *role,
                             const char *date, long long event,
                             long long article, int sentence)
{
  pgparams p;
  PGresult *r;
  pp_init(&p);
  pp_str(&p, a);
  pp_str(&p, b);
  pp_str(&p, kind);
  pp_str(&p, role);
  pp_date(&p, date);
  pp_int(&p, event);
  pp_int(&p, article);
  pp_int(&p, sentence);
  r = sql_run(s,
              "INSERT INTO alignment_evidence(a, b, kind, role, date, "
              "event_id, article_id, sentence_idx) VALUES($1, $2, $3, $4, "
              "$5, $6, $7, $8) ON CONFLICT DO NOTHING",
              &p, "cannot store alignment evidence");
  PQclear(r);
  return r ? DY_OK : DY_EDB;
}

static int pg_put_alignment(dy_store *s, const dy_event *ev, const char *date,
                            const char *sent, size_t sent_n, long long event,
                            long long article)
{
  const char *a = NULL, *b = NULL, *kind = NULL;
  pgparams p;
  PGresult *r;
  switch (dy__align_of(ev, date, sent, sent_n, &a, &b, &kind)) {
  case DY__ALIGN_COOP:
    return pg_align_evidence(s, a, b, "", "strengthen", date, event, article,
                             ev->sentence);
  case DY__ALIGN_PACT:
    break;
  default:
    return DY_OK;
  }
  pp_init(&p);
  pp_str(&p, a);
  pp_str(&p, b);
  pp_str(&p, kind);
  r = sql_run(s,
              "SELECT id, start FROM alignments WHERE a = $1 AND b = $2 AND "
              "kind = $3 AND origin = 'event'",
              &p, "cannot look up an alignment");
  if (r == NULL)
    return DY_EDB;
  if (PQntuples(r) > 0) {
    long long aid = val_ll(r, 0, 0);
    int earlier = strcmp(date, gv0(r, 0, 1)) < 0;
    PQclear(r);
    if (earlier) {
      pp_init(&p);
      pp_int(&p, aid);
      pp_str(&p, date);
      pp_int(&p, event);
      pp_int(&p, article);
      pp_int(&p, ev->sentence);
      r = sql_run(s,
                  "UPDATE alignments SET start = $2, event_id = $3, "
                  "article_id = $4, sentence_idx = $5 WHERE id = $1",
                  &p, "cannot update an alignment");
      if (r == NULL)
        return DY_EDB;
      PQclear(r);
    }
    return pg_align_evidence(s, a, b, kind, earlier ? "create" : "renew", date,
                             event, article, ev->sentence);
  }
  PQclear(r);
  pp_init(&p);
  pp_str(&p, a);
  pp_str(&p, b);
  pp_str(&p, kind);
  pp_str(&p, date);
  pp_str(&p, "created by a coded agreement event");
  pp_int(&p, event);
  pp_int(&p, article);
  pp_int(&p, ev->sentence);
  r = sql_run(s,
              "INSERT INTO alignments(a, b, kind, name, start, origin, note, "
              "event_id, article_id, sentence_idx) VALUES($1, $2, $3, '', $4, "
              "'event', $5, $6, $7, $8)",
              &p, "cannot store an alignment");
  if (r == NULL)
    return DY_EDB;
  PQclear(r);
  return pg_align_evidence(s, a, b, kind, "create", date, event, article,
                           ev->sentence);
}

/* The events an article reports, by key, while it is stored: a repeat
 * mention of one of them needs no upsert (its id is known) and only bumps
 * the count, once per event at the end (PostgreSQL keeps every version of
 * a row updated in one transaction: 8000 upserts of one event made each
 * look-up walk thousands of versions). */
typedef struct seen_ev {
  uint64_t h;      /* hash of the key */
  size_t key;      /* offset of the key in the keys buffer */
  long long id;    /* event id */
  long long bumps; /* repeat mentions not counted yet */
  int root;        /* a repeat is in a lead paragraph */
} seen_ev;

typedef struct seen_set {
  seen_ev *e;  /* open addressing, cap slots, id 0 = empty */
  size_t cap;  /* power of two */
  size_t used; /* filled slots */
  dy_buf keys; /* "date\x1fsource\x1ftarget\x1fcode\0" ... */
} seen_set;

/* The slot of the event with ev's key on date (id 0 when new: the caller
 * fills it); NULL when out of memory. */
static seen_ev *seen_get(seen_set *t, const dy_event *ev, const char *date)
{
  size_t start = t->keys.n, i, klen;
  uint64_t h;
  if (t->used * 2 >= t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 64, j;
    seen_ev *ne = dy_calloc(nc, sizeof *ne);
    if (ne == NULL)
      return NULL;
    for (j = 0; j < t->cap; j++) {
      if (t->e[j].id == 0)
        continue;
      for (i = t->e[j].h & (nc - 1); ne[i].id; i = (i + 1) & (nc - 1))
        ;
      ne[i] = t->e[j];
    }
    dy_free(t->e);
    t->e = ne;
    t->cap = nc;
  }
  dy_buf_printf(&t->keys, "%s\x1f%s\x1f%s\x1f%s", date ? date : "",
                ev->source.code, ev->target.code, ev->code);
  dy_buf_putc(&t->keys, '\0');
  if (t->keys.failed)
    return NULL;
  klen = t->keys.n - start;
  h = dy_hash64(t->keys.p + start, klen);
  for (i = h & (t->cap - 1); t->e[i].id; i = (i + 1) & (t->cap - 1))
    if (t->e[i].h == h &&
        memcmp(t->keys.p + t->e[i].key, t->keys.p + start, klen) == 0) {
      t->keys.n = start; /* known: drop the copy */
      return &t->e[i];
    }
  t->e[i].h = h;
  t->e[i].key = start;
  t->e[i].bumps = 0;
  t->e[i].root = 0;
  return &t->e[i];
}

static int pg_put_events(dy_store *s, const dy_doc *d, long long id,
                         const dy__dup_info *di)
{
  const dy_article *a = dy_doc_article(d);
  size_t i, n = dy_doc_nevents(d);
  char first_date[16] = "";
  int has_first_date = 0, rc = DY_OK;
  seen_set seen;
  pgparams p;
  PGresult *r;
  memset(&seen, 0, sizeof seen);
  dy_buf_init(&seen.keys, 0);
  if (di->of) {
    pp_init(&p);
    pp_int(&p, di->of);
    r = ps_run(s, PS_ARTICLE_DATE, &p, "cannot read the first copy");
    if (r == NULL) {
      rc = DY_EDB;
      goto out;
    }
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
      snprintf(first_date, sizeof first_date, "%s", PQgetvalue(r, 0, 0));
      has_first_date = 1;
    }
    PQclear(r);
  }
  for (i = 0; i < n && rc == DY_OK; i++) {
    const dy_event *ev = dy_doc_event(d, i);
    const char *date = has_first_date ? first_date : ev->date;
    const dy_sentence *se =
        ev->sentence >= 0 && (size_t)ev->sentence < a->nsents
            ? &a->sents[ev->sentence]
            : NULL;
    seen_ev *known;
    long long eid;
    int repeat, root = se && se->para == 0;
    dy_buf_reset(&s->json);
    rc = dy_event_json(d, ev, &s->json);
    if (rc < 0) {
      rc = dy_err_set(&s->err, rc, "cannot format event %zu: %s", i,
                      dy_strerror(rc));
      break;
    }
    known = seen_get(&seen, ev, date && *date ? date : NULL);
    if (known == NULL) {
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
      break;
    }
    repeat = known->id != 0;
    if (repeat) {
      eid = known->id;
    } else {
      pp_init(&p);
      pp_date(&p, date);
      pp_str(&p, ev->source.code);
      pp_str(&p, ev->source.country);
      pp_str(&p, ev->source.name);
      pp_str(&p, ev->source.role);
      pp_str(&p, ev->target.code);
      pp_str(&p, ev->target.country);
      pp_str(&p, ev->target.name);
      pp_str(&p, ev->target.role);
      pp_str(&p, ev->code);
      pp_str(&p, ev->root);
      pp_int(&p, ev->quad);
      pp_double(&p, ev->goldstein);
      pp_str(&p, "");
      pp_int(&p, id);
      pp_int(&p, ev->sentence);
      pp_strn(&p, s->json.p ? s->json.p : "", s->json.n);
      r = ps_run(s, PS_UPSERT_EVENT, &p, "cannot store an event");
      pp_fini(&p);
      if (r == NULL) {
        rc = DY_EDB;
        break;
      }
      eid = val_ll(r, 0, 0);
      PQclear(r);
      known->id = eid;
      seen.used++;
    }
    pp_init(&p);
    pp_int(&p, eid);
    pp_int(&p, id);
    pp_int(&p, ev->sentence);
    if (se)
      pp_int(&p, se->para);
    else
      pp_str(&p, NULL);
    pp_int(&p, (long long)ev->source.off);
    pp_int(&p, (long long)ev->source.len);
    pp_int(&p, (long long)ev->target.off);
    pp_int(&p, (long long)ev->target.len);
    pp_int(&p, (long long)ev->verb.off);
    pp_int(&p, (long long)ev->verb.len);
    pp_int(&p, di->of ? 50 : 100);
    pp_strn(&p, s->json.p ? s->json.p : "", s->json.n);
    r = ps_run(s, PS_INS_MENTION, &p, "cannot store a mention");
    pp_fini(&p);
    if (r == NULL) {
      rc = DY_EDB;
      break;
    }
    PQclear(r);
    if (repeat) {
      /* a further mention in an article that already reports the event
         changes only the mention count (as ST_BUMP_EVENT in store.c),
         counted once per event below */
      known->bumps++;
      known->root |= root;
    } else {
      /* the article's first mention of the event (the article is new, so
         none was stored before): recount articles and sources */
      pp_init(&p);
      pp_int(&p, eid);
      pp_int(&p, root);
      r = ps_run(s, PS_UPD_EVENT, &p, "cannot count a mention");
      if (r == NULL) {
        rc = DY_EDB;
        break;
      }
      PQclear(r);
    }
    if (!di->of)
      rc = pg_put_alignment(s, ev, date, se ? a->text + se->off : "",
                            se ? se->len : 0, eid, id);
  }
  for (i = 0; rc == DY_OK && i < seen.cap; i++) {
    if (seen.e[i].id == 0 || seen.e[i].bumps == 0)
      continue;
    pp_init(&p);
    pp_int(&p, seen.e[i].id);
    pp_int(&p, seen.e[i].root);
    pp_int(&p, seen.e[i].bumps);
    r = ps_run(s, PS_BUMP_EVENT, &p, "cannot count a mention");
    if (r == NULL)
      rc = DY_EDB;
    PQclear(r);
  }
out:
  dy_free(seen.e);
  dy_buf_fini(&seen.keys);
  return rc;
}

/* Appends p[0..n) as a quoted element of an array literal; NUL bytes
 * (which PostgreSQL text cannot hold) become spaces. */
static void array_text(dy_buf *b, const char *p, size_t n)
{
  size_t i;
  dy_buf_putc(b, '"');
  for (i = 0; i < n; i++) {
    if (p[i] == '"' || p[i] == '\\')
      dy_buf_putc(b, '\\');
    dy_buf_putc(b, p[i] ? p[i] : ' ');
  }
  dy_buf_putc(b, '"');
}

static int pg_put_all(dy_store *s, const dy_doc *d, int *inserted)
{
  const dy_article *a = dy_doc_article(d);
  dy__dup_info di;
  char src[256];
  pgparams p;
  PGresult *r;
  long long id;
  size_t i;
  int rc, found = 0, k;
  rc = dy__pg_has(s, a->hash, a->url, 1, &found);
  if (rc < 0 || found)
    return rc;
  rc = pg_find_dup(s, a->text ? a->text : "", a->text ? a->n : 0,
                   a->date && *a->date ? a->date : NULL, &di);
  if (rc < 0)
    return rc;
  dy__source_name(a->url, a->agency, src, sizeof src);
  pp_init(&p);
  pp_str(&p, a->hash);
  pp_str(&p, a->name);
  pp_str(&p, a->headline);
  pp_date(&p, a->date);
  pp_str(&p, a->places);
  pp_str(&p, a->agency);
  pp_str(&p, a->dateline);
  pp_strn(&p, a->text ? a->text : "", a->text ? a->n : 0);
  pp_int(&p, (long long)a->nsents);
  pp_int(&p, (long long)dy_doc_nevents(d));
  pp_int(&p, (long long)a->nbad_utf8);
  pp_str(&p, a->url ? a->url : "");
  pp_str(&p, src);
  pp_str(&p, di.body_hash);
  pp_int(&p, (long long)di.simhash);
  pp_int(&p, (long long)di.nshingles);
  if (di.of) {
    pp_int(&p, di.of);
    pp_str(&p, di.kind);
    pp_int(&p, di.dist);
  } else {
    pp_str(&p, NULL);
    pp_str(&p, NULL);
    pp_str(&p, NULL);
  }
  for (k = 0; k < 8; k++)
    pp_int(&p, band(di.simhash, k));
  r = ps_run(s, PS_INS_ARTICLE, &p, "cannot store the article");
  pp_fini(&p);
  if (r == NULL)
    return DY_EDB;
  if (PQntuples(r) == 0) { /* stored meanwhile under the same key */
    PQclear(r);
    return DY_OK;
  }
  id = val_ll(r, 0, 0);
  PQclear(r);
  /* the sentences in one statement: arrays of offsets, lengths, texts */
  if (a->nsents > 0) {
    dy_buf *b = &s->scratch;
    size_t o1, o2, o3;
    dy_buf_reset(b);
    for (k = 0; k < 3; k++) {
      dy_buf_putc(b, '{');
      for (i = 0; i < a->nsents; i++) {
        const dy_sentence *se = &a->sents[i];
        if (se->off > a->n || se->len > a->n - se->off)
          return dy_err_set(&s->err, DY_EINVAL,
                            "sentence %zu lies outside the article text", i);
        if (i)
          dy_buf_putc(b, ',');
        if (k == 0)
          dy_buf_printf(b, "%zu", (size_t)se->off);
        else if (k == 1)
          dy_buf_printf(b, "%zu", (size_t)se->len);
        else
          array_text(b, a->text + se->off, se->len);
      }
      dy_buf_putc(b, '}');
      dy_buf_putc(b, '\0');
    }
    if (b->failed)
      return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    o1 = strlen(b->p) + 1;
    o2 = o1 + strlen(b->p + o1) + 1;
    o3 = o2 + strlen(b->p + o2) + 1;
    (void)o3;
    pp_init(&p);
    pp_int(&p, id);
    pp_str(&p, b->p);
    pp_str(&p, b->p + o1);
    pp_str(&p, b->p + o2);
    r = ps_run(s, PS_INS_SENTENCE, &p, "cannot store the sentences");
    if (r == NULL)
      return DY_EDB;
    PQclear(r);
  }
  rc = pg_put_events(s, d, id, &di);
  if (rc == DY_OK)
    *inserted = 1;
  return rc;
}

static void pg_rollback_keep(dy_store *s, const char *sql)
{
  dy_err keep = s->err;
  PQclear(PQexec(s->pg->conn, sql));
  s->err = keep;
}

int dy__pg_put(dy_store *s, const dy_doc *d, int *inserted)
{
  int rc;
  PGresult *r;
  if (s->batch) {
    if (PQtransactionStatus(s->pg->conn) != PQTRANS_INTRANS) {
      s->batch = 0;
      return dy_err_set(
          &s->err, DY_EDB, "the batch transaction was lost (connection: %s)",
          PQstatus(s->pg->conn) == CONNECTION_OK ? "ok" : "broken");
    }
    if (exec_simple(s, "SAVEPOINT put", "cannot start a savepoint") < 0)
      return DY_EDB;
    rc = pg_put_all(s, d, inserted);
    if (rc == DY_OK)
      rc = exec_simple(s, "RELEASE put", "cannot release the savepoint");
    if (rc < 0) {
      *inserted = 0;
      pg_rollback_keep(s, "ROLLBACK TO put");
      pg_rollback_keep(s, "RELEASE put");
    }
    return rc;
  }
  if (exec_simple(s, "BEGIN", "cannot start a transaction") < 0)
    return DY_EDB;
  r = ps_run(s, PS_LOCK, NULL, "cannot take the write lock");
  rc = r ? DY_OK : DY_EDB;
  PQclear(r);
  if (rc == DY_OK)
    rc = pg_put_all(s, d, inserted);
  if (rc == DY_OK)
    rc = exec_simple(s, "COMMIT", "cannot commit");
  if (rc < 0) {
    *inserted = 0;
    pg_rollback_keep(s, "ROLLBACK");
  }
  return rc;
}

/* BEGIN, then the write lock (rolled back when it cannot be taken). */
static int begin_locked(dy_store *s)
{
  PGresult *r;
  if (exec_simple(s, "BEGIN", "cannot start a transaction") < 0)
    return DY_EDB;
  r = ps_run(s, PS_LOCK, NULL, "cannot take the write lock");
  if (r == NULL) {
    pg_rollback_keep(s, "ROLLBACK");
    return DY_EDB;
  }
  PQclear(r);
  return DY_OK;
}

int dy__pg_begin(dy_store *s)
{
  if (begin_locked(s) < 0)
    return DY_EDB;
  s->batch = 1;
  return DY_OK;
}

int dy__pg_commit(dy_store *s)
{
  int rc;
  s->batch = 0;
  if (PQtransactionStatus(s->pg->conn) != PQTRANS_INTRANS)
    return dy_err_set(&s->err, DY_EDB,
                      "the batch transaction was rolled back by the database");
  rc = exec_simple(s, "COMMIT", "cannot commit");
  if (rc < 0)
    pg_rollback_keep(s, "ROLLBACK");
  return rc;
}

void dy__pg_rollback(dy_store *s)
{
  s->batch = 0;
  pg_rollback_keep(s, "ROLLBACK");
}

/* ==== queries ============================================================ */

/* An SQL text with $n parameters numbered as they are added. */
typedef struct qb {
  dy_buf *sql;
  pgparams p;
} qb;

/* Appends frag, replacing each '?' by the number of a parameter with value
 * v (the same value for every '?' in frag). */
static void qb_add(qb *b, const char *frag, const char *v)
{
  const char *c;
  int k = b->p.n + 1;
  for (c = frag; *c; c++) {
    if (*c == '?')
      dy_buf_printf(b->sql, "$%d", k);
    else
      dy_buf_putc(b->sql, *c);
  }
  pp_str(&b->p, v);
}

static void qb_addi(qb *b, const char *frag, long long v)
{
  char num[32];
  snprintf(num, sizeof num, "%lld", v);
  qb_add(b, frag, num);
  /* pp_str stored a pointer to num: copy it into the params' own slot */
  snprintf(b->p.num[b->p.n - 1], sizeof b->p.num[0], "%s", num);
  b->p.v[b->p.n - 1] = b->p.num[b->p.n - 1];
}

#define PG_EVENT_COLS                                                          \
  "e.id, a.hash, a.name, e.date, e.source, e.source_country, e.target, "       \
  "e.target_country, e.code, e.root, e.quad, e.goldstein, e.sentence_idx, "    \
  "s.text, e.json, e.source_name, e.target_name, e.source_role, "              \
  "e.target_role, e.place, e.num_mentions, e.num_sources, e.num_articles, "    \
  "e.is_root, a.url, e.added_at"

static int pg_events_sql_ex(dy_store *s, const dy_query *q, qb *b,
                            const char *cols, const char *from_extra,
                            const char *tail, int order_limit);

static int pg_events_sql(dy_store *s, const dy_query *q, qb *b)
{
  return pg_events_sql_ex(s, q, b, PG_EVENT_COLS, NULL, NULL, 1);
}

/* The event query with other columns, more joins (from_extra) and its own
 * tail (ORDER BY) in place of the default order, limit and offset
 * (order_limit 0), as dy__store_prepare_events. */
static int pg_events_sql_ex(dy_store *s, const dy_query *q, qb *b,
                            const char *cols, const char *from_extra,
                            const char *tail, int order_limit)
{
  static const dy_query all;
  int rc;
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
  dy_buf_reset(b->sql);
  pp_init(&b->p);
  dy_buf_printf(b->sql,
                "SELECT %s FROM events e JOIN articles a ON a.id = "
                "e.article_id LEFT JOIN sentences s ON s.article_id = "
                "e.article_id AND s.idx = e.sentence_idx%s WHERE true",
                cols, from_extra ? from_extra : "");
  if (q->source)
    qb_add(b, " AND starts_with(e.source, ?)", q->source);
  if (q->target)
    qb_add(b, " AND starts_with(e.target, ?)", q->target);
  if (q->code)
    qb_add(b, " AND starts_with(e.code, ?)", q->code);
  if (q->from)
    qb_add(b, " AND e.date >= ? COLLATE \"C\"", q->from);
  if (q->to)
    qb_add(b, " AND e.date <= ? COLLATE \"C\"", q->to);
  if (q->actor)
    qb_add(b, " AND (starts_with(e.source, ?) OR starts_with(e.target, ?))",
           q->actor);
  if (q->source_country)
    qb_add(b, " AND e.source_country = ?", q->source_country);
  if (q->target_country)
    qb_add(b, " AND e.target_country = ?", q->target_country);
  if (q->country)
    qb_add(b, " AND (e.source_country = ? OR e.target_country = ?)",
           q->country);
  if (q->quad)
    qb_addi(b, " AND e.quad = ?::int", q->quad);
  if (q->min_mentions > 0)
    qb_addi(b, " AND e.num_mentions >= ?::int", q->min_mentions);
  if (q->article)
    qb_add(b,
           " AND e.id IN (SELECT m.event_id FROM mentions m JOIN articles a2 "
           "ON a2.id = m.article_id WHERE starts_with(a2.hash, ?))",
           q->article);
  if (q->text)
    qb_add(b,
           " AND e.id IN (SELECT m.event_id FROM mentions m JOIN articles a3 "
           "ON a3.id = m.article_id WHERE a3.tsv @@ "
           "websearch_to_tsquery('simple', ?))",
           q->text);
  if (q->roots_only)
    dy_buf_puts(b->sql, " AND e.is_root = 1");
  if (tail)
    dy_buf_puts(b->sql, tail);
  if (order_limit) {
    dy_buf_puts(b->sql, " ORDER BY e.date COLLATE \"C\" NULLS FIRST, a.hash "
                        "COLLATE \"C\", e.sentence_idx, e.id");
    if (q->limit > 0)
      qb_addi(b, " LIMIT ?::bigint", q->limit);
    if (q->offset > 0)
      qb_addi(b, " OFFSET ?::bigint", q->offset);
  }
  if (b->sql->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  return DY_OK;
}

static const char *gv(const PGresult *r, int row, int col)
{
  return PQgetvalue(r, row, col);
}

static void pg_event_row_fill(const PGresult *r, int i, dy_event_row *row)
{
  row->id = (long)val_ll(r, i, 0);
  row->article = gv(r, i, 1);
  row->name = gv(r, i, 2);
  row->date = gv(r, i, 3);
  row->source = gv(r, i, 4);
  row->source_country = gv(r, i, 5);
  row->target = gv(r, i, 6);
  row->target_country = gv(r, i, 7);
  row->code = gv(r, i, 8);
  row->root = gv(r, i, 9);
  row->quad = (int)val_ll(r, i, 10);
  row->goldstein = strtod(gv(r, i, 11), NULL);
  row->sentence_index = (long)val_ll(r, i, 12);
  row->sentence = gv(r, i, 13);
  row->json = gv(r, i, 14);
  row->source_name = gv(r, i, 15);
  row->target_name = gv(r, i, 16);
  row->source_role = gv(r, i, 17);
  row->target_role = gv(r, i, 18);
  row->place = gv(r, i, 19);
  row->num_mentions = (long)val_ll(r, i, 20);
  row->num_sources = (long)val_ll(r, i, 21);
  row->num_articles = (long)val_ll(r, i, 22);
  row->is_root = (int)val_ll(r, i, 23);
  row->url = gv(r, i, 24);
  row->added = gv(r, i, 25);
}

/* Streams the rows of sql one at a time (single-row mode) to each(). */
typedef int (*pg_row_cb)(const PGresult *r, void *ud);

static int pg_stream(dy_store *s, const char *sql, pgparams *p,
                     const char *what, pg_row_cb each, void *ud)
{
  PGresult *r;
  int rc = DY_OK, stop = 0;
  if (!PQsendQueryParams(s->pg->conn, sql, p ? p->n : 0, NULL, p ? p->v : NULL,
                         NULL, NULL, 0))
    return pg_fail(s, what, NULL);
  PQsetSingleRowMode(s->pg->conn);
  while ((r = PQgetResult(s->pg->conn)) != NULL) {
    ExecStatusType t = PQresultStatus(r);
    if (t == PGRES_SINGLE_TUPLE) {
      if (!stop && each(r, ud) != 0)
        stop = 1; /* drain the rest */
    } else if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && rc == DY_OK) {
      const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      /* 42601: syntax error (a text query), 22xxx: bad data */
      rc = pg_fail(s, what, r);
      if (state && strncmp(state, "22", 2) == 0)
        s->err.code = rc = DY_EINVAL;
    }
    PQclear(r);
  }
  return rc;
}

typedef struct qctx {
  dy_row_fn fn;
  void *ud;
} qctx;

static int query_row(const PGresult *r, void *ud)
{
  qctx *c = ud;
  dy_event_row row;
  pg_event_row_fill(r, 0, &row);
  return c->fn(&row, c->ud);
}

int dy__pg_query(dy_store *s, const dy_query *q, dy_row_fn fn, void *ud)
{
  qb b;
  qctx c;
  int rc;
  b.sql = &s->scratch;
  rc = pg_events_sql(s, q, &b);
  if (rc < 0)
    return rc;
  c.fn = fn;
  c.ud = ud;
  return pg_stream(s, b.sql->p, &b.p, "query", query_row, &c);
}

int dy__pg_counts(dy_store *s, dy_store_counts *c)
{
  PGresult *r = sql_run(
      s,
      "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM "
      "sentences), (SELECT count(*) FROM events), (SELECT count(*) FROM "
      "mentions), (SELECT count(*) FROM articles WHERE dup_of IS NOT NULL)",
      NULL, "cannot count rows");
  if (r == NULL)
    return DY_EDB;
  c->articles = (long)val_ll(r, 0, 0);
  c->sentences = (long)val_ll(r, 0, 1);
  c->events = (long)val_ll(r, 0, 2);
  c->mentions = (long)val_ll(r, 0, 3);
  c->duplicates = (long)val_ll(r, 0, 4);
  PQclear(r);
  return DY_OK;
}

/* The summary's three sections, as in store.c (same format). */
static const char *or_dash(const char *v)
{
  return v && *v ? v : "-";
}

int dy__pg_summary_section(dy_store *s, dy_buf *out, int kind)
{
  static const char *const sql[] = {
      "SELECT root, count(*), avg(goldstein) FROM events GROUP BY root "
      "ORDER BY root COLLATE \"C\" NULLS FIRST",
      "SELECT source_country, target_country, count(*) AS n FROM events "
      "GROUP BY source_country, target_country ORDER BY n DESC, "
      "source_country COLLATE \"C\" NULLS FIRST, target_country COLLATE "
      "\"C\" NULLS FIRST LIMIT 10",
      "SELECT e.date, e.source, e.target, e.code, s.text FROM events e LEFT "
      "JOIN sentences s ON s.article_id = e.article_id AND s.idx = "
      "e.sentence_idx ORDER BY e.date IS NULL, e.date COLLATE \"C\" DESC, "
      "e.id DESC LIMIT 10"};
  PGresult *r = sql_run(s, sql[kind], NULL, "cannot read the summary");
  int i;
  if (r == NULL)
    return DY_EDB;
  for (i = 0; i < PQntuples(r); i++) {
    if (kind == 0) {
      dy_buf_printf(out, "  %-4s  %8lld  %10.2f\n", or_dash(gv(r, i, 0)),
                    val_ll(r, i, 1), strtod(gv(r, i, 2), NULL) + 0.0);
    } else if (kind == 1) {
      dy_buf_printf(out, "  %-3s -> %-3s  %8lld\n", or_dash(gv(r, i, 0)),
                    or_dash(gv(r, i, 1)), val_ll(r, i, 2));
    } else {
      const char *text = gv(r, i, 4);
      size_t n = strlen(text), cut = n;
      if (cut > 80) {
        cut = 80;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
          cut--;
      }
      dy_buf_printf(out, "  %-10s  %-12s  %-12s  %-4s  ", or_dash(gv(r, i, 0)),
                    or_dash(gv(r, i, 1)), or_dash(gv(r, i, 2)),
                    or_dash(gv(r, i, 3)));
      dy_buf_tsv_field(out, text, cut);
      dy_buf_puts(out, cut < n ? "...\n" : "\n");
    }
  }
  if (PQntuples(r) == 0)
    dy_buf_puts(out, "  (none)\n");
  PQclear(r);
  return DY_OK;
}

/* ==== views ============================================================== */

int dy__pg_series(dy_store *s, const dy_series_opts *o, dy_series_fn fn,
                  void *ud)
{
  static const char *const periods[] = {
      "e.date",
      "to_char(e.date::date - (extract(isodow FROM e.date::date)::int - 1), "
      "'YYYY-MM-DD')",
      "substr(e.date, 1, 7)", "substr(e.date, 1, 4)"};
  qb b;
  PGresult *r;
  int i;
  b.sql = &s->scratch;
  dy_buf_reset(b.sql);
  pp_init(&b.p);
  dy_buf_printf(
      b.sql,
      "SELECT (%s) COLLATE \"C\" AS p, count(*), sum(e.num_mentions), "
      "coalesce(sum(e.goldstein), 0), avg(e.goldstein), "
      "sum((e.quad IN (1, 2))::int), sum((e.quad IN (3, 4))::int) "
      "FROM events e WHERE e.date IS NOT NULL",
      periods[o->by]);
  if (o->b == NULL) {
    qb_add(&b, " AND (starts_with(e.source, ?) OR starts_with(e.target, ?))",
           o->a);
  } else {
    qb_add(&b, " AND ((starts_with(e.source, ?)", o->a);
    qb_add(&b, " AND starts_with(e.target, ?))", o->b);
    if (o->both) {
      qb_add(&b, " OR (starts_with(e.source, ?)", o->b);
      qb_add(&b, " AND starts_with(e.target, ?))", o->a);
    }
    dy_buf_puts(b.sql, ")");
  }
  if (o->from)
    qb_add(&b, " AND e.date >= ? COLLATE \"C\"", o->from);
  if (o->to)
    qb_add(&b, " AND e.date <= ? COLLATE \"C\"", o->to);
  if (o->code)
    qb_add(&b, " AND starts_with(e.code, ?)", o->code);
  dy_buf_puts(b.sql, " GROUP BY p ORDER BY p");
  if (b.sql->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  r = sql_run(s, b.sql->p, &b.p, "series");
  if (r == NULL)
    return DY_EDB;
  for (i = 0; i < PQntuples(r); i++) {
    dy_series_row row;
    row.period = gv(r, i, 0);
    row.events = (long)val_ll(r, i, 1);
    row.mentions = (long)val_ll(r, i, 2);
    row.goldstein_sum = strtod(gv(r, i, 3), NULL);
    row.goldstein_mean = strtod(gv(r, i, 4), NULL);
    row.cooperation = (long)val_ll(r, i, 5);
    row.conflict = (long)val_ll(r, i, 6);
    if (fn(&row, ud) != 0)
      break;
  }
  PQclear(r);
  return DY_OK;
}

int dy__pg_search(dy_store *s, const char *query, long limit, long offset,
                  dy_article_fn fn, void *ud)
{
  qb b;
  PGresult *r;
  int i;
  b.sql = &s->scratch;
  dy_buf_reset(b.sql);
  pp_init(&b.p);
  dy_buf_puts(b.sql, "SELECT id, hash, name, url, headline, date, dup_of, "
                     "dup_kind, ts_rank_cd(tsv, q, 1) AS score, "
                     "ts_headline('simple', coalesce(body, ''), q, "
                     "'MaxWords=12, MinWords=5, StartSel=[, StopSel=]') "
                     "FROM articles, ");
  qb_add(&b,
         "websearch_to_tsquery('simple', ?) q WHERE tsv @@ q "
         "ORDER BY score DESC, id",
         query ? query : "");
  qb_addi(&b, " LIMIT ?::bigint", limit > 0 ? limit : 20);
  qb_addi(&b, " OFFSET ?::bigint", offset > 0 ? offset : 0);
  r = sql_run(s, b.sql->p, &b.p, "search");
  if (r == NULL)
    return DY_EDB;
  for (i = 0; i < PQntuples(r); i++) {
    dy_article_row a;
    memset(&a, 0, sizeof a);
    a.id = (long)val_ll(r, i, 0);
    a.hash = gv(r, i, 1);
    a.name = gv(r, i, 2);
    a.url = gv(r, i, 3);
    a.headline = gv(r, i, 4);
    a.date = gv(r, i, 5);
    a.dup_of = (long)val_ll(r, i, 6);
    a.dup_kind = gv(r, i, 7);
    a.score = strtod(gv(r, i, 8), NULL);
    a.snippet = gv(r, i, 9);
    if (fn(&a, ud) != 0)
      break;
  }
  PQclear(r);
  return DY_OK;
}

int dy__pg_article_id(dy_store *s, const char *ref, long *id)
{
  pgparams p;
  PGresult *r;
  int all_digits = *ref != '\0', n;
  const char *c;
  for (c = ref; *c; c++)
    if (!dy_isdigit(*c))
      all_digits = 0;
  pp_init(&p);
  pp_str(&p, ref);
  if (all_digits)
    r = sql_run(s, "SELECT id FROM articles WHERE id = $1::bigint", &p,
                "cannot look up the article");
  else if (strlen(ref) >= 6)
    r = sql_run(s,
                "SELECT id FROM articles WHERE starts_with(hash, $1) "
                "LIMIT 2",
                &p, "cannot look up the article");
  else
    return dy_err_set(&s->err, DY_ENOENT, "no article \"%.80s\"", ref);
  if (r == NULL)
    return DY_EDB;
  n = PQntuples(r);
  if (n == 1)
    *id = (long)val_ll(r, 0, 0);
  PQclear(r);
  if (n != 1)
    return dy_err_set(&s->err, DY_ENOENT, "%s article \"%.80s\"",
                      n ? "more than one" : "no", ref);
  return DY_OK;
}

/* ==== dump (bulk export in id order) ===================================== */

int dy__pg_dump(dy_store *s, const char *sql, long long after, long limit,
                dy_dump_fn fn, void *ud)
{
  pgparams p;
  PGresult *r;
  int i, j, rc = DY_OK;
  pp_init(&p);
  pp_int(&p, after);
  pp_int(&p, limit);
  r = sql_run(s, sql, &p, "dump");
  if (r == NULL)
    return DY_EDB;
  for (i = 0; i < PQntuples(r) && rc == DY_OK; i++) {
    const char *v[32];
    int nf = PQnfields(r) < 32 ? PQnfields(r) : 32;
    for (j = 0; j < nf; j++)
      v[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
    rc = fn(v, nf, ud);
  }
  PQclear(r);
  return rc;
}

/* ==== portable SQL ======================================================= */

int dy__pg_sql(dy_store *s, const char *sql, const char *const *params,
               int nparams, dy_sql_row_fn fn, void *ud)
{
  dy_buf q;
  PGresult *r;
  const char *c;
  char quote = 0;
  int i, j, rc = DY_OK;
  dy_buf_init(&q, 0);
  /* ?K -> $K outside string literals and quoted names */
  for (c = sql; *c; c++) {
    if (quote) {
      if (*c == quote)
        quote = 0;
    } else if (*c == '\'' || *c == '"') {
      quote = *c;
    } else if (*c == '?' && dy_isdigit(c[1])) {
      dy_buf_putc(&q, '$');
      continue;
    }
    dy_buf_putc(&q, *c);
  }
  if (q.failed) {
    dy_buf_fini(&q);
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  }
  r = PQexecParams(s->pg->conn, q.p, nparams, NULL, params, NULL, NULL, 0);
  dy_buf_fini(&q);
  if (!res_ok(r)) {
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    rc = pg_fail(s, "query", r);
    if (state && strncmp(state, "22", 2) == 0)
      s->err.code = rc = DY_EINVAL;
    PQclear(r);
    return rc;
  }
  for (i = 0; i < PQntuples(r) && fn; i++) {
    const char *v[64];
    int nf = PQnfields(r) < 64 ? PQnfields(r) : 64;
    for (j = 0; j < nf; j++)
      v[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
    if ((rc = fn(v, nf, ud)) != 0)
      break;
  }
  PQclear(r);
  return rc;
}

int dy__pg_xact_begin(dy_store *s)
{
  if (s->batch)
    return exec_simple(s, "SAVEPOINT sq", "cannot start a savepoint");
  return begin_locked(s);
}

int dy__pg_xact_end(dy_store *s, int ok)
{
  if (s->batch) {
    if (ok)
      return exec_simple(s, "RELEASE sq", "cannot release the savepoint");
    pg_rollback_keep(s, "ROLLBACK TO sq");
    pg_rollback_keep(s, "RELEASE sq");
    return DY_OK;
  }
  if (ok && exec_simple(s, "COMMIT", "cannot commit") == DY_OK)
    return DY_OK;
  pg_rollback_keep(s, "ROLLBACK");
  return ok ? DY_EDB : DY_OK;
}

/* ==== event rows with other columns ===================================== */

typedef struct rows_ctx {
  dy_sql_row_fn fn;
  void *ud;
} rows_ctx;

static int rows_each(const PGresult *r, void *ud)
{
  rows_ctx *c = ud;
  const char *v[64];
  int j, nf = PQnfields(r) < 64 ? PQnfields(r) : 64;
  for (j = 0; j < nf; j++)
    v[j] = PQgetisnull(r, 0, j) ? NULL : PQgetvalue(r, 0, j);
  return c->fn(v, nf, c->ud);
}

int dy__pg_event_rows(dy_store *s, const dy_query *q, const char *cols,
                      const char *from_extra, const char *tail,
                      dy_sql_row_fn fn, void *ud)
{
  qb b;
  rows_ctx c;
  int rc;
  b.sql = &s->scratch;
  rc = pg_events_sql_ex(s, q, &b, cols, from_extra, tail, 0);
  if (rc < 0)
    return rc;
  c.fn = fn;
  c.ud = ud;
  return pg_stream(s, b.sql->p, &b.p, "query", rows_each, &c);
}
