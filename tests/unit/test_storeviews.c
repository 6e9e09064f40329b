/* SPDX-License-Identifier: MIT */
/* Tests of event dedup and the store's derived views: SimHash, the same
 * article under two URLs, syndicated near-duplicates, the schema 1 -> 2
 * migration, alignments from a baseline file and a coded pact, GDELT
 * export layouts checked against query rows, search and "more like this",
 * time series, paging and filters, saved queries. Articles are written for
 * these tests; each test works in its own mkdtemp directory. */
#include "test.h"

#include "dyad/dyad.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define X(name) void test_##name(void);
#include "list_storeviews.inc"
#undef X

/* Leaves the test through its cleanup label, saying where. */
#define FAIL()                                                                 \
  do {                                                                         \
    fprintf(stderr, "  failed at line %d\n", __LINE__);                        \
    goto out;                                                                  \
  } while (0)

/* ---- articles written for these tests ----------------------------------- */

/* The later paragraphs of the pact story. */
#define PACT_TAIL                                                              \
  "The treaty commits each side to come to the aid of the other if it is "     \
  "attacked, according to a summary read on state television, and it "         \
  "covers cooperation in energy, transport, science and tourism as well "      \
  "as the training of officers at each other's military academies.\n\n"        \
  "Diplomats from three European countries said they would study the text "    \
  "with their partners before deciding on a response, while a spokesman "      \
  "for the United Nations urged all parties to respect the sanctions "         \
  "adopted by the Security Council over the missile programme of the "         \
  "north. Markets in the region barely moved on the news, and the won "        \
  "closed the day little changed against the dollar.\n\n"                      \
  "Historians noted that a treaty signed by the Soviet Union and the north "   \
  "in 1961 had lapsed in the 1990s, and that the new text goes further "       \
  "than the friendship treaty the two sides signed in 2000, which had no "     \
  "clause on mutual assistance in case of war.\n"

static const char pact[] =
    "Pact signed in Pyongyang\n\n"
    "PYONGYANG, June 19, 2024 (dyad test) \xE2\x80\x94 Russian President "
    "Vladimir Putin on Wednesday signed a new defense pact with North Korean "
    "leader Kim Jong Un, the first such treaty between the two "
    "countries in decades.\n\n"
    "Observers in Seoul and Tokyo said the agreement could change the "
    "balance of power in the region, where rival blocs have faced each "
    "other since the armistice. Officials in Washington asked for details "
    "of the pledge and of any transfer of military technology.\n\n" PACT_TAIL;

/* the same story as syndicated: a new headline, one word changed, a
 * credit line added */
static const char pact_copy[] =
    "Putin and Kim seal defense deal\n\n"
    "PYONGYANG, June 19, 2024 (dyad test) \xE2\x80\x94 Russian President "
    "Vladimir Putin on Wednesday signed a new defense pact with North Korean "
    "leader Kim Jong Un, the first such treaty between the two "
    "countries in decades.\n\n"
    "Observers in Seoul and Tokyo said the agreement could alter the "
    "balance of power in the region, where rival blocs have faced each "
    "other since the armistice. Officials in Washington asked for details "
    "of the pledge and of any transfer of military technology.\n\n" PACT_TAIL
    "\nAdditional reporting by the dyad test desk.\n";

static const char talks[] =
    "Ministers meet in Paris\n\n"
    "PARIS, March 3, 2024 (dyad test) \xE2\x80\x94 French President Emmanuel "
    "Macron met German Chancellor Olaf Scholz in Paris on Monday to discuss "
    "farm subsidies, rail links and the budget of the European Union.\n\n"
    "The two leaders praised the progress of the talks and promised a "
    "joint paper on energy prices before the summer.\n";

static const char korea_trade[] =
    "North Korea and Russia expand trade\n\n"
    "MOSCOW, July 2, 2024 (dyad test) \xE2\x80\x94 Russia and North Korea "
    "agreed to expand rail freight between the two countries, officials in "
    "Pyongyang said, weeks after Vladimir Putin met Kim Jong Un.\n\n"
    "The mutual defense pact signed in June has raised concern in Seoul "
    "and Tokyo about military technology.\n";

/* ---- fixtures ---------------------------------------------------------- */

