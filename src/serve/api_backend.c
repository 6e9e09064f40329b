/* SPDX-License-Identifier: MIT */
/* api_backend.h over the store's views, and a table of the web's own for
 * saved queries, on either backend (dy_store_sql). Each answer says which
 * method produced it. */
#include "api_backend.h"
#include "dyad/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int db_fail(dy_store *db, int rc, dy_err *err)
{
  return dy_err_set(err, rc, "%s", dy_store_errmsg(db));
}

int api_backend_init(dy_store *wdb, dy_err *err)
{
  int pg = strcmp(dy_store_backend(wdb), "postgresql") == 0;
  int rc = dy_store_sql(
      wdb,
      pg ? "CREATE TABLE IF NOT EXISTS web_saved_queries("
           "id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, "
           "params TEXT NOT NULL, created_at TEXT DEFAULT "
           "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))"
         : "CREATE TABLE IF NOT EXISTS web_saved_queries("
           "id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
           "params TEXT NOT NULL, "
           "created_at TEXT DEFAULT CURRENT_TIMESTAMP)",
      NULL, 0, NULL, NULL);
  return rc < 0 ? db_fail(wdb, rc, err) : DY_OK;
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
  dy_buf_printf(a->out,
                ",\"score\":%.3f,\"shared_terms\":%ld,"
                "\"shared_actors\":%ld,\"snippet\":",
                r->score, r->shared_terms, r->shared_actors);
  dy_buf_json_str(a->out, r->snippet ? r->snippet : "",
                  r->snippet ? strlen(r->snippet) : 0);
  dy_buf_putc(a->out, '}');
  a->first = 0;
  a->n++;
  return 0;
}

int api_similar(dy_store *st, long article_id, int limit, dy_buf *out,
                dy_err *err)
{
  dy_similar_opts o;
  art_json a = {out, 1, 0};
  int rc;
  memset(&o, 0, sizeof o);
  o.k = limit;
  o.actor_weight = -1;
  dy_buf_puts(out, "{\"available\":true,\"method\":\"more like this: the "
                   "article's top 25 tf-idf terms (minimum should match 10%) "
                   "and shared actor countries\",\"articles\":[");
  rc = dy_store_similar(st, article_id, &o, article_json, &a, NULL);
  if (rc < 0 && rc != DY_ENOENT)
    return dy_err_set(err, rc, "%s", dy_store_errmsg(st));
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

int api_search(dy_store *st, const char *q, int limit, int offset, dy_buf *out,
               dy_err *err)
{
  dy_buf fq;
  art_json a = {out, 1, 0};
  int rc, pg = strcmp(dy_store_backend(st), "postgresql") == 0;
  dy_buf_init(&fq, 0);
  fts_query(&fq, q);
  dy_buf_putc(&fq, '\0');
  dy_buf_puts(out, pg ? "{\"method\":\"full-text search (PostgreSQL "
                        "tsvector, ts_rank_cd)\",\"articles\":["
                      : "{\"method\":\"full-text search (SQLite FTS5, bm25)\","
                        "\"articles\":[");
  rc = fq.failed ? DY_ENOMEM
                 : dy_store_search(st, fq.p, limit, offset, article_json, &a);
  if (rc == DY_EINVAL)
    rc = DY_OK; /* nothing searchable in q: no match */
  if (rc < 0)
    dy_err_set(err, rc, "%s", dy_store_errmsg(st));
  dy_buf_fini(&fq);
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
    dy_buf_printf(o, ",\"events\":%ld,\"stance\":\"cooperative\"", r->strength);
    add_node(x, r->a);
    add_node(x, r->b);
  }
  dy_buf_putc(o, '}');
  x->first = 0;
  return 0;
}

