/* SPDX-License-Identifier: MIT */
/* Core utilities of dyad: error codes, string slices, growable buffers,
 * per-document arenas, UTF-8 validation, hashing and the logging hook.
 * Nothing here allocates behind the caller's back except dy_malloc. */
#ifndef DYAD_CORE_H
#define DYAD_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __GNUC__
#define DY_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DY_PRINTF(f, a)
#endif

/* ---- errors ------------------------------------------------------------ */

/* Every error code once: name, value, message. Generates the enum,
 * dy_err_name() and dy_strerror(). */
#define DY_ERRNO_MAP(X)                                                        \
  X(OK, 0, "success")                                                          \
  X(ENOMEM, -1, "out of memory")                                               \
  X(EINVAL, -2, "invalid argument")                                            \
  X(EIO, -3, "input/output error")                                             \
  X(ENOENT, -4, "no such file or directory")                                   \
  X(EACCES, -5, "permission denied")                                           \
  X(ETOOBIG, -6, "input over the size cap")                                    \
  X(EBINARY, -7, "binary data, not text")                                      \
  X(EEMPTY, -8, "no text")                                                     \
  X(EFORMAT, -9, "malformed input")                                            \
  X(EDB, -10, "database error")                                                \
  X(ENOTREG, -11, "not a regular file")                                        \
  X(EVERSION, -12, "unsupported format version")

typedef enum {
#define DY_ENUM_(name, val, msg) DY_##name = (val),
  DY_ERRNO_MAP(DY_ENUM_)
#undef DY_ENUM_
} dy_rc;

/* "DY_ENOMEM" etc.; "DY_UNKNOWN" for codes not in the table. Thread-safe. */
const char *dy_err_name(int rc);
/* Human message for a code. Thread-safe. */
const char *dy_strerror(int rc);
/* Translates an errno value read right after a failing call. */
int dy_err_from_errno(int err);

/* Error detail kept on handles: code plus message, no allocation. */
typedef struct dy_err {
  int code;      /* last DY_E* code, DY_OK when none */
  char msg[256]; /* message, NUL-terminated, "" when none */
} dy_err;

/* Sets code and formatted message on e; returns code for `return` chaining. */
int dy_err_set(dy_err *e, int code, const char *fmt, ...) DY_PRINTF(3, 4);
void dy_err_clear(dy_err *e);

/* ---- allocation -------------------------------------------------------- */

/* malloc/realloc/free wrappers for long-lived objects: one choke point for
 * accounting and fault injection (see dy_alloc_fail_after). */
void *dy_malloc(size_t n);
void *dy_calloc(size_t count, size_t n);
void *dy_realloc(void *p, size_t n);
void dy_free(void *p);
char *dy_strndup(const char *s, size_t n); /* returns owned, free with dy_free */
/* Test hook: make the k-th allocation from now fail (k >= 1); 0 disables.
 * Not thread-safe; for tests only. */
void dy_alloc_fail_after(long k);

/* ---- string slices ----------------------------------------------------- */

/* A borrowed byte slice, not NUL-terminated; print with "%.*s". */
typedef struct dy_str {
  const char *p; /* first byte */
  size_t n;      /* length in bytes */
} dy_str;

#define DY_STR(lit) ((dy_str){(lit), sizeof(lit) - 1})
dy_str dy_str_c(const char *s); /* from a NUL-terminated string */
int dy_str_eq(dy_str a, dy_str b);
int dy_str_eq_c(dy_str a, const char *s);
int dy_str_ieq_c(dy_str a, const char *s); /* ASCII case-insensitive */
dy_str dy_str_trim(dy_str s);              /* ASCII whitespace both ends */
int dy_str_starts_c(dy_str s, const char *prefix);

/* ASCII class table (no locale): */
extern const unsigned char dy_ctype[256];
#define DY_C_SPACE 0x01
#define DY_C_DIGIT 0x02
#define DY_C_UPPER 0x04
#define DY_C_LOWER 0x08
#define DY_C_PUNCT 0x10
#define DY_C_XDIGIT 0x20
#define dy_isspace(c) (dy_ctype[(unsigned char)(c)] & DY_C_SPACE)
#define dy_isdigit(c) (dy_ctype[(unsigned char)(c)] & DY_C_DIGIT)
#define dy_isupper(c) (dy_ctype[(unsigned char)(c)] & DY_C_UPPER)
#define dy_islower(c) (dy_ctype[(unsigned char)(c)] & DY_C_LOWER)
#define dy_isalpha(c) (dy_ctype[(unsigned char)(c)] & (DY_C_UPPER | DY_C_LOWER))
#define dy_isalnum(c)                                                          \
  (dy_ctype[(unsigned char)(c)] & (DY_C_UPPER | DY_C_LOWER | DY_C_DIGIT))
#define dy_ispunct(c) (dy_ctype[(unsigned char)(c)] & DY_C_PUNCT)
#define dy_tolower(c)                                                          \
  (dy_isupper(c) ? (char)((c) + 32) : (char)(c))

/* ---- growable buffer --------------------------------------------------- */

