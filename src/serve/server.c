/* SPDX-License-Identifier: MIT */
/* `dyad serve`: libmicrohttpd daemon, routing, security and the JSON/CSV/Atom
 * endpoints over the store (see docs/WEB.md).
 *
 * Threads: MHD's pool of worker threads runs the handlers. Reads go through
 * a pool of store handles (SQLite in WAL: readers never block the writer;
 * PostgreSQL: one connection each), in SQL both backends accept
 * (dy_store_sql); writes (ingest, saved queries) take one writer lock. SIGTERM
 * and SIGINT stop the daemon, which joins its workers, so a handler in flight
 * (an ingest) finishes and commits before the process exits. */
#include "serve.h"
#include "api_backend.h"
#include "dyad/ask.h"
#include "dyad/clickhouse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- limits ------------------------------------------------------------ */

#define MAX_QUERY_BYTES 2048              /* decoded query-string arguments */
#define MAX_URL_BYTES   1024              /* path */
#define MAX_JSON_BODY   ((size_t)16384)   /* saved-query bodies */
#define MAX_INGEST_BODY ((size_t)8 << 20) /* one page or text */
#define MAX_ROWS        1000              /* per page of events */
#define MAX_OFFSET      1000000L
#define NPOOL           8                  /* read connections */
#define OUT_CAP         ((size_t)32 << 20) /* largest response body */

/* ---- server state ------------------------------------------------------ */

typedef struct srv {
  const dy_serve_opts *o;
  char web_real[PATH_MAX]; /* realpath of the static directory, "" = none */
  char token_hash[65];     /* SHA-256 hex of the write token */
  dy_engine *eng;          /* dictionaries, shared read-only */
  pthread_mutex_t wlock;   /* the one writer */
  dy_store *wstore;        /* ingest and saved-query writer, under wlock */
  dy_doc *doc;             /* ingest document, under wlock */
  pthread_mutex_t plock;   /* read pool */
  pthread_cond_t pcond;
  dy_store *rd[NPOOL];
  int busy[NPOOL];
  int quiet;
  dy_ch_url ch; /* --analytics: ClickHouse, ch.nhosts == 0 when not set */
} srv;

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
  (void)sig;
  stop_flag = 1;
}

/* ---- read pool --------------------------------------------------------- */

static dy_store *rd_get(srv *s, int *slot)
{
  int i;
  pthread_mutex_lock(&s->plock);
  for (;;) {
    for (i = 0; i < NPOOL; i++)
      if (!s->busy[i]) {
        s->busy[i] = 1;
        pthread_mutex_unlock(&s->plock);
        *slot = i;
        return s->rd[i];
      }
    pthread_cond_wait(&s->pcond, &s->plock);
  }
}

static void rd_put(srv *s, int slot)
{
  pthread_mutex_lock(&s->plock);
  s->busy[slot] = 0;
  pthread_cond_signal(&s->pcond);
  pthread_mutex_unlock(&s->plock);
}

/* ---- query results ----------------------------------------------------- */

/* The rows of one dy_store_sql call, held as text (pages are capped, so a
 * result fits in memory): value (r, c) is data + off[r * ncol + c], or
 * NULL (SQL NULL) when that offset is (size_t)-1. */
typedef struct tbl {
  dy_buf data; /* the values, each with its NUL */
  size_t *off; /* offsets, nrow * ncol */
  size_t cap;  /* entries of off */
  int ncol;    /* columns */
  long nrow;   /* rows */
  int failed;  /* out of memory */
} tbl;

static int tbl_row(const char *const *v, int n, void *ud)
{
  tbl *t = ud;
  int i;
  if (t->nrow == 0)
    t->ncol = n;
  if ((size_t)(t->nrow + 1) * (size_t)t->ncol > t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 256;
    size_t *no;
    while (nc < (size_t)(t->nrow + 1) * (size_t)t->ncol)
      nc *= 2;
    no = dy_realloc(t->off, nc * sizeof *no);
    if (no == NULL) {
      t->failed = 1;
      return 1;
    }
    t->off = no;
    t->cap = nc;
  }
  for (i = 0; i < t->ncol; i++) {
    const char *x = i < n ? v[i] : NULL;
    t->off[(size_t)t->nrow * (size_t)t->ncol + (size_t)i] =
        x ? t->data.n : (size_t)-1;
    if (x)
      dy_buf_append(&t->data, x, strlen(x) + 1);
  }
  t->nrow++;
  return t->data.failed ? (t->failed = 1) : 0;
}

static void tbl_fini(tbl *t)
{
  dy_buf_fini(&t->data);
  dy_free(t->off);
  memset(t, 0, sizeof *t);
}

/* Runs sql with the text parameters v[0..n) on st into t (initialised
 * here; tbl_fini it in any case). */
static int tbl_run(dy_store *st, const char *sql, const char *const *v, int n,
                   tbl *t, dy_err *err)
{
  int rc;
  memset(t, 0, sizeof *t);
  dy_buf_init(&t->data, 0);
  rc = dy_store_sql(st, sql, v, n, tbl_row, t);
  if (t->failed)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  if (rc < 0)
    return dy_err_set(err, rc, "%s", dy_store_errmsg(st));
  return DY_OK;
}

/* Value (r, c): "" for NULL. */
static const char *tv(const tbl *t, long r, int c)
{
  size_t o;
  if (c >= t->ncol || r >= t->nrow)
    return "";
  o = t->off[(size_t)r * (size_t)t->ncol + (size_t)c];
  return o == (size_t)-1 ? "" : t->data.p + o;
}

static long long ti(const tbl *t, long r, int c)
{
  return strtoll(tv(t, r, c), NULL, 10);
}

static double td(const tbl *t, long r, int c)
{
  return strtod(tv(t, r, c), NULL);
}

/* ---- responses --------------------------------------------------------- */

typedef struct reply {
  int status;
  const char *ctype;
  dy_buf body;
  char allow[64]; /* Allow header for 405, "" */
  char cache[64]; /* Cache-Control override, "" */
  const char *by; /* X-Dyad-Answered-By ("store", "clickhouse"), or NULL */
} reply;

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static void add_security_headers(struct MHD_Response *r)
{
  MHD_add_response_header(r, "Content-Security-Policy", csp);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, reply *rp)
{
  struct MHD_Response *r;
  enum MHD_Result ret;
  static char empty[1];
  if (rp->body.failed) {
    dy_buf_reset(&rp->body);
    rp->body.failed = 0;
    rp->status = 500;
    rp->ctype = "application/json";
    dy_buf_puts(&rp->body, "{\"error\":\"response too large\"}");
  }
  r = MHD_create_response_from_buffer(
      rp->body.n, rp->body.p ? rp->body.p : empty, MHD_RESPMEM_MUST_COPY);
  dy_buf_fini(&rp->body);
  if (r == NULL)
    return MHD_NO;
  add_security_headers(r);
  MHD_add_response_header(r, "Content-Type", rp->ctype);
  MHD_add_response_header(r, "Cache-Control",
                          rp->cache[0] ? rp->cache : "no-store");
  if (rp->allow[0])
    MHD_add_response_header(r, "Allow", rp->allow);
  if (rp->by)
    MHD_add_response_header(r, "X-Dyad-Answered-By", rp->by);
  ret = MHD_queue_response(c, (unsigned)rp->status, r);
  MHD_destroy_response(r);
  return ret;
}

static void reply_init(reply *rp)
{
  memset(rp, 0, sizeof *rp);
  rp->status = 200;
  rp->ctype = "application/json";
  dy_buf_init(&rp->body, OUT_CAP);
}

static void reply_error(reply *rp, int status, const char *msg)
{
  dy_buf_reset(&rp->body);
  rp->body.failed = 0;
  rp->status = status;
  rp->ctype = "application/json";
  dy_buf_puts(&rp->body, "{\"error\":");
  dy_buf_json_str(&rp->body, msg, strlen(msg));
  dy_buf_puts(&rp->body, "}");
}

/* ---- argument validation ----------------------------------------------- */

typedef const char *(*arg_fn)(void *ud, const char *key);

static const char *mhd_arg(void *ud, const char *key)
{
  return MHD_lookup_connection_value(ud, MHD_GET_ARGUMENT_KIND, key);
}

static int is_code(const char *s, size_t max)
{
  size_t i;
  for (i = 0; s[i]; i++)
    if (!(dy_isupper(s[i]) || dy_isdigit(s[i])) || i >= max)
      return 0;
  return i > 0;
}

static int is_digits(const char *s, size_t min, size_t max)
{
  size_t i;
  for (i = 0; s[i]; i++)
    if (!dy_isdigit(s[i]) || i >= max)
      return 0;
  return i >= min;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
  char *end;
  long v;
  if (s == NULL || !is_digits(s, 1, 9))
    return 0;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return 0;
  *out = v;
  return 1;
}

/* Event filters: every filter of `dyad query` plus root, quad, country,
 * place, article, either-direction and paging. */
typedef struct filt {
  char source[25], target[25], code[5], root[3], from[11], to[11];
  char country[4], place[65];
  int quad, either, desc;
  long article, limit, offset;
} filt;

static int set_code_arg(char *dst, size_t cap, const char *v, const char *what,
                        char *why, size_t whyn)
{
  if (!is_code(v, cap - 1)) {
    snprintf(why, whyn, "bad %s: want upper-case letters and digits", what);
    return 0;
  }
  memcpy(dst, v, strlen(v) + 1);
  return 1;
}

/* Fills f from get(ud, key); returns 0 with a message in why on a bad
 * value. Unknown keys are not looked at. */
