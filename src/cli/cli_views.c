/* SPDX-License-Identifier: MIT */
/* `dyad search`, `dyad similar`, `dyad series`, `dyad alignments`,
 * `dyad export` and the event filters shared with `dyad query`: the store's
 * derived views from the command line (public API only). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared ------------------------------------------------------------ */

/* Opens an existing database; prints and returns NULL on failure. */
static dy_store *open_db(const char *path)
{
  dy_store *st = NULL;
  dy_err err;
  if (!dy_store_is_remote(path) && access(path, F_OK) != 0) {
    cli_error(path, "no such database");
    return NULL;
  }
  if (dy_store_open(path, &st, &err) < 0) {
    cli_error(path, "%s", err.msg);
    return NULL;
  }
  return st;
}

/* Parses a decimal number in [lo, hi] into *v; -1 when invalid. */
static int parse_long(const char *s, long lo, long hi, long *v)
{
  char *end;
  if (s == NULL || !dy_isdigit(s[0]))
    return -1;
  errno = 0;
  *v = strtol(s, &end, 10);
  return errno || *end || *v < lo || *v > hi ? -1 : 0;
}

static int bad_date(const char *d)
{
  return d && dy_date_parse(dy_str_c(d)) < 0;
}

int cli_query_filters(const char *cmd, const cli_opt *opts, dy_query *q)
{
  const char *v;
  memset(q, 0, sizeof *q);
  q->source = cli_get(opts, "source");
  q->target = cli_get(opts, "target");
  q->actor = cli_get(opts, "actor");
  q->code = cli_get(opts, "code");
  q->from = cli_get(opts, "from");
  q->to = cli_get(opts, "to");
  q->source_country = cli_get(opts, "source-country");
  q->target_country = cli_get(opts, "target-country");
  q->country = cli_get(opts, "country");
  q->article = cli_get(opts, "article");
  q->text = cli_get(opts, "text");
  q->roots_only = cli_get(opts, "root-only") != NULL;
  if (bad_date(q->from) || bad_date(q->to)) {
    cli_error(cmd, "bad date in --from/--to (want YYYY-MM-DD)");
    return -1;
  }
  if ((v = cli_get(opts, "quad")) != NULL) {
    long x;
    if (parse_long(v, 1, 4, &x) < 0) {
      cli_error(cmd, "bad --quad '%s' (1 to 4)", v);
      return -1;
    }
    q->quad = (int)x;
  }
  if ((v = cli_get(opts, "min-mentions")) != NULL &&
      parse_long(v, 0, 1000000000L, &q->min_mentions) < 0) {
    cli_error(cmd, "bad --min-mentions '%s'", v);
    return -1;
  }
  if ((v = cli_get(opts, "limit")) != NULL &&
      parse_long(v, 0, 1000000000L, &q->limit) < 0) {
    cli_error(cmd, "bad --limit '%s'", v);
    return -1;
  }
  if ((v = cli_get(opts, "offset")) != NULL &&
      parse_long(v, 0, 1000000000L, &q->offset) < 0) {
    cli_error(cmd, "bad --offset '%s'", v);
    return -1;
  }
  if ((v = cli_get(opts, "page")) != NULL) {
    long page;
    if (parse_long(v, 1, 1000000000L, &page) < 0 || q->limit == 0) {
      cli_error(cmd, "bad --page '%s' (1, 2, ...; needs --limit)", v);
      return -1;
    }
    q->offset += (page - 1) * q->limit;
  }
  return 0;
}

/* ---- search ------------------------------------------------------------ */

typedef struct art_ctx {
  int similar; /* print the similarity columns */
  dy_buf out;  /* lines */
} art_ctx;

static int print_article(const dy_article_row *r, void *ud)
{
  art_ctx *c = ud;
  dy_buf *b = &c->out;
  dy_buf_printf(b, "%ld\t%.3f\t%s\t%.12s\t", r->id, r->score, r->date, r->hash);
  if (c->similar)
    dy_buf_printf(b, "%ld\t%ld\t", r->shared_terms, r->shared_actors);
  dy_buf_tsv_field(b, *r->url ? r->url : r->name,
                   strlen(*r->url ? r->url : r->name));
  dy_buf_putc(b, '\t');
  dy_buf_tsv_field(b, r->headline, strlen(r->headline));
  if (!c->similar) {
    dy_buf_putc(b, '\t');
    dy_buf_tsv_field(b, r->snippet, strlen(r->snippet));
  }
  dy_buf_putc(b, '\n');
  return b->failed;
}

