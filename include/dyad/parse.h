/* SPDX-License-Identifier: MIT */
/* Sentence analysis with a trained model: a CoNLL-U reader, the part-of-
 * speech tagger (joint Penn XPOS + UPOS, averaged perceptron) and the
 * labelled transition-based dependency parser (arc-eager, dynamic oracle),
 * their training and their evaluation. docs/PARSER.md describes the design. */
#ifndef DYAD_PARSE_H
#define DYAD_PARSE_H

#include "dyad/core.h"
#include "dyad/nlp.h"

#include <stddef.h>
#include <stdint.h>

/* ---- CoNLL-U ----------------------------------------------------------- */

/* One syntactic word (an integer ID line). Strings are NUL-terminated and
 * owned by the document. */
typedef struct dy_conllu_tok {
  const char *form;  /* FORM */
  const char *lemma; /* LEMMA ("_" when absent) */
  uint8_t upos;      /* DY_UPOS_*, 0 when "_" or unknown */
  uint8_t xpos;      /* DY_XPOS_*, 0 when "_" or unknown */
  uint8_t dep;       /* DY_DEP_*, 0 when "_" or unknown */
  uint8_t pad_;      /* unused */
  int32_t head;      /* HEAD: 0 = root, 1..n, -1 when "_" or invalid */
} dy_conllu_tok;

/* A multiword token line "n-m FORM ..." kept for output. */
typedef struct dy_conllu_mwt {
  uint32_t first, last; /* word IDs covered (1-based, inclusive) */
  const char *line;     /* the whole line as read */
} dy_conllu_mwt;

typedef struct dy_conllu_sent {
  dy_conllu_tok *toks;   /* words, toks[i] has ID i+1 */
  size_t ntok;           /* words */
  const char **comments; /* comment lines as read ("# text = ...") */
  size_t ncomments;      /* entries in comments */
  dy_conllu_mwt *mwts;   /* multiword token lines */
  size_t nmwts;          /* entries in mwts */
  int tree_ok;           /* heads form one tree rooted at 0 (all heads
                            0..n, no cycle, at least one root) */
  size_t line;           /* line number of the first word line */
} dy_conllu_sent;

typedef struct dy_conllu_doc dy_conllu_doc;

/* Called for each malformed line (skipped): 1-based line number and why. */
typedef void (*dy_conllu_bad_fn)(size_t line, const char *why, void *ud);

/* Parses CoNLL-U text p[0..n) (borrowed; copied as needed). Comment lines,
 * multiword tokens (n-m) and empty nodes (n.k, dropped) are understood; a
 * malformed line is reported through bad (may be NULL) and skipped, and
 * the sentence it belongs to keeps the well-formed words (its tree_ok is
 * 0 when the IDs are no longer 1..n). Sentences over max_tok words
 * (0 = 100000) are dropped and reported. Returns owned document in *out
 * (free with dy_conllu_free), DY_ENOMEM. */
int dy_conllu_read(const char *p, size_t n, size_t max_tok,
                   dy_conllu_bad_fn bad, void *ud, dy_conllu_doc **out);
void dy_conllu_free(dy_conllu_doc *d);
size_t dy_conllu_nsents(const dy_conllu_doc *d);
/* Borrowed sentence i (< dy_conllu_nsents), mutable for predictions. */
dy_conllu_sent *dy_conllu_sent_at(dy_conllu_doc *d, size_t i);
size_t dy_conllu_nbad(const dy_conllu_doc *d); /* malformed lines skipped */
size_t dy_conllu_nwords(const dy_conllu_doc *d);

/* ---- the model --------------------------------------------------------- */

typedef struct dy_parser dy_parser;

/* The model path used when none is given: $DYAD_MODEL, else
 * DY_DATA_DIR "/dyad-ewt.model". */
const char *dy_parser_default_path(void);

/* Loads a model file (one read; the header's magic, version, sizes and
 * checksum are checked, then every table is bounds-checked). A corrupt or
 * truncated file is DY_EFORMAT, another version DY_EVERSION, a missing one
 * DY_ENOENT; message in err. Returns owned parser in *out (free with
 * dy_parser_free). The parser is immutable: share it across threads. */
int dy_parser_load(const char *path, dy_parser **out, dy_err *err);
/* As dy_parser_load from bytes p[0..n) (copied). */
int dy_parser_load_mem(const void *p, size_t n, dy_parser **out, dy_err *err);
void dy_parser_free(dy_parser *p);
/* Writes the model to path (atomically: a temporary file renamed). */
int dy_parser_save(const dy_parser *p, const char *path, dy_err *err);
/* Size of the serialised model in bytes. */
size_t dy_parser_size(const dy_parser *p);

