/* SPDX-License-Identifier: MIT */
/* Facts read from an analysed article beside its events: quotations with
 * their speakers, named entities (persons, organisations, places) linked to
 * actor codes, places resolved against the gazetteer, and the countries the
 * article mentions. Records carry byte offsets into dy_article.text and are
 * the contract for the store and the web server (docs/QUOTES.md,
 * docs/PLACES.md). Geography records (dy_geo) live in engine.h because
 * events carry them. */
#ifndef DYAD_FACTS_H
#define DYAD_FACTS_H

#include "dyad/engine.h"

/* ---- quotations -------------------------------------------------------- */

typedef struct dy_quote {
  uint32_t off, len;   /* the quotation: with its marks when direct, the
                          reported clause when indirect */
  uint32_t qoff, qlen; /* the words only (inside the marks) */
  int direct;          /* 1 direct (quote marks), 0 indirect ("said that") */
  int unclosed;        /* 1: no closing mark; ended at the paragraph's end */
  int sentence;        /* sentence index of the first word */
  const char *speaker; /* full name ("Artyom Lukin"), the phrase as written
                          ("a spokesman", "I"), or "" when unattributed */
  uint32_t soff, slen; /* the speaker's mention that attributes the quote
                          (a surname or pronoun too); slen 0 when none */
  int pronoun;         /* 1: the speaker came from a pronoun */
  const char *affiliation; /* "Far Eastern Federal University" or "" */
  char code[24];           /* speaker's actor code ("RUSGOV") or "" */
  const char *cue;         /* cue as written ("said", "according to") or "" */
  uint32_t coff, clen;     /* the cue's span; clen 0 when none */
} dy_quote;

/* ---- named entities ---------------------------------------------------- */

enum { DY_ENT_PERSON = 1, DY_ENT_ORG = 2, DY_ENT_PLACE = 3 };

typedef struct dy_entity {
  uint32_t off, len; /* the mention */
  int type;          /* DY_ENT_* */
  int sentence;      /* sentence index */
  const char *name;  /* canonical name: the full name introduced earlier
                        for a surname, the dictionary's name, else as
                        written (doc arena or engine) */
  char code[24];     /* actor code at the article date, or "" */
  int actor;         /* nonzero: part of a dictionary actor mention */
  dy_geo geo;        /* places: the resolved place (type 0 when unknown) */
} dy_entity;

/* Finds quotes, entities and places in the analysed article (idempotent
 * until the next dy_doc_analyse; dy_doc_code calls it to fill event
 * geography). DY_OK, DY_ENOMEM or DY_ETOOBIG (work memory cap). */
int dy_doc_facts(dy_doc *d);

size_t dy_doc_nquotes(const dy_doc *d);
const dy_quote *dy_doc_quote(const dy_doc *d, size_t i); /* borrowed */
size_t dy_doc_nentities(const dy_doc *d);
const dy_entity *dy_doc_entity(const dy_doc *d, size_t i); /* borrowed */
/* Countries the article names (nouns, adjectives, demonyms, capitals,
 * people in office), CAMEO codes in order of first mention, joined by ","
 * ("RUS,PRK,KOR"); "" when none. Doc arena. */
const char *dy_doc_countries(const dy_doc *d);
/* The dateline's places resolved, in order (at most 4). */
size_t dy_doc_ndateline_geo(const dy_doc *d);
const dy_geo *dy_doc_dateline_geo(const dy_doc *d, size_t i);

/* JSON objects (no newline) as printed by `dyad quotes` / `dyad entities`. */
int dy_quote_json(const dy_doc *d, const dy_quote *q, dy_buf *out);
int dy_entity_json(const dy_doc *d, const dy_entity *e, dy_buf *out);
/* A geography object ({"type":4,"name":...}); null when g->type == 0. */
int dy_geo_json(const dy_geo *g, dy_buf *out);

/* Reads a plain body with no headline, dateline or boilerplate detection:
 * paragraphs are separated by blank lines, text offsets are those of the
 * input when it has no "\r" and no runs of blank lines (used by `dyad eval
 * quotes` on pre-segmented text). Same errors as dy_doc_analyse. */
int dy_doc_analyse_plain(dy_doc *d, const char *bytes, size_t n,
                         const char *name, const char *date);

