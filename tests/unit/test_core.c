/* SPDX-License-Identifier: MIT */
/* Tests of the core utilities: strict UTF-8 decoding and repair, the capped
 * byte builder, the arena, SHA-256, dates, error names and the
 * allocation-failure hook. */
#include "test.h"

#include "dyad/core.h"

#include <errno.h>
#include <stdlib.h>

#define X(name) void test_##name(void);
#include "list_core.inc"
#undef X

/* ---- UTF-8 ------------------------------------------------------------- */

void test_core_utf8_decode(void)
{
  static const struct {
    const char *what; /* case name for failure messages */
    const char *in;   /* bytes */
    size_t n;         /* bytes in in */
    int len;          /* expected return */
    uint32_t cp;      /* expected code point when len > 0 */
  } cases[] = {
      {"ascii", "A", 1, 1, 0x41},
      {"nul", "\0", 1, 1, 0},
      {"2-byte min", "\xC2\x80", 2, 2, 0x80},
      {"2-byte e-acute", "\xC3\xA9", 2, 2, 0xE9},
      {"2-byte max", "\xDF\xBF", 2, 2, 0x7FF},
      {"3-byte min", "\xE0\xA0\x80", 3, 3, 0x800},
      {"3-byte euro", "\xE2\x82\xAC", 3, 3, 0x20AC},
      {"3-byte before surrogates", "\xED\x9F\xBF", 3, 3, 0xD7FF},
      {"3-byte after surrogates", "\xEE\x80\x80", 3, 3, 0xE000},
      {"3-byte max", "\xEF\xBF\xBF", 3, 3, 0xFFFF},
      {"4-byte min", "\xF0\x90\x80\x80", 4, 4, 0x10000},
      {"4-byte emoji", "\xF0\x9F\x98\x80", 4, 4, 0x1F600},
      {"4-byte max", "\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF},
      {"only the first code point", "ab", 2, 1, 0x61},
      {"overlong 2-byte C0 80", "\xC0\x80", 2, -1, 0},
      {"overlong 2-byte C1 BF", "\xC1\xBF", 2, -1, 0},
      {"overlong 3-byte E0 80 80", "\xE0\x80\x80", 3, -1, 0},
      {"overlong 3-byte E0 9F BF", "\xE0\x9F\xBF", 3, -1, 0},
      {"overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80", 4, -1, 0},
      {"overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", 4, -1, 0},
      {"surrogate ED A0 80", "\xED\xA0\x80", 3, -1, 0},
      {"surrogate ED BF BF", "\xED\xBF\xBF", 3, -1, 0},
      {"above U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80", 4, -1, 0},
      {"lead F5", "\xF5\x80\x80\x80", 4, -1, 0},
      {"lead FF", "\xFF", 1, -1, 0},
      {"truncated 2-byte", "\xC3", 1, -1, 0},
      {"truncated 3-byte", "\xE2\x82", 2, -1, 0},
      {"truncated 4-byte", "\xF0\x9F\x98", 3, -1, 0},
      {"bad continuation", "\xC3\x41", 2, -1, 0},
      {"bad 3rd byte", "\xE2\x82\x41", 3, -1, 0},
      {"stray continuation 80", "\x80", 1, -1, 0},
      {"stray continuation BF", "\xBF\x41", 2, -1, 0},
      {"empty", "", 0, -1, 0},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t cp = 0xDEADBEEF;
    int len =
        dy_utf8_decode((const unsigned char *)cases[i].in, cases[i].n, &cp);
    if (len != cases[i].len || (len > 0 && cp != cases[i].cp)) {
      fprintf(stderr, "  case \"%s\": got len %d cp U+%04X\n", cases[i].what,
              len, (unsigned)cp);
      CHECK(0);
    }
    /* a valid single code point is valid UTF-8 and round-trips */
    if (len > 0 && (size_t)len == cases[i].n) {
      char enc[4];
      CHECK(dy_utf8_valid(cases[i].in, cases[i].n));
      CHECK_EQ_INT(dy_utf8_encode(cp, enc), len);
      CHECK(memcmp(enc, cases[i].in, (size_t)len) == 0);
    }
    if (len < 0 && cases[i].n > 0)
      CHECK(!dy_utf8_valid(cases[i].in, cases[i].n));
  }
}

void test_core_utf8_repair(void)
{
  static const struct {
    const char *in;   /* bytes */
    size_t n;         /* bytes in in */
    const char *want; /* repaired text */
    size_t nbad;      /* replacements */
  } cases[] = {
      {"plain text", 10, "plain text", 0},
      {"", 0, "", 0},
      {"caf\xC3\xA9 \xE2\x82\xAC", 9, "caf\xC3\xA9 \xE2\x82\xAC", 0},
      {"a\xC0\x80z", 4, "a\xEF\xBF\xBD\xEF\xBF\xBDz", 2},
      {"a\xFFz", 3, "a\xEF\xBF\xBDz", 1},
      {"\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3},
      {"end\xE2\x82", 5, "end\xEF\xBF\xBD\xEF\xBF\xBD", 2},
      {"\x80x", 2, "\xEF\xBF\xBDx", 1},
      {"ok\xF0\x9F\x98\x80", 6, "ok\xF0\x9F\x98\x80", 0},
  };
  dy_buf out;
  size_t i;
  dy_buf_init(&out, 0);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t nbad = 99;
    int rc = dy_utf8_repair(cases[i].in, cases[i].n, &out, &nbad);
    if (rc != DY_OK || nbad != cases[i].nbad ||
        out.n != strlen(cases[i].want) ||
        (out.n && memcmp(out.p, cases[i].want, out.n) != 0)) {
      fprintf(stderr, "  case %zu: rc %d nbad %zu out \"%.*s\"\n", i, rc, nbad,
              (int)out.n, out.p ? out.p : "");
      dy_buf_fini(&out);
      CHECK(0);
    }
    if (out.p)
      CHECK(dy_utf8_valid(out.p, out.n));
  }
  dy_buf_fini(&out);
}

/* ---- dy_buf ------------------------------------------------------------ */

void test_core_buf_growth(void)
{
  dy_buf b;
  size_t i;
  int ok = 1;
  dy_buf_init(&b, 0);
  CHECK(b.p == NULL && b.n == 0);
  for (i = 0; i < 10000; i++)
    if (dy_buf_putc(&b, (char)('a' + i % 26)) != DY_OK)
      ok = 0;
  if (!ok || b.n != 10000 || b.cap < 10001 || b.p[10000] != '\0' ||
      b.p[0] != 'a' || b.p[9999] != (char)('a' + 9999 % 26)) {
    dy_buf_fini(&b);
    CHECK(0);
  }
  dy_buf_reset(&b);
  ok = b.n == 0 && b.p[0] == '\0' && b.cap >= 10001;
  if (ok)
    ok = dy_buf_printf(&b, "%d-%s", 42, "x") == DY_OK &&
         strcmp(b.p, "42-x") == 0;
  /* a printf longer than the internal 256-byte scratch */
  if (ok)
    ok = dy_buf_printf(&b, "%300s|", "y") == DY_OK && b.n == 4 + 301 &&
         b.p[b.n - 1] == '|' && b.p[b.n - 2] == 'y' && b.p[b.n] == '\0';
  if (ok)
    ok = dy_buf_append(&b, "", 0) == DY_OK && b.n == 305;
  dy_buf_fini(&b);
  CHECK(ok);
  CHECK(b.p == NULL && b.n == 0 && b.cap == 0);
}

void test_core_buf_cap(void)
{
  dy_buf b;
  int ok;
  dy_buf_init(&b, 10);
  ok = dy_buf_append(&b, "0123456789", 10) == DY_OK && b.n == 10;
  if (ok)
    ok = dy_buf_putc(&b, 'x') == DY_ETOOBIG && b.failed && b.n == 10;
  /* sticky: even an empty append fails now */
  if (ok)
    ok = dy_buf_append(&b, "", 0) < 0 && b.n == 10;
  if (ok) {
    dy_buf_reset(&b);
    ok = !b.failed && dy_buf_puts(&b, "again") == DY_OK &&
         strcmp(b.p, "again") == 0;
  }
  if (ok)
    ok = dy_buf_printf(&b, "%s", "too long for it") == DY_ETOOBIG;
  dy_buf_fini(&b);
  CHECK(ok);
}

void test_core_buf_json_tsv(void)
{
  static const struct {
    const char *in;   /* bytes */
    size_t n;         /* bytes in in */
    const char *json; /* expected JSON literal */
    const char *tsv;  /* expected TSV field */
  } cases[] = {
      {"plain", 5, "\"plain\"", "plain"},
      {"", 0, "\"\"", ""},
      {"a\"b\\c", 5, "\"a\\\"b\\\\c\"", "a\"b\\c"},
      {"l1\nl2\r\tx", 8, "\"l1\\nl2\\r\\tx\"", "l1 l2  x"},
      {"\x01\x1f", 2, "\"\\u0001\\u001f\"", "\x01\x1f"},
      {"nul\0x", 5, "\"nul\\u0000x\"", "nul"},
      {"caf\xC3\xA9", 5, "\"caf\xC3\xA9\"", "caf\xC3\xA9"},
      {"/<>", 3, "\"/<>\"", "/<>"},
  };
  dy_buf b;
  size_t i;
  dy_buf_init(&b, 0);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int ok;
    dy_buf_reset(&b);
    ok = dy_buf_json_str(&b, cases[i].in, cases[i].n) == DY_OK &&
         strcmp(b.p, cases[i].json) == 0;
    if (ok) {
      dy_buf_reset(&b);
      ok = dy_buf_tsv_field(&b, cases[i].in, cases[i].n) == DY_OK &&
           b.n == cases[i].n && strcmp(b.p, cases[i].tsv) == 0;
    }
    if (!ok) {
      fprintf(stderr, "  case %zu: got \"%s\"\n", i, b.p ? b.p : "(null)");
      dy_buf_fini(&b);
      CHECK(0);
    }
  }
  dy_buf_fini(&b);
}

