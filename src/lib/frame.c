/* SPDX-License-Identifier: MIT */
/* Clause frames from a dependency tree (see dyad/frame.h). Two passes: the
 * first makes one frame per predicate from its own dependents; the second
 * walks the frames parent-first and passes down what a clause inherits from
 * the clause that governs it: a missing subject (control, coordination,
 * participles, relative clauses), hedging, negation, conditions and
 * reported speech. */
#include "dyad/frame.h"

#include <stdio.h>
#include <string.h>

/* ---- word lists -------------------------------------------------------- */

static int in_list(const char *w, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(w, *list) == 0)
      return 1;
  return 0;
}

static const char *const hedge_modals[] = {"could", "might", "may", "would",
                                           "should", NULL};
static const char *const hedge_words[] = {
    "likely",   "unlikely", "possibly", "perhaps",   "potentially",
    "probably", "maybe",    "allegedly", "supposedly", "presumably",
    "possible", "probable", "potential", "alleged",  "hypothetical",
    NULL};
static const char *const neg_words[] = {"not", "n't", "never", "no",
                                        "neither", "nor", NULL};
static const char *const cond_marks[] = {"if", "unless", "whether", NULL};
/* a clause under these has not happened yet when the main clause does
   ("before leaving for Beijing, Bush …"): coded like a condition */
static const char *const prior_marks[] = {"before", "until", "till", NULL};
static const char *const speech_verbs[] = {
    "say",     "tell",     "state",    "announce", "claim",   "add",
    "note",    "suggest",  "explain",  "warn",     "assert",  "insist",
    "argue",   "report",   "believe",  "think",    "reply",   "write",
    "declare", "stress",   "indicate", "acknowledge", "admit", "deny",
    "allege",  "maintain", "contend",  "observe",  "caution", "predict",
    "estimate", "emphasize", "emphasise", "confirm", "reiterate", "remark",
    "comment", "testify",  "tweet",    "post",     "hint",    "speculate",
    "fear",    "expect",   "hope",     "worry",    "concede", "recall",
    "complain", "agree",   "say",      NULL};
/* verbs whose of/for-clause is the act attributed to the object */
static const char *const charge_verbs[] = {
    "accuse", "blame",    "charge", "condemn", "criticize", "criticise",
    "denounce", "fault",  "praise", "thank",   "commend",   "sue",
    "applaud", "congratulate", "punish", "fine", "sanction", NULL};
/* prepositions that introduce a gerund clause as an argument ("of
 * escalating", "for helping") */
static const char *const prep_marks[] = {"of", "for", "about", "against",
                                         "on", "with", "from", "without",
                                         "in", "into", NULL};
/* bare-noun time expressions that a tree may hang on a verb as subject or
 * object ("endorsed Tuesday", "said Wednesday") */
static const char *const time_words[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "today", "yesterday", "tomorrow", "tonight", "night",
    "morning", "evening", "afternoon", "weekend", "week", "month", "year",
    "day", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "ago", NULL};
static const char *const rel_pronouns[] = {"who", "which", "that", "whom",
                                           NULL};
static const char *const noun_links[] = {"of", "against", "with", "to", "by",
                                         "on", "for", "from", "in", "between",
                                         "toward", "towards", "into", NULL};

/* ---- the sentence as a tree -------------------------------------------- */

typedef struct tree {
  const dy_article *art;
  uint32_t lo, hi;  /* token range [lo, hi) */
  int32_t *kid_off; /* per token (relative), offset into kids; n+1 entries */
  int32_t *kids;    /* absolute token indices, grouped by head */
  int *frame_of;    /* per token (relative): frame index, -1 */
} tree;

static const dy_token *tk(const tree *t, int32_t i) { return &t->art->toks[i]; }

static const char *lem(const tree *t, int32_t i)
{
  const dy_token *x = tk(t, i);
  return x->lemma ? x->lemma : x->norm;
}

static int in_range(const tree *t, int32_t i)
{
  return i >= (int32_t)t->lo && i < (int32_t)t->hi;
}