/* A byte builder with a hard cap; always keeps a trailing NUL. */
typedef struct dy_buf {
  char *p;    /* bytes, owned; NULL until first append */
  size_t n;   /* bytes used, excluding the trailing NUL */
  size_t cap; /* bytes allocated */
  size_t max; /* hard cap in bytes (0 = 1 GiB) */
  int failed; /* sticky: an append failed (ENOMEM or over max) */
} dy_buf;

void dy_buf_init(dy_buf *b, size_t max);
void dy_buf_fini(dy_buf *b);  /* frees; the buffer may be re-initialised */
void dy_buf_reset(dy_buf *b); /* n = 0, keeps memory */
int dy_buf_append(dy_buf *b, const void *p, size_t n);
int dy_buf_puts(dy_buf *b, const char *s);
int dy_buf_putc(dy_buf *b, char c);
int dy_buf_printf(dy_buf *b, const char *fmt, ...) DY_PRINTF(2, 3);
/* Appends s as a JSON string literal with quotes, escaping as needed. */
int dy_buf_json_str(dy_buf *b, const char *s, size_t n);
/* Appends s with tabs/newlines replaced by spaces (for TSV). */
int dy_buf_tsv_field(dy_buf *b, const char *s, size_t n);

/* ---- arena ------------------------------------------------------------- */

/* Bump allocator for per-document work: chunks, one reset per document,
 * a hard byte cap. On exhaustion dy_arena_alloc returns NULL and sets the
 * sticky `failed` flag, checked at stage boundaries. */
typedef struct dy_arena {
  struct dy_arena_chunk *head; /* current chunk (owned list) */
  size_t used;                 /* bytes handed out since the last reset */
  size_t cap;                  /* hard cap in bytes (0 = unlimited) */
  size_t chunk;                /* default chunk size */
  int failed; /* sticky: 0 ok, DY_ARENA_OVERCAP, DY_ARENA_NOMEM */
} dy_arena;

#define DY_ARENA_OVERCAP 1 /* the hard cap was reached */
#define DY_ARENA_NOMEM 2   /* malloc failed */

void dy_arena_init(dy_arena *a, size_t cap);
void dy_arena_fini(dy_arena *a);
void dy_arena_reset(dy_arena *a); /* frees all but the first chunk */
void *dy_arena_alloc(dy_arena *a, size_t n); /* 8-byte aligned; NULL on fail */
void *dy_arena_zalloc(dy_arena *a, size_t n);
char *dy_arena_strndup(dy_arena *a, const char *s, size_t n);
void *dy_arena_grow(dy_arena *a, void *p, size_t oldn, size_t newn);

/* ---- UTF-8 ------------------------------------------------------------- */

/* Decodes one code point at s[0..n). Returns its length (1..4) and stores the
 * code point in *cp, or returns -1 for an invalid sequence (overlong,
 * surrogate, > U+10FFFF, truncated, stray continuation byte). */
int dy_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns length. */
int dy_utf8_encode(uint32_t cp, char *out);
/* Nonzero when s[0..n) is entirely valid UTF-8. */
int dy_utf8_valid(const char *s, size_t n);
/* Copies s into out with each invalid byte replaced by U+FFFD; counts the
 * replacements in *nbad. out is reset first. Returns DY_OK or DY_ENOMEM. */
int dy_utf8_repair(const char *s, size_t n, dy_buf *out, size_t *nbad);

/* ---- hashing ----------------------------------------------------------- */

uint64_t dy_hash64(const void *p, size_t n); /* FNV-1a 64, for tables */
/* SHA-256 of p[0..n) as 64 lowercase hex digits + NUL into hex[65]. */
void dy_sha256_hex(const void *p, size_t n, char hex[65]);

/* ---- logging ----------------------------------------------------------- */

typedef enum {
  DY_LOG_DEBUG = 0,
  DY_LOG_INFO = 1,
  DY_LOG_WARN = 2,
  DY_LOG_ERROR = 3
} dy_log_level;

/* Host-installed sink: the library never prints. msg is NUL-terminated. */
typedef void (*dy_log_fn)(int level, const char *component, const char *msg,
                          void *ud);
/* Installs fn (NULL: discard everything) and the minimum level.
 * Call once at start-up, before threads. */
void dy_log_set(dy_log_fn fn, void *ud, int min_level);
int dy_log_enabled(int level);
void dy__log(int level, const char *component, const char *fmt, ...)
    DY_PRINTF(3, 4);
#define DY_LOG(level, comp, ...)                                               \
  do {                                                                         \
    if (dy_log_enabled(level))                                                 \
      dy__log((level), (comp), __VA_ARGS__);                                   \
  } while (0)

/* ---- dates ------------------------------------------------------------- */

/* Parses "YYYY-MM-DD" (exactly) into a day number (days since 0000-03-01
 * style epoch, monotonic); returns -1 when invalid. */
long dy_date_parse(dy_str s);
/* Month name or abbreviation ("June", "Jun", "Jun.") → 1..12, else 0. */
int dy_month_from_name(dy_str s);

#endif