static int filt_parse(filt *f, arg_fn get, void *ud, int paging, char *why,
                      size_t whyn)
{
  const char *v;
  long n;
  memset(f, 0, sizeof *f);
  f->limit = 50;
  f->desc = 1;
  if ((v = get(ud, "source")) && *v &&
      !set_code_arg(f->source, sizeof f->source, v, "source", why, whyn))
    return 0;
  if ((v = get(ud, "target")) && *v &&
      !set_code_arg(f->target, sizeof f->target, v, "target", why, whyn))
    return 0;
  if ((v = get(ud, "country")) && *v &&
      (strlen(v) != 3 ||
       !set_code_arg(f->country, sizeof f->country, v, "country", why, whyn))) {
    snprintf(why, whyn, "bad country: want a 3-letter code");
    return 0;
  }
  if ((v = get(ud, "code")) && *v) {
    if (!is_digits(v, 1, 4)) {
      snprintf(why, whyn, "bad code: want 1 to 4 digits");
      return 0;
    }
    memcpy(f->code, v, strlen(v) + 1);
  }
  if ((v = get(ud, "root")) && *v) {
    if (!is_digits(v, 2, 2) || strcmp(v, "01") < 0 || strcmp(v, "20") > 0) {
      snprintf(why, whyn, "bad root: want 01 to 20");
      return 0;
    }
    memcpy(f->root, v, 3);
  }
  if ((v = get(ud, "quad")) && *v) {
    if (!parse_long(v, 1, 4, &n)) {
      snprintf(why, whyn, "bad quad: want 1 to 4");
      return 0;
    }
    f->quad = (int)n;
  }
  if ((v = get(ud, "from")) && *v) {
    if (strlen(v) != 10 || dy_date_parse(dy_str_c(v)) < 0) {
      snprintf(why, whyn, "bad from: want YYYY-MM-DD");
      return 0;
    }
    memcpy(f->from, v, 11);
  }
  if ((v = get(ud, "to")) && *v) {
    if (strlen(v) != 10 || dy_date_parse(dy_str_c(v)) < 0) {
      snprintf(why, whyn, "bad to: want YYYY-MM-DD");
      return 0;
    }
    memcpy(f->to, v, 11);
  }
  if ((v = get(ud, "place")) && *v) {
    if (strlen(v) >= sizeof f->place || !dy_utf8_valid(v, strlen(v))) {
      snprintf(why, whyn, "bad place: at most 64 bytes of UTF-8");
      return 0;
    }
    memcpy(f->place, v, strlen(v) + 1);
  }
  if ((v = get(ud, "either")) && *v) {
    if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
      snprintf(why, whyn, "bad either: want 0 or 1");
      return 0;
    }
    f->either = v[0] == '1';
  }
  if (!paging)
    return 1;
  if ((v = get(ud, "article")) && *v &&
      !parse_long(v, 1, LONG_MAX / 2, &f->article)) {
    snprintf(why, whyn, "bad article: want an id");
    return 0;
  }
  if ((v = get(ud, "limit")) && *v && !parse_long(v, 1, MAX_ROWS, &f->limit)) {
    snprintf(why, whyn, "bad limit: want 1 to %d", MAX_ROWS);
    return 0;
  }
  if ((v = get(ud, "offset")) && *v &&
      !parse_long(v, 0, MAX_OFFSET, &f->offset)) {
    snprintf(why, whyn, "bad offset: want 0 to %ld", MAX_OFFSET);
    return 0;
  }
  if ((v = get(ud, "order")) && *v) {
    if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0) {
      snprintf(why, whyn, "bad order: want asc or desc");
      return 0;
    }
    f->desc = v[0] == 'd';
  }
  return 1;
}

/* Bound values of a WHERE clause, all text. filt_where binds at most 17
 * (both directions of a dyad: 8, code 2, root, quad, from, to, country,
 * place, article); a value past the last slot would be a bug, so it aborts
 * rather than write past the array (it once held 16: found by fuzz_http). */
#define MAX_BINDS 24
typedef struct binds {
  char v[MAX_BINDS][80];
  int n;
} binds;

static int bind_add(binds *b, const char *s)
{
  if (b->n >= MAX_BINDS)
    abort();
  snprintf(b->v[b->n], sizeof b->v[0], "%s", s);
  return ++b->n;
}

/* code prefix: col >= ?a AND col < ?b (codes are [A-Z0-9]; '~' sorts after
 * them), so the column's index serves it */
static void where_prefix(dy_buf *w, binds *b, const char *col, const char *p)
{
  char hi[80];
  int a = bind_add(b, p);
  snprintf(hi, sizeof hi, "%s~", p);
  dy_buf_printf(w, " AND %s >= ?%d AND %s < ?%d", col, a, col, bind_add(b, hi));
}

static void where_dyad(dy_buf *w, binds *b, const char *src, const char *tgt)
{
  char hi[80];
  dy_buf_puts(w, " AND (1=1");
  if (*src) {
    int a = bind_add(b, src);
    snprintf(hi, sizeof hi, "%s~", src);
    dy_buf_printf(w, " AND e.source >= ?%d AND e.source < ?%d", a,
                  bind_add(b, hi));
  }
  if (*tgt) {
    int a = bind_add(b, tgt);
    snprintf(hi, sizeof hi, "%s~", tgt);
    dy_buf_printf(w, " AND e.target >= ?%d AND e.target < ?%d", a,
                  bind_add(b, hi));
  }
  dy_buf_puts(w, ")");
}

/* WHERE clause (after "WHERE 1=1") for f over events e joined to articles a. */
static void filt_where(const filt *f, dy_buf *w, binds *b)
{
  if (f->either && (f->source[0] || f->target[0])) {
    dy_buf_puts(w, " AND (1=0 OR (1=1");
    where_dyad(w, b, f->source, f->target);
    dy_buf_puts(w, ") OR (1=1");
    where_dyad(w, b, f->target, f->source);
    dy_buf_puts(w, "))");
  } else {
    if (f->source[0])
      where_prefix(w, b, "e.source", f->source);
    if (f->target[0])
      where_prefix(w, b, "e.target", f->target);
  }
  if (f->code[0])
    where_prefix(w, b, "e.code", f->code);
  if (f->root[0])
    dy_buf_printf(w, " AND e.root = ?%d", bind_add(b, f->root));
  if (f->quad) {
    char q[4];
    snprintf(q, sizeof q, "%d", f->quad);
    dy_buf_printf(w, " AND e.quad = CAST(?%d AS INTEGER)", bind_add(b, q));
  }
  if (f->from[0])
    dy_buf_printf(w, " AND e.date >= ?%d", bind_add(b, f->from));
  if (f->to[0])
    dy_buf_printf(w, " AND e.date <= ?%d", bind_add(b, f->to));
  if (f->country[0]) {
    int k = bind_add(b, f->country);
    dy_buf_printf(w, " AND (e.source_country = ?%d OR e.target_country = ?%d)",
                  k, k);
  }
  if (f->place[0]) {
    char pat[80];
    size_t i, j = 0;
    pat[j++] = '%';
    for (i = 0; f->place[i] && j < sizeof pat - 3; i++) {
      if (f->place[i] == '%' || f->place[i] == '_' || f->place[i] == '\\')
        pat[j++] = '\\';
      pat[j++] = f->place[i];
    }
    pat[j++] = '%';
    pat[j] = '\0';
    dy_buf_printf(w, " AND a.places LIKE ?%d ESCAPE '\\'", bind_add(b, pat));
  }
  if (f->article) {
    char id[24];
    snprintf(id, sizeof id, "%ld", f->article);
    dy_buf_printf(w, " AND e.article_id = CAST(?%d AS INTEGER)",
                  bind_add(b, id));
  }
}

/* The bound values as dy_store_sql's parameters. */
static const char *const *bind_vals(const binds *b, const char **v)
{
  int i;
  for (i = 0; i < b->n; i++)
    v[i] = b->v[i];
  return v;
}

/* Filters as a JSON object (saved queries, ask answers). */
static void filt_json(const filt *f, dy_buf *o)
{
  int first = 1;
#define FIELD(k, v)                                                            \
  do {                                                                         \
    if ((v)[0]) {                                                              \
      dy_buf_printf(o, "%s\"%s\":", first ? "" : ",", k);                      \
      dy_buf_json_str(o, v, strlen(v));                                        \
      first = 0;                                                               \
    }                                                                          \
  } while (0)
  dy_buf_putc(o, '{');
  FIELD("source", f->source);
  FIELD("target", f->target);
  FIELD("code", f->code);
  FIELD("root", f->root);
  FIELD("from", f->from);
  FIELD("to", f->to);
  FIELD("country", f->country);
  FIELD("place", f->place);
  if (f->quad) {
    dy_buf_printf(o, "%s\"quad\":\"%d\"", first ? "" : ",", f->quad);
    first = 0;
  }
  if (f->either)
    dy_buf_printf(o, "%s\"either\":\"1\"", first ? "" : ",");
  dy_buf_putc(o, '}');
#undef FIELD
}

/* ---- events ------------------------------------------------------------ */

static const char ev_cols[] =
    "SELECT e.id, e.article_id, e.date, e.source, e.source_name, "
    "e.source_country, e.target, e.target_name, e.target_country, e.code, "
    "e.root, e.quad, e.goldstein, e.sentence_idx, s.text, a.headline, a.name, "
    "a.places FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN sentences s ON s.article_id = e.article_id AND "
    "s.idx = e.sentence_idx WHERE 1=1";

static void jcol(dy_buf *b, const tbl *t, long r, int i)
{
  const char *x = tv(t, r, i);
  dy_buf_json_str(b, x, strlen(x));
}

