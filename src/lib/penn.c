/* SPDX-License-Identifier: MIT */
/* Given parses: Penn Treebank trees read robustly and converted to UD-style
 * dependencies with head rules (Collins/Magerman style, adapted to content
 * heads), CoNLL-U sentences, and an article built from such tokens. */
#include "dyad/parse.h"
#include "dyad/petrarch.h"

#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PENN_MAX_LEAVES 4096
#define PENN_MAX_NODES  16384
#define PENN_MAX_DEPTH  400

typedef struct node {
  const char *label; /* phrase label without function tags, or tag */
  int leaf;          /* token index for a leaf, -1 for a phrase */
  int *kids;         /* child node indices */
  int nkids;
  int capkids; /* allocated entries in kids */
  int head;    /* lexical head token */
  int passive; /* VP: be-auxiliary + VBN head */
} node;

typedef struct tree {
  dy_arena *a;
  node *nodes;
  int nnodes;
  dy_ptok *toks;
  int ntok;
} tree;

/* ---- reading ----------------------------------------------------------- */

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *word_text(const char *w, size_t n)
{
  static const struct {
    const char *in, *out;
  } map[] = {{"-LRB-", "("}, {"-RRB-", ")"}, {"-LCB-", "{"}, {"-RCB-", "}"},
             {"-LSB-", "["}, {"-RSB-", "]"}, {"``", "\""},   {"''", "\""}};
  size_t k;
  for (k = 0; k < sizeof map / sizeof map[0]; k++)
    if (strlen(map[k].in) == n && memcmp(map[k].in, w, n) == 0)
      return map[k].out;
  return NULL;
}

/* Reads an atom (label or word) at *i. */
static dy_str atom(const char *p, size_t n, size_t *i)
{
  size_t st = *i;
  while (*i < n && !is_space(p[*i]) && p[*i] != '(' && p[*i] != ')')
    (*i)++;
  return (dy_str){p + st, *i - st};
}

static int new_node(tree *t, const char *label, size_t ln, int leaf)
{
  node *x;
  size_t k;
  char *lab;
  if (t->nnodes >= PENN_MAX_NODES)
    return DY_ETOOBIG;
  x = &t->nodes[t->nnodes];
  memset(x, 0, sizeof *x);
  /* strip function tags and indices: NP-SBJ-1 → NP, but keep -LRB- */
  if (ln > 1 && label[0] != '-')
    for (k = 1; k < ln; k++)
      if (label[k] == '-' || label[k] == '=') {
        ln = k;
        break;
      }
  lab = dy_arena_strndup(t->a, label, ln);
  if (lab == NULL)
    return DY_ENOMEM;
  x->label = lab;
  x->leaf = leaf;
  x->head = leaf;
  return t->nnodes++;
}

static int add_kid(tree *t, int parent, int kid)
{
  node *x = &t->nodes[parent];
  if (x->nkids == x->capkids) {
    int nc = x->capkids ? x->capkids * 2 : 4;
    int *nk = dy_arena_grow(t->a, x->kids, (size_t)x->capkids * sizeof(int),
                            (size_t)nc * sizeof(int));
    if (nk == NULL)
      return DY_ENOMEM;
    x->kids = nk;
    x->capkids = nc;
  }
  x->kids[x->nkids++] = kid;
  return DY_OK;
}

