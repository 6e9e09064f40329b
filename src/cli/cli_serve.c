/* SPDX-License-Identifier: MIT */
/* `dyad serve`: the HTTP API and web app (src/serve, docs/WEB.md). */
#include "cli.h"
#include "../serve/serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DY_WEB_DIR
#define DY_WEB_DIR "web/public"
#endif

int cli_serve(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "serve", "--db FILE|URI [--port N] [--bind ADDR] [--analytics URL]",
      "Serves the JSON/CSV API, Atom feeds and the web pages over HTTP.\n"
      "Listens on loopback by default. On first start a write token is\n"
      "printed once (its SHA-256 is kept in FILE.token, or --token-file);\n"
      "POST and DELETE endpoints need 'Authorization: Bearer TOKEN'.\n"
      "--analytics clickhouse://... answers the time series, dyad counts\n"
      "and country map from ClickHouse (filled by dyad export --to).\n"
      "Stops on SIGTERM or SIGINT after finishing the requests in flight.\n"
      "See docs/WEB.md.",
      NULL};
  cli_opt opts[] = {
      {"db", "FILE",
       "SQLite database (created when missing) or "
       "postgresql:// URI",
       NULL},
      {"token-file", "FILE", "write token hash (default: FILE.token)", NULL},
      {"analytics", "URL",
       "clickhouse://HOST[:PORT][,HOST..]/DB for the aggregates", NULL},
      {"port", "N", "TCP port", "8080"},
      {"bind", "ADDR", "IPv4 address to listen on", "127.0.0.1"},
      {"web", "DIR", "static files built by scripts/setup", DY_WEB_DIR},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"threads", "N", "worker threads", "4"},
      {"timeout", "S", "close connections idle for S seconds", "15"},
      {"quiet", NULL, "no ingest log lines", NULL},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof(char *));
  int npos, rc;
  long port, threads, timeout;
  char *end, token[4096];
  dy_serve_opts o;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  dy_free(pos);
  if (rc != 0)
    return rc > 0 ? CLI_OK : CLI_USAGE;
  if (cli_get(opts, "db") == NULL) {
    cli_error("serve", "--db FILE is required");
    return CLI_USAGE;
  }
  if (npos) {
    cli_error("serve", "unexpected argument");
    return CLI_USAGE;
  }
  if (cli_get(opts, "token-file") == NULL &&
      dy_store_is_remote(cli_get(opts, "db"))) {
    cli_error("serve", "--token-file FILE is required with a database URI");
    return CLI_USAGE;
  }
  port = strtol(cli_get(opts, "port"), &end, 10);
  if (*end || port < 1 || port > 65535) {
    cli_error("serve", "bad --port '%s' (1 to 65535)", cli_get(opts, "port"));
    return CLI_USAGE;
  }
  threads = strtol(cli_get(opts, "threads"), &end, 10);
  if (*end || threads < 1 || threads > 64) {
    cli_error("serve", "bad --threads (1 to 64)");
    return CLI_USAGE;
  }
  timeout = strtol(cli_get(opts, "timeout"), &end, 10);
  if (*end || timeout < 1 || timeout > 3600) {
    cli_error("serve", "bad --timeout (1 to 3600 seconds)");
    return CLI_USAGE;
  }
  memset(&o, 0, sizeof o);
  o.timeout = (int)timeout;
  o.db = cli_get(opts, "db");
  if (cli_get(opts, "token-file")) {
    o.token_file = cli_get(opts, "token-file");
  } else if (snprintf(token, sizeof token, "%s.token", o.db) >=
             (int)sizeof token) {
    cli_error("serve", "database path too long");
    return CLI_USAGE;
  } else {
    o.token_file = token;
  }
  o.analytics = cli_get(opts, "analytics");
  o.bind = cli_get(opts, "bind");
  o.port = (int)port;
  o.web_dir = cli_get(opts, "web");
  o.dict_dir = cli_get(opts, "dict-dir");
  o.threads = (int)threads;
  o.quiet = cli_get(opts, "quiet") != NULL;
  return dy_serve_run(&o);
}
