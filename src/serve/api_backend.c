/* SPDX-License-Identifier: MIT */
/* Interim implementation of api_backend.h: plain parameterised SQL over the
 * store's articles and events tables, and a table of its own for saved
 * queries. Each answer says which method produced it, so the web pages can
 * tell an interim answer from the store's. */
#include "api_backend.h"

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

int api_similar(sqlite3 *db, long article_id, int limit, dy_buf *out,
                dy_err *err)
{
  /* interim: articles sharing the most country dyads with this one */
  static const char *sql =
      "SELECT a.id, a.headline, a.date, a.name, count(*) AS shared "
      "FROM events e JOIN articles a ON a.id = e.article_id "
      "WHERE e.article_id != ?1 AND (e.source_country, e.target_country) IN "
      "(SELECT source_country, target_country FROM events WHERE "
      "article_id = ?1 AND source_country != '' AND target_country != '') "
      "GROUP BY a.id ORDER BY shared DESC, a.date DESC, a.id LIMIT ?2";
  sqlite3_stmt *st;
  int rc, first = 1;
  if (prep(db, sql, &st, err) < 0)
    return DY_EDB;
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_int(st, 2, limit);
  dy_buf_puts(out, "{\"available\":true,\"method\":\"articles sharing the "
                   "most country dyads (interim, until the store's "
                   "near-duplicate and similarity index)\",\"articles\":[");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    dy_buf_printf(out, "%s{\"id\":%lld,\"headline\":", first ? "" : ",",
                  (long long)sqlite3_column_int64(st, 0));
    json_col(out, st, 1);
    dy_buf_puts(out, ",\"date\":");
    json_col(out, st, 2);
    dy_buf_puts(out, ",\"name\":");
    json_col(out, st, 3);
    dy_buf_printf(out, ",\"shared_dyads\":%d}", sqlite3_column_int(st, 4));
    first = 0;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(db, err);
  dy_buf_puts(out, "]}");
  return DY_OK;
}

/* LIKE pattern %word% with \ escapes for % _ and \. */
static void like_pat(dy_buf *b, const char *w, size_t n)
{
  size_t i;
  dy_buf_reset(b);
  dy_buf_putc(b, '%');
  for (i = 0; i < n; i++) {
    if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
      dy_buf_putc(b, '\\');
    dy_buf_putc(b, w[i]);
  }
  dy_buf_putc(b, '%');
}

#define SEARCH_MAX_WORDS 8

int api_search(sqlite3 *db, const char *q, int limit, int offset, dy_buf *out,
               dy_err *err)
{
  dy_buf sql, pat[SEARCH_MAX_WORDS];
  sqlite3_stmt *st = NULL;
  const char *p = q;
  int nw = 0, i, rc, first = 1, pass;
  long total = 0;
  dy_buf_init(&sql, 1 << 16);
  for (i = 0; i < SEARCH_MAX_WORDS; i++)
    dy_buf_init(&pat[i], 1 << 12);
  while (*p && nw < SEARCH_MAX_WORDS) {
    const char *s;
    while (*p == ' ' || *p == '\t')
      p++;
    s = p;
    while (*p && *p != ' ' && *p != '\t')
      p++;
    if (p > s)
      like_pat(&pat[nw++], s, (size_t)(p - s));
  }
  for (pass = 0; pass < 2; pass++) {
    dy_buf_reset(&sql);
    dy_buf_puts(&sql, pass == 0 ? "SELECT count(*) FROM articles WHERE 1"
                                : "SELECT id, headline, date, name, "
                                  "substr(body, 1, 240) FROM articles WHERE 1");
    for (i = 0; i < nw; i++)
      dy_buf_printf(&sql,
                    " AND (headline LIKE ?%d ESCAPE '\\' OR body LIKE ?%d "
                    "ESCAPE '\\')",
                    i + 1, i + 1);
    if (pass == 1)
      dy_buf_printf(&sql, " ORDER BY date DESC, id LIMIT ?%d OFFSET ?%d",
                    nw + 1, nw + 2);
    if (sql.failed || prep(db, sql.p, &st, err) < 0) {
      rc = DY_EDB;
      goto done;
    }
    for (i = 0; i < nw; i++)
      sqlite3_bind_text(st, i + 1, pat[i].p, (int)pat[i].n, SQLITE_STATIC);
    if (pass == 0) {
      if (sqlite3_step(st) == SQLITE_ROW)
        total = (long)sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
      dy_buf_printf(out,
                    "{\"method\":\"substring match of every word in headline "
                    "or body (interim, until the store's FTS5 index)\","
                    "\"total\":%ld,\"articles\":[",
                    total);
      continue;
    }
    sqlite3_bind_int(st, nw + 1, limit);
    sqlite3_bind_int(st, nw + 2, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      dy_buf_printf(out, "%s{\"id\":%lld,\"headline\":", first ? "" : ",",
                    (long long)sqlite3_column_int64(st, 0));
      json_col(out, st, 1);
      dy_buf_puts(out, ",\"date\":");
      json_col(out, st, 2);
      dy_buf_puts(out, ",\"name\":");
      json_col(out, st, 3);
      dy_buf_puts(out, ",\"snippet\":");
      {
        /* substr counts characters, so the cut is on a code point */
        json_col(out, st, 4);
      }
      dy_buf_putc(out, '}');
      first = 0;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) {
      rc = db_fail(db, err);
      goto done;
    }
  }
  dy_buf_puts(out, "]}");
  rc = DY_OK;
done:
  dy_buf_fini(&sql);
  for (i = 0; i < SEARCH_MAX_WORDS; i++)
    dy_buf_fini(&pat[i]);
  return rc;
}

