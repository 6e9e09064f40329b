/* SPDX-License-Identifier: MIT */
/* dyad-bench: the in-process half of `make bench` (bench/run.sh drives it).
 * `stages` times each stage of the pipeline on the same documents, through
 * the public API only: read (dy_read_inputs), extract+analyse
 * (dy_doc_analyse_input), code (dy_doc_code) and store (dy_store_put in
 * batched transactions, as `dyad ingest` does), and reports the process's
 * peak memory. `--upto parse` is a floor: a bare myhtml parse of each
 * document's bytes (tree built and dropped), the cost of any HTML reading.
 * `variants` writes distinct copies of a corpus (one text file
 * per article, or CSV) so repeated input is not skipped as already stored.
 * `query` times filtered event queries (dy_store_query, rows consumed) on
 * an open store: the latency an embedding server sees. */
#include "dyad/dyad.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <myhtml/api.h>

enum { UP_READ, UP_ANALYSE, UP_CODE, UP_STORE, UP_PARSE };

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (single-threaded: the stage's own work,
 * whatever else the machine is doing). */
static double cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void die(const char *fmt, ...) DY_PRINTF(1, 2);
static _Noreturn void die(const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "dyad-bench: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(2);
}

/* ==== stages ============================================================ */

typedef struct run {
  int upto;                 /* last stage run, UP_* */
  const char *date;         /* --date or NULL */
  dy_doc *doc;              /* document context */
  dy_store *st;             /* store, for UP_STORE */
  size_t batch;             /* articles per transaction */
  size_t inbatch;           /* puts in the open transaction */
  size_t docs;              /* documents read */
  size_t failed;            /* documents refused by analyse or code */
  size_t sentences;         /* sentences analysed */
  size_t tokens;            /* tokens analysed */
  size_t events;            /* events coded */
  size_t stored;            /* articles inserted */
  unsigned long long bytes; /* input bytes */
  unsigned long long sum;   /* checksum of the bytes read (keeps reads) */
  double t_cb;              /* seconds inside the callback */
  double t_analyse, t_code, t_store;       /* wall seconds per stage */
  double c_cb, c_analyse, c_code, c_store; /* CPU seconds per stage */
  myhtml_t *mh;             /* UP_PARSE: the parser */
  myhtml_tree_t *tree;      /* UP_PARSE: one tree, cleaned per document */
} run;

static int on_doc(const dy_input *in, void *ud)
{
  run *r = ud;
  double t0 = now_s(), t1, t2, t3;
  double c0 = cpu_s(), c1, c2;
  const dy_article *a;
  int rc, inserted = 0;
  size_t i;
  r->docs++;
  r->bytes += in->n;
  for (i = 0; i < in->n; i += 4096)
    r->sum += (unsigned char)in->bytes[i];
  if (r->upto == UP_READ)
    goto out;
  if (r->upto == UP_PARSE) {
    myhtml_parse(r->tree, MyENCODING_UTF_8, in->bytes, in->n);
    r->tokens += myhtml_node_child(myhtml_tree_get_document(r->tree)) != NULL;
    myhtml_tree_clean(r->tree);
    r->t_analyse += now_s() - t0;
    r->c_analyse += cpu_s() - c0;
    goto out;
  }
  rc = dy_doc_analyse_input(r->doc, in, r->date);
  t1 = now_s();
  c1 = cpu_s();
  r->t_analyse += t1 - t0;
  r->c_analyse += c1 - c0;
  if (rc < 0) {
    r->failed++;
    goto out;
  }
  a = dy_doc_article(r->doc);
  r->sentences += a->nsents;
  r->tokens += a->ntoks;
  if (r->upto == UP_ANALYSE)
    goto out;
  rc = dy_doc_code(r->doc);
  t2 = now_s();
  c2 = cpu_s();
  r->t_code += t2 - t1;
  r->c_code += c2 - c1;
  if (rc < 0) {
    r->failed++;
    goto out;
  }
  r->events += dy_doc_nevents(r->doc);
  if (r->upto == UP_CODE)
    goto out;
  if (r->inbatch == 0 && r->batch > 1 && dy_store_begin(r->st) < 0)
    die("%s", dy_store_errmsg(r->st));
  if (dy_store_put(r->st, r->doc, &inserted) < 0)
    die("%s", dy_store_errmsg(r->st));
  r->stored += (size_t)inserted;
  if (r->batch > 1 && ++r->inbatch >= r->batch) {
    if (dy_store_commit(r->st) < 0)
      die("%s", dy_store_errmsg(r->st));
    r->inbatch = 0;
  }
  t3 = now_s();
  r->t_store += t3 - t2;
  r->c_store += cpu_s() - c2;
out:
  r->t_cb += now_s() - t0;
  r->c_cb += cpu_s() - c0;
  return 0;
}

