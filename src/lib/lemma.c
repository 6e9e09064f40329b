/* SPDX-License-Identifier: MIT */
/* Lemmatizer in the style of the English Web Treebank: WordNet's morphy
 * (exception lists, then detachment rules checked against the index, ties
 * broken by WordNet's tagged-sense counts) read at run time from Debian's
 * wordnet-base, plus built-in rules for what WordNet lacks: pronouns,
 * clitics, be/have/do, modals, determiners, proper nouns, numbers and
 * punctuation. Loaded once; read-only afterwards, so thread-safe. */
#include "dyad/core.h"
#include "dyad/nlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a read-only string table ------------------------------------------ */

enum { P_NOUN, P_VERB, P_ADJ, P_ADV, P_N };

typedef struct entry {
  uint32_t key;   /* offset of "word" in blob (NUL-terminated) */
  uint32_t val;   /* exception lists: offset of the base form; index: 0 */
  uint32_t count; /* index: tagged-sense count + 1; exceptions: 0 */
} entry;

typedef struct table {
  entry *e;   /* open addressing; key 0 = empty */
  size_t cap; /* power of two */
  size_t n;   /* used */
} table;

struct dy_lemmatizer {
  char *blob;       /* all strings; offset 0 is a dummy byte */
  size_t nblob, capblob;
  table exc[P_N];   /* inflected form → base */
  table idx[P_N];   /* lemma → count */
};

static int blob_add(dy_lemmatizer *lm, const char *s, size_t n, uint32_t *off)
{
  if (lm->nblob + n + 1 > lm->capblob) {
    size_t nc = lm->capblob ? lm->capblob * 2 : (size_t)4 << 20;
    char *p;
    while (nc < lm->nblob + n + 1)
      nc *= 2;
    if (nc > UINT32_MAX)
      return DY_ETOOBIG;
    p = dy_realloc(lm->blob, nc);
    if (p == NULL)
      return DY_ENOMEM;
    lm->blob = p;
    lm->capblob = nc;
  }
  memcpy(lm->blob + lm->nblob, s, n);
  lm->blob[lm->nblob + n] = '\0';
  *off = (uint32_t)lm->nblob;
  lm->nblob += n + 1;
  return DY_OK;
}

static const entry *tab_get(const dy_lemmatizer *lm, const table *t,
                            const char *s, size_t n)
{
  size_t mask, i;
  if (t->cap == 0)
    return NULL;
  mask = t->cap - 1;
  for (i = (size_t)dy_hash64(s, n) & mask; t->e[i].key; i = (i + 1) & mask) {
    const char *k = lm->blob + t->e[i].key;
    if (strncmp(k, s, n) == 0 && k[n] == '\0')
      return &t->e[i];
  }
  return NULL;
}

static int tab_put(dy_lemmatizer *lm, table *t, const char *s, size_t n,
                   uint32_t val, uint32_t count)
{
  size_t mask, i;
  uint32_t key;
  int rc;
  if (t->n * 2 >= t->cap) {
    table nt;
    size_t k;
    nt.cap = t->cap ? t->cap * 2 : 1024;
    nt.n = t->n;
    nt.e = dy_calloc(nt.cap, sizeof *nt.e);
    if (nt.e == NULL)
      return DY_ENOMEM;
    for (k = 0; k < t->cap; k++) {
      if (t->e[k].key) {
        const char *ks = lm->blob + t->e[k].key;
        size_t j = (size_t)dy_hash64(ks, strlen(ks)) & (nt.cap - 1);
        while (nt.e[j].key)
          j = (j + 1) & (nt.cap - 1);
        nt.e[j] = t->e[k];
      }
    }
    dy_free(t->e);
    *t = nt;
  }
  mask = t->cap - 1;
  for (i = (size_t)dy_hash64(s, n) & mask; t->e[i].key; i = (i + 1) & mask) {
    const char *k = lm->blob + t->e[i].key;
    if (strncmp(k, s, n) == 0 && k[n] == '\0')
      return DY_OK; /* the first entry wins */
  }
  if ((rc = blob_add(lm, s, n, &key)) < 0)
    return rc;
  t->e[i].key = key;
  t->e[i].val = val;
  t->e[i].count = count;
  t->n++;
  return DY_OK;
}

/* ---- loading ----------------------------------------------------------- */

static const char *const pos_names[P_N] = {"noun", "verb", "adj", "adv"};

