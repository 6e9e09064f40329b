/* SPDX-License-Identifier: MIT */
/* Tests of reading inputs: whole-file reads under a cap (files, stdin,
 * missing files, directories, FIFOs) and directory walks (order, skipped
 * names, symlinks, error reports, stopping, depth limit), each in its own
 * mkdtemp directory that is removed afterwards. */
#include "test.h"

#include "dyad/core.h"
#include "dyad/read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define X(name) void test_##name(void);
#include "list_read.inc"
#undef X

/* ---- fixtures ---------------------------------------------------------- */

/* Makes a fresh temporary directory; its path goes into dir[64]. */
static int make_tmpdir(char dir[64])
{
  const char *base = getenv("TMPDIR");
  int n = snprintf(dir, 64, "%s/dyad-read-XXXXXX",
                   base && *base && strlen(base) < 40 ? base : "/tmp");
  if (n < 0 || n >= 64)
    return -1;
  return mkdtemp(dir) ? 0 : -1;
}

/* Removes path and everything below it (symlinks are not followed). */
static void rm_rf(const char *path)
{
  struct stat st;
  if (lstat(path, &st) < 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d;
    struct dirent *de;
    chmod(path, 0700);
    d = opendir(path);
    if (d) {
      while ((de = readdir(d)) != NULL) {
        char sub[4096];
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
          continue;
        if (snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) <
            (int)sizeof sub)
          rm_rf(sub);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* Writes n bytes of p to dir/name; returns 0 on success. */
static int put_file(const char *dir, const char *name, const char *p, size_t n)
{
  char path[256];
  FILE *f;
  size_t w;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (f == NULL)
    return -1;
  w = fwrite(p, 1, n, f);
  if (fclose(f) != 0 || w != n)
    return -1;
  return 0;
}

static int make_dir(const char *dir, const char *name)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return mkdir(path, 0755);
}

static int make_link(const char *dir, const char *name, const char *target)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return symlink(target, path);
}

static int make_fifo(const char *dir, const char *name)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return mkfifo(path, 0644);
}

/* ---- dy_file_read ------------------------------------------------------ */

void test_read_file(void)
{
  static const char text[] = "Headline\n\nBody line one.\nBody line two.\n";
  char dir[64], path[128];
  dy_buf b;
  dy_err err;
  int rc, ok;
  CHECK(make_tmpdir(dir) == 0);
  snprintf(path, sizeof path, "%s/a.txt", dir);
  dy_buf_init(&b, 0);
  ok = put_file(dir, "a.txt", text, sizeof text - 1) == 0;
  rc = ok ? dy_file_read(path, 0, &b, &err) : DY_EIO;
  ok = ok && rc == DY_OK && b.n == sizeof text - 1 &&
       memcmp(b.p, text, b.n) == 0 && b.p[b.n] == '\0' && err.code == DY_OK;
  /* the buffer is reset first, not appended to */
  if (ok) {
    rc = dy_file_read(path, sizeof text - 1, &b, &err);
    ok = rc == DY_OK && b.n == sizeof text - 1;
  }
  /* an empty file gives an empty NUL-terminated buffer */
  ok = ok && put_file(dir, "empty.txt", "", 0) == 0;
  snprintf(path, sizeof path, "%s/empty.txt", dir);
  if (ok) {
    rc = dy_file_read(path, 10, &b, &err);
    ok = rc == DY_OK && b.n == 0 && b.p != NULL && b.p[0] == '\0';
  }
  if (!ok)
    fprintf(stderr, "  rc %d: %s\n", rc, err.msg);
  dy_buf_fini(&b);
  rm_rf(dir);
  CHECK(ok);
}

