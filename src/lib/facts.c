/* SPDX-License-Identifier: MIT */
/* Quotes, named entities and places of an analysed article, and the
 * geography of its events (docs/QUOTES.md, docs/PLACES.md).
 *
 * Entities: dictionary names first (people with dated roles, organisations,
 * countries, capitals, seats of government), then runs of capitalised words
 * (or PROPN tokens once the tagger fills upos) classified as organisation
 * (a keyword such as University), place (the gazetteer, with the document's
 * country prior) or person. Quotes: the quote-mark scanner, then the
 * attribution around each quote (cue verb and speaker), then indirect speech
 * ("X said that …", "according to X"). */
#include "engine_int.h"

#include "dyad/facts.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PRIOR 12
#define MAX_BACK  2048 /* entities searched back for a name or a pronoun */
#define MAX_DL    4

struct dy__facts {
  dy_quote *q;
  size_t nq, capq;
  dy_entity *en;
  size_t nen, capen;
  int *tok_ent; /* token → entity index, -1 */
  int *tok_q;   /* token → direct quote index, -1 */
  const char *countries;
  char cc[64][4]; /* countries mentioned, first-mention order */
  int ccount[64];
  size_t ncc;
  const char *prior[MAX_PRIOR];
  size_t nprior;
  dy_geo dl[MAX_DL];
  size_t ndl;
  int parsed; /* the tagger filled upos */
};

typedef struct fx {
  dy_doc *d;
  const dy_engine *e;
  const dy_article *art;
  struct dy__facts *f;
  long day;
  dy__map lower; /* words seen in lower case → 1 (place_ok) */
  dy__map first; /* person name → index of its first mention + 1 */
  dy__map pcode; /* person name → the affiliation's actor code */
  int nomem;     /* a map insertion failed */
} fx;

/* ---- word sets --------------------------------------------------------- */

static int in_set(const char *w, const char *const *set)
{
  int i;
  for (i = 0; set[i]; i++)
    if (strcmp(w, set[i]) == 0)
      return 1;
  return 0;
}

static const char *const stop_caps[] = {
    "the",     "a",       "an",        "this",      "that",       "these",
    "those",   "in",      "on",        "at",        "but",        "and",
    "or",      "if",      "when",      "while",     "after",      "before",
    "as",      "for",     "his",       "her",       "its",        "their",
    "our",     "my",      "your",      "it",        "he",         "she",
    "they",    "we",      "i",         "you",       "there",      "here",
    "then",    "so",      "yet",       "since",     "with",       "from",
    "by",      "to",      "of",        "no",        "not",        "yes",
    "what",    "why",     "how",       "who",       "where",      "which",
    "all",     "some",    "many",      "most",      "both",       "each",
    "every",   "one",     "two",       "three",     "another",    "other",
    "such",    "however", "meanwhile", "also",      "still",      "now",
    "today",   "last",    "next",      "according", "although",   "though",
    "despite", "during",  "under",     "over",      "chapter",    "mr",
    "mrs",     "ms",      "oh",        "well",      "do",         "did",
    "is",      "was",     "are",       "were",      "be",         "been",
    "has",     "have",    "had",       "will",      "would",      "could",
    "should",  "can",     "may",       "might",     "must",       "let",
    "just",    "even",    "only",      "again",     "perhaps",    "maybe",
    "nor",     "because", "unless",    "until",     "once",       "thus",
    "indeed",  "instead", "besides",   "me",        "him",        "them",
    "us",      "any",     "none",      "nothing",   "everything", "something",
    "ah",      "o",       NULL};

static const char *const months_days[] = {
    "january", "february", "march",     "april",    "may",      "june",
    "july",    "august",   "september", "october",  "november", "december",
    "jan",     "feb",      "mar",       "apr",      "jun",      "jul",
    "aug",     "sep",      "sept",      "oct",      "nov",      "dec",
    "monday",  "tuesday",  "wednesday", "thursday", "friday",   "saturday",
    "sunday",  NULL};

static const char *const org_words[] = {
    "university", "college",     "institute",   "institution",  "academy",
    "school",     "ministry",    "department",  "council",      "committee",
    "commission", "party",       "bank",        "agency",       "corporation",
    "corp",       "inc",         "ltd",         "llc",          "plc",
    "company",    "group",       "association", "organization", "organisation",
    "union",      "federation",  "foundation",  "fund",         "court",
    "parliament", "congress",    "senate",      "assembly",     "office",
    "bureau",     "center",      "centre",      "church",       "army",
    "navy",       "forces",      "police",      "service",      "authority",
    "board",      "network",     "times",       "post",         "news",
    "press",      "journal",     "herald",      "tribune",      "reuters",
    "club",       "league",      "society",     "museum",       "hospital",
    "airlines",   "airways",     "press",       "guard",        "brigade",
    "front",      "movement",    "coalition",   "alliance",     "trust",
    "exchange",   "studies",     "research",    "program",      "programme",
    "project",    "initiative",  "cabinet",     "government",   "secretariat",
    "tribunal",   "observatory", "watch",       "forum",        NULL};

static const char *const region_words[] = {
    "asia",      "europe",    "africa",        "america",   "americas",
    "east",      "west",      "north",         "south",     "eastern",
    "western",   "northern",  "southern",      "northeast", "northwest",
    "southeast", "southwest", "central",       "pacific",   "atlantic",
    "arctic",    "antarctic", "gulf",          "sea",       "ocean",
    "river",     "lake",      "mountains",     "mount",     "island",
    "islands",   "peninsula", "region",        "province",  "county",
    "district",  "valley",    "strait",        "bay",       "coast",
    "desert",    "basin",     "highlands",     "balkans",   "caucasus",
    "sahel",     "caribbean", "mediterranean", NULL};

static const char *const continents[] = {
    "asia",    "europe",  "africa", "america", "americas", "antarctica",
    "oceania", "eurasia", "ocean",  "sea",     NULL};

static const char *const edu_words[] = {"university", "college", "institute",
                                        "academy",    "school",  "studies",
                                        "research",   NULL};

static const char *const person_titles[] = {
    "mr",         "mrs",        "ms",
    "miss",       "dr",         "prof",
    "professor",  "sir",        "lady",
    "lord",       "dame",       "madame",
    "monsieur",   "herr",       "frau",
    "senor",      "senora",     "uncle",
    "aunt",       "captain",    "colonel",
    "col",        "major",      "general",
    "gen",        "sergeant",   "sgt",
    "lieutenant", "lt",         "judge",
    "justice",    "rev",        "reverend",
    "father",     "brother",    "sister",
    "saint",      "st",         "pope",
    "king",       "queen",      "prince",
    "princess",   "president",  "minister",
    "senator",    "sen",        "governor",
    "gov",        "rep",        "representative",
    "mayor",      "chancellor", "ambassador",
    "secretary",  "chairman",   "sheikh",
    "emir",       "ayatollah",  NULL};

static const char *const honorifics[] = {
    "mr",   "mrs",   "ms",     "miss",   "dr",       "sir",
    "lady", "lord",  "dame",   "madame", "monsieur", "herr",
    "frau", "senor", "senora", "uncle",  "aunt",     NULL};

static const char *const role_words[] = {
    "foreign",   "prime",       "deputy",       "vice",       "defence",
    "defense",   "interior",    "finance",      "former",     "chief",
    "senior",    "acting",      "state",        "opposition", "leader",
    "spokesman", "spokeswoman", "spokesperson", "economy",    "trade",
    "justice",   "health",      "education",    "energy",     "labour",
    "labor",     NULL};

static const char *const pronouns[] = {"he", "she", "they", "i", "we", NULL};

static const char *const cue_verbs[] = {
    "said",       "says",       "say",        "told",         "tells",
    "tell",       "added",      "adds",       "warned",       "warns",
    "noted",      "notes",      "stressed",   "stresses",     "explained",
    "explains",   "argued",     "argues",     "claimed",      "claims",
    "insisted",   "insists",    "stated",     "states",       "announced",
    "announces",  "asked",      "asks",       "replied",      "replies",
    "answered",   "answers",    "declared",   "declares",     "wrote",
    "writes",     "continued",  "continues",  "observed",     "observes",
    "remarked",   "remarks",    "cried",      "exclaimed",    "shouted",
    "whispered",  "murmured",   "muttered",   "returned",     "rejoined",
    "responded",  "responds",   "suggested",  "suggests",     "emphasised",
    "emphasized", "emphasises", "emphasizes", "acknowledged", "admitted",
    "admits",     "conceded",   "concedes",   "maintained",   "maintains",
    "asserted",   "asserts",    "cautioned",  "cautions",     "confirmed",
    "confirms",   "predicted",  "predicts",   "believes",     "believed",
    "contended",  "contends",   "recalled",   "recalls",      "pointed",
    "went",       "began",      "inquired",   "enquired",     "demanded",
    "called",     "repeated",   "agreed",     "thought",      "tweeted",
    "posted",     "note",       "explain",    "argue",        "warn",
    "stress",     "insist",     "add",        "claim",        NULL};

