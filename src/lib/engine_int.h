/* SPDX-License-Identifier: MIT */
/* Internals shared by the engine's files (lex.c, text.c, code.c, engine.c):
 * the loaded dictionaries and the per-document context. */
#ifndef DYAD_ENGINE_INT_H
#define DYAD_ENGINE_INT_H

#include "dyad/engine.h"
#include "dyad/nlp.h"

/* ---- string map -------------------------------------------------------- */

/* Open-addressing map from NUL-terminated keys (borrowed, must outlive the
 * map) to a pointer value. */
typedef struct dy__map {
  const char **keys; /* slot keys, NULL = empty */
  void **vals;       /* slot values */
  size_t cap;        /* slots, power of two */
  size_t n;          /* used slots */
} dy__map;

int dy__map_put(dy__map *m, const char *key, void *val); /* replaces */
void *dy__map_get(const dy__map *m, const char *key, size_t n);
void dy__map_fini(dy__map *m);

/* ---- lexicon ----------------------------------------------------------- */

enum {
  LX_PERSON = 0, /* kinds in priority order for equal-length matches */
  LX_IGO,
  LX_GROUP,
  LX_COUNTRY,
  LX_SEAT,
  LX_CAPITAL,
  LX_ADJ,
  LX_DEMONYM,
  LX_AGENT,
  LX_NKINDS
};

typedef struct lx_actor {
  char code[24];    /* CAMEO code */
  char country[4];  /* country code, "IGO" */
  char role[4];     /* role part of the code, "" */
  const char *name; /* display name */
} lx_actor;

typedef struct lx_role {
  long from;        /* day number, inclusive */
  long to;          /* day number, inclusive (LONG_MAX when open) */
  char code[24];    /* actor code while in the role */
  const char *desc; /* "President of Russia" */
  int line;         /* dictionary line */
} lx_role;

typedef struct lx_person {
  const char *name; /* display name */
  lx_role *roles;   /* roles in file order */
  int nroles;       /* entries in roles */
} lx_person;

typedef struct lx_name {
  const char **toks;    /* normalised tokens */
  int ntok;             /* token count */
  int kind;             /* LX_* */
  int exact;            /* match case exactly (short all-caps acronym) */
  int cap;              /* first text token must be capitalised */
  int idx;              /* actor, person or agent index */
  const char *what;     /* evidence description */
  const char *file;     /* dictionary file (basename) */
  int line;             /* dictionary line */
  struct lx_name *next; /* next in the first-token chain (longest first) */
} lx_name;

enum { PE_HEAD, PE_LIT, PE_GAP, PE_TARGET };

typedef struct lx_elem {
  int type;           /* PE_* */
  int nalt;           /* PE_LIT: alternatives */
  const char ***alts; /* PE_LIT: each a NULL-terminated token array */
  int stem;           /* PE_LIT: tokens of 5+ letters match as prefixes
                         (PETRARCH stems: VIOLAT → violated, violation) */
} lx_elem;

typedef struct lx_pattern {
  char code[5];            /* CAMEO event code */
  char rcode[5];           /* code of the reverse event (target → source,
                              PETRARCH's [A:B]), "" when none */
  int rboth;               /* [A:B] codes both events (PETRARCH-1/TABARI);
                              else B only when A is empty (PETRARCH-2:
                              B is the passive reading) */
  int verb;                /* head verb index */
  lx_elem *el;             /* elements, head first */
  int nel;                 /* element count */
  int nlit;                /* literal elements (specificity) */
  int has_target;          /* a $ element is present */
  lx_elem *pre;            /* PE_LIT elements that must stand before the
                              verb in the sentence, in order (PETRARCH) */
  int npre;                /* entries in pre */
  const char *text;        /* pattern as written */
  const char *file;        /* dictionary file */
  int line;                /* dictionary line */
  struct lx_pattern *next; /* next pattern of the same verb */
} lx_pattern;

typedef struct lx_verb {
  const char *lemma;    /* lower case */
  lx_pattern *patterns; /* chain */
} lx_verb;