void test_read_file_errors(void)
{
  char dir[64], path[128];
  dy_buf b;
  dy_err err;
  int rc, ok = 1;
  CHECK(make_tmpdir(dir) == 0);
  dy_buf_init(&b, 0);
  /* missing */
  snprintf(path, sizeof path, "%s/missing.txt", dir);
  rc = dy_file_read(path, 0, &b, &err);
  if (rc != DY_ENOENT || err.code != DY_ENOENT ||
      strcmp(err.msg, "cannot open: No such file or directory") != 0) {
    fprintf(stderr, "  missing: rc %d: %s\n", rc, err.msg);
    ok = 0;
  }
  /* a directory */
  rc = dy_file_read(dir, 0, &b, &err);
  if (rc != DY_ENOTREG || strstr(err.msg, "directory") == NULL) {
    fprintf(stderr, "  directory: rc %d: %s\n", rc, err.msg);
    ok = 0;
  }
  /* a FIFO with no writer: rejected at once, not waited on */
  snprintf(path, sizeof path, "%s/fifo", dir);
  if (make_fifo(dir, "fifo") == 0) {
    rc = dy_file_read(path, 0, &b, &err);
    if (rc != DY_ENOTREG || strstr(err.msg, "FIFO") == NULL) {
      fprintf(stderr, "  fifo: rc %d: %s\n", rc, err.msg);
      ok = 0;
    }
  }
  /* a path through a regular file */
  if (put_file(dir, "f", "x", 1) == 0) {
    snprintf(path, sizeof path, "%s/f/g", dir);
    rc = dy_file_read(path, 0, &b, &err);
    if (rc != DY_ENOENT) {
      fprintf(stderr, "  notdir: rc %d: %s\n", rc, err.msg);
      ok = 0;
    }
  }
  /* unreadable (meaningless as root, which reads anything) */
  if (geteuid() != 0 && put_file(dir, "secret", "x", 1) == 0) {
    snprintf(path, sizeof path, "%s/secret", dir);
    chmod(path, 0);
    rc = dy_file_read(path, 0, &b, &err);
    if (rc != DY_EACCES ||
        strcmp(err.msg, "cannot open: Permission denied") != 0) {
      fprintf(stderr, "  unreadable: rc %d: %s\n", rc, err.msg);
      ok = 0;
    }
  }
  ok = ok && b.n == 0;
  dy_buf_fini(&b);
  rm_rf(dir);
  CHECK(ok);
}

void test_read_file_cap(void)
{
  char dir[64], path[128], data[100];
  dy_buf b;
  dy_err err;
  int rc, ok;
  CHECK(make_tmpdir(dir) == 0);
  memset(data, 'x', sizeof data);
  snprintf(path, sizeof path, "%s/big.txt", dir);
  dy_buf_init(&b, 0);
  ok = put_file(dir, "big.txt", data, sizeof data) == 0;
  /* one byte over: refused before reading, nothing kept */
  rc = dy_file_read(path, 99, &b, &err);
  if (rc != DY_ETOOBIG || err.code != DY_ETOOBIG || b.n != 0) {
    fprintf(stderr, "  99: rc %d: %s\n", rc, err.msg);
    ok = 0;
  }
  /* exactly at the cap: fine */
  rc = dy_file_read(path, 100, &b, &err);
  if (rc != DY_OK || b.n != 100) {
    fprintf(stderr, "  100: rc %d: %s\n", rc, err.msg);
    ok = 0;
  }
  /* the buffer's own cap is respected too */
  dy_buf_fini(&b);
  dy_buf_init(&b, 50);
  rc = dy_file_read(path, 0, &b, &err);
  if (rc != DY_ETOOBIG || b.n != 0) {
    fprintf(stderr, "  buffer cap: rc %d: %s\n", rc, err.msg);
    ok = 0;
  }
  dy_buf_fini(&b);
  rm_rf(dir);
  CHECK(ok);
}

/* Runs dy_file_read("-") with standard input fed n bytes from a pipe. */
static int read_stdin(const char *p, size_t n, size_t max, dy_buf *b,
                      dy_err *err)
{
  int fds[2], saved, rc;
  if (pipe(fds) < 0)
    return -100;
  if (write(fds[1], p, n) != (ssize_t)n) {
    close(fds[0]);
    close(fds[1]);
    return -100;
  }
  close(fds[1]);
  saved = dup(STDIN_FILENO);
  if (saved < 0 || dup2(fds[0], STDIN_FILENO) < 0) {
    close(fds[0]);
    if (saved >= 0)
      close(saved);
    return -100;
  }
  close(fds[0]);
  rc = dy_file_read("-", max, b, err);
  dup2(saved, STDIN_FILENO);
  close(saved);
  return rc;
}