/* The i-th child of token h, or -1. */
#define KIDS(t, h, k)                                                         \
  for (int32_t k##_i = (t)->kid_off[(h) - (int32_t)(t)->lo], k;               \
       k##_i < (t)->kid_off[(h) - (int32_t)(t)->lo + 1] &&                    \
       ((k = (t)->kids[k##_i]), 1);                                           \
       k##_i++)

static int32_t kid_with(const tree *t, int32_t h, int dep)
{
  KIDS(t, h, k) if (tk(t, k)->dep == dep) return k;
  return -1;
}

static int32_t kid_with_base(const tree *t, int32_t h, int dep)
{
  KIDS(t, h, k) if (dy_dep_base(tk(t, k)->dep) == dep) return k;
  return -1;
}

/* The case or mark word of argument a ("with", "of", "according"), -1. */
static int32_t link_of(const tree *t, int32_t a)
{
  int32_t c = kid_with(t, a, DY_DEP_CASE);
  if (c < 0)
    c = kid_with(t, a, DY_DEP_MARK);
  return c;
}

static int build_tree(tree *t, const dy_article *art, const dy_sentence *s,
                      dy_arena *a)
{
  uint32_t n = s->ntok, i;
  int32_t *fill;
  t->art = art;
  t->lo = s->tok;
  t->hi = s->tok + s->ntok;
  t->kid_off = dy_arena_zalloc(a, (n + 1) * sizeof *t->kid_off);
  t->kids = dy_arena_alloc(a, (n + 1) * sizeof *t->kids);
  t->frame_of = dy_arena_alloc(a, (n + 1) * sizeof *t->frame_of);
  fill = dy_arena_alloc(a, (n + 1) * sizeof *fill);
  if (!t->kid_off || !t->kids || !t->frame_of || !fill)
    return DY_ENOMEM;
  for (i = 0; i < n; i++) {
    int32_t h = art->toks[t->lo + i].head;
    t->frame_of[i] = -1;
    if (in_range(t, h) && h != (int32_t)(t->lo + i))
      t->kid_off[h - (int32_t)t->lo + 1]++;
  }
  for (i = 0; i < n; i++)
    t->kid_off[i + 1] += t->kid_off[i];
  memcpy(fill, t->kid_off, n * sizeof *fill);
  for (i = 0; i < n; i++) {
    int32_t h = art->toks[t->lo + i].head;
    if (in_range(t, h) && h != (int32_t)(t->lo + i))
      t->kids[fill[h - (int32_t)t->lo]++] = (int32_t)(t->lo + i);
  }
  return DY_OK;
}

/* ---- first pass: a frame from the predicate's own dependents ----------- */

static void add_arg(dy_frame_arg *v, int *n, int32_t tok, int32_t link,
                    int inherited, const tree *t)
{
  int i;
  if (*n >= DY_FRAME_MAX_ARGS)
    return;
  for (i = 0; i < *n; i++)
    if (v[i].tok == tok)
      return;
  v[*n].tok = tok;
  v[*n].link = link;
  v[*n].dep = tk(t, tok)->dep;
  v[*n].inherited = (uint8_t)(inherited != 0);
  (*n)++;
}

/* Adds a and the conjuncts joined to it ("the U.S., South Korea, and
 * Japan"). */
static void add_conj(dy_frame_arg *v, int *n, int32_t a, int32_t link,
                     const tree *t)
{
  add_arg(v, n, a, link, 0, t);
  KIDS(t, a, k) if (tk(t, k)->dep == DY_DEP_CONJ) add_conj(v, n, k, link, t);
}

static int is_verb(const dy_token *x) { return x->upos == DY_UPOS_VERB; }

/* "a strike against an Islamic State target": a word tagged as a verb with
 * a preposition and a determiner of its own is a noun the tagger misread. */
static int noun_as_verb(const tree *t, int32_t p)
{
  return kid_with(t, p, DY_DEP_CASE) >= 0 && kid_with(t, p, DY_DEP_DET) >= 0;
}

static int pred_kind(const tree *t, int32_t p)
{
  const dy_token *x = tk(t, p);
  if (x->dep == DY_DEP_AMOD || x->dep == DY_DEP_COMPOUND ||
      x->dep == DY_DEP_FIXED || x->dep == DY_DEP_FLAT)
    return 0;
  if (is_verb(x) && !noun_as_verb(t, p))
    return DY_FRAME_VERB;
  if ((x->upos == DY_UPOS_ADJ || x->upos == DY_UPOS_NOUN ||
       x->upos == DY_UPOS_PROPN || x->upos == DY_UPOS_PRON) &&
      kid_with(t, p, DY_DEP_COP) >= 0)
    return DY_FRAME_COPULA;
  if (x->upos == DY_UPOS_NOUN) {
    if (kid_with(t, p, DY_DEP_NMOD_POSS) >= 0)
      return DY_FRAME_NOMINAL;
    KIDS(t, p, k)
    {
      int32_t c;
      if (dy_dep_base(tk(t, k)->dep) != DY_DEP_NMOD)
        continue;
      c = kid_with(t, k, DY_DEP_CASE);
      if (c >= 0 && in_list(lem(t, c), noun_links))
        return DY_FRAME_NOMINAL;
    }
  }
  return 0;
}

static void fill_own(const tree *t, dy_frame *f)
{
  int32_t p = f->pred;
  f->prt = kid_with(t, p, DY_DEP_COMPOUND_PRT);
  f->lemma = lem(t, p);
  f->poss.tok = f->poss.link = -1;
  f->neg_tok = f->hedge_tok = f->cond_tok = f->speaker = -1;
  f->speech = f->parent = -1;
  KIDS(t, p, k)
  {
    const dy_token *x = tk(t, k);
    const char *w = lem(t, k);
    int base = dy_dep_base(x->dep);
    switch (x->dep) {
    case DY_DEP_NSUBJ_PASS:
    case DY_DEP_CSUBJ_PASS:
    case DY_DEP_AUX_PASS:
      f->passive = 1;
      break;
    default:
      break;
    }
    if ((base == DY_DEP_NSUBJ || x->dep == DY_DEP_OBJ ||
         x->dep == DY_DEP_IOBJ) &&
        in_list(x->norm, time_words) && kid_with(t, k, DY_DEP_CASE) < 0)
      continue; /* "Tuesday": when, not who */
    if (base == DY_DEP_NSUBJ || base == DY_DEP_CSUBJ) {
      add_conj(f->subj, &f->nsubj, k, -1, t);
    } else if (x->dep == DY_DEP_OBJ) {
      add_conj(f->obj, &f->nobj, k, -1, t);
      KIDS(t, k, d) if (tk(t, d)->dep == DY_DEP_DET &&
                        strcmp(lem(t, d), "no") == 0 && !f->negated)
      {
        f->negated = 1;
        f->neg_tok = d;
      }
    } else if (x->dep == DY_DEP_IOBJ) {
      add_conj(f->iobj, &f->niobj, k, -1, t);
    } else if (x->dep == DY_DEP_OBL_AGENT) {
      int32_t l = link_of(t, k);
      if (l >= 0 && strcmp(lem(t, l), "by") == 0)
        add_conj(f->agent, &f->nagent, k, l, t);
      else /* an "agent" without "by" is a misparse: keep it as object */
        add_conj(f->obj, &f->nobj, k, -1, t);
    } else if (base == DY_DEP_OBL ||
               (base == DY_DEP_NMOD && x->dep != DY_DEP_NMOD_POSS &&
                (f->kind == DY_FRAME_NOMINAL ||
                 tk(t, p)->upos == DY_UPOS_VERB))) {
      /* UD v1 trees call a verb's prepositional argument nmod */
      int32_t l = link_of(t, k);
      if (l >= 0 && strcmp(lem(t, l), "by") == 0 && f->passive)
        add_conj(f->agent, &f->nagent, k, l, t);
      else if (l >= 0 && strcmp(lem(t, l), "according") == 0) {
        f->reported = 1;
        f->speaker = k;
      } else
        add_conj(f->obl, &f->nobl, k, l, t);
    } else if (x->dep == DY_DEP_NMOD_POSS && f->kind == DY_FRAME_NOMINAL) {
      if (f->poss.tok < 0) {
        f->poss.tok = k;
        f->poss.dep = x->dep;
      }
    } else if (x->dep == DY_DEP_ADVCL && is_verb(x) && noun_as_verb(t, k)) {
      /* a misread noun with its preposition: a prepositional argument */
      add_conj(f->obl, &f->nobl, k, kid_with(t, k, DY_DEP_CASE), t);
    } else if (x->dep == DY_DEP_ADVCL) {
      /* "accused X of escalating": the of-clause is an argument too */
      int32_t m = kid_with(t, k, DY_DEP_MARK);
      if (m >= 0 && in_list(lem(t, m), prep_marks))
        add_arg(f->obl, &f->nobl, k, m, 0, t);
      if (m >= 0 && in_list(lem(t, m), cond_marks) &&
          strcmp(lem(t, m), "whether") != 0 && !f->conditional) {
        f->conditional = 1; /* the consequence of an if-clause */
        f->cond_tok = m;
      }
    } else if ((base == DY_DEP_AUX && x->dep != DY_DEP_AUX_PASS) &&
               in_list(w, hedge_modals)) {
      f->hedge |= DY_HEDGE_MODAL;
      if (f->hedge_tok < 0)
        f->hedge_tok = k;
    } else if ((x->dep == DY_DEP_ADVMOD || x->dep == DY_DEP_AMOD) &&
               in_list(w, hedge_words)) {
      f->hedge |= DY_HEDGE_WORD;
      if (f->hedge_tok < 0)
        f->hedge_tok = k;
    }
    if ((x->dep == DY_DEP_ADVMOD || base == DY_DEP_AUX ||
         x->dep == DY_DEP_DET || x->dep == DY_DEP_CC_PRECONJ ||
         x->upos == DY_UPOS_PART) &&
        in_list(x->norm, neg_words) && !f->negated &&
        !(x->dep == DY_DEP_DET && f->kind != DY_FRAME_NOMINAL)) {
      f->negated = 1;
      f->neg_tok = k;
    }
  }
  /* "After Biden attacked Trump": a passive subject on a past verb with no
     be/get auxiliary is a tagger's VBN for VBD; the verb is active */
  if (f->passive && f->kind == DY_FRAME_VERB &&
      (tk(t, p)->xpos == DY_XPOS_VBN || tk(t, p)->xpos == DY_XPOS_VBD) &&
      kid_with_base(t, p, DY_DEP_AUX) < 0 &&
      kid_with(t, p, DY_DEP_NSUBJ_PASS) >= 0 && f->nagent == 0) {
    int32_t sb = kid_with(t, p, DY_DEP_NSUBJ_PASS);
    if (sb < p)
      f->passive = 0;
  }
  /* "is unlikely (to)", "a potential transfer": the predicate itself */
  if ((f->kind == DY_FRAME_COPULA || f->kind == DY_FRAME_NOMINAL) &&
      in_list(f->lemma, hedge_words)) {
    f->hedge |= DY_HEDGE_WORD;
    if (f->hedge_tok < 0)
      f->hedge_tok = p;
  }
  /* the clause's own marker: "if Russia provides…" */
  {
    int32_t m = kid_with(t, p, DY_DEP_MARK);
    int dep = tk(t, p)->dep;
    if (m >= 0 && in_list(lem(t, m), cond_marks) &&
        (dep == DY_DEP_ADVCL || dy_dep_base(dep) == DY_DEP_CCOMP ||
         dep == DY_DEP_CSUBJ)) {
      if (strcmp(lem(t, m), "whether") != 0 || dep == DY_DEP_ADVCL) {
        f->conditional = 1;
        f->cond_tok = m;
      }
    }
    if (m >= 0 && in_list(lem(t, m), prior_marks)) {
      f->conditional = 1;
      f->cond_tok = m;
    }
  }
}

/* ---- second pass: inheritance ------------------------------------------ */

/* Is the first token of p's phrase preceded by a comma? */
static int after_comma(const tree *t, int32_t p)
{
  int32_t first = p;
  KIDS(t, p, k) if (k < first && tk(t, k)->dep != DY_DEP_PUNCT) first = k;
  return first > (int32_t)t->lo && strcmp(tk(t, first - 1)->norm, ",") == 0;
}

static void copy_args(dy_frame_arg *dst, int *nd, const dy_frame_arg *src,
                      int ns, const tree *t)
{
  int i;
  for (i = 0; i < ns; i++)
    add_arg(dst, nd, src[i].tok, src[i].link, 1, t);
}

/* "Iraq's national security advisor met with Syrian President Assad": a
 * sentence whose root is a noun with a participle on it and no verb of its
 * own is a misparse of a past verb (the tagger read "met" as VBN). With no
 * auxiliary and no by-agent the participle is the main verb, active, and
 * the noun its subject. */
static int root_noun_verb(const tree *t, const dy_frame *f)
{
  int32_t p = f->pred, h = tk(t, p)->head;
  int i;
  if (!in_range(t, h) || tk(t, h)->dep != DY_DEP_ROOT || h > p ||
      (tk(t, h)->upos != DY_UPOS_NOUN && tk(t, h)->upos != DY_UPOS_PROPN) ||
      kid_with(t, h, DY_DEP_COP) >= 0 || kid_with_base(t, p, DY_DEP_AUX) >= 0 ||
      f->nagent > 0)
    return 0;
  for (i = 0; i < f->nobl; i++)
    if (f->obl[i].link >= 0 && strcmp(lem(t, f->obl[i].link), "by") == 0)
      return 0;
  return 1;
}

/* "jailed a student for helping young militants join a group": a verb
 * conjunct with no coordinating word (no cc on it or on a later conjunct of
 * the same head) and no comma before it is a misparse of an embedded verb;
 * it shares no subject with the verb it hangs on. */
static int bare_conj(const tree *t, int32_t p)
{
  int32_t h = tk(t, p)->head;
  if (after_comma(t, p) || kid_with(t, p, DY_DEP_CC) >= 0)
    return 0;
  /* UD v1 and converted trees hang the cc on the first conjunct */
  KIDS(t, h, k) if (k < p && tk(t, k)->dep == DY_DEP_CC) return 0;
  KIDS(t, h, k) if (k > p && tk(t, k)->dep == DY_DEP_CONJ &&
                    kid_with(t, k, DY_DEP_CC) >= 0) return 0;
  return 1;
}

static void inherit(const tree *t, dy_frame *fr, int fi)
{
  dy_frame *f = &fr[fi];
  int32_t p = f->pred, h = tk(t, p)->head;
  int dep = tk(t, p)->dep;
  int base = dy_dep_base(dep);
  dy_frame *g = f->parent >= 0 ? &fr[f->parent] : NULL;
  int direct = g && g->pred == h; /* the parent is the head itself */
  /* ", seeking to mend ties", ", offering support to Lebanon": a trailing
     participle after a comma is background to the clause; PETRARCH-2 (and
     the coders of its gold) code no event from it, so it inherits no
     subject (a subject of its own still counts) */
  int trailing = after_comma(t, p) && tk(t, p)->xpos == DY_XPOS_VBG &&
                 (dep == DY_DEP_XCOMP || dep == DY_DEP_ADVCL ||
                  dep == DY_DEP_ACL) && kid_with(t, p, DY_DEP_MARK) < 0;

  /* a missing subject */
  if (f->nsubj == 0 && f->kind != DY_FRAME_NOMINAL && !trailing) {
    if (direct && dep == DY_DEP_XCOMP) {
      /* ", offering support": a participle after a comma is adverbial */
      int adverbial = after_comma(t, p) && tk(t, p)->xpos == DY_XPOS_VBG;
      if (g->nobj > 0 && g->kind == DY_FRAME_VERB && !adverbial)
        copy_args(f->subj, &f->nsubj, g->obj, g->nobj, t);
      else
        copy_args(f->subj, &f->nsubj, g->subj, g->nsubj, t);
    } else if (dep == DY_DEP_XCOMP && in_range(t, h)) {
      /* "is about to restore": the head is no predicate of ours */
      KIDS(t, h, k) if (dy_dep_base(tk(t, k)->dep) == DY_DEP_NSUBJ &&
                        !in_list(tk(t, k)->norm, time_words))
      {
        add_arg(f->subj, &f->nsubj, k, -1, 1, t);
        KIDS(t, k, q) if (tk(t, q)->dep == DY_DEP_CONJ)
            add_arg(f->subj, &f->nsubj, q, -1, 1, t);
      }
      if (f->nsubj == 0 && g)
        copy_args(f->subj, &f->nsubj, g->subj, g->nsubj, t);
    } else if (direct && dep == DY_DEP_CONJ && !bare_conj(t, p)) {
      copy_args(f->subj, &f->nsubj, g->subj, g->nsubj, t);
      if (f->passive == 0 && kid_with_base(t, p, DY_DEP_AUX) < 0)
        f->passive = g->passive;
    } else if (direct && dep == DY_DEP_ADVCL) {
      int32_t m = kid_with(t, p, DY_DEP_MARK);
      if (m >= 0 && in_list(lem(t, m), prep_marks) && g->nobj > 0 &&
          in_list(g->lemma, charge_verbs))
        copy_args(f->subj, &f->nsubj, g->obj, g->nobj, t);
      else if (tk(t, p)->xpos == DY_XPOS_VBG || tk(t, p)->xpos == DY_XPOS_VBN ||
               m < 0 || in_list(lem(t, m), prep_marks)) {
        /* "…, emphasizing X while pledging Y": past a trailing participle
           to the clause that has a subject */
        const dy_frame *up = g;
        while (up->nsubj == 0 && up->parent >= 0)
          up = &fr[up->parent];
        copy_args(f->subj, &f->nsubj, up->subj, up->nsubj, t);
      }
      if (tk(t, p)->xpos == DY_XPOS_VBN && f->nsubj > 0 &&
          kid_with_base(t, p, DY_DEP_AUX) < 0)
        f->passive = 1;
    }
  }
  /* participles and relative clauses on a noun: "a panel monitoring…",
   * "weapons supplied by Iran", "Russia, which signed…" */
  if ((dep == DY_DEP_ACL || dep == DY_DEP_ACL_RELCL) && in_range(t, h) &&
      !trailing) {
    int i, replaced = 0;
    for (i = 0; i < f->nsubj; i++)
      if (in_list(lem(t, f->subj[i].tok), rel_pronouns)) {
        f->subj[i].tok = h;
        f->subj[i].inherited = 1;
        replaced = 1;
      }
    for (i = 0; i < f->nobj && !replaced; i++)
      if (in_list(lem(t, f->obj[i].tok), rel_pronouns)) {
        f->obj[i].tok = h;
        f->obj[i].inherited = 1;
        replaced = 1;
      }
    if (!replaced && f->nsubj == 0) {
      add_arg(f->subj, &f->nsubj, h, -1, 1, t);
      if (dep == DY_DEP_ACL && tk(t, p)->xpos == DY_XPOS_VBN &&
          !root_noun_verb(t, f))
        f->passive = 1;
    }
  }
  if (g == NULL)
    return;
  /* hedging and negation pass into complements and shared coordinations */
  if (dep == DY_DEP_XCOMP || base == DY_DEP_CCOMP || base == DY_DEP_CSUBJ ||
      (dep == DY_DEP_CONJ && kid_with_base(t, p, DY_DEP_NSUBJ) < 0)) {
    if (g->hedge && !(base == DY_DEP_CCOMP && in_list(g->lemma, speech_verbs) &&
                      !(g->hedge & DY_HEDGE_WORD))) {
      f->hedge |= DY_HEDGE_INHERITED;
      if (f->hedge_tok < 0)
        f->hedge_tok = g->hedge_tok;
    }
    if (g->conditional && !f->conditional) {
      f->conditional = 1;
      f->cond_tok = g->cond_tok;
    }
  }
  if ((dep == DY_DEP_XCOMP ||
       (dep == DY_DEP_CONJ && kid_with_base(t, p, DY_DEP_NSUBJ) < 0 &&
        kid_with_base(t, p, DY_DEP_AUX) < 0)) &&
      g->negated && !f->negated) {
    f->negated = 1;
    f->neg_tok = g->neg_tok;
  }
  /* reported speech: "X said (that) …", "accused Y of …", and direct
   * quotes where the speech verb hangs off the quoted clause */
  if (direct && (base == DY_DEP_CCOMP || dep == DY_DEP_ADVCL) &&
      (in_list(g->lemma, speech_verbs) ||
       (dep == DY_DEP_ADVCL && in_list(g->lemma, charge_verbs)))) {
    int32_t m = kid_with(t, p, DY_DEP_MARK);
    if (base == DY_DEP_CCOMP || (m >= 0 && in_list(lem(t, m), prep_marks))) {
      f->reported = 1;
      f->speech = f->parent;
      f->speaker = g->nsubj > 0 ? g->subj[0].tok : -1;
    }
  }
  if (!f->reported && g->reported &&
      (dep == DY_DEP_CONJ || dep == DY_DEP_XCOMP || base == DY_DEP_CCOMP ||
       dep == DY_DEP_ADVCL)) {
    f->reported = 1;
    f->speech = g->speech;
    f->speaker = g->speaker;
  }
}

/* Direct quotes: "…," Lukin said. The speech verb is a parataxis (or ccomp
 * turned around) child of the quoted clause's verb. */
static void speech_children(const tree *t, dy_frame *fr, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    dy_frame *f = &fr[i];
    KIDS(t, f->pred, k)
    {
      int fk;
      if (tk(t, k)->dep != DY_DEP_PARATAXIS)
        continue;
      fk = t->frame_of[k - (int32_t)t->lo];
      if (fk < 0 || !in_list(fr[fk].lemma, speech_verbs))
        continue;
      f->reported = 1;
      f->speech = fk;
      f->speaker = fr[fk].nsubj > 0 ? fr[fk].subj[0].tok : -1;
    }
  }
}

/* ---- driver ------------------------------------------------------------ */

int dy_frames_build(const dy_article *art, const dy_sentence *s, dy_arena *a,
                    dy_frame **out, size_t *n)
{
  tree t;
  dy_frame *fr;
  size_t nf = 0, i;
  int *order, *depth;
  uint32_t k;
  int parsed = 0;

  *out = NULL;
  *n = 0;
  for (k = 0; k < s->ntok; k++)
    if (art->toks[s->tok + k].dep != 0)
      parsed = 1;
  if (!parsed || s->ntok == 0)
    return DY_OK;
  if (build_tree(&t, art, s, a) != DY_OK)
    return DY_ENOMEM;
  fr = dy_arena_zalloc(a, s->ntok * sizeof *fr);
  order = dy_arena_alloc(a, s->ntok * sizeof *order);
  depth = dy_arena_alloc(a, s->ntok * sizeof *depth);
  if (fr == NULL || order == NULL || depth == NULL)
    return DY_ENOMEM;

  for (k = 0; k < s->ntok; k++) {
    int32_t p = (int32_t)(s->tok + k);
    int kind = pred_kind(&t, p);
    if (!kind)
      continue;
    fr[nf].kind = kind;
    fr[nf].pred = p;
    t.frame_of[k] = (int)nf;
    fill_own(&t, &fr[nf]);
    nf++;
  }
  /* parents (nearest predicate above) and depth, bounded against cycles */
  for (i = 0; i < nf; i++) {
    int32_t h = art->toks[fr[i].pred].head;
    int steps = 0;
    depth[i] = 0;
    while (in_range(&t, h) && steps++ < (int)s->ntok) {
      int fi = t.frame_of[h - (int32_t)t.lo];
      if (fi >= 0 && fr[i].parent < 0)
        fr[i].parent = fi;
      if (fi >= 0)
        depth[i]++;
      h = art->toks[h].head;
    }
    if (steps >= (int)s->ntok) /* a cycle: treat as a root */
      fr[i].parent = -1, depth[i] = 0;
    order[i] = (int)i;
  }
  /* parent-first: stable insertion sort by depth (sentences are short) */
  for (i = 1; i < nf; i++) {
    int v = order[i];
    size_t j = i;
    while (j > 0 && depth[order[j - 1]] > depth[v]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = v;
  }
  speech_children(&t, fr, nf);
  for (i = 0; i < nf; i++)
    inherit(&t, fr, order[i]);
  *out = fr;
  *n = nf;
  return DY_OK;
}

/* ---- description ------------------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t cap, n;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
  if (b->n < b->cap) {
    size_t room = b->cap - b->n;
    memcpy(b->p + b->n, s, n < room ? n : room);
  }
  b->n += n;
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_tok(sbuf *b, const dy_article *art, int32_t i)
{
  if (i < 0 || (size_t)i >= art->ntoks) {
    puts_(b, "-");
    return;
  }
  put(b, art->text + art->toks[i].off, art->toks[i].len);
}

static void put_args(sbuf *b, const dy_article *art, const char *name,
                     const dy_frame_arg *v, int n)
{
  int i;
  if (n == 0)
    return;
  puts_(b, " ");
  puts_(b, name);
  puts_(b, "=[");
  for (i = 0; i < n; i++) {
    if (i)
      puts_(b, ",");
    if (v[i].link >= 0) {
      put_tok(b, art, v[i].link);
      puts_(b, ":");
    }
    put_tok(b, art, v[i].tok);
    if (v[i].inherited)
      puts_(b, "^");
  }
  puts_(b, "]");
}

size_t dy_frame_describe(const dy_article *art, const dy_frame *f, char *buf,
                         size_t cap)
{
  sbuf b = {buf, cap ? cap - 1 : 0, 0};
  puts_(&b, f->lemma ? f->lemma : "?");
  if (f->prt >= 0) {
    puts_(&b, "_");
    put_tok(&b, art, f->prt);
  }
  if (f->kind == DY_FRAME_COPULA)
    puts_(&b, " (copula)");
  else if (f->kind == DY_FRAME_NOMINAL)
    puts_(&b, " (nominal)");
  if (f->passive)
    puts_(&b, " (passive)");
  if (f->poss.tok >= 0)
    put_args(&b, art, "poss", &f->poss, 1);
  put_args(&b, art, "subj", f->subj, f->nsubj);
  put_args(&b, art, "obj", f->obj, f->nobj);
  put_args(&b, art, "iobj", f->iobj, f->niobj);
  put_args(&b, art, "obl", f->obl, f->nobl);
  put_args(&b, art, "agent", f->agent, f->nagent);
  if (f->negated)
    puts_(&b, " NEG");
  if (f->hedge) {
    puts_(&b, " HEDGED(");
    put_tok(&b, art, f->hedge_tok);
    puts_(&b, ")");
  }
  if (f->conditional) {
    puts_(&b, " COND(");
    put_tok(&b, art, f->cond_tok);
    puts_(&b, ")");
  }
  if (f->reported) {
    puts_(&b, " REPORTED(");
    put_tok(&b, art, f->speaker);
    puts_(&b, ")");
  }
  if (cap)
    buf[b.n < cap ? b.n : cap - 1] = '\0';
  return b.n;
}