/* cues that take indirect speech ("X said that …") */
static const char *const indirect_cues[] = {
    "said",       "says",       "told",         "tells",     "added",
    "adds",       "warned",     "warns",        "noted",     "notes",
    "note",       "stressed",   "stresses",     "explained", "explains",
    "argued",     "argues",     "argue",        "claimed",   "claims",
    "insisted",   "insists",    "stated",       "announced", "announces",
    "suggested",  "suggests",   "suggest",      "believes",  "believe",
    "emphasised", "emphasized", "acknowledged", "admitted",  "maintained",
    "maintains",  "asserted",   "cautioned",    "confirmed", "predicted",
    "contended",  "contends",   "say",          "warn",      "stress",
    NULL};

/* ---- helpers ----------------------------------------------------------- */

static const dy_token *tk(const fx *x, size_t t)
{
  return &x->art->toks[t];
}

static const char *nm(const fx *x, size_t t)
{
  return x->art->toks[t].norm;
}

static int is_word(const fx *x, size_t t)
{
  return (tk(x, t)->flags & DY_TOK_WORD) != 0;
}

/* A name token: a capitalised word. Once parsed, a capitalised word that
 * starts a sentence must also be tagged a noun, adjective or number, so
 * "The", "While" and "Asked" there are not names; inside a sentence the
 * capital decides ("Far Eastern Federal University"). */
static int is_name_tok(const fx *x, size_t t)
{
  const dy_token *k = tk(x, t);
  if (!(k->flags & DY_TOK_WORD) || !(k->flags & DY_TOK_CAP))
    return 0;
  if (x->f->parsed &&
      (t == 0 || (k->flags & DY_TOK_PARA) ||
       strchr(".!?:;", tk(x, t - 1)->norm[0]) ||
       strcmp(tk(x, t - 1)->norm, "\"") == 0 ||
       strcmp(tk(x, t - 1)->norm, "\xe2\x80\x9c") == 0))
    return k->upos == DY_UPOS_PROPN || k->upos == DY_UPOS_NOUN ||
           k->upos == DY_UPOS_ADJ || k->upos == DY_UPOS_NUM ||
           k->upos == DY_UPOS_X;
  return 1;
}

/* Tokens t and t+1 touch (no space between them). */
static int glued(const fx *x, size_t t)
{
  return t + 1 < x->art->ntoks &&
         tk(x, t)->off + tk(x, t)->len == tk(x, t + 1)->off;
}

static char *span_str(fx *x, uint32_t off, uint32_t len)
{
  return dy_arena_strndup(&x->d->mem, x->art->text + off, len);
}

static uint32_t tok_end(const fx *x, size_t t)
{
  return tk(x, t)->off + tk(x, t)->len;
}

/* ---- dictionary matching ----------------------------------------------- */

static const lx_name *dict_at(const fx *x, size_t t, size_t end)
{
  const dy_token *k = tk(x, t);
  const lx_name *n;
  if (!(k->flags & DY_TOK_WORD))
    return NULL;
  for (n = dy__map_get(&x->e->names, k->norm, strlen(k->norm)); n;
       n = n->next) {
    int i, ok = 1;
    if (t + (size_t)n->ntok > end)
      continue;
    for (i = 0; i < n->ntok && ok; i++) {
      const dy_token *y = tk(x, t + (size_t)i);
      if (strcmp(y->norm, n->toks[i]) != 0 ||
          (n->exact && (y->flags & DY_TOK_WORD) && !(y->flags & DY_TOK_UPPER)))
        ok = 0;
    }
    if (ok && n->cap && !(k->flags & DY_TOK_CAP))
      ok = 0;
    /* persons, organisations and places are names: capitalised */
    if (ok && n->kind != LX_AGENT && !(k->flags & DY_TOK_CAP))
      ok = 0;
    if (ok)
      return n;
  }
  return NULL;
}

static const lx_role *role_at(const lx_person *p, long day, int *in_role)
{
  const lx_role *best = NULL;
  int i;
  *in_role = 0;
  if (p->nroles == 0)
    return NULL;
  for (i = 0; i < p->nroles; i++) {
    if (day >= 0 && day >= p->roles[i].from && day <= p->roles[i].to) {
      *in_role = 1;
      return &p->roles[i];
    }
    if (best == NULL || p->roles[i].to > best->to)
      best = &p->roles[i];
  }
  if (day < 0 && best)
    *in_role = best->to == LONG_MAX;
  return best;
}