/* ---- the quote-mark scanner -------------------------------------------- */

typedef struct dy_qspan {
  uint32_t off, len; /* from the opening mark through the closing mark */
  int unclosed;      /* ended at a paragraph end without a closing mark */
} dy_qspan;

/* Finds quotations in text[0..n) (valid UTF-8 or not: bytes only): straight
 * and curly double quotes, guillemets, low-9 openers, curly single quotes;
 * a paragraph that ends inside a quote continues it when the next paragraph
 * opens with a mark, else the quote ends there (unclosed). A paragraph break
 * is "\n". Writes at most cap spans to out, returns the number found (may be
 * larger than cap). Linear time, no allocation. */
size_t dy_quote_spans(const char *text, size_t n, dy_qspan *out, size_t cap);

/* ---- the gazetteer ----------------------------------------------------- */

enum { DY_PLACE_COUNTRY = 1, DY_PLACE_ADM1 = 2, DY_PLACE_CITY = 3 };

typedef struct dy_country {
  char iso2[3], iso3[4], cameo[4], fips[3];
  const char *name;    /* "Russia" */
  const char *capital; /* "Moscow" */
  double lat, lon;     /* the capital */
  double clat, clon;   /* population-weighted centre of its cities, else
                          the capital */
} dy_country;

typedef struct dy_place {
  const char *name;     /* "Moscow" */
  const char *adm1name; /* first-level subdivision name or "" */
  char adm1[8];         /* ISO 3166-2 code ("US-TX") or "" */
  int kind;             /* DY_PLACE_* */
  int country;          /* index of its country */
  int capital;          /* nonzero: the country's capital */
  double lat, lon;
  unsigned long pop; /* population, 0 unknown */
  const char *full;  /* "Moscow, Moscow, Russia" */
} dy_place;

typedef struct dy_gazetteer dy_gazetteer;

/* An empty gazetteer; add files with dy_gazetteer_add. */
int dy_gazetteer_new(dy_gazetteer **out);
void dy_gazetteer_free(dy_gazetteer *g);
/* Adds one file's bytes: what = "countries" (countries.tsv), "places"
 * (gazetteer.tsv from tools/gazgen) or "zones" (tzdata's zone1970.tab).
 * Bad lines are skipped and counted in *nbad (first one described in err
 * with file name and line). DY_OK, DY_ENOMEM, DY_EINVAL (unknown what). */
int dy_gazetteer_add(dy_gazetteer *g, const char *what, const char *bytes,
                     size_t n, const char *name, size_t *nbad, dy_err *err);
/* Reads and adds a file; DY_ENOENT when missing. */
int dy_gazetteer_add_file(dy_gazetteer *g, const char *what, const char *path,
                          size_t *nbad, dy_err *err);
/* After the last add: capitals missing from the city files become cities,
 * country centres are computed. DY_OK or DY_ENOMEM. */
int dy_gazetteer_finish(dy_gazetteer *g);
size_t dy_gazetteer_ncountries(const dy_gazetteer *g);
size_t dy_gazetteer_nplaces(const dy_gazetteer *g);
const dy_country *dy_gazetteer_country(const dy_gazetteer *g, size_t i);
const dy_place *dy_gazetteer_place(const dy_gazetteer *g, size_t i);
/* Country index by ISO alpha-2, alpha-3 or CAMEO code; -1 when unknown. */
int dy_gazetteer_country_by_code(const dy_gazetteer *g, const char *code);
/* Places named s[0..n) (case-insensitive ASCII), best first for the given
 * prior countries (CAMEO/ISO3 codes, may be NULL): writes up to cap place
 * indexes into out, returns the number written. */
size_t dy_gazetteer_lookup(const dy_gazetteer *g, const char *s, size_t n,
                           const char *const *prior, size_t nprior, size_t *out,
                           size_t cap);
/* Fills a GDELT-style geography record for place i (or country ci when
 * i == (size_t)-1). name points into the gazetteer. */
void dy_gazetteer_geo(const dy_gazetteer *g, size_t i, int ci, dy_geo *out);

/* The engine's gazetteer (loaded with the dictionaries), or NULL when the
 * dictionary directory has no countries.tsv. */
const dy_gazetteer *dy_engine_gazetteer(const dy_engine *e);

#endif /* DYAD_FACTS_H */
