/* SPDX-License-Identifier: MIT */
/* The reading engine: dictionaries loaded once (dy_engine, immutable and
 * shared read-only across threads) and per-document work (dy_doc: one per
 * worker thread, reused across documents). Records here are the contract
 * between the stages: article → sentences/tokens → events. */
#ifndef DYAD_ENGINE_H
#define DYAD_ENGINE_H

#include "dyad/core.h"
#include "dyad/nlp.h"

/* ---- compile-time defaults (override with -D) -------------------------- */

#ifndef DY_DEFAULT_MAX_DOC_BYTES
#define DY_DEFAULT_MAX_DOC_BYTES ((size_t)64 << 20) /* 64 MiB per document */
#endif
#ifndef DY_DEFAULT_ARENA_CAP
#define DY_DEFAULT_ARENA_CAP ((size_t)1 << 30) /* per-document work memory */
#endif
#ifndef DY_MAX_SENTENCE_TOKENS
#define DY_MAX_SENTENCE_TOKENS 256 /* longer runs are cut into pieces */
#endif
#ifndef DY_MAX_TOKEN_BYTES
#define DY_MAX_TOKEN_BYTES 256 /* longer runs of letters are cut */
#endif

/* ---- records ----------------------------------------------------------- */

/* Token flags. */
#define DY_TOK_WORD 0x01  /* letters/digits */
#define DY_TOK_PUNCT 0x02 /* a punctuation mark */
#define DY_TOK_CAP 0x04   /* first letter upper case */
#define DY_TOK_UPPER 0x08 /* all letters upper case (and at least one) */
#define DY_TOK_NUM 0x10   /* starts with a digit */
#define DY_TOK_PARA 0x20  /* first token of a paragraph */

typedef struct dy_token {
  uint32_t off;     /* byte offset in dy_article.text */
  uint32_t len;     /* bytes */
  const char *norm; /* lower-cased form, ’ → ' (NUL-terminated, doc arena) */
  uint32_t flags;   /* DY_TOK_* */
  /* sentence analysis (dyad/nlp.h); zero / NULL / -1 until analysed */
  const char *lemma; /* lemma (doc arena), NULL when not analysed */
  uint8_t upos;      /* DY_UPOS_* */
  uint8_t xpos;      /* DY_XPOS_* */
  uint8_t dep;       /* DY_DEP_* relation to the head */
  uint8_t pad_;      /* unused */
  int32_t head;      /* index in dy_article.toks of the head; -1 for the
                        sentence root or when not parsed */
} dy_token;

typedef struct dy_sentence {
  uint32_t off;  /* byte offset in dy_article.text */
  uint32_t len;  /* bytes */
  uint32_t tok;  /* index of the first token */
  uint32_t ntok; /* tokens */
  int para;      /* paragraph index (0-based) */
} dy_sentence;

typedef struct dy_article {
  const char *name;      /* input name (path, "-" for stdin); doc-owned */
  char hash[65];         /* SHA-256 hex of the raw input bytes */
  const char *text;      /* body: valid UTF-8, paragraphs joined by "\n\n" */
  size_t n;              /* bytes in text */
  const char *url;       /* from the input's container, or "" */
  const char *headline;  /* "" when none */
  const char *date;      /* "YYYY-MM-DD" or "" when unknown */
  const char *places;    /* dateline places joined by "/", or "" */
  const char *agency;    /* dateline agency ("Reuters"), or "" */
  const char *dateline;  /* the dateline as written, or "" */
  const char **headings; /* section headings, in order */
  size_t nheadings;      /* entries in headings */
  dy_sentence *sents;    /* sentences of the body */
  size_t nsents;         /* entries in sents */
  dy_token *toks;        /* tokens of the body */
  size_t ntoks;          /* entries in toks */
  size_t nbad_utf8;      /* invalid bytes replaced by U+FFFD */
  size_t nboiler;        /* boilerplate lines (or HTML blocks) dropped */
  const uint32_t *heading_off; /* per heading: byte offset in text of the
                                  paragraph it stood before (n at the end) */
  const char *byline;    /* author(s) as written, or "" */
  const char *language;  /* language tag ("en", "en-US"), or "" */
  const char *format;    /* "text" or "html" */
  const char *charset;   /* charset the input was read in ("utf-8",
                            "windows-1252", ...) */
  int charset_guessed;   /* nonzero: no charset declared and the bytes were
                            not UTF-8, so windows-1252 was assumed */
  int depth_capped;      /* nonzero: HTML nested deeper than the cap; inner
                            tags were dropped (best effort) */
} dy_article;

