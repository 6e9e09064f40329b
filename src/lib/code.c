/* SPDX-License-Identifier: MIT */
/* The first event coder: actor mentions by longest dictionary match,
 * composite actors (country + agent + person), lists joined by "and",
 * verb patterns anchored on a head verb, the subject as source, and explicit
 * refusals: negation, modality, conditionals, questions, passives and noun
 * uses code nothing. Every event keeps the entries that built it. */
#include "engine_int.h"
#include "dyad/frame.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

typedef struct match {
  uint32_t tok;      /* first token */
  uint32_t ntok;     /* tokens */
  const lx_name *nm; /* dictionary name */
} match;

typedef struct mention {
  uint32_t tok;  /* first token */
  uint32_t end;  /* one past the last token */
  int poss;      /* followed by 's (a possessor) */
  int person;    /* built from a person's name */
  dy_actor a;    /* resolved actor */
} mention;

typedef struct group {
  int m0;       /* first mention */
  int nm;       /* mentions */
  uint32_t tok; /* first token */
  uint32_t end; /* one past the last token */
} group;

/* A surname seen in this document after the full name. */
typedef struct surname {
  const char *norm;  /* normalised token */
  const lx_name *nm; /* the full-name entry */
} surname;

typedef struct coder {
  dy_doc *d;
  const dy_engine *e;
  const dy_article *art;
  long day;          /* article date as a day number, -1 unknown */
  surname *sn;       /* surnames */
  size_t nsn, capsn;
  match *mt;         /* per-sentence scratch */
  mention *mn;
  group *gr;
  int *grp_at;       /* token → group starting there, -1 */
  int *in_grp;       /* token → group covering it, -1 */
  size_t ntokcap;
  /* the last actors seen, for pronouns ("he", "it", "they") */
  dy_actor last_person, last_other;
  int have_person, have_other;
  /* the subject of the previous sentence, which a pronoun subject most
     likely continues ("Pakistan's committee met … It expelled …") */
  dy_actor subj_person, subj_other;
  int have_subj_person, have_subj_other;
  const char *issues; /* issue codes of the sentence being coded */
  int frame_refused;  /* a frame of the sentence was negated or hedged */
  int role_only;      /* a role word alone may name an actor (---MIL) */
  struct actors *roles; /* source and target lists of the frame coded */
  int hedged_now;     /* the frame being coded is hedged (--include-hedged) */
  int gap_no_verb;    /* a pattern's gap may not hold a verb (fallback) */
  int trust_parse;    /* the sentence's parse is sane: a verb at its root */
} coder;

/* ---- word sets --------------------------------------------------------- */

static int in_set(const char *w, const char *const *set)
{
  int i;
  for (i = 0; set[i]; i++)
    if (strcmp(w, set[i]) == 0)
      return 1;
  return 0;
}

static const char *const determiners[] = {
    "a",   "an",  "the",  "this",  "that", "these", "those", "its", "his",
    "her", "their", "our", "my",   "your", "'s",    "no",    "any", "every",
    "each", "new", NULL};

static const char *const boundaries[] = {
    ";",     ":",       "that",  "which",   "who",    "whom",   "whose",
    "while", "whereas", "although", "though", "because", "but", "if",
    "unless", "when",   "after", "before",  "where",  "whether", "\"",
    "\xe2\x80\x9c", "\xe2\x80\x9d", "(", ")", "--", "\xe2\x80\x94", NULL};

static const char *const prepositions[] = {
    "of",     "with",   "to",     "from",    "for",     "against", "by",
    "in",     "on",     "at",     "into",    "toward",  "towards", "over",
    "about",  "between", "among", "including", "like",  "despite", "than",
    "via",    "amid",   "under",  "near",    "across",  "through", "without",
    "within", "upon",   "onto",   "behind",  "beyond",  "around",  NULL};

static const char *const hedges[] = {
    "not",      "never",   "no",       "could",    "might",    "may",
    "would",    "should",  "will",     "'ll",      "shall",    "must",
    "can",      "cannot",  "likely",   "unlikely", "potential", "potentially",
    "possible", "possibly", "perhaps", "maybe",    "expected", "plans",
    "plan",     "planned", "planning", "intends",  "intend",   "intended",
    "wants",    "want",    "wanted",   "hopes",    "hope",     "hoped",
    "seeks",    "seek",    "sought",   "refuses",  "refused",  "failed",
    "fails",    "to",      "if",       "unless",   "whether",  "neither",
    "nor",      "threatens", "threatened", "vowed", "vows", "pledged",
    "pledges",  "promised", "promises", "ready",   "prepared", "aims",
    "aimed",    "considering", "considers", "mulling", "weighing", NULL};

static const char *const be_forms[] = {"is",   "are",  "was",   "were",
                                       "be",   "been", "being", "am",
                                       "get",  "got",  "gets",  NULL};

static const char *const separators[] = {",", "and", "or", "&", NULL};

static const char *const east_asian_surnames[] = {
    "kim",  "lee",  "park", "moon", "yoon", "choe", "choi", "roh", "chun",
    "xi",   "li",   "hu",   "wen",  "wang", "zhou", "jiang", "zhu", "han",
    "nguyen", "tran", "pham", "vo", "hun",  NULL};

static int has_negation_suffix(const char *w)
{
  size_t n = strlen(w);
  return n >= 3 && strcmp(w + n - 3, "n't") == 0;
}

/* ---- actor mentions ---------------------------------------------------- */

static int tok_upperish(const dy_token *t)
{
  return (t->flags & DY_TOK_UPPER) != 0;
}

/* Longest dictionary name starting at token t (before end), or NULL. */
static const lx_name *match_at(const coder *c, uint32_t t, uint32_t end)
{
  const dy_token *tk = &c->art->toks[t];
  const lx_name *nm;
  size_t i;
  if (!(tk->flags & DY_TOK_WORD))
    return NULL;
  nm = dy__map_get(&c->e->names, tk->norm, strlen(tk->norm));
  for (; nm; nm = nm->next) {
    int k, ok = 1;
    if (t + (uint32_t)nm->ntok > end)
      continue;
    for (k = 0; k < nm->ntok && ok; k++) {
      const dy_token *x = &c->art->toks[t + (uint32_t)k];
      if (strcmp(x->norm, nm->toks[k]) != 0 ||
          (nm->exact && (x->flags & DY_TOK_WORD) && !tok_upperish(x)))
        ok = 0;
    }
    if (ok && nm->cap && !(tk->flags & DY_TOK_CAP))
      ok = 0;
    if (ok)
      return nm;
  }
  /* a surname of a person named in full earlier in the document */
  if (tk->flags & DY_TOK_CAP) {
    for (i = 0; i < c->nsn; i++)
      if (strcmp(c->sn[i].norm, tk->norm) == 0)
        return c->sn[i].nm;
  }
  return NULL;
}

static int add_surname(coder *c, const char *norm, const lx_name *nm)
{
  size_t i;
  for (i = 0; i < c->nsn; i++)
    if (strcmp(c->sn[i].norm, norm) == 0)
      return DY_OK;
  if (c->nsn == c->capsn) {
    size_t nc = c->capsn ? c->capsn * 2 : 16;
    c->sn = dy_arena_grow(&c->d->mem, c->sn, c->capsn * sizeof *c->sn,
                          nc * sizeof *c->sn);
    if (c->sn == NULL)
      return DY_ENOMEM;
    c->capsn = nc;
  }
  c->sn[c->nsn].norm = norm;
  c->sn[c->nsn].nm = nm;
  c->nsn++;
  return DY_OK;
}

/* After a full-name person match, remember the surname (last token; the
 * first token for East Asian name order). */
static int learn_surname(coder *c, const match *m)
{
  const lx_name *nm = m->nm;
  const char *first = nm->toks[0], *last = nm->toks[nm->ntok - 1];
  if (nm->kind != LX_PERSON || nm->ntok < 2)
    return DY_OK;
  if (in_set(first, east_asian_surnames))
    return add_surname(c, first, nm);
  if (strlen(last) < 3)
    return DY_OK;
  return add_surname(c, last, nm);
}

enum { SLOT_COUNTRY = 1, SLOT_AGENT = 2, SLOT_PERSON = 4, SLOT_ORG = 8 };

static int slot_of(int kind)
{
  switch (kind) {
  case LX_PERSON:
    return SLOT_PERSON;
  case LX_IGO:
  case LX_GROUP:
    return SLOT_ORG;
  case LX_AGENT:
    return SLOT_AGENT;
  default:
    return SLOT_COUNTRY;
  }
}

/* A dated entry whose codes are all bare country codes (PETRARCH writes
 * states as "UKRAINE [USRUKR <910824] [UKR >911221]") is a country, not a
 * person. */
static const lx_role *role_at(const lx_person *p, long day, int *in_role);

static int dated_country(const coder *c, const lx_name *nm)
{
  const lx_role *r;
  int in_role;
  if (nm->kind != LX_PERSON)
    return 0;
  r = role_at(&c->e->people[nm->idx], c->day, &in_role);
  return r != NULL && strlen(r->code) == 3;
}

static int match_slot(const coder *c, const match *m)
{
  if (dated_country(c, m->nm))
    return SLOT_COUNTRY;
  return slot_of(m->nm->kind);
}

/* Can a match in slot s extend a mention whose slots are `have`? */
static int compatible(int have, int s)
{
  if (s == SLOT_COUNTRY || s == SLOT_ORG)
    return 0;
  if (s == SLOT_AGENT)
    return !(have & SLOT_PERSON);
  return !(have & SLOT_PERSON); /* person after country/agent/org */
}