static void on_err(const char *name, int rc, const char *msg, void *ud)
{
  (void)rc;
  (void)ud;
  fprintf(stderr, "dyad-bench: %s: %s\n", name, msg);
}

static int cmd_stages(int argc, char **argv)
{
  const char *dict = NULL, *db = NULL, *upto = "store";
  dy_engine_opts eo;
  dy_engine *eng = NULL;
  dy_read_opts ro;
  dy_err err;
  struct rusage ru;
  run r;
  double t0, total, ct0, ctotal;
  int i;
  memset(&r, 0, sizeof r);
  r.batch = 64;
  for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
    const char *o = argv[i];
    if (i + 1 >= argc)
      die("%s needs a value", o);
    if (strcmp(o, "--dict-dir") == 0)
      dict = argv[++i];
    else if (strcmp(o, "--date") == 0)
      r.date = argv[++i];
    else if (strcmp(o, "--db") == 0)
      db = argv[++i];
    else if (strcmp(o, "--upto") == 0)
      upto = argv[++i];
    else if (strcmp(o, "--batch") == 0)
      r.batch = (size_t)strtoul(argv[++i], NULL, 10);
    else
      die("unknown option %s", o);
  }
  if (strcmp(upto, "read") == 0)
    r.upto = UP_READ;
  else if (strcmp(upto, "analyse") == 0)
    r.upto = UP_ANALYSE;
  else if (strcmp(upto, "code") == 0)
    r.upto = UP_CODE;
  else if (strcmp(upto, "store") == 0)
    r.upto = UP_STORE;
  else if (strcmp(upto, "parse") == 0)
    r.upto = UP_PARSE;
  else
    die("bad --upto %s (read, parse, analyse, code, store)", upto);
  if (i >= argc)
    die("%s", "no input paths");
  if (r.upto == UP_STORE && db == NULL)
    die("%s", "--upto store needs --db FILE");
  memset(&eo, 0, sizeof eo);
  eo.dict_dir = dict;
  if (r.upto == UP_PARSE) {
    r.mh = myhtml_create();
    r.tree = myhtml_tree_create();
    if (r.mh == NULL || r.tree == NULL ||
        myhtml_init(r.mh, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0) !=
            MyHTML_STATUS_OK ||
        myhtml_tree_init(r.tree, r.mh) != MyHTML_STATUS_OK)
      die("%s", "cannot start the HTML parser");
  }
  if (r.upto >= UP_ANALYSE && r.upto != UP_PARSE) {
    if (dy_engine_open(&eo, &eng, &err) < 0)
      die("cannot load dictionaries: %s", err.msg);
    if (dy_doc_new(eng, NULL, &r.doc) < 0)
      die("%s", "out of memory");
  }
  if (r.upto == UP_STORE && dy_store_open(db, &r.st, &err) < 0)
    die("%s", err.msg);
  memset(&ro, 0, sizeof ro);
  t0 = now_s();
  ct0 = cpu_s();
  for (; i < argc; i++)
    dy_read_inputs(argv[i], &ro, on_doc, on_err, &r);
  if (r.inbatch) {
    double w0 = now_s(), c0 = cpu_s();
    if (dy_store_commit(r.st) < 0)
      die("%s", dy_store_errmsg(r.st));
    r.t_store += now_s() - w0;
    r.c_store += cpu_s() - c0;
  }
  total = now_s() - t0;
  ctotal = cpu_s() - ct0;
  getrusage(RUSAGE_SELF, &ru);
  /* one line of key=value pairs for bench/run.sh; *_s wall seconds, *_cpu
   * CPU seconds; the read stage is everything outside the callback */
  printf("upto=%s docs=%zu failed=%zu bytes=%llu sentences=%zu tokens=%zu "
         "events=%zu stored=%zu read_s=%.6f analyse_s=%.6f code_s=%.6f "
         "store_s=%.6f total_s=%.6f read_cpu=%.6f analyse_cpu=%.6f "
         "code_cpu=%.6f store_cpu=%.6f maxrss_kb=%ld check=%llu\n",
         upto, r.docs, r.failed, r.bytes, r.sentences, r.tokens, r.events,
         r.stored, total - (r.upto == UP_READ ? 0 : r.t_cb), r.t_analyse,
         r.t_code, r.t_store, total, ctotal - (r.upto == UP_READ ? 0 : r.c_cb),
         r.c_analyse, r.c_code, r.c_store, ru.ru_maxrss, r.sum);
  dy_store_close(r.st);
  dy_doc_free(r.doc);
  dy_engine_free(eng);
  if (r.tree)
    myhtml_tree_destroy(r.tree);
  if (r.mh)
    myhtml_destroy(r.mh);
  return 0;
}