void test_read_stdin(void)
{
  char data[5000];
  dy_buf b;
  dy_err err;
  int rc, ok = 1;
  memset(data, 'y', sizeof data);
  dy_buf_init(&b, 0);
  rc = read_stdin(data, sizeof data, 0, &b, &err);
  if (rc != DY_OK || b.n != sizeof data) {
    fprintf(stderr, "  uncapped: rc %d n %zu\n", rc, b.n);
    ok = 0;
  }
  rc = read_stdin(data, sizeof data, sizeof data, &b, &err);
  if (rc != DY_OK || b.n != sizeof data) {
    fprintf(stderr, "  at cap: rc %d n %zu\n", rc, b.n);
    ok = 0;
  }
  rc = read_stdin(data, sizeof data, 4999, &b, &err);
  if (rc != DY_ETOOBIG || b.n != 0) {
    fprintf(stderr, "  over cap: rc %d n %zu: %s\n", rc, b.n, err.msg);
    ok = 0;
  }
  rc = read_stdin("", 0, 10, &b, &err);
  if (rc != DY_OK || b.n != 0) {
    fprintf(stderr, "  empty: rc %d n %zu\n", rc, b.n);
    ok = 0;
  }
  dy_buf_fini(&b);
  CHECK(ok);
}

/* ---- dy_walk ----------------------------------------------------------- */

typedef struct walk_log {
  dy_buf out;  /* one line per callback */
  int calls;   /* callbacks so far */
  int stop_at; /* return 7 at this call (1-based), 0 = never */
  size_t skip; /* bytes of the temp dir prefix to drop from paths */
} walk_log;

static int log_entry(const char *path, int rc, const char *msg, void *ud)
{
  walk_log *w = ud;
  const char *rel = strlen(path) >= w->skip ? path + w->skip : path;
  w->calls++;
  if (rc == DY_OK)
    dy_buf_printf(&w->out, "ok %s\n", rel);
  else
    dy_buf_printf(&w->out, "%s %s (%s)\n", dy_err_name(rc), rel,
                  msg ? msg : "no message");
  return w->calls == w->stop_at ? 7 : 0;
}