/* Parses "(LABEL child...)" at *i into a node. */
static int read_node(tree *t, const char *p, size_t n, size_t *i, int depth,
                     int *out, dy_err *err)
{
  dy_str lab;
  int me, rc;
  if (depth > PENN_MAX_DEPTH)
    return dy_err_set(err, DY_ETOOBIG, "tree deeper than %d", PENN_MAX_DEPTH);
  (*i)++; /* '(' */
  while (*i < n && is_space(p[*i]))
    (*i)++;
  lab = atom(p, n, i);
  while (*i < n && is_space(p[*i]))
    (*i)++;
  if (*i >= n)
    return dy_err_set(err, DY_EFORMAT, "unbalanced tree: missing ')'");
  if (p[*i] != '(' && p[*i] != ')') {
    /* a leaf: (TAG word) */
    dy_str w = atom(p, n, i);
    const char *txt;
    dy_ptok *tk;
    while (*i < n && is_space(p[*i]))
      (*i)++;
    if (*i >= n || p[*i] != ')')
      return dy_err_set(err, DY_EFORMAT, "leaf (%.*s %.*s) not closed by ')'",
                        (int)lab.n, lab.p, (int)(w.n > 40 ? 40 : w.n), w.p);
    (*i)++;
    if (lab.n == 0)
      return dy_err_set(err, DY_EFORMAT, "leaf without a tag");
    if (lab.n == 6 && memcmp(lab.p, "-NONE-", 6) == 0) {
      *out = -1; /* empty element */
      return DY_OK;
    }
    if (t->ntok >= PENN_MAX_LEAVES)
      return dy_err_set(err, DY_ETOOBIG, "more than %d words in a tree",
                        PENN_MAX_LEAVES);
    me = new_node(t, lab.p, lab.n, t->ntok);
    if (me < 0)
      return dy_err_set(err, me, "tree too large");
    tk = &t->toks[t->ntok];
    memset(tk, 0, sizeof *tk);
    txt = word_text(w.p, w.n);
    tk->form = txt ? txt : dy_arena_strndup(t->a, w.p, w.n);
    if (tk->form == NULL)
      return DY_ENOMEM;
    tk->xpos = (uint8_t)dy_xpos_parse(lab.p, lab.n);
    tk->head = -1;
    t->ntok++;
    *out = me;
    return DY_OK;
  }
  me = new_node(t, lab.n ? lab.p : "X", lab.n ? lab.n : 1, -1);
  if (me < 0)
    return dy_err_set(err, me, "tree too large");
  while (*i < n) {
    int kid;
    while (*i < n && is_space(p[*i]))
      (*i)++;
    if (*i >= n)
      break;
    if (p[*i] == ')') {
      (*i)++;
      *out = t->nodes[me].nkids ? me : -1;
      return DY_OK;
    }
    if (p[*i] != '(') {
      dy_str junk = atom(p, n, i);
      return dy_err_set(err, DY_EFORMAT, "word '%.*s' outside a leaf",
                        (int)(junk.n > 40 ? 40 : junk.n), junk.p);
    }
    rc = read_node(t, p, n, i, depth + 1, &kid, err);
    if (rc < 0)
      return rc;
    if (kid >= 0 && (rc = add_kid(t, me, kid)) < 0)
      return rc;
  }
  return dy_err_set(err, DY_EFORMAT, "unbalanced tree: missing ')'");
}

/* ---- head rules -------------------------------------------------------- */

static int lab_is(const node *x, const char *l)
{
  return strcmp(x->label, l) == 0;
}

static int lab_starts(const node *x, const char *l)
{
  return strncmp(x->label, l, strlen(l)) == 0;
}

static int is_punct_tag(const char *l)
{
  return strcmp(l, ",") == 0 || strcmp(l, ".") == 0 || strcmp(l, ":") == 0 ||
         strcmp(l, "``") == 0 || strcmp(l, "''") == 0 ||
         strcmp(l, "-LRB-") == 0 || strcmp(l, "-RRB-") == 0 ||
         strcmp(l, "HYPH") == 0 || strcmp(l, "NFP") == 0;
}

static const char *form_of(const tree *t, const node *x)
{
  return x->leaf >= 0 ? t->toks[x->leaf].form : "";
}

static int ieq(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (dy_tolower(*a) != dy_tolower(*b))
      return 0;
  return *a == *b;
}

static int in_list(const char *w, const char *const *l)
{
  for (; *l; l++)
    if (ieq(w, *l))
      return 1;
  return 0;
}

static const char *const be_words[] = {
    "be",  "is", "are", "was",  "were", "been",   "being",   "am", "'s",
    "'re", "'m", "get", "gets", "got",  "gotten", "getting", NULL};
static const char *const aux_words[] = {
    "be",   "is",  "are",  "was",  "were", "been",   "being",   "am", "'s",
    "'re",  "'m",  "have", "has",  "had",  "having", "'ve",     "'d", "do",
    "does", "did", "get",  "gets", "got",  "gotten", "getting", NULL};
static const char *const adv_marks[] = {
    "because", "although", "though", "while",    "when",  "if",
    "after",   "before",   "since",  "unless",   "as",    "until",
    "once",    "whereas",  "so",     "whenever", "where", NULL};

static int is_noun_leaf(const node *c)
{
  return c->leaf >= 0 && (lab_starts(c, "NN") || lab_is(c, "PRP"));
}

/* Flat coordination of nouns in an NP ("(NP (NNP A) (CC and) (NNP B))"):
 * the index of the first CC with a noun on both sides, else -1. */
static int flat_cc(const tree *t, const node *x)
{
  int k, j, before = 0;
  for (k = 0; k < x->nkids; k++) {
    const node *c = &t->nodes[x->kids[k]];
    if (lab_is(c, "CC") && before)
      for (j = k + 1; j < x->nkids; j++)
        if (is_noun_leaf(&t->nodes[x->kids[j]]))
          return k;
    if (is_noun_leaf(c))
      before = 1;
  }
  return -1;
}

