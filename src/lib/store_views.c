/* SPDX-License-Identifier: MIT */
/* The store's derived views over the tables store.c fills: full-text search
 * (FTS5), "more like this" (tf-idf terms from the FTS5 vocabulary plus
 * shared actors), dyad time series, the alignment graph (baseline file +
 * evidence from coded events), GDELT 2.0 / JSONL / CSV exports and saved
 * queries. Every user value reaches SQLite as a bound parameter. */
#include "store_int.h"

#include "dyad/read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define db_fail  dy__store_fail
#define col_text dy__col_text

/* ==== small helpers ====================================================== */

static int prepare(dy_store *s, const char *sql, sqlite3_stmt **st)
{
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
    *st = NULL;
    return db_fail(s, "cannot prepare a statement");
  }
  return DY_OK;
}

static sqlite3_int64 scalar_int(dy_store *s, const char *sql)
{
  sqlite3_stmt *st = NULL;
  sqlite3_int64 v = 0;
  if (prepare(s, sql, &st) == DY_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* dy_store_sql callbacks: copy the first column (NULL = "") into a buffer;
 * count rows. */
static int first_col(const char *const *v, int n, void *ud)
{
  dy_buf *b = ud;
  dy_buf_reset(b);
  dy_buf_puts(b, n > 0 && v[0] ? v[0] : "");
  dy_buf_putc(b, '\0');
  return 0;
}

static int count_rows(const char *const *v, int n, void *ud)
{
  (void)v;
  (void)n;
  ++*(long *)ud;
  return 0;
}

/* ==== articles and full-text search ===================================== */

int dy_store_article_id(dy_store *s, const char *ref, long *id)
{
  sqlite3_stmt *st = NULL;
  size_t i, n = ref ? strlen(ref) : 0;
  int alldig = n > 0, rc, step, found = 0;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_article_id(s, ref, id);
  *id = 0;
  for (i = 0; i < n; i++)
    if (!dy_isdigit(ref[i]))
      alldig = 0;
  if (alldig && n < 12) {
    rc = prepare(s, "SELECT id FROM articles WHERE id = ?1", &st);
    if (rc < 0)
      return rc;
    sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
  } else {
    if (n < 6 || n > 64)
      return dy_err_set(&s->err, DY_EINVAL,
                        "bad article reference \"%.70s\": an id or at least "
                        "6 hex digits of its hash",
                        ref ? ref : "");
    rc = prepare(s,
                 "SELECT id FROM articles WHERE hash >= ?1 AND hash < ?1 || "
                 "char(127) ORDER BY id LIMIT 2",
                 &st);
    if (rc < 0)
      return rc;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
  }
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (found == 0)
      *id = (long)sqlite3_column_int64(st, 0);
    found++;
  }
  sqlite3_finalize(st);
  if (step != SQLITE_DONE)
    return db_fail(s, "cannot look up the article");
  if (found == 0)
    return dy_err_set(&s->err, DY_ENOENT, "no article %.70s", ref);
  if (found > 1)
    return dy_err_set(&s->err, DY_ENOENT,
                      "article reference %.70s is ambiguous", ref);
  return DY_OK;
}

static void article_row_fill(sqlite3_stmt *st, dy_article_row *r)
{
  memset(r, 0, sizeof *r);
  r->id = (long)sqlite3_column_int64(st, 0);
  r->hash = col_text(st, 1);
  r->name = col_text(st, 2);
  r->url = col_text(st, 3);
  r->headline = col_text(st, 4);
  r->date = col_text(st, 5);
  r->dup_of = (long)sqlite3_column_int64(st, 6);
  r->dup_kind = col_text(st, 7);
  r->snippet = "";
}

#define ARTICLE_COLS                                                           \
  "a.id, a.hash, a.name, a.url, a.headline, a.date, ifnull(a.dup_of, 0), "     \
  "a.dup_kind"
#define ARTICLE_COLS_PORTABLE                                                  \
  "a.id, a.hash, a.name, a.url, a.headline, a.date, coalesce(a.dup_of, 0), "   \
  "a.dup_kind"

int dy_store_search(dy_store *s, const char *query, long limit, long offset,
                    dy_article_fn fn, void *ud)
{
  sqlite3_stmt *st = NULL;
  int rc, step;
  dy_err_clear(&s->err);
  if (s->pg)
    return dy__pg_search(s, query, limit, offset, fn, ud);
  if (query == NULL || *query == '\0')
    return dy_err_set(&s->err, DY_EINVAL, "empty search query");
  rc = prepare(s,
               "SELECT " ARTICLE_COLS ", -bm25(articles_fts, 2.0, 1.0), "
               "snippet(articles_fts, 1, '[', ']', '...', 12) "
               "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
               "WHERE articles_fts MATCH ?1 "
               "ORDER BY bm25(articles_fts, 2.0, 1.0), a.id LIMIT ?2 OFFSET ?3",
               &st);
  if (rc < 0)
    return rc;
  sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, limit > 0 ? limit : 20);
  sqlite3_bind_int64(st, 3, offset > 0 ? offset : 0);
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    dy_article_row r;
    article_row_fill(st, &r);
    r.score = sqlite3_column_double(st, 8);
    r.snippet = col_text(st, 9);
    if (fn(&r, ud) != 0)
      break;
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    rc = dy_err_set(&s->err, DY_EINVAL, "bad search query: %s",
                    sqlite3_errmsg(s->db));
  sqlite3_finalize(st);
  return rc;
}

/* ==== more like this ===================================================== */

/* A small open-addressing map from a key (term bytes, or an article id
 * rendered as 8 bytes) to a slot of doubles. */
typedef struct mlt_ent {
  char *key;        /* owned copy, NULL = empty slot */
  size_t n;         /* key bytes */
  double a, b;      /* term: tf, weight; candidate: term score, matches */
  sqlite3_int64 id; /* candidate id */
} mlt_ent;

typedef struct mlt_map {
  mlt_ent *e;  /* slots */
  size_t cap;  /* power of two */
  size_t used; /* filled slots */
  int failed;  /* out of memory */
} mlt_map;

static void map_fini(mlt_map *m)
{
  size_t i;
  for (i = 0; i < m->cap; i++)
    dy_free(m->e[i].key);
  dy_free(m->e);
  memset(m, 0, sizeof *m);
}

static mlt_ent *map_get(mlt_map *m, const char *k, size_t n)
{
  size_t i, mask;
  uint64_t h;
  if (m->used * 2 >= m->cap) {
    size_t ncap = m->cap ? m->cap * 2 : 256, j;
    mlt_ent *ne = dy_calloc(ncap, sizeof *ne);
    if (ne == NULL) {
      m->failed = 1;
      return NULL;
    }
    for (j = 0; j < m->cap; j++) {
      if (m->e[j].key == NULL)
        continue;
      h = dy_hash64(m->e[j].key, m->e[j].n);
      for (i = h & (ncap - 1); ne[i].key; i = (i + 1) & (ncap - 1))
        ;
      ne[i] = m->e[j];
    }
    dy_free(m->e);
    m->e = ne;
    m->cap = ncap;
  }
  mask = m->cap - 1;
  h = dy_hash64(k, n);
  for (i = h & mask; m->e[i].key; i = (i + 1) & mask)
    if (m->e[i].n == n && memcmp(m->e[i].key, k, n) == 0)
      return &m->e[i];
  m->e[i].key = dy_strndup(k, n);
  if (m->e[i].key == NULL) {
    m->failed = 1;
    return NULL;
  }
  m->e[i].n = n;
  m->used++;
  return &m->e[i];
}

/* English function words: never query terms. */
static int is_stopword(const char *p, size_t n)
{
  static const char *const words[] = {
      "the",    "and",   "for",   "that",  "with",   "was",  "were",  "are",
      "has",    "have",  "had",   "his",   "her",    "its",  "their", "they",
      "this",   "these", "those", "from",  "but",    "not",  "which", "who",
      "whom",   "will",  "would", "could", "should", "said", "says",  "also",
      "been",   "being", "than",  "then",  "there",  "into", "over",  "after",
      "before", "about", "more",  "most",  "other",  "some", "such",  "only",
      "one",    "two",   "new",   "can",   "may",    "all",  "any",   "our",
      "out",    "what",  "when",  "where", "while",  "you",  "she",   "him",
      "them",   "per",   "via",   "did",   "does",   "под"};
  size_t i;
  for (i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strlen(words[i]) == n && memcmp(words[i], p, n) == 0)
      return 1;
  return 0;
}

typedef struct tok_ctx {
  mlt_map *terms; /* term -> tf */
  size_t ntok;    /* tokens seen */
} tok_ctx;

static int on_token(void *ud, int flags, const char *tok, int n, int start,
                    int end)
{
  tok_ctx *c = ud;
  mlt_ent *e;
  int i, digits = 0;
  (void)flags;
  (void)start;
  (void)end;
  if (n < 3 || n > 64 || c->ntok >= 200000)
    return SQLITE_OK;
  c->ntok++;
  for (i = 0; i < n; i++)
    digits += dy_isdigit(tok[i]) ? 1 : 0;
  if (digits == n || is_stopword(tok, (size_t)n))
    return SQLITE_OK;
  e = map_get(c->terms, tok, (size_t)n);
  if (e == NULL)
    return SQLITE_NOMEM;
  e->a += 1;
  return SQLITE_OK;
}