/* ---- arena ------------------------------------------------------------- */

void test_core_arena(void)
{
  dy_arena a;
  char *s, *p, *big, *q;
  int ok = 1, i;
  dy_arena_init(&a, 0);
  for (i = 1; i < 200 && ok; i++) {
    p = dy_arena_alloc(&a, (size_t)i);
    ok = p != NULL && ((uintptr_t)p & 7) == 0;
    if (ok)
      memset(p, 0xAB, (size_t)i);
  }
  s = dy_arena_strndup(&a, "hello world", 5);
  ok = ok && s && strcmp(s, "hello") == 0;
  /* bigger than a chunk: a one-off chunk */
  big = dy_arena_zalloc(&a, 200000);
  ok = ok && big && big[0] == 0 && big[199999] == 0;
  q = dy_arena_grow(&a, s, 6, 64);
  ok = ok && q && strcmp(q, "hello") == 0;
  ok = ok && !a.failed && a.used >= 200000;
  dy_arena_reset(&a);
  ok = ok && a.used == 0 && !a.failed;
  p = dy_arena_alloc(&a, 100);
  ok = ok && p != NULL && a.used >= 100;
  dy_arena_fini(&a);
  CHECK(ok);
}

void test_core_arena_cap(void)
{
  dy_arena a;
  void *p;
  int ok;
  dy_arena_init(&a, 4096);
  p = dy_arena_alloc(&a, 1000);
  ok = p != NULL && !a.failed;
  /* over the cap: NULL and the sticky flag */
  ok = ok && dy_arena_alloc(&a, 4000) == NULL && a.failed;
  /* sticky: a small allocation fails too until the reset */
  ok = ok && dy_arena_alloc(&a, 8) == NULL && a.failed;
  ok = ok && dy_arena_strndup(&a, "x", 1) == NULL;
  dy_arena_reset(&a);
  ok = ok && !a.failed && dy_arena_alloc(&a, 4000) != NULL;
  ok = ok && dy_arena_alloc(&a, (size_t)-1) == NULL && a.failed;
  dy_arena_fini(&a);
  CHECK(ok);
}