static void set_code(dy_actor *a, const char *code)
{
  size_t n = strlen(code);
  if (n >= sizeof a->code)
    n = sizeof a->code - 1;
  memcpy(a->code, code, n);
  a->code[n] = '\0';
  if (strncmp(code, "IGO", 3) == 0) {
    memcpy(a->country, "IGO", 4);
  } else if (n >= 3) {
    memcpy(a->country, code, 3);
    a->country[3] = '\0';
  }
  if (n >= 6) {
    memcpy(a->role, code + 3, 3);
    a->role[3] = '\0';
  } else {
    a->role[0] = '\0';
  }
}

static void add_ev(dy_actor *a, const coder *c, const match *m,
                   const char *what, int line)
{
  const dy_token *t0 = &c->art->toks[m->tok];
  const dy_token *t1 = &c->art->toks[m->tok + m->ntok - 1];
  dy_evidence *ev;
  if (a->nev >= DY_ACTOR_MAX_EVIDENCE)
    return;
  ev = &a->ev[a->nev++];
  ev->off = t0->off;
  ev->len = t1->off + t1->len - t0->off;
  ev->what = what;
  ev->file = m->nm->file;
  ev->line = line;
}

/* Picks the person's role at the article date (day < 0: unknown, take the
 * latest role). *in_role says whether the date falls inside it. */
static const lx_role *role_at(const lx_person *p, long day, int *in_role)
{
  const lx_role *best = NULL;
  int i;
  *in_role = 0;
  if (p->nroles == 0)
    return NULL;
  if (day < 0) {
    best = &p->roles[0];
    for (i = 1; i < p->nroles; i++)
      if (p->roles[i].to > best->to)
        best = &p->roles[i];
    *in_role = best->to == LONG_MAX;
    return best;
  }
  for (i = 0; i < p->nroles; i++) {
    if (day >= p->roles[i].from && day <= p->roles[i].to) {
      *in_role = 1;
      return &p->roles[i];
    }
  }
  for (i = 0; i < p->nroles; i++)
    if (p->roles[i].to < day && (best == NULL || p->roles[i].to > best->to))
      best = &p->roles[i];
  return best ? best : &p->roles[0];
}

/* Resolves matches mt[i0..i1) into one actor; returns 0 if unresolved. */
static int resolve(coder *c, const match *mt, int i0, int i1, dy_actor *a)
{
  const dy_engine *e = c->e;
  const match *country = NULL, *agent = NULL, *person = NULL, *org = NULL;
  int i;
  memset(a, 0, sizeof *a);
  for (i = i0; i < i1; i++) {
    int s = match_slot(c, &mt[i]);
    if (s == SLOT_COUNTRY && !country)
      country = &mt[i];
    else if (s == SLOT_AGENT && !agent)
      agent = &mt[i];
    else if (s == SLOT_PERSON && !person)
      person = &mt[i];
    else if (s == SLOT_ORG && !org)
      org = &mt[i];
  }
  {
    const dy_token *t0 = &c->art->toks[mt[i0].tok];
    const dy_token *t1 = &c->art->toks[mt[i1 - 1].tok + mt[i1 - 1].ntok - 1];
    a->off = t0->off;
    a->len = t1->off + t1->len - t0->off;
  }
  for (i = i0; i < i1; i++)
    if (&mt[i] != person)
      add_ev(a, c, &mt[i], mt[i].nm->what, mt[i].nm->line);
  if (person) {
    const lx_person *p = &e->people[person->nm->idx];
    int in_role;
    const lx_role *r = role_at(p, c->day, &in_role);
    char buf[320];
    const char *what;
    if (r == NULL)
      return 0;
    if (in_role) {
      set_code(a, r->code);
      snprintf(buf, sizeof buf, "person %s as %s (%s)", p->name, r->code,
               r->desc);
    } else {
      char elite[24];
      snprintf(elite, sizeof elite, "%.3sELI", r->code);
      set_code(a, strncmp(r->code, "IGO", 3) == 0 ? r->code : elite);
      snprintf(buf, sizeof buf, "person %s, out of office (%s: %s)", p->name,
               r->code, r->desc);
    }
    what = dy_arena_strndup(&c->d->mem, buf, strlen(buf));
    if (what == NULL)
      return 0;
    add_ev(a, c, person, what, r->line);
    a->name = p->name;
    return 1;
  }
  if (org) {
    const lx_actor *x = &e->actors[org->nm->idx];
    char code[48];
    const char *role = agent ? e->agents[agent->nm->idx].code : "";
    size_t n = strlen(x->code), r = strlen(role);
    /* "UN troops": the organisation with the agent's role (IGOUNOMIL),
       unless the code already ends with it */
    if (r && n >= r && strcmp(x->code + n - r, role) == 0)
      role = "";
    snprintf(code, sizeof code, "%s%s", x->code, role);
    set_code(a, code);
    if (x->country[0] && strcmp(x->country, "IGO") != 0)
      memcpy(a->country, x->country, 4);
    a->name = x->name;
    return 1;
  }
  if (country) {
    char code[48];
    const char *role = NULL, *base, *name;
    if (country->nm->kind == LX_PERSON) { /* a dated country entry */
      const lx_person *p = &e->people[country->nm->idx];
      int in_role;
      const lx_role *r = role_at(p, c->day, &in_role);
      if (r == NULL)
        return 0;
      base = r->code;
      name = p->name;
    } else {
      const lx_actor *x = &e->actors[country->nm->idx];
      base = x->code;
      name = x->name;
    }
    if (agent)
      role = e->agents[agent->nm->idx].code;
    else if (country->nm->kind == LX_SEAT || country->nm->kind == LX_CAPITAL)
      role = "GOV";
    snprintf(code, sizeof code, "%s%s", base, role ? role : "");
    set_code(a, code);
    a->name = name;
    return 1;
  }
  return 0; /* an agent alone: no country to attach it to */
}

/* ---- per-sentence analysis -------------------------------------------- */

static int ensure_scratch(coder *c, size_t ntok)
{
  dy_arena *m = &c->d->mem;
  if (ntok <= c->ntokcap)
    return DY_OK;
  c->ntokcap = ntok;
  c->mt = dy_arena_alloc(m, ntok * sizeof *c->mt);
  c->mn = dy_arena_alloc(m, ntok * sizeof *c->mn);
  c->gr = dy_arena_alloc(m, ntok * sizeof *c->gr);
  c->grp_at = dy_arena_alloc(m, ntok * sizeof *c->grp_at);
  c->in_grp = dy_arena_alloc(m, ntok * sizeof *c->in_grp);
  if (!c->mt || !c->mn || !c->gr || !c->grp_at || !c->in_grp)
    return DY_ENOMEM;
  return DY_OK;
}

typedef struct sent {
  uint32_t t0, t1; /* token range */
  int nmt, nmn, ngr;
} sent;

static const char *norm_at(const coder *c, uint32_t t)
{
  return c->art->toks[t].norm;
}

static int find_mentions(coder *c, sent *s)
{
  uint32_t t = s->t0;
  int i, rc;
  s->nmt = s->nmn = s->ngr = 0;
  if (c->mt == NULL || c->mn == NULL || c->gr == NULL)
    return DY_ENOMEM;
  while (t < s->t1) {
    const lx_name *nm = match_at(c, t, s->t1);
    if (nm == NULL) {
      t++;
      continue;
    }
    c->mt[s->nmt].tok = t;
    c->mt[s->nmt].ntok = (uint32_t)nm->ntok;
    c->mt[s->nmt].nm = nm;
    if (nm->kind == LX_PERSON && (rc = learn_surname(c, &c->mt[s->nmt])) < 0)
      return rc;
    /* a surname-only match spans one token even though nm is longer */
    if (strcmp(norm_at(c, t), nm->toks[0]) != 0 || nm->ntok == 1 ||
        t + (uint32_t)nm->ntok > s->t1 ||
        strcmp(norm_at(c, t + (uint32_t)nm->ntok - 1),
               nm->toks[nm->ntok - 1]) != 0)
      c->mt[s->nmt].ntok = 1;
    t += c->mt[s->nmt].ntok;
    s->nmt++;
  }
  /* merge adjacent compatible matches into mentions */
  for (i = 0; i < s->nmt;) {
    int j = i + 1, have = match_slot(c, &c->mt[i]);
    uint32_t end = c->mt[i].tok + c->mt[i].ntok;
    while (j < s->nmt) {
      uint32_t gap_end = c->mt[j].tok;
      int adjacent = gap_end == end ||
                     (gap_end == end + 1 && strcmp(norm_at(c, end), "'s") == 0);
      if (!adjacent || !compatible(have, match_slot(c, &c->mt[j])))
        break;
      have |= match_slot(c, &c->mt[j]);
      end = c->mt[j].tok + c->mt[j].ntok;
      j++;
    }
    {
      mention *m = &c->mn[s->nmn];
      if (resolve(c, c->mt, i, j, &m->a)) {
        int k;
        m->person = 0;
        for (k = i; k < j; k++)
          if (match_slot(c, &c->mt[k]) == SLOT_PERSON)
            m->person = 1;
        m->tok = c->mt[i].tok;
        m->end = end;
        m->poss = end < s->t1 && strcmp(norm_at(c, end), "'s") == 0;
        s->nmn++;
      }
    }
    if (c->d->mem.failed)
      return DY_ENOMEM;
    i = j;
  }
  /* lists: m (, m)* (,)? and|or m */
  for (i = 0; i < s->nmn;) {
    int j = i, last_has_conj = 0;
    while (j + 1 < s->nmn) {
      uint32_t k = c->mn[j].end, e2 = c->mn[j + 1].tok;
      int conj = 0;
      if (k >= e2 || c->mn[j].poss)
        break;
      for (; k < e2; k++) {
        if (!in_set(norm_at(c, k), separators))
          break;
        if (strcmp(norm_at(c, k), "and") == 0 ||
            strcmp(norm_at(c, k), "or") == 0)
          conj = 1;
      }
      if (k < e2)
        break;
      last_has_conj = conj;
      j++;
    }
    if (j > i && !last_has_conj)
      j = i; /* commas only: an apposition, not a list */
    c->gr[s->ngr].m0 = i;
    c->gr[s->ngr].nm = j - i + 1;
    c->gr[s->ngr].tok = c->mn[i].tok;
    c->gr[s->ngr].end = c->mn[j].end;
    s->ngr++;
    i = j + 1;
  }
  for (t = s->t0; t < s->t1; t++)
    c->grp_at[t - s->t0] = c->in_grp[t - s->t0] = -1;
  for (i = 0; i < s->ngr; i++) {
    c->grp_at[c->gr[i].tok - s->t0] = i;
    for (t = c->gr[i].tok; t < c->gr[i].end; t++)
      c->in_grp[t - s->t0] = i;
  }
  return DY_OK;
}