/* One window of net Goldstein between country pairs (unordered). */
static const char *align_sql =
    "SELECT min(source_country, target_country) AS a, "
    "max(source_country, target_country) AS b, count(*), sum(goldstein) "
    "FROM events WHERE source_country != '' AND target_country != '' "
    "AND source_country != target_country AND source_country != 'IGO' "
    "AND target_country != 'IGO' AND date <= ?1 AND date > date(?1, '-365 "
    "days') GROUP BY a, b HAVING count(*) >= 1 ORDER BY count(*) DESC "
    "LIMIT 60";

typedef struct edge {
  char a[4], b[4];
  int n;
  double g;
} edge;

static int align_window(sqlite3 *db, const char *date, edge *e, int max,
                        int *ne, dy_err *err)
{
  sqlite3_stmt *st;
  int rc;
  *ne = 0;
  if (prep(db, align_sql, &st, err) < 0)
    return DY_EDB;
  sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && *ne < max) {
    const unsigned char *a = sqlite3_column_text(st, 0);
    const unsigned char *b = sqlite3_column_text(st, 1);
    snprintf(e[*ne].a, 4, "%s", a ? (const char *)a : "");
    snprintf(e[*ne].b, 4, "%s", b ? (const char *)b : "");
    e[*ne].n = sqlite3_column_int(st, 2);
    e[*ne].g = sqlite3_column_double(st, 3);
    (*ne)++;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_fail(db, err);
  return DY_OK;
}

static const char *stance(double g)
{
  return g > 0 ? "cooperative" : g < 0 ? "hostile" : "neutral";
}

int api_alignments(sqlite3 *db, const char *date, const char *since,
                   dy_buf *out, dy_err *err)
{
  edge now[60], then[60];
  int nn, nt, i, j, first;
  if (align_window(db, date, now, 60, &nn, err) < 0 ||
      align_window(db, since, then, 60, &nt, err) < 0)
    return DY_EDB;
  dy_buf_printf(out,
                "{\"available\":true,\"method\":\"net Goldstein of the events "
                "between two countries in the 365 days up to the date "
                "(interim, until the store's alignments table)\","
                "\"date\":\"%s\",\"since\":\"%s\",\"nodes\":[",
                date, since);
  first = 1;
  for (i = 0; i < nn; i++) {
    const char *c[2] = {now[i].a, now[i].b};
    int k;
    for (k = 0; k < 2; k++) {
      int seen = 0;
      for (j = 0; j < i && !seen; j++)
        seen = strcmp(now[j].a, c[k]) == 0 || strcmp(now[j].b, c[k]) == 0;
      if (k == 1 && strcmp(c[0], c[1]) == 0)
        seen = 1;
      if (!seen) {
        dy_buf_printf(out, "%s\"%s\"", first ? "" : ",", c[k]);
        first = 0;
      }
    }
  }
  dy_buf_puts(out, "],\"edges\":[");
  for (i = 0; i < nn; i++)
    dy_buf_printf(out,
                  "%s{\"a\":\"%s\",\"b\":\"%s\",\"events\":%d,"
                  "\"goldstein\":%.1f,\"stance\":\"%s\"}",
                  i ? "," : "", now[i].a, now[i].b, now[i].n, now[i].g,
                  stance(now[i].g));
  dy_buf_puts(out, "],\"changes\":[");
  first = 1;
  for (i = 0; i < nn; i++) {
    const char *was = "absent";
    for (j = 0; j < nt; j++)
      if (strcmp(now[i].a, then[j].a) == 0 && strcmp(now[i].b, then[j].b) == 0)
        was = stance(then[j].g);
    if (strcmp(was, stance(now[i].g)) != 0) {
      dy_buf_printf(out,
                    "%s{\"a\":\"%s\",\"b\":\"%s\",\"was\":\"%s\","
                    "\"now\":\"%s\"}",
                    first ? "" : ",", now[i].a, now[i].b, was,
                    stance(now[i].g));
      first = 0;
    }
  }
  for (j = 0; j < nt; j++) {
    int found = 0;
    for (i = 0; i < nn && !found; i++)
      found =
          strcmp(now[i].a, then[j].a) == 0 && strcmp(now[i].b, then[j].b) == 0;
    if (!found) {
      dy_buf_printf(out,
                    "%s{\"a\":\"%s\",\"b\":\"%s\",\"was\":\"%s\","
                    "\"now\":\"absent\"}",
                    first ? "" : ",", then[j].a, then[j].b, stance(then[j].g));
      first = 0;
    }
  }
  dy_buf_puts(out, "]}");
  return DY_OK;
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