/* The head child of phrase x (index into x->kids). */
static int head_kid(const tree *t, const node *x)
{
  int k, n = x->nkids;
  const node *c;
#define KID(i) (&t->nodes[x->kids[i]])
  if (n == 1)
    return 0;
  /* coordination: X → X CC X: the first conjunct */
  for (k = 1; k < n - 1; k++)
    if (lab_is(KID(k), "CC") && strcmp(KID(0)->label, KID(n - 1)->label) == 0 &&
        KID(0)->leaf < 0)
      return 0;
  if (lab_is(x, "S") || lab_is(x, "SINV") || lab_is(x, "SQ") ||
      lab_is(x, "ROOT") || lab_is(x, "FRAG") || lab_is(x, "X")) {
    for (k = 0; k < n; k++)
      if (lab_is(KID(k), "VP"))
        return k;
    for (k = 0; k < n; k++)
      if (lab_starts(KID(k), "S") || lab_is(KID(k), "NP") ||
          lab_is(KID(k), "FRAG"))
        return k;
  } else if (lab_is(x, "VP")) {
    int inner = -1, verb = -1, allaux = 1;
    for (k = 0; k < n; k++) {
      c = KID(k);
      if (lab_is(c, "VP") && inner < 0)
        inner = k;
      if (c->leaf >= 0 && (lab_starts(c, "VB") || lab_is(c, "MD")) && verb < 0)
        verb = k;
    }
    if (inner >= 0) {
      for (k = 0; k < inner; k++) {
        c = KID(k);
        if (c->leaf >= 0 && lab_starts(c, "VB") &&
            !in_list(form_of(t, c), aux_words))
          allaux = 0;
      }
      if (allaux)
        return inner;
    }
    if (verb >= 0)
      return verb;
    if (inner >= 0)
      return inner;
  } else if (lab_is(x, "NP") || lab_is(x, "NX") || lab_is(x, "NML") ||
             lab_is(x, "WHNP")) {
    int cc = flat_cc(t, x);
    for (k = (cc > 0 ? cc : n) - 1; k >= 0; k--) {
      c = KID(k);
      if (c->leaf >= 0 &&
          (lab_starts(c, "NN") || lab_is(c, "PRP") || lab_is(c, "WP") ||
           lab_is(c, "NX") || lab_is(c, "EX") || lab_is(c, "FW")))
        return k;
      if (lab_is(c, "NML") || lab_is(c, "NX"))
        return k;
    }
    for (k = 0; k < n; k++)
      if (lab_is(KID(k), "NP"))
        return k;
    for (k = n - 1; k >= 0; k--) {
      c = KID(k);
      if (lab_is(c, "CD") || lab_starts(c, "JJ") || lab_is(c, "QP") ||
          lab_is(c, "ADJP") || lab_is(c, "DT") || lab_is(c, "WDT"))
        return k;
    }
  } else if (lab_is(x, "PP") || lab_is(x, "WHPP")) {
    for (k = 0; k < n; k++) {
      c = KID(k);
      if (c->leaf < 0 && !lab_is(c, "PRT"))
        return k;
    }
    for (k = 0; k < n; k++)
      if (lab_is(KID(k), "IN") || lab_is(KID(k), "TO"))
        return k;
  } else if (lab_starts(x, "SBAR")) {
    for (k = 0; k < n; k++)
      if (lab_starts(KID(k), "S") || lab_is(KID(k), "FRAG"))
        return k;
  } else if (lab_is(x, "ADJP") || lab_is(x, "WHADJP")) {
    for (k = n - 1; k >= 0; k--)
      if (lab_starts(KID(k), "JJ") || lab_is(KID(k), "VBN") ||
          lab_is(KID(k), "ADJP"))
        return k;
  } else if (lab_is(x, "ADVP") || lab_is(x, "WHADVP")) {
    for (k = n - 1; k >= 0; k--)
      if (lab_starts(KID(k), "RB") || lab_is(KID(k), "WRB"))
        return k;
  } else if (lab_is(x, "QP")) {
    for (k = n - 1; k >= 0; k--)
      if (lab_is(KID(k), "CD"))
        return k;
  } else if (lab_is(x, "PRT")) {
    for (k = 0; k < n; k++)
      if (lab_is(KID(k), "RP"))
        return k;
  }
  /* fallback: first non-punctuation child */
  for (k = 0; k < n; k++)
    if (!is_punct_tag(KID(k)->label))
      return k;
  return 0;
#undef KID
}