/* ---- pattern matching -------------------------------------------------- */

typedef struct pmatch {
  int target;      /* group bound by $, -1 */
  uint32_t gap0;   /* first gap token range (for implicit targets) */
  uint32_t gap1;
  uint32_t end;    /* one past the last matched token */
} pmatch;

static int lit_at(const coder *c, const sent *s, uint32_t t, const char **alt,
                  int stem, uint32_t *next)
{
  int k;
  for (k = 0; alt[k]; k++) {
    const char *w, *x;
    size_t n;
    if (t + (uint32_t)k >= s->t1)
      return 0;
    w = norm_at(c, t + (uint32_t)k);
    x = alt[k];
    n = strlen(x);
    if (strcmp(w, x) == 0)
      continue;
    if (stem && n >= 5 && strncmp(w, x, n) == 0)
      continue;
    if (strncmp(w, x, n) == 0 &&
        (strcmp(w + n, "s") == 0 || strcmp(w + n, "es") == 0))
      continue;
    if (n > 1 && x[n - 1] == 'y' && strncmp(w, x, n - 1) == 0 &&
        strcmp(w + n - 1, "ies") == 0)
      continue;
    return 0;
  }
  *next = t + (uint32_t)k;
  return 1;
}

static int match_from(const coder *c, const sent *s, const lx_pattern *pt,
                      int ei, uint32_t t, pmatch *pm)
{
  const lx_elem *el;
  if (ei == pt->nel) {
    pm->end = t;
    return 1;
  }
  el = &pt->el[ei];
  switch (el->type) {
  case PE_LIT: {
    int a;
    for (a = 0; a < el->nalt; a++) {
      uint32_t next;
      if (lit_at(c, s, t, el->alts[a], el->stem, &next) &&
          match_from(c, s, pt, ei + 1, next, pm))
        return 1;
    }
    return 0;
  }
  case PE_GAP: {
    uint32_t g;
    for (g = 0; g <= 6 && t + g <= s->t1; g++) {
      if (g > 0 && strcmp(norm_at(c, t + g - 1), ";") == 0)
        break;
      /* the surface fallback on a parsed sentence: the words a pattern
         skips belong to the verb's own phrase, not to another verb's
         clause ("said such a step enjoyed support") */
      if (g > 0 && c->gap_no_verb &&
          c->art->toks[t + g - 1].upos == DY_UPOS_VERB)
        break;
      if (match_from(c, s, pt, ei + 1, t + g, pm)) {
        if (pm->gap1 == pm->gap0) {
          pm->gap0 = t;
          pm->gap1 = t + g;
        }
        return 1;
      }
    }
    return 0;
  }
  case PE_TARGET: {
    uint32_t u = t;
    while (u < s->t1 && c->grp_at[u - s->t0] < 0 &&
           in_set(norm_at(c, u), determiners) &&
           strcmp(norm_at(c, u), "'s") != 0)
      u++;
    if (u < s->t1 && c->grp_at[u - s->t0] >= 0) {
      int g = c->grp_at[u - s->t0];
      if (match_from(c, s, pt, ei + 1, c->gr[g].end, pm)) {
        pm->target = g;
        return 1;
      }
    }
    return 0;
  }
  default:
    return 0;
  }
}

/* ---- the clause around a verb ------------------------------------------ */

/* The subject: nearest list before the verb in its clause that is not the
 * object of a preposition or a possessor. -1 when none. Sets *hedged when a
 * negation or modal stands between it and the verb. */
static int find_source(const coder *c, const sent *s, uint32_t v, int *hedged)
{
  uint32_t t = v;
  *hedged = 0;
  while (t > s->t0) {
    int g;
    t--;
    g = c->in_grp[t - s->t0];
    if (g >= 0) {
      const group *gr = &c->gr[g];
      uint32_t before = gr->tok;
      const mention *last = &c->mn[gr->m0 + gr->nm - 1];
      while (before > s->t0 && in_set(norm_at(c, before - 1), determiners) &&
             strcmp(norm_at(c, before - 1), "'s") != 0)
        before--;
      if (!last->poss &&
          (before == s->t0 || !in_set(norm_at(c, before - 1), prepositions)))
        return g;
      t = gr->tok;
      continue;
    }
    if (in_set(norm_at(c, t), boundaries))
      return -1;
    if (in_set(norm_at(c, t), hedges) || has_negation_suffix(norm_at(c, t)))
      *hedged = 1;
  }
  return -1;
}

static const char *const subj_pronouns[] = {"he", "she", "it", "they",
                                            "we", "i", "you", NULL};

static int is_verbish(const coder *c, uint32_t t)
{
  const char *w = norm_at(c, t);
  static const char *const aux[] = {"has",  "have", "had",   "is",   "are",
                                    "was",  "were", "will",  "would", "could",
                                    "said", "says", "did",   "does", "do",
                                    "may",  "might", "should", "can", NULL};
  const lx_form *f;
  if (in_set(w, aux))
    return 1;
  f = dy__map_get(&c->e->forms, w, strlen(w));
  for (; f; f = f->next)
    if (!f->base)
      return 1;
  return 0;
}

/* Has verb v (parsed) a subject of its own that is a plain noun, neither
 * an actor nor a pronoun ("such a step enjoyed …")? */
static int has_noun_subject(const coder *c, const sent *s, uint32_t v)
{
  uint32_t k;
  for (k = s->t0; k < s->t1; k++)
    if (c->art->toks[k].head == (int32_t)v &&
        dy_dep_base(c->art->toks[k].dep) == DY_DEP_NSUBJ &&
        c->in_grp[k - s->t0] < 0 && !in_set(norm_at(c, k), subj_pronouns))
      return 1;
  return 0;
}

/* The target when the pattern has no $: a list inside the matched gap, else
 * the first list after the match in the same clause that is not the subject
 * of a following verb. */
static int find_target(const coder *c, const sent *s, const pmatch *pm)
{
  uint32_t t;
  for (t = pm->gap0; t < pm->gap1; t++)
    if (c->grp_at[t - s->t0] >= 0)
      return c->grp_at[t - s->t0];
  for (t = pm->end; t < s->t1; t++) {
    int g = c->grp_at[t - s->t0];
    const char *w = norm_at(c, t);
    if (g >= 0) {
      uint32_t after = c->gr[g].end;
      if (after < s->t1 && is_verbish(c, after))
        return -1;
      return g;
    }
    if (strcmp(w, ",") == 0 || in_set(w, boundaries))
      return -1;
    /* parsed: a finite verb with a subject of its own opens another
       clause ("said such a step enjoyed support from Moscow"; not "called
       for aid to reach Gaza") */
    if (c->trust_parse && c->art->toks[t].upos == DY_UPOS_VERB &&
        (c->art->toks[t].xpos == DY_XPOS_VBD ||
         c->art->toks[t].xpos == DY_XPOS_VBZ ||
         c->art->toks[t].xpos == DY_XPOS_VBP) &&
        has_noun_subject(c, s, t))
      return -1;
  }
  return -1;
}

/* The pattern's words before the verb (PETRARCH) stand, in order, between
 * the sentence start and the verb v. */
static int pre_ok(const coder *c, const sent *s, const lx_pattern *pt,
                  uint32_t v)
{
  int i = pt->npre - 1;
  uint32_t t = v;
  while (i >= 0) {
    const lx_elem *el = &pt->pre[i];
    int found = 0, a;
    while (!found && t > s->t0) {
      t--;
      for (a = 0; a < el->nalt && !found; a++) {
        uint32_t next;
        found = lit_at(c, s, t, el->alts[a], el->stem, &next) && next <= v;
      }
    }
    if (!found)
      return 0;
    i--;
  }
  return 1;
}

/* Does token t stand alone as a blank-separated word: nothing glued
 * before it (when lead) or after it ("ago," "ago.")? */
static int free_word(const coder *c, const sent *s, uint32_t t, int lead)
{
  const dy_token *x = &c->art->toks[t];
  if (lead)
    return t == s->t0 || c->art->toks[t - 1].off + c->art->toks[t - 1].len <
                             x->off;
  /* a punctuation mark next counts as glued even when the text was rebuilt
     from a parse's leaves with blanks ("ago , a") */
  return t + 1 < s->t1 && c->art->toks[t + 1].off > x->off + x->len &&
         (c->art->toks[t + 1].flags & DY_TOK_WORD);
}

/* A discard phrase occurs in the sentence. PETRARCH-2 matches its discards
 * on the blank-separated words of the text, so there a phrase whose last
 * word carries punctuation ("three years ago, a police officer said") or
 * ends the sentence does not match. */
