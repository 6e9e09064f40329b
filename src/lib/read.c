/* SPDX-License-Identifier: MIT */
/* Input: whole files or stdin read under a byte cap, and sorted recursive
 * directory walks that report each unusable entry through the callback and
 * carry on with the rest. */
#include "dyad/read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DY_READ_CHUNK
#define DY_READ_CHUNK (32 * 1024) /* bytes per read(2) */
#endif
#ifndef DY_WALK_MAX_DEPTH
#define DY_WALK_MAX_DEPTH 64 /* directory nesting below the walk's root */
#endif

/* ---- helpers ----------------------------------------------------------- */

/* Sets err from an errno value saved right after the failing call:
 * "<what>: <strerror>". Returns the translated DY_E* code. */
static int errno_fail(dy_err *err, int e, const char *what)
{
  char sys[128];
  int rc = dy_err_from_errno(e);
  if (rc == DY_OK)
    rc = DY_EIO;
  if (strerror_r(e, sys, sizeof sys) != 0)
    memcpy(sys, "unknown error", sizeof "unknown error");
  return dy_err_set(err, rc, "%s: %s", what, sys);
}

static const char *file_kind(mode_t m)
{
  if (S_ISDIR(m))
    return "a directory";
  if (S_ISFIFO(m))
    return "a FIFO";
  if (S_ISSOCK(m))
    return "a socket";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  return "not a regular file";
}

/* ---- whole-file reads -------------------------------------------------- */

/* Appends everything from fd to out, failing with DY_ETOOBIG as soon as more
 * than max bytes (0 = no cap) have been read: at most max + 1 bytes are ever
 * requested, so an endless stream is not pulled into memory. */
static int read_all(int fd, size_t max, dy_buf *out, dy_err *err)
{
  char chunk[DY_READ_CHUNK];
  size_t total = 0;
  int rc;
  for (;;) {
    size_t want = sizeof chunk;
    ssize_t got;
    if (max && max < (size_t)-1 && max + 1 - total < want)
      want = max + 1 - total;
    got = read(fd, chunk, want);
    if (got < 0) {
      int e = errno;
      if (e == EINTR)
        continue;
      return errno_fail(err, e, "cannot read");
    }
    if (got == 0)
      break;
    total += (size_t)got;
    if (max && total > max)
      return dy_err_set(err, DY_ETOOBIG, "more than %zu bytes (the size cap)",
                        max);
    rc = dy_buf_append(out, chunk, (size_t)got);
    if (rc < 0)
      return dy_err_set(err, rc, "cannot hold the input: %s", dy_strerror(rc));
  }
  /* an empty input still leaves a NUL-terminated buffer */
  rc = dy_buf_append(out, "", 0);
  if (rc < 0)
    return dy_err_set(err, rc, "cannot hold the input: %s", dy_strerror(rc));
  return DY_OK;
}

int dy_file_read(const char *path, size_t max, dy_buf *out, dy_err *err)
{
  struct stat st;
  int fd = -1, rc, flags;
  if (err)
    dy_err_clear(err);
  if (path == NULL || out == NULL)
    return dy_err_set(err, DY_EINVAL, "no path or no buffer");
  dy_buf_reset(out);
  if (strcmp(path, "-") == 0)
    return read_all(STDIN_FILENO, max, out, err);
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is rejected
   * by the fstat below and cleared again for regular files. */
  fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    rc = errno_fail(err, errno, "cannot open");
    goto out;
  }
  if (fstat(fd, &st) < 0) {
    rc = errno_fail(err, errno, "cannot stat");
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    rc = dy_err_set(err, DY_ENOTREG, "not a regular file (%s)",
                    file_kind(st.st_mode));
    goto out;
  }
  if (max && st.st_size > 0 && (unsigned long long)st.st_size > max) {
    rc = dy_err_set(err, DY_ETOOBIG,
                    "%lld bytes, more than the size cap of %zu bytes",
                    (long long)st.st_size, max);
    goto out;
  }
  flags = fcntl(fd, F_GETFL);
  if (flags >= 0)
    (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  rc = read_all(fd, max, out, err);
out:
  if (fd >= 0)
    close(fd);
  if (rc < 0)
    dy_buf_reset(out);
  return rc;
}

/* ---- directory walks --------------------------------------------------- */

typedef struct walker {
  dy_walk_fn fn; /* the caller's callback */
  void *ud;      /* its user data */
  dy_buf path;   /* path of the entry being visited */
  int stop;      /* the callback's nonzero value, once it stopped the walk */
} walker;

static void report(walker *w, int rc, const char *msg)
{
  int r;
  if (w->stop)
    return;
  r = w->fn(w->path.p, rc, msg, w->ud);
  if (r != 0)
    w->stop = r;
}

