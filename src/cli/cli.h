/* SPDX-License-Identifier: MIT */
/* Shared helpers of the `dyad` command: option tables that drive parsing and
 * --help, user-facing errors, the log sink. Uses only the public API. */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include "dyad/dyad.h"

#include <stdio.h>

/* Documented exit codes (README "Exit codes"). */
#define CLI_OK 0    /* everything read and done */
#define CLI_DATA 1  /* some input could not be read or coded; rest done */
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
int cli_serve(int argc, char **argv);

#endif