static const lx_discard *discarded(const coder *c, const sent *s)
{
  uint32_t t;
  if (c->e->discards.n == 0)
    return NULL;
  for (t = s->t0; t < s->t1; t++) {
    const lx_discard *dc = dy__map_get(&c->e->discards, norm_at(c, t),
                                       strlen(norm_at(c, t)));
    for (; dc; dc = dc->next) {
      int k;
      if (t + (uint32_t)dc->ntok > s->t1)
        continue;
      for (k = 0; k < dc->ntok; k++)
        if (strcmp(norm_at(c, t + (uint32_t)k), dc->toks[k]) != 0)
          break;
      if (k == dc->ntok &&
          (!dc->words || (free_word(c, s, t, 1) &&
                          free_word(c, s, t + (uint32_t)dc->ntok - 1, 0))))
        return dc;
    }
  }
  return NULL;
}

/* The issue codes of the sentence, unique, joined by ';' (doc arena; ""
 * when none or out of memory). */
static const char *sentence_issues(coder *c, const sent *s)
{
  char buf[256];
  size_t n = 0;
  uint32_t t;
  buf[0] = '\0';
  if (c->e->issues.n == 0)
    return "";
  for (t = s->t0; t < s->t1; t++) {
    const lx_issue *is = dy__map_get(&c->e->issues, norm_at(c, t),
                                     strlen(norm_at(c, t)));
    for (; is; is = is->next) {
      int k;
      size_t cn = strlen(is->code);
      const char *p;
      if (t + (uint32_t)is->ntok > s->t1)
        continue;
      for (k = 0; k < is->ntok; k++)
        if (strcmp(norm_at(c, t + (uint32_t)k), is->toks[k]) != 0)
          break;
      if (k < is->ntok)
        continue;
      /* already listed? */
      for (p = buf; (p = strstr(p, is->code)) != NULL; p += cn)
        if ((p == buf || p[-1] == ';') && (p[cn] == ';' || p[cn] == '\0'))
          break;
      if (p == NULL && n + cn + 2 < sizeof buf) {
        if (n)
          buf[n++] = ';';
        memcpy(buf + n, is->code, cn + 1);
        n += cn;
      }
    }
  }
  if (n == 0)
    return "";
  {
    char *out = dy_arena_strndup(&c->d->mem, buf, n);
    return out ? out : "";
  }
}

static int sentence_has(const coder *c, const sent *s, uint32_t upto,
                        const char *const *set)
{
  uint32_t t;
  for (t = s->t0; t < upto; t++)
    if (in_set(norm_at(c, t), set))
      return 1;
  return 0;
}

static int push_event(coder *c, const dy_event *ev)
{
  dy_doc *d = c->d;
  size_t i;
  /* events come in sentence order: only this sentence's can repeat it */
  for (i = d->nevents; i-- > 0 && d->events[i].sentence == ev->sentence;) {
    const dy_event *o = &d->events[i];
    if (strcmp(o->code, ev->code) == 0 &&
        strcmp(o->source.code, ev->source.code) == 0 &&
        strcmp(o->target.code, ev->target.code) == 0)
      return DY_OK;
  }
  if (d->nevents == d->capevents) {
    size_t nc = d->capevents ? d->capevents * 2 : 16;
    d->events = dy_arena_grow(&d->mem, d->events,
                              d->capevents * sizeof *d->events,
                              nc * sizeof *d->events);
    if (d->events == NULL)
      return DY_ENOMEM;
    d->capevents = nc;
  }
  d->events[d->nevents] = *ev;
  d->events[d->nevents].issues = c->issues ? c->issues : "";
  d->events[d->nevents].root_event =
      c->art->sents[ev->sentence].para == 0;
  d->events[d->nevents].hedged = c->hedged_now;
  d->nevents++;
  return DY_OK;
}

/* ---- coding from clause frames ----------------------------------------- */

/* Relations a mention may not be reached through when it stands for an
 * argument: another clause, or another conjunct (a separate argument). */
static int clause_dep(int dep)
{
  switch (dep) {
  case DY_DEP_CONJ:
  case DY_DEP_ACL:
  case DY_DEP_ACL_RELCL:
  case DY_DEP_ADVCL:
  case DY_DEP_ADVCL_RELCL:
  case DY_DEP_CCOMP:
  case DY_DEP_XCOMP:
  case DY_DEP_PARATAXIS:
  case DY_DEP_CSUBJ:
  case DY_DEP_LIST:
    return 1;
  default:
    return 0;
  }
}

/* Tree distance from token x up to a (0 when x == a), -1 when a is not an
 * ancestor reachable without crossing a clause boundary. */
static int dist_up(const coder *c, const sent *s, uint32_t x, uint32_t a)
{
  const dy_token *toks = c->art->toks;
  int steps = 0;
  while (x != a) {
    int32_t h = toks[x].head;
    if (clause_dep(toks[x].dep) || h < (int32_t)s->t0 ||
        h >= (int32_t)s->t1 || steps > (int)(s->t1 - s->t0))
      return -1;
    x = (uint32_t)h;
    steps++;
  }
  return steps;
}

/* The mention that stands for the argument headed by token a: the one that
 * covers a, else the closest one below it in the same phrase. -1 none. */
static uint32_t near(uint32_t t, uint32_t a)
{
  return t > a ? t - a : a - t;
}

static int arg_mention(const coder *c, const sent *s, uint32_t a)
{
  int i, best = -1, bestd = 0;
  for (i = 0; i < s->nmn; i++) {
    const mention *m = &c->mn[i];
    uint32_t t;
    int d = -1;
    if (m->tok <= a && a < m->end)
      return i;
    for (t = m->tok; t < m->end; t++) {
      int dt = dist_up(c, s, t, a);
      /* a name in apposition names the thing itself ("the Somali group
         al-Shabab"): it goes before modifiers at the same distance */
      if (dt >= 0)
        dt = 2 * dt - (c->art->toks[t].dep == DY_DEP_APPOS &&
                       c->art->toks[t].head == (int32_t)a);
      if (dt >= 0 && (d < 0 || dt < d))
        d = dt;
    }
    /* at the same distance the modifier nearest the head wins ("the Al
       Qaeda-linked Somali militant group": Somali) */
    if (d >= 0 && (best < 0 || d < bestd ||
                   (d == bestd && near(c->mn[i].tok, a) <
                                      near(c->mn[best].tok, a)))) {
      best = i;
      bestd = d;
    }
  }
  return best;
}

/* Is the match part of a hyphenated modifier ("a government-held part",
 * "rebel-held")? There the role word describes, it does not name. */
static int in_hyphen(const coder *c, const sent *s, const match *mt)
{
  uint32_t e = mt->tok + mt->ntok;
  const dy_token *last = &c->art->toks[e - 1];
  return e < s->t1 && strcmp(norm_at(c, e), "-") == 0 &&
         c->art->toks[e].off == last->off + last->len;
}

/* "the mayor of the West Bank city of Nablus": a country-only actor in an
 * argument whose phrase also holds a role word takes the role (PSEGOV). */
static void with_agent(const coder *c, const sent *s, uint32_t a,
                       const mention *m, dy_actor *x)
{
  int i, best = -1, bestd = 0;
  size_t n = strlen(x->code);
  if (!(n == 3 || (n == 6 && strncmp(x->code, "IGO", 3) == 0)))
    return;
  for (i = 0; i < s->nmt; i++) {
    const match *mt = &c->mt[i];
    int d;
    if (mt->nm->kind != LX_AGENT ||
        (mt->tok >= m->tok && mt->tok < m->end) || in_hyphen(c, s, mt))
      continue;
    d = dist_up(c, s, mt->tok + mt->ntok - 1, a);
    if (d >= 0 && (best < 0 || d < bestd)) {
      best = i;
      bestd = d;
    }
  }
  if (best >= 0) {
    const char *role = c->e->agents[c->mt[best].nm->idx].code;
    char code[48];
    snprintf(code, sizeof code, "%s%s", x->code, role);
    set_code(x, code);
    add_ev(x, c, &c->mt[best], c->mt[best].nm->what, c->mt[best].nm->line);
  }
}

static const char *const pron_person[] = {"he", "she", "him", "her", "his",
                                          NULL};
static const char *const pron_other[] = {"it", "its", "they", "them", "their",
                                         NULL};

/* A list of actors standing for one role of a frame. */
typedef struct actors {
  dy_actor a[DY_FRAME_MAX_ARGS * 2];
  int n;
} actors;

static void actors_add(actors *v, const dy_actor *a)
{
  int i;
  if (v->n >= (int)(sizeof v->a / sizeof v->a[0]) || a->code[0] == '\0')
    return;
  for (i = 0; i < v->n; i++)
    if (strcmp(v->a[i].code, a->code) == 0)
      return;
  v->a[v->n++] = *a;
}

/* The actors of the arguments args[0..n): each argument's mention and the
 * rest of its list ("the U.S., South Korea, and Japan"); a pronoun is the
 * last compatible actor. */
/* The actor a pronoun at token a stands for: the last compatible actor
 * earlier in the sentence ("While North Korea has …, its military"), else
 * in an earlier sentence. NULL when none. */
