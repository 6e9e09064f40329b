/* SPDX-License-Identifier: MIT */
/* `dyad serve`: the HTTP API and web app on libmicrohttpd. server.c owns the
 * daemon, routing, security (token, caps, headers, static files) and the
 * JSON endpoints over the store; api_backend.c answers similar, search,
 * alignments and the web's saved queries through api_backend.h. */
#ifndef DYAD_SERVE_H
#define DYAD_SERVE_H

#include "dyad/dyad.h"

typedef struct dy_serve_opts {
  const char *db;         /* database path (created when missing) or a
                             PostgreSQL URI */
  const char *token_file; /* where the write token's SHA-256 is kept */
  const char *analytics;  /* clickhouse:// URL for the heavy aggregates,
                             or NULL (all from the store) */
  const char *bind;       /* IPv4 address to listen on, "127.0.0.1" */
  int port;               /* TCP port */
  const char *web_dir;    /* static files (built by scripts/setup) */
  const char *dict_dir;   /* dictionaries, NULL = default */
  int threads;            /* worker threads */
  int timeout;            /* idle connection timeout, seconds */
  int quiet;              /* no request log on stderr */
} dy_serve_opts;

/* Runs until SIGTERM or SIGINT. Returns a CLI exit code. */
int dy_serve_run(const dy_serve_opts *o);

#endif