typedef struct fixture {
  char dir[64];   /* temp directory */
  char db[96];    /* database path inside it */
  dy_engine *eng; /* the project's dictionaries */
  dy_doc *doc;    /* document context */
  dy_store *st;   /* open store, or NULL */
} fixture;

static void fixture_fini(fixture *f)
{
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal", ".tsv"};
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

static int fixture_init(fixture *f, int open)
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
  if (dy_doc_new(f->eng, NULL, &f->doc) < 0)
    return -1;
  snprintf(f->dir, sizeof f->dir, "%s/dyad-views-XXXXXX",
           base && *base && strlen(base) < 40 ? base : "/tmp");
  if (mkdtemp(f->dir) == NULL) {
    f->dir[0] = '\0';
    return -1;
  }
  snprintf(f->db, sizeof f->db, "%s/test.db", f->dir);
  if (open && dy_store_open(f->db, &f->st, &err) < 0) {
    fprintf(stderr, "  store: %s\n", err.msg);
    return -1;
  }
  return 0;
}

/* Codes text (with an optional URL) and stores it. */
static int put(fixture *f, const char *text, const char *name, const char *url,
               int *inserted)
{
  dy_input in;
  int rc, ins = 0;
  memset(&in, 0, sizeof in);
  in.name = name;
  in.bytes = text;
  in.n = strlen(text);
  in.url = url;
  rc = dy_doc_analyse_input(f->doc, &in, NULL);
  if (rc == DY_OK)
    rc = dy_doc_code(f->doc);
  if (rc == DY_OK)
    rc = dy_store_put(f->st, f->doc, &ins);
  if (rc < 0)
    fprintf(stderr, "  put %s: %s / %s\n", name, dy_doc_errmsg(f->doc),
            dy_store_errmsg(f->st));
  if (inserted)
    *inserted = ins;
  return rc;
}