/* ---- SHA-256 ----------------------------------------------------------- */

void test_core_sha256(void)
{
  static const struct {
    const char *in;   /* message */
    const char *want; /* digest, hex */
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  char hex[65];
  char *million;
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dy_sha256_hex(cases[i].in, strlen(cases[i].in), hex);
    CHECK_EQ_STR(hex, cases[i].want);
  }
  million = malloc(1000000);
  CHECK(million != NULL);
  memset(million, 'a', 1000000);
  dy_sha256_hex(million, 1000000, hex);
  free(million);
  CHECK_EQ_STR(
      hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

void test_core_fnv1a(void)
{
  /* published FNV-1a 64 vectors: "" is the offset basis */
  CHECK(dy_hash64("", 0) == 0xcbf29ce484222325ULL);
  CHECK(dy_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(dy_hash64("foobar", 6) == 0x85944171f73967e8ULL);
}

/* ---- dates ------------------------------------------------------------- */

void test_core_date_parse(void)
{
  static const struct {
    const char *in; /* text */
    int valid;      /* expected validity */
  } cases[] = {
      {"2024-06-19", 1}, {"2024-02-29", 1}, {"2000-02-29", 1},
      {"2023-02-29", 0}, {"1900-02-29", 0}, {"2100-02-29", 0},
      {"2023-02-28", 1}, {"2024-04-30", 1}, {"2024-04-31", 0},
      {"2024-12-31", 1}, {"2024-13-01", 0}, {"2024-00-10", 0},
      {"2024-01-00", 0}, {"2024-01-32", 0}, {"2024-1-01", 0},
      {"24-01-01", 0},   {"2024/01/01", 0}, {"2024-01-01T", 0},
      {"abcd-01-01", 0}, {"", 0},           {"0000-03-01", 1},
      {"9999-12-31", 1}, {"2024-0a-01", 0}, {" 2024-01-01", 0},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long d = dy_date_parse(dy_str_c(cases[i].in));
    if ((d >= 0) != cases[i].valid) {
      fprintf(stderr, "  case \"%s\": got %ld\n", cases[i].in, d);
      CHECK(0);
    }
  }
  /* day numbers are consecutive across month, leap day and year ends */
  CHECK_EQ_INT(dy_date_parse(DY_STR("2024-03-01")) -
                   dy_date_parse(DY_STR("2024-02-28")),
               2);
  CHECK_EQ_INT(dy_date_parse(DY_STR("2023-03-01")) -
                   dy_date_parse(DY_STR("2023-02-28")),
               1);
  CHECK_EQ_INT(dy_date_parse(DY_STR("2024-01-01")) -
                   dy_date_parse(DY_STR("2023-12-31")),
               1);
  CHECK_EQ_INT(dy_date_parse(DY_STR("2025-01-01")) -
                   dy_date_parse(DY_STR("2024-01-01")),
               366);
  CHECK_EQ_INT(dy_date_parse(DY_STR("2000-01-01")) -
                   dy_date_parse(DY_STR("1900-01-01")),
               36524);
  /* slices need no NUL */
  CHECK(dy_date_parse((dy_str){"2024-06-19xyz", 10}) ==
        dy_date_parse(DY_STR("2024-06-19")));
}

void test_core_month_names(void)
{
  static const struct {
    const char *in; /* text */
    int month;      /* expected month, 0 = not a month */
  } cases[] = {
      {"January", 1},   {"Jan", 1},       {"Jan.", 1}, {"february", 2},
      {"FEB", 2},       {"March", 3},     {"May", 5},  {"June", 6},
      {"Jun.", 6},      {"July", 7},      {"Aug", 8},  {"Sept", 9},
      {"Sept.", 9},     {"September", 9}, {"Oct", 10}, {"Nov.", 11},
      {"December", 12}, {"Dec", 12},      {"Ju", 0},   {"Junes", 0},
      {"Mayo", 0},      {"Decem", 0},     {"", 0},     {".", 0},
      {"Monday", 0},    {"Janu", 0},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int m = dy_month_from_name(dy_str_c(cases[i].in));
    if (m != cases[i].month) {
      fprintf(stderr, "  case \"%s\": got %d\n", cases[i].in, m);
      CHECK(0);
    }
  }
}

/* ---- errors ------------------------------------------------------------ */

void test_core_errors(void)
{
  dy_err e;
  char longmsg[400];
  CHECK_EQ_STR(dy_err_name(DY_OK), "DY_OK");
  CHECK_EQ_STR(dy_err_name(DY_ENOMEM), "DY_ENOMEM");
  CHECK_EQ_STR(dy_err_name(DY_EVERSION), "DY_EVERSION");
  CHECK_EQ_STR(dy_err_name(-999), "DY_UNKNOWN");
  CHECK_EQ_STR(dy_err_name(1), "DY_UNKNOWN");
  CHECK_EQ_STR(dy_strerror(DY_OK), "success");
  CHECK_EQ_STR(dy_strerror(DY_ETOOBIG), "input over the size cap");
  CHECK_EQ_STR(dy_strerror(DY_ENOTREG), "not a regular file");
  CHECK_EQ_STR(dy_strerror(-999), "unknown error");
  CHECK_EQ_INT(dy_err_from_errno(0), DY_OK);
  CHECK_EQ_INT(dy_err_from_errno(ENOENT), DY_ENOENT);
  CHECK_EQ_INT(dy_err_from_errno(EACCES), DY_EACCES);
  CHECK_EQ_INT(dy_err_from_errno(ENOMEM), DY_ENOMEM);
  CHECK_EQ_INT(dy_err_from_errno(EIO), DY_EIO);
  dy_err_clear(&e);
  CHECK_EQ_INT(e.code, DY_OK);
  CHECK_EQ_STR(e.msg, "");
  CHECK_EQ_INT(dy_err_set(&e, DY_EFORMAT, "line %d: %s", 7, "bad"), DY_EFORMAT);
  CHECK_EQ_INT(e.code, DY_EFORMAT);
  CHECK_EQ_STR(e.msg, "line 7: bad");
  /* long messages are cut, never overflow */
  memset(longmsg, 'm', sizeof longmsg - 1);
  longmsg[sizeof longmsg - 1] = '\0';
  dy_err_set(&e, DY_EIO, "%s", longmsg);
  CHECK_EQ_INT(strlen(e.msg), sizeof e.msg - 1);
  /* a NULL handle is allowed: the code still comes back */
  CHECK_EQ_INT(dy_err_set(NULL, DY_EIO, "x"), DY_EIO);
}

/* ---- allocation failures ----------------------------------------------- */

void test_core_alloc_fail(void)
{
  dy_buf b;
  size_t nbad = 0;
  long k;
  int rc, ok = 1;
  /* the first allocation of an empty buffer fails cleanly */
  dy_buf_init(&b, 0);
  dy_alloc_fail_after(1);
  rc = dy_buf_append(&b, "x", 1);
  dy_alloc_fail_after(0);
  ok = rc == DY_ENOMEM && b.failed && b.p == NULL && b.n == 0;
  dy_buf_fini(&b);
  CHECK(ok);
  /* fail the k-th allocation while growing: each run ends in DY_ENOMEM
   * with the bytes so far intact, or succeeds once k is past them all */
  for (k = 1; k < 20; k++) {
    size_t i, nok = 0;
    dy_buf_init(&b, 0);
    dy_alloc_fail_after(k);
    rc = DY_OK;
    for (i = 0; i < 5000 && rc == DY_OK; i++) {
      rc = dy_buf_append(&b, "abcdefgh", 8);
      if (rc == DY_OK)
        nok++;
    }
    dy_alloc_fail_after(0);
    if (rc != DY_OK && rc != DY_ENOMEM)
      ok = 0;
    if (b.n != nok * 8 || (b.p && b.p[b.n] != '\0'))
      ok = 0;
    if (rc == DY_ENOMEM && (!b.failed || dy_buf_putc(&b, 'z') != DY_ENOMEM))
      ok = 0;
    dy_buf_fini(&b);
    if (!ok) {
      fprintf(stderr, "  k = %ld: rc %d, %zu bytes\n", k, rc, nok * 8);
      CHECK(0);
    }
  }
  /* repair and the arena report the failure the same way */
  dy_buf_init(&b, 0);
  dy_alloc_fail_after(1);
  rc = dy_utf8_repair("abc\xFF", 4, &b, &nbad);
  dy_alloc_fail_after(0);
  dy_buf_fini(&b);
  CHECK_EQ_INT(rc, DY_ENOMEM);
  {
    dy_arena a;
    void *p;
    dy_arena_init(&a, 0);
    dy_alloc_fail_after(1);
    p = dy_arena_alloc(&a, 16);
    dy_alloc_fail_after(0);
    ok = p == NULL && a.failed;
    dy_arena_fini(&a);
    CHECK(ok);
  }
  {
    char *s;
    dy_alloc_fail_after(1);
    s = dy_strndup("abc", 3);
    dy_alloc_fail_after(0);
    CHECK(s == NULL);
  }
}
