/* SPDX-License-Identifier: MIT */
/* `dyad serve`: the HTTP API and web app on libmicrohttpd. server.c owns the
 * daemon, routing, security (token, caps, headers, static files) and the
 * JSON endpoints over the store; api_backend.c answers the endpoints whose
 * store functions are still to come (similar, search, series, alignments,
 * saved queries) through the small interface in api_backend.h. */
#ifndef DYAD_SERVE_H
#define DYAD_SERVE_H

#include "dyad/dyad.h"

typedef struct dy_serve_opts {
  const char *db;       /* database path (created when missing) */
  const char *bind;     /* IPv4 address to listen on, "127.0.0.1" */
  int port;             /* TCP port */
  const char *web_dir;  /* static files (built by scripts/setup) */
  const char *dict_dir; /* dictionaries, NULL = default */
  int threads;          /* worker threads */
  int timeout;          /* idle connection timeout, seconds */
  int quiet;            /* no request log on stderr */
} dy_serve_opts;

/* Runs until SIGTERM or SIGINT. Returns a CLI exit code. */
int dy_serve_run(const dy_serve_opts *o);

#endif