/* First integer of the first row of sql on the fixture's database. */
static long long sql_int(fixture *f, const char *sql)
{
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  long long v = -1;
  if (sqlite3_open(f->db, &h) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  else
    fprintf(stderr, "  sql: %s\n", sqlite3_errmsg(h));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

static int sql_exec(fixture *f, const char *sql)
{
  sqlite3 *h = NULL;
  int rc = -1;
  char *msg = NULL;
  if (sqlite3_open(f->db, &h) == SQLITE_OK &&
      sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK)
    rc = 0;
  else
    fprintf(stderr, "  sql: %s\n", msg ? msg : sqlite3_errmsg(h));
  sqlite3_free(msg);
  sqlite3_close(h);
  return rc;
}

/* Events collected from a query. */
#define MAXR 64
typedef struct rows {
  int n;                 /* rows */
  long id[MAXR];         /* event ids */
  long mentions[MAXR];   /* num_mentions */
  long articles[MAXR];   /* num_articles */
  char code[MAXR][8];    /* codes */
  char source[MAXR][24]; /* source codes */
  char date[MAXR][12];   /* dates */
} rows;

static int collect(const dy_event_row *r, void *ud)
{
  rows *rs = ud;
  if (rs->n < MAXR) {
    rs->id[rs->n] = r->id;
    rs->mentions[rs->n] = r->num_mentions;
    rs->articles[rs->n] = r->num_articles;
    snprintf(rs->code[rs->n], sizeof rs->code[0], "%s", r->code);
    snprintf(rs->source[rs->n], sizeof rs->source[0], "%s", r->source);
    snprintf(rs->date[rs->n], sizeof rs->date[0], "%s", r->date);
  }
  rs->n++;
  return 0;
}

static int query(fixture *f, const dy_query *q, rows *rs)
{
  memset(rs, 0, sizeof *rs);
  return dy_store_query(f->st, q, collect, rs);
}

/* ---- tests ------------------------------------------------------------- */

void test_store_simhash(void)
{
  /* the bodies: after the headline line */
  const char *pa = strstr(pact, "\n\n"), *pb = strstr(pact_copy, "\n\n");
  size_t n1, n2, n3;
  uint64_t a = dy_simhash(pa, strlen(pa), &n1);
  uint64_t b = dy_simhash(pb, strlen(pb), &n2);
  uint64_t c = dy_simhash(talks, sizeof talks - 1, &n3);
  CHECK(n1 >= DY_SIMHASH_MIN_SHINGLES && n3 >= DY_SIMHASH_MIN_SHINGLES);
  CHECK_EQ_INT(dy_simhash(pa, strlen(pa), NULL), a);
  CHECK(dy_hamming64(a, b) <= DY_SIMHASH_MAX_DIST);
  CHECK(dy_hamming64(a, c) > 10);
  CHECK_EQ_INT(dy_hamming64(0, ~(uint64_t)0), 64);
  /* case and punctuation do not change the words */
  CHECK_EQ_INT(dy_simhash("One two, THREE four", 19, NULL),
               dy_simhash("one Two three... four", 21, NULL));
  /* fewer than 3 words: no shingle */
  dy_simhash("two words", 9, &n1);
  CHECK_EQ_INT(n1, 0);
}

void test_store_same_article_two_urls(void)
{
  fixture f;
  rows all;
  int ins = 0, ok = 0, i;
  long long n;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, pact, "feed.jsonl#1", "https://a.example/pact", &ins) < 0 || !ins)
    FAIL();
  if (query(&f, NULL, &all) < 0 || all.n == 0)
    FAIL();
  for (i = 0; i < all.n; i++)
    if (all.mentions[i] != 1)
      FAIL();
  /* the same bytes under a second URL: a second document, an exact
   * duplicate; every event gets a second mention, no event is added */
  if (put(&f, pact, "feed.jsonl#2", "https://www.b.example/x", &ins) < 0 ||
      !ins)
    FAIL();
  n = all.n;
  if (query(&f, NULL, &all) < 0 || all.n != n)
    FAIL();
  for (i = 0; i < all.n; i++)
    if (all.mentions[i] != 2 || all.articles[i] != 2)
      FAIL();
  if (sql_int(&f, "SELECT count(*) FROM articles WHERE dup_kind = 'exact' "
                  "AND dup_of = 1") != 1 ||
      sql_int(&f, "SELECT max(num_sources) FROM events") != 2)
    FAIL();
  /* the same URL again (a rerun): nothing changes */
  if (put(&f, pact, "feed.jsonl#2", "https://www.b.example/x", &ins) < 0 || ins)
    FAIL();
  if (sql_int(&f, "SELECT count(*) FROM mentions") != 2 * n)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_near_duplicate(void)
{
  fixture f;
  rows all;
  int ins = 0, ok = 0, i;
  long long n;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, talks, "talks.txt", NULL, &ins) < 0 ||
      put(&f, pact, "pact.txt", NULL, &ins) < 0 || query(&f, NULL, &all) < 0)
    FAIL();
  n = all.n;
  /* a syndicated copy with another headline: a near duplicate of the
   * first copy (not of the unrelated article); its events are mentions */
  if (put(&f, pact_copy, "copy.txt", NULL, &ins) < 0 || !ins)
    FAIL();
  if (sql_int(&f, "SELECT dup_of FROM articles WHERE name = 'copy.txt' AND "
                  "dup_kind = 'near'") != 2)
    FAIL();
  if (query(&f, NULL, &all) < 0 || all.n != n)
    FAIL();
  for (i = 0; i < all.n; i++)
    if (strcmp(all.date[i], "2024-06-19") == 0 && all.mentions[i] != 2)
      FAIL();
  /* mentions of the copy are marked with a lower confidence */
  if (sql_int(&f, "SELECT count(*) FROM mentions m JOIN articles a ON "
                  "a.id = m.article_id WHERE a.name = 'copy.txt' AND "
                  "m.confidence = 50") < 1)
    FAIL();
  /* an unrelated article is not a duplicate */
  if (sql_int(&f, "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL") !=
      1)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