/* One dictionary entry that took part in a decision. */
typedef struct dy_evidence {
  uint32_t off;     /* byte span in dy_article.text */
  uint32_t len;     /* bytes */
  const char *what; /* e.g. "country RUS (adjective)"; engine-owned */
  const char *file; /* dictionary file name; engine-owned */
  int line;         /* 1-based line in file */
} dy_evidence;

#define DY_ACTOR_MAX_EVIDENCE 4

typedef struct dy_actor {
  char code[24];    /* full CAMEO actor code, e.g. "RUSGOV" */
  char country[4];  /* "RUS", "IGO" or "" */
  char role[4];     /* "GOV", "MIL"… or "" */
  const char *name; /* display name (person, country or org); engine-owned */
  uint32_t off;     /* byte span of the whole mention */
  uint32_t len;     /* bytes */
  dy_evidence ev[DY_ACTOR_MAX_EVIDENCE]; /* entries that built the code */
  int nev;                               /* used entries in ev */
} dy_actor;

/* Geography of an event or place, as GDELT's *Geo_ columns: type 1
 * country, 2 US state, 3 US city, 4 world city, 5 world state (0: none). */
typedef struct dy_geo {
  int type;          /* 0..5 as above */
  const char *name;  /* full name ("Moscow, Moscow, Russia"); "" if none */
  char fips[3];      /* FIPS 10-4 country code ("RS") as GDELT */
  char iso2[3];      /* ISO 3166-1 alpha-2 ("RU") */
  char iso3[4];      /* ISO 3166-1 alpha-3 / CAMEO country ("RUS") */
  char adm1[8];      /* ISO 3166-2 subdivision ("US-TX") or "" */
  double lat, lon;   /* decimal degrees */
  char feature[24];  /* feature id: FIPS code for a country, ISO 3166-2
                        code for a state, "dy" + a stable hash for a city */
  const char *how;   /* "sentence", "dateline", "actor" or "" */
  uint32_t off, len; /* the mention in the text; len 0 when not in it */
} dy_geo;

typedef struct dy_event {
  const char *date;    /* "YYYY-MM-DD" or ""; article-owned */
  dy_actor source;     /* who */
  dy_actor target;     /* to whom */
  char code[5];        /* CAMEO event code, e.g. "057" */
  char root[3];        /* root code, e.g. "05" */
  int quad;            /* QuadClass 1..4 */
  double goldstein;    /* Goldstein score */
  int sentence;        /* index into dy_article.sents */
  dy_evidence verb;    /* the verb token and its pattern line */
  const char *pattern; /* the pattern text that fired; engine-owned */
  int hedged;          /* from a hedged/conditional clause (only when such
                          clauses are coded on request); 0 otherwise */
  int root_event;      /* found in the lead paragraph (GDELT IsRootEvent) */
  const char *issues;  /* issue codes of the sentence ("NUCLEAR;SANCTIONS"),
                          "" when none; doc arena */
  /* geography, filled after coding when the engine has a gazetteer */
  dy_geo action_geo;   /* where it happened */
  dy_geo actor1_geo;   /* the source actor's place */
  dy_geo actor2_geo;   /* the target actor's place */
} dy_event;

/* ---- engine ------------------------------------------------------------ */

typedef struct dy_engine dy_engine;

typedef struct dy_engine_opts {
  const char *dict_dir; /* directory with actors.dict etc.; NULL = default */
  int strict;           /* nonzero: any bad dictionary line fails the load */
  const char *dict_files; /* PETRARCH-2 dictionaries: comma-separated file
                             names in dict_dir to load; NULL = PETRARCH-2's
                             default set (docs/PETRARCH.md) */
  const char *model;    /* tagger/parser model file; NULL = default
                           (dy_parser_default_path in dyad/parse.h) */
  int no_analysis;      /* nonzero: load no model, leave tokens untagged */
  int require_model;    /* nonzero: a missing default model is an error
                           (else analysis is skipped, logged at INFO) */
} dy_engine_opts;

/* The directory searched when dict_dir is NULL: $DYAD_DICT_DIR, else the
 * compiled-in DY_DATA_DIR. */
const char *dy_default_dict_dir(void);