static const dy_actor *antecedent(const coder *c, const sent *s, uint32_t a,
                                  int person)
{
  int i, last = -1;
  for (i = s->nmn - 1; i >= 0; i--) {
    const mention *m = &c->mn[i];
    uint32_t t;
    if (m->end > a || m->person != person || m->poss)
      continue;
    if (last < 0)
      last = i;
    for (t = m->tok; t < m->end; t++) /* a subject wins */
      if (dy_dep_base(c->art->toks[t].dep) == DY_DEP_NSUBJ)
        return &m->a;
  }
  if (last >= 0)
    return &c->mn[last].a;
  if (person && c->have_subj_person)
    return &c->subj_person;
  if (!person && c->have_subj_other)
    return &c->subj_other;
  if (person)
    return c->have_person ? &c->last_person : NULL;
  return c->have_other ? &c->last_other : NULL;
}

/* The agent match covering token t, or NULL. */
static const match *agent_at(const coder *c, const sent *s, uint32_t t)
{
  int i;
  for (i = 0; i < s->nmt; i++)
    if (c->mt[i].nm->kind == LX_AGENT && c->mt[i].tok <= t &&
        t < c->mt[i].tok + c->mt[i].ntok)
      return &c->mt[i];
  return NULL;
}

/* "a report released in the Rwandan capital": a phrase that names no
 * actor itself takes one from the place or party of the participle that
 * describes it (PETRARCH-2 reads a noun phrase's VP last). -1 none. */
static int acl_mention(const coder *c, const sent *s, uint32_t a)
{
  uint32_t k, t;
  for (k = s->t0; k < s->t1; k++) {
    const dy_token *x = &c->art->toks[k];
    if (x->head != (int32_t)a || x->dep != DY_DEP_ACL ||
        (x->xpos != DY_XPOS_VBN && x->xpos != DY_XPOS_VBG))
      continue;
    for (t = s->t0; t < s->t1; t++) {
      const dy_token *y = &c->art->toks[t];
      int m;
      if (y->head != (int32_t)k || dy_dep_base(y->dep) != DY_DEP_OBL)
        continue;
      if ((m = arg_mention(c, s, t)) >= 0)
        return m;
    }
  }
  return -1;
}

static void role_actors(coder *c, const sent *s, const dy_frame_arg *args,
                        int n, actors *out)
{
  int i, first = out->n;
  for (i = 0; i < n; i++) {
    uint32_t a = (uint32_t)args[i].tok;
    int m = arg_mention(c, s, a);
    const char *w = norm_at(c, a);
    if (m < 0)
      m = acl_mention(c, s, a);
    if (m >= 0) {
      int g = c->in_grp[c->mn[m].tok - s->t0], k;
      if (g >= 0 && c->gr[g].nm > 1) {
        /* "US and British activists": each takes the role word */
        for (k = 0; k < c->gr[g].nm; k++) {
          dy_actor x = c->mn[c->gr[g].m0 + k].a;
          with_agent(c, s, a, &c->mn[c->gr[g].m0 + k], &x);
          actors_add(out, &x);
        }
      } else {
        dy_actor x = c->mn[m].a;
        with_agent(c, s, a, &c->mn[m], &x);
        actors_add(out, &x);
      }
    } else if ((in_set(w, pron_person) || in_set(w, pron_other)) &&
               antecedent(c, s, a, in_set(w, pron_person)) != NULL) {
      dy_actor x = *antecedent(c, s, a, in_set(w, pron_person));
      const dy_token *t = &c->art->toks[a];
      x.off = t->off;
      x.len = t->len;
      if (x.nev < DY_ACTOR_MAX_EVIDENCE) {
        x.ev[x.nev].off = t->off;
        x.ev[x.nev].len = t->len;
        x.ev[x.nev].what = "pronoun: the last compatible actor";
        x.ev[x.nev].file = "";
        x.ev[x.nev].line = 0;
        x.nev++;
      }
      actors_add(out, &x);
    } else if (c->role_only && !args[i].inherited &&
               agent_at(c, s, a) != NULL) {
      /* "by government forces": a role with no country names an actor of
         unknown country, ---MIL */
      const match *ag = agent_at(c, s, a);
      dy_actor x;
      char code[48];
      memset(&x, 0, sizeof x);
      snprintf(code, sizeof code, "---%s", c->e->agents[ag->nm->idx].code);
      set_code(&x, code);
      x.name = c->e->agents[ag->nm->idx].name;
      x.off = c->art->toks[a].off;
      x.len = c->art->toks[a].len;
      add_ev(&x, c, ag, ag->nm->what, ag->nm->line);
      actors_add(out, &x);
    }
  }
  /* "US and British activists": a bare country conjoined with a role noun
     shares the role (USAOPP and GBROPP) */
  if (n >= 2 && out->n - first >= 2) {
    const match *ag = agent_at(c, s, (uint32_t)args[n - 1].tok);
    const dy_actor *last = &out->a[out->n - 1];
    if (ag && strlen(last->code) > 3 &&
        last->off < c->art->toks[args[n - 1].tok].off) {
      const char *role = c->e->agents[ag->nm->idx].code;
      for (i = first; i < out->n - 1; i++) {
        dy_actor *x = &out->a[i];
        char code[48];
        if (strlen(x->code) != 3)
          continue;
        snprintf(code, sizeof code, "%s%s", x->code, role);
        set_code(x, code);
      }
    }
  }
}

/* Links that make a prepositional argument a target, in preference order. */
static const char *const target_links[] = {
    "with", "to", "against", "on", "toward", "towards", "at", "into",
    "over", "from", "for", "upon", "of", "between", "among", "by",
    "in", "at", NULL};

static void obl_targets(coder *c, const sent *s, const dy_frame *f,
                        int32_t skip, actors *out)
{
  int k, i;
  for (k = 0; target_links[k] && out->n == 0; k++)
    for (i = 0; i < f->nobl; i++) {
      const dy_frame_arg *o = &f->obl[i];
      if (o->link < 0 || o->tok == skip ||
          strcmp(norm_at(c, (uint32_t)o->link), target_links[k]) != 0)
        continue;
      if (c->art->toks[o->tok].upos == DY_UPOS_VERB &&
          c->art->toks[o->link].dep != DY_DEP_CASE)
        continue; /* "of escalating": a clause, not a party */
      role_actors(c, s, o, 1, out);
    }
}

/* The best pattern of the verbs with form or lemma w matching after v. */
static const lx_pattern *best_pattern(const coder *c, const sent *s,
                                      const char *lemma, const char *form,
                                      uint32_t v, pmatch *bestm)
{
  const lx_pattern *best = NULL;
  const char *keys[2];
  int k;
  keys[0] = lemma;
  keys[1] = form;
  for (k = 0; k < 2 && best == NULL; k++) {
    const lx_form *f;
    if (keys[k] == NULL)
      continue;
    f = dy__map_get(&c->e->forms, keys[k], strlen(keys[k]));
    for (; f; f = f->next) {
      const lx_pattern *pt;
      for (pt = c->e->verbs[f->verb].patterns; pt; pt = pt->next) {
        pmatch pm;
        memset(&pm, 0, sizeof pm);
        pm.target = -1;
        if (!match_from(c, s, pt, 1, v + 1, &pm))
          continue;
        if (pt->npre && !pre_ok(c, s, pt, v))
          continue;
        if (best == NULL || pt->nlit > best->nlit ||
            (pt->nlit == best->nlit && pt->has_target && !best->has_target)) {
          best = pt;
          *bestm = pm;
        }
      }
    }
  }
  return best;
}

static int emit(coder *c, int si, const dy_token *vt, const lx_pattern *pt,
                const char *code, const dy_actor *src, const dy_actor *tgt)
{
  const lx_cameo *cm = dy__map_get(&c->e->cameo, code, strlen(code));
  dy_event ev;
  if (code[0] == '-' || strcmp(src->code, tgt->code) == 0)
    return DY_OK; /* a null pattern codes nothing */
  memset(&ev, 0, sizeof ev);
  ev.date = c->art->date;
  ev.source = *src;
  ev.target = *tgt;
  if (cm) {
    memcpy(ev.code, cm->code, sizeof ev.code);
    memcpy(ev.root, cm->root, sizeof ev.root);
    ev.quad = cm->quad;
    ev.goldstein = cm->goldstein;
  } else { /* outside CAMEO (WEIS codes in PETRARCH's validation files) */
    memcpy(ev.code, code, sizeof ev.code);
    memcpy(ev.root, code, 2);
  }
  ev.sentence = si;
  ev.verb.off = vt->off;
  ev.verb.len = vt->len;
  ev.verb.what = c->e->verbs[pt->verb].lemma;
  ev.verb.file = pt->file;
  ev.verb.line = pt->line;
  ev.pattern = pt->text;
  return push_event(c, &ev);
}

/* The verb a noun names: itself when the dictionaries know it as a verb
 * ("visit", "veto", "attack"), else by derivation ("collaboration" →
 * "collaborate", "agreement" → "agree", "invasion" → "invade",
 * "withdrawal" → "withdraw"). NULL when none is a known verb. */
static const char *nominal_verb(const coder *c, const char *noun, char *buf,
                                size_t cap)
{
  static const struct {
    const char *suf, *rep;
  } rules[] = {{"ation", "ate"}, {"ation", ""},   {"ation", "e"},
               {"ition", "ite"}, {"ition", "ish"}, {"ment", ""},
               {"sion", "de"},   {"sion", "d"},   {"ssion", "ss"},
               {"sion", "t"},    {"al", ""},      {"al", "e"},
               {"ance", ""},     {"ance", "e"},   {"ence", "e"},
               {"ure", ""},      {"ure", "e"},    {"ing", ""},
               {"ion", ""},      {"ion", "e"}};
  size_t n = strlen(noun), k;
  if (dy__map_get(&c->e->verbidx, noun, n))
    return noun;
  for (k = 0; k < sizeof rules / sizeof rules[0]; k++) {
    size_t sl = strlen(rules[k].suf), rl = strlen(rules[k].rep);
    if (n <= sl + 2 || strcmp(noun + n - sl, rules[k].suf) != 0 ||
        n - sl + rl + 1 > cap)
      continue;
    memcpy(buf, noun, n - sl);
    memcpy(buf + n - sl, rules[k].rep, rl + 1);
    if (dy__map_get(&c->e->verbidx, buf, strlen(buf)))
      return buf;
  }
  return NULL;
}