/* The version 1 schema, as released (migration 1 of store.c). */
static const char v1_schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "INSERT INTO meta VALUES('schema_version', 1);"
    "CREATE TABLE articles(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
    " name TEXT, headline TEXT, date TEXT, places TEXT, agency TEXT,"
    " dateline TEXT, body TEXT, nsentences INTEGER, nevents INTEGER,"
    " nbad_utf8 INTEGER, ingested_at TEXT DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE sentences(article_id INTEGER NOT NULL REFERENCES"
    " articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL, off INTEGER,"
    " len INTEGER, text TEXT, PRIMARY KEY(article_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE events(id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL"
    " REFERENCES articles(id) ON DELETE CASCADE, sentence_idx INTEGER,"
    " date TEXT, source TEXT, source_country TEXT, source_name TEXT,"
    " target TEXT, target_country TEXT, target_name TEXT, code TEXT,"
    " root TEXT, quad INTEGER, goldstein REAL, verb_off INTEGER,"
    " verb_len INTEGER, json TEXT NOT NULL);"
    "CREATE INDEX events_date ON events(date);"
    "INSERT INTO articles(id, hash, name, headline, date, body) VALUES"
    " (1, 'aa', 'a.txt', 'Pact', '2024-06-19', 'Putin signed a pact with"
    " Kim. More words here to read.'),"
    " (2, 'bb', 'b.txt', 'Copy', '2024-06-19', 'Putin signed a pact with"
    " Kim. More words here to read.');"
    "INSERT INTO sentences VALUES(1, 0, 0, 30, 'Putin signed a pact with"
    " Kim.'), (2, 0, 0, 30, 'Putin signed a pact with Kim.');"
    "INSERT INTO events(article_id, sentence_idx, date, source,"
    " source_country, target, target_country, code, root, quad, goldstein,"
    " verb_off, verb_len, json) VALUES"
    " (1, 0, '2024-06-19', 'RUSGOV', 'RUS', 'PRKGOV', 'PRK', '057', '05', 1,"
    " 8.0, 6, 6, '{\"source_role\":\"GOV\"}'),"
    " (2, 0, '2024-06-19', 'RUSGOV', 'RUS', 'PRKGOV', 'PRK', '057', '05', 1,"
    " 8.0, 6, 6, '{\"source_role\":\"GOV\"}');";

