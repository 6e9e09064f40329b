/* SPDX-License-Identifier: MIT */
/* Tests of dy_ask_parse (dyad/ask.h) with the project's dictionaries. */
#include "test.h"

#include "dyad/ask.h"
#include "dyad/dyad.h"

#include <string.h>

static dy_engine *ask_engine(void)
{
  static dy_engine *e;
  dy_engine_opts o = {0};
  dy_err err;
  if (e == NULL) {
    o.dict_dir = dy_test_data();
    if (dy_engine_open(&o, &e, &err) < 0)
      return NULL;
  }
  return e;
}

static int ask(const char *q, dy_ask *a)
{
  dy_err err;
  return dy_ask_parse(ask_engine(), q, strlen(q), a, &err);
}

void test_ask_dyad_month(void)
{
  dy_ask a;
  CHECK(ask_engine() != NULL);
  CHECK_EQ_INT(ask("what did Russia do to North Korea in June 2024", &a),
               DY_OK);
  CHECK(strcmp(a.source, "RUS") == 0);
  CHECK(strcmp(a.target, "PRK") == 0);
  CHECK(strcmp(a.from, "2024-06-01") == 0);
  CHECK(strcmp(a.to, "2024-06-30") == 0);
  CHECK(a.root[0] == '\0'); /* "do" is no event */
  CHECK(!a.symmetric);
}

void test_ask_lower_case_and_days(void)
{
  dy_ask a;
  CHECK(ask_engine() != NULL);
  CHECK_EQ_INT(ask("what did china do to taiwan on 19 february 2024", &a),
               DY_OK);
  CHECK(strcmp(a.source, "CHN") == 0);
  CHECK(strcmp(a.target, "TWN") == 0);
  CHECK(strcmp(a.from, "2024-02-19") == 0);
  CHECK(strcmp(a.to, "2024-02-19") == 0);
  /* Feb 31 is clamped to the month's last day; leap years count */
  CHECK_EQ_INT(ask("Iran on February 31, 2024", &a), DY_OK);
  CHECK(strcmp(a.from, "2024-02-29") == 0);
}

void test_ask_ranges_and_between(void)
{
  dy_ask a;
  CHECK(ask_engine() != NULL);
  CHECK_EQ_INT(ask("events between India and Pakistan from 2023-03-01 to "
                   "2023-01-01",
                   &a),
               DY_OK);
  CHECK(a.symmetric);
  CHECK(strcmp(a.source, "IND") == 0);
  CHECK(strcmp(a.target, "PAK") == 0);
  CHECK(strcmp(a.from, "2023-01-01") == 0); /* given latest first */
  CHECK(strcmp(a.to, "2023-03-01") == 0);
  CHECK_EQ_INT(ask("Germany in 2022 and 2023", &a), DY_OK);
  CHECK(strcmp(a.from, "2022-01-01") == 0);
  CHECK(strcmp(a.to, "2023-12-31") == 0);
}

void test_ask_people_agents_verbs(void)
{
  dy_ask a;
  CHECK(ask_engine() != NULL);
  /* a person resolves to the role held at the question's date */
  CHECK_EQ_INT(ask("Did Putin threaten anyone in 2024?", &a), DY_OK);
  CHECK(strcmp(a.source, "RUSGOV") == 0);
  CHECK(strcmp(a.root, "13") == 0);
  CHECK(strcmp(a.verb, "threaten") == 0);
  CHECK_EQ_INT(ask("Who did the Russian military attack?", &a), DY_OK);
  CHECK(strcmp(a.source, "RUSMIL") == 0);
  CHECK(a.root[0] != '\0');
  /* "us" the pronoun is not the United States */
  CHECK_EQ_INT(ask("tell us about Japan", &a), DY_OK);
  CHECK(strcmp(a.source, "JPN") == 0);
  CHECK(a.target[0] == '\0');
}

void test_ask_refuses_bad_input(void)
{
  dy_ask a;
  char big[DY_ASK_MAX_BYTES + 2];
  dy_err err;
  CHECK(ask_engine() != NULL);
  memset(big, 'a', sizeof big);
  CHECK_EQ_INT(dy_ask_parse(ask_engine(), big, sizeof big, &a, &err),
               DY_ETOOBIG);
  CHECK_EQ_INT(dy_ask_parse(ask_engine(), "\xff\xfe", 2, &a, &err), DY_EINVAL);
  CHECK_EQ_INT(dy_ask_parse(ask_engine(), "", 0, &a, &err), DY_EINVAL);
  CHECK_EQ_INT(ask("hello there", &a), DY_OK);
  CHECK_EQ_INT(a.nnotes, 0);
  CHECK(a.source[0] == '\0' && a.from[0] == '\0' && a.root[0] == '\0');
}