static void csv_field(dy_buf *b, const char *s)
{
  size_t i;
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  /* a leading = + - @ would be a formula in a spreadsheet */
  int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
  if (quote || formula)
    dy_buf_putc(b, '"');
  if (formula)
    dy_buf_putc(b, '\'');
  for (i = 0; s[i]; i++) {
    if (s[i] == '"')
      dy_buf_putc(b, '"');
    dy_buf_putc(b, s[i]);
  }
  if (quote || formula)
    dy_buf_putc(b, '"');
}

static void event_json(dy_buf *b, const tbl *t, long r)
{
  static const char *const names[] = {NULL,     NULL,          "date",
                                      "source", "source_name", "source_country",
                                      "target", "target_name", "target_country",
                                      "code",   "root"};
  int i;
  dy_buf_printf(b, "{\"id\":%lld,\"article_id\":%lld", ti(t, r, 0),
                ti(t, r, 1));
  for (i = 2; i <= 10; i++) {
    dy_buf_printf(b, ",\"%s\":", names[i]);
    jcol(b, t, r, i);
  }
  dy_buf_printf(b,
                ",\"quad\":%d,\"goldstein\":%.1f,\"sentence_index\":%d,"
                "\"sentence\":",
                (int)ti(t, r, 11), td(t, r, 12), (int)ti(t, r, 13));
  jcol(b, t, r, 14);
  dy_buf_puts(b, ",\"headline\":");
  jcol(b, t, r, 15);
  dy_buf_puts(b, ",\"name\":");
  jcol(b, t, r, 16);
  dy_buf_puts(b, ",\"places\":");
  jcol(b, t, r, 17);
  dy_buf_putc(b, '}');
}

/* Appends the events of f as JSON ({"total","events":[...]}) or CSV. */
static int events_out(dy_store *db, const filt *f, int csv, dy_buf *out,
                      dy_err *err)
{
  dy_buf sql;
  binds b;
  tbl t;
  const char *v[MAX_BINDS];
  int rc = DY_OK;
  long total = 0, r;
  memset(&b, 0, sizeof b);
  memset(&t, 0, sizeof t);
  dy_buf_init(&sql, 1 << 16);
  dy_buf_puts(&sql, "SELECT count(*) FROM events e JOIN articles a ON "
                    "a.id = e.article_id WHERE 1=1");
  filt_where(f, &sql, &b);
  if (!csv) {
    rc = tbl_run(db, sql.p, bind_vals(&b, v), b.n, &t, err);
    total = rc == DY_OK ? (long)ti(&t, 0, 0) : 0;
    tbl_fini(&t);
    if (rc < 0)
      goto out;
  }
  dy_buf_reset(&sql);
  memset(&b, 0, sizeof b);
  dy_buf_puts(&sql, ev_cols);
  filt_where(f, &sql, &b);
  /* NULL dates sort as in SQLite (lowest) on both backends */
  dy_buf_printf(&sql, " ORDER BY e.date %s, e.id %s LIMIT %ld OFFSET %ld",
                f->desc ? "DESC NULLS LAST" : "ASC NULLS FIRST",
                f->desc ? "DESC" : "ASC", f->limit, f->offset);
  rc = tbl_run(db, sql.p, bind_vals(&b, v), b.n, &t, err);
  if (rc < 0)
    goto out;
  if (csv)
    dy_buf_puts(out, "id,article_id,date,source,source_name,source_country,"
                     "target,target_name,target_country,code,root,quad,"
                     "goldstein,sentence_index,sentence,headline\r\n");
  else
    dy_buf_printf(out,
                  "{\"total\":%ld,\"limit\":%ld,\"offset\":%ld,"
                  "\"events\":[",
                  total, f->limit, f->offset);
  for (r = 0; r < t.nrow; r++) {
    if (csv) {
      int i;
      dy_buf_printf(out, "%lld,%lld", ti(&t, r, 0), ti(&t, r, 1));
      for (i = 2; i <= 10; i++) {
        dy_buf_putc(out, ',');
        csv_field(out, tv(&t, r, i));
      }
      dy_buf_printf(out, ",%d,%.1f,%d,", (int)ti(&t, r, 11), td(&t, r, 12),
                    (int)ti(&t, r, 13));
      csv_field(out, tv(&t, r, 14));
      dy_buf_putc(out, ',');
      csv_field(out, tv(&t, r, 15));
      dy_buf_puts(out, "\r\n");
    } else {
      if (r)
        dy_buf_putc(out, ',');
      event_json(out, &t, r);
    }
  }
  if (!csv)
    dy_buf_puts(out, "]}");
out:
  tbl_fini(&t);
  dy_buf_fini(&sql);
  return rc;
}

static void series_json(dy_buf *out, const filt *f, int daily, const tbl *t);

/* Time series of f per month (or day): count and Goldstein. */
static int series_out(dy_store *db, const filt *f, int daily, dy_buf *out,
                      dy_err *err)
{
  dy_buf sql;
  binds b;
  tbl t;
  const char *v[MAX_BINDS];
  int rc;
  memset(&b, 0, sizeof b);
  dy_buf_init(&sql, 1 << 16);
  dy_buf_printf(&sql,
                "SELECT substr(e.date, 1, %d) AS p, count(*), "
                "sum(e.goldstein), avg(e.goldstein), "
                "sum(CASE WHEN e.quad IN (1, 2) THEN 1 ELSE 0 END), "
                "sum(CASE WHEN e.quad IN (3, 4) THEN 1 ELSE 0 END) "
                "FROM events e JOIN articles a ON a.id = e.article_id "
                "WHERE e.date != ''",
                daily ? 10 : 7);
  filt_where(f, &sql, &b);
  dy_buf_puts(&sql, " GROUP BY p ORDER BY p");
  rc = tbl_run(db, sql.p, bind_vals(&b, v), b.n, &t, err);
  dy_buf_fini(&sql);
  if (rc < 0) {
    tbl_fini(&t);
    return rc;
  }
  series_json(out, f, daily, &t);
  tbl_fini(&t);
  return DY_OK;
}

/* The series answer from rows (period, events, goldstein sum, mean,
 * cooperation, conflict): the store's and ClickHouse's alike. */
static void series_json(dy_buf *out, const filt *f, int daily, const tbl *t)
{
  long r;
  dy_buf_printf(out,
                "{\"interval\":\"%s\",\"query\":", daily ? "day" : "month");
  filt_json(f, out);
  dy_buf_puts(out, ",\"points\":[");
  for (r = 0; r < t->nrow; r++) {
    dy_buf_printf(out, "%s{\"period\":", r ? "," : "");
    jcol(out, t, r, 0);
    dy_buf_printf(out,
                  ",\"events\":%d,\"goldstein_sum\":%.1f,"
                  "\"goldstein_mean\":%.2f,\"cooperation\":%d,"
                  "\"conflict\":%d}",
                  (int)ti(t, r, 1), td(t, r, 2), td(t, r, 3), (int)ti(t, r, 4),
                  (int)ti(t, r, 5));
  }
  dy_buf_puts(out, "]}");
}

/* ---- analytics: the heavy aggregates from ClickHouse ------------------- */

/* `dyad serve --analytics clickhouse://...` answers /api/series,
 * /api/dyads and /api/countries from the dyad_events table that `dyad
 * export --to` fills (docs/WEB.md): the same SQL over the same rows, so
 * the same answer as the store's as of the last export. Filters that need
 * the articles table (place, article) and any ClickHouse failure fall back
 * to the store; the X-Dyad-Answered-By header says which answered. */

/* A string literal for ClickHouse: quoted, backslash and quote escaped
 * (the values are validated before, this is a second fence). */
static void ch_lit(dy_buf *b, const char *v)
{
  dy_buf_putc(b, '\'');
  for (; *v; v++) {
    if (*v == '\'' || *v == '\\')
      dy_buf_putc(b, '\\');
    dy_buf_putc(b, *v);
  }
  dy_buf_putc(b, '\'');
}

static void ch_prefix(dy_buf *w, const char *col, const char *p)
{
  char hi[80];
  snprintf(hi, sizeof hi, "%s~", p);
  dy_buf_printf(w, " AND %s >= ", col);
  ch_lit(w, p);
  dy_buf_printf(w, " AND %s < ", col);
  ch_lit(w, hi);
}

static void ch_dyad(dy_buf *w, const char *src, const char *tgt)
{
  dy_buf_puts(w, " AND (1 = 1");
  if (*src)
    ch_prefix(w, "source", src);
  if (*tgt)
    ch_prefix(w, "target", tgt);
  dy_buf_puts(w, ")");
}

/* filt_where in ClickHouse's dialect over dyad_events; 0 when f needs the
 * store (place, article). */
static void dyads_json(dy_buf *out, const tbl *t);
static void countries_json(dy_buf *out, const tbl *t);

static int ch_where(const filt *f, dy_buf *w)
{
  if (f->place[0] || f->article)
    return 0;
  if (f->either && (f->source[0] || f->target[0])) {
    dy_buf_puts(w, " AND (1 = 0 OR (1 = 1");
    ch_dyad(w, f->source, f->target);
    dy_buf_puts(w, ") OR (1 = 1");
    ch_dyad(w, f->target, f->source);
    dy_buf_puts(w, "))");
  } else {
    if (f->source[0])
      ch_prefix(w, "source", f->source);
    if (f->target[0])
      ch_prefix(w, "target", f->target);
  }
  if (f->code[0])
    ch_prefix(w, "code", f->code);
  if (f->root[0]) {
    dy_buf_puts(w, " AND root = ");
    ch_lit(w, f->root);
  }
  if (f->quad)
    dy_buf_printf(w, " AND quad = %d", f->quad);
  if (f->from[0]) {
    dy_buf_puts(w, " AND day != '' AND day >= ");
    ch_lit(w, f->from);
  }
  if (f->to[0]) {
    dy_buf_puts(w, " AND day != '' AND day <= ");
    ch_lit(w, f->to);
  }
  if (f->country[0]) {
    dy_buf_puts(w, " AND (source_country = ");
    ch_lit(w, f->country);
    dy_buf_puts(w, " OR target_country = ");
    ch_lit(w, f->country);
    dy_buf_puts(w, ")");
  }
  return 1;
}

