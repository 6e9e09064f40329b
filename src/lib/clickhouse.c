/* SPDX-License-Identifier: MIT */
/* ClickHouse's HTTP interface: clickhouse:// URLs, HTTP/1.0 requests over
 * a socket with timeouts, the HTTP response parser (include/dyad/clickhouse.h).
 * Every byte from the network is untrusted: the response is capped, the
 * parser checks every length. */
#include "dyad/clickhouse.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CH_MAX_RESPONSE (256u << 20) /* bytes of one response at most */
#define CH_DEFAULT_PORT 8123

/* ==== URL =============================================================== */

static int hexval(int c)
{
  return dy_isdigit(c)            ? c - '0'
         : (c >= 'a' && c <= 'f') ? c - 'a' + 10
         : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                  : -1;
}

/* Percent-decodes p[0..n) into out (cap bytes with the NUL). -1 when it
 * does not fit, has a bad escape or decodes to NUL. */
static int pct_decode(const char *p, size_t n, char *out, size_t cap)
{
  size_t i, o = 0;
  for (i = 0; i < n; i++) {
    int c = (unsigned char)p[i];
    if (c == '%') {
      int h, l;
      if (i + 2 >= n)
        return -1;
      h = hexval(p[i + 1]);
      l = hexval(p[i + 2]);
      if (h < 0 || l < 0)
        return -1;
      c = h * 16 + l;
      i += 2;
    }
    if (c == 0 || o + 1 >= cap)
      return -1;
    out[o++] = (char)c;
  }
  out[o] = '\0';
  return 0;
}

int dy_ch_url_parse(const char *url, dy_ch_url *u, dy_err *err)
{
  const char *p, *at, *slash, *end;
  memset(u, 0, sizeof *u);
  snprintf(u->db, sizeof u->db, "default");
  if (url == NULL || strncmp(url, "clickhouse://", 13) != 0)
    return dy_err_set(err, DY_EINVAL, "expected clickhouse://HOST[:PORT]/DB");
  p = url + 13;
  end = p + strlen(p);
  slash = strchr(p, '/');
  if (slash == NULL)
    slash = end;
  at = memchr(p, '@', (size_t)(slash - p));
  if (at) {
    const char *colon = memchr(p, ':', (size_t)(at - p));
    const char *ue = colon ? colon : at;
    if (pct_decode(p, (size_t)(ue - p), u->user, sizeof u->user) < 0 ||
        (colon && pct_decode(colon + 1, (size_t)(at - colon - 1), u->password,
                             sizeof u->password) < 0))
      return dy_err_set(err, DY_EINVAL, "bad user or password in the URL");
    p = at + 1;
  }
  while (p < slash) {
    const char *comma = memchr(p, ',', (size_t)(slash - p));
    const char *he = comma ? comma : slash, *colon;
    size_t hn;
    int k = u->nhosts;
    if (k >= DY_CH_MAX_HOSTS)
      return dy_err_set(err, DY_EINVAL, "more than %d hosts in the URL",
                        DY_CH_MAX_HOSTS);
    colon = memchr(p, ':', (size_t)(he - p));
    hn = (size_t)((colon ? colon : he) - p);
    if (hn == 0 || hn >= sizeof u->host[k])
      return dy_err_set(err, DY_EINVAL, "bad host in the URL");
    memcpy(u->host[k], p, hn);
    u->host[k][hn] = '\0';
    {
      size_t i;
      for (i = 0; i < hn; i++)
        if (!(dy_isalnum(u->host[k][i]) || u->host[k][i] == '.' ||
              u->host[k][i] == '-' || u->host[k][i] == '_'))
          return dy_err_set(err, DY_EINVAL, "bad host in the URL");
    }
    u->port[k] = CH_DEFAULT_PORT;
    if (colon) {
      long v = 0;
      const char *c;
      if (colon + 1 == he)
        return dy_err_set(err, DY_EINVAL, "bad port in the URL");
      for (c = colon + 1; c < he; c++) {
        if (!dy_isdigit(*c) || (v = v * 10 + (*c - '0')) > 65535)
          return dy_err_set(err, DY_EINVAL, "bad port in the URL");
      }
      if (v == 0)
        return dy_err_set(err, DY_EINVAL, "bad port in the URL");
      u->port[k] = (int)v;
    }
    u->nhosts++;
    p = comma ? comma + 1 : he;
    if (comma && p == slash)
      return dy_err_set(err, DY_EINVAL, "bad host in the URL");
  }
  if (u->nhosts == 0)
    return dy_err_set(err, DY_EINVAL, "no host in the URL");
  if (slash < end && slash + 1 < end) {
    size_t i, n = strlen(slash + 1);
    if (n >= sizeof u->db)
      return dy_err_set(err, DY_EINVAL, "database name too long");
    for (i = 0; i < n; i++)
      if (!(dy_isalnum(slash[1 + i]) || slash[1 + i] == '_'))
        return dy_err_set(err, DY_EINVAL,
                          "bad database name in the URL (letters, digits, _)");
    memcpy(u->db, slash + 1, n + 1);
  }
  return DY_OK;
}