static int starts_with_mark(const tree *t, const node *sbar, const char **w)
{
  const node *c;
  if (sbar->nkids == 0)
    return 0;
  c = &t->nodes[sbar->kids[0]];
  while (c->leaf < 0 && c->nkids > 0 &&
         (lab_starts(c, "WH") || lab_is(c, "IN")))
    c = &t->nodes[c->kids[0]];
  if (c->leaf >= 0 && (lab_is(c, "IN") || lab_is(c, "WRB") ||
                       lab_is(c, "WDT") || lab_is(c, "WP"))) {
    *w = form_of(t, c);
    return 1;
  }
  return 0;
}

/* An S whose VP starts with "to" or has no subject: an xcomp. */
static int is_open_clause(const tree *t, const node *s)
{
  int k;
  for (k = 0; k < s->nkids; k++) {
    const node *c = &t->nodes[s->kids[k]];
    if (lab_is(c, "NP"))
      return 0;
    if (lab_is(c, "VP"))
      return 1;
  }
  return 0;
}

static void set_dep(tree *t, int tok, int head, int dep)
{
  if (tok < 0 || tok == head)
    return;
  t->toks[tok].head = head;
  t->toks[tok].dep = (uint8_t)dep;
}

/* The relation of child c (not the head) of phrase x with head child hk. */
static int relation(const tree *t, const node *x, int ci, int hk)
{
  const node *c = &t->nodes[x->kids[ci]];
  const node *h = &t->nodes[x->kids[hk]];
  const char *w;
  int before = ci < hk, k;
  if (c->leaf >= 0 && is_punct_tag(c->label))
    return DY_DEP_PUNCT;
  if (lab_is(c, "CC"))
    return before && ci == 0 ? DY_DEP_CC_PRECONJ : DY_DEP_CC;
  /* coordination: later phrases of the head's category; commas alone
     make a list only when a conjunction joins its last member ("A, B and
     C"), else an apposition ("the US commander, General Petraeus,") */
  if (!before && c->leaf < 0 && strcmp(c->label, h->label) == 0) {
    int has_cc = 0;
    for (k = 0; k < x->nkids; k++)
      if (lab_is(&t->nodes[x->kids[k]], "CC") ||
          lab_is(&t->nodes[x->kids[k]], "CONJP"))
        has_cc = 1;
    for (k = hk + 1; k < ci; k++)
      if (lab_is(&t->nodes[x->kids[k]], "CC") ||
          (has_cc && lab_is(&t->nodes[x->kids[k]], ",")))
        return DY_DEP_CONJ;
  }
  if (lab_is(x, "S") || lab_is(x, "SINV") || lab_is(x, "SQ") ||
      lab_is(x, "ROOT")) {
    if (lab_is(c, "NP") && (before || lab_is(x, "SINV") || lab_is(x, "SQ")))
      return h->passive ? DY_DEP_NSUBJ_PASS : DY_DEP_NSUBJ;
    if (lab_is(c, "PP"))
      return DY_DEP_OBL;
    if (lab_is(c, "ADVP") || lab_starts(c, "RB"))
      return DY_DEP_ADVMOD;
    if (lab_starts(c, "SBAR"))
      return DY_DEP_ADVCL;
    if (lab_is(c, "S"))
      return before ? DY_DEP_ADVCL : DY_DEP_PARATAXIS;
    if (lab_is(c, "MD") || lab_starts(c, "VB"))
      return DY_DEP_AUX;
    return DY_DEP_DEP;
  }
  if (lab_is(x, "VP")) {
    int nnp_before = 0, nnp_after = 0;
    if (lab_is(c, "MD"))
      return DY_DEP_AUX;
    if (lab_is(c, "TO"))
      return DY_DEP_MARK;
    if (c->leaf >= 0 && lab_starts(c, "VB") && before) {
      if (in_list(form_of(t, c), be_words) && x->passive)
        return DY_DEP_AUX_PASS;
      return DY_DEP_AUX;
    }
    if (c->leaf >= 0 && lab_starts(c, "RB"))
      return DY_DEP_ADVMOD; /* not, n't, never */
    if (lab_is(c, "ADVP"))
      return DY_DEP_ADVMOD;
    if (lab_is(c, "PRT") || lab_is(c, "RP"))
      return DY_DEP_COMPOUND_PRT;
    if (lab_is(c, "NP")) {
      for (k = 0; k < x->nkids; k++) {
        const node *o = &t->nodes[x->kids[k]];
        if (!lab_is(o, "NP") || k < hk)
          continue;
        if (k < ci)
          nnp_before++;
        else if (k > ci)
          nnp_after++;
      }
      if (before)
        return DY_DEP_NSUBJ;
      if (nnp_after > 0 && nnp_before == 0)
        return DY_DEP_IOBJ;
      return DY_DEP_OBJ;
    }
    if (lab_is(c, "PP")) {
      const node *p0 = c->nkids ? &t->nodes[c->kids[0]] : NULL;
      if (x->passive && p0 && p0->leaf >= 0 && ieq(form_of(t, p0), "by"))
        return DY_DEP_OBL_AGENT;
      return DY_DEP_OBL;
    }
    if (lab_starts(c, "SBAR")) {
      if (starts_with_mark(t, c, &w) && in_list(w, adv_marks))
        return DY_DEP_ADVCL;
      return DY_DEP_CCOMP;
    }
    if (lab_is(c, "S"))
      return is_open_clause(t, c) ? DY_DEP_XCOMP : DY_DEP_CCOMP;
    if (lab_is(c, "ADJP"))
      return DY_DEP_XCOMP;
    return DY_DEP_DEP;
  }
  if (lab_is(x, "NP") || lab_is(x, "NML") || lab_is(x, "WHNP") ||
      lab_is(x, "NX")) {
    int cc = flat_cc(t, x);
    if (cc >= 0 && !before && ci > cc && is_noun_leaf(c)) {
      /* the last noun before the next CC (or the end) is the conjunct */
      for (k = ci + 1; k < x->nkids; k++) {
        const node *o = &t->nodes[x->kids[k]];
        if (lab_is(o, "CC"))
          break;
        if (is_noun_leaf(o))
          return DY_DEP_COMPOUND;
      }
      return DY_DEP_CONJ;
    }
    if (lab_is(c, "DT") || lab_is(c, "WDT") || lab_is(c, "PDT"))
      return lab_is(c, "PDT") ? DY_DEP_DET_PREDET : DY_DEP_DET;
    if (lab_is(c, "PRP$") || lab_is(c, "WP$"))
      return DY_DEP_NMOD_POSS;
    if (lab_is(c, "POS"))
      return DY_DEP_CASE;
    if (lab_is(c, "NP") && before) {
      const node *last = c->nkids ? &t->nodes[c->kids[c->nkids - 1]] : NULL;
      if (last && lab_is(last, "POS"))
        return DY_DEP_NMOD_POSS;
      return DY_DEP_COMPOUND;
    }
    if (lab_starts(c, "JJ") || lab_is(c, "ADJP") || lab_is(c, "VBN") ||
        lab_is(c, "VBG"))
      return DY_DEP_AMOD;
    if (lab_starts(c, "NN") || lab_is(c, "NML") || lab_is(c, "FW"))
      return DY_DEP_COMPOUND;
    if (lab_is(c, "CD") || lab_is(c, "QP"))
      return DY_DEP_NUMMOD;
    if (lab_is(c, "PP"))
      return DY_DEP_NMOD;
    if (lab_starts(c, "SBAR"))
      return DY_DEP_ACL_RELCL;
    if (lab_is(c, "VP") || lab_is(c, "S"))
      return DY_DEP_ACL;
    if (lab_is(c, "NP") || lab_is(c, "PRN"))
      return DY_DEP_APPOS;
    if (lab_starts(c, "RB") || lab_is(c, "ADVP"))
      return DY_DEP_ADVMOD;
    return DY_DEP_DEP;
  }
  if (lab_is(x, "PP") || lab_is(x, "WHPP")) {
    if (lab_is(c, "IN") || lab_is(c, "TO"))
      return lab_starts(h, "S") ? DY_DEP_MARK : DY_DEP_CASE;
    if (lab_starts(c, "RB") || lab_is(c, "ADVP"))
      return DY_DEP_ADVMOD;
    return DY_DEP_DEP;
  }
  if (lab_starts(x, "SBAR")) {
    if (c->leaf >= 0 || lab_starts(c, "WH"))
      return DY_DEP_MARK;
    return DY_DEP_DEP;
  }
  if (lab_starts(c, "RB") || lab_is(c, "ADVP"))
    return DY_DEP_ADVMOD;
  if (lab_is(c, "DT"))
    return DY_DEP_DET;
  if (lab_is(c, "PP"))
    return DY_DEP_OBL;
  if (lab_is(c, "IN") || lab_is(c, "TO"))
    return DY_DEP_CASE;
  if (lab_is(c, "CD"))
    return DY_DEP_NUMMOD;
  if (lab_is(c, "NP") || lab_starts(c, "NN"))
    return lab_is(x, "QP") || lab_is(x, "ADJP") ? DY_DEP_OBL : DY_DEP_COMPOUND;
  return DY_DEP_DEP;
}

