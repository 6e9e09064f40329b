/* SPDX-License-Identifier: MIT */
/* Documents from inputs: files, directories and stdin, gzip unpacking, and
 * the choice of container reader (WARC, JSONL, CSV, Reuters SGML) by file
 * name and content. The record sink numbers records "path#N", applies the
 * per-document cap and reports bad records without stopping. */
#include "input_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

/* ---- record sink ------------------------------------------------------- */

const char *dy__sink_next(dy__sink *s)
{
  s->nrec++;
  dy_buf_reset(&s->name);
  dy_buf_printf(&s->name, "%s#%zu", s->path, s->nrec);
  return s->name.failed ? s->path : s->name.p;
}

void dy__sink_fail(dy__sink *s, int rc, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  size_t k;
  s->nfail++;
  if (s->efn == NULL || s->stop)
    return;
  k = s->nrec ? (size_t)snprintf(msg, sizeof msg, "record %zu: ", s->nrec) : 0;
  if (k >= sizeof msg)
    k = sizeof msg - 1;
  va_start(ap, fmt);
  vsnprintf(msg + k, sizeof msg - k, fmt, ap);
  va_end(ap);
  s->efn(s->name.p && s->name.n ? s->name.p : s->path, rc, msg, s->ud);
}

int dy__sink_emit(dy__sink *s, dy_input *in)
{
  size_t max = s->opts ? s->opts->max_bytes : 0;
  if (s->stop)
    return s->stop;
  if (in->name == NULL)
    in->name = s->name.n ? s->name.p : s->path;
  if (max && in->n > max) {
    dy__sink_fail(s, DY_ETOOBIG,
                  "%zu bytes, more than the size cap of %zu bytes", in->n, max);
    return 0;
  }
  s->ndocs++;
  s->stop = s->fn(in, s->ud);
  return s->stop;
}

void dy__iso_date(const char *p, size_t n, char out[11])
{
  out[0] = '\0';
  if (n < 10 || (n > 10 && p[10] != 'T' && p[10] != ' ' && p[10] != 't' &&
                 p[10] != 'Z' && p[10] != '+'))
    return;
  if (dy_date_parse((dy_str){p, 10}) < 0)
    return;
  memcpy(out, p, 10);
  out[10] = '\0';
}

/* ---- gzip -------------------------------------------------------------- */

int dy__gunzip(const char *p, size_t n, size_t max, dy_buf *out, dy_err *err)
{
  z_stream z;
  unsigned char chunk[64 * 1024];
  size_t off = 0;
  int zr = Z_OK, rc = DY_OK, members = 0;
  dy_buf_reset(out);
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 15 + 16) != Z_OK)
    return dy_err_set(err, DY_ENOMEM, "cannot start gzip decoder");
  for (;;) {
    if (z.avail_in == 0 && off < n) {
      size_t take = n - off > (1u << 30) ? (1u << 30) : n - off;
      z.next_in = (unsigned char *)(uintptr_t)(p + off);
      z.avail_in = (uInt)take;
      off += take;
    }
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    zr = inflate(&z, Z_NO_FLUSH);
    if (sizeof chunk - z.avail_out) {
      size_t got = sizeof chunk - z.avail_out;
      if (max && out->n + got > max) {
        rc = dy_err_set(err, DY_ETOOBIG,
                        "gzip data unpacks to more than %zu bytes", max);
        goto out;
      }
      if (dy_buf_append(out, chunk, got) < 0) {
        rc = dy_err_set(err, DY_ENOMEM, "out of memory unpacking gzip data");
        goto out;
      }
    }
    if (zr == Z_STREAM_END) {
      size_t left = z.avail_in + (n - off);
      const unsigned char *next = z.next_in;
      members++;
      if (left == 0)
        break;
      if (z.avail_in == 0) {
        next = (const unsigned char *)p + off;
      }
      if (left >= 2 && next[0] == 0x1f && next[1] == 0x8b) {
        inflateReset(&z); /* next member */
        continue;
      }
      break; /* trailing bytes after the last member are ignored */
    }
    if (zr == Z_BUF_ERROR && z.avail_in == 0 && off >= n) {
      rc = dy_err_set(err, DY_EFORMAT,
                      "truncated gzip data (%zu bytes unpacked before the "
                      "cut)",
                      out->n);
      goto out;
    }
    if (zr != Z_OK && zr != Z_BUF_ERROR) {
      rc = dy_err_set(err, zr == Z_MEM_ERROR ? DY_ENOMEM : DY_EFORMAT,
                      "corrupt gzip data in member %d after %zu bytes: %s",
                      members + 1, out->n, z.msg ? z.msg : "bad data");
      goto out;
    }
  }