/* A verb form → verb chain node. */
typedef struct lx_form {
  int verb;             /* verb index */
  int base;             /* the form is the lemma itself */
  struct lx_form *next; /* other verbs with the same form */
} lx_form;

typedef struct lx_cameo {
  char code[5];     /* "057" */
  char root[3];     /* "05" */
  int quad;         /* 1..4 */
  double goldstein; /* -10..10 */
  const char *name; /* label */
} lx_cameo;

/* A PETRARCH discard phrase: a sentence containing it codes nothing. */
typedef struct lx_discard {
  const char **toks;       /* normalised tokens */
  int ntok;                /* token count */
  int story;               /* nonzero: the whole document codes nothing */
  int words;               /* PETRARCH: matches blank-separated words only
                              (no punctuation glued on, not sentence-final) */
  const char *code;        /* category (dyad's discards.dict), or NULL */
  const char *file;        /* dictionary file */
  int line;                /* dictionary line */
  struct lx_discard *next; /* next phrase with the same first token */
} lx_discard;

/* An issue phrase: events of a sentence containing it carry the code. */
typedef struct lx_issue {
  const char **toks;     /* normalised tokens */
  int ntok;              /* token count */
  const char *code;      /* issue code ("NUCLEAR") */
  const char *file;      /* dictionary file */
  int line;              /* dictionary line */
  struct lx_issue *next; /* next phrase with the same first token */
} lx_issue;

/* A PETRARCH-2 transformation of a reported event: "~ a (a b ATTACK) SAY =
 * a b 015" (self) or "~ a (b . ATTACK) SAY = a b 112" (other). The verbs
 * stand for their codes; a code ending in 0 stands for its whole family
 * (190: 19x). */
#define LX_MAX_XFORMS 32
typedef struct lx_xform {
  int self;          /* the inner source is the speaker (a (a b X)); else
                        the inner source b is someone else (a (b . X)) */
  const char *inner; /* inner verb lemma (lower case) */
  const char *outer; /* outer (speech) verb lemma */
  char code[5];      /* result code, "" = the inner event's own (Q) */
  int line;          /* dictionary line */
} lx_xform;

struct dy_engine {
  dy_arena mem;       /* everything below lives here */
  lx_xform xforms[LX_MAX_XFORMS]; /* PETRARCH-2 transformations */
  int nxforms;
  lx_actor *actors;   /* countries, IGOs, groups */
  size_t nactors, capactors;
  lx_person *people;
  size_t npeople, cappeople;
  lx_actor *agents;   /* code = role code */
  size_t nagents, capagents;
  lx_verb *verbs;
  size_t nverbs, capverbs;
  dy__map names;      /* first token → lx_name chain */
  dy__map forms;      /* verb form → lx_form chain */
  dy__map verbidx;    /* lemma → (verb index + 1) as pointer */
  dy__map cameo;      /* code → lx_cameo */
  dy__map actoridx;   /* actor code → (index + 1), countries/igos/groups */
  dy__map discards;   /* first token → lx_discard chain */
  dy__map issues;     /* first token → lx_issue chain */
  dy_engine_stats st; /* counts */
  struct dy_parser *parser;   /* tagger/parser model, NULL = no analysis */
  dy_lemmatizer *lemmatizer;  /* lemmas, with parser */
  struct dy_gazetteer *gaz; /* places (geo.c), NULL without countries.tsv */
};

/* lex.c */
/* Loads dyad's dictionaries from dir, or PETRARCH-2 ones (files: comma
 * separated names, NULL for the default set) when dir has no actors.dict. */
int dy__lex_load(dy_engine *e, const char *dir, const char *files, int strict,
                 dy_err *err);
/* Normalised form of a token: ASCII lower case, ’ and ‘ → '. Returns an
 * arena string. */
char *dy__norm(dy_arena *a, const char *s, size_t n);

/* ---- tokenizer (text.c) ------------------------------------------------ */

typedef struct dy__tok {
  uint32_t off;   /* byte offset */
  uint32_t len;   /* bytes */
  uint32_t flags; /* DY_TOK_* */
} dy__tok;