/* ==== HTTP response ===================================================== */

/* Case-insensitive prefix match of a header line. */
static int header_is(const char *p, size_t n, const char *name)
{
  size_t i, k = strlen(name);
  if (n < k)
    return 0;
  for (i = 0; i < k; i++)
    if (dy_tolower(p[i]) != dy_tolower(name[i]))
      return 0;
  return 1;
}

/* Parses an unsigned number (base 10 or 16) from p[0..n), skipping leading
 * spaces; -1 when none or over CH_MAX_RESPONSE. *used gets bytes read. */
static long long parse_num(const char *p, size_t n, int base, size_t *used)
{
  size_t i = 0;
  long long v = -1;
  while (i < n && (p[i] == ' ' || p[i] == '\t'))
    i++;
  for (; i < n; i++) {
    int d = base == 16 ? hexval(p[i]) : dy_isdigit(p[i]) ? p[i] - '0' : -1;
    if (d < 0)
      break;
    v = (v < 0 ? 0 : v) * base + d;
    if (v > (long long)CH_MAX_RESPONSE)
      return -1;
  }
  *used = i;
  return v;
}

int dy_http_response_parse(const char *p, size_t n, int *status, dy_buf *body)
{
  size_t i = 0, hend;
  long long clen = -1;
  int chunked = 0;
  const char *e;
  *status = 0;
  if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !dy_isdigit(p[7]) ||
      p[8] != ' ' || !dy_isdigit(p[9]) || !dy_isdigit(p[10]) ||
      !dy_isdigit(p[11]))
    return DY_EFORMAT;
  *status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  /* headers end at the first empty line */
  for (hend = 0; hend + 3 < n; hend++)
    if (p[hend] == '\r' && p[hend + 1] == '\n' && p[hend + 2] == '\r' &&
        p[hend + 3] == '\n')
      break;
  if (hend + 3 >= n)
    return DY_EFORMAT;
  e = memchr(p, '\n', hend + 1);
  i = e ? (size_t)(e - p) + 1 : hend;
  while (i < hend) {
    const char *le = memchr(p + i, '\r', hend + 1 - i);
    size_t ln = le ? (size_t)(le - (p + i)) : hend - i, used;
    if (header_is(p + i, ln, "content-length:")) {
      clen = parse_num(p + i + 15, ln - 15, 10, &used);
      if (clen < 0)
        return DY_EFORMAT;
    } else if (header_is(p + i, ln, "transfer-encoding:")) {
      size_t k;
      for (k = 18; k + 7 <= ln; k++)
        if (header_is(p + i + k, ln - k, "chunked"))
          chunked = 1;
    }
    i += ln + 2;
  }
  i = hend + 4;
  if (chunked) {
    for (;;) {
      size_t used;
      long long len = parse_num(p + i, n - i, 16, &used);
      const char *crlf;
      if (len < 0)
        return DY_EFORMAT;
      /* skip chunk extensions up to the CRLF */
      crlf = memchr(p + i + used, '\n', n - i - used);
      if (crlf == NULL)
        return DY_EFORMAT;
      i = (size_t)(crlf - p) + 1;
      if (len == 0)
        break;
      if ((unsigned long long)len > n - i)
        return DY_EFORMAT;
      if (dy_buf_append(body, p + i, (size_t)len) < 0)
        return DY_ENOMEM;
      i += (size_t)len;
      if (n - i < 2 || p[i] != '\r' || p[i + 1] != '\n')
        return DY_EFORMAT;
      i += 2;
    }
    return DY_OK;
  }
  if (clen >= 0) {
    if ((unsigned long long)clen > n - i)
      return DY_EFORMAT; /* truncated */
    return dy_buf_append(body, p + i, (size_t)clen) < 0 ? DY_ENOMEM : DY_OK;
  }
  return dy_buf_append(body, p + i, n - i) < 0 ? DY_ENOMEM : DY_OK;
}

/* ==== requests ========================================================== */

static void url_encode(dy_buf *b, const char *s)
{
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (dy_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      dy_buf_putc(b, (char)c);
    else
      dy_buf_printf(b, "%%%02X", c);
  }
}

/* Waits until fd is ready for events; 0 ok, -1 timeout or error. */
static int wait_fd(int fd, short events, int timeout_ms)
{
  struct pollfd pf;
  int rc;
  pf.fd = fd;
  pf.events = events;
  do
    rc = poll(&pf, 1, timeout_ms);
  while (rc < 0 && errno == EINTR);
  return rc == 1 ? 0 : -1;
}