/* Post-order: heads bottom-up, then dependents attached to the head's
 * lexical head. Iterative over the node array (children have larger
 * indices than their parent). */
static void convert(tree *t, int root)
{
  int i, k;
  for (i = t->nnodes - 1; i >= 0; i--) {
    node *x = &t->nodes[i];
    int hk;
    if (x->leaf >= 0 || x->nkids == 0)
      continue;
    hk = head_kid(t, x);
    x->head = t->nodes[x->kids[hk]].head;
    if (lab_is(x, "VP")) {
      const node *h = &t->nodes[x->kids[hk]];
      if (h->leaf < 0 && lab_is(h, "VP")) {
        /* passive: a be-auxiliary before a VP headed by VBN */
        int be = 0;
        for (k = 0; k < hk; k++) {
          const node *c = &t->nodes[x->kids[k]];
          if (c->leaf >= 0 && lab_starts(c, "VB") &&
              in_list(form_of(t, c), be_words))
            be = 1;
        }
        x->passive = h->passive || (be && h->head >= 0 &&
                                    t->toks[h->head].xpos == DY_XPOS_VBN);
        if (x->passive) /* the by-phrase sits in the inner VP */
          t->nodes[x->kids[hk]].passive = 1;
      }
    } else if (lab_is(x, "S") || lab_is(x, "SINV") || lab_is(x, "SQ")) {
      x->passive = t->nodes[x->kids[hk]].passive;
    }
  }
  for (i = 0; i < t->nnodes; i++) {
    node *x = &t->nodes[i];
    int hk;
    if (x->leaf >= 0 || x->nkids == 0)
      continue;
    hk = head_kid(t, x);
    for (k = 0; k < x->nkids; k++) {
      const node *c = &t->nodes[x->kids[k]];
      int dep;
      if (k == hk || c->head < 0)
        continue;
      dep = relation(t, x, k, hk);
      if (dep == DY_DEP_CASE && lab_is(c, "POS") && hk > 0) {
        /* 's attaches to the possessor (the NP's head) */
        set_dep(t, c->head, x->head, dep);
        continue;
      }
      set_dep(t, c->head, x->head, dep);
    }
  }
  if (t->nodes[root].head >= 0) {
    t->toks[t->nodes[root].head].head = -1;
    t->toks[t->nodes[root].head].dep = DY_DEP_ROOT;
  }
}