/* tokenize.c: tokenises s[0..n) into toks (arena array, *ntok entries).
 * DY_ENOMEM when the arena is exhausted. */
int dy__tokenize(dy_arena *a, const char *s, size_t n, dy__tok **toks,
                 size_t *ntok);
/* tokenize.c: splits toks (DY_TOK_PARA set on paragraph starts) of text s
 * into sentences written to out (room for ntok entries); returns how many.
 * No sentence is longer than DY_MAX_SENTENCE_TOKENS. */
size_t dy__split_sentences(const char *s, const dy_token *toks, size_t ntok,
                           dy_sentence *out);

/* engine.c: repairs one sentence of our own parse, t[0..n) (absolute
 * index of t[0] is t0), in place: a word after a modal tagged as an
 * adjective is the verb ("it would free 40 fishermen"). */
void dy__modal_adj_verb(dy_token *t, size_t n, int32_t t0);
/* "the U.S., South Korea and Japan" parsed with the first name a compound
 * of a later one across a comma: the first heads the list. */
void dy__comma_compound(dy_token *t, size_t n, int32_t t0);

/* ---- document ---------------------------------------------------------- */

struct dy_doc {
  const dy_engine *eng; /* borrowed */
  dy_doc_opts opts;     /* caps */
  dy_arena mem;         /* per-document arena, reset by analyse */
  dy_buf in;            /* repaired input copy */
  dy_article art;       /* the article */
  dy_event *events;     /* coded events (arena) */
  size_t nevents, capevents;
  dy_err err;           /* last error */
  const struct dy_input *hint; /* container record being analysed (title,
                                  content type), or NULL; borrowed */
  struct dy__html *html;       /* HTML parser state (html.c), or NULL */
  int given_parse;             /* the tokens carry a tree read from the input
                                  (dy_doc_analyse_tokens), not our parse */
  struct dy_parse_ws *pws;     /* tagger/parser working memory, or NULL */
  struct dy_pword *ptok;        /* one sentence for the parser (owned) */
  size_t capptok;              /* entries in ptok */
  struct dy__facts *facts;     /* quotes, entities (facts.c), doc arena;
                                  NULL until dy_doc_facts */
};

/* text.c: fills d->art from bytes (plain text, or HTML through html.c). */
int dy__text_analyse(dy_doc *d, const char *bytes, size_t n, const char *name,
                     const char *date);

/* One block of an article body handed to dy__article_build. */
typedef struct dy__block {
  const char *p; /* text, valid UTF-8; a '\n' is a line break cue */
  size_t n;      /* bytes */
  int heading;   /* nonzero: a section heading */
} dy__block;

/* text.c: builds d->art's body, headings, dateline (from the first
 * paragraph when find_dateline), date (explicit date wins over the
 * dateline's, which wins over d->art.date already set), tokens and
 * sentences from blocks. Returns DY_OK or an error set on d. */
int dy__article_build(dy_doc *d, const dy__block *b, size_t nb,
                      const char *date, int find_dateline);
/* text.c: nonzero for a share bar / subscribe prompt / cookie line; sets
 * *cut when the line starts a teaser list ("More like this"). */
int dy__text_is_boiler(const char *p, size_t n, int *cut);

/* html.c: nonzero when bytes look like HTML (ctype from the container wins:
 * "text/html" yes, "text/plain" no). */
int dy__html_sniff(const char *p, size_t n, const char *ctype);
/* html.c: fills d->art from an HTML page: charset, parse, main content,
 * metadata. Returns DY_OK or an error set on d. */
int dy__html_analyse(dy_doc *d, const char *bytes, size_t n,
                     const char *date);
void dy__html_free(struct dy__html *h);
/* geo.c: loads dir/countries.tsv, the generated gazetteer and tzdata's
 * zone table into e->gaz (absent countries.tsv: e->gaz stays NULL). */
int dy__geo_load(dy_engine *e, const char *dir, dy_err *err);
/* facts.c: fills the events' geography after coding. */
int dy__facts_events(dy_doc *d);
/* code.c: fills d->events from d->art. */
int dy__code_article(dy_doc *d);

#endif