/* Undoes TabSeparated escapes in place. */
static void tsv_unescape(char *p)
{
  char *w = p;
  for (; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == '0' ? '\0' : *p;
    } else {
      *w++ = *p;
    }
  }
  *w = '\0';
}

/* Runs query (FORMAT TabSeparated) on the first host of --analytics that
 * answers; the rows go into t as text. */
static int ch_run(srv *s, const char *query, tbl *t, dy_err *err)
{
  dy_buf out;
  int k, rc = DY_EIO;
  memset(t, 0, sizeof *t);
  dy_buf_init(&t->data, 0);
  dy_buf_init(&out, OUT_CAP);
  for (k = 0; k < s->ch.nhosts; k++) {
    dy_buf_reset(&out);
    rc = dy_ch_query(&s->ch, k, query, NULL, 0, &out, 10000, err);
    if (rc != DY_EIO)
      break; /* answered (or refused the query): no other host will differ */
  }
  if (rc == DY_OK) {
    char *p, *nl;
    dy_buf_putc(&out, '\0');
    if (out.failed) {
      dy_buf_fini(&out);
      return dy_err_set(err, DY_ENOMEM, "out of memory");
    }
    p = out.p;
    while (*p) {
      const char *v[16];
      int n = 0;
      char *c = p;
      nl = strchr(p, '\n');
      if (nl)
        *nl = '\0';
      while (*p && n < 16) {
        char *tab = strchr(c, '\t');
        if (tab)
          *tab = '\0';
        tsv_unescape(c);
        v[n++] = c;
        if (tab == NULL)
          break;
        c = tab + 1;
      }
      if (n && tbl_row(v, n, t) != 0)
        break;
      if (nl == NULL)
        break;
      p = nl + 1;
    }
    if (t->failed)
      rc = dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  dy_buf_fini(&out);
  return rc;
}

static void ch_failed(srv *s, const char *what, const dy_err *err)
{
  if (!s->quiet)
    fprintf(stderr,
            "dyad serve: analytics: %s from ClickHouse failed (%s); "
            "answered from the store\n",
            what, err->msg);
}

/* The series of f from ClickHouse into out; DY_OK, or < 0 (fall back). */
static int ch_series(srv *s, const filt *f, int daily, dy_buf *out)
{
  dy_buf q;
  tbl t;
  dy_err err;
  int rc;
  dy_buf_init(&q, 1 << 16);
  dy_buf_printf(&q,
                "SELECT substring(day, 1, %d) AS p, count(), sum(goldstein), "
                "avg(goldstein), sum(quad IN (1, 2)), sum(quad IN (3, 4)) "
                "FROM %s.dyad_events WHERE day != ''",
                daily ? 10 : 7, s->ch.db);
  if (!ch_where(f, &q)) {
    dy_buf_fini(&q);
    return DY_EINVAL;
  }
  dy_buf_puts(&q, " GROUP BY p ORDER BY p FORMAT TabSeparated");
  dy_buf_putc(&q, '\0');
  rc = q.failed ? DY_ENOMEM : ch_run(s, q.p, &t, &err);
  if (rc == DY_OK)
    series_json(out, f, daily, &t);
  else if (!q.failed)
    ch_failed(s, "series", &err);
  tbl_fini(&t);
  dy_buf_fini(&q);
  return rc;
}

static int ch_dyads(srv *s, int limit, dy_buf *out)
{
  char q[512];
  tbl t;
  dy_err err;
  int rc;
  snprintf(q, sizeof q,
           "SELECT source_country, target_country, count() AS n, "
           "avg(goldstein) FROM %s.dyad_events WHERE source_country "
           "!= '' AND target_country != '' AND source_country != "
           "target_country GROUP BY source_country, target_country "
           "ORDER BY n DESC, source_country, target_country "
           "LIMIT %d FORMAT TabSeparated",
           s->ch.db, limit);
  rc = ch_run(s, q, &t, &err);
  if (rc == DY_OK)
    dyads_json(out, &t);
  else
    ch_failed(s, "dyads", &err);
  tbl_fini(&t);
  return rc;
}

static int ch_countries(srv *s, dy_buf *out)
{
  char q[640];
  tbl t;
  dy_err err;
  int rc;
  snprintf(q, sizeof q,
           "SELECT c, count() AS n FROM (SELECT source_country AS c FROM "
           "%s.dyad_events UNION ALL SELECT target_country AS c FROM "
           "%s.dyad_events WHERE target_country != source_country) "
           "WHERE length(c) = 3 AND c != 'IGO' GROUP BY c ORDER BY n DESC, c "
           "FORMAT TabSeparated",
           s->ch.db, s->ch.db);
  rc = ch_run(s, q, &t, &err);
  if (rc == DY_OK)
    countries_json(out, &t);
  else
    ch_failed(s, "countries", &err);
  tbl_fini(&t);
  return rc;
}

/* ---- article ----------------------------------------------------------- */

typedef struct span {
  long start, end; /* byte offsets in the body */
  int verb;        /* 0 actor, 1 verb */
  char evs[64];    /* event indexes "0,3" */
} span;

#define MAX_SPANS 512

static void add_span(span *sp, int *nsp, long a, long b, int verb, int ev)
{
  int i;
  if (a < 0 || b <= a)
    return;
  for (i = 0; i < *nsp; i++)
    if (sp[i].start == a && sp[i].end == b && sp[i].verb == verb) {
      size_t n = strlen(sp[i].evs);
      if (n + 12 < sizeof sp[i].evs)
        snprintf(sp[i].evs + n, sizeof sp[i].evs - n, ",%d", ev);
      return;
    }
  if (*nsp >= MAX_SPANS)
    return;
  sp[*nsp].start = a;
  sp[*nsp].end = b;
  sp[*nsp].verb = verb;
  snprintf(sp[*nsp].evs, sizeof sp[0].evs, "%d", ev);
  (*nsp)++;
}

static long jint(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static int cmp_long(const void *a, const void *b)
{
  long x = *(const long *)a, y = *(const long *)b;
  return x < y ? -1 : x > y;
}

/* Paragraphs of the body as runs of text, each run listing the spans
 * (indexes into "spans") that cover it. */
static void paragraphs_out(dy_buf *out, const char *body, long n,
                           const span *sp, int nsp)
{
  long p0 = 0;
  int firstp = 1;
  long *cuts = dy_calloc((size_t)nsp * 2 + 2, sizeof *cuts);
  if (cuts == NULL) {
    out->failed = 1;
    return;
  }
  dy_buf_puts(out, "[");
  while (p0 < n) {
    const char *e = strstr(body + p0, "\n\n");
    long p1 = e ? (long)(e - body) : n, at;
    int nc = 0, i, k, firsts = 1;
    for (i = 0; i < nsp; i++) {
      if (sp[i].end <= p0 || sp[i].start >= p1)
        continue;
      cuts[nc++] = sp[i].start > p0 ? sp[i].start : p0;
      cuts[nc++] = sp[i].end < p1 ? sp[i].end : p1;
    }
    cuts[nc++] = p1;
    qsort(cuts, (size_t)nc, sizeof *cuts, cmp_long);
    dy_buf_printf(out, "%s[", firstp ? "" : ",");
    at = p0;
    for (k = 0; k < nc; k++) {
      long c = cuts[k];
      int firstm = 1;
      if (c <= at)
        continue;
      dy_buf_printf(out, "%s{\"t\":", firsts ? "" : ",");
      dy_buf_json_str(out, body + at, (size_t)(c - at));
      dy_buf_puts(out, ",\"m\":[");
      for (i = 0; i < nsp; i++)
        if (sp[i].start <= at && sp[i].end >= c) {
          dy_buf_printf(out, "%s%d", firstm ? "" : ",", i);
          firstm = 0;
        }
      dy_buf_puts(out, "]}");
      firsts = 0;
      at = c;
    }
    dy_buf_puts(out, "]");
    firstp = 0;
    p0 = p1 + 2;
  }
  dy_buf_puts(out, "]");
  dy_free(cuts);
}

/* A span must start and end on UTF-8 character boundaries of the body. */
static int on_boundary(const char *body, long n, long off)
{
  return off >= 0 && off <= n &&
         (off == n || ((unsigned char)body[off] & 0xC0) != 0x80);
}

static int article_out(dy_store *db, long id, dy_buf *out, dy_err *err)
{
  tbl t;
  span *sp;
  int nsp = 0, rc, nev = 0;
  char *body, num[24];
  const char *v[1];
  long n, r;
  snprintf(num, sizeof num, "%ld", id);
  v[0] = num;
  rc = tbl_run(db,
               "SELECT id, hash, name, headline, date, places, agency, "
               "dateline, body, nevents, ingested_at FROM articles "
               "WHERE id = CAST(?1 AS INTEGER)",
               v, 1, &t, err);
  if (rc == DY_OK && t.nrow == 0)
    rc = dy_err_set(err, DY_ENOENT, "no article %ld", id);
  if (rc < 0) {
    tbl_fini(&t);
    return rc;
  }
  {
    static const char *const keys[] = {NULL,   "hash",   "name",   "headline",
                                       "date", "places", "agency", "dateline"};
    int i;
    dy_buf_printf(out, "{\"id\":%ld", id);
    for (i = 1; i <= 7; i++) {
      dy_buf_printf(out, ",\"%s\":", keys[i]);
      jcol(out, &t, 0, i);
    }
    dy_buf_puts(out, ",\"ingested_at\":");
    jcol(out, &t, 0, 10);
  }
  n = (long)strlen(tv(&t, 0, 8));
  body = dy_strndup(tv(&t, 0, 8), (size_t)n);
  tbl_fini(&t);
  sp = dy_calloc(MAX_SPANS, sizeof *sp);
  if (body == NULL || sp == NULL) {
    dy_free(body);
    dy_free(sp);
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  }
  /* events with their stored records (evidence: spans, patterns, lines) */
  rc = tbl_run(db,
               "SELECT id, json FROM events WHERE article_id = "
               "CAST(?1 AS INTEGER) ORDER BY id",
               v, 1, &t, err);
  if (rc < 0) {
    tbl_fini(&t);
    dy_free(body);
    dy_free(sp);
    return rc;
  }
  dy_buf_puts(out, ",\"events\":[");
  for (r = 0; r < t.nrow; r++) {
    const char *js = tv(&t, r, 1);
    json_error_t je;
    json_t *rec = json_loads(js, 0, &je), *evd;
    dy_buf_printf(out, "%s{\"id\":%lld,\"record\":%s}", nev ? "," : "",
                  ti(&t, r, 0), rec ? js : "null");
    evd = rec ? json_object_get(rec, "evidence") : NULL;
    if (evd) {
      static const char *const parts[] = {"source", "target", "verb"};
      int k;
      for (k = 0; k < 3; k++) {
        json_t *p = json_object_get(evd, parts[k]);
        long a = jint(p, "start"), b = jint(p, "end");
        if (p && on_boundary(body, n, a) && on_boundary(body, n, b))
          add_span(sp, &nsp, a, b, k == 2, nev);
      }
    }
    json_decref(rec);
    nev++;
  }
  tbl_fini(&t);
  dy_buf_puts(out, "],\"spans\":[");
  {
    int i;
    for (i = 0; i < nsp; i++)
      dy_buf_printf(out,
                    "%s{\"kind\":\"%s\",\"start\":%ld,\"end\":%ld,"
                    "\"events\":[%s]}",
                    i ? "," : "", sp[i].verb ? "verb" : "actor", sp[i].start,
                    sp[i].end, sp[i].evs);
  }
  dy_buf_puts(out, "],\"paragraphs\":");
  paragraphs_out(out, body, n, sp, nsp);
  dy_buf_puts(out, "}");
  dy_free(body);
  dy_free(sp);
  return DY_OK;
}

/* ---- dashboard aggregates ---------------------------------------------- */

/* The most active dyads from rows (source, target, events, mean). */
static void dyads_json(dy_buf *out, const tbl *t)
{
  long r;
  dy_buf_puts(out, "{\"dyads\":[");
  for (r = 0; r < t->nrow; r++) {
    dy_buf_printf(out, "%s{\"source\":", r ? "," : "");
    jcol(out, t, r, 0);
    dy_buf_puts(out, ",\"target\":");
    jcol(out, t, r, 1);
    dy_buf_printf(out, ",\"events\":%d,\"goldstein_mean\":%.2f}",
                  (int)ti(t, r, 2), td(t, r, 3));
  }
  dy_buf_puts(out, "]}");
}

/* Events per country from rows (country, events). */
static void countries_json(dy_buf *out, const tbl *t)
{
  long r;
  dy_buf_puts(out, "{\"countries\":[");
  for (r = 0; r < t->nrow; r++) {
    dy_buf_printf(out, "%s{\"country\":", r ? "," : "");
    jcol(out, t, r, 0);
    dy_buf_printf(out, ",\"events\":%d}", (int)ti(t, r, 1));
  }
  dy_buf_puts(out, "]}");
}

static int dyads_out(dy_store *db, int limit, dy_buf *out, dy_err *err)
{
  tbl t;
  char sql[400];
  int rc;
  snprintf(sql, sizeof sql,
           "SELECT source_country, target_country, count(*), avg(goldstein) "
           "FROM events WHERE source_country != '' AND target_country != '' "
           "AND source_country != target_country GROUP BY 1, 2 "
           "ORDER BY 3 DESC, 1, 2 LIMIT %d",
           limit);
  rc = tbl_run(db, sql, NULL, 0, &t, err);
  if (rc == DY_OK)
    dyads_json(out, &t);
  tbl_fini(&t);
  return rc;
}

static int countries_out(dy_store *db, dy_buf *out, dy_err *err)
{
  tbl t;
  int rc = tbl_run(
      db,
      "SELECT c, count(*) FROM (SELECT source_country AS c FROM events "
      "UNION ALL SELECT target_country FROM events WHERE target_country "
      "!= source_country) x WHERE length(c) = 3 AND c != 'IGO' "
      "GROUP BY c ORDER BY 2 DESC, 1",
      NULL, 0, &t, err);
  if (rc == DY_OK)
    countries_json(out, &t);
  tbl_fini(&t);
  return rc;
}

static int health_out(dy_store *db, dy_buf *out, dy_err *err)
{
  tbl t;
  int rc = tbl_run(db,
                   "SELECT (SELECT count(*) FROM articles), "
                   "(SELECT count(*) FROM events), "
                   "(SELECT max(date) FROM events)",
                   NULL, 0, &t, err);
  if (rc == DY_OK && t.nrow == 0)
    rc = dy_err_set(err, DY_EDB, "no answer");
  if (rc == DY_OK) {
    dy_buf_printf(out,
                  "{\"status\":\"ok\",\"version\":\"%s\",\"articles\":%lld,"
                  "\"events\":%lld,\"latest_date\":",
                  DYAD_VERSION, ti(&t, 0, 0), ti(&t, 0, 1));
    jcol(out, &t, 0, 2);
    dy_buf_puts(out, "}");
  }
  tbl_fini(&t);
  return rc;
}

/* ---- Atom feed --------------------------------------------------------- */

static void xml_esc(dy_buf *b, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '<':
      dy_buf_puts(b, "&lt;");
      break;
    case '>':
      dy_buf_puts(b, "&gt;");
      break;
    case '&':
      dy_buf_puts(b, "&amp;");
      break;
    case '"':
      dy_buf_puts(b, "&quot;");
      break;
    default:
      if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
        dy_buf_putc(b, *s);
    }
  }
}