static void set_code(char *dst, const char *src)
{
  size_t n = strlen(src);
  if (n > 23)
    n = 23;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static void mention_country(fx *x, const char *code)
{
  struct dy__facts *f = x->f;
  size_t i;
  if (code == NULL || strlen(code) < 3 || strncmp(code, "IGO", 3) == 0 ||
      strncmp(code, "NGO", 3) == 0 || strncmp(code, "IMG", 3) == 0)
    return;
  for (i = 0; i < f->ncc; i++)
    if (strncmp(f->cc[i], code, 3) == 0) {
      f->ccount[i]++;
      return;
    }
  if (f->ncc < sizeof f->cc / sizeof f->cc[0]) {
    memcpy(f->cc[f->ncc], code, 3);
    f->cc[f->ncc][3] = '\0';
    f->ccount[f->ncc] = 1;
    f->ncc++;
  }
}

/* ---- entities ---------------------------------------------------------- */

static dy_entity *new_entity(fx *x, size_t t0, size_t t1, int type, int si)
{
  struct dy__facts *f = x->f;
  dy_entity *en;
  size_t t;
  if (f->nen == f->capen) {
    size_t nc = f->capen ? f->capen * 2 : 64;
    f->en = dy_arena_grow(&x->d->mem, f->en, f->capen * sizeof *f->en,
                          nc * sizeof *f->en);
    if (f->en == NULL)
      return NULL;
    f->capen = nc;
  }
  en = &f->en[f->nen];
  memset(en, 0, sizeof *en);
  en->off = tk(x, t0)->off;
  en->len = tok_end(x, t1 - 1) - en->off;
  en->type = type;
  en->sentence = si;
  en->name = "";
  en->geo.name = "";
  en->geo.how = "";
  for (t = t0; t < t1; t++)
    f->tok_ent[t] = (int)f->nen;
  f->nen++;
  return en;
}

/* Earlier person whose name ends with (or, East Asian order, starts with)
 * the words of s; its canonical name, or NULL. */
static const char *earlier_person(const fx *x, const char *s, size_t n,
                                  uint32_t before, size_t *which)
{
  const struct dy__facts *f = x->f;
  size_t i = f->nen, lim = f->nen > MAX_BACK ? f->nen - MAX_BACK : 0;
  while (i-- > lim) {
    const dy_entity *en = &f->en[i];
    size_t ln;
    if (en->type != DY_ENT_PERSON || en->off >= before)
      continue;
    ln = strlen(en->name);
    if (ln <= n)
      continue;
    if ((strncasecmp(en->name + ln - n, s, n) == 0 &&
         en->name[ln - n - 1] == ' ') ||
        (strncasecmp(en->name, s, n) == 0 && en->name[n] == ' ')) {
      if (which)
        *which = i;
      return en->name;
    }
  }
  return NULL;
}

/* Accept a gazetteer place for a capitalised span? Small places and words
 * that also appear in lower case in the article are refused. */
static int place_ok(const fx *x, const dy_place *p, size_t t0, size_t t1,
                    int prior_hit)
{
  if (p->kind == DY_PLACE_ADM1) {
    const dy_country *c = dy_gazetteer_country(x->e->gaz, (size_t)p->country);
    return strcmp(c->iso2, "US") == 0 || prior_hit;
  }
  if (p->kind != DY_PLACE_CITY)
    return 1;
  if (t1 - t0 == 1) {
    const char *w = nm(x, t0);
    if (dy__map_get(&x->lower, w, strlen(w)))
      return 0; /* a common word here ("Split", "Mobile") */
  }
  if (p->capital || p->pop >= 100000)
    return 1;
  if (prior_hit && p->pop >= 1000)
    return 1;
  /* "in X" / "at X" / "near X" / "X, Country" */
  if (t0 > 0 &&
      (strcmp(nm(x, t0 - 1), "in") == 0 || strcmp(nm(x, t0 - 1), "near") == 0 ||
       strcmp(nm(x, t0 - 1), "outside") == 0) &&
      p->pop >= 15000)
    return 1;
  return 0;
}

static int prior_has(const fx *x, const char *cameo)
{
  size_t i;
  for (i = 0; i < x->f->nprior; i++)
    if (strcmp(x->f->prior[i], cameo) == 0)
      return 1;
  return 0;
}

/* Resolves a place name s into geo; returns 1 when accepted. */
static int resolve_place(fx *x, const char *s, size_t n, size_t t0, size_t t1,
                         dy_geo *geo)
{
  const dy_gazetteer *g = x->e->gaz;
  size_t cand[4], k;
  const dy_place *p;
  const dy_country *c;
  if (g == NULL)
    return 0;
  k = dy_gazetteer_lookup(g, s, n, x->f->prior, x->f->nprior, cand, 4);
  if (k == 0)
    return 0;
  p = dy_gazetteer_place(g, cand[0]);
  c = dy_gazetteer_country(g, (size_t)p->country);
  if (t1 > t0 && !place_ok(x, p, t0, t1, prior_has(x, c->cameo)))
    return 0;
  dy_gazetteer_geo(g, cand[0], -1, geo);
  return 1;
}

/* As resolve_place, preferring the candidate in the state or country named
 * right after it ("Shelby, North Carolina"; "Paris, Texas"). */
static int resolve_place_ctx(fx *x, const char *s, size_t n, size_t t0,
                             size_t t1, dy_geo *geo)
{
  const dy_gazetteer *g = x->e->gaz;
  size_t u = t1, v, cand[16], k, i;
  char buf[256];
  if (g && u + 1 < x->art->ntoks && strcmp(nm(x, u), ",") == 0 &&
      is_name_tok(x, u + 1)) {
    v = u + 1;
    while (v < x->art->ntoks && v < u + 4 && is_name_tok(x, v))
      v++;
    /* the longest name run after the comma that names a state/country */
    for (; v > u + 1; v--) {
      uint32_t o = tk(x, u + 1)->off, l = tok_end(x, v - 1) - o;
      size_t c2[4],
          k2 = dy_gazetteer_lookup(g, x->art->text + o, l, NULL, 0, c2, 4), j;
      for (j = 0; j < k2; j++) {
        const dy_place *st = dy_gazetteer_place(g, c2[j]);
        if (st->kind == DY_PLACE_CITY)
          continue;
        k = dy_gazetteer_lookup(g, s, n, NULL, 0, cand, 16);
        for (i = 0; i < k; i++) {
          const dy_place *p = dy_gazetteer_place(g, cand[i]);
          if (p->kind == DY_PLACE_CITY && p->country == st->country &&
              (st->kind == DY_PLACE_COUNTRY ||
               strcmp(p->adm1name, st->name) == 0)) {
            dy_gazetteer_geo(g, cand[i], -1, geo);
            return 1;
          }
        }
      }
    }
  }
  (void)buf;
  return resolve_place(x, s, n, t0, t1, geo);
}

/* Classifies and records the capitalised run [t0, t1). */
static int cap_entity(fx *x, size_t t0, size_t t1, int si, size_t s0)
{
  size_t t, nwords = 0;
  int org = 0, edu = 0, title = 0, digits = 0;
  uint32_t off, len;
  char *text;
  dy_entity *en;
  /* strip function words, months and days at the edges */
  while (t0 < t1 && (in_set(nm(x, t0), stop_caps) ||
                     in_set(nm(x, t0), months_days) || !is_word(x, t0)))
    t0++;
  while (t1 > t0 &&
         (!is_word(x, t1 - 1) || in_set(nm(x, t1 - 1), months_days) ||
          strcmp(nm(x, t1 - 1), "of") == 0))
    t1--;
  if (t0 >= t1)
    return DY_OK;
  for (t = t0; t < t1; t++) {
    if (!is_word(x, t))
      continue;
    nwords++;
    if (in_set(nm(x, t), org_words))
      org = 1;
    if (in_set(nm(x, t), edu_words))
      edu = 1;
    if (tk(x, t)->flags & DY_TOK_NUM)
      digits = 1;
  }
  title = in_set(nm(x, t0), person_titles);
  {
    int all_titles = 1, acronym = 0;
    for (t = t0; t < t1; t++) {
      if (is_word(x, t) && !in_set(nm(x, t), person_titles))
        all_titles = 0;
      if (is_word(x, t) && (tk(x, t)->flags & DY_TOK_UPPER) &&
          tk(x, t)->len >= 2)
        acronym = 1;
    }
    if (all_titles)
      return DY_OK; /* "President", "Mr" alone */
    if (acronym && nwords > 1)
      org = 1; /* "Sino-NK", "BBC News" */
  }
  off = tk(x, t0)->off;
  len = tok_end(x, t1 - 1) - off;
  if (org) {
    en = new_entity(x, t0, t1, DY_ENT_ORG, si);
    if (en == NULL || (en->name = span_str(x, off, len)) == NULL)
      return DY_ENOMEM;
    /* "Russia's Far Eastern Federal University": the country before */
    if (edu && t0 >= 2 && strcmp(nm(x, t0 - 1), "'s") == 0 &&
        x->f->tok_ent[t0 - 2] >= 0) {
      const dy_entity *c = &x->f->en[x->f->tok_ent[t0 - 2]];
      if (c->type == DY_ENT_PLACE && c->code[0])
        snprintf(en->code, sizeof en->code, "%.3sEDU", c->code);
    }
    if (edu && en->code[0] == '\0') {
      /* a city in the name: "King's College London" */
      for (t = t0; t < t1; t++) {
        dy_geo g;
        if (is_name_tok(x, t) &&
            resolve_place(x, x->art->text + tk(x, t)->off, tk(x, t)->len, 0, 0,
                          &g) &&
            g.type >= 3) {
          snprintf(en->code, sizeof en->code, "%sEDU", g.iso3);
          break;
        }
      }
    }
    return DY_OK;
  }
  if (digits)
    return DY_OK;
  text = span_str(x, off, len);
  if (text == NULL)
    return DY_ENOMEM;
  /* a continent or sea is a region, whatever namesake towns exist */
  for (t = t0; t < t1; t++)
    if (in_set(nm(x, t), continents)) {
      en = new_entity(x, t0, t1, DY_ENT_PLACE, si);
      if (en == NULL)
        return DY_ENOMEM;
      en->name = text;
      return DY_OK;
    }
  /* a person named earlier ("Lukin", "Pacheco Pardo") */
  {
    size_t which = 0;
    const char *full = earlier_person(x, text, len, off, &which);
    if (full) {
      en = new_entity(x, t0, t1, DY_ENT_PERSON, si);
      if (en == NULL)
        return DY_ENOMEM;
      en->name = full;
      memcpy(en->code, x->f->en[which].code, sizeof en->code);
      return DY_OK;
    }
  }
  /* "the Imus family": a surname */
  if (t1 < x->art->ntoks &&
      (strcmp(nm(x, t1), "family") == 0 || strcmp(nm(x, t1), "jr") == 0))
    return DY_OK;
  /* a place? */
  if (!title) {
    dy_geo g;
    memset(&g, 0, sizeof g);
    if (resolve_place_ctx(x, text, len, t0, t1, &g)) {
      en = new_entity(x, t0, t1, DY_ENT_PLACE, si);
      if (en == NULL)
        return DY_ENOMEM;
      en->name = g.name;
      en->geo = g;
      en->geo.how = "sentence";
      en->geo.off = off;
      en->geo.len = len;
      return DY_OK;
    }
  }
  if (nwords == 1 && !title) {
    /* a lone capitalised word: an acronym is an organisation; other words
     * are left alone (a surname was handled above) */
    if ((tk(x, t0)->flags & DY_TOK_UPPER) && tk(x, t0)->len >= 2 &&
        tk(x, t0)->len <= 6 && t0 > s0) {
      en = new_entity(x, t0, t1, DY_ENT_ORG, si);
      if (en == NULL)
        return DY_ENOMEM;
      en->name = text;
    }
    return DY_OK;
  }
  for (t = t0; t < t1; t++) {
    if (in_set(nm(x, t), region_words)) {
      /* "Northeast Asia", "Gulf of Aden": a region the gazetteer lacks */
      en = new_entity(x, t0, t1, DY_ENT_PLACE, si);
      if (en == NULL)
        return DY_ENOMEM;
      en->name = text;
      return DY_OK;
    }
  }
  if (nwords > 5)
    return DY_OK;
  en = new_entity(x, t0, t1, DY_ENT_PERSON, si);
  if (en == NULL)
    return DY_ENOMEM;
  en->name = text;
  /* "Foreign Minister Tomasz Wirth" is Tomasz Wirth; honorifics stay;
   * "Jr." goes */
  {
    size_t u = t0;
    while (t1 > t0 + 2 &&
           (!is_word(x, t1 - 1) || strcmp(nm(x, t1 - 1), "jr") == 0 ||
            strcmp(nm(x, t1 - 1), "sr") == 0))
      t1--;
    while (u + 2 < t1 &&
           (in_set(nm(x, u), role_words) ||
            (in_set(nm(x, u), person_titles) && !in_set(nm(x, u), honorifics))))
      u++;
    if (u > t0 || tok_end(x, t1 - 1) != off + len) {
      en->name = span_str(x, tk(x, u)->off, tok_end(x, t1 - 1) - tk(x, u)->off);
      if (en->name == NULL)
        return DY_ENOMEM;
    }
  }
  return DY_OK;
}

static int dict_entity(fx *x, const lx_name *n, size_t t, int si)
{
  const dy_engine *e = x->e;
  dy_entity *en;
  size_t t1 = t + (size_t)n->ntok;
  switch (n->kind) {
  case LX_PERSON: {
    const lx_person *p = &e->people[n->idx];
    int in_role;
    const lx_role *r = role_at(p, x->day, &in_role);
    en = new_entity(x, t, t1, DY_ENT_PERSON, si);
    if (en == NULL)
      return DY_ENOMEM;
    en->name = p->name;
    en->actor = 1;
    if (r) {
      if (in_role || strncmp(r->code, "IGO", 3) == 0)
        set_code(en->code, r->code);
      else
        snprintf(en->code, sizeof en->code, "%.3sELI", r->code);
      mention_country(x, en->code);
    }
    return DY_OK;
  }
  case LX_IGO:
  case LX_GROUP:
  case LX_SEAT: {
    const lx_actor *a = &e->actors[n->idx];
    en = new_entity(x, t, t1, DY_ENT_ORG, si);
    if (en == NULL)
      return DY_ENOMEM;
    en->actor = 1;
    if (n->kind == LX_SEAT) {
      en->name = span_str(x, tk(x, t)->off, tok_end(x, t1 - 1) - tk(x, t)->off);
      if (en->name == NULL)
        return DY_ENOMEM;
      snprintf(en->code, sizeof en->code, "%.3sGOV", a->code);
    } else {
      en->name = a->name;
      set_code(en->code, a->code);
    }
    mention_country(x, a->country[0] ? a->country : a->code);
    return DY_OK;
  }
  case LX_COUNTRY:
  case LX_CAPITAL: {
    const lx_actor *a = &e->actors[n->idx];
    uint32_t off = tk(x, t)->off, len = tok_end(x, t1 - 1) - off;
    en = new_entity(x, t, t1, DY_ENT_PLACE, si);
    if (en == NULL)
      return DY_ENOMEM;
    en->actor = 1;
    set_code(en->code, a->code);
    en->name = a->name;
    mention_country(x, a->code);
    if (e->gaz) {
      int ci = dy_gazetteer_country_by_code(e->gaz, a->code);
      if (n->kind == LX_CAPITAL) {
        const char *pr[1];
        size_t cand[4], k, j;
        pr[0] = a->code;
        k = dy_gazetteer_lookup(e->gaz, x->art->text + off, len, pr, 1, cand,
                                4);
        for (j = 0; j < k; j++)
          if (dy_gazetteer_place(e->gaz, cand[j])->country == ci)
            break;
        dy_gazetteer_geo(e->gaz, j < k ? cand[j] : (size_t)-1, ci, &en->geo);
      } else if (ci >= 0) {
        dy_gazetteer_geo(e->gaz, (size_t)-1, ci, &en->geo);
      }
      if (en->geo.type) {
        en->geo.how = "sentence";
        en->geo.off = off;
        en->geo.len = len;
        if (n->kind == LX_CAPITAL)
          en->name = en->geo.name;
      }
    }
    return DY_OK;
  }
  case LX_ADJ:
  case LX_DEMONYM:
    mention_country(x, e->actors[n->idx].code);
    return DY_OK;
  default:
    return DY_OK;
  }
}

/* A dictionary name (not a role word) starting at u ends a name run. */
static int stops_run(const fx *x, size_t u, size_t end)
{
  const lx_name *n = dict_at(x, u, end);
  return n != NULL && n->kind != LX_AGENT;
}

static int find_entities(fx *x)
{
  const dy_article *art = x->art;
  size_t si;
  int rc;
  for (si = 0; si < art->nsents; si++) {
    const dy_sentence *st = &art->sents[si];
    size_t t = st->tok, end = st->tok + st->ntok;
    while (t < end) {
      const lx_name *n = dict_at(x, t, end);
      /* a capitalised role word ("King's College", "Federal University")
       * starts a name run */
      if (n && (n->kind == LX_AGENT) && is_name_tok(x, t))
        n = NULL;
      /* "Vienna Technical University", "Russian Academy of Sciences": a
       * place or adjective that opens an organisation's name */
      if (n && (n->kind == LX_CAPITAL || n->kind == LX_COUNTRY ||
                n->kind == LX_ADJ)) {
        size_t u = t + (size_t)n->ntok, last = 0;
        while (u < end && u < t + 8 && is_name_tok(x, u) &&
               !stops_run(x, u, end)) {
          if (in_set(nm(x, u), org_words))
            last = u + 1;
          u++;
        }
        if (last) {
          mention_country(x, x->e->actors[n->idx].code);
          if ((rc = cap_entity(x, t, last, (int)si, st->tok)) < 0)
            return rc;
          if (x->f->nen && x->f->en[x->f->nen - 1].type == DY_ENT_ORG &&
              x->f->en[x->f->nen - 1].code[0] == '\0') {
            dy_entity *o = &x->f->en[x->f->nen - 1];
            int edu = 0;
            for (u = t; u < last; u++)
              if (in_set(nm(x, u), edu_words))
                edu = 1;
            if (edu)
              snprintf(o->code, sizeof o->code, "%.3sEDU",
                       x->e->actors[n->idx].code);
          }
          t = last;
          continue;
        }
      }
      if (n) {
        if ((rc = dict_entity(x, n, t, (int)si)) < 0)
          return rc;
        t += (size_t)n->ntok;
        continue;
      }
      if (is_name_tok(x, t)) {
        size_t u = t + 1;
        for (;;) {
          if (u < end && is_name_tok(x, u) && !stops_run(x, u, end)) {
            u++;
            continue;
          }
          /* an organisation named after its city: "King's College London" */
          if (u < end && in_set(nm(x, u - 1), org_words)) {
            const lx_name *cn = dict_at(x, u, end);
            if (cn && (cn->kind == LX_CAPITAL || cn->kind == LX_COUNTRY)) {
              u += (size_t)cn->ntok;
              break;
            }
          }
          /* King's College; Sino-NK; University of Oxford */
          if (u + 1 < end && is_name_tok(x, u + 1) &&
              ((strcmp(nm(x, u), "'s") == 0 && glued(x, u - 1)) ||
               ((strcmp(nm(x, u), "-") == 0 || strcmp(nm(x, u), "&") == 0) &&
                glued(x, u - 1) && glued(x, u)) ||
               ((strcmp(nm(x, u), "of") == 0 || strcmp(nm(x, u), "for") == 0) &&
                in_set(nm(x, u - 1), org_words)))) {
            u += 2;
            continue;
          }
          break;
        }
        if ((rc = cap_entity(x, t, u, (int)si, st->tok)) < 0)
          return rc;
        t = u;
        continue;
      }
      t++;
    }
  }
  return DY_OK;
}

/* ---- prior ------------------------------------------------------------- */

static void build_prior(fx *x)
{
  struct dy__facts *f = x->f;
  const dy_gazetteer *g = x->e->gaz;
  const char *p = x->art->places ? x->art->places : "";
  size_t i, j;
  f->nprior = 0;
  f->ndl = 0;
  /* dateline places first */
  while (*p && g) {
    const char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p), cand[2], k;
    k = dy_gazetteer_lookup(g, p, len, NULL, 0, cand, 2);
    if (k && f->ndl < MAX_DL) {
      const dy_place *pl = dy_gazetteer_place(g, cand[0]);
      const dy_country *c = dy_gazetteer_country(g, (size_t)pl->country);
      dy_gazetteer_geo(g, cand[0], -1, &f->dl[f->ndl]);
      f->dl[f->ndl].how = "dateline";
      f->ndl++;
      if (f->nprior < MAX_PRIOR && !prior_has(x, c->cameo))
        f->prior[f->nprior++] = c->cameo;
    }
    p += len + (slash ? 1 : 0);
  }
  /* then the countries by mentions */
  for (;;) {
    int best = -1;
    for (i = 0; i < f->ncc; i++) {
      int seen = 0;
      for (j = 0; j < f->nprior; j++)
        if (strcmp(f->prior[j], f->cc[i]) == 0)
          seen = 1;
      if (!seen && (best < 0 || f->ccount[i] > f->ccount[best]))
        best = (int)i;
    }
    if (best < 0 || f->nprior >= MAX_PRIOR)
      break;
    f->prior[f->nprior++] = f->cc[best];
  }
}

