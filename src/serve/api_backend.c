/* SPDX-License-Identifier: MIT */
/* Interim implementation of api_backend.h: plain parameterised SQL over the
 * store's articles and events tables, and a table of its own for saved
 * queries. Each answer says which method produced it, so the web pages can
 * tell an interim answer from the store's. */
#include "api_backend.h"
#include "dyad/store.h"

#include <stdio.h>
#include <string.h>

static int db_fail(sqlite3 *db, dy_err *err)
{
  return dy_err_set(err, DY_EDB, "%s", sqlite3_errmsg(db));
}

static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, dy_err *err)
{
  if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
    return db_fail(db, err);
  return DY_OK;
}

static void json_col(dy_buf *b, sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  int n = sqlite3_column_bytes(st, i);
  dy_buf_json_str(b, t ? (const char *)t : "", t ? (size_t)n : 0);
}

int api_backend_init(sqlite3 *wdb, dy_err *err)
{
  if (sqlite3_exec(wdb,
                   "CREATE TABLE IF NOT EXISTS web_saved_queries("
                   "id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "params TEXT NOT NULL, "
                   "created_at TEXT DEFAULT CURRENT_TIMESTAMP)",
                   NULL, NULL, NULL) != SQLITE_OK)
    return db_fail(wdb, err);
  return DY_OK;
}

/* The store behind db (the same file, a connection of its own). */
static dy_store *open_store(sqlite3 *db, dy_err *err)
{
  const char *path = sqlite3_db_filename(db, "main");
  dy_store *st = NULL;
  if (path == NULL || *path == '\0') {
    dy_err_set(err, DY_EDB, "the database has no file name");
    return NULL;
  }
  if (dy_store_open(path, &st, err) < 0)
    return NULL;
  return st;
}

typedef struct art_json {
  dy_buf *out;
  int first;
  long n; /* rows written */
} art_json;

static int article_json(const dy_article_row *r, void *ud)
{
  art_json *a = ud;
  dy_buf_printf(a->out, "%s{\"id\":%ld,\"headline\":", a->first ? "" : ",",
                r->id);
  dy_buf_json_str(a->out, r->headline, strlen(r->headline));
  dy_buf_puts(a->out, ",\"date\":");
  dy_buf_json_str(a->out, r->date, strlen(r->date));
  dy_buf_puts(a->out, ",\"name\":");
  dy_buf_json_str(a->out, r->url && *r->url ? r->url : r->name,
                  strlen(r->url && *r->url ? r->url : r->name));
  dy_buf_printf(a->out, ",\"score\":%.3f,\"shared_terms\":%ld,"
                        "\"shared_actors\":%ld,\"snippet\":",
                r->score, r->shared_terms, r->shared_actors);
  dy_buf_json_str(a->out, r->snippet ? r->snippet : "",
                  r->snippet ? strlen(r->snippet) : 0);
  dy_buf_putc(a->out, '}');
  a->first = 0;
  a->n++;
  return 0;
}

int api_similar(sqlite3 *db, long article_id, int limit, dy_buf *out,
                dy_err *err)
{
  dy_store *st = open_store(db, err);
  dy_similar_opts o;
  art_json a = {out, 1, 0};
  int rc;
  if (st == NULL)
    return DY_EDB;
  memset(&o, 0, sizeof o);
  o.k = limit;
  o.actor_weight = -1;
  dy_buf_puts(out, "{\"available\":true,\"method\":\"more like this: the "
                   "article's top 25 tf-idf terms (minimum should match 10%) "
                   "and shared actor countries\",\"articles\":[");
  rc = dy_store_similar(st, article_id, &o, article_json, &a, NULL);
  if (rc < 0 && rc != DY_ENOENT)
    dy_err_set(err, rc, "%s", dy_store_errmsg(st));
  dy_store_close(st);
  if (rc < 0 && rc != DY_ENOENT)
    return rc;
  dy_buf_puts(out, "]}");
  return DY_OK;
}


/* The words of q as an FTS5 query: each word quoted (so no operator in
 * the user's text reaches FTS5), all required. */