/* ==== variants ========================================================== */

/* One record of a corpus: from the project's readers, or from the small
 * CSV splitter below when the reader in use does not split CSV. */
typedef struct rec {
  const char *url, *date, *title; /* NULL when absent */
  const char *text;
  size_t n;
} rec;

typedef struct gen {
  int copies;               /* variants per record */
  int csv;                  /* write CSV (else one text file per record) */
  const char *out;          /* output directory */
  FILE **files;             /* CSV: one per copy */
  size_t nrec;              /* records written per copy */
  unsigned long long bytes; /* bytes written */
} gen;

/* Writes s[0..n) with quotes doubled, without the enclosing quotes. */
static void csv_body(FILE *f, const char *s, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] == '"')
      fputc('"', f);
    fputc(s[i], f);
  }
}

static void csv_field(FILE *f, const char *s)
{
  fputc('"', f);
  csv_body(f, s, strlen(s));
  fputc('"', f);
}

static void emit(gen *g, const rec *r)
{
  int k;
  char mark[64];
  for (k = 0; k < g->copies; k++) {
    int m = snprintf(mark, sizeof mark, "\n\n(Benchmark copy %d.)\n", k + 1);
    if (g->csv) {
      FILE *f = g->files[k];
      csv_field(f, r->url ? r->url : "");
      fputc(',', f);
      csv_field(f, r->date ? r->date : "");
      fputc(',', f);
      csv_field(f, r->title ? r->title : "");
      fputs(",\"", f);
      csv_body(f, r->text, r->n);
      csv_body(f, mark, (size_t)m);
      fputs("\"\n", f);
    } else {
      char path[4096];
      FILE *f;
      snprintf(path, sizeof path, "%s/c%03d-%07zu.txt", g->out, k + 1, g->nrec);
      f = fopen(path, "wb");
      if (f == NULL)
        die("cannot write %s", path);
      if (r->title && *r->title)
        fprintf(f, "%s\n\n", r->title);
      fwrite(r->text, 1, r->n, f);
      fwrite(mark, 1, (size_t)m, f);
      fclose(f);
    }
    g->bytes += r->n + (size_t)m;
  }
  g->nrec++;
}

/* Splits RFC 4180 CSV with a header naming url/date/title/text columns;
 * other columns are ignored. Enough for the benchmark's generator. */