int cli_search(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "search", "--db FILE [--limit N] [--offset N] QUERY...",
      "Full-text search (SQLite FTS5) over article headlines and bodies, best\n"
      "first (bm25, headline weighted 2). QUERY is FTS5 syntax: words (all\n"
      "must match), \"a phrase\", OR, NOT, prefix*. Prints id, score, date,\n"
      "hash prefix, URL or input name, headline and a snippet, tab-separated.",
      NULL};
  cli_opt opts[] = {{"db", "FILE", "SQLite database", NULL},
                    {"limit", "N", "at most N articles", "20"},
                    {"offset", "N", "skip the first N", "0"},
                    {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, i;
  long limit, offset;
  dy_store *st;
  dy_buf q;
  art_ctx ac;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  rc = CLI_USAGE;
  if (cli_get(opts, "db") == NULL)
    cli_error("search", "--db FILE is required");
  else if (npos == 0)
    cli_error("search", "no query");
  else if (parse_long(cli_get(opts, "limit"), 1, 100000, &limit) < 0)
    cli_error("search", "bad --limit '%s'", cli_get(opts, "limit"));
  else if (parse_long(cli_get(opts, "offset"), 0, 1000000000L, &offset) < 0)
    cli_error("search", "bad --offset '%s'", cli_get(opts, "offset"));
  else
    rc = CLI_OK;
  if (rc != CLI_OK) {
    dy_free(pos);
    return rc;
  }
  dy_buf_init(&q, 4096);
  for (i = 0; i < npos; i++) {
    if (i)
      dy_buf_putc(&q, ' ');
    dy_buf_puts(&q, pos[i]);
  }
  dy_free(pos);
  if (q.failed) {
    cli_error("search", "query too long");
    dy_buf_fini(&q);
    return CLI_USAGE;
  }
  st = open_db(cli_get(opts, "db"));
  if (st == NULL) {
    dy_buf_fini(&q);
    return CLI_FATAL;
  }
  ac.similar = 0;
  dy_buf_init(&ac.out, 0);
  rc = dy_store_search(st, q.p, limit, offset, print_article, &ac);
  if (ac.out.n)
    fwrite(ac.out.p, 1, ac.out.n, stdout);
  dy_buf_fini(&ac.out);
  if (rc == DY_EINVAL)
    cli_error("search", "%s", dy_store_errmsg(st));
  else if (rc < 0)
    cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
  dy_store_close(st);
  dy_buf_fini(&q);
  return rc == DY_OK ? CLI_OK : rc == DY_EINVAL ? CLI_USAGE : CLI_FATAL;
}

/* ---- similar ----------------------------------------------------------- */

int cli_similar(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "similar", "--db FILE [-k N] [--terms] ARTICLE",
      "\"More like this\": the articles most related to ARTICLE (an id, or at\n"
      "least 6 hex digits of its hash), by its top 25 tf-idf terms (each\n"
      "scored by bm25 in the candidate, boosted by its weight and by the\n"
      "share of terms held; a candidate must hold 10% of them) plus the\n"
      "actor countries its events share with the article's. Copies of the\n"
      "article are left out. Prints id, score, date, hash prefix, shared\n"
      "terms, shared countries, URL or name and headline, tab-separated,\n"
      "best first.",
      NULL};
  cli_opt opts[] = {
      {"db", "FILE", "SQLite database", NULL},
      {"k", "N", "articles to list, also -k N", "10"},
      {"max-terms", "N", "query terms", "25"},
      {"min-match", "PERCENT", "share of the terms a candidate must hold",
       "10"},
      {"actor-weight", "PERCENT", "weight of the shared-actor score", "50"},
      {"terms", NULL, "print the query terms first (# line)", NULL},
      {"include-dups", NULL, "also list copies of the article", NULL},
      {NULL, NULL, NULL, NULL}};
  char **args = dy_calloc((size_t)argc + 1, sizeof *args);
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, i;
  long k, mt, mm, aw, id;
  art_ctx ac;
  dy_store *st = NULL;
  dy_similar_opts so;
  dy_buf terms;
  if (args == NULL || pos == NULL) {
    dy_free(args);
    dy_free(pos);
    return CLI_FATAL;
  }
  for (i = 0; i < argc; i++)
    args[i] = strcmp(argv[i], "-k") == 0 ? (char *)"--k" : argv[i];
  rc = cli_parse(&cmd, opts, argc, args, pos, &npos);
  dy_free(args);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  rc = CLI_USAGE;
  if (cli_get(opts, "db") == NULL)
    cli_error("similar", "--db FILE is required");
  else if (npos != 1)
    cli_error("similar", "want one ARTICLE (an id or a hash prefix)");
  else if (parse_long(cli_get(opts, "k"), 1, 10000, &k) < 0)
    cli_error("similar", "bad -k '%s' (1 to 10000)", cli_get(opts, "k"));
  else if (parse_long(cli_get(opts, "max-terms"), 1, 1000, &mt) < 0)
    cli_error("similar", "bad --max-terms '%s'", cli_get(opts, "max-terms"));
  else if (parse_long(cli_get(opts, "min-match"), 0, 100, &mm) < 0)
    cli_error("similar", "bad --min-match '%s' (0 to 100)",
              cli_get(opts, "min-match"));
  else if (parse_long(cli_get(opts, "actor-weight"), 0, 1000, &aw) < 0)
    cli_error("similar", "bad --actor-weight '%s'",
              cli_get(opts, "actor-weight"));
  else
    rc = CLI_OK;
  if (rc == CLI_OK && (st = open_db(cli_get(opts, "db"))) == NULL)
    rc = CLI_FATAL;
  if (rc == CLI_OK && dy_store_article_id(st, pos[0], &id) < 0) {
    cli_error("similar", "%s", dy_store_errmsg(st));
    rc = CLI_DATA;
  }
  dy_free(pos);
  if (rc != CLI_OK) {
    dy_store_close(st);
    return rc;
  }
  memset(&so, 0, sizeof so);
  so.k = (int)k;
  so.max_terms = (int)mt;
  so.min_match = mm ? (double)mm / 100.0 : 1e-9;
  so.actor_weight = (double)aw / 100.0;
  so.include_dups = cli_get(opts, "include-dups") != NULL;
  dy_buf_init(&terms, 0);
  ac.similar = 1;
  dy_buf_init(&ac.out, 0);
  rc = dy_store_similar(st, id, &so, print_article, &ac, &terms);
  if (rc == DY_OK && cli_get(opts, "terms"))
    printf("# terms: %s\n", terms.p ? terms.p : "");
  if (rc == DY_OK && ac.out.n)
    fwrite(ac.out.p, 1, ac.out.n, stdout);
  dy_buf_fini(&ac.out);
  if (rc < 0)
    cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
  dy_buf_fini(&terms);
  dy_store_close(st);
  return rc < 0 ? CLI_FATAL : CLI_OK;
}

