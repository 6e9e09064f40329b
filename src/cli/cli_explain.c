/* SPDX-License-Identifier: MIT */
/* `dyad explain`: for every event of a file (or the N-th), the sentence with
 * source, verb and target marked, the dictionary lines and the pattern that
 * produced it, and the clause frame the coder read when the sentence was
 * parsed. Plain text for people; `dyad code` is the machine format. */
#include "cli.h"
#include "dyad/frame.h"

#include <stdlib.h>
#include <string.h>

typedef struct explain_ctx {
  dy_engine *eng;
  dy_doc *doc;
  const char *date;
  long only;     /* 1-based event number to show, 0 = all */
  int color;     /* ANSI marks instead of brackets */
  size_t shown;  /* events printed */
  dy_arena mem;  /* frames */
} explain_ctx;

/* One marked span of the sentence. */
typedef struct mark {
  uint32_t off, end;
  const char *open, *close;
} mark;

static int mark_cmp(const void *a, const void *b)
{
  const mark *x = a, *y = b;
  return x->off < y->off ? -1 : x->off > y->off;
}

static void print_marked(const explain_ctx *c, const dy_article *a,
                         const dy_sentence *st, mark *m, int nm)
{
  uint32_t p = st->off, end = st->off + st->len;
  int i;
  qsort(m, (size_t)nm, sizeof *m, mark_cmp);
  fputs("  ", stdout);
  for (i = 0; i < nm; i++) {
    if (m[i].off < p || m[i].end > end || m[i].end <= m[i].off)
      continue; /* outside the sentence or overlapping an earlier mark */
    fwrite(a->text + p, 1, m[i].off - p, stdout);
    fputs(c->color ? "\x1b[1m" : m[i].open, stdout);
    fwrite(a->text + m[i].off, 1, m[i].end - m[i].off, stdout);
    fputs(c->color ? "\x1b[0m" : "", stdout);
    fputs(m[i].close, stdout);
    p = m[i].end;
  }
  fwrite(a->text + p, 1, end - p, stdout);
  fputc('\n', stdout);
}

static void print_actor(const dy_article *a, const char *role,
                        const dy_actor *x)
{
  int i;
  printf("  %-7s %s", role, x->code);
  if (x->name)
    printf(" (%s)", x->name);
  printf("  \"%.*s\" [%u,%u)\n", (int)x->len, a->text + x->off, x->off,
         x->off + x->len);
  for (i = 0; i < x->nev; i++) {
    const dy_evidence *e = &x->ev[i];
    printf("          - %s", e->what ? e->what : "");
    if (e->file && *e->file)
      printf("  %s:%d", e->file, e->line);
    printf("  \"%.*s\" [%u,%u)\n", (int)e->len, a->text + e->off, e->off,
           e->off + e->len);
  }
}

/* The frame whose predicate is the event's verb token, described. */
static void print_frame(explain_ctx *c, const dy_article *a,
                        const dy_event *ev)
{
  const dy_sentence *st = &a->sents[ev->sentence];
  dy_frame *fr;
  size_t n, i;
  char buf[1024];
  dy_arena_reset(&c->mem);
  if (dy_frames_build(a, st, &c->mem, &fr, &n) != DY_OK || n == 0) {
    printf("  clause  (sentence not parsed: surface patterns only)\n");
    return;
  }
  for (i = 0; i < n; i++) {
    const dy_token *t = &a->toks[fr[i].pred];
    if (t->off == ev->verb.off) {
      dy_frame_describe(a, &fr[i], buf, sizeof buf);
      printf("  clause  %s\n", buf);
      return;
    }
  }
}

