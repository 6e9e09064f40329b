/* SPDX-License-Identifier: MIT */
/* Fuzz target: the ClickHouse client's parsers. The first byte picks the
 * parser: even = the HTTP response parser (dy_http_response_parse), odd =
 * the clickhouse:// URL parser (dy_ch_url_parse), on the rest of the input.
 * Neither may crash; a parsed URL must hold 1..DY_CH_MAX_HOSTS hosts with
 * ports in 1..65535 and NUL-terminated fields; a parsed response's body
 * is never longer than the input. */
#include "dyad/clickhouse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  if (data[0] % 2 == 0) {
    dy_buf body;
    int status = 0, rc;
    dy_buf_init(&body, 0);
    rc = dy_http_response_parse((const char *)data + 1, size - 1, &status,
                                &body);
    if (rc == DY_OK && (body.n > size || status < 0 || status > 999))
      abort();
    dy_buf_fini(&body);
  } else {
    char *s = malloc(size);
    dy_ch_url u;
    dy_err err;
    int k;
    if (s == NULL)
      return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (dy_ch_url_parse(s, &u, &err) == DY_OK) {
      if (u.nhosts < 1 || u.nhosts > DY_CH_MAX_HOSTS)
        abort();
      for (k = 0; k < u.nhosts; k++)
        if (u.port[k] < 1 || u.port[k] > 65535 || u.host[k][0] == '\0' ||
            memchr(u.host[k], '\0', sizeof u.host[k]) == NULL)
          abort();
      if (memchr(u.db, '\0', sizeof u.db) == NULL ||
          memchr(u.user, '\0', sizeof u.user) == NULL ||
          memchr(u.password, '\0', sizeof u.password) == NULL)
        abort();
    }
    free(s);
  }
  return 0;
}