/* Reports the current path with an errno saved right after the failing
 * call: "<what>: <strerror>". */
static void report_errno(walker *w, int e, const char *what)
{
  dy_err err;
  int rc = errno_fail(&err, e, what);
  report(w, rc, err.msg);
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    dy_free(names[i]);
  dy_free(names);
}

static void walk_dir(walker *w, int depth);

/* Visits the entry at w->path, already lstat'ed into st. */
static void walk_entry(walker *w, const struct stat *lst, int depth)
{
  struct stat st = *lst;
  if (S_ISLNK(lst->st_mode)) {
    if (stat(w->path.p, &st) < 0) {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR)
        report(w, DY_ENOENT, "dangling symbolic link");
      else if (e == ELOOP)
        report(w, DY_ENOENT, "symbolic link loop");
      else
        report_errno(w, e, "cannot follow symbolic link");
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      /* not followed: a link back up the tree would never end */
      DY_LOG(DY_LOG_DEBUG, "read", "%s: symbolic link to a directory skipped",
             w->path.p);
      return;
    }
  }
  if (S_ISREG(st.st_mode)) {
    report(w, DY_OK, NULL);
  } else if (S_ISDIR(st.st_mode)) {
    if (depth >= DY_WALK_MAX_DEPTH)
      report(w, DY_ETOOBIG, "directories nested too deep");
    else
      walk_dir(w, depth + 1);
  } else {
    char msg[64];
    snprintf(msg, sizeof msg, "not a regular file (%s)", file_kind(st.st_mode));
    report(w, DY_ENOTREG, msg);
  }
}

/* Walks the directory at w->path: names read, sorted, then visited. */
static void walk_dir(walker *w, int depth)
{
  DIR *dir = NULL;
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i, base = w->path.n;
  dir = opendir(w->path.p);
  if (dir == NULL) {
    report_errno(w, errno, "cannot open directory");
    return;
  }
  for (;;) {
    errno = 0;
    de = readdir(dir);
    if (de == NULL) {
      int e = errno;
      if (e != 0)
        report_errno(w, e, "cannot read directory");
      break;
    }
    if (de->d_name[0] == '.')
      continue;
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 32;
      char **p = dy_realloc(names, ncap * sizeof *names);
      if (p == NULL)
        goto nomem;
      names = p;
      cap = ncap;
    }
    names[n] = dy_strndup(de->d_name, strlen(de->d_name));
    if (names[n] == NULL)
      goto nomem;
    n++;
  }
  closedir(dir);
  dir = NULL;
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_names);
  for (i = 0; i < n && !w->stop; i++) {
    struct stat lst;
    int rc = DY_OK;
    w->path.n = base;
    if (base == 0 || w->path.p[base - 1] != '/')
      rc = dy_buf_putc(&w->path, '/');
    if (rc == DY_OK)
      rc = dy_buf_puts(&w->path, names[i]);
    if (rc < 0) {
      /* the name cannot be appended: report against the directory */
      w->path.failed = 0;
      w->path.n = base;
      w->path.p[base] = '\0';
      report(w, rc, "cannot build the path of an entry");
      continue;
    }
    if (lstat(w->path.p, &lst) < 0)
      report_errno(w, errno, "cannot stat");
    else
      walk_entry(w, &lst, depth);
  }
  goto out;
nomem:
  report(w, DY_ENOMEM, "out of memory listing the directory");
out:
  if (dir)
    closedir(dir);
  free_names(names, n);
  w->path.n = base;
  if (w->path.p)
    w->path.p[base] = '\0';
}

int dy_walk(const char *path, dy_walk_fn fn, void *ud)
{
  walker w;
  struct stat st;
  memset(&w, 0, sizeof w);
  w.fn = fn;
  w.ud = ud;
  dy_buf_init(&w.path, 0);
  if (dy_buf_puts(&w.path, path) < 0) {
    /* cannot even copy the path: report it as given */
    w.stop = fn(path, DY_ENOMEM, "out of memory", ud);
    goto out;
  }
  /* The root is followed when it is a symlink: the user named it. */
  if (stat(w.path.p, &st) < 0) {
    int e = errno;
    if (e == ENOENT && lstat(w.path.p, &st) == 0 && S_ISLNK(st.st_mode))
      report(&w, DY_ENOENT, "dangling symbolic link");
    else
      report_errno(&w, e, "cannot stat");
    goto out;
  }
  if (S_ISDIR(st.st_mode))
    walk_dir(&w, 0);
  else
    walk_entry(&w, &st, 0);
out:
  dy_buf_fini(&w.path);
  return w.stop;
}
