/* SPDX-License-Identifier: MIT */
/* Names and lookups for the tag and relation sets of dyad/nlp.h. */
#include "dyad/nlp.h"

#include <string.h>

#define DY__NAME(id, name) name,
static const char *const upos_names[] = {DY_UPOS_LIST(DY__NAME)};
static const char *const xpos_names[] = {DY_XPOS_LIST(DY__NAME)};
static const char *const dep_names[] = {DY_DEP_LIST(DY__NAME)};
#undef DY__NAME

static const char *name_of(const char *const *names, int n, int i) {
  return (i > 0 && i < n) ? names[i] : "_";
}

const char *dy_upos_name(int upos) { return name_of(upos_names, DY_UPOS_N, upos); }
const char *dy_xpos_name(int xpos) { return name_of(xpos_names, DY_XPOS_N, xpos); }
const char *dy_dep_name(int dep) { return name_of(dep_names, DY_DEP_N, dep); }

static int find(const char *const *names, int n, const char *s, size_t len) {
  for (int i = 1; i < n; i++)
    if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) return i;
  return 0;
}

int dy_upos_parse(const char *s, size_t n) { return find(upos_names, DY_UPOS_N, s, n); }
int dy_xpos_parse(const char *s, size_t n) { return find(xpos_names, DY_XPOS_N, s, n); }

/* UD v1 names (older treebanks and parsers) → v2 */
static const struct {
  const char *v1, *v2;
} v1_deps[] = {{"dobj", "obj"},           {"nsubjpass", "nsubj:pass"},
               {"csubjpass", "csubj:pass"}, {"auxpass", "aux:pass"},
               {"neg", "advmod"},          {"mwe", "fixed"},
               {"name", "flat"},           {"foreign", "flat:foreign"},
               {"nmod:agent", "obl:agent"}, {"nmod:tmod", "obl"},
               {"nmod:npmod", "obl:unmarked"}};

int dy_dep_parse(const char *s, size_t n) {
  int d;
  size_t k;
  for (k = 0; k < sizeof v1_deps / sizeof v1_deps[0]; k++)
    if (strlen(v1_deps[k].v1) == n && memcmp(v1_deps[k].v1, s, n) == 0) {
      s = v1_deps[k].v2;
      n = strlen(s);
      break;
    }
  d = find(dep_names, DY_DEP_N, s, n);
  if (d) return d;
  const char *colon = memchr(s, ':', n);
  return colon ? find(dep_names, DY_DEP_N, s, (size_t)(colon - s)) : 0;
}

int dy_dep_base(int dep) {
  const char *name = dy_dep_name(dep);
  const char *colon = strchr(name, ':');
  return colon ? find(dep_names, DY_DEP_N, name, (size_t)(colon - name)) : dep;
}
