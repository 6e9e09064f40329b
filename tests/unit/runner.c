/* SPDX-License-Identifier: MIT */
/* The in-house test runner: `dyad-tests [--fork] [name...]` runs all tests
 * or the named ones, prints `ok N - name` / `not ok N - name` and closes with
 * `N passed, N failed`. --fork runs each test in a child with a timeout. */
#include "test.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct test {
  const char *name;
  void (*fn)(void);
};

static const struct test tests[] = {
#define X(name) {#name, test_##name},
#include "test_list.h"
#undef X
};

int dy_test_failed;
static int skipped;

void dy_test_skip(const char *why)
{
  fprintf(stderr, "  skip: %s\n", why);
  skipped = 1;
}

static int is_dir(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *dy_test_shared(void)
{
  const char *env = getenv("DYAD_SHARED");
  if (env && is_dir(env))
    return env;
  if (is_dir("../shared"))
    return "../shared";
  return NULL;
}

const char *dy_test_data(void)
{
  const char *env = getenv("DYAD_DICT_DIR");
  return env ? env : "data";
}

static int run_one(const struct test *t, int fork_mode)
{
  pid_t pid;
  int status;
  dy_test_failed = 0;
  skipped = 0;
  if (!fork_mode) {
    t->fn();
    return dy_test_failed;
  }
  fflush(NULL);
  pid = fork();
  if (pid < 0)
    return 1;
  if (pid == 0) {
    alarm(120);
    t->fn();
    _exit(dy_test_failed ? 1 : 0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 1;
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "  %s: killed by signal %d\n", t->name, WTERMSIG(status));
    return 1;
  }
  return WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
  size_t i, ntests = sizeof tests / sizeof tests[0];
  int fork_mode = 0, argi, npass = 0, nfail = 0, seq = 0;
  for (argi = 1; argi < argc && argv[argi][0] == '-'; argi++) {
    if (strcmp(argv[argi], "--fork") == 0) {
      fork_mode = 1;
    } else if (strcmp(argv[argi], "--list") == 0) {
      for (i = 0; i < ntests; i++)
        printf("%s\n", tests[i].name);
      return 0;
    } else {
      fprintf(stderr, "usage: dyad-tests [--fork] [--list] [name...]\n");
      return 2;
    }
  }
  for (i = 0; i < ntests; i++) {
    int want = argi >= argc, k, fail;
    for (k = argi; k < argc; k++)
      if (strcmp(argv[k], tests[i].name) == 0)
        want = 1;
    if (!want)
      continue;
    fail = run_one(&tests[i], fork_mode);
    seq++;
    printf("%sok %d - %s%s\n", fail ? "not " : "", seq, tests[i].name,
           skipped ? " # skip" : "");
    fflush(stdout);
    if (fail)
      nfail++;
    else
      npass++;
  }
  printf("%d passed, %d failed\n", npass, nfail);
  return nfail ? 1 : 0;
}