/* ---- quotes ------------------------------------------------------------ */

static dy_quote *new_quote(fx *x)
{
  struct dy__facts *f = x->f;
  dy_quote *q;
  if (f->nq == f->capq) {
    size_t nc = f->capq ? f->capq * 2 : 16;
    f->q = dy_arena_grow(&x->d->mem, f->q, f->capq * sizeof *f->q,
                         nc * sizeof *f->q);
    if (f->q == NULL)
      return NULL;
    f->capq = nc;
  }
  q = &f->q[f->nq++];
  memset(q, 0, sizeof *q);
  q->speaker = "";
  q->affiliation = "";
  q->cue = "";
  return q;
}

/* First token starting at or after off (ntoks when none). */
static size_t tok_at_or_after(const fx *x, uint32_t off)
{
  size_t lo = 0, hi = x->art->ntoks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (tk(x, mid)->off < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static int sentence_of(const fx *x, size_t t)
{
  size_t lo = 0, hi = x->art->nsents;
  while (lo + 1 < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->art->sents[mid].tok <= t)
      lo = mid;
    else
      hi = mid;
  }
  return (int)lo;
}

typedef struct who {
  size_t t0, t1; /* the speaker phrase */
  int pron;
} who;

/* A speaker phrase starting at t (before lim): a pronoun, an entity or a
 * capitalised run, or a short noun phrase ("the minister"). */
static int speaker_at(const fx *x, size_t t, size_t lim, who *w)
{
  size_t u;
  if (t >= lim)
    return 0;
  if (in_set(nm(x, t), pronouns)) {
    w->t0 = t;
    w->t1 = t + 1;
    w->pron = 1;
    return 1;
  }
  w->pron = 0;
  if (x->f->tok_ent[t] >= 0) {
    int e = x->f->tok_ent[t];
    u = t;
    while (u < lim && x->f->tok_ent[u] == e)
      u++;
    /* "Russian President Vladimir Putin": several entities in a row */
    while (u < lim && x->f->tok_ent[u] >= 0 &&
           x->f->en[x->f->tok_ent[u]].type == DY_ENT_PERSON)
      u++;
    w->t0 = t;
    w->t1 = u;
    return 1;
  }
  if (is_name_tok(x, t) && !in_set(nm(x, t), stop_caps)) {
    u = t;
    while (u < lim && is_name_tok(x, u))
      u++;
    w->t0 = t;
    w->t1 = u;
    return 1;
  }
  if (strcmp(nm(x, t), "the") == 0 || strcmp(nm(x, t), "a") == 0 ||
      strcmp(nm(x, t), "an") == 0) {
    for (u = t + 1; u < lim && u < t + 4; u++) {
      if (!is_word(x, u) || in_set(nm(x, u), cue_verbs))
        break;
    }
    if (u > t + 1) {
      w->t0 = t;
      w->t1 = u;
      return 1;
    }
  }
  return 0;
}

/* A cue at t: a verb of saying, or "according to". Sets *n tokens. */
static int cue_at(const fx *x, size_t t, size_t lim, size_t *n)
{
  if (t >= lim || !is_word(x, t))
    return 0;
  if (strcmp(nm(x, t), "according") == 0 && t + 1 < lim &&
      strcmp(nm(x, t + 1), "to") == 0) {
    *n = 2;
    return 1;
  }
  if (in_set(nm(x, t), cue_verbs)) {
    *n = 1;
    return 1;
  }
  return 0;
}

static size_t para_end_tok(const fx *x, size_t t)
{
  size_t n = x->art->ntoks;
  while (t < n && !(tk(x, t)->flags & DY_TOK_PARA))
    t++;
  return t;
}

static int set_speaker(fx *x, dy_quote *q, const who *w, size_t c0, size_t cn)
{
  uint32_t off = tk(x, w->t0)->off, len = tok_end(x, w->t1 - 1) - off;
  int e = x->f->tok_ent[w->t0];
  q->soff = off;
  q->slen = len;
  q->pronoun = w->pron;
  q->coff = tk(x, c0)->off;
  q->clen = tok_end(x, c0 + cn - 1) - q->coff;
  q->cue = span_str(x, q->coff, q->clen);
  if (q->cue == NULL)
    return DY_ENOMEM;
  if (w->pron) {
    /* the last person named before the quote, outside quotes */
    size_t i = x->f->nen, lim = i > MAX_BACK ? i - MAX_BACK : 0;
    q->speaker = strcmp(nm(x, w->t0), "i") == 0 ? "I" : "";
    if (q->speaker[0] == '\0') {
      while (i-- > lim) {
        const dy_entity *en = &x->f->en[i];
        size_t et;
        if (en->type != DY_ENT_PERSON || en->off >= q->off)
          continue;
        et = tok_at_or_after(x, en->off);
        if (et < x->art->ntoks && x->f->tok_q[et] >= 0)
          continue;
        q->speaker = en->name;
        memcpy(q->code, en->code, sizeof q->code);
        break;
      }
    }
    return DY_OK;
  }
  /* the person entity within the phrase, else the phrase as written */
  {
    size_t t;
    for (t = w->t0; t < w->t1; t++) {
      int k = x->f->tok_ent[t];
      if (k >= 0 && x->f->en[k].type == DY_ENT_PERSON) {
        q->speaker = x->f->en[k].name;
        memcpy(q->code, x->f->en[k].code, sizeof q->code);
        return DY_OK;
      }
    }
  }
  if (e >= 0 && x->f->en[e].type == DY_ENT_ORG) {
    q->speaker = x->f->en[e].name;
    memcpy(q->code, x->f->en[e].code, sizeof q->code);
    return DY_OK;
  }
  q->speaker = span_str(x, off, len);
  return q->speaker ? DY_OK : DY_ENOMEM;
}

/* Attribution right after a direct quote ending before token t. */
static int attrib_after(fx *x, dy_quote *q, size_t t)
{
  size_t lim = para_end_tok(x, t), cn;
  who w;
  while (t < lim &&
         (strcmp(nm(x, t), ",") == 0 || strcmp(nm(x, t), "--") == 0 ||
          strcmp(nm(x, t), "\xe2\x80\x94") == 0))
    t++;
  /* CUE SPEAKER: "said Lukin", "said the minister" */
  if (cue_at(x, t, lim, &cn) && speaker_at(x, t + cn, lim, &w))
    return set_speaker(x, q, &w, t, cn) < 0 ? -1 : 1;
  /* SPEAKER [adverb|aux] CUE: "Lukin said", "he told reporters" */
  if (speaker_at(x, t, lim, &w)) {
    size_t c = w.t1;
    size_t k;
    for (k = 0; k < 2 && c < lim && !cue_at(x, c, lim, &cn); k++) {
      const char *v = nm(x, c);
      size_t l = strlen(v);
      if (!(l > 2 && strcmp(v + l - 2, "ly") == 0) && strcmp(v, "has") != 0 &&
          strcmp(v, "had") != 0 && strcmp(v, "also") != 0 &&
          strcmp(v, "then") != 0 && strcmp(v, "later") != 0 &&
          strcmp(v, "once") != 0)
        break;
      c++;
    }
    if (cue_at(x, c, lim, &cn))
      return set_speaker(x, q, &w, c, cn) < 0 ? -1 : 1;
    /* SPEAKER, APPOSITION, CUE: "Lukin, a professor at X, said" */
    if (c < lim && strcmp(nm(x, c), ",") == 0) {
      for (k = c + 1; k < lim && k < c + 14; k++) {
        if (strcmp(nm(x, k), ",") == 0) {
          if (cue_at(x, k + 1, lim, &cn))
            return set_speaker(x, q, &w, k + 1, cn) < 0 ? -1 : 1;
          break;
        }
      }
    }
  }
  return 0;
}

/* Attribution before a direct quote opening at token t: "Lukin said:". */
static int attrib_before(fx *x, dy_quote *q, size_t t)
{
  size_t s0, c, cn, k;
  who w;
  int si;
  if (t == 0)
    return 0;
  si = sentence_of(x, t - 1);
  s0 = x->art->sents[si].tok;
  if (!(strcmp(nm(x, t - 1), ":") == 0 || strcmp(nm(x, t - 1), ",") == 0 ||
        strcmp(nm(x, t - 1), "that") == 0))
    return 0;
  /* the cue within five tokens before the mark */
  for (c = t - 1; c > s0 && c + 6 > t; c--) {
    if (x->f->tok_q[c - 1] >= 0)
      break;
    if (!cue_at(x, c - 1, t, &cn))
      continue;
    /* speaker before the cue: scan back to its start */
    for (k = c - 1; k > s0 && k + 6 > c - 1; k--) {
      if (speaker_at(x, k - 1, c - 1, &w) && w.t1 == c - 1)
        return set_speaker(x, q, &w, c - 1, cn) < 0 ? -1 : 1;
    }
    /* cue then speaker ("says Lukin:") */
    if (speaker_at(x, c - 1 + cn, t, &w))
      return set_speaker(x, q, &w, c - 1, cn) < 0 ? -1 : 1;
    break;
  }
  return 0;
}

/* The affiliation of the first mention of the speaker: "X from/of ORG",
 * "X, a professor at ORG,". */
static void affiliation(fx *x, dy_quote *q)
{
  size_t i;
  void *v;
  if (q->speaker[0] == '\0')
    return;
  v = dy__map_get(&x->first, q->speaker, strlen(q->speaker));
  if (v == NULL)
    return;
  for (i = (size_t)v - 1; i < x->f->nen; i++) {
    const dy_entity *en = &x->f->en[i];
    size_t t, lim, k;
    t = tok_at_or_after(x, en->off + en->len);
    lim = para_end_tok(x, t);
    if (t < lim && strcmp(nm(x, t), ",") == 0)
      t++;
    for (k = t; k < lim && k < t + 6; k++) {
      const char *w = nm(x, k);
      if (strcmp(w, "of") == 0 || strcmp(w, "from") == 0 ||
          strcmp(w, "at") == 0 || strcmp(w, "with") == 0) {
        size_t u = k + 1;
        if (u < lim && strcmp(nm(x, u), "the") == 0)
          u++;
        /* skip "Russia's" before the organisation */
        if (u + 1 < lim && strcmp(nm(x, u + 1), "'s") == 0 &&
            x->f->tok_ent[u] >= 0 &&
            x->f->en[x->f->tok_ent[u]].type == DY_ENT_PLACE && u + 2 < lim &&
            x->f->tok_ent[u + 2] >= 0)
          u += 2;
        if (u < lim && x->f->tok_ent[u] >= 0) {
          const dy_entity *o = &x->f->en[x->f->tok_ent[u]];
          if (o->type == DY_ENT_ORG ||
              (o->type == DY_ENT_PERSON && !o->actor) ||
              (o->type == DY_ENT_PLACE && o->geo.type == 1)) {
            char *s = span_str(x, o->off, o->len);
            if (s)
              q->affiliation = s;
            if (q->code[0] == '\0' && o->code[0])
              memcpy(q->code, o->code, sizeof q->code);
            /* the person takes the organisation's code (GKG-style link),
             * set on every mention at the end */
            if (o->code[0] &&
                dy__map_put(&x->pcode, q->speaker, (void *)o->code) < 0)
              x->nomem = 1;
          }
        }
        return;
      }
      if (k > t && (!is_word(x, k) || is_name_tok(x, k)))
        break; /* only "a professor", "an analyst" may stand between */
    }
    return;
  }
}

static int direct_quotes(fx *x)
{
  const dy_article *art = x->art;
  size_t nspan = dy_quote_spans(art->text, art->n, NULL, 0), i;
  dy_qspan *sp;
  size_t first = x->f->nq;
  if (nspan == 0)
    return DY_OK;
  sp = dy_arena_alloc(&x->d->mem, nspan * sizeof *sp);
  if (sp == NULL)
    return DY_ENOMEM;
  nspan = dy_quote_spans(art->text, art->n, sp, nspan);
  for (i = 0; i < nspan; i++) {
    size_t a = tok_at_or_after(x, sp[i].off), b, t, nwords = 0;
    dy_quote *q;
    b = tok_at_or_after(x, sp[i].off + sp[i].len);
    for (t = a; t < b; t++)
      if (is_word(x, t))
        nwords++;
    if (nwords == 0)
      continue;
    q = new_quote(x);
    if (q == NULL)
      return DY_ENOMEM;
    q->direct = 1;
    q->unclosed = sp[i].unclosed;
    q->off = sp[i].off;
    q->len = sp[i].len;
    /* the words: inside the marks */
    {
      size_t w0 = a, w1 = b;
      while (w0 < w1 && !is_word(x, w0) && (tk(x, w0)->flags & DY_TOK_PUNCT) &&
             w0 == a)
        w0++;
      while (w1 > w0 + 1 && tok_end(x, w1 - 1) == q->off + q->len &&
             !is_word(x, w1 - 1) && !q->unclosed)
        w1--;
      q->qoff = tk(x, w0)->off;
      q->qlen = tok_end(x, w1 - 1) - q->qoff;
    }
    q->sentence = sentence_of(x, a);
    for (t = a; t < b; t++)
      x->f->tok_q[t] = (int)(x->f->nq - 1);
  }
  /* attribution, after the marks are known */
  for (i = first; i < x->f->nq; i++) {
    dy_quote *q = &x->f->q[i];
    size_t a = tok_at_or_after(x, q->off);
    size_t b = tok_at_or_after(x, q->off + q->len);
    int r = 0;
    if (!q->unclosed || (b < art->ntoks && !(tk(x, b)->flags & DY_TOK_PARA)))
      r = attrib_after(x, q, b);
    if (r == 0)
      r = attrib_before(x, q, a);
    if (r < 0)
      return DY_ENOMEM;
  }
  /* interrupted quotes and dialogue turns */
  for (i = first; i < x->f->nq; i++) {
    dy_quote *q = &x->f->q[i];
    size_t a;
    int pa, pprev;
    if (q->speaker[0] || i == first)
      continue;
    a = tok_at_or_after(x, q->off);
    pa = art->sents[sentence_of(x, a)].para;
    pprev = art->sents[x->f->q[i - 1].sentence].para;
    if (pa == pprev && x->f->q[i - 1].speaker[0]) {
      /* "…," Lukin said, "…" */
      q->speaker = x->f->q[i - 1].speaker;
      memcpy(q->code, x->f->q[i - 1].code, sizeof q->code);
      q->cue = x->f->q[i - 1].cue;
      q->coff = x->f->q[i - 1].coff;
      q->clen = x->f->q[i - 1].clen;
      q->soff = x->f->q[i - 1].soff;
      q->slen = x->f->q[i - 1].slen;
    } else if (i >= first + 2 && pa == pprev + 1 &&
               art->sents[x->f->q[i - 2].sentence].para == pprev - 1 &&
               x->f->q[i - 2].speaker[0] && x->f->q[i - 1].speaker[0] &&
               strcmp(x->f->q[i - 2].speaker, x->f->q[i - 1].speaker) != 0) {
      /* alternating turns of a two-person dialogue */
      q->speaker = x->f->q[i - 2].speaker;
      memcpy(q->code, x->f->q[i - 2].code, sizeof q->code);
    }
  }
  /* scare quotes: a few words in marks, not capitalised, unattributed
   * (the "new people" whom …) are not quotations */
  {
    size_t o = first, t;
    for (i = first; i < x->f->nq; i++) {
      dy_quote *q = &x->f->q[i];
      size_t a = tok_at_or_after(x, q->off),
             b = tok_at_or_after(x, q->off + q->len);
      size_t nw = 0, fw = b;
      for (t = a; t < b; t++)
        if (is_word(x, t)) {
          if (fw == b)
            fw = t;
          nw++;
        }
      if (q->speaker[0] == '\0' && nw <= 5 && fw < b &&
          !(tk(x, fw)->flags & DY_TOK_CAP)) {
        for (t = a; t < b; t++)
          x->f->tok_q[t] = -1;
        continue;
      }
      for (t = a; t < b; t++)
        x->f->tok_q[t] = (int)o;
      x->f->q[o++] = *q;
    }
    x->f->nq = o;
  }
  return DY_OK;
}

/* "X said that …", "X told reporters …", "… , according to X." */
static int indirect_quotes(fx *x)
{
  const dy_article *art = x->art;
  size_t si;
  for (si = 0; si < art->nsents; si++) {
    const dy_sentence *st = &art->sents[si];
    size_t s0 = st->tok, s1 = st->tok + st->ntok, t, c0 = 0, c1 = 0;
    size_t cn = 0, k;
    who w;
    int found = 0, any_q = 0;
    for (t = s0; t < s1; t++)
      if (x->f->tok_q[t] >= 0)
        any_q = 1;
    if (any_q || st->ntok < 6)
      continue;
    /* according to X */
    for (t = s0; t + 1 < s1 && !found; t++) {
      if (strcmp(nm(x, t), "according") == 0 &&
          strcmp(nm(x, t + 1), "to") == 0 && speaker_at(x, t + 2, s1, &w)) {
        dy_quote *q;
        size_t a, b;
        if (t == s0) { /* According to X, CLAUSE. */
          for (a = w.t1; a < s1 && strcmp(nm(x, a), ",") != 0; a++)
            ;
          a++;
          b = s1;
        } else { /* CLAUSE, according to X. */
          a = s0;
          b = t;
        }
        while (b > a && !is_word(x, b - 1))
          b--;
        if (b <= a || b - a < 4)
          break;
        q = new_quote(x);
        if (q == NULL)
          return DY_ENOMEM;
        q->off = q->qoff = tk(x, a)->off;
        q->len = q->qlen = tok_end(x, b - 1) - q->off;
        q->sentence = (int)si;
        if (set_speaker(x, q, &w, t, 2) < 0)
          return DY_ENOMEM;
        affiliation(x, q);
        found = 1;
      }
    }
    if (found)
      continue;
    /* SPEAKER ... CUE [that] CLAUSE */
    for (t = s0 + 1; t < s1 && !found; t++) {
      size_t e0, a, b;
      if (!in_set(nm(x, t), indirect_cues) || (tk(x, t)->flags & DY_TOK_CAP))
        continue;
      c0 = t;
      c1 = t + 1;
      /* the speaker: a pronoun or person just before, or a person entity
       * whose apposition ("from …", ", a professor at …,") runs to here */
      found = 0;
      for (k = c0; k > s0 && k + 12 > c0; k--) {
        int e = x->f->tok_ent[k - 1];
        if (k == c0 && in_set(nm(x, k - 1), pronouns) &&
            strcmp(nm(x, k - 1), "i") != 0 && strcmp(nm(x, k - 1), "we") != 0) {
          w.t0 = k - 1;
          w.t1 = k;
          w.pron = 1;
          found = 1;
          break;
        }
        if (e >= 0 && x->f->en[e].type == DY_ENT_PERSON) {
          e0 = k - 1;
          while (e0 > s0 && x->f->tok_ent[e0 - 1] == e)
            e0--;
          if (e0 > s0 && (strcmp(nm(x, e0 - 1), "of") == 0 ||
                          strcmp(nm(x, e0 - 1), "from") == 0 ||
                          strcmp(nm(x, e0 - 1), "at") == 0 ||
                          strcmp(nm(x, e0 - 1), "with") == 0)) {
            k = e0 + 1; /* inside an apposition: look further back */
            continue;
          }
          w.t0 = e0;
          w.t1 = k;
          w.pron = 0;
          found = 1;
          break;
        }
        if (in_set(nm(x, k - 1), indirect_cues) ||
            strcmp(nm(x, k - 1), ";") == 0)
          break;
      }
      if (!found)
        continue;
      /* the clause: after "that", or after "told OBJ" */
      a = c1;
      if (strcmp(nm(x, c0), "told") == 0 || strcmp(nm(x, c0), "tells") == 0) {
        while (a < s1 && a < c1 + 4 && strcmp(nm(x, a), "that") != 0 &&
               (tk(x, a)->flags & DY_TOK_WORD) && !in_set(nm(x, a), pronouns))
          a++;
      }
      for (k = a; k < s1 && k < a + 8; k++)
        if (strcmp(nm(x, k), "that") == 0) {
          a = k + 1;
          break;
        }
      if (a < s1 &&
          (strcmp(nm(x, a), "to") == 0 || strcmp(nm(x, a), ",") == 0 ||
           strcmp(nm(x, a), ".") == 0)) {
        found = 0;
        continue;
      }
      b = s1;
      while (b > a && !is_word(x, b - 1))
        b--;
      if (b <= a || b - a < 4) {
        found = 0;
        continue;
      }
      {
        dy_quote *q = new_quote(x);
        if (q == NULL)
          return DY_ENOMEM;
        q->off = q->qoff = tk(x, a)->off;
        q->len = q->qlen = tok_end(x, b - 1) - q->off;
        q->sentence = (int)si;
        if (set_speaker(x, q, &w, c0, cn ? cn : 1) < 0)
          return DY_ENOMEM;
        affiliation(x, q);
      }
    }
  }
  return DY_OK;
}

static int cmp_quote(const void *a, const void *b)
{
  const dy_quote *x = a, *y = b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* ---- driver ------------------------------------------------------------ */

int dy_doc_facts(dy_doc *d)
{
  fx x;
  struct dy__facts *f;
  size_t t, i;
  int rc;
  if (d->facts)
    return DY_OK;
  memset(&x, 0, sizeof x);
  x.d = d;
  x.e = d->eng;
  x.art = &d->art;
  x.day =
      d->art.date && *d->art.date ? dy_date_parse(dy_str_c(d->art.date)) : -1;
  f = dy_arena_zalloc(&d->mem, sizeof *f);
  if (f == NULL)
    goto nomem;
  x.f = f;
  f->tok_ent = dy_arena_alloc(&d->mem, (x.art->ntoks + 1) * sizeof(int));
  f->tok_q = dy_arena_alloc(&d->mem, (x.art->ntoks + 1) * sizeof(int));
  if (f->tok_ent == NULL || f->tok_q == NULL)
    goto nomem;
  for (t = 0; t < x.art->ntoks; t++) {
    f->tok_ent[t] = f->tok_q[t] = -1;
    if (x.art->toks[t].upos)
      f->parsed = 1;
  }
  for (t = 0; t < x.art->ntoks; t++) {
    const dy_token *k = &x.art->toks[t];
    if ((k->flags & DY_TOK_WORD) && !(k->flags & DY_TOK_CAP) &&
        !dy__map_get(&x.lower, k->norm, strlen(k->norm)) &&
        dy__map_put(&x.lower, k->norm, (void *)1) < 0)
      goto nomem;
  }
  /* the dateline prior first, then entities, then the full prior */
  build_prior(&x);
  if ((rc = find_entities(&x)) < 0)
    goto fail;
  build_prior(&x);
  for (i = 0; i < f->nen; i++) {
    const dy_entity *en = &f->en[i];
    if (en->type == DY_ENT_PERSON &&
        !dy__map_get(&x.first, en->name, strlen(en->name)) &&
        dy__map_put(&x.first, en->name, (void *)(i + 1)) < 0)
      goto nomem;
  }
  if ((rc = direct_quotes(&x)) < 0)
    goto fail;
  for (i = 0; i < f->nq; i++)
    affiliation(&x, &f->q[i]);
  if ((rc = indirect_quotes(&x)) < 0)
    goto fail;
  if (f->nq > 1)
    qsort(f->q, f->nq, sizeof *f->q, cmp_quote);
  if (x.nomem)
    goto nomem;
  for (i = 0; i < f->nen; i++) {
    dy_entity *en = &f->en[i];
    const char *code;
    if (en->type != DY_ENT_PERSON || en->code[0])
      continue;
    code = dy__map_get(&x.pcode, en->name, strlen(en->name));
    if (code)
      memcpy(en->code, code, sizeof en->code);
  }
  {
    char *s = dy_arena_alloc(&d->mem, f->ncc * 4 + 1);
    size_t o = 0;
    if (s == NULL)
      goto nomem;
    for (i = 0; i < f->ncc; i++) {
      if (i)
        s[o++] = ',';
      memcpy(s + o, f->cc[i], 3);
      o += 3;
    }
    s[o] = '\0';
    f->countries = s;
  }
  if (d->mem.failed)
    goto nomem;
  d->facts = f;
  dy__map_fini(&x.lower);
  dy__map_fini(&x.first);
  dy__map_fini(&x.pcode);
  return DY_OK;
nomem:
  rc = DY_ENOMEM;
fail:
  dy__map_fini(&x.lower);
  dy__map_fini(&x.first);
  dy__map_fini(&x.pcode);
  if (rc == DY_ENOMEM && d->mem.failed == DY_ARENA_OVERCAP)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "facts need more than the work memory cap");
  return dy_err_set(&d->err, rc, "finding quotes and entities: %s",
                    dy_strerror(rc));
}

size_t dy_doc_nquotes(const dy_doc *d)
{
  return d->facts ? d->facts->nq : 0;
}

const dy_quote *dy_doc_quote(const dy_doc *d, size_t i)
{
  return d->facts && i < d->facts->nq ? &d->facts->q[i] : NULL;
}

size_t dy_doc_nentities(const dy_doc *d)
{
  return d->facts ? d->facts->nen : 0;
}

const dy_entity *dy_doc_entity(const dy_doc *d, size_t i)
{
  return d->facts && i < d->facts->nen ? &d->facts->en[i] : NULL;
}

const char *dy_doc_countries(const dy_doc *d)
{
  return d->facts ? d->facts->countries : "";
}

size_t dy_doc_ndateline_geo(const dy_doc *d)
{
  return d->facts ? d->facts->ndl : 0;
}

const dy_geo *dy_doc_dateline_geo(const dy_doc *d, size_t i)
{
  return d->facts && i < d->facts->ndl ? &d->facts->dl[i] : NULL;
}

/* ---- events' geography ------------------------------------------------- */

static void actor_geo(const dy_doc *d, const dy_actor *a, dy_geo *g)
{
  const dy_gazetteer *gz = d->eng->gaz;
  int ci = dy_gazetteer_country_by_code(gz, a->country);
  memset(g, 0, sizeof *g);
  g->name = "";
  g->how = "";
  if (ci < 0)
    return;
  dy_gazetteer_geo(gz, (size_t)-1, ci, g);
  g->how = "actor";
}

/* Is the mention at off preceded by a locative preposition ("in Seoul")? */
static int locative(const dy_doc *d, uint32_t off, uint32_t end)
{
  static const char *const preps[] = {"in",     "inside",     "within",
                                      "across", "throughout", "near",
                                      "at",     "outside",    NULL};
  const dy_article *art = &d->art;
  size_t lo = 0, hi = art->ntoks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (art->toks[mid].off < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  hi = lo;
  while (hi < art->ntoks && art->toks[hi].off < end)
    hi++;
  if (hi < art->ntoks && strcmp(art->toks[hi].norm, "'s") == 0)
    return 0; /* "in Russia's policy": a possessor */
  while (lo > 0 && strcmp(art->toks[lo - 1].norm, "the") == 0)
    lo--;
  return lo > 0 && in_set(art->toks[lo - 1].norm, preps);
}

int dy__facts_events(dy_doc *d)
{
  const dy_geo *lead = NULL;
  size_t i, j;
  int rc;
  if (d->eng->gaz == NULL || d->nevents == 0)
    return DY_OK;
  if ((rc = dy_doc_facts(d)) < 0)
    return rc;
  for (j = 0; j < d->facts->nen && lead == NULL; j++) {
    const dy_entity *en = &d->facts->en[j];
    if (en->sentence >= 3)
      break; /* the lead: the first three sentences */
    if (en->type == DY_ENT_PLACE && en->geo.type >= 2)
      lead = &en->geo;
  }
  for (i = 0; i < d->nevents; i++) {
    dy_event *ev = &d->events[i];
    const dy_geo *best = NULL;
    actor_geo(d, &ev->source, &ev->actor1_geo);
    actor_geo(d, &ev->target, &ev->actor2_geo);
    /* a place named in the sentence outside the actors' mentions, the most
     * specific first; entities are in text order, so the sentence's run is
     * found by binary search (a document of 32,000 events stays linear) */
    {
      size_t lo = 0, hi = d->facts->nen;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->facts->en[mid].sentence < ev->sentence)
          lo = mid + 1;
        else
          hi = mid;
      }
      j = lo;
    }
    for (; j < d->facts->nen && d->facts->en[j].sentence <= ev->sentence;
         j++) {
      const dy_entity *en = &d->facts->en[j];
      if (en->sentence != ev->sentence || en->type != DY_ENT_PLACE ||
          en->geo.type == 0)
        continue;
      if (en->actor && !locative(d, en->off, en->off + en->len))
        continue; /* "Russia", "Pyongyang" as actors, not where */
      if ((en->off >= ev->source.off &&
           en->off < ev->source.off + ev->source.len) ||
          (en->off >= ev->target.off &&
           en->off < ev->target.off + ev->target.len))
        continue;
      if (best == NULL || (best->type == 1 && en->geo.type != 1))
        best = &en->geo;
    }
    if (best == NULL && d->facts->ndl)
      best = &d->facts->dl[0];
    /* no dateline: the first city or state of the lead (three sentences), when
     * it lies in an actor's country (or the actors have none) */
    if (best == NULL && lead &&
        (ev->actor1_geo.type == 0 ||
         strcmp(lead->iso3, ev->actor1_geo.iso3) == 0 ||
         strcmp(lead->iso3, ev->actor2_geo.iso3) == 0))
      best = lead;
    if (best) {
      ev->action_geo = *best;
      if (best == lead && ev->action_geo.how &&
          strcmp(best->how, "sentence") == 0 &&
          (ev->sentence >= 3 || best->off < d->art.sents[ev->sentence].off ||
           best->off >=
               d->art.sents[ev->sentence].off + d->art.sents[ev->sentence].len))
        ev->action_geo.how = "lead";
    } else if (ev->actor1_geo.type)
      ev->action_geo = ev->actor1_geo;
    else
      ev->action_geo = ev->actor2_geo;
  }
  return DY_OK;
}

