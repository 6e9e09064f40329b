/* SPDX-License-Identifier: MIT */
/* A small client for ClickHouse's HTTP interface (HTTP/1.0 over a TCP
 * socket, no TLS): the clickhouse:// URL, one query per connection with an
 * optional request body (e.g. TabSeparated rows of an INSERT), the HTTP
 * response parser. Used by `dyad export --to clickhouse://...`
 * (docs/SCALE.md). */
#ifndef DYAD_CLICKHOUSE_H
#define DYAD_CLICKHOUSE_H

#include "dyad/core.h"

#define DY_CH_MAX_HOSTS 16

typedef struct dy_ch_url {
  char user[64]; /* "" = server default user */
  char password[128];
  char db[64]; /* database, "default" when not given */
  int nhosts;  /* 1 .. DY_CH_MAX_HOSTS */
  char host[DY_CH_MAX_HOSTS][128];
  int port[DY_CH_MAX_HOSTS]; /* HTTP port, 8123 when not given */
  char params[128];          /* extra URL parameters (settings), each "&k=v",
                                already encoded; set by the caller, "" by the parser */
} dy_ch_url;

/* Parses "clickhouse://[USER[:PASSWORD]@]HOST[:PORT][,HOST[:PORT]...][/DB]"
 * (user, password and database percent-decoded; database name letters,
 * digits and '_' only). DY_EINVAL with a message in err when malformed. */
int dy_ch_url_parse(const char *url, dy_ch_url *u, dy_err *err);

/* Parses a whole HTTP/1.x response in p[0..n): *status gets the status
 * code; the body (de-chunked for Transfer-Encoding: chunked, else up to
 * Content-Length or the end) is appended to body. DY_EFORMAT when the
 * response is malformed or truncated. */
int dy_http_response_parse(const char *p, size_t n, int *status, dy_buf *body);

/* Runs query on host k of u (POST /?database=..&query=..; body, may be
 * NULL, is sent as the request body): the response body is appended to
 * out (may be NULL). Connect and I/O time out after timeout_ms. Errors:
 * DY_EIO (cannot connect, connection lost: message names host and port),
 * DY_EDB (the server answered with an error: its message), DY_EFORMAT (a
 * malformed response), DY_ENOMEM. */
int dy_ch_query(const dy_ch_url *u, int k, const char *query, const char *body,
                size_t n, dy_buf *out, int timeout_ms, dy_err *err);

#endif
