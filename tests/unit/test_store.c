/* SPDX-License-Identifier: MIT */
/* Tests of the store: idempotent puts, a failed put rolled back whole,
 * reopening, the schema version, query filters (as relations between
 * result sets, not exact codes: the dictionaries change) and the summary.
 * Each test works in its own mkdtemp directory, removed afterwards. */
#include "test.h"

#include "dyad/dyad.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define X(name) void test_##name(void);
#include "list_store.inc"
#undef X

/* Two short articles written for these tests. */
static const char article_a[] =
    "Leaders meet in London\n\n"
    "LONDON, May 2, 2024 (dyad demo) \xE2\x80\x94 British Prime Minister "
    "Rishi Sunak met French President Emmanuel Macron in London on "
    "Tuesday.\n\n"
    "Sunak praised Macron after the talks.\n";

static const char article_b[] =
    "Pact signed in Pyongyang\n\n"
    "PYONGYANG, June 19, 2024 (dyad demo) \xE2\x80\x94 Russian President "
    "Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang on "
    "Wednesday.\n\n"
    "Ukraine condemned Russia over the agreement.\n";

/* ---- fixtures ---------------------------------------------------------- */

typedef struct fixture {
  char dir[64];   /* temp directory */
  char db[96];    /* database path inside it */
  dy_engine *eng; /* dictionaries from dy_test_data() */
  dy_doc *doc;    /* document context */
  dy_store *st;   /* open store, or NULL */
} fixture;

static void fixture_fini(fixture *f)
{
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  size_t i;
  dy_store_close(f->st);
  dy_doc_free(f->doc);
  dy_engine_free(f->eng);
  if (f->dir[0]) {
    for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
      char p[128];
      snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
      unlink(p);
    }
    rmdir(f->dir);
  }
  memset(f, 0, sizeof *f);
}

/* Loads the engine, makes a document and opens a fresh store; 0 on
 * success, else prints why and returns -1 (call fixture_fini anyway). */
static int fixture_init(fixture *f)
{
  dy_engine_opts o;
  dy_err err;
  const char *base = getenv("TMPDIR");
  memset(f, 0, sizeof *f);
  memset(&o, 0, sizeof o);
  o.dict_dir = dy_test_data();
  if (dy_engine_open(&o, &f->eng, &err) < 0) {
    fprintf(stderr, "  engine: %s\n", err.msg);
    return -1;
  }
  if (dy_doc_new(f->eng, NULL, &f->doc) < 0) {
    fprintf(stderr, "  doc: out of memory\n");
    return -1;
  }
  snprintf(f->dir, sizeof f->dir, "%s/dyad-store-XXXXXX",
           base && *base && strlen(base) < 40 ? base : "/tmp");
  if (mkdtemp(f->dir) == NULL) {
    fprintf(stderr, "  mkdtemp failed\n");
    f->dir[0] = '\0';
    return -1;
  }
  snprintf(f->db, sizeof f->db, "%s/test.db", f->dir);
  if (dy_store_open(f->db, &f->st, &err) < 0) {
    fprintf(stderr, "  store: %s\n", err.msg);
    return -1;
  }
  return 0;
}

/* Analyses and codes text into f->doc. */
static int code_text(fixture *f, const char *text, const char *name,
                     const char *date)
{
  int rc = dy_doc_analyse(f->doc, text, strlen(text), name, date);
  if (rc == DY_OK)
    rc = dy_doc_code(f->doc);
  if (rc < 0)
    fprintf(stderr, "  %s: %s\n", name, dy_doc_errmsg(f->doc));
  return rc;
}

/* Codes text and stores it; returns the put's rc, *inserted as it says. */
static int put_text(fixture *f, const char *text, const char *name,
                    const char *date, int *inserted)
{
  int rc = code_text(f, text, name, date);
  if (rc < 0)
    return rc;
  rc = dy_store_put(f->st, f->doc, inserted);
  if (rc < 0)
    fprintf(stderr, "  put %s: %s\n", name, dy_store_errmsg(f->st));
  return rc;
}