void test_store_migrate_v1(void)
{
  fixture f;
  dy_err err;
  rows all;
  int ok = 0;
  if (fixture_init(&f, 0) < 0 || sql_exec(&f, v1_schema) < 0)
    FAIL();
  if (dy_store_open(f.db, &f.st, &err) < 0) {
    fprintf(stderr, "  migrate: %s\n", err.msg);
    FAIL();
  }
  if (sql_int(&f, "SELECT value FROM meta WHERE key = 'schema_version'") !=
          DY_STORE_SCHEMA_VERSION ||
      sql_int(&f, "PRAGMA user_version") != DY_STORE_SCHEMA_VERSION)
    FAIL();
  /* two old event rows with one key: one event, two mentions */
  if (query(&f, NULL, &all) < 0 || all.n != 1 || all.mentions[0] != 2 ||
      all.articles[0] != 2)
    FAIL();
  if (sql_int(&f, "SELECT count(*) FROM sentences") != 2 ||
      sql_int(&f, "SELECT count(*) FROM articles WHERE dup_of = 1 AND "
                  "dup_kind = 'exact'") != 1 ||
      sql_int(&f, "SELECT count(*) FROM articles_fts WHERE articles_fts "
                  "MATCH 'kim'") != 2 ||
      sql_int(&f, "SELECT count(*) FROM events WHERE source_role = 'GOV'") != 1)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

/* Partners of actor at a date, joined "CHN,RUS,". */
typedef struct partners {
  char list[256];    /* partners */
  char evidence[80]; /* evidence hash of an event edge */
  long strength;     /* sum of strengths */
} partners;

static int add_partner(const dy_alignment_row *r, void *ud)
{
  partners *p = ud;
  size_t n = strlen(p->list);
  snprintf(p->list + n, sizeof p->list - n, "%s%s,", r->change, r->b);
  if (*r->evidence)
    snprintf(p->evidence, sizeof p->evidence, "%s", r->evidence);
  p->strength += r->strength;
  return 0;
}

static const char baseline[] =
    "# test baseline\n"
    "mutual defense\tTest treaty\tCHN,PRK\t1961-07-11\t\tsigned 1961\n"
    "alliance\tTest group\tAAA,BBB\t2000-01-01\t\tfounders\n"
    "alliance\tTest group\tCCC\t2010-01-01\t2012-01-01\tjoined, left\n";

void test_store_alignments(void)
{
  fixture f;
  partners p;
  char path[128];
  FILE *fp;
  int ok = 0;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  snprintf(path, sizeof path, "%s.tsv", f.db);
  fp = fopen(path, "w");
  if (fp == NULL)
    FAIL();
  fputs(baseline, fp);
  fclose(fp);
  if (dy_store_alignments_load(f.st, path) < 0 ||
      dy_store_alignments_load(f.st, path) < 0) /* twice: a no-op */
    FAIL();
  /* accession waves: AAA-CCC from 2010 to 2012 only */
  if (sql_int(&f, "SELECT count(*) FROM alignments WHERE a = 'AAA' AND "
                  "b = 'CCC' AND start = '2010-01-01' AND end = "
                  "'2012-01-01'") != 1 ||
      sql_int(&f, "SELECT count(*) FROM alignments") != 4)
    FAIL();
  if (put(&f, pact, "pact.txt", NULL, NULL) < 0)
    FAIL();
  memset(&p, 0, sizeof p);
  if (dy_store_alignments(f.st, "2024-06-20", "PRK", add_partner, &p) < 0 ||
      strcmp(p.list, "CHN,RUS,") != 0 || strlen(p.evidence) != 64)
    FAIL();
  memset(&p, 0, sizeof p);
  if (dy_store_alignments(f.st, "2024-06-01", "PRK", add_partner, &p) < 0 ||
      strcmp(p.list, "CHN,") != 0)
    FAIL();
  memset(&p, 0, sizeof p);
  if (dy_store_alignments(f.st, "2011-01-01", "CCC", add_partner, &p) < 0 ||
      strcmp(p.list, "AAA,BBB,") != 0)
    FAIL();
  memset(&p, 0, sizeof p);
  if (dy_store_alignment_changes(f.st, "2011-06-01", "2024-12-31", NULL,
                                 add_partner, &p) < 0 ||
      strcmp(p.list, "endedCCC,endedCCC,startedRUS,") != 0)
    FAIL();
  /* a second report of the pact renews the edge, it does not add one */
  if (put(&f, korea_trade, "later.txt", NULL, NULL) < 0 ||
      sql_int(&f, "SELECT count(*) FROM alignments WHERE origin = "
                  "'event'") != 1)
    FAIL();
  if (dy_store_alignments(f.st, "2024-06-20", NULL, add_partner, &p) < 0 ||
      dy_store_alignments(f.st, "bad", NULL, add_partner, &p) != DY_EINVAL)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_alignments_bad_file(void)
{
  static const struct {
    const char *text; /* file content */
    const char *want; /* in the message */
  } cases[] = {
      {"alliance\tX\tAAA,BBB\t2000-01-01\t\n", ":1: want 6"},
      {"# c\nfriendship\tX\tAAA,BBB\t2000-01-01\t\tn\n", ":2: bad kind"},
      {"alliance\tX\tAA,BBB\t2000-01-01\t\tn\n", "3-letter"},
      {"alliance\tX\tAAA,BBB\t2000-13-01\t\tn\n", "bad start"},
      {"alliance\tX\tAAA,BBB\t2000-01-01\t1999-01-01\tn\n", "before"},
      {"alliance\tX\tAAA,BBB\t2000-01-01\t\t\xff\n", "UTF-8"},
  };
  fixture f;
  char path[128];
  size_t i;
  int ok = 0;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  snprintf(path, sizeof path, "%s.tsv", f.db);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    FILE *fp = fopen(path, "w");
    int rc;
    if (fp == NULL)
      FAIL();
    fputs(cases[i].text, fp);
    fclose(fp);
    rc = dy_store_alignments_load(f.st, path);
    if (rc != DY_EFORMAT ||
        strstr(dy_store_errmsg(f.st), cases[i].want) == NULL) {
      fprintf(stderr, "  case %zu: rc %d: %s\n", i, rc, dy_store_errmsg(f.st));
      FAIL();
    }
  }
  if (dy_store_alignments_load(f.st, "/nonexistent/x.tsv") != DY_ENOENT ||
      sql_int(&f, "SELECT count(*) FROM alignments") != 0)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

/* Output of an export, kept whole. */
static int keep(const char *p, size_t n, void *ud)
{
  return dy_buf_append(ud, p, n) < 0;
}

/* Tab-separated field k (0-based) of line; "" when missing. */
static void field(const char *line, int k, char *out, size_t cap)
{
  const char *p = line, *e;
  size_t n;
  while (k-- > 0 && p) {
    p = strchr(p, '\t');
    if (p)
      p++;
  }
  out[0] = '\0';
  if (p == NULL)
    return;
  e = p + strcspn(p, "\t\n");
  n = (size_t)(e - p) < cap - 1 ? (size_t)(e - p) : cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

void test_store_export_layouts(void)
{
  fixture f;
  dy_buf b;
  rows all;
  const char *p;
  char v[128];
  int ok = 0, nlines = 0, i;
  dy_buf_init(&b, 0);
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, pact, "pact.txt", "https://a.example/p", NULL) < 0 ||
      put(&f, pact, "pact2.txt", "https://b.example/p", NULL) < 0 ||
      put(&f, talks, "talks.txt", NULL, NULL) < 0 || query(&f, NULL, &all) < 0)
    FAIL();
  if (dy_store_export(f.st, NULL, DY_EXPORT_GDELT, keep, &b) < 0)
    FAIL();
  /* 61 columns a line, in the query's order, with its values */
  for (p = b.p; p && *p; p = strchr(p, '\n') + 1, nlines++) {
    int tabs = 0;
    const char *q;
    for (q = p; *q != '\n'; q++)
      tabs += *q == '\t';
    CHECK_EQ_INT(tabs + 1, DY_GDELT_EVENT_COLUMNS);
    CHECK(nlines < all.n);
    field(p, 0, v, sizeof v);
    CHECK_EQ_INT(strtol(v, NULL, 10), all.id[nlines]);
    field(p, 5, v, sizeof v);
    CHECK_EQ_STR(v, all.source[nlines]);
    field(p, 26, v, sizeof v);
    CHECK_EQ_STR(v, all.code[nlines]);
    field(p, 31, v, sizeof v);
    CHECK_EQ_INT(strtol(v, NULL, 10), all.mentions[nlines]);
    field(p, 33, v, sizeof v);
    CHECK_EQ_INT(strtol(v, NULL, 10), all.articles[nlines]);
    field(p, 1, v, sizeof v);
    CHECK(strlen(v) == 8 && strncmp(v, all.date[nlines], 4) == 0);
    field(p, 60, v, sizeof v);
    CHECK(strncmp(v, "https://a.example/p", 19) == 0 ||
          strcmp(v, "talks.txt") == 0);
  }
  CHECK_EQ_INT(nlines, all.n);
  /* mentions: 16 columns, one line per mention */
  dy_buf_reset(&b);
  if (dy_store_export(f.st, NULL, DY_EXPORT_MENTIONS, keep, &b) < 0)
    FAIL();
  nlines = 0;
  for (p = b.p; p && *p; p = strchr(p, '\n') + 1, nlines++) {
    int tabs = 0;
    const char *q;
    for (q = p; *q != '\n'; q++)
      tabs += *q == '\t';
    CHECK_EQ_INT(tabs + 1, DY_GDELT_MENTION_COLUMNS);
    field(p, 4, v, sizeof v);
    CHECK(strcmp(v, "a.example") == 0 || strcmp(v, "b.example") == 0 ||
          strcmp(v, "dyad test") == 0 || v[0] == '\0');
    field(p, 6, v, sizeof v);
    CHECK(strtol(v, NULL, 10) >= 1); /* 1-based sentence */
  }
  for (i = 0; i < all.n; i++)
    nlines -= (int)all.mentions[i];
  CHECK_EQ_INT(nlines, 0);
  /* CSV has a header and one record per event; JSONL one object each */
  dy_buf_reset(&b);
  if (dy_store_export(f.st, NULL, DY_EXPORT_CSV, keep, &b) < 0 ||
      strncmp(b.p, "id,date,source,", 15) != 0)
    FAIL();
  dy_buf_reset(&b);
  if (dy_store_export(f.st, NULL, DY_EXPORT_JSONL, keep, &b) < 0 ||
      strncmp(b.p, "{\"id\":", 6) != 0 ||
      dy_store_export(f.st, NULL, 9, keep, &b) != DY_EINVAL)
    FAIL();
  ok = 1;
out:
  dy_buf_fini(&b);
  fixture_fini(&f);
  CHECK(ok);
}

typedef struct hits {
  int n;       /* rows */
  long id[16]; /* article ids in order */
  double score[16];
} hits;

static int add_hit(const dy_article_row *r, void *ud)
{
  hits *h = ud;
  if (h->n < 16) {
    h->id[h->n] = r->id;
    h->score[h->n] = r->score;
  }
  h->n++;
  return 0;
}

void test_store_search_similar(void)
{
  fixture f;
  hits h;
  dy_buf terms;
  long id;
  int ok = 0;
  dy_buf_init(&terms, 0);
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, pact, "pact.txt", NULL, NULL) < 0 ||
      put(&f, talks, "talks.txt", NULL, NULL) < 0 ||
      put(&f, korea_trade, "trade.txt", NULL, NULL) < 0)
    FAIL();
  memset(&h, 0, sizeof h);
  if (dy_store_search(f.st, "kim", 10, 0, add_hit, &h) < 0 || h.n != 2)
    FAIL();
  memset(&h, 0, sizeof h);
  if (dy_store_search(f.st, "\"farm subsidies\"", 10, 0, add_hit, &h) < 0 ||
      h.n != 1 || h.id[0] != 2)
    FAIL();
  if (dy_store_search(f.st, "\"unclosed", 10, 0, add_hit, &h) != DY_EINVAL)
    FAIL();
  /* more like this: the trade story before the Paris talks; the copy is
   * left out unless asked for */
  if (dy_store_article_id(f.st, "1", &id) < 0 || id != 1)
    FAIL();
  memset(&h, 0, sizeof h);
  if (dy_store_similar(f.st, 1, NULL, add_hit, &h, &terms) < 0 || h.n < 1 ||
      h.id[0] != 3 || terms.n == 0) {
    fprintf(stderr, "  similar: %d hits, first %ld, terms %s\n", h.n, h.id[0],
            terms.p ? terms.p : "");
    FAIL();
  }
  if (put(&f, pact_copy, "copy.txt", NULL, NULL) < 0)
    FAIL();
  {
    dy_similar_opts o;
    memset(&o, 0, sizeof o);
    o.include_dups = 1;
    o.actor_weight = -1;
    memset(&h, 0, sizeof h);
    if (dy_store_similar(f.st, 1, &o, add_hit, &h, NULL) < 0 || h.n < 2 ||
        h.id[0] != 4)
      FAIL();
  }
  if (dy_store_similar(f.st, 99, NULL, add_hit, &h, NULL) != DY_ENOENT ||
      dy_store_article_id(f.st, "zz", &id) != DY_EINVAL)
    FAIL();
  ok = 1;