static const char *json_get_str(void *ud, const char *key)
{
  json_t *v = json_object_get(ud, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int feed_out(dy_store *db, long id, const char *host, dy_buf *out,
                    dy_err *err)
{
  char *name, *params, why[128];
  json_t *p;
  json_error_t je;
  filt f;
  dy_buf sql;
  binds b;
  tbl t;
  const char *v[MAX_BINDS];
  long r;
  if (api_saved_get(db, id, &name, &params, err) < 0)
    return err->code;
  p = json_loads(params, 0, &je);
  if (p == NULL || !filt_parse(&f, json_get_str, p, 0, why, sizeof why)) {
    json_decref(p);
    dy_free(name);
    dy_free(params);
    return dy_err_set(err, DY_EFORMAT, "saved query %ld is malformed", id);
  }
  json_decref(p);
  f.limit = 50;
  memset(&b, 0, sizeof b);
  dy_buf_init(&sql, 1 << 16);
  dy_buf_printf(&sql, "%s", ev_cols);
  filt_where(&f, &sql, &b);
  dy_buf_puts(&sql, " ORDER BY e.id DESC LIMIT 50");
  if (tbl_run(db, sql.p, bind_vals(&b, v), b.n, &t, err) < 0) {
    tbl_fini(&t);
    dy_buf_fini(&sql);
    dy_free(name);
    dy_free(params);
    return err->code;
  }
  dy_buf_puts(out,
              "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>dyad: ");
  xml_esc(out, name);
  dy_buf_printf(out,
                "</title>\n<id>tag:dyad,2026:saved-query-%ld</id>\n"
                "<link rel=\"self\" href=\"http://",
                id);
  xml_esc(out, host);
  dy_buf_printf(out, "/feeds/%ld.atom\"/>\n", id);
  {
    char now[32];
    time_t now_t = time(NULL);
    struct tm tm;
    gmtime_r(&now_t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    dy_buf_printf(out,
                  "<updated>%s</updated>\n<author><name>dyad</name>"
                  "</author>\n",
                  now);
  }
  for (r = 0; r < t.nrow; r++) {
    const char *date = tv(&t, r, 2);
    dy_buf_printf(out, "<entry>\n<id>tag:dyad,2026:event-%lld</id>\n<title>",
                  ti(&t, r, 0));
    xml_esc(out, date);
    dy_buf_putc(out, ' ');
    xml_esc(out, tv(&t, r, 3));
    dy_buf_putc(out, ' ');
    xml_esc(out, tv(&t, r, 9));
    dy_buf_putc(out, ' ');
    xml_esc(out, tv(&t, r, 6));
    dy_buf_puts(out, ": ");
    xml_esc(out, tv(&t, r, 15));
    dy_buf_printf(out,
                  "</title>\n<updated>%sT00:00:00Z</updated>\n"
                  "<link href=\"http://",
                  strlen(date) == 10 ? date : "1970-01-01");
    xml_esc(out, host);
    dy_buf_printf(out, "/article.html?id=%lld\"/>\n<summary>", ti(&t, r, 1));
    xml_esc(out, tv(&t, r, 14));
    dy_buf_puts(out, "</summary>\n</entry>\n");
  }
  tbl_fini(&t);
  dy_buf_puts(out, "</feed>\n");
  dy_buf_fini(&sql);
  dy_free(name);
  dy_free(params);
  return DY_OK;
}

/* ---- token ------------------------------------------------------------- */

/* Constant-time comparison of two 64-digit hex hashes. */
static int hash_eq(const char *a, const char *b)
{
  unsigned char d = 0;
  size_t i;
  for (i = 0; i < 64; i++)
    d |= (unsigned char)(a[i] ^ b[i]);
  return d == 0;
}

static int token_ok(srv *s, struct MHD_Connection *c)
{
  const char *h =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
  char hex[65];
  if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
    return 0;
  h += 7;
  if (strlen(h) > 256)
    return 0;
  dy_sha256_hex(h, strlen(h), hex);
  return hash_eq(hex, s->token_hash);
}

/* Reads or creates <db>.token: the SHA-256 of the write token. A new token
 * is printed once on stdout. */
static int token_init(srv *s, const char *path)
{
  char tok[65];
  unsigned char raw[32];
  FILE *f;
  int fd;
  size_t i;
  f = fopen(path, "r");
  if (f) {
    char line[128];
    int ok = fgets(line, sizeof line, f) != NULL && strlen(line) >= 64;
    fclose(f);
    for (i = 0; ok && i < 64; i++)
      ok = (dy_ctype[(unsigned char)line[i]] & DY_C_XDIGIT) != 0;
    if (!ok) {
      fprintf(stderr,
              "dyad: %s: malformed token file (delete it to get a "
              "new token)\n",
              path);
      return -1;
    }
    memcpy(s->token_hash, line, 64);
    s->token_hash[64] = '\0';
    return 0;
  }
  fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || read(fd, raw, sizeof raw) != (ssize_t)sizeof raw) {
    if (fd >= 0)
      close(fd);
    fprintf(stderr, "dyad: cannot read /dev/urandom\n");
    return -1;
  }
  close(fd);
  for (i = 0; i < 32; i++)
    snprintf(tok + 2 * i, 3, "%02x", raw[i]);
  dy_sha256_hex(tok, 64, s->token_hash);
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write(fd, s->token_hash, 64) != 64 || write(fd, "\n", 1) != 1) {
    if (fd >= 0)
      close(fd);
    fprintf(stderr, "dyad: %s: cannot write the token file\n", path);
    return -1;
  }
  close(fd);
  printf("write token (shown once; its SHA-256 is in %s): %s\n", path, tok);
  fflush(stdout);
  return 0;
}

/* ---- static files ------------------------------------------------------ */

static const char *mime_of(const char *path)
{
  static const struct {
    const char *ext, *type;
  } m[] = {{".html", "text/html; charset=utf-8"},
           {".js", "text/javascript; charset=utf-8"},
           {".css", "text/css; charset=utf-8"},
           {".json", "application/json"},
           {".svg", "image/svg+xml"},
           {".png", "image/png"},
           {".ico", "image/x-icon"},
           {".txt", "text/plain; charset=utf-8"}};
  const char *dot = strrchr(path, '.');
  size_t i;
  for (i = 0; dot && i < sizeof m / sizeof m[0]; i++)
    if (strcmp(dot, m[i].ext) == 0)
      return m[i].type;
  return NULL; /* not served */
}

/* Only [A-Za-z0-9_.-/] paths without empty, "." or ".." segments or
 * segments starting with a dot; the resolved path must stay in web_real. */
static enum MHD_Result static_file(srv *s, struct MHD_Connection *c,
                                   const char *url, reply *rp)
{
  char path[PATH_MAX], real[PATH_MAX];
  const char *u = strcmp(url, "/") == 0 ? "/index.html" : url, *p, *type;
  struct stat sb;
  struct MHD_Response *r;
  enum MHD_Result ret;
  int fd;
  size_t wl;
  if (!s->web_real[0]) {
    reply_error(rp, 404, "no web directory (run scripts/setup)");
    return send_reply(c, rp);
  }
  if (u[0] != '/' || strlen(u) > 200)
    goto notfound;
  for (p = u; *p; p++) {
    if (!(dy_isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p == '/'))
      goto notfound;
    if (*p == '/' && (p[1] == '/' || p[1] == '.' || p[1] == '\0'))
      goto notfound;
  }
  type = mime_of(u);
  if (type == NULL)
    goto notfound;
  if (snprintf(path, sizeof path, "%s%s", s->web_real, u) >= (int)sizeof path)
    goto notfound;
  if (realpath(path, real) == NULL)
    goto notfound;
  wl = strlen(s->web_real);
  if (strncmp(real, s->web_real, wl) != 0 || real[wl] != '/')
    goto notfound;
  fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    goto notfound;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    goto notfound;
  }
  r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
  if (r == NULL) {
    close(fd);
    return MHD_NO;
  }
  add_security_headers(r);
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control",
                          strncmp(u, "/vendor/", 8) == 0 ? "max-age=3600"
                                                         : "no-cache");
  ret = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  dy_buf_fini(&rp->body);
  return ret;
