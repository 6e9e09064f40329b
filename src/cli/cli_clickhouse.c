/* SPDX-License-Identifier: MIT */
/* `dyad export --to clickhouse://...`: streams the store's articles, events
 * and mentions into ClickHouse over its HTTP interface, in id order, in
 * TabSeparated INSERTs of --rows rows, incrementally (a watermark table
 * holds the last id exported per table).
 *
 * Layout (docs/SCALE.md): the rows go to dyad_<name>_local, a
 * ReplacingMergeTree partitioned by month and ordered by (date, source,
 * target, id); with --cluster, every host of the URL has its own
 * dyad_<name>_local and a Distributed table dyad_<name>_all over the
 * cluster, sharded by intHash64(id). What analysts and `dyad serve
 * --analytics` read is the view dyad_<name>: the rows whose id is at most
 * the table's watermark. The watermark is written (on every host) only once
 * an INSERT is acknowledged by every shard, so the rows of an INSERT that
 * failed half-way (one shard down, the server killed) are never visible;
 * the next export deletes them (ALTER TABLE ... DELETE on every host, and
 * waits for the mutation) before it sends them again, so the tables never
 * hold two copies. */
#include "cli.h"
#include "dyad/clickhouse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CH_TIMEOUT_MS 60000

/* Column kinds of a dump row: U unsigned (NULL = 0), I signed, F float, S
 * string, D date: two ClickHouse columns, the text as given (day String)
 * and a Date (0000-00-00 when not a date ClickHouse can hold). */
typedef struct ch_table {
  const char *name;  /* dyad_<name> */
  int dump;          /* DY_DUMP_* */
  const char *kinds; /* one letter per dump column */
  const char *cols;  /* ClickHouse columns */
  const char *order; /* sorting key */
} ch_table;

static const ch_table tables[] = {
    {"articles", DY_DUMP_ARTICLES, "USSSSDSUSS",
     "id UInt64, hash String, url String, name String, headline String, "
     "day String, date Date, source String, dup_of UInt64, dup_kind String, "
     "ingested_at String",
     "date, source, id"},
    {"events", DY_DUMP_EVENTS, "UDSSSSSSUFUUUUUS",
     "id UInt64, day String, date Date, source String, source_country "
     "String, target String, target_country String, code String, root "
     "String, quad UInt8, goldstein Float64, num_mentions UInt32, "
     "num_sources UInt32, num_articles UInt32, is_root UInt8, article_id "
     "UInt64, added_at String",
     "date, source, target, id"},
    {"mentions", DY_DUMP_MENTIONS, "UUUDSSSIUS",
     "id UInt64, event_id UInt64, article_id UInt64, day String, date Date, "
     "source String, target String, code String, sentence_idx Int32, "
     "confidence UInt8, source_name String",
     "date, source, target, id"},
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* ClickHouse TabSeparated escaping. */
static void tsv_escape(dy_buf *b, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '\\':
      dy_buf_puts(b, "\\\\");
      break;
    case '\t':
      dy_buf_puts(b, "\\t");
      break;
    case '\n':
      dy_buf_puts(b, "\\n");
      break;
    case '\r':
      dy_buf_puts(b, "\\r");
      break;
    default:
      dy_buf_putc(b, *s);
    }
  }
}

/* A Date ClickHouse 18 can hold: YYYY-MM-DD in 1970..2105. */
static int ch_date_ok(const char *d)
{
  int i;
  long y;
  if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
    return 0;
  for (i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !dy_isdigit(d[i]))
      return 0;
  y = strtol(d, NULL, 10);
  return y >= 1970 && y <= 2105 && dy_date_parse(dy_str_c(d)) == 0;
}

/* A number as ClickHouse reads it, "0" for NULL or junk. */
static void num(dy_buf *b, const char *v, int kind)
{
  char *end;
  if (v == NULL || *v == '\0') {
    dy_buf_putc(b, '0');
    return;
  }
  if (kind == 'F') {
    double x = strtod(v, &end);
    dy_buf_printf(b, "%.17g", *end ? 0.0 : x);
  } else {
    long long x = strtoll(v, &end, 10);
    if (*end || (kind == 'U' && x < 0))
      x = 0;
    dy_buf_printf(b, "%lld", x);
  }
}

typedef struct batch {
  const ch_table *t;
  dy_buf rows;
  long n;
  long long last;
} batch;

