/* SPDX-License-Identifier: MIT */
/* `dyad`: the command-line front end. Dispatches subcommands; each lives in
 * its own cli_*.c and uses only the public API. */
#include "cli.h"

#include <string.h>

static const struct {
  const char *name;
  int (*run)(int, char **);
  const char *summary;
} cmds[] = {
    {"code", cli_code, "print the events coded from news files"},
    {"explain", cli_explain, "show why each event was coded (spans, lines)"},
    {"extract", cli_extract, "print the article read from each file"},
    {"ingest", cli_ingest, "read, code and store news files in a database"},
    {"query", cli_query, "print stored events matching filters"},
    {"stats", cli_stats, "summarise the events in a database"},
    {"search", cli_search, "full-text search over stored articles"},
    {"similar", cli_similar, "articles like a stored one (more like this)"},
    {"series", cli_series, "event counts and Goldstein sums per period"},
    {"alignments", cli_alignments, "the alliance graph at a date, changes"},
    {"export", cli_export, "events as GDELT 2.0, mentions, JSONL or CSV"},
    {"dict", cli_dict, "check the dictionaries and print their counts"},
    {"eval", cli_eval, "score extraction, tokenizing, parsing, coding or quotes"},
    {"parse", cli_parse_cmd, "tag and parse text or CoNLL-U, print CoNLL-U"},
    {"train", cli_train, "train the tagger and parser model on CoNLL-U"},
    {"quotes", cli_quotes, "print the quotations and their speakers"},
    {"entities", cli_entities, "print persons, organizations and places"},
    {"serve", cli_serve, "serve the HTTP API and web app"},
};

static void usage(FILE *f)
{
  size_t i;
  fprintf(f, "dyad %s: news in, political event data out (CAMEO)\n\n"
             "usage: dyad COMMAND [options] [args]\n\ncommands:\n",
          DYAD_VERSION);
  for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
  fprintf(f, "\n'dyad COMMAND --help' describes each command.\n"
             "exit codes: 0 ok, 1 some input failed, 2 usage, 3 fatal\n");
}

int main(int argc, char **argv)
{
  size_t i;
  if (argc < 2) {
    usage(stderr);
    return CLI_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return CLI_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("dyad %s\n", DYAD_VERSION);
    return CLI_OK;
  }
  for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (strcmp(argv[1], cmds[i].name) == 0)
      return cmds[i].run(argc - 1, argv + 1);
  cli_error(NULL, "unknown command '%s' (see dyad --help)", argv[1]);
  return CLI_USAGE;
}