/* Tokenizes text with FTS5's own tokenizer (the one the index uses), so the
 * query terms are the index's terms. */
static int fts_terms(dy_store *s, const char *text, size_t n, mlt_map *terms)
{
  fts5_api *api = NULL;
  fts5_tokenizer tk;
  Fts5Tokenizer *t = NULL;
  void *tud = NULL;
  sqlite3_stmt *st = NULL;
  const char *args[] = {"remove_diacritics", "2"};
  tok_ctx c;
  int rc;
  if (prepare(s, "SELECT fts5(?1)", &st) < 0)
    return DY_EDB;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (api == NULL ||
      api->xFindTokenizer(api, "unicode61", &tud, &tk) != SQLITE_OK)
    return dy_err_set(&s->err, DY_EDB, "FTS5 is not available");
  if (tk.xCreate(tud, args, 2, &t) != SQLITE_OK)
    return dy_err_set(&s->err, DY_EDB, "cannot create the FTS5 tokenizer");
  c.terms = terms;
  c.ntok = 0;
  rc = tk.xTokenize(t, &c, FTS5_TOKENIZE_DOCUMENT, text,
                    n > (size_t)1 << 30 ? 1 << 30 : (int)n, on_token);
  tk.xDelete(t);
  if (rc != SQLITE_OK || terms->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  return DY_OK;
}

typedef struct qterm {
  const char *term; /* borrowed from the term map */
  size_t n;         /* bytes */
  double w;         /* tf-idf weight */
} qterm;

static int qterm_cmp(const void *x, const void *y)
{
  const qterm *a = x, *b = y;
  size_t m;
  int c;
  if (a->w != b->w)
    return a->w < b->w ? 1 : -1;
  m = a->n < b->n ? a->n : b->n;
  c = memcmp(a->term, b->term, m);
  return c ? c : (a->n < b->n ? -1 : a->n > b->n);
}

typedef struct cand {
  sqlite3_int64 id; /* article id */
  double terms;     /* term score */
  long nmatch;      /* query terms held */
  long actors;      /* shared actor countries */
  double score;     /* final score */
} cand;

static int cand_cmp(const void *x, const void *y)
{
  const cand *a = x, *b = y;
  if (a->score != b->score)
    return a->score < b->score ? 1 : -1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static int cand_terms_cmp(const void *x, const void *y)
{
  const cand *a = x, *b = y;
  if (a->terms != b->terms)
    return a->terms < b->terms ? 1 : -1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Distinct actor countries of an article's events as ",PRK,RUS,". */
typedef struct ctry_ctx {
  char *out;  /* the list */
  size_t n;   /* bytes used */
  size_t cap; /* bytes available */
} ctry_ctx;

static int ctry_row(const char *const *v, int nv, void *ud)
{
  ctry_ctx *c = ud;
  const char *x = nv > 0 && v[0] ? v[0] : "";
  size_t k = strlen(x);
  if (k == 0 || c->n + k + 2 >= c->cap)
    return 0;
  memcpy(c->out + c->n, x, k);
  c->n += k;
  c->out[c->n++] = ',';
  c->out[c->n] = '\0';
  return 0;
}

static int article_countries(dy_store *s, sqlite3_int64 id, char *out,
                             size_t cap)
{
  ctry_ctx c = {out, 1, cap};
  char num[32];
  const char *v[1];
  out[0] = ',';
  out[1] = '\0';
  snprintf(num, sizeof num, "%lld", (long long)id);
  v[0] = num;
  return dy_store_sql(
      s,
      "SELECT c FROM (SELECT e.source_country AS c FROM mentions m "
      "JOIN events e ON e.id = m.event_id WHERE m.article_id = "
      "CAST(?1 AS INTEGER) UNION SELECT e.target_country FROM mentions m "
      "JOIN events e ON e.id = m.event_id WHERE m.article_id = "
      "CAST(?1 AS INTEGER)) x WHERE c IS NOT NULL AND c <> '' ORDER BY c",
      v, 1, ctry_row, &c);
}

/* PostgreSQL's side of "more like this" (docs/SCALE.md): its terms are
 * the lexemes of the article's tsvector (the 'simple' configuration),
 * their document frequencies and postings come from the GIN index, and
 * each posting is scored with ts_rank instead of bm25. */

/* A text[] literal of the keys of the entries (NUL-free terms). */
static void pg_array(dy_buf *b, const qterm *qt, size_t n)
{
  size_t i, j;
  dy_buf_putc(b, '{');
  for (i = 0; i < n; i++) {
    dy_buf_puts(b, i ? ",\"" : "\"");
    for (j = 0; j < qt[i].n; j++) {
      if (qt[i].term[j] == '"' || qt[i].term[j] == '\\')
        dy_buf_putc(b, '\\');
      dy_buf_putc(b, qt[i].term[j]);
    }
    dy_buf_putc(b, '"');
  }
  dy_buf_putc(b, '}');
  dy_buf_putc(b, '\0');
}

static int pg_term_row(const char *const *v, int n, void *ud)
{
  mlt_map *terms = ud;
  mlt_ent *e;
  size_t k, i, digits = 0;
  if (n < 2 || v[0] == NULL)
    return 0;
  k = strlen(v[0]);
  if (k < 3 || k > 64 || is_stopword(v[0], k) || strchr(v[0], '\\'))
    return 0;
  /* PostgreSQL's parser keeps general punctuation (U+2000..U+207F: curly
   * quotes, dashes) as words; FTS5's tokenizer does not */
  if ((unsigned char)v[0][0] == 0xE2 &&
      ((unsigned char)v[0][1] == 0x80 || (unsigned char)v[0][1] == 0x81))
    return 0;
  for (i = 0; i < k; i++)
    digits += dy_isdigit(v[0][i]) ? 1 : 0;
  if (digits == k)
    return 0;
  e = map_get(terms, v[0], k);
  if (e == NULL)
    return DY_ENOMEM;
  e->a = strtod(v[1] ? v[1] : "0", NULL);
  return 0;
}

static int pg_df_row(const char *const *v, int n, void *ud)
{
  mlt_map *terms = ud;
  mlt_ent *e;
  if (n < 2 || v[0] == NULL)
    return 0;
  e = map_get(terms, v[0], strlen(v[0]));
  if (e == NULL)
    return DY_ENOMEM;
  e->b = strtod(v[1] ? v[1] : "0", NULL);
  return 0;
}

typedef struct post_ctx {
  mlt_map *cands;  /* candidate id -> term score, matches */
  const qterm *qt; /* the query terms */
  size_t nq;       /* their number */
} post_ctx;

static int pg_post_row(const char *const *v, int n, void *ud)
{
  post_ctx *c = ud;
  sqlite3_int64 cid;
  long k;
  mlt_ent *e;
  if (n < 3 || !v[0] || !v[1] || !v[2])
    return 0;
  cid = strtoll(v[0], NULL, 10);
  k = strtol(v[1], NULL, 10) - 1;
  if (k < 0 || (size_t)k >= c->nq)
    return 0;
  e = map_get(c->cands, (const char *)&cid, sizeof cid);
  if (e == NULL)
    return DY_ENOMEM;
  e->id = cid;
  e->a += c->qt[k].w / c->qt[0].w * strtod(v[2], NULL);
  e->b += 1;
  return 0;
}

typedef struct art_ctx {
  dy_article_row r; /* the row, strings borrowed */
  int found;        /* a row came */
  char buf[2048];   /* copies of the strings */
} art_ctx;

static int pg_article_row(const char *const *v, int n, void *ud)
{
  art_ctx *c = ud;
  size_t off = 0;
  const char **dst[6];
  int i;
  if (n < 8)
    return 0;
  memset(&c->r, 0, sizeof c->r);
  c->r.id = strtol(v[0] ? v[0] : "0", NULL, 10);
  c->r.dup_of = strtol(v[6] ? v[6] : "0", NULL, 10);
  dst[0] = &c->r.hash;
  dst[1] = &c->r.name;
  dst[2] = &c->r.url;
  dst[3] = &c->r.headline;
  dst[4] = &c->r.date;
  dst[5] = &c->r.dup_kind;
  for (i = 0; i < 6; i++) {
    const char *x = v[i == 5 ? 7 : i + 1] ? v[i == 5 ? 7 : i + 1] : "";
    int w = snprintf(c->buf + off, sizeof c->buf - off, "%s", x);
    *dst[i] = c->buf + off;
    off += w < 0 ? 0 : (size_t)w + 1;
    if (off >= sizeof c->buf)
      off = sizeof c->buf - 1;
  }
  c->r.snippet = "";
  c->found = 1;
  return 0;
}

/* Countries of list q (",A,B,") also in list c. */
static long shared_countries(const char *q, const char *c)
{
  long n = 0;
  const char *p = q;
  while (p[0] == ',' && p[1]) {
    const char *e = strchr(p + 1, ',');
    char one[32];
    size_t k;
    if (e == NULL)
      break;
    k = (size_t)(e - p) + 1; /* ",XXX," */
    if (k < sizeof one) {
      memcpy(one, p, k);
      one[k] = '\0';
      if (strstr(c, one))
        n++;
    }
    p = e;
  }
  return n;
}

#define MLT_ACTOR_CANDIDATES 200 /* candidates whose actors are compared */

int dy_store_similar(dy_store *s, long id, const dy_similar_opts *o,
                     dy_article_fn fn, void *ud, dy_buf *terms_out)
{
  static const dy_similar_opts defaults = {10, 25, 0.1, 0.5, 0};
  sqlite3_stmt *st = NULL, *cst = NULL;
  mlt_map terms, cands;
  qterm *qt = NULL;
  cand *cv = NULL;
  size_t nq = 0, i, nc = 0;
  long ndocs, need;
  sqlite3_int64 dup_of = 0;
  char qc[512], cc[512];
  double wmax, best = 0;
  int rc, k, max_terms, step;
  double min_match, aw;
  dy_err_clear(&s->err);
  memset(&terms, 0, sizeof terms);
  memset(&cands, 0, sizeof cands);
  if (o == NULL)
    o = &defaults;
  k = o->k > 0 ? o->k : 10;
  max_terms = o->max_terms > 0 ? o->max_terms : 25;
  min_match = o->min_match > 0 ? o->min_match : 0.1;
  aw = o->actor_weight >= 0 ? o->actor_weight : 0.5;
  /* the article */
  if (s->pg) {
    art_ctx *ac = dy_calloc(1, sizeof *ac);
    char num[32];
    const char *v[1];
    if (ac == NULL) {
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
      goto out;
    }
    snprintf(num, sizeof num, "%ld", id);
    v[0] = num;
    rc = dy_store_sql(s,
                      "SELECT " ARTICLE_COLS_PORTABLE
                      " FROM articles a WHERE a.id = CAST(?1 AS INTEGER)",
                      v, 1, pg_article_row, ac);
    if (rc == DY_OK && !ac->found)
      rc = dy_err_set(&s->err, DY_ENOENT, "no article %ld", id);
    dup_of = ac->r.dup_of;
    dy_free(ac);
    if (rc == DY_OK)
      rc = dy_store_sql(s,
                        "SELECT word, nentry FROM ts_stat(format('SELECT tsv "
                        "FROM articles WHERE id = %s', CAST(?1 AS BIGINT)))",
                        v, 1, pg_term_row, &terms);
    if (rc == DY_OK && terms.failed)
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    if (rc < 0)
      goto out;
    goto weights;
  }
  rc = prepare(s,
               "SELECT ifnull(headline, '') || char(10) || ifnull(body, ''), "
               "ifnull(dup_of, 0) FROM articles WHERE id = ?1",
               &st);
  if (rc < 0)
    goto out;
  sqlite3_bind_int64(st, 1, id);
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = dy_err_set(&s->err, DY_ENOENT, "no article %ld", id);
    goto out;
  }
  dup_of = sqlite3_column_int64(st, 1);
  rc = fts_terms(s, col_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                 &terms);
  sqlite3_finalize(st);
  st = NULL;
  if (rc < 0)
    goto out;
weights:
  /* weights: (1 + ln tf) * idf with document frequencies from the FTS5
   * vocabulary; terms in this article only are dropped (they find nothing;
   * Lucene's minDocFreq) and terms in more than half of a corpus of 20 or
   * more articles too (maxDocFreq) */
  if (s->pg) {
    dy_buf cnt;
    dy_buf_init(&cnt, 0);
    rc = dy_store_sql(s, "SELECT count(*) FROM articles", NULL, 0, first_col,
                      &cnt);
    ndocs = rc == DY_OK && cnt.p ? strtol(cnt.p, NULL, 10) : 0;
    dy_buf_fini(&cnt);
    if (rc < 0)
      goto out;
  } else {
    ndocs = (long)scalar_int(s, "SELECT count(*) FROM articles");
  }
  qt = dy_calloc(terms.used + 1, sizeof *qt);
  if (qt == NULL) {
    rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    goto out;
  }
  if (s->pg) {
    /* every term's document frequency in one statement (GIN probes) */
    dy_buf arr;
    const char *v[1];
    for (i = 0; i < terms.cap; i++)
      if (terms.e[i].key) {
        qt[nq].term = terms.e[i].key;
        qt[nq++].n = terms.e[i].n;
      }
    dy_buf_init(&arr, 0);
    pg_array(&arr, qt, nq);
    nq = 0;
    v[0] = arr.p;
    rc = arr.failed ? dy_err_set(&s->err, DY_ENOMEM, "out of memory")
                    : dy_store_sql(s,
                                   "SELECT t, (SELECT count(*) FROM articles "
                                   "WHERE tsv @@ quote_literal(t)::tsquery) "
                                   "FROM unnest(CAST(?1 AS TEXT[])) t",
                                   v, 1, pg_df_row, &terms);
    dy_buf_fini(&arr);
    if (rc < 0)
      goto out;
  } else {
    rc = prepare(s, "SELECT doc FROM articles_vocab WHERE term = ?1", &st);
    if (rc < 0)
      goto out;
  }
  for (i = 0; i < terms.cap; i++) {
    mlt_ent *e = &terms.e[i];
    long df = 0;
    if (e->key == NULL)
      continue;
    if (s->pg) {
      df = (long)e->b;
    } else {
      sqlite3_reset(st);
      sqlite3_bind_text(st, 1, e->key, (int)e->n, SQLITE_STATIC);
      if (sqlite3_step(st) == SQLITE_ROW)
        df = (long)sqlite3_column_int64(st, 0);
    }
    if (df < 2 || (ndocs >= 20 && df * 2 > ndocs))
      continue;
    qt[nq].term = e->key;
    qt[nq].n = e->n;
    qt[nq].w =
        (1.0 + log(e->a)) * (1.0 + log((double)ndocs / (double)(df + 1)));
    nq++;
  }
  sqlite3_finalize(st);
  st = NULL;
  qsort(qt, nq, sizeof *qt, qterm_cmp);
  if (nq > (size_t)max_terms)
    nq = (size_t)max_terms;
  if (terms_out)
    for (i = 0; i < nq; i++)
      dy_buf_printf(terms_out, "%s%.*s:%.2f", i ? " " : "", (int)qt[i].n,
                    qt[i].term, qt[i].w);
  if (nq == 0)
    goto out;
  wmax = qt[0].w;
  if (s->pg) {
    /* every term's postings in one statement, scored by ts_rank */
    post_ctx pc = {&cands, qt, nq};
    dy_buf arr;
    char num[32];
    const char *v[2];
    dy_buf_init(&arr, 0);
    pg_array(&arr, qt, nq);
    snprintf(num, sizeof num, "%ld", id);
    v[0] = arr.p;
    v[1] = num;
    rc = arr.failed ? dy_err_set(&s->err, DY_ENOMEM, "out of memory")
                    : dy_store_sql(s,
                                   "SELECT a.id, t.k, ts_rank(a.tsv, "
                                   "quote_literal(t.w)::tsquery) FROM "
                                   "unnest(CAST(?1 AS TEXT[])) WITH ORDINALITY "
                                   "t(w, k) JOIN articles a ON a.tsv @@ "
                                   "quote_literal(t.w)::tsquery WHERE a.id <> "
                                   "CAST(?2 AS BIGINT)",
                                   v, 2, pg_post_row, &pc);
    dy_buf_fini(&arr);
    if (rc == DY_OK && cands.failed)
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    if (rc < 0)
      goto out;
    goto candidates;
  }
  /* candidates: each term's postings, scored by bm25 and boosted */
  rc = prepare(s,
               "SELECT rowid, -bm25(articles_fts) FROM articles_fts "
               "WHERE articles_fts MATCH ?1",
               &st);
  if (rc < 0)
    goto out;
  for (i = 0; i < nq; i++) {
    char phrase[160];
    size_t j, m = 0;
    phrase[m++] = '"';
    for (j = 0; j < qt[i].n && m + 3 < sizeof phrase; j++) {
      if (qt[i].term[j] == '"')
        phrase[m++] = '"';
      phrase[m++] = qt[i].term[j];
    }
    phrase[m++] = '"';
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, phrase, (int)m, SQLITE_TRANSIENT);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
      sqlite3_int64 cid = sqlite3_column_int64(st, 0);
      mlt_ent *e;
      if (cid == id)
        continue;
      e = map_get(&cands, (const char *)&cid, sizeof cid);
      if (e == NULL) {
        rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
        goto out;
      }
      e->id = cid;
      e->a += qt[i].w / wmax * sqlite3_column_double(st, 1);
      e->b += 1;
    }
    if (step != SQLITE_DONE) {
      rc = db_fail(s, "cannot search the index");
      goto out;
    }
  }
  sqlite3_finalize(st);
  st = NULL;
candidates:
  /* minimum should match */
  need = (long)ceil(min_match * (double)nq);
  if (need < 1)
    need = 1;
  cv = dy_calloc(cands.used + 1, sizeof *cv);
  if (cv == NULL) {
    rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
    goto out;
  }
  for (i = 0; i < cands.cap; i++) {
    mlt_ent *e = &cands.e[i];
    if (e->key == NULL || (long)e->b < need)
      continue;
    cv[nc].id = e->id;
    /* coordination: the share of the query terms the candidate holds */
    cv[nc].terms = e->a * e->b / (double)nq;
    cv[nc].nmatch = (long)e->b;
    nc++;
  }
  qsort(cv, nc, sizeof *cv, cand_terms_cmp);
  if (nc > MLT_ACTOR_CANDIDATES)
    nc = MLT_ACTOR_CANDIDATES;
  for (i = 0; i < nc; i++)
    if (cv[i].terms > best)
      best = cv[i].terms;
  /* shared actors: countries of the events each article mentions */
  rc = article_countries(s, id, qc, sizeof qc);
  if (rc < 0)
    goto out;
  {
    long nqc = 0;
    const char *p;
    for (p = qc; *p; p++)
      nqc += *p == ',';
    nqc = nqc > 0 ? nqc - 1 : 0; /* ",A,B," holds two */
    for (i = 0; i < nc; i++) {
      rc = article_countries(s, cv[i].id, cc, sizeof cc);
      if (rc < 0)
        goto out;
      cv[i].actors = nqc ? shared_countries(qc, cc) : 0;
      cv[i].score = (best > 0 ? cv[i].terms / best : 0) +
                    (nqc ? aw * (double)cv[i].actors / (double)nqc : 0);
    }
  }
  qsort(cv, nc, sizeof *cv, cand_cmp);
  if (!s->pg) {
    rc = prepare(s, "SELECT " ARTICLE_COLS " FROM articles a WHERE a.id = ?1",
                 &cst);
    if (rc < 0)
      goto out;
  }
  for (i = 0; i < nc && k > 0; i++) {
    dy_article_row r;
    art_ctx *ac = NULL;
    if (s->pg) {
      char num[32];
      const char *v[1];
      ac = dy_calloc(1, sizeof *ac);
      if (ac == NULL) {
        rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
        goto out;
      }
      snprintf(num, sizeof num, "%lld", (long long)cv[i].id);
      v[0] = num;
      rc = dy_store_sql(s,
                        "SELECT " ARTICLE_COLS_PORTABLE
                        " FROM articles a WHERE a.id = CAST(?1 AS INTEGER)",
                        v, 1, pg_article_row, ac);
      if (rc < 0 || !ac->found) {
        dy_free(ac);
        if (rc < 0)
          goto out;
        continue;
      }
      r = ac->r;
    } else {
      sqlite3_reset(cst);
      sqlite3_bind_int64(cst, 1, cv[i].id);
      if (sqlite3_step(cst) != SQLITE_ROW)
        continue;
      article_row_fill(cst, &r);
    }
    /* copies of the article itself are not "more like this" */
    if (!o->include_dups &&
        (r.dup_of == id || (dup_of && (r.id == dup_of || r.dup_of == dup_of))))
      continue;
    r.score = cv[i].score;
    r.shared_terms = cv[i].nmatch;
    r.shared_actors = cv[i].actors;
    k--;
    step = fn(&r, ud);
    dy_free(ac);
    if (step != 0)
      break;
  }
out:
  sqlite3_finalize(st);
  sqlite3_finalize(cst);
  map_fini(&terms);
  map_fini(&cands);
  dy_free(qt);
  dy_free(cv);
  return rc;
}