/* Runs SQL on the database file through a separate connection; for
 * integer results, *val gets the first column of the first row. */
static int raw_sql(const char *db, const char *sql, long long *val)
{
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_open(db, &h) != SQLITE_OK)
    goto out;
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "  sql: %s\n", sqlite3_errmsg(h));
    goto out;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && val)
    *val = sqlite3_column_int64(st, 0);
  rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
out:
  sqlite3_finalize(st);
  sqlite3_close(h);
  return rc;
}

/* Everything a query returned, kept for comparisons. */
#define MAX_ROWS 64
typedef struct rowset {
  int n;                   /* rows seen */
  int stop_after;          /* callback returns 1 after this many, 0 = never */
  long id[MAX_ROWS];       /* event ids */
  char date[MAX_ROWS][11]; /* dates */
  char source[MAX_ROWS][24];
  char target[MAX_ROWS][24];
  char code[MAX_ROWS][5];
  char article[MAX_ROWS][65]; /* article hashes */
  long sentence[MAX_ROWS];    /* sentence indexes */
  int bad;                    /* a row broke an invariant */
} rowset;

static int collect(const dy_event_row *r, void *ud)
{
  rowset *rs = ud;
  if (rs->n < MAX_ROWS) {
    snprintf(rs->date[rs->n], sizeof rs->date[0], "%s", r->date);
    snprintf(rs->source[rs->n], sizeof rs->source[0], "%s", r->source);
    snprintf(rs->target[rs->n], sizeof rs->target[0], "%s", r->target);
    snprintf(rs->code[rs->n], sizeof rs->code[0], "%s", r->code);
    snprintf(rs->article[rs->n], sizeof rs->article[0], "%s", r->article);
    rs->sentence[rs->n] = r->sentence_index;
    rs->id[rs->n] = r->id;
  }
  if (strlen(r->article) != 64 || r->sentence[0] == '\0' || r->json[0] != '{' ||
      r->name[0] == '\0' || strncmp(r->code, r->root, 2) != 0) {
    fprintf(stderr, "  bad row %ld: article '%s' sentence '%s'\n", r->id,
            r->article, r->sentence);
    rs->bad = 1;
  }
  rs->n++;
  return rs->stop_after && rs->n >= rs->stop_after;
}

static int query(fixture *f, const dy_query *q, rowset *rs)
{
  int rc;
  memset(rs, 0, sizeof *rs);
  rc = dy_store_query(f->st, q, collect, rs);
  if (rc < 0 && rc != DY_EINVAL)
    fprintf(stderr, "  query: %s\n", dy_store_errmsg(f->st));
  return rc;
}

/* Rows of all whose field starts with prefix ("" field = never). */
static int count_prefix(const rowset *all, int which, const char *prefix)
{
  int i, n = 0;
  for (i = 0; i < all->n && i < MAX_ROWS; i++) {
    const char *v = which == 0   ? all->source[i]
                    : which == 1 ? all->target[i]
                                 : all->code[i];
    if (strncmp(v, prefix, strlen(prefix)) == 0)
      n++;
  }
  return n;
}

/* Whether every row of sub is in all (by id). */
static int is_subset(const rowset *sub, const rowset *all)
{
  int i, j;
  for (i = 0; i < sub->n && i < MAX_ROWS; i++) {
    int found = 0;
    for (j = 0; j < all->n && j < MAX_ROWS && !found; j++)
      found = sub->id[i] == all->id[j];
    if (!found)
      return 0;
  }
  return 1;
}

/* ---- tests ------------------------------------------------------------- */