/* ---- JSON -------------------------------------------------------------- */

static void jkv(dy_buf *b, const char *k, const char *v)
{
  dy_buf_printf(b, "\"%s\":", k);
  dy_buf_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

int dy_quote_json(const dy_doc *d, const dy_quote *q, dy_buf *b)
{
  const dy_article *art = &d->art;
  dy_buf_puts(b, "{");
  jkv(b, "doc", art->name);
  dy_buf_printf(b, ",\"type\":\"%s\",\"start\":%u,\"end\":%u,",
                q->direct ? "direct" : "indirect", q->off, q->off + q->len);
  jkv(b, "quote", "");
  b->n -= 2; /* replace "" with the text */
  if (!b->failed)
    b->p[b->n] = '\0';
  dy_buf_json_str(b, art->text + q->qoff, q->qlen);
  dy_buf_printf(b, ",\"sentence_index\":%d,\"unclosed\":%s,", q->sentence,
                q->unclosed ? "true" : "false");
  jkv(b, "speaker", q->speaker);
  dy_buf_putc(b, ',');
  jkv(b, "affiliation", q->affiliation);
  dy_buf_putc(b, ',');
  jkv(b, "code", q->code);
  dy_buf_putc(b, ',');
  jkv(b, "cue", q->cue);
  if (q->slen)
    dy_buf_printf(b, ",\"speaker_start\":%u,\"speaker_end\":%u,\"pronoun\":%s",
                  q->soff, q->soff + q->slen, q->pronoun ? "true" : "false");
  if (q->clen)
    dy_buf_printf(b, ",\"cue_start\":%u,\"cue_end\":%u", q->coff,
                  q->coff + q->clen);
  dy_buf_putc(b, '}');
  return b->failed ? DY_ENOMEM : DY_OK;
}

int dy_entity_json(const dy_doc *d, const dy_entity *e, dy_buf *b)
{
  static const char *const types[] = {"", "person", "organization", "place"};
  const dy_article *art = &d->art;
  dy_buf_puts(b, "{");
  jkv(b, "doc", art->name);
  dy_buf_printf(b, ",\"type\":\"%s\",\"start\":%u,\"end\":%u,",
                types[e->type >= 1 && e->type <= 3 ? e->type : 0], e->off,
                e->off + e->len);
  dy_buf_puts(b, "\"text\":");
  dy_buf_json_str(b, art->text + e->off, e->len);
  dy_buf_putc(b, ',');
  jkv(b, "name", e->name);
  dy_buf_putc(b, ',');
  jkv(b, "code", e->code);
  dy_buf_printf(b, ",\"sentence_index\":%d,\"dictionary\":%s", e->sentence,
                e->actor ? "true" : "false");
  if (e->type == DY_ENT_PLACE) {
    dy_buf_puts(b, ",\"geo\":");
    dy_geo_json(&e->geo, b);
  }
  dy_buf_putc(b, '}');
  return b->failed ? DY_ENOMEM : DY_OK;
}

/* ---- plain bodies ------------------------------------------------------ */

int dy_doc_analyse_plain(dy_doc *d, const char *bytes, size_t n,
                         const char *name, const char *date)
{
  dy__block *bl;
  size_t nb = 0, cap = 16, i = 0;
  int rc;
  dy_arena_reset(&d->mem);
  dy_buf_reset(&d->in);
  dy_err_clear(&d->err);
  memset(&d->art, 0, sizeof d->art);
  d->art.headline = d->art.date = d->art.places = d->art.agency =
      d->art.dateline = d->art.url = d->art.byline = d->art.language = "";
  d->art.format = "text";
  d->art.charset = "utf-8";
  d->art.text = "";
  d->events = NULL;
  d->nevents = d->capevents = 0;
  d->facts = NULL;
  d->art.name =
      dy_arena_strndup(&d->mem, name ? name : "-", strlen(name ? name : "-"));
  if (d->art.name == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  dy_sha256_hex(bytes, n, d->art.hash);
  if (n > d->opts.max_bytes)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "document is %zu bytes, over the cap of %zu bytes", n,
                      d->opts.max_bytes);
  rc = dy_utf8_repair(bytes, n, &d->in, &d->art.nbad_utf8);
  if (rc < 0)
    return dy_err_set(&d->err, rc, "cannot copy input: %s", dy_strerror(rc));
  bytes = d->in.p ? d->in.p : "";
  n = d->in.n;
  bl = dy_arena_alloc(&d->mem, cap * sizeof *bl);
  if (bl == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  while (i < n) {
    size_t end = i;
    while (end < n &&
           !(bytes[end] == '\n' && end + 1 < n && bytes[end + 1] == '\n'))
      end++;
    if (end > i) {
      if (nb == cap) {
        bl = dy_arena_grow(&d->mem, bl, cap * sizeof *bl, 2 * cap * sizeof *bl);
        if (bl == NULL)
          return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
        cap *= 2;
      }
      bl[nb].p = bytes + i;
      bl[nb].n = end - i;
      bl[nb].heading = 0;
      nb++;
    }
    i = end + 2;
  }
  if (nb == 0)
    return dy_err_set(&d->err, DY_EEMPTY, "no text");
  return dy__article_build(d, bl, nb, date, 0);
}