static int explain_one(const dy_input *in, void *ud)
{
  explain_ctx *c = ud;
  const dy_article *a;
  size_t i;
  int rc = dy_doc_analyse_input(c->doc, in, c->date);
  if (rc == DY_OK)
    rc = dy_doc_code(c->doc);
  if (rc < 0) {
    cli_error(in->name, "%s", dy_doc_errmsg(c->doc));
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  a = dy_doc_article(c->doc);
  for (i = 0; i < dy_doc_nevents(c->doc); i++) {
    const dy_event *ev = dy_doc_event(c->doc, i);
    const dy_sentence *st = &a->sents[ev->sentence];
    const char *name = "";
    int quad;
    double gs;
    mark m[3];
    if (c->only && (long)i + 1 != c->only)
      continue;
    (void)dy_cameo_lookup(c->eng, ev->code, &quad, &gs, &name);
    printf("%s event %zu: %s -> %s  %s %s  (Goldstein %.1f, QuadClass %d)"
           "  date %s\n",
           in->name, i + 1, ev->source.code, ev->target.code, ev->code,
           name ? name : "", ev->goldstein, ev->quad,
           ev->date && *ev->date ? ev->date : "unknown");
    m[0] = (mark){ev->source.off, ev->source.off + ev->source.len, "[",
                  "]{source}"};
    m[1] = (mark){ev->verb.off, ev->verb.off + ev->verb.len, "<", ">{verb}"};
    m[2] = (mark){ev->target.off, ev->target.off + ev->target.len, "[",
                  "]{target}"};
    printf("  sentence %d:\n", ev->sentence);
    print_marked(c, a, st, m, 3);
    print_actor(a, "source", &ev->source);
    printf("  verb    \"%.*s\" [%u,%u)  %s  %s:%d\n", (int)ev->verb.len,
           a->text + ev->verb.off, ev->verb.off, ev->verb.off + ev->verb.len,
           ev->verb.what ? ev->verb.what : "", ev->verb.file ? ev->verb.file : "",
           ev->verb.line);
    printf("  pattern %s\n", ev->pattern ? ev->pattern : "");
    print_actor(a, "target", &ev->target);
    print_frame(c, a, ev);
    fputc('\n', stdout);
    c->shown++;
  }
  return CLI_OK;
}

int cli_explain(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "explain", "[options] FILE|DIR|-...",
      "Codes news files like 'dyad code' and explains every event: the "
      "sentence\nwith [source], <verb> and [target] marked, the dictionary "
      "lines that built\neach actor, the verb's pattern with its line, and "
      "the clause frame read\nfrom the parse.",
      NULL};
  cli_opt opts[] = {
      {"date", "YYYY-MM-DD", "publication date (else the dateline's)", NULL},
      {"event", "N", "explain only the N-th event (1-based, as coded)", NULL},
      {"color", NULL, "mark spans with bold instead of brackets", NULL},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",
       "64M"},
      {"verbose", NULL, "log dictionary warnings and progress", NULL},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc;
  explain_ctx c;
  cli_tally tally;
  dy_doc_opts dopts;
  long long max;
  memset(&c, 0, sizeof c);
  memset(&tally, 0, sizeof tally);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  max = cli_size(cli_get(opts, "max-doc-bytes"));
  c.date = cli_get(opts, "date");
  if (npos == 0 || max <= 0 ||
      (c.date && dy_date_parse(dy_str_c(c.date)) < 0)) {
    cli_error("explain", npos == 0 ? "no input files (use - for standard "
                                     "input)"
                                   : "bad --max-doc-bytes or --date");
    dy_free(pos);
    return CLI_USAGE;
  }
  if (cli_get(opts, "event")) {
    char *end;
    c.only = strtol(cli_get(opts, "event"), &end, 10);
    if (*end || c.only < 1) {
      cli_error("explain", "bad --event '%s' (want a number from 1)",
                cli_get(opts, "event"));
      dy_free(pos);
      return CLI_USAGE;
    }
  }
  c.color = cli_get(opts, "color") != NULL;
  cli_log_init(cli_get(opts, "verbose") ? DY_LOG_INFO : DY_LOG_ERROR);
  c.eng = cli_engine(opts);
  if (c.eng == NULL) {
    dy_free(pos);
    return CLI_FATAL;
  }
  memset(&dopts, 0, sizeof dopts);
  dopts.max_bytes = (size_t)max;
  if (dy_doc_new(c.eng, &dopts, &c.doc) < 0) {
    cli_error("explain", "out of memory");
    dy_engine_free(c.eng);
    dy_free(pos);
    return CLI_FATAL;
  }
  dy_arena_init(&c.mem, (size_t)64 << 20);
  rc = cli_each_input(pos, npos, (size_t)max, explain_one, &c, &tally);
  if (rc == CLI_OK && c.shown == 0)
    printf("no event%s\n", c.only ? " with that number" : "s coded");
  dy_arena_fini(&c.mem);
  dy_doc_free(c.doc);
  dy_engine_free(c.eng);
  dy_free(pos);
  fflush(stdout);
  return rc;
}