void test_store_put_idempotent(void)
{
  fixture f;
  dy_store_counts c1, c2, c3;
  size_t nsents_a, nevents_a, nsents_b, nevents_b;
  char hash_a[65];
  int ins = -1, found = -1, ok = 0;
  long long version = 0;
  dy_err err;
  if (fixture_init(&f) < 0)
    goto out;
  /* an empty store */
  if (dy_store_counts_get(f.st, &c1) < 0 || c1.articles || c1.sentences ||
      c1.events)
    goto out;
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 || ins != 1)
    goto out;
  nsents_a = dy_doc_article(f.doc)->nsents;
  nevents_a = dy_doc_nevents(f.doc);
  memcpy(hash_a, dy_doc_article(f.doc)->hash, sizeof hash_a);
  if (nsents_a == 0 || dy_store_counts_get(f.st, &c1) < 0)
    goto out;
  if (c1.articles != 1 || c1.sentences != (long)nsents_a ||
      c1.events != (long)nevents_a) {
    fprintf(stderr, "  counts %ld/%ld/%ld, doc %zu sentences %zu events\n",
            c1.articles, c1.sentences, c1.events, nsents_a, nevents_a);
    goto out;
  }
  /* the same bytes again: nothing changes */
  ins = -1;
  if (put_text(&f, article_a, "copy-of-a.txt", "2024-05-02", &ins) < 0 ||
      ins != 0 || dy_store_counts_get(f.st, &c2) < 0 ||
      memcmp(&c1, &c2, sizeof c1) != 0) {
    fprintf(stderr, "  second put: inserted %d\n", ins);
    goto out;
  }
  if (dy_store_has(f.st, hash_a, &found) < 0 || found != 1)
    goto out;
  if (dy_store_has(f.st, "0000", &found) < 0 || found != 0)
    goto out;
  /* another article: both kept */
  if (put_text(&f, article_b, "b.txt", "2024-06-19", &ins) < 0 || ins != 1)
    goto out;
  nsents_b = dy_doc_article(f.doc)->nsents;
  nevents_b = dy_doc_nevents(f.doc);
  if (dy_store_counts_get(f.st, &c2) < 0 || c2.articles != 2 ||
      c2.sentences != (long)(nsents_a + nsents_b) ||
      c2.events != (long)(nevents_a + nevents_b)) {
    fprintf(stderr, "  after b: %ld/%ld/%ld\n", c2.articles, c2.sentences,
            c2.events);
    goto out;
  }
  /* reopening keeps every row; the schema version is recorded */
  dy_store_close(f.st);
  f.st = NULL;
  if (dy_store_open(f.db, &f.st, &err) < 0) {
    fprintf(stderr, "  reopen: %s\n", err.msg);
    goto out;
  }
  if (dy_store_counts_get(f.st, &c3) < 0 || memcmp(&c2, &c3, sizeof c2) != 0)
    goto out;
  if (raw_sql(f.db, "SELECT value FROM meta WHERE key = 'schema_version'",
              &version) < 0 ||
      version != DY_STORE_SCHEMA_VERSION || version != 2) {
    fprintf(stderr, "  schema_version %lld\n", version);
    goto out;
  }
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_put_rollback(void)
{
  fixture f;
  dy_store_counts c1, c2;
  int ins = -1, ok = 0, rc;
  if (fixture_init(&f) < 0)
    goto out;
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 || ins != 1 ||
      dy_store_counts_get(f.st, &c1) < 0)
    goto out;
  if (code_text(&f, article_b, "b.txt", "2024-06-19") < 0)
    goto out;
  /* make the last kind of insert of the next put fail: the article and
   * its sentences, already inserted by then, must go too */
  if (raw_sql(f.db,
              dy_doc_nevents(f.doc) > 0
                  ? "CREATE TRIGGER fail_put BEFORE INSERT ON events "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                  : "CREATE TRIGGER fail_put BEFORE INSERT ON sentences "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
              NULL) < 0)
    goto out;
  ins = -1;
  rc = dy_store_put(f.st, f.doc, &ins);
  if (rc != DY_EDB || ins != 0 ||
      strstr(dy_store_errmsg(f.st), "injected failure") == NULL) {
    fprintf(stderr, "  rc %d inserted %d: %s\n", rc, ins,
            dy_store_errmsg(f.st));
    goto out;
  }
  if (dy_store_counts_get(f.st, &c2) < 0 || memcmp(&c1, &c2, sizeof c1) != 0) {
    fprintf(stderr, "  after failure: %ld/%ld/%ld\n", c2.articles, c2.sentences,
            c2.events);
    goto out;
  }
  /* the handle is usable afterwards and the same put now succeeds */
  if (raw_sql(f.db, "DROP TRIGGER fail_put", NULL) < 0)
    goto out;
  rc = dy_store_put(f.st, f.doc, &ins);
  if (rc != DY_OK || ins != 1 || dy_store_counts_get(f.st, &c2) < 0 ||
      c2.articles != 2)
    goto out;
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_version(void)
{
  fixture f;
  dy_store *st = NULL;
  dy_err err;
  int ok = 0, rc;
  FILE *fp;
  if (fixture_init(&f) < 0)
    goto out;
  dy_store_close(f.st);
  f.st = NULL;
  /* a database from a newer dyad is refused, and left alone */
  if (raw_sql(f.db, "UPDATE meta SET value = 3 WHERE key = 'schema_version'",
              NULL) < 0)
    goto out;
  rc = dy_store_open(f.db, &st, &err);
  if (rc != DY_EVERSION || st != NULL || err.code != DY_EVERSION ||
      strstr(err.msg, "newer") == NULL) {
    fprintf(stderr, "  newer: rc %d: %s\n", rc, err.msg);
    goto out;
  }
  /* a file that is not a database */
  dy_store_close(st);
  st = NULL;
  unlink(f.db);
  fp = fopen(f.db, "wb");
  if (fp == NULL)
    goto out;
  fputs("this is not an SQLite database, just some text that is long "
        "enough to fill a header, with more words after it.\n",
        fp);
  fclose(fp);
  rc = dy_store_open(f.db, &st, &err);
  if (rc != DY_EDB || st != NULL || err.msg[0] == '\0') {
    fprintf(stderr, "  not a db: rc %d: %s\n", rc, err.msg);
    goto out;
  }
  /* a directory that does not exist */
  rc = dy_store_open("/nonexistent-dyad-dir/x.db", &st, &err);
  if (rc != DY_EDB || st != NULL || err.msg[0] == '\0') {
    fprintf(stderr, "  no dir: rc %d: %s\n", rc, err.msg);
    goto out;
  }
  ok = 1;
out:
  dy_store_close(st);
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_query(void)
{
  fixture f;
  dy_query q;
  dy_store_counts c;
  rowset all, sub, sub2;
  char prefix[8];
  int ins, ok = 0, i, rc, ndated = 0;
  if (fixture_init(&f) < 0)
    goto out;
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 ||
      put_text(&f, article_b, "b.txt", "2024-06-19", &ins) < 0 ||
      dy_store_counts_get(f.st, &c) < 0)
    goto out;
  if (c.events < 1 || c.events > MAX_ROWS) {
    fprintf(stderr, "  want 1..%d events, got %ld\n", MAX_ROWS, c.events);
    goto out;
  }
  /* everything, ordered by date, article, sentence, then id */
  memset(&q, 0, sizeof q);
  if (query(&f, &q, &all) < 0 || all.n != c.events || all.bad)
    goto out;
  for (i = 1; i < all.n; i++) {
    int cmp = strcmp(all.date[i - 1], all.date[i]);
    if (cmp == 0)
      cmp = strcmp(all.article[i - 1], all.article[i]);
    if (cmp == 0)
      cmp = all.sentence[i - 1] < all.sentence[i]   ? -1
            : all.sentence[i - 1] > all.sentence[i] ? 1
                                                    : 0;
    if (cmp > 0 || (cmp == 0 && all.id[i - 1] >= all.id[i])) {
      fprintf(stderr, "  order: row %d\n", i);
      goto out;
    }
  }
  /* source, target and code prefixes: exactly the matching rows */
  snprintf(prefix, sizeof prefix, "%.3s", all.source[0]);
  q.source = prefix;
  if (query(&f, &q, &sub) < 0 || sub.n < 1 ||
      sub.n != count_prefix(&all, 0, prefix) || !is_subset(&sub, &all))
    goto out;
  q.source = NULL;
  snprintf(prefix, sizeof prefix, "%.3s", all.target[0]);
  q.target = prefix;
  if (query(&f, &q, &sub) < 0 || sub.n < 1 ||
      sub.n != count_prefix(&all, 1, prefix) || !is_subset(&sub, &all))
    goto out;
  q.target = NULL;
  snprintf(prefix, sizeof prefix, "%.2s", all.code[0]);
  q.code = prefix;
  if (query(&f, &q, &sub) < 0 || sub.n < 1 ||
      sub.n != count_prefix(&all, 2, prefix) || !is_subset(&sub, &all))
    goto out;
  /* the full code is a prefix of itself */
  q.code = all.code[0];
  if (query(&f, &q, &sub) < 0 || sub.n != count_prefix(&all, 2, all.code[0]))
    goto out;
  /* all filters at once narrow to the intersection */
  q.source = all.source[0];
  q.target = all.target[0];
  if (query(&f, &q, &sub) < 0 || sub.n < 1 || !is_subset(&sub, &all))
    goto out;
  memset(&q, 0, sizeof q);
  /* prefixes are plain bytes, never patterns or SQL */
  q.source = "%";
  if (query(&f, &q, &sub) < 0 || sub.n != count_prefix(&all, 0, "%"))
    goto out;
  q.source = "_";
  if (query(&f, &q, &sub) < 0 || sub.n != count_prefix(&all, 0, "_"))
    goto out;
  q.source = "'; DROP TABLE events; --";
  if (query(&f, &q, &sub) < 0 || sub.n != 0 ||
      dy_store_counts_get(f.st, &c) < 0 || c.events != all.n)
    goto out;
  q.source = "";
  if (query(&f, &q, &sub) < 0 || sub.n != all.n)
    goto out;
  memset(&q, 0, sizeof q);
  /* dates: inclusive, and the two halves add up */
  for (i = 0; i < all.n; i++)
    ndated += all.date[i][0] != '\0';
  q.to = "2024-05-31";
  if (query(&f, &q, &sub) < 0 || !is_subset(&sub, &all))
    goto out;
  q.to = NULL;
  q.from = "2024-06-01";
  if (query(&f, &q, &sub2) < 0 || !is_subset(&sub2, &all) ||
      sub.n + sub2.n != ndated) {
    fprintf(stderr, "  halves %d + %d != %d\n", sub.n, sub2.n, ndated);
    goto out;
  }
  for (i = 0; i < sub2.n; i++)
    if (strcmp(sub2.date[i], "2024-06-01") < 0)
      goto out;
  q.from = all.date[0][0] ? all.date[0] : "2024-05-02";
  q.to = q.from;
  if (query(&f, &q, &sub) < 0 || sub.n < (all.date[0][0] ? 1 : 0))
    goto out;
  for (i = 0; i < sub.n; i++)
    if (strcmp(sub.date[i], q.from) != 0)
      goto out;
  q.from = "2024-06-20";
  q.to = "2024-06-18";
  if (query(&f, &q, &sub) < 0 || sub.n != 0)
    goto out;
  /* bad dates are refused with a message */
  memset(&q, 0, sizeof q);
  q.from = "2024-13-01";
  rc = query(&f, &q, &sub);
  if (rc != DY_EINVAL || sub.n != 0 || dy_store_errmsg(f.st)[0] == '\0')
    goto out;
  q.from = NULL;
  q.to = "yesterday";
  if (query(&f, &q, &sub) != DY_EINVAL)
    goto out;
  q.to = "2023-02-29";
  if (query(&f, &q, &sub) != DY_EINVAL)
    goto out;
  /* limit and an early stop by the callback */
  memset(&q, 0, sizeof q);
  q.limit = 1;
  if (query(&f, &q, &sub) < 0 || sub.n != 1 || sub.id[0] != all.id[0])
    goto out;
  q.limit = 0;
  memset(&sub, 0, sizeof sub);
  sub.stop_after = 1;
  if (dy_store_query(f.st, &q, collect, &sub) != DY_OK || sub.n != 1)
    goto out;
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_summary(void)
{
  fixture f;
  dy_store_counts c;
  dy_buf out;
  char line[64];
  int ins, ok = 0;
  dy_buf_init(&out, 0);
  if (fixture_init(&f) < 0)
    goto out;
  /* an empty store still gives a report */
  if (dy_store_summary(f.st, &out) < 0 || strstr(out.p, "articles") == NULL)
    goto out;
  dy_buf_reset(&out);
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 ||
      put_text(&f, article_b, "b.txt", "2024-06-19", &ins) < 0 ||
      dy_store_counts_get(f.st, &c) < 0)
    goto out;
  if (dy_store_summary(f.st, &out) < 0) {
    fprintf(stderr, "  summary: %s\n", dy_store_errmsg(f.st));
    goto out;
  }
  snprintf(line, sizeof line, "articles   %ld\n", c.articles);
  if (strstr(out.p, line) == NULL)
    goto out;
  snprintf(line, sizeof line, "events     %ld\n", c.events);
  if (strstr(out.p, line) == NULL || strstr(out.p, "CAMEO root") == NULL ||
      strstr(out.p, "dyads") == NULL || strstr(out.p, "latest") == NULL ||
      !dy_utf8_valid(out.p, out.n))
    goto out;
  ok = 1;
out:
  if (!ok && out.p)
    fprintf(stderr, "%s", out.p);
  dy_buf_fini(&out);
  fixture_fini(&f);
  CHECK(ok);
}