/* ---- series ------------------------------------------------------------ */

static int print_series(const dy_series_row *r, void *ud)
{
  (void)ud;
  printf("%s\t%ld\t%ld\t%.1f\t%.2f\t%ld\t%ld\n", r->period, r->events,
         r->mentions, r->goldstein_sum, r->goldstein_mean, r->cooperation,
         r->conflict);
  return 0;
}

int cli_series(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "series", "--db FILE [--by day|week|month|year] [--both] A [B]",
      "Dyad time series: per period, the events from A to B (directed; --both\n"
      "adds B to A), or with A alone every event with A on either side. A and\n"
      "B are actor code prefixes (RUS matches RUSGOV). Columns: period (day,\n"
      "the Monday of the week, YYYY-MM or YYYY), events (deduplicated),\n"
      "mentions, Goldstein sum, Goldstein mean, cooperative events (QuadClass\n"
      "1-2), conflictual events (3-4). Periods without events are left out.",
      NULL};
  cli_opt opts[] = {{"db", "FILE", "SQLite database", NULL},
                    {"by", "PERIOD", "day, week, month or year", "month"},
                    {"both", NULL, "count both directions", NULL},
                    {"from", "YYYY-MM-DD", "first date", NULL},
                    {"to", "YYYY-MM-DD", "last date", NULL},
                    {"code", "PREFIX", "CAMEO event code prefix", NULL},
                    {NULL, NULL, NULL, NULL}};
  static const char *const bys[] = {"day", "week", "month", "year"};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, by = -1, i;
  dy_series_opts so;
  dy_store *st;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  for (i = 0; i < 4; i++)
    if (strcmp(cli_get(opts, "by"), bys[i]) == 0)
      by = i;
  memset(&so, 0, sizeof so);
  so.a = npos > 0 ? pos[0] : NULL;
  so.b = npos > 1 ? pos[1] : NULL;
  so.both = cli_get(opts, "both") != NULL;
  so.by = by;
  so.from = cli_get(opts, "from");
  so.to = cli_get(opts, "to");
  so.code = cli_get(opts, "code");
  rc = CLI_USAGE;
  if (cli_get(opts, "db") == NULL)
    cli_error("series", "--db FILE is required");
  else if (npos < 1 || npos > 2)
    cli_error("series", "want one or two actor codes");
  else if (by < 0)
    cli_error("series", "bad --by '%s' (day, week, month, year)",
              cli_get(opts, "by"));
  else if (bad_date(so.from) || bad_date(so.to))
    cli_error("series", "bad date in --from/--to (want YYYY-MM-DD)");
  else if (so.both && so.b == NULL)
    cli_error("series", "--both needs two actors");
  else
    rc = CLI_OK;
  if (rc == CLI_OK && (st = open_db(cli_get(opts, "db"))) != NULL) {
    printf("period\tevents\tmentions\tgoldstein_sum\tgoldstein_mean\t"
           "cooperation\tconflict\n");
    if (dy_store_series(st, &so, print_series, NULL) < 0) {
      cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
      rc = CLI_FATAL;
    }
    dy_store_close(st);
  } else if (rc == CLI_OK) {
    rc = CLI_FATAL;
  }
  dy_free(pos);
  return rc;
}

