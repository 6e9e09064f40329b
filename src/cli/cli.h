/* SPDX-License-Identifier: MIT */
/* Shared helpers of the `dyad` command: option tables that drive parsing and
 * --help, user-facing errors, the log sink. Uses only the public API. */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include "dyad/dyad.h"

#include <stdio.h>

/* Documented exit codes (README "Exit codes"). */
#define CLI_OK    0 /* everything read and done */
#define CLI_DATA  1 /* some input could not be read or coded; rest done */
#define CLI_USAGE 2 /* bad command line */
#define CLI_FATAL 3 /* cannot continue: dictionaries, database, memory */

typedef struct cli_opt {
  const char *name;  /* long name without "--" */
  const char *arg;   /* argument placeholder, NULL for a flag */
  const char *help;  /* one line */
  const char *value; /* parsed value ("1" for flags), default when not set */
} cli_opt;

typedef struct cli_cmd {
  const char *name;    /* subcommand */
  const char *usage;   /* "[options] FILE..." */
  const char *summary; /* one line */
  int (*run)(int argc, char **argv);
} cli_cmd;

/* Parses argv (argv[0] is the subcommand) against opts (terminated by a
 * {NULL} entry). Leaves positional arguments in pos[0..*npos). Prints help
 * and returns 1 for --help; returns -1 after printing a usage error. */
int cli_parse(const cli_cmd *cmd, cli_opt *opts, int argc, char **argv,
              char **pos, int *npos);
const char *cli_get(const cli_opt *opts, const char *name);
void cli_help(const cli_cmd *cmd, const cli_opt *opts, FILE *f);

/* "dyad: <context>: <message>" on stderr. */
void cli_error(const char *ctx, const char *fmt, ...) DY_PRINTF(2, 3);

/* Installs the stderr log sink (level from --verbose/--quiet). */
void cli_log_init(int level);

/* Opens the engine with --dict-dir; prints and returns NULL on failure. */
dy_engine *cli_engine(const cli_opt *opts);

/* Parses a byte size ("64M", "200k", "1G", "12345"); -1 when invalid. */
long long cli_size(const char *s);

/* Called per document read; returns CLI_OK, CLI_DATA (counted, go on) or
 * CLI_FATAL (stop). in is borrowed for the call. */
typedef int (*cli_doc_fn)(const dy_input *in, void *ud);

typedef struct cli_tally {
  size_t docs;   /* documents handed to the callback */
  size_t failed; /* inputs that could not be read or were refused */
} cli_tally;

/* Reads every path (files, directories walked recursively, "-" = stdin)
 * under the byte cap and calls fn per document. Returns CLI_OK, CLI_DATA
 * when some input failed, CLI_FATAL when fn asked to stop. */
int cli_each_input(char **paths, int npaths, size_t max_bytes, cli_doc_fn fn,
                   void *ud, cli_tally *tally);

int cli_code(int argc, char **argv);
int cli_extract(int argc, char **argv);
int cli_ingest(int argc, char **argv);
int cli_query(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_dict(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_eval_tokenize(int argc, char **argv); /* cli_eval_tok.c */

/* cli_petr.c: codes one PETRARCH record into doc from its parse (given, when
 * it has one) or its raw text; on error a message in why. scratch holds the
 * parse and is reset. Returns DY_OK or a DY_E* code. */
int cli_petr_code(dy_doc *doc, const dy_precord *r, int given, const char *name,
                  dy_arena *scratch, char *why, size_t whycap);
/* cli_petr.c: one GDELT 2.0 event row (61 tab-separated columns, no
 * newline). */
void cli_gdelt_row(dy_buf *b, const dy_doc *d, const dy_event *ev,
                   unsigned long long id);
/* cli_petr.c: `dyad eval code`. */
int cli_eval_code(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_similar(int argc, char **argv);
int cli_series(int argc, char **argv);
int cli_alignments(int argc, char **argv);
int cli_export(int argc, char **argv);
/* The event filters of `dyad query` and `dyad export` (cli_views.c), as
 * entries of an option table. */
#define CLI_QUERY_OPTS                                                         \
  {"db", "FILE", "SQLite database", NULL},                                     \
      {"source", "CODE", "source actor code prefix (RUS, RUSGOV)", NULL},      \
      {"target", "CODE", "target actor code prefix", NULL},                    \
      {"actor", "CODE", "actor code prefix on either side", NULL},             \
      {"source-country", "CC", "source country code (exact)", NULL},           \
      {"target-country", "CC", "target country code (exact)", NULL},           \
      {"country", "CC", "country code on either side", NULL},                  \
      {"code", "PREFIX", "CAMEO event code prefix (05, 057)", NULL},           \
      {"quad", "N", "QuadClass 1-4", NULL},                                    \
      {"from", "YYYY-MM-DD", "first date", NULL},                              \
      {"to", "YYYY-MM-DD", "last date", NULL},                                 \
      {"min-mentions", "N", "events with at least N mentions", NULL},          \
      {"article", "HASH", "events mentioned by this article (hash prefix)",    \
       NULL},                                                                  \
      {"text", "FTS",                                                          \
       "events mentioned by articles matching this full-text "                 \
       "query",                                                                \
       NULL},                                                                  \
      {"root-only", NULL, "events reported in a lead paragraph only", NULL},   \
      {"limit", "N", "at most N events (0 = all)", "0"},                       \
      {"offset", "N", "skip the first N events (paging)", "0"},                \
  {                                                                            \
    "page", "N", "page N of --limit events (1-based)", NULL                    \
  }
/* Fills q from the CLI_QUERY_OPTS values; prints and returns -1 when one is
 * bad. Strings are borrowed from opts. */
int cli_query_filters(const char *cmd, const cli_opt *opts, dy_query *q);
/* `dyad export --to clickhouse://...` (cli_clickhouse.c): CLI_* code. */
int cli_export_clickhouse(dy_store *st, const char *url, const char *cluster,
                          long rows);
/* Loads the baseline alignments (--alignments, else DICT-DIR/alignments.tsv
 * when present) into st; prints and returns CLI_DATA on a bad file. */
int cli_alignments_load(const char *db, dy_store *st, const cli_opt *opts);
int cli_parse_cmd(int argc, char **argv);
int cli_train(int argc, char **argv);
/* `dyad eval parse` (cli_eval_parse.c). */
int cli_eval_parse(int argc, char **argv);
struct dy_conllu_doc;
/* Reads a CoNLL-U file ("-" = stdin); malformed lines are reported as
 * "dyad: FILE: line N: why (skipped)". Returns CLI_OK, CLI_DATA (bad
 * lines, or unreadable: then *out is NULL) or CLI_FATAL. */
int cli_read_conllu(const char *path, struct dy_conllu_doc **out);
int cli_quotes(int argc, char **argv);
int cli_entities(int argc, char **argv);
int cli_eval_quotes(int argc, char **argv);
int cli_serve(int argc, char **argv);

#endif