void test_read_walk(void)
{
  static const char want[] = "ok /C.txt\n"
                             "ok /a.txt\n"
                             "ok /b.txt\n"
                             "DY_ENOENT /dangling (dangling symbolic link)\n"
                             "DY_ENOTREG /fifo (not a regular file (a FIFO))\n"
                             "ok /sub/c.txt\n"
                             "ok /sub/deeper/d.txt\n"
                             "ok /z_link\n";
  char dir[64], sub[96];
  walk_log w;
  int rc, ok = 1;
  CHECK(make_tmpdir(dir) == 0);
  snprintf(sub, sizeof sub, "%s/sub", dir);
  memset(&w, 0, sizeof w);
  dy_buf_init(&w.out, 0);
  w.skip = strlen(dir);
  if (put_file(dir, "b.txt", "b", 1) || put_file(dir, "a.txt", "a", 1) ||
      put_file(dir, "C.txt", "C", 1) || put_file(dir, ".hidden", "h", 1) ||
      make_dir(dir, "sub") || make_dir(dir, "sub/deeper") ||
      make_dir(dir, "sub/.git") || make_dir(dir, "empty") ||
      put_file(dir, "sub/c.txt", "c", 1) ||
      put_file(dir, "sub/deeper/d.txt", "d", 1) ||
      put_file(dir, "sub/.git/config", "g", 1) ||
      make_link(dir, "z_link", "a.txt") ||
      make_link(dir, "dangling", "nowhere.txt") ||
      make_link(dir, "linkdir", "sub") || make_link(dir, ".dotlink", "b.txt") ||
      make_fifo(dir, "fifo")) {
    fprintf(stderr, "  cannot build the tree: %s\n", strerror(errno));
    ok = 0;
  }
  if (ok) {
    rc = dy_walk(dir, log_entry, &w);
    if (rc != DY_OK || w.out.p == NULL || strcmp(w.out.p, want) != 0) {
      fprintf(stderr, "  rc %d, got:\n%s  want:\n%s", rc,
              w.out.p ? w.out.p : "", want);
      ok = 0;
    }
  }
  /* a trailing slash gives the same paths, without doubled slashes */
  if (ok) {
    char slashed[80];
    snprintf(slashed, sizeof slashed, "%s/", dir);
    dy_buf_reset(&w.out);
    w.calls = 0;
    rc = dy_walk(slashed, log_entry, &w);
    if (rc != DY_OK || strcmp(w.out.p, want) != 0) {
      fprintf(stderr, "  slashed: got:\n%s", w.out.p ? w.out.p : "");
      ok = 0;
    }
  }
  /* the callback stops the walk and its value comes back */
  if (ok) {
    dy_buf_reset(&w.out);
    w.calls = 0;
    w.stop_at = 2;
    rc = dy_walk(dir, log_entry, &w);
    if (rc != 7 || w.calls != 2) {
      fprintf(stderr, "  stop: rc %d after %d calls\n", rc, w.calls);
      ok = 0;
    }
    w.stop_at = 0;
  }
  /* a file named directly is reported as given; so is a missing path */
  if (ok) {
    char path[96];
    dy_buf_reset(&w.out);
    w.calls = 0;
    snprintf(path, sizeof path, "%s/sub/c.txt", dir);
    rc = dy_walk(path, log_entry, &w);
    snprintf(path, sizeof path, "%s/missing", dir);
    rc |= dy_walk(path, log_entry, &w);
    /* the root itself may be a symlink to a directory */
    snprintf(path, sizeof path, "%s/linkdir", dir);
    rc |= dy_walk(path, log_entry, &w);
    if (rc != DY_OK ||
        strcmp(w.out.p, "ok /sub/c.txt\n"
                        "DY_ENOENT /missing (cannot stat: No such file or "
                        "directory)\n"
                        "ok /linkdir/c.txt\n"
                        "ok /linkdir/deeper/d.txt\n") != 0) {
      fprintf(stderr, "  single: got:\n%s", w.out.p ? w.out.p : "");
      ok = 0;
    }
  }
  /* an unreadable directory is reported and the walk goes on */
  if (ok && geteuid() != 0) {
    char path[96];
    snprintf(path, sizeof path, "%s/sub/deeper", dir);
    chmod(path, 0);
    dy_buf_reset(&w.out);
    w.calls = 0;
    rc = dy_walk(sub, log_entry, &w);
    chmod(path, 0755);
    if (rc != DY_OK ||
        strcmp(w.out.p, "ok /sub/c.txt\n"
                        "DY_EACCES /sub/deeper (cannot open directory: "
                        "Permission denied)\n") != 0) {
      fprintf(stderr, "  unreadable dir: got:\n%s", w.out.p ? w.out.p : "");
      ok = 0;
    }
  }
  dy_buf_fini(&w.out);
  rm_rf(dir);
  CHECK(ok);
}

void test_read_walk_depth(void)
{
  char dir[64];
  dy_buf path;
  walk_log w;
  int i, rc, ok = 1;
  CHECK(make_tmpdir(dir) == 0);
  memset(&w, 0, sizeof w);
  dy_buf_init(&w.out, 0);
  dy_buf_init(&path, 0);
  w.skip = strlen(dir);
  /* files at nesting 64 (still read) and 70 (beyond the limit) */
  dy_buf_puts(&path, dir);
  for (i = 1; i <= 70 && ok; i++) {
    dy_buf_puts(&path, "/n");
    ok = mkdir(path.p, 0755) == 0;
    if (ok && (i == 64 || i == 70)) {
      size_t keep = path.n;
      FILE *f;
      dy_buf_puts(&path, "/f.txt");
      f = fopen(path.p, "wb");
      ok = f != NULL && fclose(f) == 0;
      path.n = keep;
      path.p[keep] = '\0';
    }
  }
  if (ok) {
    rc = dy_walk(dir, log_entry, &w);
    /* exactly two callbacks: the file at depth 64 and one refusal */
    if (rc != DY_OK || w.calls != 2 || strncmp(w.out.p, "ok /n/", 6) != 0 ||
        strstr(w.out.p, "DY_ETOOBIG") == NULL) {
      fprintf(stderr, "  rc %d, %d calls:\n%s", rc, w.calls,
              w.out.p ? w.out.p : "");
      ok = 0;
    }
  }
  dy_buf_fini(&path);
  dy_buf_fini(&w.out);
  rm_rf(dir);
  CHECK(ok);
}