/* One word to analyse: form in, predictions out. */
typedef struct dy_pword {
  const char *form; /* bytes, valid UTF-8 (borrowed) */
  size_t len;       /* bytes */
  uint8_t upos;     /* out: DY_UPOS_* */
  uint8_t xpos;     /* out: DY_XPOS_* */
  uint8_t dep;      /* out: DY_DEP_* */
  int32_t head;     /* out: index of the head in the sentence, -1 = root */
} dy_pword;

/* Per-thread working memory of the tagger and parser. */
typedef struct dy_parse_ws dy_parse_ws;
int dy_parse_ws_new(dy_parse_ws **out); /* DY_OK or DY_ENOMEM; owned */
void dy_parse_ws_free(dy_parse_ws *ws);

/* Tags t[0..n) then parses it. Sentences longer than DY_PARSE_MAX_TOKENS
 * are analysed in consecutive pieces of that many words; the root of each
 * later piece is attached to the root of the first with relation "dep"
 * (docs/PARSER.md, "Long sentences"). Never fails: n == 0 is a no-op. */
#define DY_PARSE_MAX_TOKENS 256
void dy_parser_tag(const dy_parser *p, dy_parse_ws *ws, dy_pword *t, size_t n);
void dy_parser_parse(const dy_parser *p, dy_parse_ws *ws, dy_pword *t,
                     size_t n);

/* The lemma of the word s[0..n) tagged xpos/upos: the lemma the training
 * treebank gave this exact form with this XPOS most often (the model's
 * lemma lexicon), else dy_lemmatize(lm, ...), else (lm NULL) the form.
 * p may be NULL (no lexicon). Writes at most cap-1 bytes and a NUL to buf;
 * returns the length. Thread-safe. */
size_t dy_parser_lemma(const dy_parser *p, const dy_lemmatizer *lm,
                       const char *s, size_t n, int xpos, int upos, char *buf,
                       size_t cap);

/* ---- training ---------------------------------------------------------- */

typedef struct dy_train_opts {
  int tag_epochs;     /* tagger passes (0 = 8) */
  int parse_epochs;   /* parser passes (0 = 20) */
  float prune;        /* parser weights below this in magnitude are
                         always dropped from the model (0 = 0.1) */
  size_t max_bytes;   /* model file size budget: the parser's features
                         and weights are pruned harder (thresholds above
                         prune) until the file fits (0 = 20 MiB) */
  int min_count;      /* parser features updated fewer times are dropped
                         (0 = 2) */
  int parsers;        /* parsers trained side by side (differently
                         shuffled) whose averaged weights are summed into
                         the model's one table: a score ensemble at the
                         cost of one parser (0 = 2) */
  int folds;          /* jackknife folds for the parser's tags (0 = 5;
                         1 = train the parser on gold tags) */
  unsigned seed;      /* shuffling seed (0 = 1) */
  dy_conllu_doc *dev; /* scored after each epoch when not NULL */
  void (*progress)(const char *msg, void *ud); /* progress lines, or NULL */
  void *ud;                                    /* for progress */
} dy_train_opts;

/* Trains tagger and parser on the sentences of train (their gold tags,
 * heads and relations; sentences whose tree is not projective or not
 * well-formed train the tagger only). Returns owned parser in *out. */
int dy_parser_train(dy_conllu_doc *train, const dy_train_opts *opts,
                    dy_parser **out, dy_err *err);

/* ---- evaluation -------------------------------------------------------- */

typedef struct dy_parse_score {
  size_t words;             /* words scored */
  size_t upos, xpos, lemma; /* correct */
  size_t uas, las;          /* correct heads, heads + relations */
  double seconds;           /* tagging + parsing (+ lemmas) time */
} dy_parse_score;

/* Tags, lemmatises (when lm is not NULL) and parses every sentence of gold
 * with its gold tokenization and scores against it (punctuation included,
 * relations compared on their universal part as CoNLL 2018 does). gold
 * is only read. Returns DY_OK or DY_ENOMEM. */
int dy_parser_eval(const dy_parser *p, const dy_lemmatizer *lm,
                   dy_conllu_doc *gold, dy_parse_score *sc);

#endif /* DYAD_PARSE_H */