out:
  dy_buf_fini(&terms);
  fixture_fini(&f);
  CHECK(ok);
}

typedef struct periods {
  int n;          /* rows */
  char p[8][12];  /* periods */
  long events[8]; /* counts */
  double sum[8];  /* Goldstein sums */
} periods;

static int add_period(const dy_series_row *r, void *ud)
{
  periods *s = ud;
  if (s->n < 8) {
    snprintf(s->p[s->n], sizeof s->p[0], "%s", r->period);
    s->events[s->n] = r->events;
    s->sum[s->n] = r->goldstein_sum;
  }
  s->n++;
  return 0;
}

void test_store_series(void)
{
  fixture f;
  dy_series_opts o;
  periods s;
  rows all;
  dy_query q;
  int ok = 0;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, pact, "pact.txt", NULL, NULL) < 0 ||
      put(&f, korea_trade, "trade.txt", NULL, NULL) < 0)
    FAIL();
  memset(&o, 0, sizeof o);
  o.a = "RUS";
  o.b = "PRK";
  o.by = DY_BY_MONTH;
  memset(&s, 0, sizeof s);
  if (dy_store_series(f.st, &o, add_period, &s) < 0 || s.n < 1 ||
      strcmp(s.p[0], "2024-06") != 0 || s.events[0] < 1 || s.sum[0] < 8.0)
    FAIL();
  /* the series counts what the query finds for the same dyad */
  memset(&q, 0, sizeof q);
  q.source = "RUS";
  q.target = "PRK";
  q.from = "2024-06-01";
  q.to = "2024-06-30";
  if (query(&f, &q, &all) < 0 || all.n != s.events[0])
    FAIL();
  o.by = DY_BY_WEEK;
  memset(&s, 0, sizeof s);
  if (dy_store_series(f.st, &o, add_period, &s) < 0 ||
      strcmp(s.p[0], "2024-06-17") != 0) /* the Monday */
    FAIL();
  o.by = DY_BY_DAY;
  o.from = "2025-01-01";
  memset(&s, 0, sizeof s);
  if (dy_store_series(f.st, &o, add_period, &s) < 0 || s.n != 0)
    FAIL();
  o.from = "2025-13-01";
  if (dy_store_series(f.st, &o, add_period, &s) != DY_EINVAL)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