/* The code of verb lemma v alone (its bare pattern), NULL when unknown. */
static const char *verb_code(const coder *c, const char *v)
{
  void *p = dy__map_get(&c->e->verbidx, v, strlen(v));
  const lx_pattern *pt;
  if (p == NULL)
    return NULL;
  for (pt = c->e->verbs[(intptr_t)p - 1].patterns; pt; pt = pt->next)
    if (pt->nel == 1 && pt->npre == 0)
      return pt->code[0] ? pt->code : pt->rcode;
  return NULL;
}

/* Is code in the class of the transformation verb's code k ("190" stands
 * for 19x, as PETRARCH-2's code masks do)? */
static int code_in(const char *code, const char *k)
{
  size_t n = strlen(k);
  if (n == 3 && k[2] == '0')
    return strncmp(code, k, 2) == 0;
  return strcmp(code, k) == 0;
}

/* The transformation for a reported event with inner code q said by a
 * speech verb coded p, self when the speaker is the inner source; NULL
 * when none applies. */
static const lx_xform *find_xform(const coder *c, const char *q,
                                  const char *p, int self)
{
  int i;
  for (i = 0; i < c->e->nxforms; i++) {
    const lx_xform *x = &c->e->xforms[i];
    const char *ki, *ko;
    if (x->self != self)
      continue;
    ki = verb_code(c, x->inner);
    ko = verb_code(c, x->outer);
    if (ki && ko && *ki && *ko && code_in(q, ki) && code_in(p, ko))
      return x;
  }
  return NULL;
}

/* Is the clause headed by p a bare or that-clause (no "before", "if")? */
static int that_clause(const coder *c, const sent *s, int32_t p)
{
  uint32_t t;
  for (t = s->t0; t < s->t1; t++)
    if (c->art->toks[t].head == p &&
        (c->art->toks[t].dep == DY_DEP_MARK) &&
        strcmp(norm_at(c, t), "that") != 0)
      return 0;
  return 1;
}

/* ---- stated intent ----------------------------------------------------- */

/* The CAMEO "express intent" code (03x) of an action an actor says it will
 * take ("will free the fishermen": 0841 → 0352), NULL when the action's
 * family has none: statements, appeals, meetings, demands, threats … keep
 * their own code, as PETRARCH-2's code arithmetic keeps the nested verb
 * when both are top-level ("will meet": 040). Release (0841, 0842) is 0352
 * as in PETRARCH-2's code table, where it shares one value with easing
 * dissent (082); fighting (19x) is a threat of force, 138. */
static const char *intent_code(const char *code)
{
  static const struct {
    const char *from, *to;
  } map[] = {
      {"061", "0311"},  {"062", "0312"},  {"063", "0313"},  {"064", "0314"},
      {"06", "031"},    {"071", "0331"},  {"072", "0332"},  {"073", "0333"},
      {"074", "0334"},  {"07", "033"},    {"05", "032"},    {"081", "0351"},
      {"082", "0352"},  {"0831", "0341"}, {"0832", "0342"}, {"0833", "0343"},
      {"0834", "0344"}, {"083", "034"},   {"0841", "0352"}, {"0842", "0352"},
      {"085", "0354"},  {"086", "0355"},  {"087", "0356"},  {"08", "035"},
      {"19", "138"}};
  size_t k;
  for (k = 0; k < sizeof map / sizeof map[0]; k++)
    if (strncmp(code, map[k].from, strlen(map[k].from)) == 0)
      return map[k].to;
  return NULL;
}

enum { FUT_NONE, FUT_WILL, FUT_WOULD };

/* Does the frame's verb carry the future: its own will/shall/'ll
 * (FUT_WILL), or a "would" that is the backshifted will of a clause
 * reported by a past-tense speech verb ("Japan said it would free",
 * FUT_WOULD; elsewhere "would" hedges)? */
static int future_of(const coder *c, const sent *s, const dy_frame *fr,
                     const dy_frame *f)
{
  static const char *const wills[] = {"will", "shall", "'ll", NULL};
  uint32_t k;
  if (f->kind != DY_FRAME_VERB || f->negated)
    return FUT_NONE;
  if (f->hedge == DY_HEDGE_MODAL && f->hedge_tok >= 0 &&
      strcmp(norm_at(c, (uint32_t)f->hedge_tok), "would") == 0 &&
      c->art->toks[f->hedge_tok].head == f->pred && f->reported &&
      f->speech >= 0 && fr[f->speech].kind == DY_FRAME_VERB) {
    int x = c->art->toks[fr[f->speech].pred].xpos;
    return x == DY_XPOS_VBD || x == DY_XPOS_VBN ? FUT_WOULD : FUT_NONE;
  }
  if (f->hedge)
    return FUT_NONE;
  for (k = s->t0; k < s->t1; k++)
    if (c->art->toks[k].head == f->pred && c->art->toks[k].dep == DY_DEP_AUX &&
        in_set(norm_at(c, k), wills))
      return FUT_WILL;
  return FUT_NONE;
}

/* Is every source in src the speaker of the reported frame f (or, in a
 * main clause, trivially itself)? A statement about one's own future
 * action is a statement of intent; about someone else's it is a forecast. */
static int own_future(coder *c, const sent *s, const dy_frame *fr,
                      const dy_frame *f, const actors *src)
{
  const dy_frame *g;
  actors spk;
  int i, k;
  if (!f->reported)
    return 1;
  if (f->speech < 0)
    return 0;
  g = &fr[f->speech];
  spk.n = 0;
  if (g->passive)
    role_actors(c, s, g->agent, g->nagent, &spk);
  else
    role_actors(c, s, g->subj, g->nsubj, &spk);
  for (i = 0; i < src->n; i++) {
    for (k = 0; k < spk.n; k++)
      if (strcmp(spk.a[k].code, src->a[i].code) == 0)
        break;
    if (k == spk.n)
      return 0;
  }
  return src->n > 0;
}

/* Is frame f the to-clause of a verb coded 030, the general intent verbs
 * (seek, plan, intend, pledge, prepare): "are seeking to deepen ties"? */
static int intended(const coder *c, const sent *s, const dy_frame *fr,
                    const dy_frame *f)
{
  const dy_frame *g;
  const dy_token *x = &c->art->toks[f->pred];
  const lx_pattern *gp;
  pmatch gm;
  if (f->kind != DY_FRAME_VERB || f->parent < 0 || x->dep != DY_DEP_XCOMP)
    return 0;
  g = &fr[f->parent];
  if (g->kind != DY_FRAME_VERB || g->pred != x->head)
    return 0;
  memset(&gm, 0, sizeof gm);
  gm.target = -1;
  gp = best_pattern(c, s, g->lemma, c->art->toks[g->pred].norm,
                    (uint32_t)g->pred, &gm);
  return gp && strcmp(gp->code, "030") == 0;
}

/* Is frame fi a verb clause the sentence states (a main clause, a
 * that-clause, or intended: is_int) that governs no verb clause of its
 * own (to-clause or that-clause)? */
static int stated_clause(const coder *c, const dy_frame *fr, size_t nf,
                         size_t fi, int is_int)
{
  const dy_frame *f = &fr[fi];
  size_t k;
  if (f->kind != DY_FRAME_VERB ||
      !(f->parent < 0 || is_int ||
        dy_dep_base(c->art->toks[f->pred].dep) == DY_DEP_CCOMP))
    return 0;
  for (k = 0; k < nf; k++) {
    int dep = c->art->toks[fr[k].pred].dep;
    if (fr[k].parent == (int)fi && fr[k].kind == DY_FRAME_VERB &&
        (dep == DY_DEP_XCOMP || dy_dep_base(dep) == DY_DEP_CCOMP))
      return 0;
  }
  return 1;
}