/* Loads the dictionaries and, unless opts->no_analysis, the tagger/parser
 * model and the lemmatizer: after dy_doc_analyse every sentence is then
 * tagged and parsed (dy_token lemma, upos, xpos, dep, head; sentences are
 * already capped at DY_MAX_SENTENCE_TOKENS). An explicit model that cannot
 * be loaded, or a corrupt default one, fails the open. Returns owned engine in *out (free with
 * dy_engine_free) or a DY_E* code with the message in err. Bad lines are
 * counted and logged (WARN, "lex") unless opts->strict. */
int dy_engine_open(const dy_engine_opts *opts, dy_engine **out, dy_err *err);
void dy_engine_free(dy_engine *e);

typedef struct dy_engine_stats {
  size_t countries, igos, groups, people, agents, verbs, patterns, codes;
  size_t bad_lines; /* dictionary lines skipped */
  size_t discards;  /* PETRARCH discard phrases */
  size_t issues;    /* issue phrases (dyad issues.dict; PETRARCH issues are read, not used) */
  size_t unsupported; /* PETRARCH entries skipped as unsupported */
} dy_engine_stats;
void dy_engine_stats_get(const dy_engine *e, dy_engine_stats *st);

/* ---- documents --------------------------------------------------------- */

typedef struct dy_doc dy_doc;

typedef struct dy_doc_opts {
  size_t max_bytes; /* input size cap, 0 = DY_DEFAULT_MAX_DOC_BYTES */
  size_t arena_cap; /* work memory cap, 0 = DY_DEFAULT_ARENA_CAP */
  int include_hedged; /* nonzero: code hedged and conditional clauses too,
                         marked hedged (default: they code nothing) */
} dy_doc_opts;

/* Creates a document context bound to eng (borrowed: must outlive doc).
 * One per thread. Returns DY_OK or DY_ENOMEM. */
int dy_doc_new(const dy_engine *eng, const dy_doc_opts *opts, dy_doc **out);
void dy_doc_free(dy_doc *d);

/* Reads one document from bytes (borrowed; copied as needed): validates and
 * repairs UTF-8, rejects binary data, drops boilerplate lines, finds the
 * headline, dateline, headings and body, splits sentences and tokens.
 * name is the input's name; date ("YYYY-MM-DD") overrides the dateline's date
 * when not NULL. Resets all earlier results. Errors: DY_EEMPTY, DY_EBINARY,
 * DY_ETOOBIG, DY_ENOMEM (message in dy_doc_errmsg). */
int dy_doc_analyse(dy_doc *d, const char *bytes, size_t n, const char *name,
                   const char *date);
struct dy_input;
/* As dy_doc_analyse, for a document from dy_read_inputs: the container's
 * title, date and url are used when the text does not carry its own. An
 * explicit date (not NULL) still wins. */
int dy_doc_analyse_input(dy_doc *d, const struct dy_input *in,
                         const char *date);

/* Tokenizes and splits plain text as it is, for evaluation and for the
 * sentence tools (`dyad eval tokenize`, `dyad parse`): no boilerplate,
 * headline or dateline handling. Blank lines separate paragraphs; a single
 * line break inside a paragraph is kept and is a sentence-boundary cue.
 * Whitespace between paragraphs becomes "\n\n" in dy_article.text, so
 * offsets index that text. Resets earlier results. Errors: DY_ETOOBIG,
 * DY_ENOMEM (message in dy_doc_errmsg); empty text gives no tokens. */
int dy_doc_tokenize(dy_doc *d, const char *text, size_t n, const char *name);

/* Codes the analysed article into events. DY_OK or DY_ENOMEM. */
int dy_doc_code(dy_doc *d);

const dy_article *dy_doc_article(const dy_doc *d); /* borrowed until reset */
size_t dy_doc_nevents(const dy_doc *d);
const dy_event *dy_doc_event(const dy_doc *d, size_t i); /* borrowed */
const char *dy_doc_errmsg(const dy_doc *d);

/* Appends the event as one JSON object (no newline): the record printed by
 * `dyad code` and stored for `dyad query`. */
int dy_event_json(const dy_doc *d, const dy_event *ev, dy_buf *out);

/* Looks up a CAMEO code: fills root/quad/goldstein/name; DY_ENOENT when
 * unknown. name is engine-owned. */
int dy_cameo_lookup(const dy_engine *e, const char *code, int *quad,
                    double *goldstein, const char **name);

#endif