static void fts_query(dy_buf *b, const char *q)
{
  const char *p = q;
  int first = 1;
  while (*p) {
    size_t n;
    while (*p == ' ' || *p == '\t')
      p++;
    for (n = 0; p[n] && p[n] != ' ' && p[n] != '\t'; n++)
      ;
    if (n) {
      size_t k;
      if (!first)
        dy_buf_putc(b, ' ');
      dy_buf_putc(b, '"');
      for (k = 0; k < n; k++) {
        if (p[k] == '"')
          dy_buf_putc(b, '"');
        dy_buf_putc(b, p[k]);
      }
      dy_buf_putc(b, '"');
      first = 0;
    }
    p += n;
  }
}

int api_search(sqlite3 *db, const char *q, int limit, int offset, dy_buf *out,
               dy_err *err)
{
  dy_store *st = open_store(db, err);
  dy_buf fq;
  art_json a = {out, 1, 0};
  int rc;
  if (st == NULL)
    return DY_EDB;
  dy_buf_init(&fq, 0);
  fts_query(&fq, q);
  dy_buf_putc(&fq, '\0');
  dy_buf_puts(out, "{\"method\":\"full-text search (SQLite FTS5, bm25)\","
                   "\"articles\":[");
  rc = fq.failed ? DY_ENOMEM
                 : dy_store_search(st, fq.p, limit, offset, article_json, &a);
  if (rc == DY_EINVAL)
    rc = DY_OK; /* nothing searchable in q: no match */
  if (rc < 0)
    dy_err_set(err, rc, "%s", dy_store_errmsg(st));
  dy_buf_fini(&fq);
  dy_store_close(st);
  if (rc < 0)
    return rc;
  /* total: the matches on this page (the store does not count them all) */
  dy_buf_printf(out, "],\"total\":%ld}", a.n);
  return DY_OK;
}

typedef struct align_json {
  dy_buf *out;
  int first;
  int changes; /* the changes view */
  char nodes[64][24];
  int nnodes;
} align_json;

static void add_node(align_json *x, const char *c)
{
  int i;
  for (i = 0; i < x->nnodes; i++)
    if (strcmp(x->nodes[i], c) == 0)
      return;
  if (x->nnodes < 64)
    snprintf(x->nodes[x->nnodes++], sizeof x->nodes[0], "%s", c);
}

static int align_row(const dy_alignment_row *r, void *ud)
{
  align_json *x = ud;
  dy_buf *o = x->out;
  dy_buf_puts(o, x->first ? "{\"a\":" : ",{\"a\":");
  dy_buf_json_str(o, r->a, strlen(r->a));
  dy_buf_puts(o, ",\"b\":");
  dy_buf_json_str(o, r->b, strlen(r->b));
  dy_buf_puts(o, ",\"kind\":");
  dy_buf_json_str(o, r->kind, strlen(r->kind));
  dy_buf_puts(o, ",\"name\":");
  dy_buf_json_str(o, r->name, strlen(r->name));
  dy_buf_puts(o, ",\"start\":");
  dy_buf_json_str(o, r->start, strlen(r->start));
  dy_buf_puts(o, ",\"origin\":");
  dy_buf_json_str(o, r->origin, strlen(r->origin));
  dy_buf_puts(o, ",\"evidence\":");
  dy_buf_json_str(o, r->evidence ? r->evidence : "",
                  r->evidence ? strlen(r->evidence) : 0);
  if (x->changes) {
    int gone = strcmp(r->change, "ended") == 0;
    int born = strcmp(r->change, "started") == 0;
    dy_buf_puts(o, ",\"change\":");
    dy_buf_json_str(o, r->change, strlen(r->change));
    dy_buf_puts(o, ",\"date\":");
    dy_buf_json_str(o, r->change_date, strlen(r->change_date));
    dy_buf_puts(o, ",\"was\":");
    dy_buf_json_str(o, born ? "absent" : r->kind,
                    strlen(born ? "absent" : r->kind));
    dy_buf_puts(o, ",\"now\":");
    if (gone)
      dy_buf_json_str(o, "absent", 6);
    else if (born)
      dy_buf_json_str(o, r->kind, strlen(r->kind));
    else
      dy_buf_printf(o, "\"%s (%s)\"", r->kind, r->change);
  } else {
    dy_buf_printf(o, ",\"events\":%ld,\"stance\":\"cooperative\"",
                  r->strength);
    add_node(x, r->a);
    add_node(x, r->b);
  }
  dy_buf_putc(o, '}');
  x->first = 0;
  return 0;
}

