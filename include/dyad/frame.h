/* SPDX-License-Identifier: MIT */
/* Clause frames: who does what to whom in one clause, read off a parsed
 * sentence (dy_token.head/dep/upos/lemma filled by the tagger and parser, or
 * by a given tree). One frame per predicate: verbs, adjectival and nominal
 * predicates with a copula, and event nouns with a possessor or a
 * prepositional argument ("Putin's visit", "Russia's veto of a UN panel").
 *
 * A frame says what the tree says and no more: which tokens head the
 * subject, objects and prepositional arguments (conjoined ones expanded),
 * whether the clause is negated, hedged (modal verb or hedging word),
 * conditional (an if/unless clause or its consequence) or reported (the
 * complement of a speech verb, with its speaker). Choosing actors and codes
 * is the coder's job. */
#ifndef DYAD_FRAME_H
#define DYAD_FRAME_H

#include "dyad/engine.h"

#define DY_FRAME_MAX_ARGS 8 /* per role; more conjuncts are dropped */

/* An argument: the head token of the phrase and the word that links it
 * (the preposition "with", the marker "of"), both absolute indices in
 * dy_article.toks; link is -1 when there is none. */
typedef struct dy_frame_arg {
  int32_t tok;  /* head token of the argument */
  int32_t link; /* case/mark token, -1 when none */
  uint8_t dep;  /* relation of tok to its head (DY_DEP_*) */
  uint8_t inherited; /* nonzero: taken from a governing or conjoined clause */
} dy_frame_arg;

enum {
  DY_FRAME_VERB = 1, /* a verb */
  DY_FRAME_COPULA,   /* an adjective or noun with a copula ("is wary") */
  DY_FRAME_NOMINAL   /* an event noun with arguments ("Russia's veto of") */
};

/* Why a frame is hedged (bits). */
#define DY_HEDGE_MODAL 0x01     /* could, might, may, would, should */
#define DY_HEDGE_WORD 0x02      /* likely, unlikely, potential(ly), perhaps… */
#define DY_HEDGE_INHERITED 0x04 /* a governing clause is hedged */

typedef struct dy_frame {
  int kind;          /* DY_FRAME_* */
  int32_t pred;      /* predicate token */
  int32_t prt;       /* phrasal particle token ("turn down"), -1 */
  const char *lemma; /* predicate lemma (token's lemma, else its norm) */
  int passive;       /* nonzero: passive voice (nsubj:pass / aux:pass) */

  dy_frame_arg subj[DY_FRAME_MAX_ARGS]; /* subjects (the passive's patient) */
  int nsubj;
  dy_frame_arg obj[DY_FRAME_MAX_ARGS]; /* direct objects */
  int nobj;
  dy_frame_arg iobj[DY_FRAME_MAX_ARGS]; /* indirect objects */
  int niobj;
  dy_frame_arg obl[DY_FRAME_MAX_ARGS]; /* prepositional and oblique args;
                                          for nominal frames nmod args */
  int nobl;
  dy_frame_arg agent[DY_FRAME_MAX_ARGS]; /* passive agents ("by X") */
  int nagent;
  dy_frame_arg poss; /* nominal frames: the possessor, tok -1 if none */

  int negated;       /* nonzero: "not", "never", "no" object… */
  int32_t neg_tok;   /* the negating token, -1 */
  int hedge;         /* DY_HEDGE_* bits, 0 when asserted */
  int32_t hedge_tok; /* the hedging token, -1 */
  int conditional;   /* nonzero: an if/unless clause, or the clause an
                        if/unless clause modifies */
  int32_t cond_tok;  /* the "if"/"unless", -1 */
  int reported;      /* nonzero: complement of a speech verb */
  int32_t speaker;   /* head token of the speaker's phrase, -1 */
  int32_t speech;    /* index of the speech verb's frame, -1 */
  int parent;        /* index of the governing frame in this sentence, -1 */
} dy_frame;

/* Builds the frames of sentence s of art, in token order of the predicate,
 * into *out (allocated from arena a; *n entries). A sentence that was not
 * parsed (no token has a relation) yields no frames. Returns DY_OK or
 * DY_ENOMEM. */
int dy_frames_build(const dy_article *art, const dy_sentence *s, dy_arena *a,
                    dy_frame **out, size_t *n);

/* Writes a one-line description of f ("sign subj=[Putin] obj=[pact]
 * obl=[with:Kim] neg=0 hedge=0 cond=0 rep=0") to buf (at most cap bytes,
 * NUL-terminated), naming tokens by their text. Returns the length it
 * needed. For tests and `dyad parse --frames`. */
size_t dy_frame_describe(const dy_article *art, const dy_frame *f, char *buf,
                         size_t cap);

#endif /* DYAD_FRAME_H */