int api_alignments(dy_store *st, const char *date, const char *since,
                   dy_buf *out, dy_err *err)
{
  align_json *x;
  dy_buf edges;
  int rc, i;
  x = dy_calloc(1, sizeof *x);
  if (x == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
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
  return rc < 0 ? rc : DY_OK;
}

/* dy_store_sql callbacks: the first row's columns into a[0..n) (owned
 * copies); rows counted. */
typedef struct first_row {
  char *v[4]; /* owned copies, NULL for SQL NULL */
  long nrow;  /* rows seen */
} first_row;

static int keep_first(const char *const *v, int n, void *ud)
{
  first_row *f = ud;
  int i;
  if (f->nrow++ == 0)
    for (i = 0; i < n && i < 4; i++)
      f->v[i] = v[i] ? dy_strndup(v[i], strlen(v[i])) : NULL;
  return 0;
}

static void first_row_fini(first_row *f)
{
  int i;
  for (i = 0; i < 4; i++)
    dy_free(f->v[i]);
}

int api_saved_create(dy_store *wdb, const char *name, const char *params,
                     long *id, dy_err *err)
{
  first_row f;
  const char *v[2];
  int rc;
  memset(&f, 0, sizeof f);
  v[0] = name;
  v[1] = params;
  rc = dy_store_sql(wdb,
                    "INSERT INTO web_saved_queries(name, params) "
                    "VALUES(?1, ?2) RETURNING id",
                    v, 2, keep_first, &f);
  *id = f.v[0] ? strtol(f.v[0], NULL, 10) : 0;
  first_row_fini(&f);
  return rc < 0 ? db_fail(wdb, rc, err) : DY_OK;
}

int api_saved_delete(dy_store *wdb, long id, dy_err *err)
{
  first_row f;
  char num[24];
  const char *v[1];
  int rc;
  memset(&f, 0, sizeof f);
  snprintf(num, sizeof num, "%ld", id);
  v[0] = num;
  rc = dy_store_sql(wdb,
                    "DELETE FROM web_saved_queries WHERE id = "
                    "CAST(?1 AS INTEGER) RETURNING id",
                    v, 1, keep_first, &f);
  first_row_fini(&f);
  if (rc < 0)
    return db_fail(wdb, rc, err);
  return f.nrow ? DY_OK : dy_err_set(err, DY_ENOENT, "no saved query");
}

typedef struct saved_json {
  dy_buf *out;
  int first;
} saved_json;

static int saved_row(const char *const *v, int n, void *ud)
{
  saved_json *x = ud;
  const char *name = n > 1 && v[1] ? v[1] : "";
  const char *at = n > 3 && v[3] ? v[3] : "";
  long long id = n > 0 && v[0] ? strtoll(v[0], NULL, 10) : 0;
  dy_buf_printf(x->out, "%s{\"id\":%lld,\"name\":", x->first ? "" : ",", id);
  dy_buf_json_str(x->out, name, strlen(name));
  /* params were written by the server as a JSON object */
  dy_buf_printf(x->out,
                ",\"params\":%s,\"created_at\":", n > 2 && v[2] ? v[2] : "{}");
  dy_buf_json_str(x->out, at, strlen(at));
  dy_buf_printf(x->out, ",\"feed\":\"/feeds/%lld.atom\"}", id);
  x->first = 0;
  return 0;
}

int api_saved_list(dy_store *db, dy_buf *out, dy_err *err)
{
  saved_json x = {out, 1};
  int rc;
  dy_buf_puts(out, "{\"saved\":[");
  rc = dy_store_sql(db,
                    "SELECT id, name, params, created_at FROM "
                    "web_saved_queries ORDER BY id",
                    NULL, 0, saved_row, &x);
  if (rc < 0)
    return db_fail(db, rc, err);
  dy_buf_puts(out, "]}");
  return DY_OK;
}

int api_saved_get(dy_store *db, long id, char **name, char **params,
                  dy_err *err)
{
  first_row f;
  char num[24];
  const char *v[1];
  int rc;
  *name = *params = NULL;
  memset(&f, 0, sizeof f);
  snprintf(num, sizeof num, "%ld", id);
  v[0] = num;
  rc = dy_store_sql(db,
                    "SELECT name, params FROM web_saved_queries WHERE id = "
                    "CAST(?1 AS INTEGER)",
                    v, 1, keep_first, &f);
  if (rc < 0) {
    first_row_fini(&f);
    return db_fail(db, rc, err);
  }
  if (f.nrow == 0)
    return dy_err_set(err, DY_ENOENT, "no saved query %ld", id);
  *name = dy_strndup(f.v[0] ? f.v[0] : "", f.v[0] ? strlen(f.v[0]) : 0);
  *params = dy_strndup(f.v[1] ? f.v[1] : "{}", f.v[1] ? strlen(f.v[1]) : 2);
  first_row_fini(&f);
  if (*name == NULL || *params == NULL) {
    dy_free(*name);
    dy_free(*params);
    *name = *params = NULL;
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  return DY_OK;
}