void test_store_paging_filters(void)
{
  fixture f;
  dy_query q;
  rows all, page, sub;
  int ok = 0, i, off;
  if (fixture_init(&f, 1) < 0)
    FAIL();
  if (put(&f, pact, "pact.txt", NULL, NULL) < 0 ||
      put(&f, talks, "talks.txt", NULL, NULL) < 0 ||
      put(&f, korea_trade, "trade.txt", NULL, NULL) < 0 ||
      query(&f, NULL, &all) < 0 || all.n < 3)
    FAIL();
  /* pages of 2 put back together are the whole list, in order */
  for (off = 0; off < all.n; off += 2) {
    memset(&q, 0, sizeof q);
    q.limit = 2;
    q.offset = off;
    if (query(&f, &q, &page) < 0 || page.n > 2)
      FAIL();
    for (i = 0; i < page.n; i++)
      if (page.id[i] != all.id[off + i])
        FAIL();
  }
  /* either-side actor = source OR target */
  memset(&q, 0, sizeof q);
  q.actor = "PRK";
  if (query(&f, &q, &sub) < 0 || sub.n == 0 || sub.n >= all.n)
    FAIL();
  memset(&q, 0, sizeof q);
  q.country = "PRK";
  if (query(&f, &q, &page) < 0 || page.n != sub.n)
    FAIL();
  memset(&q, 0, sizeof q);
  q.text = "farm";
  if (query(&f, &q, &page) < 0 || page.n == 0)
    FAIL();
  for (i = 0; i < page.n; i++)
    if (strncmp(page.date[i], "2024-03", 7) != 0)
      FAIL();
  q.text = "\"bad";
  if (dy_store_query(f.st, &q, collect, &page) != DY_EINVAL)
    FAIL();
  memset(&q, 0, sizeof q);
  q.quad = 1;
  if (query(&f, &q, &page) < 0)
    FAIL();
  q.quad = 9;
  if (dy_store_query(f.st, &q, collect, &page) != DY_EINVAL)
    FAIL();
  memset(&q, 0, sizeof q);
  q.min_mentions = 2;
  if (query(&f, &q, &page) < 0 || page.n != 0)
    FAIL();
  ok = 1;
out:
  fixture_fini(&f);
  CHECK(ok);
}