out:
  inflateEnd(&z);
  if (dy_buf_append(out, "", 0) < 0 && rc == DY_OK)
    rc = dy_err_set(err, DY_ENOMEM, "out of memory unpacking gzip data");
  return rc;
}

/* ---- format detection --------------------------------------------------- */

static int iends(const char *s, size_t n, const char *suf)
{
  size_t k = strlen(suf), i;
  if (n < k)
    return 0;
  for (i = 0; i < k; i++)
    if (dy_tolower(s[n - k + i]) != suf[i])
      return 0;
  return 1;
}

static int format_by_name(const char *name, size_t len)
{
  if (iends(name, len, ".warc"))
    return DY_FMT_WARC;
  if (iends(name, len, ".jsonl") || iends(name, len, ".ndjson"))
    return DY_FMT_JSONL;
  if (iends(name, len, ".csv"))
    return DY_FMT_CSV;
  if (iends(name, len, ".sgm") || iends(name, len, ".sgml"))
    return DY_FMT_SGML;
  if (iends(name, len, ".txt") || iends(name, len, ".html") ||
      iends(name, len, ".htm") || iends(name, len, ".xhtml"))
    return DY_FMT_DOC;
  return DY_FMT_AUTO;
}

static int memfind(const char *p, size_t n, const char *needle)
{
  size_t k = strlen(needle), i;
  for (i = 0; i + k <= n; i++)
    if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
      return 1;
  return 0;
}

static int format_by_content(const char *p, size_t n)
{
  size_t i = 0, lim = n < 4096 ? n : 4096;
  const char *nl;
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < lim && dy_isspace(p[i]))
    i++;
  if (n - i >= 6 && memcmp(p + i, "WARC/", 5) == 0 && dy_isdigit(p[i + 5]))
    return DY_FMT_WARC;
  if ((n - i >= 8 && memcmp(p + i, "<REUTERS", 8) == 0) ||
      (n - i >= 15 && memcmp(p + i, "<!DOCTYPE lewis", 15) == 0))
    return DY_FMT_SGML;
  if (i < n && p[i] == '{') {
    /* JSON lines: the first line is an object ending in '}' */
    size_t e;
    nl = memchr(p + i, '\n', n - i);
    e = nl ? (size_t)(nl - p) : n;
    while (e > i && dy_isspace(p[e - 1]))
      e--;
    if (e > i && p[e - 1] == '}' && memfind(p + i, e - i, "\":"))
      return DY_FMT_JSONL;
  }
  return DY_FMT_DOC;
}

const char *dy_format_name(int format)
{
  switch (format) {
  case DY_FMT_WARC:
    return "warc";
  case DY_FMT_JSONL:
    return "jsonl";
  case DY_FMT_CSV:
    return "csv";
  case DY_FMT_SGML:
    return "sgml";
  case DY_FMT_DOC:
    return "doc";
  default:
    return "auto";
  }
}

/* ---- reading ------------------------------------------------------------ */

static void report(dy_input_err_fn efn, void *ud, const char *name, int rc,
                   const char *msg)
{
  if (efn)
    efn(name, rc, msg, ud);
}