static int code_frame(coder *c, const sent *s, int si, const dy_frame *fr,
                      size_t nf, size_t fi)
{
  const dy_frame *f = &fr[fi];
  const dy_token *vt = &c->art->toks[f->pred];
  const lx_pattern *pt;
  pmatch pm;
  actors *src, *tgt;
  int i, j, rc = DY_OK;
  int32_t from_src = -1; /* the from-argument taken as source */
  int fut, is_intended;
  const char *pcode; /* the pattern's code, or the intent to act on it */

  if (f->kind == DY_FRAME_COPULA)
    return DY_OK;
  memset(&pm, 0, sizeof pm);
  if (f->kind == DY_FRAME_NOMINAL) {
    /* "Russia's veto of a UN panel": the noun's verb, its patterns read
       past "of" */
    char verb[64];
    const char *vl = nominal_verb(c, f->lemma, verb, sizeof verb);
    uint32_t at = (uint32_t)f->pred;
    if (vl == NULL)
      return DY_OK;
    if (at + 1 < s->t1 && strcmp(norm_at(c, at + 1), "of") == 0)
      at++;
    pt = best_pattern(c, s, vl, NULL, at, &pm);
  } else {
    pt = best_pattern(c, s, f->lemma, vt->norm, (uint32_t)f->pred, &pm);
  }
  if (pt == NULL)
    return DY_OK;
  c->hedged_now = f->hedge || f->conditional;
  /* "announced it would free": the backshifted will, not a hedge, when
     the speaker speaks of its own action (checked below) */
  fut = future_of(c, s, fr, f);
  if (fut == FUT_WOULD)
    c->hedged_now = f->conditional;
  /* a role word alone ("by government forces": ---MIL) names an actor in
     a main or reported clause, not in one embedded under another verb
     ("helping young militants join a group") */
  c->role_only = f->parent < 0 || f->reported;
  if (f->negated || (c->hedged_now && !c->d->opts.include_hedged)) {
    c->frame_refused = 1; /* the parse says no: no surface fallback */
    return DY_OK;
  }
  /* one pair of lists per document, reused by every frame */
  if (c->roles == NULL &&
      (c->roles = dy_arena_alloc(&c->d->mem, 2 * sizeof *c->roles)) == NULL)
    return DY_ENOMEM;
  src = &c->roles[0];
  tgt = &c->roles[1];
  src->n = tgt->n = 0;
  if (f->kind == DY_FRAME_NOMINAL) {
    if (f->poss.tok >= 0)
      role_actors(c, s, &f->poss, 1, src);
  } else if (f->passive) {
    role_actors(c, s, f->agent, f->nagent, src);
    /* no by-agent: where it came from is who did it ("a bomb was fired
       at it from the Gaza Strip"), as PETRARCH-2 reads BY and FROM */
    for (i = 0; i < f->nobl && src->n == 0 && f->nagent == 0; i++)
      if (f->obl[i].link >= 0 &&
          strcmp(norm_at(c, (uint32_t)f->obl[i].link), "from") == 0 &&
          c->art->toks[f->obl[i].tok].upos != DY_UPOS_VERB) {
        role_actors(c, s, &f->obl[i], 1, src);
        from_src = f->obl[i].tok;
      }
  } else {
    role_actors(c, s, f->subj, f->nsubj, src);
  }
  /* "Japan said it would free the fishermen": an actor stating its
     own future action expresses the intent to act (03x), as PETRARCH-2
     combined the WILL verb of its older dictionaries with the action; an
     action with no intent code keeps its own ("said it would meet": 040,
     like "will meet"). A PETRARCH-1 (TABARI) verb file's codes stand as
     written. Someone else's future ("said China would free") is a
     forecast: "would" hedges it after all. */
  pcode = pt->code;
  /* "are seeking to deepen a partnership": what an intent verb governs is
     intended, not done; PETRARCH-2 adds the 030 of the governing verb to
     the action's code in the same way (seek + deepen: 031) */
  is_intended = intended(c, s, fr, f);
  if (pt->code[0] && !pt->rboth && intent_code(pt->code) && is_intended)
    pcode = intent_code(pt->code);
  else if (fut != FUT_NONE) {
    int own = own_future(c, s, fr, f, src);
    const char *ic = intent_code(pt->code);
    if (own && ic && pt->code[0] && !pt->rboth)
      pcode = ic;
    else if (!own && fut == FUT_WOULD) {
      c->hedged_now = 1;
      if (!c->d->opts.include_hedged) {
        c->frame_refused = 1;
        return DY_OK;
      }
    }
  }
  if (src->n == 0)
    return DY_OK;
  if (pt->has_target && pm.target >= 0) {
    const group *g = &c->gr[pm.target];
    for (i = 0; i < g->nm; i++)
      actors_add(tgt, &c->mn[g->m0 + i].a);
  } else if (pt->has_target) {
    return DY_OK; /* the pattern names its target and none was there */
  } else {
    if (f->kind == DY_FRAME_VERB && f->passive)
      role_actors(c, s, f->subj, f->nsubj, tgt);
    else
      role_actors(c, s, f->obj, f->nobj, tgt);
    if (tgt->n == 0)
      role_actors(c, s, f->iobj, f->niobj, tgt);
    if (tgt->n == 0)
      obl_targets(c, s, f, from_src, tgt);
    /* "a report alleged that France was aware of …": the subject of the
       that-clause is whom a verb other than a statement is about */
    if (tgt->n == 0 && f->kind == DY_FRAME_VERB && !f->passive &&
        strncmp(pcode, "01", 2) != 0) {
      size_t k;
      for (k = 0; k < nf && tgt->n == 0; k++)
        if (fr[k].parent == (int)fi && fr[k].pred > f->pred &&
            dy_dep_base(c->art->toks[fr[k].pred].dep) == DY_DEP_CCOMP &&
            that_clause(c, s, fr[k].pred))
          role_actors(c, s, fr[k].subj, fr[k].nsubj, tgt);
    }
  }
  /* a reported event: the dictionaries' transformations rewrite what the
     speaker says ("Israel said a bomb was fired at it from Gaza": ISR
     accuses Gaza, 112) */
  if (f->reported && f->speech >= 0 && c->e->nxforms && pcode[0] &&
      fr[f->speech].kind == DY_FRAME_VERB) {
    const dy_frame *g = &fr[f->speech];
    pmatch gm;
    const lx_pattern *gp;
    actors spk;
    memset(&gm, 0, sizeof gm);
    gp = best_pattern(c, s, g->lemma, c->art->toks[g->pred].norm,
                      (uint32_t)g->pred, &gm);
    spk.n = 0;
    if (gp && gp->code[0]) {
      if (g->passive)
        role_actors(c, s, g->agent, g->nagent, &spk);
      else
        role_actors(c, s, g->subj, g->nsubj, &spk);
    }
    if (spk.n > 0) {
      int done = 0, k;
      for (k = 0; k < spk.n && rc == DY_OK; k++)
        for (i = 0; i < src->n && rc == DY_OK; i++) {
          int self = strcmp(spk.a[k].code, src->a[i].code) == 0;
          const lx_xform *x;
          if (strncmp(spk.a[k].code, "---", 3) == 0)
            continue; /* "military officials said": whose, unknown */
          /* a body of the same country (US Central Command on the US):
             neither itself nor someone else; the event stands */
          if (!self && strcmp(spk.a[k].country, src->a[i].country) == 0)
            continue;
          x = find_xform(c, pcode, gp->code, self);
          if (x == NULL)
            continue;
          done = 1;
          if (self)
            for (j = 0; j < tgt->n && rc == DY_OK; j++)
              rc = emit(c, si, vt, pt, x->code[0] ? x->code : pcode, &spk.a[k],
                        &tgt->a[j]);
          else
            rc = emit(c, si, vt, pt, x->code[0] ? x->code : pcode, &spk.a[k],
                      &src->a[i]);
        }
      if (done || rc < 0)
        return rc;
    }
  }
  /* "Japan and Korea are seeking to deepen their partnership":
     co-operation (03x to 06x) by a conjoined subject with no target is
     mutual, as PETRARCH-2 codes it (every pair, both ways), for the event
     a sentence states: a main, reported or intended clause that governs no
     clause of its own (the governing verb's event is the governed one) */
  if (tgt->n == 0 && src->n > 1 && !pt->has_target &&
      strncmp(pcode, "03", 2) >= 0 && strncmp(pcode, "06", 2) <= 0 &&
      strlen(pcode) >= 3 && stated_clause(c, fr, nf, fi, is_intended))
    for (i = 0; i < src->n && rc == DY_OK; i++)
      for (j = 0; j < src->n && rc == DY_OK; j++)
        if (i != j)
          rc = emit(c, si, vt, pt, pcode, &src->a[i], &src->a[j]);
  for (i = 0; i < src->n && rc == DY_OK; i++)
    for (j = 0; j < tgt->n && rc == DY_OK; j++)
    {
      /* [A:B]: PETRARCH-2 reads B as the passive reading, coded (target
         to source) only when there is no A; PETRARCH-1 codes both, and
         [A:A] ("held talks with") is mutual in either */
      if (pcode[0])
        rc = emit(c, si, vt, pt, pcode, &src->a[i], &tgt->a[j]);
      if (rc == DY_OK && pt->rcode[0] &&
          (pt->rboth || !pt->code[0] || strcmp(pt->code, pt->rcode) == 0))
        rc = emit(c, si, vt, pt,
                  pcode[0] && strcmp(pt->code, pt->rcode) == 0 ? pcode
                                                               : pt->rcode,
                  &tgt->a[j], &src->a[i]);
    }
  return rc;
}

static void remember_subject(coder *c, const sent *s);

/* Remembers the sentence's actors for pronouns in later sentences. */
static void remember(coder *c, const sent *s)
{
  int i;
  remember_subject(c, s);
  for (i = 0; i < s->nmn; i++) {
    if (c->mn[i].poss)
      continue;
    if (c->mn[i].person) {
      c->last_person = c->mn[i].a;
      c->have_person = 1;
    } else {
      c->last_other = c->mn[i].a;
      c->have_other = 1;
    }
  }
}

/* Remembers the actor of the main clause's subject (its head or the
 * nearest name under it: "Pakistan's National Security Committee" →
 * Pakistan) for a pronoun subject of the next sentence. */
static void remember_subject(coder *c, const sent *s)
{
  uint32_t t, k;
  c->have_subj_person = c->have_subj_other = 0;
  for (t = s->t0; t < s->t1; t++)
    if (c->art->toks[t].dep == DY_DEP_ROOT)
      break;
  if (t == s->t1)
    return;
  for (k = s->t0; k < s->t1; k++) {
    int m;
    if (c->art->toks[k].head != (int32_t)t ||
        dy_dep_base(c->art->toks[k].dep) != DY_DEP_NSUBJ)
      continue;
    m = arg_mention(c, s, k);
    if (m < 0)
      return;
    if (c->mn[m].person) {
      c->subj_person = c->mn[m].a;
      c->have_subj_person = 1;
    } else {
      c->subj_other = c->mn[m].a;
      c->have_subj_other = 1;
    }
    return;
  }
}