static int connect_to(const dy_ch_url *u, int k, int timeout_ms, dy_err *err)
{
  struct addrinfo hints, *res = NULL, *ai;
  char port[16];
  int fd = -1, rc, saved = 0;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  snprintf(port, sizeof port, "%d", u->port[k]);
  rc = getaddrinfo(u->host[k], port, &hints, &res);
  if (rc != 0) {
    dy_err_set(err, DY_EIO, "%s:%d: cannot resolve: %s", u->host[k], u->port[k],
               gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai; ai = ai->ai_next) {
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                ai->ai_protocol);
    if (fd < 0) {
      saved = errno;
      continue;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, timeout_ms) == 0 &&
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
      break;
    saved = soerr ? soerr : errno == EINPROGRESS ? ETIMEDOUT : errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0)
    dy_err_set(err, DY_EIO, "%s:%d: cannot connect: %s", u->host[k], u->port[k],
               strerror(saved ? saved : ECONNREFUSED));
  return fd;
}

static int send_all(int fd, const char *p, size_t n, int timeout_ms)
{
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (wait_fd(fd, POLLOUT, timeout_ms) < 0)
        return -1;
      continue;
    }
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int dy_ch_query(const dy_ch_url *u, int k, const char *query, const char *body,
                size_t n, dy_buf *out, int timeout_ms, dy_err *err)
{
  dy_buf req, resp, rbody;
  int fd, rc = DY_OK, status = 0;
  if (k < 0 || k >= u->nhosts)
    return dy_err_set(err, DY_EINVAL, "no host %d", k);
  dy_buf_init(&req, 0);
  dy_buf_init(&resp, CH_MAX_RESPONSE);
  dy_buf_init(&rbody, CH_MAX_RESPONSE);
  dy_buf_puts(&req, "POST /?database=");
  url_encode(&req, u->db);
  if (*u->user) {
    dy_buf_puts(&req, "&user=");
    url_encode(&req, u->user);
  }
  if (*u->password) {
    dy_buf_puts(&req, "&password=");
    url_encode(&req, u->password);
  }
  dy_buf_puts(&req, u->params);
  dy_buf_puts(&req, "&query=");
  url_encode(&req, query);
  dy_buf_printf(&req,
                " HTTP/1.0\r\nHost: %s:%d\r\nUser-Agent: dyad\r\n"
                "Content-Length: %zu\r\n\r\n",
                u->host[k], u->port[k], body ? n : (size_t)0);
  if (req.failed) {
    rc = dy_err_set(err, DY_ENOMEM, "out of memory");
    goto out;
  }
  fd = connect_to(u, k, timeout_ms, err);
  if (fd < 0) {
    rc = DY_EIO;
    goto out;
  }
  if (send_all(fd, req.p, req.n, timeout_ms) < 0 ||
      (body && n && send_all(fd, body, n, timeout_ms) < 0)) {
    close(fd);
    rc = dy_err_set(err, DY_EIO, "%s:%d: connection lost while sending",
                    u->host[k], u->port[k]);
    goto out;
  }
  for (;;) {
    char chunk[65536];
    ssize_t r;
    if (wait_fd(fd, POLLIN, timeout_ms) < 0) {
      rc = dy_err_set(err, DY_EIO, "%s:%d: no answer within %d ms", u->host[k],
                      u->port[k], timeout_ms);
      break;
    }
    r = recv(fd, chunk, sizeof chunk, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (r < 0) {
      rc = dy_err_set(err, DY_EIO, "%s:%d: connection lost: %s", u->host[k],
                      u->port[k], strerror(errno));
      break;
    }
    if (r == 0)
      break;
    if (dy_buf_append(&resp, chunk, (size_t)r) < 0) {
      rc = dy_err_set(err, DY_ENOMEM, "%s:%d: response over %u bytes",
                      u->host[k], u->port[k], CH_MAX_RESPONSE);
      break;
    }
  }
  close(fd);
  if (rc < 0)
    goto out;
  rc = dy_http_response_parse(resp.p ? resp.p : "", resp.n, &status, &rbody);
  if (rc < 0) {
    rc = dy_err_set(err, rc == DY_ENOMEM ? DY_ENOMEM : DY_EIO, "%s:%d: %s",
                    u->host[k], u->port[k],
                    resp.n ? "malformed or truncated HTTP response"
                           : "connection closed without a response");
    goto out;
  }
  if (status != 200) {
    /* ClickHouse's message: "Code: N, e.displayText() = DB::Exception: ..." */
    const char *m = rbody.p ? rbody.p : "";
    size_t ml = strcspn(m, "\n");
    rc = dy_err_set(err, DY_EDB, "%s:%d: HTTP %d: %.*s", u->host[k], u->port[k],
                    status, (int)(ml > 180 ? 180 : ml), m);
    goto out;
  }
  if (out && rbody.n && dy_buf_append(out, rbody.p, rbody.n) < 0)
    rc = dy_err_set(err, DY_ENOMEM, "out of memory");
out:
  dy_buf_fini(&req);
  dy_buf_fini(&resp);
  dy_buf_fini(&rbody);
  return rc;
}