/* Reads DIR/NAME whole; an error naming the file when absent. */
static int slurp(const char *dir, const char *name, dy_buf *out, dy_err *err)
{
  char path[4096];
  FILE *f;
  char buf[65536];
  size_t r;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f == NULL)
    return dy_err_set(err, DY_ENOENT,
                      "%s: cannot open WordNet file (install Debian's "
                      "wordnet-base or set DYAD_WORDNET_DIR)",
                      path);
  dy_buf_reset(out);
  while ((r = fread(buf, 1, sizeof buf, f)) > 0)
    if (dy_buf_append(out, buf, r) < 0)
      break;
  fclose(f);
  if (out->failed)
    return dy_err_set(err, DY_ENOMEM, "%s: out of memory", path);
  return DY_OK;
}

/* "inflected base [base...]" lines. */
static int presize(table *t, const dy_buf *b);

static int load_exc(dy_lemmatizer *lm, const dy_buf *b, table *t)
{
  size_t i = 0;
  if (presize(t, b) < 0)
    return DY_ENOMEM;
  while (i < b->n) {
    const char *l = b->p + i, *nl = memchr(l, '\n', b->n - i);
    size_t len = nl ? (size_t)(nl - l) : b->n - i;
    const char *sp = memchr(l, ' ', len);
    i += len + 1;
    if (sp && sp > l && sp + 1 < l + len) {
      const char *v = sp + 1, *ve = memchr(v, ' ', (size_t)(l + len - v));
      uint32_t voff;
      int rc;
      if (ve == NULL)
        ve = l + len;
      if ((rc = blob_add(lm, v, (size_t)(ve - v), &voff)) < 0 ||
          (rc = tab_put(lm, t, l, (size_t)(sp - l), voff, 0)) < 0)
        return rc;
    }
  }
  return DY_OK;
}

/* index.POS lines: "lemma pos synset_cnt p_cnt ptr... sense_cnt tagsense_cnt
 * offsets"; license lines start with a space. */
static int presize(table *t, const dy_buf *b)
{
  size_t lines = 0, i, cap = 1024;
  for (i = 0; i < b->n; i++)
    lines += b->p[i] == '\n';
  while (cap < lines * 2 + 2)
    cap *= 2;
  if (t->cap >= cap)
    return DY_OK;
  dy_free(t->e);
  t->e = dy_calloc(cap, sizeof *t->e);
  t->cap = t->e ? cap : 0;
  t->n = 0;
  return t->e ? DY_OK : DY_ENOMEM;
}

static int load_index(dy_lemmatizer *lm, const dy_buf *b, table *t)
{
  size_t i = 0;
  if (presize(t, b) < 0)
    return DY_ENOMEM;
  while (i < b->n) {
    const char *l = b->p + i, *nl = memchr(l, '\n', b->n - i);
    size_t len = nl ? (size_t)(nl - l) : b->n - i;
    const char *f[64];
    size_t nf = 0, k;
    i += len + 1;
    if (len == 0 || l[0] == ' ')
      continue;
    for (k = 0; k < len && nf < 64; k++) {
      if (k == 0 || (l[k - 1] == ' ' && l[k] != ' ')) {
        f[nf++] = l + k;
        /* enough fields: up to tagsense_cnt */
        if (nf > 4 && nf >= 6 + (size_t)strtol(f[3], NULL, 10))
          break;
      }
    }
    if (nf >= 4) {
      long pc = strtol(f[3], NULL, 10), tag = 0;
      const char *sp = memchr(l, ' ', len);
      int rc;
      if (pc >= 0 && (size_t)(5 + pc) < nf)
        tag = strtol(f[5 + pc], NULL, 10);
      if (tag < 0 || tag > 100000)
        tag = 0;
      if (sp && (rc = tab_put(lm, t, l, (size_t)(sp - l), 0,
                              (uint32_t)tag + 1)) < 0)
        return rc;
    }
  }
  return DY_OK;
}

const char *dy_wordnet_default_dir(void)
{
  const char *d = getenv("DYAD_WORDNET_DIR");
  return d && *d ? d : "/usr/share/wordnet";
}

