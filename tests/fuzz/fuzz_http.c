/* SPDX-License-Identifier: MIT */
/* Fuzz target: the request parsing of `dyad serve` that is ours rather than
 * libmicrohttpd's: percent-decoding of arguments (the server's unescape
 * callback), event filters from a query string (filt_parse) and from a JSON
 * body (saved queries), the WHERE clause and its bound values built from
 * them (filt_where), the filters as JSON (filt_json) and ids in paths
 * (path_id).
 *
 * Input: "METHOD SP PATH[?QUERY]\n" then the body. The query is split on '&'
 * and '=' as a browser sends it; '+' is a space.
 *
 * Checked: the SQL text holds only the server's own words and "?N"
 * placeholders (no input byte reaches it), every bound value fits its slot,
 * the filter JSON parses, ids are positive. The server's static functions
 * are reached by including its source, as SQLite's fuzzers include the
 * amalgamation. */
#include "../../src/serve/server.c"
#include "../../src/serve/api_backend.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

typedef struct args {
  char *key[MAX_ARGS], *val[MAX_ARGS];
  int n;
} args;

static const char *args_get(void *ud, const char *key)
{
  const args *a = ud;
  int i;
  for (i = 0; i < a->n; i++)
    if (strcmp(a->key[i], key) == 0)
      return a->val[i];
  return NULL;
}

/* Splits q (modified in place) into decoded key/value pairs. */
static void args_split(args *a, char *q)
{
  char *p = q, *c;
  for (c = q; *c; c++) /* '+' is a space in keys and values alike */
    if (*c == '+')
      *c = ' ';
  a->n = 0;
  while (p && *p && a->n < MAX_ARGS) {
    char *amp = strchr(p, '&'), *eq;
    if (amp)
      *amp = '\0';
    eq = strchr(p, '=');
    if (eq)
      *eq = '\0';
    a->key[a->n] = p;
    a->val[a->n] = eq ? eq + 1 : p + strlen(p);
    unescape(NULL, NULL, a->key[a->n]);
    unescape(NULL, NULL, a->val[a->n]);
    a->n++;
    p = amp ? amp + 1 : NULL;
  }
}

/* The SQL built from filters may hold only these bytes: the server's
 * column names, operators, keywords and placeholder digits. */
static void check_sql(const dy_buf *w, const binds *b)
{
  size_t i;
  int k;
  static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                           " ._()<>=?'\\";
  for (i = 0; i < w->n; i++)
    if (strchr(ok, w->p[i]) == NULL || w->p[i] == '\0')
      abort();
  if (b->n < 0 || b->n > (int)(sizeof b->v / sizeof b->v[0]))
    abort();
  for (k = 0; k < b->n; k++)
    if (memchr(b->v[k], 0, sizeof b->v[k]) == NULL)
      abort();
}

/* ClickHouse has no bound values: --analytics writes the filters as
 * literals (ch_where). Outside quotes only the server's own words may
 * appear; inside, every quote and backslash is escaped; quotes balance. */
static void check_ch(const filt *f)
{
  static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                           " _()<>=!";
  dy_buf w;
  size_t i;
  int in = 0;
  dy_buf_init(&w, 1 << 16);
  if (ch_where(f, &w) && !w.failed) {
    for (i = 0; i < w.n; i++) {
      char c = w.p[i];
      if (in) {
        if (c == '\\') {
          if (i + 1 == w.n || (w.p[i + 1] != '\\' && w.p[i + 1] != '\''))
            abort(); /* the server escapes nothing else */
          i++;
        } else if (c == '\'') {
          in = 0;
        }
      } else if (c == '\'') {
        in = 1;
      } else if (c == '\0' || strchr(ok, c) == NULL) {
        abort();
      }
    }
    if (in)
      abort();
  }
  dy_buf_fini(&w);
}

static void check_filters(const filt *f)
{
  dy_buf w, js;
  binds b;
  json_t *j;
  json_error_t je;
  dy_buf_init(&w, 1 << 16); /* as the server sizes them */
  dy_buf_init(&js, 1 << 12);
  memset(&b, 0, sizeof b);
  filt_where(f, &w, &b);
  if (w.failed)
    abort();
  check_sql(&w, &b);
  check_ch(f);
  filt_json(f, &js);
  if (js.failed)
    abort();
  j = json_loadb(js.p, js.n, 0, &je);
  if (j == NULL || !json_is_object(j)) {
    fprintf(stderr, "filter JSON does not parse: %s: %.*s\n", je.text,
            (int)js.n, js.p);
    abort();
  }
  json_decref(j);
  if (f->limit < 1 || f->limit > MAX_ROWS || f->offset < 0 ||
      f->offset > MAX_OFFSET || f->article < 0)
    abort();
  dy_buf_fini(&w);
  dy_buf_fini(&js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *in, *nl, *sp, *path, *q, why[128];
  const char *body;
  size_t nbody;
  args a;
  filt f;
  long id;
  if (size > 65536)
    return 0;
  in = malloc(size + 1);
  if (in == NULL)
    return 0;
  memcpy(in, data, size);
  in[size] = '\0';
  nl = memchr(in, '\n', size);
  body = nl ? nl + 1 : in + size;
  nbody = size - (size_t)(body - in);
  if (nl)
    *nl = '\0';
  sp = strchr(in, ' ');
  path = sp ? sp + 1 : in;
  if (strlen(path) <= MAX_URL_BYTES) {
    /* ids in paths, as the router reads them */
    static const char *const pre[][2] = {{"/api/articles/", ""},
                                         {"/api/articles/", "/similar"},
                                         {"/api/saved/", ""},
                                         {"/feeds/", ".atom"}};
    size_t k;
    for (k = 0; k < sizeof pre / sizeof pre[0]; k++) {
      char u[MAX_URL_BYTES + 1];
      snprintf(u, sizeof u, "%s", path);
      if ((q = strchr(u, '?')) != NULL)
        *q = '\0';
      unescape(NULL, NULL, u);
      id = path_id(u, pre[k][0], pre[k][1]);
      if (id < 0)
        abort();
    }
  }
  q = strchr(path, '?');
  if (q && strlen(q + 1) <= MAX_QUERY_BYTES) {
    int paging;
    args_split(&a, q + 1);
    for (paging = 0; paging <= 1; paging++)
      if (filt_parse(&f, args_get, &a, paging, why, sizeof why))
        check_filters(&f);
      else if (memchr(why, 0, sizeof why) == NULL || why[0] == '\0')
        abort();
  }
  if (nbody > 0 && nbody <= MAX_JSON_BODY && dy_utf8_valid(body, nbody)) {
    json_error_t je;
    json_t *j = json_loadb(body, nbody, 0, &je);
    if (j && json_is_object(j)) {
      json_t *jp = json_object_get(j, "query");
      if (filt_parse(&f, json_get_str, json_is_object(jp) ? jp : j, 0, why,
                     sizeof why))
        check_filters(&f);
    }
    json_decref(j);
  }
  free(in);
  return 0;
}