/* Batches: puts share one transaction, nothing is visible to another
 * connection before the commit, a rollback drops the lot, and the query
 * order does not depend on the order of the puts. */
void test_store_batch(void)
{
  fixture f;
  dy_store *other = NULL;
  dy_store_counts c;
  dy_err err;
  rowset ab, ba;
  dy_query q;
  int ins = -1, ok = 0, i;
  if (fixture_init(&f) < 0)
    goto out;
  if (dy_store_commit(f.st) != DY_EINVAL)
    goto out;
  if (dy_store_begin(f.st) != DY_OK || dy_store_begin(f.st) != DY_EINVAL)
    goto out;
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 || ins != 1)
    goto out;
  /* the same bytes again inside the batch: not inserted twice */
  if (put_text(&f, article_a, "a2.txt", "2024-05-02", &ins) < 0 || ins != 0)
    goto out;
  if (dy_store_open(f.db, &other, &err) < 0 ||
      dy_store_counts_get(other, &c) < 0 || c.articles != 0) {
    fprintf(stderr, "  uncommitted batch visible: %ld articles\n", c.articles);
    goto out;
  }
  if (dy_store_commit(f.st) != DY_OK || dy_store_counts_get(other, &c) < 0 ||
      c.articles != 1)
    goto out;
  /* a rolled back batch leaves nothing */
  if (dy_store_begin(f.st) != DY_OK ||
      put_text(&f, article_b, "b.txt", "2024-05-02", &ins) < 0 || ins != 1)
    goto out;
  dy_store_rollback(f.st);
  dy_store_rollback(f.st); /* no batch: a no-op */
  if (dy_store_counts_get(f.st, &c) < 0 || c.articles != 1)
    goto out;
  /* b then (a, b): the same rows in the same order as a then b, although
   * the ids differ; both on one date so the order is by article */
  if (put_text(&f, article_b, "b.txt", "2024-05-02", &ins) < 0 || ins != 1)
    goto out;
  memset(&q, 0, sizeof q);
  if (query(&f, &q, &ab) < 0 || ab.bad)
    goto out;
  dy_store_close(other);
  other = NULL;
  dy_store_close(f.st);
  f.st = NULL;
  unlink(f.db);
  if (dy_store_open(f.db, &f.st, &err) < 0 || dy_store_begin(f.st) < 0 ||
      put_text(&f, article_b, "b.txt", "2024-05-02", &ins) < 0 ||
      put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 ||
      dy_store_commit(f.st) < 0 || query(&f, &q, &ba) < 0 || ba.bad)
    goto out;
  if (ab.n != ba.n || ab.n < 2) {
    fprintf(stderr, "  rows %d and %d\n", ab.n, ba.n);
    goto out;
  }
  for (i = 0; i < ab.n && i < MAX_ROWS; i++)
    if (strcmp(ab.article[i], ba.article[i]) != 0 ||
        ab.sentence[i] != ba.sentence[i] ||
        strcmp(ab.code[i], ba.code[i]) != 0) {
      fprintf(stderr, "  row %d differs\n", i);
      goto out;
    }
  ok = 1;