static int code_sentence_frames(coder *c, const sent *s, int si,
                                dy_frame **fr, size_t *nf)
{
  size_t i;
  int rc = dy_frames_build(c->art, &c->art->sents[si], &c->d->mem, fr, nf);
  if (rc < 0)
    return rc;
  for (i = 0; i < *nf && rc == DY_OK; i++)
    rc = code_frame(c, s, si, *fr, *nf, i);
  return rc;
}

/* Does the parse mark verb v passive itself (a be/get auxiliary, a passive
 * subject), rather than the frame builder inferring it from a participle
 * on a noun? */
static int explicit_passive(const coder *c, const sent *s, uint32_t v)
{
  uint32_t k;
  for (k = s->t0; k < s->t1; k++)
    if (c->art->toks[k].head == (int32_t)v &&
        (c->art->toks[k].dep == DY_DEP_AUX_PASS ||
         c->art->toks[k].dep == DY_DEP_NSUBJ_PASS))
      return 1;
  return 0;
}

/* Does the parse give verb v a common-noun subject that names no actor
 * ("such a step enjoyed support", "a trip aimed at pushing for a
 * ceasefire")? Then the
 * surface fallback may not take an actor further left as its source. */
static int frame_subject_no_actor(coder *c, const sent *s, const dy_frame *fr,
                                  size_t nf, uint32_t v)
{
  size_t i;
  int k;
  for (i = 0; i < nf; i++) {
    const dy_frame *f = &fr[i];
    actors tmp;
    if (f->pred != (int32_t)v || f->kind != DY_FRAME_VERB)
      continue;
    if (f->passive && explicit_passive(c, s, v))
      return 1; /* the fallback reads no passives */
    if (f->nsubj == 0)
      continue;
    /* a proper name the dictionaries lack may be part of a longer name
       the parser split ("Senator from Vermont Bernie Sanders endorsed") */
    for (k = 0; k < f->nsubj; k++)
      if (c->art->toks[f->subj[k].tok].upos != DY_UPOS_NOUN)
        return 0;
    tmp.n = 0;
    c->role_only = 0;
    role_actors(c, s, f->subj, f->nsubj, &tmp);
    return tmp.n == 0;
  }
  return 0;
}

static int sentence_parsed(const dy_article *art, const dy_sentence *st)
{
  uint32_t k;
  for (k = 0; k < st->ntok; k++)
    if (art->toks[st->tok + k].dep != 0)
      return 1;
  return 0;
}

static int code_sentence(coder *c, int si)
{
  const dy_article *art = c->art;
  const dy_sentence *st = &art->sents[si];
  static const char *const conditionals[] = {"if", "unless", NULL};
  sent s;
  uint32_t v;
  int rc, parsed;
  dy_frame *fr = NULL;
  size_t nf = 0;
  memset(&s, 0, sizeof s);
  s.t0 = st->tok;
  s.t1 = st->tok + st->ntok;
  if ((rc = ensure_scratch(c, st->ntok + 1)) < 0)
    return rc;
  if ((rc = find_mentions(c, &s)) < 0)
    return rc;
  if (strcmp(norm_at(c, s.t1 - 1), "?") == 0) {
    remember(c, &s);
    return DY_OK; /* a question asserts nothing */
  }
  if (discarded(c, &s))
    return DY_OK;
  c->issues = sentence_issues(c, &s);
  c->hedged_now = 0;
  c->frame_refused = 0;
  parsed = sentence_parsed(art, st);
  if (parsed) {
    size_t before = c->d->nevents;
    rc = code_sentence_frames(c, &s, si, &fr, &nf);
    if (rc < 0 || c->d->nevents > before || c->frame_refused ||
        c->d->given_parse) {
      remember(c, &s);
      return rc;
    }
    /* the parse gave no event: the surface patterns get their chance
       (a misparsed clause must not cost the event) */
  }
  if (s.ngr < 2) {
    remember(c, &s);
    return DY_OK;
  }
  /* the fallback trusts the parse (its tags, clauses and voice) only when
     a verb heads the sentence: "Kigali denies supporting …" tagged as a
     noun phrase is a failed parse the surface patterns must work around */
  c->trust_parse = 0;
  for (v = s.t0; v < s.t1 && parsed; v++)
    if (art->toks[v].dep == DY_DEP_ROOT)
      c->trust_parse = art->toks[v].upos == DY_UPOS_VERB;
  for (v = s.t0; v < s.t1; v++) {
    const dy_token *tk = &art->toks[v];
    const lx_form *f;
    const lx_pattern *best = NULL;
    pmatch bestm;
    int src, tgt, hedged, bi, bj;
    memset(&bestm, 0, sizeof bestm);
    if (!(tk->flags & DY_TOK_WORD) || c->in_grp[v - s.t0] >= 0)
      continue;
    if ((tk->flags & DY_TOK_CAP) && v != s.t0)
      continue;
    /* parsed: a word the tagger did not read as a verb ("enjoyed support
       from Moscow") is no verb for the fallback either */
    if (c->trust_parse && tk->upos != DY_UPOS_VERB)
      continue;
    f = dy__map_get(&c->e->forms, tk->norm, strlen(tk->norm));
    if (f == NULL)
      continue;
    if (v > s.t0 && in_set(norm_at(c, v - 1), determiners))
      continue; /* "the attack", "a visit": a noun */
    if (v > s.t0 && in_set(norm_at(c, v - 1), be_forms)) {
      size_t n = strlen(tk->norm);
      if (!(n > 3 && strcmp(tk->norm + n - 3, "ing") == 0))
        continue; /* passive: agent/patient swap is later work */
    }
    for (; f; f = f->next) {
      const lx_pattern *pt;
      for (pt = c->e->verbs[f->verb].patterns; pt; pt = pt->next) {
        pmatch pm;
        memset(&pm, 0, sizeof pm);
        pm.target = -1;
        c->gap_no_verb = c->trust_parse;
        if (!match_from(c, &s, pt, 1, v + 1, &pm)) {
          c->gap_no_verb = 0;
          continue;
        }
        c->gap_no_verb = 0;
        if (pt->npre && !pre_ok(c, &s, pt, v))
          continue;
        if (best == NULL || pt->nlit > best->nlit ||
            (pt->nlit == best->nlit && pt->has_target && !best->has_target)) {
          best = pt;
          bestm = pm;
        }
      }
    }
    if (best == NULL)
      continue;
    src = find_source(c, &s, v, &hedged);
    if (src < 0 || hedged)
      continue;
    if (c->trust_parse && frame_subject_no_actor(c, &s, fr, nf, v))
      continue;
    if (sentence_has(c, &s, v, conditionals))
      continue;
    tgt = best->has_target ? bestm.target : find_target(c, &s, &bestm);
    if (tgt < 0 || tgt == src)
      continue;
    for (bi = 0; bi < c->gr[src].nm; bi++) {
      for (bj = 0; bj < c->gr[tgt].nm; bj++) {
        const mention *ms = &c->mn[c->gr[src].m0 + bi];
        const mention *mtg = &c->mn[c->gr[tgt].m0 + bj];
        const lx_cameo *cm = dy__map_get(&c->e->cameo, best->code,
                                         strlen(best->code));
        dy_event ev;
        if (strcmp(ms->a.code, mtg->a.code) == 0 || best->code[0] == '-')
          continue;
        /* a guess from the word order alone that "the Canadian government
           … travel to Canada" acts on its own country is too weak */
        if (strlen(mtg->a.code) == 3 &&
            strcmp(ms->a.country, mtg->a.country) == 0)
          continue;
        memset(&ev, 0, sizeof ev);
        ev.date = art->date;
        ev.source = ms->a;
        ev.target = mtg->a;
        if (cm) {
          memcpy(ev.code, cm->code, sizeof ev.code);
          memcpy(ev.root, cm->root, sizeof ev.root);
          ev.quad = cm->quad;
          ev.goldstein = cm->goldstein;
        } else {
          /* a code outside CAMEO (PETRARCH validation files use WEIS
             codes): kept as written, no QuadClass or Goldstein */
          memcpy(ev.code, best->code, sizeof ev.code);
          memcpy(ev.root, best->code, 2);
        }
        ev.sentence = si;
        ev.verb.off = tk->off;
        ev.verb.len = tk->len;
        ev.verb.what = c->e->verbs[best->verb].lemma;
        ev.verb.file = best->file;
        ev.verb.line = best->line;
        ev.pattern = best->text;
        if ((rc = push_event(c, &ev)) < 0)
          return rc;
      }
    }
  }
  remember(c, &s);
  return DY_OK;
}

int dy__code_article(dy_doc *d)
{
  coder c;
  size_t si;
  int rc;
  memset(&c, 0, sizeof c);
  c.d = d;
  c.e = d->eng;
  c.art = &d->art;
  c.day = c.art->date && *c.art->date ? dy_date_parse(dy_str_c(c.art->date))
                                      : -1;
  d->nevents = 0;
  /* a story-scope discard anywhere (a match report) codes nothing */
  for (si = 0; si < c.art->nsents && c.e->discards.n; si++) {
    sent s;
    const lx_discard *dc;
    memset(&s, 0, sizeof s);
    s.t0 = c.art->sents[si].tok;
    s.t1 = s.t0 + c.art->sents[si].ntok;
    dc = discarded(&c, &s);
    if (dc && dc->story)
      return DY_OK;
  }
  for (si = 0; si < c.art->nsents; si++) {
    rc = code_sentence(&c, (int)si);
    if (rc < 0)
      return dy_err_set(&d->err, rc, "coding sentence %zu: %s", si,
                        dy_strerror(rc));
  }
  return DY_OK;
}