static int count_saved(const char *name, const char *params,
                       const char *created, void *ud)
{
  (void)name;
  (void)params;
  (void)created;
  ++*(int *)ud;
  return 0;
}

void test_store_saved_queries(void)
{
  fixture f;
  dy_query q, back;
  dy_buf storage;
  int ok = 0, n = 0;
  dy_buf_init(&storage, 0);
  if (fixture_init(&f, 1) < 0)
    FAIL();
  memset(&q, 0, sizeof q);
  q.source = "RUS";
  q.code = "05";
  q.text = "pact & \"defense\"=x";
  q.quad = 1;
  q.limit = 5;
  if (dy_store_saved_put(f.st, "pacts", &q) < 0 ||
      dy_store_saved_put(f.st, "pacts", &q) < 0 ||
      dy_store_saved_get(f.st, "pacts", &back, &storage) < 0)
    FAIL();
  if (strcmp(back.source, "RUS") != 0 || strcmp(back.code, "05") != 0 ||
      strcmp(back.text, q.text) != 0 || back.quad != 1 || back.limit != 5 ||
      back.target != NULL)
    FAIL();
  if (dy_store_saved_list(f.st, count_saved, &n) < 0 || n != 1)
    FAIL();
  if (dy_store_saved_delete(f.st, "pacts") < 0 ||
      dy_store_saved_delete(f.st, "pacts") != DY_ENOENT ||
      dy_store_saved_get(f.st, "pacts", &back, &storage) != DY_ENOENT ||
      dy_store_saved_put(f.st, "", &q) != DY_EINVAL)
    FAIL();
  ok = 1;
out:
  dy_buf_fini(&storage);
  fixture_fini(&f);
  CHECK(ok);
}