int api_alignments(sqlite3 *db, const char *date, const char *since,
                   dy_buf *out, dy_err *err)
{
  dy_store *st = open_store(db, err);
  align_json *x;
  dy_buf edges;
  int rc, i;
  if (st == NULL)
    return DY_EDB;
  x = dy_calloc(1, sizeof *x);
  if (x == NULL) {
    dy_store_close(st);
    return DY_ENOMEM;
  }
  dy_buf_init(&edges, 0);
  x->out = &edges;
  x->first = 1;
  rc = dy_store_alignments(st, date, NULL, align_row, x);
  if (rc >= 0) {
    dy_buf_printf(out,
                  "{\"available\":true,\"method\":\"formal alignments in "
                  "force (the project's baseline of treaties and alliances, "
                  "created and renewed by coded agreement events)\","
                  "\"date\":\"%s\",\"since\":\"%s\",\"nodes\":[",
                  date, since);
    for (i = 0; i < x->nnodes; i++)
      dy_buf_printf(out, "%s\"%s\"", i ? "," : "", x->nodes[i]);
    dy_buf_puts(out, "],\"edges\":[");
    dy_buf_append(out, edges.p, edges.n);
    dy_buf_puts(out, "],\"changes\":[");
    x->out = out;
    x->first = 1;
    x->changes = 1;
    rc = dy_store_alignment_changes(st, since, date, NULL, align_row, x);
    dy_buf_puts(out, "]}");
  }
  if (rc < 0)
    dy_err_set(err, rc, "%s", dy_store_errmsg(st));
  dy_buf_fini(&edges);
  dy_free(x);
  dy_store_close(st);
  return rc < 0 ? rc : DY_OK;
}

int api_saved_create(sqlite3 *wdb, const char *name, const char *params,
                     long *id, dy_err *err)
{
  sqlite3_stmt *st;
  int rc;
  if (prep(wdb, "INSERT INTO web_saved_queries(name, params) VALUES(?1, ?2)",
           &st, err) < 0)
    return DY_EDB;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, params, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(wdb, err);
  *id = (long)sqlite3_last_insert_rowid(wdb);
  return DY_OK;
}

int api_saved_delete(sqlite3 *wdb, long id, dy_err *err)
{
  sqlite3_stmt *st;
  int rc;
  if (prep(wdb, "DELETE FROM web_saved_queries WHERE id = ?1", &st, err) < 0)
    return DY_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(wdb, err);
  return sqlite3_changes(wdb) ? DY_OK
                              : dy_err_set(err, DY_ENOENT, "no saved query");
}

int api_saved_list(sqlite3 *db, dy_buf *out, dy_err *err)
{
  sqlite3_stmt *st;
  int rc, first = 1;
  if (prep(db,
           "SELECT id, name, params, created_at FROM web_saved_queries "
           "ORDER BY id",
           &st, err) < 0)
    return DY_EDB;
  dy_buf_puts(out, "{\"saved\":[");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *params = sqlite3_column_text(st, 2);
    long long id = (long long)sqlite3_column_int64(st, 0);
    dy_buf_printf(out, "%s{\"id\":%lld,\"name\":", first ? "" : ",", id);
    json_col(out, st, 1);
    /* params were written by the server as a JSON object */
    dy_buf_printf(out, ",\"params\":%s,\"created_at\":",
                  params ? (const char *)params : "{}");
    json_col(out, st, 3);
    dy_buf_printf(out, ",\"feed\":\"/feeds/%lld.atom\"}", id);
    first = 0;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(db, err);
  dy_buf_puts(out, "]}");
  return DY_OK;
}

int api_saved_get(sqlite3 *db, long id, char **name, char **params, dy_err *err)
{
  sqlite3_stmt *st;
  int rc;
  *name = *params = NULL;
  if (prep(db, "SELECT name, params FROM web_saved_queries WHERE id = ?1", &st,
           err) < 0)
    return DY_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *n = (const char *)sqlite3_column_text(st, 0);
    const char *p = (const char *)sqlite3_column_text(st, 1);
    *name = dy_strndup(n ? n : "", n ? strlen(n) : 0);
    *params = dy_strndup(p ? p : "{}", p ? strlen(p) : 2);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE)
    return dy_err_set(err, DY_ENOENT, "no saved query %ld", id);
  if (rc != SQLITE_ROW)
    return db_fail(db, err);
  if (*name == NULL || *params == NULL) {
    dy_free(*name);
    dy_free(*params);
    *name = *params = NULL;
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  return DY_OK;
}