static void split_csv(gen *g, char *s, size_t n)
{
  enum { MAXF = 16 };
  char *f[MAXF];
  size_t fl[MAXF];
  int col[4] = {-1, -1, -1, -1}; /* url date title text */
  static const char *const names[4] = {"url", "date", "title", "text"};
  size_t i = 0;
  int row = 0;
  while (i < n) {
    int nf = 0, k;
    /* one record: fields unquoted in place */
    for (;;) {
      char *w = s + i, *start = w;
      if (i < n && s[i] == '"') {
        i++;
        while (i < n) {
          if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
            *w++ = '"';
            i += 2;
          } else if (s[i] == '"') {
            i++;
            break;
          } else {
            *w++ = s[i++];
          }
        }
      } else {
        while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
          *w++ = s[i++];
      }
      if (nf < MAXF) {
        f[nf] = start;
        fl[nf] = (size_t)(w - start);
        nf++;
      }
      if (i < n && s[i] == ',') {
        i++;
        continue;
      }
      while (i < n && (s[i] == '\r' || s[i] == '\n'))
        i++;
      break;
    }
    if (row++ == 0) {
      for (k = 0; k < nf; k++) {
        int c;
        for (c = 0; c < 4; c++)
          if (fl[k] == strlen(names[c]) && strncmp(f[k], names[c], fl[k]) == 0)
            col[c] = k;
      }
      if (col[3] < 0)
        die("%s", "CSV without a text column");
      continue;
    }
    if (col[3] < nf) {
      rec r;
      for (k = 0; k < 3; k++)
        if (col[k] >= 0 && col[k] < nf)
          f[col[k]][fl[col[k]]] = '\0';
      r.url = col[0] >= 0 && col[0] < nf ? f[col[0]] : NULL;
      r.date = col[1] >= 0 && col[1] < nf ? f[col[1]] : NULL;
      r.title = col[2] >= 0 && col[2] < nf ? f[col[2]] : NULL;
      r.text = f[col[3]];
      r.n = fl[col[3]];
      emit(g, &r);
    }
  }
}

static int on_variant(const dy_input *in, void *ud)
{
  rec r;
  r.url = in->url;
  r.date = in->date;
  r.title = in->title;
  r.text = in->bytes;
  r.n = in->n;
  emit(ud, &r);
  return 0;
}

static int cmd_variants(int argc, char **argv)
{
  gen g;
  int i, own_csv = 0, k;
  dy_read_opts ro;
  memset(&g, 0, sizeof g);
  g.copies = 1;
  for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
    const char *o = argv[i];
    if (strcmp(o, "--split-csv") == 0) {
      own_csv = 1;
      continue;
    }
    if (i + 1 >= argc)
      die("%s needs a value", o);
    if (strcmp(o, "--copies") == 0)
      g.copies = (int)strtol(argv[++i], NULL, 10);
    else if (strcmp(o, "--out") == 0)
      g.out = argv[++i];
    else if (strcmp(o, "--format") == 0)
      g.csv = strcmp(argv[++i], "csv") == 0;
    else
      die("unknown option %s", o);
  }
  if (g.out == NULL || g.copies < 1 || i >= argc)
    die("%s", "usage: dyad-bench variants --copies K --out DIR "
              "[--format txt|csv] [--split-csv] PATH...");
  mkdir(g.out, 0777);
  if (g.csv) {
    g.files = calloc((size_t)g.copies, sizeof(FILE *));
    if (g.files == NULL)
      die("%s", "out of memory");
    for (k = 0; k < g.copies; k++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/copy%03d.csv", g.out, k + 1);
      g.files[k] = fopen(path, "wb");
      if (g.files[k] == NULL)
        die("cannot write %s", path);
      fputs("url,date,title,text\n", g.files[k]);
    }
  }
  memset(&ro, 0, sizeof ro);
  for (; i < argc; i++) {
    size_t n = strlen(argv[i]);
    if (own_csv && n > 4 && strcmp(argv[i] + n - 4, ".csv") == 0) {
      dy_buf b;
      dy_err err;
      dy_buf_init(&b, 0);
      if (dy_file_read(argv[i], 0, &b, &err) < 0)
        die("%s", err.msg);
      split_csv(&g, b.p, b.n);
      dy_buf_fini(&b);
    } else {
      dy_read_inputs(argv[i], &ro, on_variant, on_err, &g);
    }
  }
  for (k = 0; g.files && k < g.copies; k++)
    fclose(g.files[k]);
  free(g.files);
  printf("records=%zu copies=%d bytes=%llu\n", g.nrec, g.copies, g.bytes);
  return 0;
}