static int read_container(const char *name, size_t namelen, const char *p,
                          size_t n, const dy_read_opts *opts, int gz_failed,
                          dy_input_fn fn, dy_input_err_fn efn, void *ud)
{
  dy__sink s;
  int fmt = opts && opts->format ? opts->format : DY_FMT_AUTO, rc = DY_OK;
  size_t max = opts ? opts->max_bytes : 0;
  if (fmt == DY_FMT_AUTO)
    fmt = format_by_name(name, namelen);
  if (fmt == DY_FMT_AUTO)
    fmt = format_by_content(p, n);
  if (fmt == DY_FMT_DOC) {
    dy_input in;
    char msg[128];
    if (gz_failed)
      return 0; /* a cut document is not read: the error was reported */
    if (max && n > max) {
      snprintf(msg, sizeof msg,
               "%zu bytes, more than the size cap of %zu "
               "bytes",
               n, max);
      report(efn, ud, name, DY_ETOOBIG, msg);
      return 0;
    }
    memset(&in, 0, sizeof in);
    in.name = name;
    in.bytes = p;
    in.n = n;
    return fn(&in, ud);
  }
  memset(&s, 0, sizeof s);
  s.path = name;
  s.opts = opts;
  s.fn = fn;
  s.efn = efn;
  s.ud = ud;
  dy_buf_init(&s.name, 0);
  switch (fmt) {
  case DY_FMT_WARC:
    rc = dy__warc_read(&s, p, n);
    break;
  case DY_FMT_JSONL:
    rc = dy__jsonl_read(&s, p, n);
    break;
  case DY_FMT_CSV:
    rc = dy__csv_read(&s, p, n);
    break;
  case DY_FMT_SGML:
    rc = dy__sgml_read(&s, p, n);
    break;
  default:
    report(efn, ud, name, DY_EINVAL, "unknown input format");
    break;
  }
  (void)rc;
  if (!s.stop && s.ndocs == 0 && s.nrec == 0 && s.nfail == 0 && !gz_failed)
    report(efn, ud, name, DY_EEMPTY,
           fmt == DY_FMT_WARC ? "no WARC records"
                              : "no records in the container");
  dy_buf_fini(&s.name);
  return s.stop;
}

int dy_read_buffer(const char *name, const char *bytes, size_t n,
                   const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud)
{
  size_t namelen = strlen(name);
  int r;
  if (n >= 2 && (unsigned char)bytes[0] == 0x1f &&
      (unsigned char)bytes[1] == 0x8b) {
    dy_buf raw;
    dy_err err;
    int rc;
    dy_buf_init(&raw, 0);
    rc = dy__gunzip(bytes, n, DY_MAX_CONTAINER_BYTES, &raw, &err);
    if (rc < 0)
      report(efn, ud, name, rc, err.msg);
    if (iends(name, namelen, ".gz"))
      namelen -= 3;
    else if (iends(name, namelen, ".tgz"))
      namelen -= 4;
    r = 0;
    if (rc != DY_ENOMEM && raw.n > 0)
      r = read_container(name, namelen, raw.p, raw.n, opts, rc < 0, fn, efn,
                         ud);
    else if (rc == DY_OK)
      report(efn, ud, name, DY_EEMPTY, "no text (empty gzip data)");
    dy_buf_fini(&raw);
    return r;
  }
  return read_container(name, namelen, bytes, n, opts, 0, fn, efn, ud);
}

typedef struct reader {
  const dy_read_opts *opts;
  dy_input_fn fn;
  dy_input_err_fn efn;
  void *ud;
  dy_buf buf;
} reader;

/* Files named like containers may be larger than one document. */
static size_t file_cap(const char *path, size_t max)
{
  size_t len = strlen(path);
  if (max == 0)
    return 0;
  if (iends(path, len, ".gz") || iends(path, len, ".tgz") ||
      format_by_name(path, len) > DY_FMT_DOC)
    return max > DY_MAX_CONTAINER_BYTES ? max : DY_MAX_CONTAINER_BYTES;
  return max;
}

static int on_file(const char *path, int rc, const char *msg, void *ud)
{
  reader *r = ud;
  dy_err err;
  size_t max = r->opts ? r->opts->max_bytes : 0;
  if (rc < 0) {
    if (r->efn)
      r->efn(path, rc, msg ? msg : dy_strerror(rc), r->ud);
    return 0;
  }
  rc = dy_file_read(path, strcmp(path, "-") == 0 ? max : file_cap(path, max),
                    &r->buf, &err);
  if (rc < 0) {
    if (r->efn)
      r->efn(path, rc, err.msg, r->ud);
    return 0;
  }
  rc = dy_read_buffer(path, r->buf.p ? r->buf.p : "", r->buf.n, r->opts, r->fn,
                      r->efn, r->ud);
  return rc;
}

int dy_read_inputs(const char *path, const dy_read_opts *opts, dy_input_fn fn,
                   dy_input_err_fn efn, void *ud)
{
  reader r;
  int rc;
  memset(&r, 0, sizeof r);
  r.opts = opts;
  r.fn = fn;
  r.efn = efn;
  r.ud = ud;
  dy_buf_init(&r.buf, 0);
  if (strcmp(path, "-") == 0)
    rc = on_file("-", DY_OK, NULL, &r);
  else
    rc = dy_walk(path, on_file, &r);
  dy_buf_fini(&r.buf);
  return rc;
}