int dy_lemmatizer_open(const char *dir, dy_lemmatizer **out, dy_err *err)
{
  dy_lemmatizer *lm;
  dy_buf b;
  int p, rc = DY_OK;
  char name[32];
  *out = NULL;
  if (dir == NULL)
    dir = dy_wordnet_default_dir();
  lm = dy_calloc(1, sizeof *lm);
  if (lm == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  dy_buf_init(&b, (size_t)256 << 20);
  {
    uint32_t dummy;
    if ((rc = blob_add(lm, "", 0, &dummy)) < 0)
      goto nomem;
  }
  for (p = 0; p < P_N; p++) {
    snprintf(name, sizeof name, "%s.exc", pos_names[p]);
    if ((rc = slurp(dir, name, &b, err)) < 0)
      goto out;
    if ((rc = load_exc(lm, &b, &lm->exc[p])) < 0)
      goto nomem;
    snprintf(name, sizeof name, "index.%s", pos_names[p]);
    if ((rc = slurp(dir, name, &b, err)) < 0)
      goto out;
    if ((rc = load_index(lm, &b, &lm->idx[p])) < 0)
      goto nomem;
  }
  if (lm->idx[P_NOUN].n == 0 || lm->idx[P_VERB].n == 0) {
    rc = dy_err_set(err, DY_EFORMAT, "%s: WordNet index files are empty",
                    dir);
    goto out;
  }
  dy_buf_fini(&b);
  *out = lm;
  return DY_OK;
nomem:
  rc = dy_err_set(err, rc, "%s: out of memory loading WordNet", dir);
out:
  dy_buf_fini(&b);
  dy_lemmatizer_free(lm);
  return rc;
}

void dy_lemmatizer_free(dy_lemmatizer *lm)
{
  int p;
  if (lm == NULL)
    return;
  for (p = 0; p < P_N; p++) {
    dy_free(lm->exc[p].e);
    dy_free(lm->idx[p].e);
  }
  dy_free(lm->blob);
  dy_free(lm);
}

/* ---- rules ------------------------------------------------------------- */

typedef struct pair {
  const char *form; /* lower case, ' for ’ */
  const char *lemma;
} pair;

/* Pronouns, determiners and function words as EWT lemmatizes them. */
static const pair closed[] = {
    {"i", "I"},         {"me", "I"},         {"my", "my"},
    {"mine", "my"},     {"myself", "myself"}, {"you", "you"},
    {"u", "you"},       {"ya", "you"},       {"yours", "your"},
    {"he", "he"},       {"him", "he"},       {"his", "he"},
    {"she", "she"},     {"her", "she"},      {"hers", "her"},
    {"it", "it"},       {"we", "we"},        {"us", "we"},
    {"ours", "our"},    {"they", "they"},    {"them", "they"},
    {"theirs", "their"}, {"'em", "they"},    {"thee", "thou"},
    {"an", "a"},        {"these", "this"},   {"those", "that"},
    {"n't", "not"},     {"nt", "not"},       {"'t", "not"},
    {"wo", "will"},     {"ca", "can"},       {"sha", "shall"},
    {"'ll", "will"},    {"ll", "will"},      {"gon", "go"},
    {"na", "to"},       {"ta", "to"},        {"wan", "want"},
    {NULL, NULL}};

static const pair be_have_do[] = {
    {"am", "be"},      {"is", "be"},      {"are", "be"},    {"was", "be"},
    {"were", "be"},    {"been", "be"},    {"being", "be"},  {"be", "be"},
    {"'m", "be"},      {"'re", "be"},     {"m", "be"},      {"re", "be"},
    {"r", "be"},       {"ai", "be"},      {"has", "have"},  {"had", "have"},
    {"having", "have"}, {"'ve", "have"},  {"ve", "have"},   {"have", "have"},
    {"does", "do"},    {"did", "do"},     {"doing", "do"},  {"done", "do"},
    {"do", "do"},      {NULL, NULL}};

static const char *find_pair(const pair *t, const char *w)
{
  for (; t->form; t++)
    if (strcmp(t->form, w) == 0)
      return t->lemma;
  return NULL;
}

static size_t put(char *buf, size_t cap, const char *s, size_t n)
{
  if (cap == 0)
    return 0;
  if (n > cap - 1)
    n = cap - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return n;
}

static int in_index(const dy_lemmatizer *lm, int p, const char *w, size_t n,
                    uint32_t *count)
{
  const entry *e = tab_get(lm, &lm->idx[p], w, n);
  if (e && count)
    *count = e->count;
  return e != NULL;
}

typedef struct rule {
  const char *suf; /* suffix to detach */
  const char *add; /* ending to add */
} rule;

static const rule noun_rules[] = {{"s", ""},    {"ses", "s"},  {"xes", "x"},
                                  {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
                                  {"men", "man"}, {"ies", "y"}, {NULL, NULL}};
static const rule verb_rules[] = {{"s", ""},    {"ies", "y"}, {"es", "e"},
                                  {"es", ""},   {"ed", "e"},  {"ed", ""},
                                  {"ing", "e"}, {"ing", ""},  {NULL, NULL}};
static const rule adj_rules[] = {{"er", ""},  {"est", ""}, {"er", "e"},
                                 {"est", "e"}, {NULL, NULL}};

/* WordNet morphy: the exception list, then the detachment rule whose result
 * is in the index with the most tagged senses. Writes to out (cap 256);
 * returns the length, 0 when nothing applies. */
static size_t morphy(const dy_lemmatizer *lm, int p, const rule *rules,
                     const char *w, size_t n, char *out)
{
  const entry *e = tab_get(lm, &lm->exc[p], w, n);
  size_t best = 0;
  uint32_t bestc = 0;
  if (e) {
    const char *v = lm->blob + e->val;
    size_t vn = strlen(v);
    if (vn < 256) {
      memcpy(out, v, vn + 1);
      return vn;
    }
  }
  for (; rules && rules->suf; rules++) {
    size_t sl = strlen(rules->suf), al = strlen(rules->add);
    char cand[256];
    uint32_t c = 0;
    if (n <= sl || n - sl + al >= sizeof cand ||
        memcmp(w + n - sl, rules->suf, sl) != 0)
      continue;
    memcpy(cand, w, n - sl);
    memcpy(cand + n - sl, rules->add, al);
    cand[n - sl + al] = '\0';
    if (in_index(lm, p, cand, n - sl + al, &c) && c > bestc) {
      bestc = c;
      best = n - sl + al;
      memcpy(out, cand, best + 1);
    }
  }
  return best;
}

static int vowel(char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Guesses for words WordNet does not know. */
static size_t guess(int p, const char *w, size_t n, char *out)
{
  size_t m = n;
  memcpy(out, w, n);
  if (p == P_NOUN || p == P_VERB) {
    if (n > 4 && memcmp(w + n - 3, "ies", 3) == 0) {
      memcpy(out + n - 3, "y", 1);
      m = n - 2;
    } else if (n > 4 && (memcmp(w + n - 4, "ches", 4) == 0 ||
                         memcmp(w + n - 4, "shes", 4) == 0 ||
                         memcmp(w + n - 3, "xes", 3) == 0 ||
                         memcmp(w + n - 4, "sses", 4) == 0))
      m = n - 2;
    else if (n > 2 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' &&
             w[n - 2] != '\'')
      m = n - 1;
  }
  if (p == P_VERB) {
    size_t k = 0;
    if (n > 4 && memcmp(w + n - 3, "ing", 3) == 0)
      k = 3;
    else if (n > 3 && memcmp(w + n - 2, "ed", 2) == 0)
      k = 2;
    if (k) {
      m = n - k;
      if (k == 2 && n > 4 && w[n - 3] == 'i') {
        out[m - 1] = 'y'; /* tried → try */
      } else if (m >= 2 && out[m - 1] == out[m - 2] && !vowel(out[m - 1]) &&
                 out[m - 1] != 'l' && out[m - 1] != 's' && out[m - 1] != 'z')
        m--; /* stopped → stop */
      else if (m >= 2 && !vowel(out[m - 1]) && vowel(out[m - 2]) &&
               (m < 3 || !vowel(out[m - 3])) && out[m - 1] != 'w' &&
               out[m - 1] != 'x' && out[m - 1] != 'y' && m <= 4)
        out[m++] = 'e'; /* hoped → hope */
    }
  }
  out[m] = '\0';
  return m;
}

size_t dy_lemmatize(const dy_lemmatizer *lm, const char *s, size_t n,
                    int xpos, int upos, char *buf, size_t cap)
{
  char w[256], out[256];
  const char *r;
  size_t i, m = 0, k;
  int p = -1;
  const rule *rules = NULL;
  if (cap == 0)
    return 0;
  if (n == 0 || n >= sizeof w - 4)
    return put(buf, cap, s, n);
  /* numbers, punctuation, symbols: as written */
  if (upos == DY_UPOS_PUNCT || upos == DY_UPOS_SYM)
    return put(buf, cap, s, n);
  if (upos == DY_UPOS_NUM || xpos == DY_XPOS_CD) {
    /* 1,100 → 1100; Four → four */
    int digit = 0;
    for (i = 0, m = 0; i < n; i++)
      digit |= dy_isdigit(s[i]) != 0;
    for (i = 0; i < n; i++)
      if (!(digit && s[i] == ',' && i > 0 && i + 1 < n))
        w[m++] = digit ? s[i] : dy_tolower(s[i]);
    return put(buf, cap, w, m);
  }
  if (n == 1 && dy_isupper(s[0]))
    return put(buf, cap, s, n); /* X, Q */
  /* lower case, ’ → ' */
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
      w[m++] = '\'';
      i += 2;
    } else if (c == '`' && i == 0 && n > 1)
      w[m++] = '\'';
    else
      w[m++] = dy_tolower((char)c);
  }
  w[m] = '\0';
  /* clitics and auxiliaries by tag */
  if (strcmp(w, "'s") == 0 || strcmp(w, "s") == 0) {
    if (xpos == DY_XPOS_POS)
      return put(buf, cap, s, n);
    if (xpos == DY_XPOS_PRP || upos == DY_UPOS_PRON)
      return put(buf, cap, "we", 2); /* let's */
    if (xpos == DY_XPOS_VBZ || upos == DY_UPOS_AUX || upos == DY_UPOS_VERB)
      return put(buf, cap, "be", 2);
  }
  if (strcmp(w, "'d") == 0 || strcmp(w, "d") == 0) {
    if (xpos == DY_XPOS_MD)
      return put(buf, cap, "would", 5);
    if (xpos == DY_XPOS_VBD || xpos == DY_XPOS_VBN)
      return put(buf, cap, "have", 4);
  }
  if (strcmp(w, "'s") == 0 && xpos == DY_XPOS_POS)
    return put(buf, cap, w, 2); /* ’s → 's */
  if (upos == DY_UPOS_PROPN || xpos == DY_XPOS_NNP) {
    static const pair months[] = {
        {"jan.", "January"}, {"feb.", "February"}, {"mar.", "March"},
        {"apr.", "April"},   {"aug.", "August"},   {"sep.", "September"},
        {"sept.", "September"}, {"oct.", "October"}, {"nov.", "November"},
        {"dec.", "December"}, {"mon.", "Monday"},  {"tue.", "Tuesday"},
        {"wed.", "Wednesday"}, {"thu.", "Thursday"}, {"fri.", "Friday"},
        {"sat.", "Saturday"}, {"sun.", "Sunday"},  {NULL, NULL}};
    if ((r = find_pair(months, w)) != NULL && dy_isupper(s[0]))
      return put(buf, cap, r, strlen(r));
    if (xpos != DY_XPOS_NNPS)
      return put(buf, cap, s, n);
    /* Americans → American: detach the plural, keep the case */
    k = n;
    if (n > 3 && s[n - 1] == 's' && s[n - 2] != 's')
      k = n - 1;
    return put(buf, cap, s, k);
  }
  if (upos == DY_UPOS_PRON || upos == DY_UPOS_DET || upos == DY_UPOS_PART ||
      upos == DY_UPOS_AUX || xpos == DY_XPOS_PRP || xpos == DY_XPOS_PRPS ||
      xpos == DY_XPOS_DT || xpos == DY_XPOS_MD || xpos == DY_XPOS_RB) {
    if ((r = find_pair(closed, w)) != NULL &&
        !(strcmp(w, "her") == 0 && xpos == DY_XPOS_PRPS) &&
        !(strcmp(w, "his") == 0 && xpos == DY_XPOS_PRPS))
      return put(buf, cap, r, strlen(r));
  }
  if ((upos == DY_UPOS_AUX || upos == DY_UPOS_VERB ||
       (xpos >= DY_XPOS_VB && xpos <= DY_XPOS_VBZ)) &&
      (r = find_pair(be_have_do, w)) != NULL)
    return put(buf, cap, r, strlen(r));
  switch (xpos) {
  case DY_XPOS_NNS:
    p = P_NOUN, rules = noun_rules;
    break;
  case DY_XPOS_VBD:
  case DY_XPOS_VBG:
  case DY_XPOS_VBN:
  case DY_XPOS_VBZ:
    p = P_VERB, rules = verb_rules;
    break;
  case DY_XPOS_VB:
  case DY_XPOS_VBP:
    return put(buf, cap, w, m);
  case DY_XPOS_JJR:
  case DY_XPOS_JJS:
    p = P_ADJ, rules = adj_rules;
    break;
  case DY_XPOS_RBR:
  case DY_XPOS_RBS:
    p = P_ADV, rules = adj_rules;
    break;
  default:
    break;
  }
  if (p < 0 && upos == DY_UPOS_NOUN && m > 3 && w[m - 1] == 's' &&
      xpos == DY_XPOS_NONE)
    p = P_NOUN, rules = noun_rules;
  if (p < 0 && upos == DY_UPOS_VERB && xpos == DY_XPOS_NONE)
    p = P_VERB, rules = verb_rules;
  if (p < 0)
    return put(buf, cap, w, m);
  k = morphy(lm, p, rules, w, m, out);
  if (k == 0) {
    if (in_index(lm, p, w, m, NULL) || p == P_ADJ || p == P_ADV)
      return put(buf, cap, w, m);
    k = guess(p, w, m, out);
  }
  return put(buf, cap, out, k);
}