notfound:
  reply_error(rp, 404, "not found");
  return send_reply(c, rp);
}

/* ---- requests ---------------------------------------------------------- */

typedef struct conn {
  dy_buf body; /* request body so far */
  size_t cap;  /* body cap for this route */
  int over;    /* body went over cap (rest discarded) */
} conn;

typedef struct qsize {
  size_t bytes;
  int n;
} qsize;

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
  qsize *q = cls;
  (void)kind;
  q->bytes += strlen(key) + (value ? strlen(value) : 0) + 2;
  q->n++;
  return MHD_YES;
}

static int is_write_route(const char *url, const char *method)
{
  if (strcmp(method, "POST") == 0)
    return 1;
  return strcmp(method, "DELETE") == 0 && strncmp(url, "/api/saved/", 11) == 0;
}

/* "/prefix<digits>suffix" → id, else 0. */
static long path_id(const char *url, const char *prefix, const char *suffix)
{
  size_t pl = strlen(prefix), sl = strlen(suffix), n = strlen(url), k;
  char num[16];
  long id;
  if (n <= pl + sl || strncmp(url, prefix, pl) != 0 ||
      strcmp(url + n - sl, suffix) != 0)
    return 0;
  k = n - pl - sl;
  if (k >= sizeof num)
    return 0;
  memcpy(num, url + pl, k);
  num[k] = '\0';
  return parse_long(num, 1, LONG_MAX / 2, &id) ? id : 0;
}

static void db_error(reply *rp, const dy_err *err)
{
  if (err->code == DY_ENOENT)
    reply_error(rp, 404, err->msg);
  else if (err->code == DY_EFORMAT || err->code == DY_EINVAL)
    reply_error(rp, 400, err->msg);
  else
    reply_error(rp, 500, "database error");
}

static void do_ask(srv *s, dy_store *db, struct MHD_Connection *c, reply *rp)
{
  const char *q = mhd_arg(c, "q");
  dy_ask a;
  dy_err err;
  filt f;
  int i;
  if (q == NULL || *q == '\0') {
    reply_error(rp, 400, "missing q (the question)");
    return;
  }
  if (dy_ask_parse(s->eng, q, strlen(q), &a, &err) < 0) {
    reply_error(rp, 400, err.msg);
    return;
  }
  memset(&f, 0, sizeof f);
  memcpy(f.source, a.source, sizeof a.source);
  memcpy(f.target, a.target, sizeof a.target);
  memcpy(f.root, a.root, sizeof a.root);
  memcpy(f.from, a.from, sizeof a.from);
  memcpy(f.to, a.to, sizeof a.to);
  f.either = a.symmetric;
  f.limit = 50;
  f.desc = 1;
  dy_buf_puts(&rp->body, "{\"question\":");
  dy_buf_json_str(&rp->body, q, strlen(q));
  dy_buf_puts(&rp->body, ",\"understood\":[");
  for (i = 0; i < a.nnotes; i++) {
    if (i)
      dy_buf_putc(&rp->body, ',');
    dy_buf_json_str(&rp->body, a.notes[i], strlen(a.notes[i]));
  }
  dy_buf_puts(&rp->body, "],\"source_name\":");
  dy_buf_json_str(&rp->body, a.source_name, strlen(a.source_name));
  dy_buf_puts(&rp->body, ",\"target_name\":");
  dy_buf_json_str(&rp->body, a.target_name, strlen(a.target_name));
  dy_buf_puts(&rp->body, ",\"query\":");
  filt_json(&f, &rp->body);
  dy_buf_puts(&rp->body, ",\"answer\":");
  if (a.nnotes == 0) {
    dy_buf_puts(&rp->body, "{\"total\":0,\"events\":[]}}");
    return;
  }
  if (events_out(db, &f, 0, &rp->body, &err) < 0) {
    db_error(rp, &err);
    return;
  }
  dy_buf_putc(&rp->body, '}');
}

