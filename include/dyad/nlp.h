/* SPDX-License-Identifier: MIT */
/* Sentence analysis vocabulary shared by the tokenizer, lemmatizer, tagger,
 * parser and clause frames: Universal POS tags, Penn Treebank tags (as the
 * English Web Treebank uses them) and Universal Dependencies relations as
 * small integers, with their names. Index 0 is always "unknown". */
#ifndef DYAD_NLP_H
#define DYAD_NLP_H

#include <stddef.h>

/* ---- Universal POS tags ------------------------------------------------ */

#define DY_UPOS_LIST(M)                                                       \
  M(NONE, "_") M(ADJ, "ADJ") M(ADP, "ADP") M(ADV, "ADV") M(AUX, "AUX")        \
  M(CCONJ, "CCONJ") M(DET, "DET") M(INTJ, "INTJ") M(NOUN, "NOUN")             \
  M(NUM, "NUM") M(PART, "PART") M(PRON, "PRON") M(PROPN, "PROPN")             \
  M(PUNCT, "PUNCT") M(SCONJ, "SCONJ") M(SYM, "SYM") M(VERB, "VERB") M(X, "X")

#define DY__UPOS_ENUM(id, name) DY_UPOS_##id,
enum { DY_UPOS_LIST(DY__UPOS_ENUM) DY_UPOS_N };

/* ---- Penn Treebank tags ------------------------------------------------ */

#define DY_XPOS_LIST(M)                                                       \
  M(NONE, "_") M(CC, "CC") M(CD, "CD") M(DT, "DT") M(EX, "EX") M(FW, "FW")    \
  M(IN, "IN") M(JJ, "JJ") M(JJR, "JJR") M(JJS, "JJS") M(LS, "LS")             \
  M(MD, "MD") M(NN, "NN") M(NNS, "NNS") M(NNP, "NNP") M(NNPS, "NNPS")         \
  M(PDT, "PDT") M(POS, "POS") M(PRP, "PRP") M(PRPS, "PRP$") M(RB, "RB")       \
  M(RBR, "RBR") M(RBS, "RBS") M(RP, "RP") M(SYM, "SYM") M(TO, "TO")           \
  M(UH, "UH") M(VB, "VB") M(VBD, "VBD") M(VBG, "VBG") M(VBN, "VBN")           \
  M(VBP, "VBP") M(VBZ, "VBZ") M(WDT, "WDT") M(WP, "WP") M(WPS, "WP$")         \
  M(WRB, "WRB") M(COMMA, ",") M(PERIOD, ".") M(COLON, ":")                    \
  M(LQUOTE, "``") M(RQUOTE, "''") M(LRB, "-LRB-") M(RRB, "-RRB-")             \
  M(DOLLAR, "$") M(HASH, "#") M(HYPH, "HYPH") M(NFP, "NFP") M(ADD, "ADD")     \
  M(AFX, "AFX") M(GW, "GW") M(XX, "XX")

#define DY__XPOS_ENUM(id, name) DY_XPOS_##id,
enum { DY_XPOS_LIST(DY__XPOS_ENUM) DY_XPOS_N };

/* ---- Universal Dependencies relations (with EWT's subtypes) ------------ */

#define DY_DEP_LIST(M)                                                        \
  M(NONE, "_") M(ROOT, "root") M(ACL, "acl") M(ACL_RELCL, "acl:relcl")        \
  M(ADVCL, "advcl") M(ADVCL_RELCL, "advcl:relcl") M(ADVMOD, "advmod")         \
  M(AMOD, "amod") M(APPOS, "appos") M(AUX, "aux") M(AUX_PASS, "aux:pass")     \
  M(CASE, "case") M(CC, "cc") M(CC_PRECONJ, "cc:preconj") M(CCOMP, "ccomp")   \
  M(COMPOUND, "compound") M(COMPOUND_PRT, "compound:prt") M(CONJ, "conj")     \
  M(COP, "cop") M(CSUBJ, "csubj") M(CSUBJ_OUTER, "csubj:outer")               \
  M(CSUBJ_PASS, "csubj:pass") M(DEP, "dep") M(DET, "det")                     \
  M(DET_PREDET, "det:predet") M(DISCOURSE, "discourse")                       \
  M(DISLOCATED, "dislocated") M(EXPL, "expl") M(FIXED, "fixed")               \
  M(FLAT, "flat") M(FLAT_FOREIGN, "flat:foreign") M(GOESWITH, "goeswith")     \
  M(IOBJ, "iobj") M(LIST, "list") M(MARK, "mark") M(NMOD, "nmod")             \
  M(NMOD_DESC, "nmod:desc") M(NMOD_POSS, "nmod:poss")                         \
  M(NMOD_UNMARKED, "nmod:unmarked") M(NSUBJ, "nsubj")                         \
  M(NSUBJ_OUTER, "nsubj:outer") M(NSUBJ_PASS, "nsubj:pass")                   \
  M(NUMMOD, "nummod") M(OBJ, "obj") M(OBL, "obl") M(OBL_AGENT, "obl:agent")   \
  M(OBL_UNMARKED, "obl:unmarked") M(ORPHAN, "orphan")                         \
  M(PARATAXIS, "parataxis") M(PUNCT, "punct") M(REPARANDUM, "reparandum")     \
  M(VOCATIVE, "vocative") M(XCOMP, "xcomp")

#define DY__DEP_ENUM(id, name) DY_DEP_##id,
enum { DY_DEP_LIST(DY__DEP_ENUM) DY_DEP_N };

/* Names ("NOUN", "NNP", "nsubj:pass"); "_" for 0 or out of range. */
const char *dy_upos_name(int upos);
const char *dy_xpos_name(int xpos);
const char *dy_dep_name(int dep);

/* Name → index; 0 when unknown. A relation with an unknown subtype maps to
 * its base relation ("obl:tmod" → DY_DEP_OBL). n is the name's length. */
int dy_upos_parse(const char *s, size_t n);
int dy_xpos_parse(const char *s, size_t n);
int dy_dep_parse(const char *s, size_t n);

/* The base relation of a subtype (DY_DEP_NSUBJ_PASS → DY_DEP_NSUBJ). */
int dy_dep_base(int dep);

/* ---- lemmas ------------------------------------------------------------ */

typedef struct dy_lemmatizer dy_lemmatizer;
struct dy_err;

/* The directory searched for WordNet's files when dir is NULL:
 * $DYAD_WORDNET_DIR, else /usr/share/wordnet (Debian's wordnet-base). */
const char *dy_wordnet_default_dir(void);

/* Loads the lemmatizer (WordNet exception lists and index from dir, NULL =
 * default, plus built-in rules). Owned result in *out. */
int dy_lemmatizer_open(const char *dir, dy_lemmatizer **out,
                       struct dy_err *err);
void dy_lemmatizer_free(dy_lemmatizer *lm);

/* The lemma of the word form s[0..n) tagged xpos (DY_XPOS_*) and upos
 * (DY_UPOS_*), as the English Web Treebank writes lemmas. Writes at most
 * cap-1 bytes and a NUL to buf; returns the lemma's length (truncated to
 * cap-1). Thread-safe on a shared lemmatizer. */
size_t dy_lemmatize(const dy_lemmatizer *lm, const char *s, size_t n,
                    int xpos, int upos, char *buf, size_t cap);

#endif /* DYAD_NLP_H */