/* ---- alignments -------------------------------------------------------- */

static int print_alignment(const dy_alignment_row *r, void *ud)
{
  int changes = *(int *)ud;
  if (changes)
    printf("%s\t%s\t", r->change_date, r->change);
  printf("%s\t%s\t%s\t%s\t%s\t%s\t%ld\t", r->a, r->b, r->kind, r->start,
         *r->end ? r->end : "-", r->origin, r->strength);
  if (*r->evidence)
    printf("%.12s %s sentence %ld\t", r->evidence, r->evidence_name,
           r->evidence_sentence);
  else
    printf("-\t");
  printf("%s\n", *r->name ? r->name : r->note);
  return 0;
}

/* The baseline file: --alignments, else alignments.tsv in the dictionary
 * directory when it is there. */
static const char *baseline_path(const cli_opt *opts, char *buf, size_t cap)
{
  const char *p = cli_get(opts, "alignments");
  if (p)
    return p;
  snprintf(buf, cap, "%s/alignments.tsv",
           cli_get(opts, "dict-dir") ? cli_get(opts, "dict-dir")
                                     : dy_default_dict_dir());
  return access(buf, F_OK) == 0 ? buf : NULL;
}

int cli_alignments_load(const char *db, dy_store *st, const cli_opt *opts)
{
  char buf[4096];
  const char *path = baseline_path(opts, buf, sizeof buf);
  if (path == NULL)
    return CLI_OK;
  if (dy_store_alignments_load(st, path) < 0) {
    cli_error(db, "%s", dy_store_errmsg(st));
    return CLI_DATA;
  }
  return CLI_OK;
}

int cli_alignments(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "alignments", "--db FILE [--at DATE] [--actor CODE] | --changes D1 D2",
      "The alignment graph: formal alignments (mutual defense, alliance,\n"
      "strategic partnership, non-aggression) from the baseline file and\n"
      "from coded events (a signed agreement whose sentence speaks of a pact\n"
      "creates or renews an edge, with the article as evidence; military\n"
      "cooperation strengthens it). Lists the edges in force at --at (all\n"
      "without), of --actor only when given; --changes D1 D2 lists what\n"
      "started, ended, was renewed or strengthened after D1 up to D2.\n"
      "Columns: [date change] party, partner, kind, start, end, origin,\n"
      "strength, evidence (hash, article, sentence), name or note.",
      NULL};
  cli_opt opts[] = {
      {"db", "FILE", "SQLite database", NULL},
      {"at", "YYYY-MM-DD", "edges in force on this date", NULL},
      {"actor", "CODE", "edges of this country only", NULL},
      {"changes", NULL, "what changed between the two dates given", NULL},
      {"alignments", "FILE", "baseline file (default: DICT-DIR/alignments.tsv)",
       NULL},
      {"dict-dir", "DIR", "where the default baseline file lives", NULL},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, changes;
  dy_store *st;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  changes = cli_get(opts, "changes") != NULL;
  rc = CLI_USAGE;
  if (cli_get(opts, "db") == NULL)
    cli_error("alignments", "--db FILE is required");
  else if (changes && (npos != 2 || bad_date(pos[0]) || bad_date(pos[1])))
    cli_error("alignments", "--changes wants two dates D1 D2 (YYYY-MM-DD)");
  else if (changes && strcmp(pos[0], pos[1]) > 0)
    cli_error("alignments", "--changes: D1 is after D2");
  else if (!changes && npos)
    cli_error("alignments", "unexpected argument '%s'", pos[0]);
  else if (bad_date(cli_get(opts, "at")))
    cli_error("alignments", "bad --at '%s' (want YYYY-MM-DD)",
              cli_get(opts, "at"));
  else
    rc = CLI_OK;
  if (rc == CLI_OK && (st = open_db(cli_get(opts, "db"))) != NULL) {
    rc = cli_alignments_load(cli_get(opts, "db"), st, opts);
    if (rc == CLI_OK) {
      int r = changes ? dy_store_alignment_changes(st, pos[0], pos[1],
                                                   cli_get(opts, "actor"),
                                                   print_alignment, &changes)
                      : dy_store_alignments(st, cli_get(opts, "at"),
                                            cli_get(opts, "actor"),
                                            print_alignment, &changes);
      if (r < 0) {
        cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
        rc = CLI_FATAL;
      }
    }
    dy_store_close(st);
  } else if (rc == CLI_OK) {
    rc = CLI_FATAL;
  }
  dy_free(pos);
  return rc;
}