static void do_ingest(srv *s, struct MHD_Connection *c, conn *k, reply *rp)
{
  const char *date = mhd_arg(c, "date"), *name = mhd_arg(c, "name");
  char hash[65];
  int rc, inserted = 0, slot;
  size_t nev = 0;
  dy_store *db;
  tbl t;
  dy_err err;
  const char *v[1];
  long id = 0;
  if (date && (strlen(date) != 10 || dy_date_parse(dy_str_c(date)) < 0)) {
    reply_error(rp, 400, "bad date: want YYYY-MM-DD");
    return;
  }
  if (name == NULL || *name == '\0')
    name = "api-ingest";
  if (strlen(name) > 200 || !dy_utf8_valid(name, strlen(name))) {
    reply_error(rp, 400, "bad name: at most 200 bytes of UTF-8");
    return;
  }
  if (k->body.n == 0) {
    reply_error(rp, 400, "empty body: send the page or text");
    return;
  }
  if (!s->quiet)
    fprintf(stderr, "dyad serve: ingest: analysing %zu bytes\n", k->body.n);
  pthread_mutex_lock(&s->wlock);
  rc = dy_doc_analyse(s->doc, k->body.p, k->body.n, name, date);
  if (rc == DY_OK)
    rc = dy_doc_code(s->doc);
  if (rc == DY_OK) {
    nev = dy_doc_nevents(s->doc);
    memcpy(hash, dy_doc_article(s->doc)->hash, sizeof hash);
    rc = dy_store_put(s->wstore, s->doc, &inserted);
    if (rc < 0) {
      pthread_mutex_unlock(&s->wlock);
      reply_error(rp, 500, "database error");
      return;
    }
  } else {
    char msg[300];
    snprintf(msg, sizeof msg, "cannot read the document: %s",
             dy_doc_errmsg(s->doc));
    pthread_mutex_unlock(&s->wlock);
    reply_error(rp, rc == DY_ENOMEM ? 500 : 422, msg);
    return;
  }
  pthread_mutex_unlock(&s->wlock);
  if (!s->quiet)
    fprintf(stderr, "dyad serve: ingest: stored %s (%zu events)\n", hash, nev);
  db = rd_get(s, &slot);
  v[0] = hash;
  if (tbl_run(db, "SELECT min(id) FROM articles WHERE hash = ?1", v, 1, &t,
              &err) == DY_OK)
    id = (long)ti(&t, 0, 0);
  tbl_fini(&t);
  rd_put(s, slot);
  rp->status = inserted ? 201 : 200;
  dy_buf_printf(&rp->body,
                "{\"inserted\":%s,\"article_id\":%ld,\"hash\":\"%s\","
                "\"events\":%zu}",
                inserted ? "true" : "false", id, hash, nev);
}

static void do_saved_create(srv *s, conn *k, reply *rp)
{
  json_error_t je;
  json_t *j, *jn, *jp;
  filt f;
  char why[128];
  const char *name;
  dy_buf params;
  dy_err err;
  long id;
  int rc;
  if (k->body.n == 0 || !dy_utf8_valid(k->body.p, k->body.n)) {
    reply_error(rp, 400, "want a JSON body");
    return;
  }
  j = json_loadb(k->body.p, k->body.n, 0, &je);
  if (j == NULL || !json_is_object(j)) {
    json_decref(j);
    reply_error(rp, 400, "malformed JSON: want {\"name\":..,\"query\":{..}}");
    return;
  }
  jn = json_object_get(j, "name");
  jp = json_object_get(j, "query");
  name = json_is_string(jn) ? json_string_value(jn) : NULL;
  if (name == NULL || *name == '\0' || strlen(name) > 200 ||
      (jp && !json_is_object(jp))) {
    json_decref(j);
    reply_error(rp, 400, "want a name (1 to 200 bytes) and a query object");
    return;
  }
  if (!filt_parse(&f, json_get_str, jp ? jp : j, 0, why, sizeof why)) {
    json_decref(j);
    reply_error(rp, 400, why);
    return;
  }
  dy_buf_init(&params, 1 << 12);
  filt_json(&f, &params);
  pthread_mutex_lock(&s->wlock);
  rc = api_saved_create(s->wstore, name, params.p, &id, &err);
  pthread_mutex_unlock(&s->wlock);
  if (rc < 0) {
    db_error(rp, &err);
  } else {
    rp->status = 201;
    dy_buf_printf(&rp->body, "{\"id\":%ld,\"name\":", id);
    dy_buf_json_str(&rp->body, name, strlen(name));
    dy_buf_printf(&rp->body, ",\"params\":%s,\"feed\":\"/feeds/%ld.atom\"}",
                  params.p, id);
  }
  dy_buf_fini(&params);
  json_decref(j);
}

static void route(srv *s, struct MHD_Connection *c, const char *url,
                  const char *method, conn *k, reply *rp)
{
  int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
  int post = strcmp(method, "POST") == 0;
  int del = strcmp(method, "DELETE") == 0;
  int slot;
  long id;
  dy_store *db;
  dy_err err;
  filt f;
  char why[128];
  dy_err_clear(&err);
  if (strcmp(url, "/api/ingest") == 0) {
    if (!post)
      goto method_post;
    do_ingest(s, c, k, rp);
    return;
  }
  if (strcmp(url, "/api/saved") == 0 && post) {
    do_saved_create(s, k, rp);
    return;
  }
  if ((id = path_id(url, "/api/saved/", "")) != 0 && del) {
    pthread_mutex_lock(&s->wlock);
    if (api_saved_delete(s->wstore, id, &err) < 0)
      db_error(rp, &err);
    else
      dy_buf_printf(&rp->body, "{\"deleted\":%ld}", id);
    pthread_mutex_unlock(&s->wlock);
    return;
  }
  if (!get) {
    if (strcmp(url, "/api/saved") == 0)
      snprintf(rp->allow, sizeof rp->allow, "GET, HEAD, POST");
    else if (path_id(url, "/api/saved/", ""))
      snprintf(rp->allow, sizeof rp->allow, "DELETE");
    else
      snprintf(rp->allow, sizeof rp->allow, "GET, HEAD");
    reply_error(rp, 405, "method not allowed");
    return;
  }
  if (strcmp(url, "/favicon.ico") == 0) { /* the pages link favicon.svg */
    rp->status = 204;
    return;
  }
  if (strncmp(url, "/api/", 5) != 0 && strncmp(url, "/feeds/", 7) != 0) {
    rp->status = -1; /* static */
    return;
  }
  db = rd_get(s, &slot);
  if (strcmp(url, "/api/health") == 0) {
    if (health_out(db, &rp->body, &err) < 0)
      db_error(rp, &err);
  } else if (strcmp(url, "/api/events") == 0 ||
             strcmp(url, "/api/events.csv") == 0) {
    const char *fmt = mhd_arg(c, "format");
    int csv =
        strcmp(url, "/api/events.csv") == 0 || (fmt && strcmp(fmt, "csv") == 0);
    if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0)
      reply_error(rp, 400, "bad format: want json or csv");
    else if (!filt_parse(&f, mhd_arg, c, 1, why, sizeof why))
      reply_error(rp, 400, why);
    else if (events_out(db, &f, csv, &rp->body, &err) < 0)
      db_error(rp, &err);
    else if (csv) {
      rp->ctype = "text/csv; charset=utf-8";
    }
  } else if ((id = path_id(url, "/api/articles/", "/similar")) != 0) {
    if (api_similar(db, id, 8, &rp->body, &err) < 0)
      db_error(rp, &err);
  } else if ((id = path_id(url, "/api/articles/", "")) != 0) {
    if (article_out(db, id, &rp->body, &err) < 0)
      db_error(rp, &err);
  } else if (strcmp(url, "/api/search") == 0) {
    const char *q = mhd_arg(c, "q");
    long lim = 20, off = 0;
    const char *v;
    if (q == NULL || *q == '\0' || strlen(q) > 200 ||
        !dy_utf8_valid(q, strlen(q)))
      reply_error(rp, 400, "want q: 1 to 200 bytes of UTF-8");
    else if (((v = mhd_arg(c, "limit")) && !parse_long(v, 1, 100, &lim)) ||
             ((v = mhd_arg(c, "offset")) &&
              !parse_long(v, 0, MAX_OFFSET, &off)))
      reply_error(rp, 400, "bad limit (1 to 100) or offset");
    else if (api_search(db, q, (int)lim, (int)off, &rp->body, &err) < 0)
      db_error(rp, &err);
  } else if (strcmp(url, "/api/series") == 0) {
    const char *iv = mhd_arg(c, "interval");
    if (iv && strcmp(iv, "month") != 0 && strcmp(iv, "day") != 0)
      reply_error(rp, 400, "bad interval: want month or day");
    else if (!filt_parse(&f, mhd_arg, c, 0, why, sizeof why))
      reply_error(rp, 400, why);
    else if (s->ch.nhosts &&
             ch_series(s, &f, iv && iv[0] == 'd', &rp->body) == DY_OK)
      rp->by = "clickhouse";
    else if (dy_buf_reset(&rp->body),
             series_out(db, &f, iv && iv[0] == 'd', &rp->body, &err) < 0)
      db_error(rp, &err);
    else
      rp->by = "store";
  } else if (strcmp(url, "/api/dyads") == 0) {
    if (s->ch.nhosts && ch_dyads(s, 10, &rp->body) == DY_OK)
      rp->by = "clickhouse";
    else if (dy_buf_reset(&rp->body), dyads_out(db, 10, &rp->body, &err) < 0)
      db_error(rp, &err);
    else
      rp->by = "store";
  } else if (strcmp(url, "/api/countries") == 0) {
    if (s->ch.nhosts && ch_countries(s, &rp->body) == DY_OK)
      rp->by = "clickhouse";
    else if (dy_buf_reset(&rp->body), countries_out(db, &rp->body, &err) < 0)
      db_error(rp, &err);
    else
      rp->by = "store";
  } else if (strcmp(url, "/api/alignments") == 0) {
    const char *d = mhd_arg(c, "date"), *since = mhd_arg(c, "since");
    char dbuf[11], sbuf[11];
    if (d == NULL || strlen(d) != 10 || dy_date_parse(dy_str_c(d)) < 0 ||
        (since &&
         (strlen(since) != 10 || dy_date_parse(dy_str_c(since)) < 0))) {
      reply_error(rp, 400, "want date (and optional since) as YYYY-MM-DD");
    } else {
      memcpy(dbuf, d, 11);
      if (since) {
        memcpy(sbuf, since, 11);
      } else { /* default: 90 days earlier */
        struct tm tm;
        time_t t;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = (int)strtol(d, NULL, 10) - 1900;
        tm.tm_mon = (int)strtol(d + 5, NULL, 10) - 1;
        tm.tm_mday = (int)strtol(d + 8, NULL, 10) - 90;
        tm.tm_hour = 12;
        t = timegm(&tm);
        gmtime_r(&t, &tm);
        strftime(sbuf, sizeof sbuf, "%Y-%m-%d", &tm);
      }
      if (api_alignments(db, dbuf, sbuf, &rp->body, &err) < 0)
        db_error(rp, &err);
    }
  } else if (strcmp(url, "/api/ask") == 0) {
    do_ask(s, db, c, rp);
  } else if (strcmp(url, "/api/saved") == 0) {
    if (api_saved_list(db, &rp->body, &err) < 0)
      db_error(rp, &err);
  } else if ((id = path_id(url, "/feeds/", ".atom")) != 0) {
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    char h[128];
    size_t i;
    /* the Host header goes into links: keep it to host:port characters */
    snprintf(h, sizeof h, "%s", host ? host : "localhost");
    for (i = 0; h[i]; i++)
      if (!(dy_isalnum(h[i]) || h[i] == '.' || h[i] == ':' || h[i] == '-' ||
            h[i] == '[' || h[i] == ']'))
        h[i] = '\0';
    if (feed_out(db, id, h[0] ? h : "localhost", &rp->body, &err) < 0)
      db_error(rp, &err);
    else
      rp->ctype = "application/atom+xml; charset=utf-8";
  } else {
    reply_error(rp, 404, "no such endpoint");
  }
  rd_put(s, slot);
  return;