static int upos_of(int xpos, int dep)
{
  switch (xpos) {
  case DY_XPOS_NN:
  case DY_XPOS_NNS:
    return DY_UPOS_NOUN;
  case DY_XPOS_NNP:
  case DY_XPOS_NNPS:
    return DY_UPOS_PROPN;
  case DY_XPOS_VB:
  case DY_XPOS_VBD:
  case DY_XPOS_VBG:
  case DY_XPOS_VBN:
  case DY_XPOS_VBP:
  case DY_XPOS_VBZ:
    return dep == DY_DEP_AUX || dep == DY_DEP_AUX_PASS || dep == DY_DEP_COP
               ? DY_UPOS_AUX
               : DY_UPOS_VERB;
  case DY_XPOS_MD:
    return DY_UPOS_AUX;
  case DY_XPOS_JJ:
  case DY_XPOS_JJR:
  case DY_XPOS_JJS:
    return DY_UPOS_ADJ;
  case DY_XPOS_RB:
  case DY_XPOS_RBR:
  case DY_XPOS_RBS:
  case DY_XPOS_WRB:
    return DY_UPOS_ADV;
  case DY_XPOS_IN:
    return dep == DY_DEP_MARK ? DY_UPOS_SCONJ : DY_UPOS_ADP;
  case DY_XPOS_RP:
    return DY_UPOS_ADP;
  case DY_XPOS_DT:
  case DY_XPOS_PDT:
  case DY_XPOS_WDT:
    return DY_UPOS_DET;
  case DY_XPOS_PRP:
  case DY_XPOS_PRPS:
  case DY_XPOS_WP:
  case DY_XPOS_WPS:
  case DY_XPOS_EX:
    return DY_UPOS_PRON;
  case DY_XPOS_CC:
    return DY_UPOS_CCONJ;
  case DY_XPOS_CD:
    return DY_UPOS_NUM;
  case DY_XPOS_TO:
  case DY_XPOS_POS:
    return DY_UPOS_PART;
  case DY_XPOS_UH:
    return DY_UPOS_INTJ;
  case DY_XPOS_SYM:
  case DY_XPOS_DOLLAR:
  case DY_XPOS_HASH:
    return DY_UPOS_SYM;
  case DY_XPOS_COMMA:
  case DY_XPOS_PERIOD:
  case DY_XPOS_COLON:
  case DY_XPOS_LQUOTE:
  case DY_XPOS_RQUOTE:
  case DY_XPOS_LRB:
  case DY_XPOS_RRB:
  case DY_XPOS_HYPH:
  case DY_XPOS_NFP:
    return DY_UPOS_PUNCT;
  default:
    return dy_upos_parse("X", 1); /* DY_UPOS_X is not spellable: the
                                     list macro eats the name X */
  }
}