out:
  dy_store_close(other);
  fixture_fini(&f);
  CHECK(ok);
}

/* Batches that go wrong: a failed put undoes its own article only and
 * leaves the batch open; closing with a batch open rolls it back; and the
 * checkpoint calls work on a live database. */
void test_store_batch_failures(void)
{
  fixture f;
  dy_store_counts c0, c1, c2;
  dy_err err;
  size_t nsents_a;
  int ins = -1, ok = 0, rc, pages = -1;
  if (fixture_init(&f) < 0)
    goto out;
  /* b's sentences fail to insert; a's go in */
  if (raw_sql(f.db,
              "CREATE TRIGGER fail_b BEFORE INSERT ON sentences WHEN "
              "(SELECT name FROM articles WHERE id = NEW.article_id) = 'b.txt' "
              "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
              NULL) < 0 ||
      dy_store_counts_get(f.st, &c0) < 0)
    goto out;
  if (dy_store_begin(f.st) < 0)
    goto out;
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 || ins != 1)
    goto out;
  nsents_a = dy_doc_article(f.doc)->nsents;
  /* the same article again within the batch: already there */
  if (put_text(&f, article_a, "a.txt", "2024-05-02", &ins) < 0 || ins != 0)
    goto out;
  /* a failed put undoes its own article only; the batch stays open */
  if (code_text(&f, article_b, "b.txt", "2024-06-19") < 0)
    goto out;
  ins = -1;
  rc = dy_store_put(f.st, f.doc, &ins);
  if (rc != DY_EDB || ins != 0 ||
      strstr(dy_store_errmsg(f.st), "injected failure") == NULL) {
    fprintf(stderr, "  failed put: rc %d: %s\n", rc, dy_store_errmsg(f.st));
    goto out;
  }
  if (dy_store_commit(f.st) < 0 || dy_store_counts_get(f.st, &c1) < 0 ||
      c1.articles != c0.articles + 1 ||
      c1.sentences != c0.sentences + (long)nsents_a) {
    fprintf(stderr, "  after commit: %ld/%ld/%ld\n", c1.articles, c1.sentences,
            c1.events);
    goto out;
  }
  if (raw_sql(f.db, "DROP TRIGGER fail_b", NULL) < 0)
    goto out;
  /* closing with a batch open rolls it back too */
  if (dy_store_begin(f.st) < 0 ||
      put_text(&f, article_b, "b.txt", "2024-06-19", &ins) < 0 || ins != 1)
    goto out;
  dy_store_close(f.st);
  f.st = NULL;
  if (dy_store_open(f.db, &f.st, &err) < 0 ||
      dy_store_counts_get(f.st, &c2) < 0 || memcmp(&c1, &c2, sizeof c1) != 0)
    goto out;
  /* checkpoints */
  if (dy_store_autocheckpoint(f.st, 0) < 0 ||
      put_text(&f, article_b, "b.txt", "2024-06-19", &ins) < 0 || ins != 1 ||
      dy_store_checkpoint(f.st, &pages) < 0 || pages < 0)
    goto out;
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}