/* ==== time series ======================================================== */

int dy_store_series(dy_store *s, const dy_series_opts *o, dy_series_fn fn,
                    void *ud)
{
  static const char *const periods[] = {
      "e.date",
      "date(e.date, '-' || ((CAST(strftime('%w', e.date) AS INTEGER) + 6) "
      "% 7) || ' days')",
      "substr(e.date, 1, 7)", "substr(e.date, 1, 4)"};
  dy_buf *sql = &s->scratch;
  sqlite3_stmt *st = NULL;
  int rc, step;
  dy_err_clear(&s->err);
  if (o == NULL || o->a == NULL || *o->a == '\0')
    return dy_err_set(&s->err, DY_EINVAL, "no actor");
  if (o->by < DY_BY_DAY || o->by > DY_BY_YEAR)
    return dy_err_set(&s->err, DY_EINVAL, "bad period");
  rc = dy__store_check_date(s, "from", o->from);
  if (rc == DY_OK)
    rc = dy__store_check_date(s, "to", o->to);
  if (rc < 0)
    return rc;
  if (s->pg)
    return dy__pg_series(s, o, fn, ud);
  dy_buf_reset(sql);
  dy_buf_printf(sql,
                "SELECT %s AS p, count(*), sum(e.num_mentions), "
                "total(e.goldstein), avg(e.goldstein), "
                "sum(e.quad IN (1, 2)), sum(e.quad IN (3, 4)) "
                "FROM events e WHERE e.date IS NOT NULL",
                periods[o->by]);
#define PFX(col, k) col " >= ?" #k " AND " col " < ?" #k " || char(127)"
  if (o->b == NULL)
    dy_buf_puts(sql,
                " AND ((" PFX("e.source", 1) ") OR (" PFX("e.target", 1) "))");
  else if (o->both)
    dy_buf_puts(
        sql,
        " AND ((" PFX("e.source", 1) " AND " PFX("e.target", 2) ") OR (" PFX(
            "e.source", 2) " AND " PFX("e.target", 1) "))");
  else
    dy_buf_puts(sql, " AND " PFX("e.source", 1) " AND " PFX("e.target", 2));
#undef PFX
  if (o->from)
    dy_buf_puts(sql, " AND e.date >= ?3");
  if (o->to)
    dy_buf_puts(sql, " AND e.date <= ?4");
  if (o->code)
    dy_buf_puts(sql, " AND e.code >= ?5 AND e.code < ?5 || char(127)");
  dy_buf_puts(sql, " GROUP BY p ORDER BY p");
  if (sql->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  if (sqlite3_prepare_v2(s->db, sql->p, (int)sql->n, &st, NULL) != SQLITE_OK)
    return db_fail(s, "cannot prepare the series");
  sqlite3_bind_text(st, 1, o->a, -1, SQLITE_STATIC);
  if (o->b)
    sqlite3_bind_text(st, 2, o->b, -1, SQLITE_STATIC);
  if (o->from)
    sqlite3_bind_text(st, 3, o->from, -1, SQLITE_STATIC);
  if (o->to)
    sqlite3_bind_text(st, 4, o->to, -1, SQLITE_STATIC);
  if (o->code)
    sqlite3_bind_text(st, 5, o->code, -1, SQLITE_STATIC);
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    dy_series_row r;
    r.period = col_text(st, 0);
    r.events = (long)sqlite3_column_int64(st, 1);
    r.mentions = (long)sqlite3_column_int64(st, 2);
    r.goldstein_sum = sqlite3_column_double(st, 3);
    r.goldstein_mean = sqlite3_column_double(st, 4);
    r.cooperation = (long)sqlite3_column_int64(st, 5);
    r.conflict = (long)sqlite3_column_int64(st, 6);
    if (fn(&r, ud) != 0)
      break;
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    rc = db_fail(s, "series");
  sqlite3_finalize(st);
  return rc;
}

/* ==== alignments ========================================================= */

static const char *const align_kinds[] = {
    "mutual defense", "alliance", "strategic partnership", "non-aggression"};

/* One parsed baseline line: a group of parties that joined together. */
typedef struct bline {
  char kind[32];       /* one of align_kinds */
  char name[128];      /* treaty or organisation */
  char parties[64][4]; /* country codes */
  int nparties;        /* used entries */
  char start[11];      /* YYYY-MM-DD */
  char end[11];        /* YYYY-MM-DD or "" */
  char note[256];      /* source note */
  int line;            /* 1-based line in the file */
} bline;

/* Splits line p[0..n) at tabs into at most max fields (slices). */
static int split_tabs(const char *p, size_t n, dy_str *f, int max)
{
  int k = 0;
  size_t i, start = 0;
  for (i = 0; i <= n && k < max; i++)
    if (i == n || p[i] == '\t') {
      f[k].p = p + start;
      f[k].n = i - start;
      f[k] = dy_str_trim(f[k]);
      k++;
      start = i + 1;
    }
  return k;
}

static int copy_field(char *out, size_t cap, dy_str f)
{
  if (f.n >= cap)
    return -1;
  memcpy(out, f.p, f.n);
  out[f.n] = '\0';
  return 0;
}

/* Parses one data line into b; returns NULL or a message. */
static const char *parse_bline(const char *p, size_t n, bline *b)
{
  dy_str f[7];
  int nf = split_tabs(p, n, f, 7), i;
  size_t j;
  memset(b, 0, sizeof *b);
  if (nf < 6)
    return "want 6 tab-separated fields: kind, name, parties, start, end, "
           "note";
  if (copy_field(b->kind, sizeof b->kind, f[0]) < 0)
    return "bad kind";
  for (i = 0; i < 4; i++)
    if (strcmp(b->kind, align_kinds[i]) == 0)
      break;
  if (i == 4)
    return "bad kind (mutual defense, alliance, strategic partnership, "
           "non-aggression)";
  if (copy_field(b->name, sizeof b->name, f[1]) < 0 || f[1].n == 0)
    return "missing or overlong name";
  for (j = 0; j < f[2].n;) {
    size_t e = j;
    while (e < f[2].n && f[2].p[e] != ',')
      e++;
    if (e - j != 3 || !dy_isupper(f[2].p[j]) || !dy_isupper(f[2].p[j + 1]) ||
        !dy_isupper(f[2].p[j + 2]))
      return "parties must be 3-letter CAMEO country codes joined by commas";
    if (b->nparties == 64)
      return "more than 64 parties";
    memcpy(b->parties[b->nparties], f[2].p + j, 3);
    b->parties[b->nparties++][3] = '\0';
    j = e + 1;
  }
  if (b->nparties == 0)
    return "no parties";
  if (f[3].n != 10 || dy_date_parse(f[3]) < 0)
    return "bad start date (YYYY-MM-DD)";
  memcpy(b->start, f[3].p, 10);
  if (f[4].n && (f[4].n != 10 || dy_date_parse(f[4]) < 0))
    return "bad end date (YYYY-MM-DD or empty)";
  memcpy(b->end, f[4].p, f[4].n);
  if (*b->end && strcmp(b->end, b->start) < 0)
    return "end date before the start date";
  if (copy_field(b->note, sizeof b->note, f[5]) < 0)
    return "overlong note";
  return NULL;
}

int dy_store_alignments_load(dy_store *s, const char *path)
{
  dy_buf file;
  dy_err e;
  char hash[65];
  bline *lines = NULL;
  size_t nl = 0, capl = 0, off = 0, i, j;
  int rc, lineno = 0, x, y, same;
  sqlite3_stmt *st = NULL;
  dy_buf loaded;
  dy_err_clear(&s->err);
  dy_buf_init(&file, (size_t)16 << 20);
  rc = dy_file_read(path, (size_t)16 << 20, &file, &e);
  if (rc < 0) {
    dy_err_set(&s->err, rc, "%s", e.msg);
    goto out;
  }
  dy_sha256_hex(file.p ? file.p : "", file.n, hash);
  dy_buf_init(&loaded, 0);
  rc = dy_store_sql(s, "SELECT value FROM meta WHERE key = 'alignments_sha256'",
                    NULL, 0, first_col, &loaded);
  same = loaded.n > 0 && strcmp(loaded.p, hash) == 0;
  dy_buf_fini(&loaded);
  if (rc < 0 || same)
    goto out; /* this file is loaded */
  while (file.p && off < file.n) {
    const char *p = file.p + off;
    const char *nlp = memchr(p, '\n', file.n - off);
    size_t n = nlp ? (size_t)(nlp - p) : file.n - off;
    const char *why;
    off += n + (nlp != NULL);
    lineno++;
    if (n && p[n - 1] == '\r')
      n--;
    if (n == 0 || p[0] == '#')
      continue;
    if (!dy_utf8_valid(p, n)) {
      rc =
          dy_err_set(&s->err, DY_EFORMAT, "%s:%d: invalid UTF-8", path, lineno);
      goto out;
    }
    if (nl == capl) {
      size_t nc = capl ? capl * 2 : 64;
      bline *nb;
      if (nc > 100000) {
        rc = dy_err_set(&s->err, DY_EFORMAT, "%s:%d: too many lines", path,
                        lineno);
        goto out;
      }
      nb = dy_realloc(lines, nc * sizeof *nb);
      if (nb == NULL) {
        rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
        goto out;
      }
      lines = nb;
      capl = nc;
    }
    why = parse_bline(p, n, &lines[nl]);
    if (why) {
      rc = dy_err_set(&s->err, DY_EFORMAT, "%s:%d: %s", path, lineno, why);
      goto out;
    }
    lines[nl++].line = lineno;
  }
  if (s->pg) {
    rc = dy__pg_xact_begin(s);
    if (rc == DY_OK)
      rc = dy_store_sql(s, "DELETE FROM alignments WHERE origin = 'baseline'",
                        NULL, 0, NULL, NULL);
    if (rc < 0) {
      dy_err keep = s->err;
      dy__pg_xact_end(s, 0);
      s->err = keep;
      goto out;
    }
  } else if (sqlite3_exec(s->db,
                          "SAVEPOINT align; DELETE FROM alignments WHERE "
                          "origin = 'baseline'",
                          NULL, NULL, NULL) != SQLITE_OK) {
    rc = db_fail(s, "cannot load the alignments");
    goto out;
  }
  if (!s->pg)
    rc = prepare(s,
                 "INSERT INTO alignments(a, b, kind, name, start, end, origin, "
                 "note, line) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'baseline', ?7, "
                 "?8)",
                 &st);
  /* every pair within a line, and across lines of the same kind and name
   * (accession waves): the edge starts when the later party joined and
   * ends when the earlier one left */
  for (i = 0; rc == DY_OK && i < nl; i++)
    for (j = i; rc == DY_OK && j < nl; j++) {
      const bline *p = &lines[i], *q = &lines[j];
      const char *start, *end;
      if (j != i &&
          (strcmp(p->kind, q->kind) != 0 || strcmp(p->name, q->name) != 0))
        continue;
      start = strcmp(p->start, q->start) >= 0 ? p->start : q->start;
      end = !*p->end                      ? q->end
            : !*q->end                    ? p->end
            : strcmp(p->end, q->end) <= 0 ? p->end
                                          : q->end;
      if (*end && strcmp(end, start) < 0)
        continue; /* never members at the same time */
      for (x = 0; rc == DY_OK && x < p->nparties; x++)
        for (y = j == i ? x + 1 : 0; rc == DY_OK && y < q->nparties; y++) {
          const char *a = p->parties[x], *b = q->parties[y];
          int c = strcmp(a, b);
          if (c == 0)
            continue;
          if (s->pg) {
            char line[16];
            const char *v[8];
            snprintf(line, sizeof line, "%d", p->line);
            v[0] = c < 0 ? a : b;
            v[1] = c < 0 ? b : a;
            v[2] = p->kind;
            v[3] = p->name;
            v[4] = start;
            v[5] = *end ? end : NULL;
            v[6] = p->note;
            v[7] = line;
            rc = dy_store_sql(s,
                              "INSERT INTO alignments(a, b, kind, name, start, "
                              "\"end\", origin, note, line) VALUES(?1, ?2, ?3, "
                              "?4, ?5, ?6, 'baseline', ?7, ?8)",
                              v, 8, NULL, NULL);
            continue;
          }
          sqlite3_reset(st);
          sqlite3_bind_text(st, 1, c < 0 ? a : b, -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 2, c < 0 ? b : a, -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 3, p->kind, -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 5, start, -1, SQLITE_STATIC);
          if (*end)
            sqlite3_bind_text(st, 6, end, -1, SQLITE_STATIC);
          else
            sqlite3_bind_null(st, 6);
          sqlite3_bind_text(st, 7, p->note, -1, SQLITE_STATIC);
          sqlite3_bind_int(st, 8, p->line);
          if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(s, "cannot load the alignments");
        }
    }
  sqlite3_finalize(st);
  st = NULL;
  if (rc == DY_OK) {
    const char *v[1];
    v[0] = hash;
    rc = dy_store_sql(s,
                      "INSERT INTO meta(key, value) "
                      "VALUES('alignments_sha256', ?1) ON CONFLICT(key) "
                      "DO UPDATE SET value = excluded.value",
                      v, 1, NULL, NULL);
  }
  if (s->pg) {
    if (rc == DY_OK) {
      rc = dy__pg_xact_end(s, 1);
    } else {
      dy_err keep = s->err;
      dy__pg_xact_end(s, 0);
      s->err = keep;
    }
  } else if (rc == DY_OK) {
    if (sqlite3_exec(s->db, "RELEASE align", NULL, NULL, NULL) != SQLITE_OK)
      rc = db_fail(s, "cannot load the alignments");
  } else {
    dy_err keep = s->err;
    sqlite3_exec(s->db, "ROLLBACK TO align; RELEASE align", NULL, NULL, NULL);
    s->err = keep;
  }
out:
  sqlite3_finalize(st);
  dy_free(lines);
  dy_buf_fini(&file);
  return rc;
}

typedef struct align_ctx {
  int with_change;
  dy_alignment_fn fn;
  void *ud;
} align_ctx;

static const char *nz(const char *v)
{
  return v ? v : "";
}

static int alignment_row(const char *const *v, int n, void *ud)
{
  align_ctx *c = ud;
  dy_alignment_row r;
  if (n < 12 + 2 * c->with_change)
    return 0;
  r.a = nz(v[0]);
  r.b = nz(v[1]);
  r.kind = nz(v[2]);
  r.name = nz(v[3]);
  r.start = nz(v[4]);
  r.end = nz(v[5]);
  r.origin = nz(v[6]);
  r.note = nz(v[7]);
  r.evidence = nz(v[8]);
  r.evidence_name = nz(v[9]);
  r.evidence_sentence = v[10] ? strtol(v[10], NULL, 10) : -1;
  r.strength = v[11] ? strtol(v[11], NULL, 10) : 0;
  r.change = c->with_change ? nz(v[12]) : "";
  r.change_date = c->with_change ? nz(v[13]) : "";
  return c->fn(&r, c->ud);
}

/* Columns of an alignment seen from party ?1 (or as stored when ?1 is
 * NULL), with the evidence strength up to ?2 (NULL: all). The same SQL on
 * both backends (dy_store_sql). */
#define ALIGN_COLS                                                             \
  "CASE WHEN l.b = CAST(?1 AS TEXT) THEN l.b ELSE l.a END AS pa, "             \
  "CASE WHEN l.b = CAST(?1 AS TEXT) THEN l.a ELSE l.b END AS pb, "             \
  "l.kind AS kind, l.name, l.start, "                                          \
  "coalesce(l.\"end\", ''), l.origin, l.note, coalesce(ea.hash, ''), "         \
  "coalesce(nullif(ea.url, ''), coalesce(ea.name, '')), l.sentence_idx, "      \
  "(SELECT count(*) FROM alignment_evidence v WHERE v.a = l.a AND "            \
  "v.b = l.b AND v.role IN ('renew', 'strengthen') AND v.date >= l.start "     \
  "AND (CAST(?2 AS TEXT) IS NULL OR v.date <= CAST(?2 AS TEXT)))"

int dy_store_alignments(dy_store *s, const char *at, const char *actor,
                        dy_alignment_fn fn, void *ud)
{
  align_ctx c = {0, fn, ud};
  const char *v[2];
  int rc;
  dy_err_clear(&s->err);
  rc = dy__store_check_date(s, "at", at);
  if (rc < 0)
    return rc;
  v[0] = actor;
  v[1] = at;
  rc = dy_store_sql(
      s,
      "SELECT " ALIGN_COLS " FROM alignments l "
      "LEFT JOIN articles ea ON ea.id = l.article_id "
      "WHERE (CAST(?1 AS TEXT) IS NULL OR l.a = CAST(?1 AS TEXT) OR "
      "l.b = CAST(?1 AS TEXT)) "
      "AND (CAST(?2 AS TEXT) IS NULL OR (l.start <= CAST(?2 AS TEXT) AND "
      "(l.\"end\" IS NULL OR l.\"end\" >= CAST(?2 AS TEXT)))) "
      "ORDER BY 1, 2, l.kind, l.start, l.origin",
      v, 2, alignment_row, &c);
  return rc > 0 ? DY_OK : rc;
}

int dy_store_alignment_changes(dy_store *s, const char *d1, const char *d2,
                               const char *actor, dy_alignment_fn fn, void *ud)
{
  align_ctx c = {1, fn, ud};
  const char *v[3];
  int rc;
  dy_err_clear(&s->err);
  if (d1 == NULL || d2 == NULL)
    return dy_err_set(&s->err, DY_EINVAL, "two dates are needed");
  rc = dy__store_check_date(s, "first", d1);
  if (rc == DY_OK)
    rc = dy__store_check_date(s, "second", d2);
  if (rc < 0)
    return rc;
  v[0] = actor;
  v[1] = d2;
  v[2] = d1;
  /* ?2 is the second date (strength counted up to it), ?3 the first */
  rc = dy_store_sql(
      s,
      "SELECT * FROM ("
      "SELECT " ALIGN_COLS ", 'started' AS chg, l.start AS chd "
      "FROM alignments l "
      "LEFT JOIN articles ea ON ea.id = l.article_id "
      "WHERE l.start > CAST(?3 AS TEXT) AND l.start <= CAST(?2 AS TEXT) "
      "UNION ALL SELECT " ALIGN_COLS ", 'ended', l.\"end\" FROM alignments l "
      "LEFT JOIN articles ea ON ea.id = l.article_id "
      "WHERE l.\"end\" > CAST(?3 AS TEXT) AND l.\"end\" <= CAST(?2 AS TEXT) "
      "UNION ALL SELECT " ALIGN_COLS ", CASE v.role WHEN 'renew' THEN "
      "'renewed' ELSE 'strengthened' END, v.date FROM alignment_evidence v "
      "JOIN alignments l ON l.a = v.a AND l.b = v.b AND l.start <= v.date "
      "AND (l.\"end\" IS NULL OR l.\"end\" >= v.date) "
      "LEFT JOIN articles ea ON ea.id = v.article_id "
      "WHERE v.role IN ('renew', 'strengthen') AND v.date > CAST(?3 AS TEXT) "
      "AND v.date <= CAST(?2 AS TEXT)) x "
      "WHERE CAST(?1 AS TEXT) IS NULL OR pa = CAST(?1 AS TEXT) "
      "ORDER BY chd, pa, pb, kind, chg",
      v, 3, alignment_row, &c);
  return rc > 0 ? DY_OK : rc;
}

/* ==== exports ============================================================ */

/* Appends a TSV field: tabs and line breaks become spaces. */
static void tsv(dy_buf *b, const char *s)
{
  dy_buf_tsv_field(b, s, strlen(s));
}

/* "YYYYMMDD" from "YYYY-MM-DD"; "" otherwise. */
static void day_num(const char *date, char out[9])
{
  out[0] = '\0';
  if (strlen(date) == 10)
    snprintf(out, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

/* "YYYYMMDDHHMMSS" from "YYYY-MM-DD HH:MM:SS" (or a date alone). */
static void stamp(const char *t, char out[15])
{
  size_t n = strlen(t);
  out[0] = '\0';
  if (n >= 10)
    snprintf(out, 15, "%.4s%.2s%.2s%.2s%.2s%.2s", t, t + 5, t + 8,
             n >= 19 ? t + 11 : "00", n >= 19 ? t + 14 : "00",
             n >= 19 ? t + 17 : "00");
}

/* Actor fields of a GDELT event row: Code, Name, CountryCode,
 * KnownGroupCode, EthnicCode, Religion1Code, Religion2Code, Type1Code,
 * Type2Code, Type3Code. */
static void gdelt_actor(dy_buf *b, const char *code, const char *name,
                        const char *country, const char *role)
{
  tsv(b, code);
  dy_buf_putc(b, '\t');
  tsv(b, name);
  dy_buf_putc(b, '\t');
  tsv(b, country);
  dy_buf_puts(b, "\t\t\t\t\t");
  tsv(b, role);
  dy_buf_puts(b, "\t\t\t");
}

static void gdelt_event(dy_buf *b, const dy_event_row *r)
{
  char day[9];
  char added[15];
  int i;
  day_num(r->date, day);
  stamp(r->added, added);
  dy_buf_printf(b, "%ld\t%s\t%.6s\t%.4s\t", r->id, day, day, day);
  if (*day) {
    long v = strtol(day, NULL, 10);
    int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
    /* GDELT: YYYY + (MONTH * 30 + DAY) / 365 */
    dy_buf_printf(b, "%.4f", y + (m * 30 + d) / 365.0);
  }
  dy_buf_putc(b, '\t');
  gdelt_actor(b, r->source, r->source_name, r->source_country, r->source_role);
  gdelt_actor(b, r->target, r->target_name, r->target_country, r->target_role);
  dy_buf_printf(b, "%d\t", r->is_root);
  tsv(b, r->code);
  dy_buf_printf(b, "\t%.3s\t", r->code);
  tsv(b, r->root);
  dy_buf_printf(b, "\t%d\t%.1f\t%ld\t%ld\t%ld\t", r->quad, r->goldstein,
                r->num_mentions, r->num_sources, r->num_articles);
  /* AvgTone: not computed; then three geo blocks of 8 columns: actor 1,
   * actor 2 (not coded yet) and the action (the place when known) */
  dy_buf_putc(b, '\t');
  for (i = 0; i < 16; i++)
    dy_buf_putc(b, '\t');
  if (*r->place) {
    dy_buf_putc(b, '\t');
    tsv(b, r->place);
    dy_buf_puts(b, "\t\t\t\t\t\t\t");
  } else {
    dy_buf_puts(b, "\t\t\t\t\t\t\t\t");
  }
  dy_buf_printf(b, "%s\t", added);
  tsv(b, *r->url ? r->url : r->name);
  dy_buf_putc(b, '\n');
}

static void json_field(dy_buf *b, const char *k, const char *v, int comma)
{
  dy_buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
  dy_buf_json_str(b, v, strlen(v));
}

static void jsonl_event(dy_buf *b, const dy_event_row *r)
{
  dy_buf_printf(b, "{\"id\":%ld", r->id);
  json_field(b, "date", r->date, 1);
  json_field(b, "source", r->source, 1);
  json_field(b, "source_name", r->source_name, 1);
  json_field(b, "source_country", r->source_country, 1);
  json_field(b, "source_role", r->source_role, 1);
  json_field(b, "target", r->target, 1);
  json_field(b, "target_name", r->target_name, 1);
  json_field(b, "target_country", r->target_country, 1);
  json_field(b, "target_role", r->target_role, 1);
  json_field(b, "code", r->code, 1);
  json_field(b, "root", r->root, 1);
  dy_buf_printf(b,
                ",\"quad\":%d,\"goldstein\":%.1f,\"num_mentions\":%ld,"
                "\"num_sources\":%ld,\"num_articles\":%ld,\"is_root\":%d",
                r->quad, r->goldstein, r->num_mentions, r->num_sources,
                r->num_articles, r->is_root);
  json_field(b, "place", r->place, 1);
  json_field(b, "article", r->article, 1);
  json_field(b, "doc", r->name, 1);
  json_field(b, "url", r->url, 1);
  dy_buf_printf(b, ",\"sentence_index\":%ld", r->sentence_index);
  json_field(b, "sentence", r->sentence, 1);
  dy_buf_puts(b, "}\n");
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(dy_buf *b, const char *s, int comma)
{
  const char *p;
  if (comma)
    dy_buf_putc(b, ',');
  if (strpbrk(s, ",\"\r\n") == NULL) {
    dy_buf_puts(b, s);
    return;
  }
  dy_buf_putc(b, '"');
  for (p = s; *p; p++) {
    if (*p == '"')
      dy_buf_putc(b, '"');
    dy_buf_putc(b, *p);
  }
  dy_buf_putc(b, '"');
}

static const char csv_header[] =
    "id,date,source,source_name,source_country,source_role,target,"
    "target_name,target_country,target_role,code,root,quad,goldstein,"
    "num_mentions,num_sources,num_articles,is_root,place,article,doc,url,"
    "sentence_index,sentence\n";

static void csv_event(dy_buf *b, const dy_event_row *r)
{
  char num[64];
  snprintf(num, sizeof num, "%ld", r->id);
  csv_field(b, num, 0);
  csv_field(b, r->date, 1);
  csv_field(b, r->source, 1);
  csv_field(b, r->source_name, 1);
  csv_field(b, r->source_country, 1);
  csv_field(b, r->source_role, 1);
  csv_field(b, r->target, 1);
  csv_field(b, r->target_name, 1);
  csv_field(b, r->target_country, 1);
  csv_field(b, r->target_role, 1);
  csv_field(b, r->code, 1);
  csv_field(b, r->root, 1);
  dy_buf_printf(b, ",%d,%.1f,%ld,%ld,%ld,%d", r->quad, r->goldstein,
                r->num_mentions, r->num_sources, r->num_articles, r->is_root);
  csv_field(b, r->place, 1);
  csv_field(b, r->article, 1);
  csv_field(b, r->name, 1);
  csv_field(b, r->url, 1);
  snprintf(num, sizeof num, "%ld", r->sentence_index);
  csv_field(b, num, 1);
  csv_field(b, r->sentence, 1);
  dy_buf_puts(b, "\n");
}

/* One line of the mentions export from the text of the columns below
 * (MENTION_COLS). */
#define MENTION_COLS                                                           \
  "e.id, e.added_at, m.id, ma.url, ma.name, ma.source, m.sentence_idx, "       \
  "m.source_off, m.target_off, m.verb_off, m.confidence, %s, ma.date, "        \
  "ma.ingested_at, m.source_len, m.target_len"
#define MENTION_JOIN                                                           \
  " JOIN mentions m ON m.event_id = e.id JOIN articles ma ON ma.id = "         \
  "m.article_id"

typedef struct mention_ctx {
  dy_store *s;
  dy_out_fn fn;
  void *ud;
  dy_buf *b;
  int stop; /* fn's nonzero value or an error (PostgreSQL drains the rest) */
} mention_ctx;

static long long num(const char *v)
{
  return v ? strtoll(v, NULL, 10) : 0;
}

static int mention_line(const char *const *v, int n, void *ud)
{
  mention_ctx *c = ud;
  dy_buf *b = c->b;
  char ev_t[15], m_t[15];
  const char *url = nz(v[3]);
  if (n < 16)
    return 0;
  dy_buf_reset(b);
  stamp(nz(v[1]), ev_t);
  /* when the mention was seen: the article's date, else when stored */
  stamp(v[12] ? v[12] : nz(v[13]), m_t);
  dy_buf_printf(b, "%lld\t%s\t%s\t%d\t", num(v[0]), ev_t, m_t, *url ? 1 : 2);
  tsv(b, nz(v[5]));
  dy_buf_putc(b, '\t');
  tsv(b, *url ? url : nz(v[4]));
  dy_buf_printf(b, "\t%lld\t%lld\t%lld\t%lld\t1\t%d\t%lld\t\t\t\n",
                num(v[6]) + 1, num(v[14]) > 0 ? num(v[7]) : -1LL,
                num(v[15]) > 0 ? num(v[8]) : -1LL, num(v[9]), (int)num(v[10]),
                num(v[11]));
  if (b->failed)
    return c->stop = dy_err_set(&c->s->err, DY_ENOMEM, "out of memory");
  return c->stop = c->fn(b->p, b->n, c->ud);
}

static int export_mentions(dy_store *s, const dy_query *q, dy_out_fn fn,
                           void *ud, dy_buf *b)
{
  sqlite3_stmt *st = NULL;
  mention_ctx c = {s, fn, ud, b, 0};
  char cols[400];
  int rc = DY_OK, step, i;
  /* the events are filtered as for a query; their mentions in order */
  if (s->pg) {
    snprintf(cols, sizeof cols, MENTION_COLS, "octet_length(ma.body)");
    rc = dy__pg_event_rows(s, q, cols, MENTION_JOIN,
                           " ORDER BY e.date COLLATE \"C\" NULLS FIRST, "
                           "a.hash COLLATE \"C\", e.sentence_idx, e.id, m.id",
                           mention_line, &c);
    return c.stop ? c.stop : rc;
  }
  snprintf(cols, sizeof cols, MENTION_COLS, "length(CAST(ma.body AS BLOB))");
  rc = dy__store_prepare_events(
      s, q, cols, MENTION_JOIN,
      " ORDER BY e.date, a.hash, e.sentence_idx, e.id, m.id", 0, &st);
  if (rc < 0)
    return rc;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *v[16];
    for (i = 0; i < 16; i++)
      v[i] = (const char *)sqlite3_column_text(st, i);
    if ((rc = mention_line(v, 16, &c)) != 0)
      break;
  }
  if (rc == DY_OK && step != SQLITE_ROW && step != SQLITE_DONE)
    rc = dy__store_step_fail(s, q);
  sqlite3_finalize(st);
  return rc;
}

/* Export rows of the PostgreSQL backend, formatted as for SQLite. */
typedef struct pg_export {
  dy_store *s;
  int fmt;
  dy_out_fn fn;
  void *ud;
  dy_buf *b;
  int rc; /* fn's nonzero value or DY_ENOMEM */
} pg_export;

static int pg_export_row(const dy_event_row *r, void *ud)
{
  pg_export *x = ud;
  dy_buf_reset(x->b);
  if (x->fmt == DY_EXPORT_GDELT)
    gdelt_event(x->b, r);
  else if (x->fmt == DY_EXPORT_JSONL)
    jsonl_event(x->b, r);
  else
    csv_event(x->b, r);
  if (x->b->failed)
    x->rc = dy_err_set(&x->s->err, DY_ENOMEM, "out of memory");
  else
    x->rc = x->fn(x->b->p, x->b->n, x->ud);
  return x->rc;
}

int dy_store_export(dy_store *s, const dy_query *q, int fmt, dy_out_fn fn,
                    void *ud)
{
  sqlite3_stmt *st = NULL;
  dy_buf b;
  int rc, step;
  dy_err_clear(&s->err);
  if (fmt < DY_EXPORT_GDELT || fmt > DY_EXPORT_CSV)
    return dy_err_set(&s->err, DY_EINVAL, "bad export format");
  dy_buf_init(&b, 0);
  if (fmt == DY_EXPORT_MENTIONS) {
    rc = export_mentions(s, q, fn, ud, &b);
    dy_buf_fini(&b);
    return rc;
  }
  if (fmt == DY_EXPORT_CSV &&
      (rc = fn(csv_header, sizeof csv_header - 1, ud)) != 0) {
    dy_buf_fini(&b);
    return rc;
  }
  if (s->pg) {
    pg_export x = {s, fmt, fn, ud, &b, 0};
    rc = dy__pg_query(s, q, pg_export_row, &x);
    dy_buf_fini(&b);
    return x.rc ? x.rc : rc;
  }
  rc = dy__store_prepare_events(s, q, DY__EVENT_COLS, NULL, NULL, 1, &st);
  if (rc < 0) {
    dy_buf_fini(&b);
    return rc;
  }
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    dy_event_row r;
    dy__event_row_fill(st, &r);
    dy_buf_reset(&b);
    if (fmt == DY_EXPORT_GDELT)
      gdelt_event(&b, &r);
    else if (fmt == DY_EXPORT_JSONL)
      jsonl_event(&b, &r);
    else
      csv_event(&b, &r);
    if (b.failed) {
      rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
      break;
    }
    if ((rc = fn(b.p, b.n, ud)) != 0)
      break;
  }
  if (rc == DY_OK && step != SQLITE_ROW && step != SQLITE_DONE)
    rc = dy__store_step_fail(s, q);
  sqlite3_finalize(st);
  dy_buf_fini(&b);
  return rc;
}

/* ==== bulk dump ========================================================== */

/* The dump queries; ?1/$1 = after, ?2/$2 = limit. The placeholders are
 * rewritten for PostgreSQL. */
static const char *const dump_sql[] = {
    "SELECT id, hash, url, name, headline, date, source, dup_of, dup_kind, "
    "ingested_at FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
    "SELECT id, date, source, source_country, target, target_country, code, "
    "root, quad, goldstein, num_mentions, num_sources, num_articles, is_root, "
    "article_id, added_at FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
    "SELECT m.id, m.event_id, m.article_id, e.date, e.source, e.target, "
    "e.code, m.sentence_idx, m.confidence, a.source FROM mentions m JOIN "
    "events e ON e.id = m.event_id JOIN articles a ON a.id = m.article_id "
    "WHERE m.id > ?1 ORDER BY m.id LIMIT ?2"};

int dy_store_dump(dy_store *s, int table, long long after, long limit,
                  dy_dump_fn fn, void *ud)
{
  sqlite3_stmt *st = NULL;
  int rc = DY_OK, step, i, n;
  dy_err_clear(&s->err);
  if (table < DY_DUMP_ARTICLES || table > DY_DUMP_MENTIONS || limit <= 0)
    return dy_err_set(&s->err, DY_EINVAL, "bad dump table or limit");
  if (s->pg) {
    char sql[600];
    const char *c;
    size_t o = 0;
    for (c = dump_sql[table]; *c && o + 2 < sizeof sql; c++)
      sql[o++] = *c == '?' ? '$' : *c;
    sql[o] = '\0';
    return dy__pg_dump(s, sql, after, limit, fn, ud);
  }
  rc = prepare(s, dump_sql[table], &st);
  if (rc < 0)
    return rc;
  sqlite3_bind_int64(st, 1, after);
  sqlite3_bind_int64(st, 2, limit);
  n = sqlite3_column_count(st);
  if (n > 32)
    n = 32;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *v[32];
    for (i = 0; i < n; i++)
      v[i] = sqlite3_column_type(st, i) == SQLITE_NULL
                 ? NULL
                 : (const char *)sqlite3_column_text(st, i);
    if ((rc = fn(v, n, ud)) != 0)
      break;
  }
  if (rc == DY_OK && step != SQLITE_DONE)
    rc = db_fail(s, "dump");
  sqlite3_finalize(st);
  return rc;
}

/* ==== saved queries ====================================================== */

/* The string fields of a query, in a fixed order, with their keys. */
#define QUERY_STRINGS(X)                                                       \
  X(source)                                                                    \
  X(target)                                                                    \
  X(code)                                                                      \
  X(from)                                                                      \
  X(to) X(actor) X(source_country) X(target_country) X(country) X(article)     \
      X(text)

/* Appends v percent-encoded (everything but letters, digits and -_.~). */
static void pct(dy_buf *b, const char *v)
{
  static const char hex[] = "0123456789ABCDEF";
  for (; *v; v++) {
    unsigned char c = (unsigned char)*v;
    if (dy_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      dy_buf_putc(b, (char)c);
    } else {
      dy_buf_putc(b, '%');
      dy_buf_putc(b, hex[c >> 4]);
      dy_buf_putc(b, hex[c & 15]);
    }
  }
}

static void query_encode(dy_buf *b, const dy_query *q)
{
#define ENC(f)                                                                 \
  if (q->f) {                                                                  \
    dy_buf_puts(b, b->n ? "&" #f "=" : #f "=");                                \
    pct(b, q->f);                                                              \
  }
  QUERY_STRINGS(ENC)
#undef ENC
  if (q->quad)
    dy_buf_printf(b, "%squad=%d", b->n ? "&" : "", q->quad);
  if (q->min_mentions)
    dy_buf_printf(b, "%smin_mentions=%ld", b->n ? "&" : "", q->min_mentions);
  if (q->roots_only)
    dy_buf_printf(b, "%sroots_only=1", b->n ? "&" : "");
  if (q->limit)
    dy_buf_printf(b, "%slimit=%ld", b->n ? "&" : "", q->limit);
  if (q->offset)
    dy_buf_printf(b, "%soffset=%ld", b->n ? "&" : "", q->offset);
}

/* Saved queries go through dy_store_sql: the same statements on both
 * backends. */
int dy_store_saved_put(dy_store *s, const char *name, const dy_query *q)
{
  dy_buf b;
  const char *v[2];
  int rc;
  dy_err_clear(&s->err);
  if (name == NULL || *name == '\0' || strlen(name) > 200)
    return dy_err_set(&s->err, DY_EINVAL, "a saved query needs a name");
  dy_buf_init(&b, 0);
  query_encode(&b, q);
  dy_buf_putc(&b, '\0');
  if (b.failed) {
    dy_buf_fini(&b);
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  }
  v[0] = name;
  v[1] = b.p;
  rc = dy_store_sql(s,
                    "INSERT INTO saved_queries(name, params) VALUES(?1, ?2) "
                    "ON CONFLICT(name) DO UPDATE SET params = excluded.params",
                    v, 2, NULL, NULL);
  dy_buf_fini(&b);
  return rc;
}

static int unhex(int c)
{
  return dy_isdigit(c)            ? c - '0'
         : (c >= 'A' && c <= 'F') ? c - 'A' + 10
         : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                  : -1;
}

int dy_store_saved_get(dy_store *s, const char *name, dy_query *q,
                       dy_buf *storage)
{
  const char *p, *key[1];
  size_t *offs = NULL;
  dy_buf params;
  int rc, nfield = 0;
  dy_err_clear(&s->err);
  memset(q, 0, sizeof *q);
  dy_buf_init(&params, 0);
  key[0] = name ? name : "";
  rc = dy_store_sql(s, "SELECT params FROM saved_queries WHERE name = ?1", key,
                    1, first_col, &params);
  if (rc == DY_OK && params.n == 0)
    rc = dy_err_set(&s->err, DY_ENOENT, "no saved query \"%.100s\"",
                    name ? name : "");
  if (rc == DY_OK && params.failed)
    rc = dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  if (rc < 0) {
    dy_buf_fini(&params);
    return rc;
  }
  /* decode "k=v&k=v" into storage as "k\0v\0k\0v\0", then point q in */
  dy_buf_reset(storage);
  for (p = params.p; *p; p++) {
    if (*p == '=' || *p == '&') {
      dy_buf_putc(storage, '\0');
      nfield++;
    } else if (*p == '%' && unhex(p[1]) >= 0 && unhex(p[2]) >= 0) {
      dy_buf_putc(storage, (char)(unhex(p[1]) * 16 + unhex(p[2])));
      p += 2;
    } else {
      dy_buf_putc(storage, *p);
    }
  }
  dy_buf_putc(storage, '\0');
  nfield++;
  dy_buf_fini(&params);
  if (storage->failed)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  offs = dy_calloc((size_t)nfield + 1, sizeof *offs);
  if (offs == NULL)
    return dy_err_set(&s->err, DY_ENOMEM, "out of memory");
  {
    size_t o = 0;
    int i;
    for (i = 0; i < nfield && o < storage->n; i++) {
      offs[i] = o;
      o += strlen(storage->p + o) + 1;
    }
    nfield = i;
  }
  {
    int i;
    for (i = 0; i + 1 < nfield; i += 2) {
      const char *k = storage->p + offs[i], *v = storage->p + offs[i + 1];
#define DEC(f)                                                                 \
  if (strcmp(k, #f) == 0)                                                      \
    q->f = v;
      QUERY_STRINGS(DEC)
#undef DEC
      if (strcmp(k, "quad") == 0)
        q->quad = (int)strtol(v, NULL, 10);
      if (strcmp(k, "min_mentions") == 0)
        q->min_mentions = strtol(v, NULL, 10);
      if (strcmp(k, "roots_only") == 0)
        q->roots_only = (int)strtol(v, NULL, 10);
      if (strcmp(k, "limit") == 0)
        q->limit = strtol(v, NULL, 10);
      if (strcmp(k, "offset") == 0)
        q->offset = strtol(v, NULL, 10);
    }
  }
  dy_free(offs);
  return DY_OK;
}

typedef struct saved_ctx {
  dy_saved_fn fn;
  void *ud;
} saved_ctx;

static int saved_row(const char *const *v, int n, void *ud)
{
  saved_ctx *c = ud;
  if (n < 3)
    return 0;
  return c->fn(v[0] ? v[0] : "", v[1] ? v[1] : "", v[2] ? v[2] : "", c->ud);
}

int dy_store_saved_list(dy_store *s, dy_saved_fn fn, void *ud)
{
  saved_ctx c;
  int rc;
  c.fn = fn;
  c.ud = ud;
  rc = dy_store_sql(s,
                    "SELECT name, params, created_at FROM saved_queries "
                    "ORDER BY name",
                    NULL, 0, saved_row, &c);
  return rc > 0 ? DY_OK : rc; /* fn stopped */
}

int dy_store_saved_delete(dy_store *s, const char *name)
{
  const char *v[1];
  long n = 0;
  int rc;
  v[0] = name ? name : "";
  rc = dy_store_sql(s, "DELETE FROM saved_queries WHERE name = ?1 RETURNING id",
                    v, 1, count_rows, &n);
  if (rc == DY_OK && n == 0)
    rc = dy_err_set(&s->err, DY_ENOENT, "no saved query \"%.100s\"",
                    name ? name : "");
  return rc;
}