static int add_row(const char *const *v, int n, void *ud)
{
  batch *bt = ud;
  const char *k = bt->t->kinds;
  int i;
  for (i = 0; i < n && k[i]; i++) {
    if (i)
      dy_buf_putc(&bt->rows, '\t');
    if (k[i] == 'S') {
      tsv_escape(&bt->rows, v[i] ? v[i] : "");
    } else if (k[i] == 'D') {
      tsv_escape(&bt->rows, v[i] ? v[i] : "");
      dy_buf_putc(&bt->rows, '\t');
      dy_buf_puts(&bt->rows, ch_date_ok(v[i]) ? v[i] : "0000-00-00");
    } else {
      num(&bt->rows, v[i], k[i]);
    }
  }
  dy_buf_putc(&bt->rows, '\n');
  bt->n++;
  bt->last = v[0] ? strtoll(v[0], NULL, 10) : bt->last;
  return bt->rows.failed ? DY_ENOMEM : 0;
}

static void sleep_ms(long ms)
{
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static int valid_name(const char *s)
{
  if (s == NULL || *s == '\0' || strlen(s) > 60)
    return 0;
  for (; *s; s++)
    if (!(dy_isalnum(*s) || *s == '_'))
      return 0;
  return 1;
}

/* Runs query on host k; prints the error. */
static int run(const dy_ch_url *u, int k, const char *q, const char *body,
               size_t n, dy_buf *out)
{
  dy_err err;
  dy_err_clear(&err);
  if (dy_ch_query(u, k, q, body, n, out, CH_TIMEOUT_MS, &err) < 0) {
    cli_error("clickhouse", "%s", err.msg);
    return -1;
  }
  return 0;
}

/* Runs a query whose answer is one number on host k into *v. */
static int run_num(const dy_ch_url *u, int k, const char *q, long long *v)
{
  dy_buf out;
  int rc;
  dy_buf_init(&out, 64);
  rc = run(u, k, q, NULL, 0, &out);
  if (rc == 0)
    *v = out.p ? strtoll(out.p, NULL, 10) : 0;
  dy_buf_fini(&out);
  return rc;
}

/* The hosts that hold tables: every host of the URL with --cluster. */
static int nhosts(const dy_ch_url *u, const char *cluster)
{
  return cluster ? u->nhosts : 1;
}

/* dyad_<name> must be the view of this layout: an earlier dyad wrote its
 * rows into a table of that name, which the view cannot replace. */
static int check_layout(const dy_ch_url *u, int k, const ch_table *t)
{
  dy_buf q;
  long long n = 0;
  int rc;
  dy_buf_init(&q, 0);
  dy_buf_printf(&q,
                "SELECT count() FROM system.tables WHERE database = '%s' AND "
                "name = 'dyad_%s' AND engine != 'View'",
                u->db, t->name);
  rc = q.failed ? -1 : run_num(u, k, q.p, &n);
  dy_buf_fini(&q);
  if (rc == 0 && n > 0) {
    cli_error("export",
              "%s:%d: %s.dyad_%s is a table of an older export layout (now a "
              "view over dyad_%s_local); drop the database and export again",
              u->host[k], u->port[k], u->db, t->name, t->name);
    return -1;
  }
  return rc;
}

/* Creates the database, the tables and the views on every host (cluster)
 * or the first. */
static int create_tables(const dy_ch_url *u, const char *cluster)
{
  dy_buf q;
  int k, rc = 0;
  size_t i;
  dy_ch_url d = *u;
  dy_buf_init(&q, 0);
  snprintf(d.db, sizeof d.db, "default");
  for (k = 0; k < nhosts(u, cluster) && rc == 0; k++) {
    dy_buf_reset(&q);
    dy_buf_printf(&q, "CREATE DATABASE IF NOT EXISTS %s", u->db);
    rc = run(&d, k, q.p, NULL, 0, NULL);
    if (rc == 0) {
      dy_buf_reset(&q);
      dy_buf_printf(&q,
                    "CREATE TABLE IF NOT EXISTS %s.dyad_watermark (tbl "
                    "String, last UInt64, at DateTime DEFAULT now()) ENGINE "
                    "= ReplacingMergeTree(last) ORDER BY tbl",
                    u->db);
      rc = run(u, k, q.p, NULL, 0, NULL);
    }
    for (i = 0; i < NTABLES && rc == 0; i++) {
      const char *n = tables[i].name;
      rc = check_layout(u, k, &tables[i]);
      if (rc < 0)
        break;
      dy_buf_reset(&q);
      dy_buf_printf(&q,
                    "CREATE TABLE IF NOT EXISTS %s.dyad_%s_local (%s) ENGINE "
                    "= ReplacingMergeTree PARTITION BY toYYYYMM(date) ORDER "
                    "BY (%s)",
                    u->db, n, tables[i].cols, tables[i].order);
      rc = run(u, k, q.p, NULL, 0, NULL);
      if (rc == 0 && cluster) {
        dy_buf_reset(&q);
        dy_buf_printf(&q,
                      "CREATE TABLE IF NOT EXISTS %s.dyad_%s_all AS "
                      "%s.dyad_%s_local ENGINE = Distributed(%s, %s, "
                      "dyad_%s_local, intHash64(id))",
                      u->db, n, u->db, n, cluster, u->db, n);
        rc = run(u, k, q.p, NULL, 0, NULL);
      }
      if (rc == 0) {
        /* the scalar subquery runs on the host queried, over its own
         * copy of the watermark */
        dy_buf_reset(&q);
        dy_buf_printf(&q,
                      "CREATE VIEW IF NOT EXISTS %s.dyad_%s AS SELECT * FROM "
                      "%s.dyad_%s_%s WHERE id <= (SELECT max(last) FROM "
                      "%s.dyad_watermark WHERE tbl = '%s')",
                      u->db, n, u->db, n, cluster ? "all" : "local", u->db, n);
        rc = run(u, k, q.p, NULL, 0, NULL);
      }
    }
  }
  dy_buf_fini(&q);
  return rc;
}

/* Reads the watermark of each table on host k into last[] (the first
 * host's is the one that counts: it is written there first). */
static int read_watermarks(const dy_ch_url *u, int k, long long *last)
{
  dy_buf out;
  const char *p;
  int rc;
  dy_buf_init(&out, 1 << 20);
  rc = run(u, k,
           "SELECT tbl, max(last) FROM dyad_watermark GROUP BY tbl FORMAT "
           "TabSeparated",
           NULL, 0, &out);
  for (p = out.p; rc == 0 && p && *p;) {
    const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
    size_t i;
    if (tab == NULL || (nl && nl < tab))
      break;
    for (i = 0; i < NTABLES; i++)
      if ((size_t)(tab - p) == strlen(tables[i].name) &&
          memcmp(p, tables[i].name, (size_t)(tab - p)) == 0)
        last[i] = strtoll(tab + 1, NULL, 10);
    if (nl == NULL)
      break;
    p = nl + 1;
  }
  dy_buf_fini(&out);
  return rc;
}

/* Appends the watermark of table t on host k. */
static int write_watermark_on(const dy_ch_url *u, int k, const ch_table *t,
                              long long last)
{
  char q[200];
  snprintf(q, sizeof q,
           "INSERT INTO %s.dyad_watermark (tbl, last) VALUES ('%s', %lld)",
           u->db, t->name, last);
  return run(u, k, q, NULL, 0, NULL);
}

/* Appends the watermark of table t on every host, the first host first. */
static int write_watermark(const dy_ch_url *u, const char *cluster,
                           const ch_table *t, long long last)
{
  int k;
  for (k = 0; k < nhosts(u, cluster); k++)
    if (write_watermark_on(u, k, t, last) < 0)
      return -1;
  return 0;
}

/* The rows beyond the watermark on every host are those of an INSERT that
 * failed, or whose watermark was never written: deletes them (a mutation,
 * waited for) so that the export sends them once more without a second
 * copy, and brings a host's watermark that lags up to the first host's.
 * *removed gets the number of rows deleted. */
static int clean_up(const dy_ch_url *u, const char *cluster,
                    const long long *last, long long *removed)
{
  char q[320];
  int k, tries;
  size_t i;
  for (k = 0; k < nhosts(u, cluster); k++) {
    for (i = 0; i < NTABLES; i++) {
      long long n = 0, busy = 1;
      snprintf(q, sizeof q,
               "SELECT count() FROM %s.dyad_%s_local WHERE id > %lld", u->db,
               tables[i].name, last[i]);
      if (run_num(u, k, q, &n) < 0)
        return -1;
      if (n == 0)
        continue;
      snprintf(q, sizeof q,
               "ALTER TABLE %s.dyad_%s_local DELETE WHERE id > %lld", u->db,
               tables[i].name, last[i]);
      if (run(u, k, q, NULL, 0, NULL) < 0)
        return -1;
      snprintf(q, sizeof q,
               "SELECT count() FROM system.mutations WHERE database = '%s' "
               "AND table = 'dyad_%s_local' AND is_done = 0",
               u->db, tables[i].name);
      for (tries = 0; busy > 0 && tries < CH_TIMEOUT_MS / 50; tries++) {
        if (run_num(u, k, q, &busy) < 0)
          return -1;
        if (busy > 0)
          sleep_ms(50);
      }
      if (busy > 0) {
        cli_error("export",
                  "%s:%d: deleting the rows of an interrupted export from "
                  "%s.dyad_%s_local did not finish in %d s",
                  u->host[k], u->port[k], u->db, tables[i].name,
                  CH_TIMEOUT_MS / 1000);
        return -1;
      }
      *removed += n;
    }
    if (k > 0) { /* a watermark write that failed after the first host's */
      long long mine[NTABLES] = {0};
      if (read_watermarks(u, k, mine) < 0)
        return -1;
      for (i = 0; i < NTABLES; i++)
        if (mine[i] < last[i] &&
            write_watermark_on(u, k, &tables[i], last[i]) < 0)
          return -1;
    }
  }
  return 0;
}

int cli_export_clickhouse(dy_store *st, const char *url, const char *cluster,
                          long rows)
{
  dy_ch_url u;
  dy_err err;
  long long last[NTABLES] = {0}, removed = 0;
  long total[NTABLES] = {0};
  size_t i;
  int rc = CLI_OK;
  dy_err_clear(&err);
  if (dy_ch_url_parse(url, &u, &err) < 0) {
    cli_error("export", "--to: %s", err.msg);
    return CLI_USAGE;
  }
  if (cluster && !valid_name(cluster)) {
    cli_error("export", "bad --cluster name (letters, digits, _)");
    return CLI_USAGE;
  }
  if (!cluster && u.nhosts > 1) {
    cli_error("export", "several hosts need --cluster");
    return CLI_USAGE;
  }
  if (cluster) /* an INSERT returns once every shard has its rows */
    snprintf(u.params, sizeof u.params, "&insert_distributed_sync=1");
  if (create_tables(&u, cluster) < 0 || read_watermarks(&u, 0, last) < 0 ||
      clean_up(&u, cluster, last, &removed) < 0) {
    fprintf(stderr, "dyad: export to %s: nothing sent\n", u.host[0]);
    return CLI_FATAL;
  }
  if (removed > 0)
    fprintf(stderr,
            "dyad: export: deleted %lld rows an interrupted export had left "
            "(never visible), sending them again\n",
            removed);
  for (i = 0; i < NTABLES && rc == CLI_OK; i++) {
    batch bt;
    char q[160];
    memset(&bt, 0, sizeof bt);
    bt.t = &tables[i];
    dy_buf_init(&bt.rows, 0);
    snprintf(q, sizeof q, "INSERT INTO %s.dyad_%s_%s FORMAT TabSeparated", u.db,
             tables[i].name, cluster ? "all" : "local");
    for (;;) {
      int drc;
      dy_buf_reset(&bt.rows);
      bt.n = 0;
      bt.last = last[i];
      drc = dy_store_dump(st, tables[i].dump, last[i], rows, add_row, &bt);
      if (drc != 0) {
        cli_error("export", "%s",
                  drc == DY_ENOMEM ? "out of memory" : dy_store_errmsg(st));
        rc = CLI_FATAL;
        break;
      }
      if (bt.n == 0)
        break;
      /* the rows first, then the watermark that makes them visible */
      if (run(&u, 0, q, bt.rows.p, bt.rows.n, NULL) < 0 ||
          write_watermark(&u, cluster, &tables[i], bt.last) < 0) {
        rc = CLI_FATAL;
        break;
      }
      last[i] = bt.last;
      total[i] += bt.n;
    }
    dy_buf_fini(&bt.rows);
  }
  fprintf(stderr,
          "dyad: export to %s: %ld articles, %ld events, %ld mentions%s\n",
          u.host[0], total[0], total[1], total[2],
          rc == CLI_OK ? ""
                       : " (incomplete: the rows of the failed batch are not "
                         "visible; run it again to resume)");
  return rc;
}
