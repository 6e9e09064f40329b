/* SPDX-License-Identifier: MIT */
/* Sentence analysis vocabulary shared by the tokenizer, lemmatizer, tagger,
 * parser and clause frames: Universal POS tags, Penn Treebank tags (as the
 * English Web Treebank uses them) and Universal Dependencies relations as
 * small integers, with their names. Index 0 is always "unknown". */
#ifndef DYAD_NLP_H
#define DYAD_NLP_H

#include <stddef.h>

/* ---- Universal POS tags ------------------------------------------------ */

#define DY_UPOS_LIST(X)                                                       \
  X(NONE, "_") X(ADJ, "ADJ") X(ADP, "ADP") X(ADV, "ADV") X(AUX, "AUX")        \
  X(CCONJ, "CCONJ") X(DET, "DET") X(INTJ, "INTJ") X(NOUN, "NOUN")             \
  X(NUM, "NUM") X(PART, "PART") X(PRON, "PRON") X(PROPN, "PROPN")             \
  X(PUNCT, "PUNCT") X(SCONJ, "SCONJ") X(SYM, "SYM") X(VERB, "VERB") X(X, "X")

#define DY__UPOS_ENUM(id, name) DY_UPOS_##id,
enum { DY_UPOS_LIST(DY__UPOS_ENUM) DY_UPOS_N };

/* ---- Penn Treebank tags ------------------------------------------------ */

#define DY_XPOS_LIST(X)                                                       \
  X(NONE, "_") X(CC, "CC") X(CD, "CD") X(DT, "DT") X(EX, "EX") X(FW, "FW")    \
  X(IN, "IN") X(JJ, "JJ") X(JJR, "JJR") X(JJS, "JJS") X(LS, "LS")             \
  X(MD, "MD") X(NN, "NN") X(NNS, "NNS") X(NNP, "NNP") X(NNPS, "NNPS")         \
  X(PDT, "PDT") X(POS, "POS") X(PRP, "PRP") X(PRPS, "PRP$") X(RB, "RB")       \
  X(RBR, "RBR") X(RBS, "RBS") X(RP, "RP") X(SYM, "SYM") X(TO, "TO")           \
  X(UH, "UH") X(VB, "VB") X(VBD, "VBD") X(VBG, "VBG") X(VBN, "VBN")           \
  X(VBP, "VBP") X(VBZ, "VBZ") X(WDT, "WDT") X(WP, "WP") X(WPS, "WP$")         \
  X(WRB, "WRB") X(COMMA, ",") X(PERIOD, ".") X(COLON, ":")                    \
  X(LQUOTE, "``") X(RQUOTE, "''") X(LRB, "-LRB-") X(RRB, "-RRB-")             \
  X(DOLLAR, "$") X(HASH, "#") X(HYPH, "HYPH") X(NFP, "NFP") X(ADD, "ADD")     \
  X(AFX, "AFX") X(GW, "GW") X(XX, "XX")

#define DY__XPOS_ENUM(id, name) DY_XPOS_##id,
enum { DY_XPOS_LIST(DY__XPOS_ENUM) DY_XPOS_N };

/* ---- Universal Dependencies relations (with EWT's subtypes) ------------ */

#define DY_DEP_LIST(X)                                                        \
  X(NONE, "_") X(ROOT, "root") X(ACL, "acl") X(ACL_RELCL, "acl:relcl")        \
  X(ADVCL, "advcl") X(ADVCL_RELCL, "advcl:relcl") X(ADVMOD, "advmod")         \
  X(AMOD, "amod") X(APPOS, "appos") X(AUX, "aux") X(AUX_PASS, "aux:pass")     \
  X(CASE, "case") X(CC, "cc") X(CC_PRECONJ, "cc:preconj") X(CCOMP, "ccomp")   \
  X(COMPOUND, "compound") X(COMPOUND_PRT, "compound:prt") X(CONJ, "conj")     \
  X(COP, "cop") X(CSUBJ, "csubj") X(CSUBJ_OUTER, "csubj:outer")               \
  X(CSUBJ_PASS, "csubj:pass") X(DEP, "dep") X(DET, "det")                     \
  X(DET_PREDET, "det:predet") X(DISCOURSE, "discourse")                       \
  X(DISLOCATED, "dislocated") X(EXPL, "expl") X(FIXED, "fixed")               \
  X(FLAT, "flat") X(FLAT_FOREIGN, "flat:foreign") X(GOESWITH, "goeswith")     \
  X(IOBJ, "iobj") X(LIST, "list") X(MARK, "mark") X(NMOD, "nmod")             \
  X(NMOD_DESC, "nmod:desc") X(NMOD_POSS, "nmod:poss")                         \
  X(NMOD_UNMARKED, "nmod:unmarked") X(NSUBJ, "nsubj")                         \
  X(NSUBJ_OUTER, "nsubj:outer") X(NSUBJ_PASS, "nsubj:pass")                   \
  X(NUMMOD, "nummod") X(OBJ, "obj") X(OBL, "obl") X(OBL_AGENT, "obl:agent")   \
  X(OBL_UNMARKED, "obl:unmarked") X(ORPHAN, "orphan")                         \
  X(PARATAXIS, "parataxis") X(PUNCT, "punct") X(REPARANDUM, "reparandum")     \
  X(VOCATIVE, "vocative") X(XCOMP, "xcomp")

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
