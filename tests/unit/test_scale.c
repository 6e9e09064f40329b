/* SPDX-License-Identifier: MIT */
/* Tests of the scale-out code: the clickhouse:// URL parser, the HTTP
 * response parser (plain, Content-Length, chunked, truncated), a refused
 * connection, the store's bulk dump in id order from a watermark. The
 * PostgreSQL and ClickHouse servers are exercised by the golden cases
 * scale-pg and scale-clickhouse. */
#include "test.h"

#include "dyad/clickhouse.h"
#include "dyad/dyad.h"

#include <stdlib.h>
#include <unistd.h>

#define X(name) void test_##name(void);
#include "list_scale.inc"
#undef X

void test_ch_url_parse(void)
{
  dy_ch_url u;
  dy_err err;
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h1", &u, &err), DY_OK);
  CHECK_EQ_INT(u.nhosts, 1);
  CHECK_EQ_STR(u.host[0], "h1");
  CHECK_EQ_INT(u.port[0], 8123);
  CHECK_EQ_STR(u.db, "default");
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://us%40r:p%3Aw@a.b:9000,c-d:1/db_2",
                               &u, &err),
               DY_OK);
  CHECK_EQ_STR(u.user, "us@r");
  CHECK_EQ_STR(u.password, "p:w");
  CHECK_EQ_INT(u.nhosts, 2);
  CHECK_EQ_STR(u.host[1], "c-d");
  CHECK_EQ_INT(u.port[0], 9000);
  CHECK_EQ_INT(u.port[1], 1);
  CHECK_EQ_STR(u.db, "db_2");
  CHECK_EQ_INT(dy_ch_url_parse("http://h/db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h:0/db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h:65536/db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h:/db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse:///db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h,/db", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h/d;DROP", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://u:%4@h/d", &u, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://h o/d", &u, &err), DY_EINVAL);
}

void test_http_response_parse(void)
{
  static const char plain[] = "HTTP/1.0 200 OK\r\nX: y\r\n\r\nabc\n";
  static const char clen[] = "HTTP/1.1 500 Oops\r\ncontent-length: 3\r\n\r\n"
                             "errMORE";
  static const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                                "chunked\r\n\r\n3\r\nabc\r\na;x\r\n"
                                "0123456789\r\n0\r\n\r\n";
  static const char trunc[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
                              "abc";
  static const char badchunk[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                                 "chunked\r\n\r\n9\r\nabc";
  dy_buf b;
  int status;
  dy_buf_init(&b, 0);
  CHECK_EQ_INT(dy_http_response_parse(plain, sizeof plain - 1, &status, &b),
               DY_OK);
  CHECK_EQ_INT(status, 200);
  CHECK_EQ_STR(b.p, "abc\n");
  dy_buf_reset(&b);
  CHECK_EQ_INT(dy_http_response_parse(clen, sizeof clen - 1, &status, &b),
               DY_OK);
  CHECK_EQ_INT(status, 500);
  CHECK_EQ_STR(b.p, "err");
  dy_buf_reset(&b);
  CHECK_EQ_INT(dy_http_response_parse(chunked, sizeof chunked - 1, &status, &b),
               DY_OK);
  CHECK_EQ_STR(b.p, "abc0123456789");
  dy_buf_reset(&b);
  CHECK_EQ_INT(dy_http_response_parse(trunc, sizeof trunc - 1, &status, &b),
               DY_EFORMAT);
  CHECK_EQ_INT(
      dy_http_response_parse(badchunk, sizeof badchunk - 1, &status, &b),
      DY_EFORMAT);
  CHECK_EQ_INT(dy_http_response_parse("HTTP/1.1 20", 11, &status, &b),
               DY_EFORMAT);
  CHECK_EQ_INT(dy_http_response_parse("", 0, &status, &b), DY_EFORMAT);
  dy_buf_fini(&b);
}

void test_ch_query_refused(void)
{
  dy_ch_url u;
  dy_err err;
  CHECK_EQ_INT(dy_ch_url_parse("clickhouse://127.0.0.1:1/db", &u, &err), DY_OK);
  CHECK_EQ_INT(dy_ch_query(&u, 0, "SELECT 1", NULL, 0, NULL, 2000, &err),
               DY_EIO);
  CHECK(strstr(err.msg, "127.0.0.1:1") != NULL);
  CHECK(strstr(err.msg, "cannot connect") != NULL);
}

typedef struct dump_seen {
  long n;
  long long last;
  int ordered;
  int ncols;
} dump_seen;

static int on_dump(const char *const *v, int n, void *ud)
{
  dump_seen *d = ud;
  long long id = v[0] ? strtoll(v[0], NULL, 10) : -1;
  if (id <= d->last)
    d->ordered = 0;
  d->last = id;
  d->ncols = n;
  d->n++;
  return 0;
}

void test_store_dump(void)
{
  char dir[] = "/tmp/dyad-test-scale-XXXXXX", path[64];
  dy_engine *e = NULL;
  dy_doc *d = NULL;
  dy_store *st = NULL;
  dy_err err;
  dump_seen s1 = {0, 0, 1, 0}, s2 = {0, 0, 1, 0}, s3 = {0, 0, 1, 0};
  static const char *const texts[] = {
      "Russia criticized Ukraine on Monday.",
      "Japan praised China for its help.",
      "The United States accused Iran of cheating.",
  };
  int i, ins;
  dy_engine_opts o;
  memset(&o, 0, sizeof o);
  o.dict_dir = dy_test_data();
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/s.db", dir);
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_OK);
  CHECK_EQ_INT(dy_store_open(path, &st, &err), DY_OK);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  for (i = 0; i < 3; i++) {
    char name[32];
    snprintf(name, sizeof name, "t%d.txt", i);
    CHECK_EQ_INT(
        dy_doc_analyse(d, texts[i], strlen(texts[i]), name, "2024-06-19"),
        DY_OK);
    CHECK_EQ_INT(dy_doc_code(d), DY_OK);
    CHECK_EQ_INT(dy_store_put(st, d, &ins), DY_OK);
    CHECK_EQ_INT(ins, 1);
  }
  CHECK_EQ_INT(dy_store_dump(st, DY_DUMP_ARTICLES, 0, 2, on_dump, &s1), DY_OK);
  CHECK_EQ_INT(s1.n, 2);
  CHECK_EQ_INT(s1.ncols, DY_DUMP_ARTICLE_COLS);
  /* from the watermark on: the third article only */
  CHECK_EQ_INT(dy_store_dump(st, DY_DUMP_ARTICLES, s1.last, 10, on_dump, &s2),
               DY_OK);
  CHECK_EQ_INT(s2.n, 1);
  CHECK(s2.ordered);
  CHECK_EQ_INT(dy_store_dump(st, DY_DUMP_EVENTS, 0, 100, on_dump, &s3), DY_OK);
  CHECK(s3.ordered);
  CHECK(s3.n == 0 || s3.ncols == DY_DUMP_EVENT_COLS);
  CHECK_EQ_INT(dy_store_dump(st, 7, 0, 1, on_dump, &s3), DY_EINVAL);
  dy_doc_free(d);
  dy_store_close(st);
  dy_engine_free(e);
  unlink(path);
  {
    char p2[80];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
  }
  rmdir(dir);
}