int dy_penn_parse(const char *p, size_t n, dy_arena *a, dy_ptok **toks,
                  size_t *ntok, dy_err *err)
{
  tree t;
  size_t i = 0;
  int root = -1, rc, k;
  memset(&t, 0, sizeof t);
  *toks = NULL;
  *ntok = 0;
  dy_err_clear(err);
  t.a = a;
  t.nodes = dy_arena_alloc(a, PENN_MAX_NODES * sizeof *t.nodes);
  t.toks = dy_arena_alloc(a, PENN_MAX_LEAVES * sizeof *t.toks);
  if (t.nodes == NULL || t.toks == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  while (i < n && is_space(p[i]))
    i++;
  if (i >= n || p[i] != '(')
    return dy_err_set(err, DY_EFORMAT, "no tree (want '(')");
  rc = read_node(&t, p, n, &i, 0, &root, err);
  if (rc < 0)
    return err->code != DY_OK ? rc : dy_err_set(err, rc, "%s", dy_strerror(rc));
  while (i < n && is_space(p[i]))
    i++;
  if (i < n)
    return dy_err_set(err, DY_EFORMAT, "text after the tree's closing ')'");
  if (root < 0 || t.ntok == 0)
    return dy_err_set(err, DY_EFORMAT, "empty tree");
  if (t.nodes[root].leaf < 0)
    convert(&t, root);
  else {
    t.toks[0].head = -1;
    t.toks[0].dep = DY_DEP_ROOT;
  }
  for (k = 0; k < t.ntok; k++)
    t.toks[k].upos = (uint8_t)upos_of(t.toks[k].xpos, t.toks[k].dep);
  *toks = t.toks;
  *ntok = (size_t)t.ntok;
  return DY_OK;
}

/* ---- CoNLL-U ----------------------------------------------------------- */

int dy_conllu_parse(const char *p, size_t n, dy_arena *a, dy_ptok **toks,
                    size_t *ntok, dy_err *err)
{
  size_t i = 0, cap = 0, nt = 0;
  dy_ptok *out = NULL;
  int line = 0;
  dy_err_clear(err);
  *toks = NULL;
  *ntok = 0;
  while (i < n) {
    const char *nl = memchr(p + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - p) : n;
    dy_str l = dy_str_trim((dy_str){p + i, end - i}), f[10];
    int nf = 0;
    size_t k, st = 0;
    i = end + 1;
    line++;
    if (l.n == 0 || l.p[0] == '#')
      continue;
    for (k = 0; k <= l.n && nf < 10; k++)
      if (k == l.n || l.p[k] == '\t') {
        f[nf++] = (dy_str){l.p + st, k - st};
        st = k + 1;
      }
    if (nf < 10 || k <= l.n) {
      /* some files use runs of spaces: split on blanks instead */
      nf = 0;
      k = 0;
      while (k < l.n && nf < 10) {
        while (k < l.n && (l.p[k] == ' ' || l.p[k] == '\t'))
          k++;
        st = k;
        while (k < l.n && l.p[k] != ' ' && l.p[k] != '\t')
          k++;
        if (k > st)
          f[nf++] = (dy_str){l.p + st, k - st};
      }
    }
    if (nf < 8)
      return dy_err_set(err, DY_EFORMAT,
                        "CoNLL-U line %d: want 10 columns, got %d", line, nf);
    if (memchr(f[0].p, '-', f[0].n) || memchr(f[0].p, '.', f[0].n))
      continue; /* multi-word range or empty node */
    if (nt >= PENN_MAX_LEAVES)
      return dy_err_set(err, DY_ETOOBIG, "more than %d words in a sentence",
                        PENN_MAX_LEAVES);
    if (nt == cap) {
      size_t nc = cap ? cap * 2 : 64;
      dy_ptok *np = dy_arena_grow(a, out, cap * sizeof *out, nc * sizeof *out);
      if (np == NULL)
        return dy_err_set(err, DY_ENOMEM, "out of memory");
      out = np;
      cap = nc;
    }
    {
      dy_ptok *t = &out[nt];
      char num[16];
      long h;
      memset(t, 0, sizeof *t);
      t->form = dy_arena_strndup(a, f[1].p, f[1].n);
      t->lemma = dy_arena_strndup(a, f[2].p, f[2].n);
      if (t->form == NULL || t->lemma == NULL)
        return dy_err_set(err, DY_ENOMEM, "out of memory");
      t->upos = (uint8_t)dy_upos_parse(f[3].p, f[3].n);
      t->xpos = (uint8_t)dy_xpos_parse(f[4].p, f[4].n);
      snprintf(num, sizeof num, "%.*s", (int)(f[6].n < 15 ? f[6].n : 15),
               f[6].p);
      h = strtol(num, NULL, 10);
      t->head = (int32_t)(h - 1);
      t->dep = (uint8_t)dy_dep_parse(f[7].p, f[7].n);
    }
    nt++;
  }
  for (i = 0; i < nt; i++)
    if (out[i].head < -1 || out[i].head >= (int32_t)nt)
      out[i].head = -1;
  if (nt == 0)
    return dy_err_set(err, DY_EFORMAT, "no CoNLL-U token lines");
  *toks = out;
  *ntok = nt;
  return DY_OK;
}

/* ---- an article from tokens -------------------------------------------- */

int dy_doc_analyse_tokens(dy_doc *d, const dy_ptok *toks, size_t n,
                          const char *name, const char *date)
{
  dy_article *art;
  size_t k, len = 0;
  char *text;
  int rc;
  rc = dy_doc_analyse(d, "x", 1, name, date); /* resets d */
  if (rc < 0)
    return rc;
  art = &d->art;
  if (n == 0 || n > PENN_MAX_LEAVES)
    return dy_err_set(&d->err, DY_EINVAL, "%zu tokens", n);
  for (k = 0; k < n; k++)
    len += strlen(toks[k].form) + 1;
  text = dy_arena_alloc(&d->mem, len + 1);
  art->toks = dy_arena_zalloc(&d->mem, (n + 1) * sizeof *art->toks);
  art->sents = dy_arena_zalloc(&d->mem, sizeof *art->sents);
  if (text == NULL || art->toks == NULL || art->sents == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  len = 0;
  for (k = 0; k < n; k++) {
    size_t fl = strlen(toks[k].form);
    dy_token *t = &art->toks[k];
    dy_arena tmp;
    dy__tok *tt;
    size_t ntt;
    if (k)
      text[len++] = ' ';
    memcpy(text + len, toks[k].form, fl);
    t->off = (uint32_t)len;
    t->len = (uint32_t)fl;
    len += fl;
    /* flags as the tokenizer would set them for this word */
    dy_arena_init(&tmp, 0);
    if (dy__tokenize(&tmp, toks[k].form, fl, &tt, &ntt) == DY_OK && ntt)
      t->flags = tt[0].flags;
    dy_arena_fini(&tmp);
    if (fl && !dy_utf8_valid(toks[k].form, fl))
      return dy_err_set(&d->err, DY_EINVAL, "token %zu is not UTF-8", k);
    t->norm = dy__norm(&d->mem, toks[k].form, fl);
    if (t->norm == NULL)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
    t->lemma = toks[k].lemma ? dy_arena_strndup(&d->mem, toks[k].lemma,
                                                strlen(toks[k].lemma))
                             : NULL;
    t->xpos = toks[k].xpos;
    t->upos = toks[k].upos;
    t->dep = toks[k].dep;
    if (t->lemma == NULL && d->eng->lemmatizer) { /* Penn trees have none */
      char lem[256];
      size_t ln = dy_parser_lemma(d->eng->parser, d->eng->lemmatizer,
                                  toks[k].form, strlen(toks[k].form), t->xpos,
                                  t->upos, lem, sizeof lem);
      t->lemma = dy_arena_strndup(&d->mem, lem, ln);
    }
    if (t->dep)
      d->given_parse = 1;
    t->head = toks[k].head >= 0 && (size_t)toks[k].head < n ? toks[k].head : -1;
  }
  art->toks[0].flags |= DY_TOK_PARA;
  text[len] = '\0';
  art->text = text;
  art->n = len;
  art->ntoks = n;
  art->sents[0].off = 0;
  art->sents[0].len = (uint32_t)len;
  art->sents[0].tok = 0;
  art->sents[0].ntok = (uint32_t)n;
  art->nsents = 1;
  art->nheadings = 0;
  return DY_OK;
}