/* ---- query latency ------------------------------------------------------ */

static int count_row(const dy_event_row *r, void *ud)
{
  (void)r;
  ++*(long *)ud;
  return 0;
}

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmd_query(int argc, char **argv)
{
  /* the filters of bench/run.sh's CLI rows */
  static const struct {
    const char *label;
    dy_query q;
  } qs[] = {
      {"source RUS, limit 100", {.source = "RUS", .limit = 100}},
      {"target PRK from 2019-01-01, limit 100",
       {.target = "PRK", .from = "2019-01-01", .limit = 100}},
      {"code 05, limit 100", {.code = "05", .limit = 100}},
      {"actor USA in Mar-Apr 1987, limit 100",
       {.actor = "USA", .from = "1987-03-01", .to = "1987-04-30",
        .limit = 100}},
      {"country PRK, quad 1", {.country = "PRK", .quad = 1}},
      {"min-mentions 2, limit 100", {.min_mentions = 2, .limit = 100}},
      {"text korea, limit 100", {.text = "korea", .limit = 100}},
      {"source USA code 04, page 2 of 20", {.source = "USA", .code = "04",
                                            .limit = 20, .offset = 20}},
      {"March 1987, page 2 of 100", {.from = "1987-03-01", .to = "1987-03-31",
                                     .limit = 100, .offset = 100}},
      {"all events (no filter)", {.limit = 0}},
  };
  const char *db = NULL;
  int runs = 20, i, k;
  size_t nq = sizeof qs / sizeof qs[0], nall = 0;
  dy_store *st = NULL;
  dy_err err;
  double *all, *t;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
      db = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = (int)strtol(argv[++i], NULL, 10);
  }
  if (db == NULL || runs < 1 || runs > 100000)
    die("%s", "usage: dyad-bench query --db FILE [--runs N]");
  if (dy_store_open(db, &st, &err) < 0)
    die("%s: %s", db, err.msg);
  all = calloc(nq * (size_t)runs, sizeof *all);
  t = calloc((size_t)runs, sizeof *t);
  if (all == NULL || t == NULL)
    die("%s", "out of memory");
  printf("%-40s %6s %8s %8s %8s\n", "query (in-process, store open)", "rows",
         "p50 ms", "p95 ms", "max ms");
  for (k = 0; k < (int)nq; k++) {
    long rows = 0;
    for (i = 0; i < runs; i++) {
      double t0 = now_s();
      rows = 0;
      if (dy_store_query(st, &qs[k].q, count_row, &rows) < 0)
        die("%s: %s", qs[k].label, dy_store_errmsg(st));
      t[i] = (now_s() - t0) * 1000.0;
      if (k + 1 < (int)nq)
        all[nall++] = t[i];
    }
    qsort(t, (size_t)runs, sizeof *t, dcmp);
    printf("%-40s %6ld %8.2f %8.2f %8.2f\n", qs[k].label, rows,
           t[(runs - 1) / 2], t[(int)(runs * 0.95 + 0.999) - 1],
           t[runs - 1]);
  }
  qsort(all, nall, sizeof *all, dcmp);
  printf("%-40s %6s %8.2f %8.2f %8.2f\n", "filtered queries together", "",
         all[(nall - 1) / 2], all[(size_t)((double)nall * 0.95 + 0.999) - 1],
         all[nall - 1]);
  free(all);
  free(t);
  dy_store_close(st);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc >= 2 && strcmp(argv[1], "query") == 0)
    return cmd_query(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "stages") == 0)
    return cmd_stages(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "variants") == 0)
    return cmd_variants(argc - 1, argv + 1);
  fprintf(stderr,
          "usage: dyad-bench stages [--dict-dir DIR] [--date D] [--db FILE]\n"
          "                  [--upto read|parse|analyse|code|store] [--batch N] "
          "PATH...\n"
          "       dyad-bench variants --copies K --out DIR [--format "
          "txt|csv]\n"
          "                  [--split-csv] PATH...\n"
          "       dyad-bench query --db FILE [--runs N]\n");
  return 2;
}
