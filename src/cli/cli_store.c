/* SPDX-License-Identifier: MIT */
/* `dyad query`, `dyad stats`, `dyad dict`: the store and the dictionaries
 * from the command line (`dyad ingest` is in cli_ingest.c). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char **alloc_pos(int argc)
{
  return dy_calloc((size_t)argc + 1, sizeof(char *));
}

/* ---- query ------------------------------------------------------------- */

typedef struct query_ctx {
  int tsv;
  dy_buf out;
} query_ctx;

static int print_row(const dy_event_row *r, void *ud)
{
  query_ctx *q = ud;
  dy_buf *b = &q->out;
  dy_buf_reset(b);
  if (q->tsv) {
    const char *f[] = {r->date,   r->source,         r->source_country,
                       r->target, r->target_country, r->code,
                       r->root};
    size_t i;
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
      dy_buf_tsv_field(b, f[i], strlen(f[i]));
      dy_buf_putc(b, '\t');
    }
    dy_buf_printf(b, "%d\t%.1f\t%ld\t", r->quad, r->goldstein,
                  r->sentence_index);
    dy_buf_tsv_field(b, r->name, strlen(r->name));
    dy_buf_putc(b, '\t');
    dy_buf_tsv_field(b, r->sentence, strlen(r->sentence));
    dy_buf_printf(b, "\t%ld\t%ld\t%ld", r->num_mentions, r->num_sources,
                  r->num_articles);
  } else {
    size_t n = strlen(r->json);
    /* the first mention's record, closed with the event's counts */
    if (n > 0 && r->json[n - 1] == '}')
      n--;
    dy_buf_append(b, r->json, n);
    dy_buf_printf(b,
                  "%s\"event_id\":%ld,\"num_mentions\":%ld,"
                  "\"num_sources\":%ld,\"num_articles\":%ld}",
                  n > 1 ? "," : "", r->id, r->num_mentions, r->num_sources,
                  r->num_articles);
  }
  dy_buf_putc(b, '\n');
  if (b->failed)
    return 1;
  fwrite(b->p, 1, b->n, stdout);
  return 0;
}

int cli_query(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "query", "--db FILE [filters]",
      "Prints stored events (deduplicated: one per date, source, target,\n"
      "code and place, with its mention counts) matching every filter\n"
      "given, ordered by date, then article and sentence (the same order\n"
      "however they were stored). Actor filters are code prefixes: RUS\n"
      "matches RUS, RUSGOV, RUSMIL. Page with --limit and --offset (or\n"
      "--page). JSON lines carry the first mention's record plus event_id,\n"
      "num_mentions, num_sources and num_articles.",
      NULL};
  cli_opt opts[] = {CLI_QUERY_OPTS,
                    {"format", "jsonl|tsv", "output format", "jsonl"},
                    {"save", "NAME", "save the filters under NAME too", NULL},
                    {"saved", "NAME", "run the query saved under NAME", NULL},
                    {NULL, NULL, NULL, NULL}};
  char **pos = alloc_pos(argc);
  int npos, rc;
  dy_store *st = NULL;
  dy_query q;
  dy_err err;
  query_ctx qc;
  dy_buf saved;
  const char *fmt;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  dy_free(pos);
  if (rc != 0)
    return rc > 0 ? CLI_OK : CLI_USAGE;
  fmt = cli_get(opts, "format");
  if (cli_get(opts, "db") == NULL) {
    cli_error("query", "--db FILE is required");
    return CLI_USAGE;
  }
  if (npos) {
    cli_error("query", "unexpected argument (filters are options)");
    return CLI_USAGE;
  }
  if (cli_query_filters("query", opts, &q) < 0)
    return CLI_USAGE;
  if (strcmp(fmt, "jsonl") != 0 && strcmp(fmt, "tsv") != 0) {
    cli_error("query", "bad --format '%s' (jsonl or tsv)", fmt);
    return CLI_USAGE;
  }
  if (!dy_store_is_remote(cli_get(opts, "db")) &&
      access(cli_get(opts, "db"), F_OK) != 0) {
    cli_error(cli_get(opts, "db"), "no such database");
    return CLI_FATAL;
  }
  rc = dy_store_open(cli_get(opts, "db"), &st, &err);
  if (rc < 0) {
    cli_error(cli_get(opts, "db"), "%s", err.msg);
    return CLI_FATAL;
  }
  dy_buf_init(&saved, 0);
  if (cli_get(opts, "saved") &&
      dy_store_saved_get(st, cli_get(opts, "saved"), &q, &saved) < 0) {
    cli_error("query", "%s", dy_store_errmsg(st));
    dy_buf_fini(&saved);
    dy_store_close(st);
    return CLI_USAGE;
  }
  if (cli_get(opts, "save") &&
      dy_store_saved_put(st, cli_get(opts, "save"), &q) < 0) {
    cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
    dy_buf_fini(&saved);
    dy_store_close(st);
    return CLI_FATAL;
  }
  memset(&qc, 0, sizeof qc);
  qc.tsv = strcmp(fmt, "tsv") == 0;
  dy_buf_init(&qc.out, 0);
  if (qc.tsv)
    fputs("date\tsource\tsource_country\ttarget\ttarget_country\tcode\troot\t"
          "quad\tgoldstein\tsentence_index\tdoc\tsentence\tnum_mentions\t"
          "num_sources\tnum_articles\n",
          stdout);
  rc = dy_store_query(st, &q, print_row, &qc);
  if (rc < 0)
    cli_error(rc == DY_EINVAL ? "query" : cli_get(opts, "db"), "%s",
              dy_store_errmsg(st));
  dy_buf_fini(&qc.out);
  dy_buf_fini(&saved);
  dy_store_close(st);
  return rc == DY_EINVAL ? CLI_USAGE : rc < 0 ? CLI_FATAL : CLI_OK;
}

