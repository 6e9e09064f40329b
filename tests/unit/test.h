/* SPDX-License-Identifier: MIT */
/* The in-house test runner's assertions: a failed CHECK marks the current
 * test failed, prints where and why, and returns from the test function. */
#ifndef DYAD_TEST_H
#define DYAD_TEST_H

#include <stdio.h>
#include <string.h>

extern int dy_test_failed;
/* Directory of the repository's shared data ("../shared" beside the repo);
 * NULL when absent, in which case tests that need it skip. */
const char *dy_test_shared(void);
/* Directory with the project's dictionaries. */
const char *dy_test_data(void);
void dy_test_skip(const char *why);

/* Prototypes of every test function (from test_list.h). */
#define X(name) void test_##name(void);
#include "test_list.h"
#undef X

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,      \
              #cond);                                                          \
      dy_test_failed = 1;                                                      \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                     \
  do {                                                                         \
    long long a_ = (long long)(a), b_ = (long long)(b);                        \
    if (a_ != b_) {                                                            \
      fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld\n", __FILE__,   \
              __LINE__, #a, #b, a_, b_);                                       \
      dy_test_failed = 1;                                                      \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                     \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                     \
      fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n",         \
              __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",                  \
              b_ ? b_ : "(null)");                                             \
      dy_test_failed = 1;                                                      \
      return;                                                                  \
    }                                                                          \
  } while (0)

#endif