/* ---- export ------------------------------------------------------------ */

static int write_out(const char *p, size_t n, void *ud)
{
  (void)ud;
  return fwrite(p, 1, n, stdout) == n ? 0 : 1;
}

int cli_export(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "export",
      "--db FILE --format gdelt|mentions|jsonl|csv [filters] | --db FILE "
      "--to clickhouse://HOST:PORT/DB [--cluster NAME]",
      "Writes the events matching the filters (as for dyad query):\n"
      "gdelt = GDELT 2.0 event records, 61 tab-separated columns, no header;\n"
      "mentions = GDELT 2.0 mentions, 16 tab-separated columns, no header;\n"
      "jsonl = one JSON object per event; csv = RFC 4180 with a header.\n"
      "Column layouts: docs/STORE.md.",
      NULL};
  cli_opt opts[] = {
      CLI_QUERY_OPTS,
      {"format", "FMT", "gdelt, mentions, jsonl or csv", NULL},
      {"to", "URL",
       "clickhouse://[USER[:PASS]@]HOST[:PORT][,HOST:PORT...]/DB: export "
       "articles, events and mentions (incremental; docs/SCALE.md)",
       NULL},
      {"cluster", "NAME", "with --to: Distributed tables over this cluster",
       NULL},
      {"rows", "N", "with --to: rows per INSERT", "50000"},
      {NULL, NULL, NULL, NULL}};
  static const char *const fmts[] = {"gdelt", "mentions", "jsonl", "csv"};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, fmt = -1, i;
  dy_query q;
  dy_store *st;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  dy_free(pos);
  if (rc != 0)
    return rc > 0 ? CLI_OK : CLI_USAGE;
  for (i = 0; i < 4 && cli_get(opts, "format"); i++)
    if (strcmp(cli_get(opts, "format"), fmts[i]) == 0)
      fmt = i;
  if (cli_get(opts, "db") == NULL) {
    cli_error("export", "--db FILE is required");
    return CLI_USAGE;
  }
  if (cli_get(opts, "to")) {
    long rows;
    if (npos || cli_get(opts, "format")) {
      cli_error("export", "--to exports whole tables: no --format, no "
                          "arguments");
      return CLI_USAGE;
    }
    if (parse_long(cli_get(opts, "rows"), 1, 10000000, &rows) < 0) {
      cli_error("export", "bad --rows (1 to 10000000)");
      return CLI_USAGE;
    }
    st = open_db(cli_get(opts, "db"));
    if (st == NULL)
      return CLI_FATAL;
    rc = cli_export_clickhouse(st, cli_get(opts, "to"),
                               cli_get(opts, "cluster"), rows);
    dy_store_close(st);
    return rc;
  }
  if (cli_get(opts, "cluster")) {
    cli_error("export", "--cluster needs --to");
    return CLI_USAGE;
  }
  if (fmt < 0) {
    cli_error("export", "--format gdelt, mentions, jsonl or csv is required");
    return CLI_USAGE;
  }
  if (npos) {
    cli_error("export", "unexpected argument (filters are options)");
    return CLI_USAGE;
  }
  if (cli_query_filters("export", opts, &q) < 0)
    return CLI_USAGE;
  st = open_db(cli_get(opts, "db"));
  if (st == NULL)
    return CLI_FATAL;
  rc = dy_store_export(st, &q, fmt, write_out, NULL);
  if (rc < 0)
    cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
  else if (rc > 0)
    cli_error("export", "cannot write the output");
  dy_store_close(st);
  return rc == DY_EINVAL ? CLI_USAGE : rc != 0 ? CLI_FATAL : CLI_OK;
}