method_post:
  snprintf(rp->allow, sizeof rp->allow, "POST");
  reply_error(rp, 405, "method not allowed");
}

/* Percent-decoding of paths and arguments in place, as MHD's own, except
 * that %00 stays as written: a NUL would cut the string short of what the
 * client sent ("/index.html%00.js"), so it is left to fail validation. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
  char *r = s, *w = s;
  (void)cls;
  (void)c;
  while (*r) {
    if (r[0] == '%' && (dy_ctype[(unsigned char)r[1]] & DY_C_XDIGIT) &&
        (dy_ctype[(unsigned char)r[2]] & DY_C_XDIGIT)) {
      char hex[3] = {r[1], r[2], '\0'};
      long v = strtol(hex, NULL, 16);
      if (v != 0) {
        *w++ = (char)v;
        r += 3;
        continue;
      }
    }
    *w++ = *r++;
  }
  *w = '\0';
  return (size_t)(w - s);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_size, void **con_cls)
{
  srv *s = cls;
  conn *k = *con_cls;
  reply rp;
  enum MHD_Result ret;
  (void)version;
  reply_init(&rp);
  if (k == NULL) {
    qsize q = {0, 0};
    const char *cl;
    k = dy_calloc(1, sizeof *k);
    if (k == NULL)
      return MHD_NO;
    *con_cls = k;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
        strcmp(method, "POST") != 0 && strcmp(method, "DELETE") != 0) {
      snprintf(rp.allow, sizeof rp.allow, "GET, HEAD, POST, DELETE");
      reply_error(&rp, 405, "method not allowed");
      return send_reply(c, &rp);
    }
    if (strlen(url) > MAX_URL_BYTES || !dy_utf8_valid(url, strlen(url))) {
      reply_error(&rp, 414, "path too long or not UTF-8");
      return send_reply(c, &rp);
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_arg, &q);
    if (q.bytes > MAX_QUERY_BYTES || q.n > 32) {
      reply_error(&rp, 414, "query string over the cap");
      return send_reply(c, &rp);
    }
    if (is_write_route(url, method)) {
      if (!token_ok(s, c)) {
        reply_error(&rp, 401,
                    "write endpoints need 'Authorization: Bearer "
                    "TOKEN' (the token dyad serve printed)");
        return send_reply(c, &rp);
      }
      k->cap =
          strcmp(url, "/api/ingest") == 0 ? MAX_INGEST_BODY : MAX_JSON_BODY;
      cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
      if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > k->cap)) {
        reply_error(&rp, 413, "request body over the cap");
        return send_reply(c, &rp);
      }
      dy_buf_init(&k->body, k->cap + 1);
    }
    dy_buf_fini(&rp.body);
    return MHD_YES;
  }
  if (*upload_size) {
    if (!k->over && k->cap && k->body.n + *upload_size <= k->cap)
      dy_buf_append(&k->body, upload_data, *upload_size);
    else
      k->over = 1;
    *upload_size = 0;
    dy_buf_fini(&rp.body);
    return MHD_YES;
  }
  if (k->over || k->body.failed) {
    reply_error(&rp, 413, "request body over the cap");
    return send_reply(c, &rp);
  }
  route(s, c, url, method, k, &rp);
  if (rp.status == -1)
    return static_file(s, c, url, &rp);
  ret = send_reply(c, &rp);
  return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
  conn *k = *con_cls;
  (void)cls;
  (void)c;
  (void)toe;
  if (k) {
    dy_buf_fini(&k->body);
    dy_free(k);
    *con_cls = NULL;
  }
}

/* ---- run --------------------------------------------------------------- */

int dy_serve_run(const dy_serve_opts *o)
{
  srv s;
  dy_err err;
  dy_engine_opts eo;
  struct sockaddr_in sa;
  struct MHD_Daemon *d;
  struct sigaction act;
  sigset_t mask, old;
  int i, rc = 3;
  memset(&s, 0, sizeof s);
  s.o = o;
  s.quiet = o->quiet;
  pthread_mutex_init(&s.wlock, NULL);
  pthread_mutex_init(&s.plock, NULL);
  pthread_cond_init(&s.pcond, NULL);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)o->port);
  if (inet_pton(AF_INET, o->bind, &sa.sin_addr) != 1) {
    fprintf(stderr, "dyad: serve: bad --bind '%s' (want an IPv4 address)\n",
            o->bind);
    return 2;
  }
  if (o->web_dir && realpath(o->web_dir, s.web_real) == NULL) {
    fprintf(stderr,
            "dyad: serve: %s: no web directory (run scripts/setup); "
            "serving the API only\n",
            o->web_dir);
    s.web_real[0] = '\0';
  }
  memset(&eo, 0, sizeof eo);
  eo.dict_dir = o->dict_dir;
  if (dy_engine_open(&eo, &s.eng, &err) < 0) {
    fprintf(stderr, "dyad: serve: dictionaries: %s\n", err.msg);
    return 3;
  }
  if (dy_doc_new(s.eng, NULL, &s.doc) < 0)
    goto out;
  if (o->analytics && dy_ch_url_parse(o->analytics, &s.ch, &err) < 0) {
    fprintf(stderr, "dyad: serve: --analytics: %s\n", err.msg);
    rc = 2;
    goto out;
  }
  if (dy_store_open(o->db, &s.wstore, &err) < 0) {
    fprintf(stderr, "dyad: %s: %s\n", o->db, err.msg);
    goto out;
  }
  if (api_backend_init(s.wstore, &err) < 0) {
    fprintf(stderr, "dyad: %s: cannot set up the web tables: %s\n", o->db,
            err.msg);
    goto out;
  }
  for (i = 0; i < NPOOL; i++) {
    if (dy_store_open(o->db, &s.rd[i], &err) < 0) {
      fprintf(stderr, "dyad: %s: cannot open for reading: %s\n", o->db,
              err.msg);
      goto out;
    }
  }
  if (token_init(&s, o->token_file) < 0)
    goto out;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_signal;
  sigemptyset(&act.sa_mask);
  sigaction(SIGTERM, &act, NULL);
  sigaction(SIGINT, &act, NULL);
  signal(SIGPIPE, SIG_IGN);
  /* block the stop signals in every thread; the main thread waits for them
   * in sigsuspend */
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  pthread_sigmask(SIG_BLOCK, &mask, &old);
  d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY,
      (uint16_t)o->port, NULL, NULL, handler, &s, MHD_OPTION_SOCK_ADDR, &sa,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
      MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_UNESCAPE_CALLBACK,
      unescape, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
      MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
  if (d == NULL) {
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    fprintf(stderr, "dyad: serve: cannot listen on %s:%d\n", o->bind, o->port);
    goto out;
  }
  fprintf(stderr, "dyad serve: listening on http://%s:%d/ (database %s)\n",
          o->bind, o->port, o->db);
  if (s.ch.nhosts)
    fprintf(stderr,
            "dyad serve: series, dyads and countries from ClickHouse "
            "(%s:%d/%s, %d host%s)\n",
            s.ch.host[0], s.ch.port[0], s.ch.db, s.ch.nhosts,
            s.ch.nhosts > 1 ? "s" : "");
  {
    sigset_t wait = old;
    sigdelset(&wait, SIGTERM);
    sigdelset(&wait, SIGINT);
    while (!stop_flag)
      sigsuspend(&wait);
  }
  fprintf(stderr, "dyad serve: stopping (finishing requests in flight)\n");
  MHD_stop_daemon(d);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  fprintf(stderr, "dyad serve: stopped\n");
  rc = 0;
out:
  for (i = 0; i < NPOOL; i++)
    dy_store_close(s.rd[i]);
  dy_store_close(s.wstore);
  dy_doc_free(s.doc);
  dy_engine_free(s.eng);
  pthread_cond_destroy(&s.pcond);
  pthread_mutex_destroy(&s.plock);
  pthread_mutex_destroy(&s.wlock);
  return rc;
}