/* ---- stats ------------------------------------------------------------- */

int cli_stats(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "stats", "--db FILE",
      "Summarises a database: counts, events per CAMEO root, top dyads and "
      "the latest\nevents.",
      NULL};
  cli_opt opts[] = {{"db", "FILE", "SQLite database", NULL},
                    {NULL, NULL, NULL, NULL}};
  char **pos = alloc_pos(argc);
  int npos, rc;
  dy_store *st = NULL;
  dy_err err;
  dy_buf out;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  dy_free(pos);
  if (rc != 0)
    return rc > 0 ? CLI_OK : CLI_USAGE;
  if (cli_get(opts, "db") == NULL) {
    cli_error("stats", "--db FILE is required");
    return CLI_USAGE;
  }
  if (!dy_store_is_remote(cli_get(opts, "db")) &&
      access(cli_get(opts, "db"), F_OK) != 0) {
    cli_error(cli_get(opts, "db"), "no such database");
    return CLI_FATAL;
  }
  rc = dy_store_open(cli_get(opts, "db"), &st, &err);
  if (rc < 0) {
    cli_error(cli_get(opts, "db"), "%s", err.msg);
    return CLI_FATAL;
  }
  dy_buf_init(&out, 0);
  rc = dy_store_summary(st, &out);
  if (rc < 0)
    cli_error(cli_get(opts, "db"), "%s", dy_store_errmsg(st));
  else
    fwrite(out.p, 1, out.n, stdout);
  dy_buf_fini(&out);
  dy_store_close(st);
  return rc < 0 ? CLI_FATAL : CLI_OK;
}

/* ---- dict -------------------------------------------------------------- */

int cli_dict(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "dict", "[--dict-dir DIR] [--strict]",
      "Loads the dictionaries, reports every bad line as FILE:LINE and "
      "prints the\ncounts. Exit 1 when a line was skipped.",
      NULL};
  cli_opt opts[] = {{"dict-dir", "DIR", "dictionary directory", NULL},
                    {"strict", NULL, "stop at the first bad line", NULL},
                    {"dict-files", "LIST",
                     "PETRARCH-2 dictionary files in DIR to load "
                     "(comma-separated; default: PETRARCH-2's set)",
                     NULL},
                    {NULL, NULL, NULL, NULL}};
  char **pos = alloc_pos(argc);
  int npos, rc;
  dy_engine *eng = NULL;
  dy_engine_opts eo;
  dy_engine_stats s;
  dy_err err;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  dy_free(pos);
  if (rc != 0)
    return rc > 0 ? CLI_OK : CLI_USAGE;
  cli_log_init(DY_LOG_WARN);
  memset(&eo, 0, sizeof eo);
  eo.dict_dir = cli_get(opts, "dict-dir");
  eo.strict = cli_get(opts, "strict") != NULL;
  eo.dict_files = cli_get(opts, "dict-files");
  rc = dy_engine_open(&eo, &eng, &err);
  if (rc < 0) {
    cli_error(NULL, "%s", err.msg);
    return CLI_DATA;
  }
  dy_engine_stats_get(eng, &s);
  printf("dictionaries: %s\ncountries %zu\nigos %zu\ngroups %zu\npeople %zu\n"
         "agents %zu\nverbs %zu\npatterns %zu\ncodes with patterns %zu\n"
         "bad lines %zu\n",
         eo.dict_dir ? eo.dict_dir : dy_default_dict_dir(), s.countries, s.igos,
         s.groups, s.people, s.agents, s.verbs, s.patterns, s.codes,
         s.bad_lines);
  if (s.discards || s.issues || s.unsupported)
    printf("discards %zu\nissues %zu\nunsupported entries %zu\n", s.discards,
           s.issues, s.unsupported);
  dy_engine_free(eng);
  return s.bad_lines ? CLI_DATA : CLI_OK;
}
