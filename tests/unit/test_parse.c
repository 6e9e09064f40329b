/* SPDX-License-Identifier: MIT */
/* Tests of the CoNLL-U reader, the tagger and parser (trained here on a
 * small synthetic treebank written by the test, or on a slice of
 * ../shared/ud-ewt when present), the model file's round trip and its
 * refusal of corrupt files, and the engine's analysis of articles. */
#include "test.h"

#include "dyad/dyad.h"
#include "dyad/parse.h"
#include "parse_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------- */

typedef struct bad_lines {
  size_t line[16]; /* reported line numbers */
  size_t n;        /* reports */
} bad_lines;

static void on_bad(size_t line, const char *why, void *ud)
{
  bad_lines *b = ud;
  (void)why;
  if (b->n < 16)
    b->line[b->n] = line;
  b->n++;
}

/* A synthetic treebank: "the big dog sees a cat ." and the like. */
static void synth(dy_buf *b, int nsent, unsigned seed)
{
  static const char *const dets[] = {"the", "a", "this"};
  static const char *const nouns[] = {"dog", "cat", "man", "bird", "girl"};
  static const char *const adjs[] = {"big", "small", "old"};
  static const char *const verbs[] = {"sees", "likes", "chases", "helps"};
  int i;
  for (i = 0; i < nsent; i++) {
    int adj;
    seed = seed * 1103515245u + 12345u;
    adj = (seed >> 16) % 2;
    dy_buf_printf(b, "# sent_id = s%d\n", i);
    dy_buf_printf(b, "1\t%s\t_\tDET\tDT\t_\t%d\tdet\t_\t_\n",
                  dets[(seed >> 8) % 3], 2 + adj);
    if (adj)
      dy_buf_printf(b, "2\t%s\t_\tADJ\tJJ\t_\t3\tamod\t_\t_\n",
                    adjs[(seed >> 4) % 3]);
    dy_buf_printf(b, "%d\t%s\t_\tNOUN\tNN\t_\t%d\tnsubj\t_\t_\n", 2 + adj,
                  nouns[(seed >> 10) % 5], 3 + adj);
    dy_buf_printf(b, "%d\t%s\t_\tVERB\tVBZ\t_\t0\troot\t_\t_\n", 3 + adj,
                  verbs[(seed >> 12) % 4]);
    dy_buf_printf(b, "%d\t%s\t_\tDET\tDT\t_\t%d\tdet\t_\t_\n", 4 + adj,
                  dets[(seed >> 14) % 3], 5 + adj);
    dy_buf_printf(b, "%d\t%s\t_\tNOUN\tNN\t_\t%d\tobj\t_\t_\n", 5 + adj,
                  nouns[(seed >> 18) % 5], 3 + adj);
    dy_buf_printf(b, "%d\t.\t_\tPUNCT\t.\t_\t%d\tpunct\t_\t_\n\n", 6 + adj,
                  3 + adj);
  }
}

static dy_parser *synth_model(void)
{
  dy_buf b;
  dy_conllu_doc *d = NULL;
  dy_parser *m = NULL;
  dy_train_opts o;
  dy_err err;
  dy_buf_init(&b, 0);
  synth(&b, 300, 7);
  memset(&o, 0, sizeof o);
  o.tag_epochs = 3;
  o.parse_epochs = 3;
  o.folds = 2;
  o.prune = 0.001f; /* few updates on a tiny treebank: keep small weights */
  if (dy_conllu_read(b.p, b.n, 0, NULL, NULL, &d) == DY_OK &&
      dy_parser_train(d, &o, &m, &err) < 0)
    fprintf(stderr, "  train: %s\n", err.msg);
  dy_conllu_free(d);
  dy_buf_fini(&b);
  return m;
}

/* ---- tests ------------------------------------------------------------- */

void test_parse_conllu_reader(void)
{
  static const char text[] =
      "# newdoc\n"                                /* 1 */
      "# text = We can't.\n"                      /* 2 */
      "1\tWe\twe\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n" /* 3 */
      "2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n"      /* 4 */
      "2\tca\tcan\tAUX\tMD\t_\t3\taux\t_\t_\r\n"  /* 5 */
      "3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n" /* 6 */
      "3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t_\t_\n"    /* 7 */
      "\n"                                        /* 8 */
      "1\tonly\tfour\tfields\n"                   /* 9 */
      "1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"       /* 10 */
      "3\tskip\t_\tX\tXX\t_\t0\tdep\t_\t_\n"      /* 11 */
      "2\tB\tb\tNOUN\tNN\t_\t0\tobl:tmod\t_\t_\n" /* 12 */
      "\n"                                        /* 13 */
      "1\tX\tx\tX\tXX\t_\t2\tdep\t_\t_\n"         /* 14 */
      "2\tY\ty\tX\tXX\t_\t1\tdep\t_\t_";          /* 15 */
  dy_conllu_doc *d = NULL;
  dy_conllu_sent *s;
  bad_lines bl;
  memset(&bl, 0, sizeof bl);
  CHECK_EQ_INT(dy_conllu_read(text, sizeof text - 1, 0, on_bad, &bl, &d),
               DY_OK);
  CHECK_EQ_INT(dy_conllu_nsents(d), 3);
  CHECK_EQ_INT(dy_conllu_nbad(d), 2);
  CHECK_EQ_INT(bl.n, 2);
  CHECK_EQ_INT(bl.line[0], 9);
  CHECK_EQ_INT(bl.line[1], 11);
  s = dy_conllu_sent_at(d, 0);
  CHECK_EQ_INT(s->ntok, 3);
  CHECK_EQ_INT(s->ncomments, 2);
  CHECK(strcmp(s->comments[1], "# text = We can't.") == 0);
  CHECK_EQ_INT(s->nmwts, 1);
  CHECK_EQ_INT(s->mwts[0].first, 2);
  CHECK_EQ_INT(s->mwts[0].last, 3);
  CHECK(strcmp(s->toks[1].lemma, "can") == 0); /* CR stripped */
  CHECK_EQ_INT(s->toks[2].head, 0);
  CHECK_EQ_INT(s->toks[1].upos, DY_UPOS_AUX);
  CHECK_EQ_INT(s->toks[1].xpos, DY_XPOS_MD);
  CHECK(s->tree_ok);
  CHECK_EQ_INT(s->line, 3);
  s = dy_conllu_sent_at(d, 1); /* a line was skipped: kept, not a tree */
  CHECK_EQ_INT(s->ntok, 2);
  CHECK_EQ_INT(s->toks[1].dep, DY_DEP_OBL);
  CHECK(!s->tree_ok);
  s = dy_conllu_sent_at(d, 2); /* a cycle, no root; no final newline */
  CHECK_EQ_INT(s->ntok, 2);
  CHECK(!s->tree_ok);
  CHECK(dy_conllu_sent_at(d, 3) == NULL);
  dy_conllu_free(d);

  /* the sentence cap drops and reports */
  memset(&bl, 0, sizeof bl);
  CHECK_EQ_INT(dy_conllu_read(text, sizeof text - 1, 2, on_bad, &bl, &d),
               DY_OK);
  CHECK_EQ_INT(dy_conllu_nsents(d), 2);
  CHECK_EQ_INT(bl.line[0], 3);
  dy_conllu_free(d);
  /* empty input */
  CHECK_EQ_INT(dy_conllu_read("", 0, 0, NULL, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_conllu_nsents(d), 0);
  dy_conllu_free(d);
  /* a NUL byte (here the whole FORM) is reported and the line skipped;
   * it once gave a word with an empty FORM (found by fuzz_conllu) */
  {
    static const char nul[] = "1\t\0\0\tx\tX\tXX\t_\t0\troot\t_\t_\n"
                              "1\tA\ta\tDET\tDT\t_\t0\troot\t_\t_\n";
    memset(&bl, 0, sizeof bl);
    CHECK_EQ_INT(dy_conllu_read(nul, sizeof nul - 1, 0, on_bad, &bl, &d),
                 DY_OK);
    CHECK_EQ_INT(bl.n, 1);
    CHECK_EQ_INT(bl.line[0], 1);
    CHECK_EQ_INT(dy_conllu_nsents(d), 1);
    s = dy_conllu_sent_at(d, 0);
    CHECK_EQ_INT(s->ntok, 1);
    CHECK(strcmp(s->toks[0].form, "A") == 0);
    dy_conllu_free(d);
  }
}

/* Tags and parses sentence i of d; counts correct tags and heads. */
static void score_sent(const dy_parser *m, dy_parse_ws *ws,
                       const dy_conllu_sent *s, size_t *tags, size_t *heads)
{
  dy_pword t[16];
  size_t k;
  for (k = 0; k < s->ntok && k < 16; k++) {
    t[k].form = s->toks[k].form;
    t[k].len = strlen(s->toks[k].form);
  }
  dy_parser_tag(m, ws, t, k);
  dy_parser_parse(m, ws, t, k);
  for (k = 0; k < s->ntok && k < 16; k++) {
    *tags += t[k].upos == s->toks[k].upos && t[k].xpos == s->toks[k].xpos;
    *heads += t[k].head + 1 == s->toks[k].head && t[k].dep == s->toks[k].dep;
  }
}

void test_parse_model_roundtrip(void)
{
  dy_parser *m = synth_model(), *m2 = NULL;
  dy_parse_ws *ws = NULL;
  dy_buf b;
  dy_conllu_doc *d = NULL;
  dy_parse_score sc, sc2;
  dy_err err;
  char path[] = "/tmp/dyad-test-model-XXXXXX";
  int fd;
  CHECK(m != NULL);
  CHECK_EQ_INT(dy_parse_ws_new(&ws), DY_OK);
  /* unseen sentences of the same language come out right */
  dy_buf_init(&b, 0);
  synth(&b, 50, 99);
  CHECK_EQ_INT(dy_conllu_read(b.p, b.n, 0, NULL, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_parser_eval(m, NULL, d, &sc), DY_OK);
  CHECK(sc.words > 300);
  CHECK(sc.upos == sc.words && sc.xpos == sc.words);
  CHECK(sc.las * 100 >= sc.words * 95);
  /* save, load, same predictions */
  fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  CHECK_EQ_INT(dy_parser_save(m, path, &err), DY_OK);
  CHECK_EQ_INT(dy_parser_load(path, &m2, &err), DY_OK);
  CHECK_EQ_INT(dy_parser_size(m2), dy_parser_size(m));
  CHECK_EQ_INT(dy_parser_eval(m2, NULL, d, &sc2), DY_OK);
  CHECK_EQ_INT(sc2.uas, sc.uas);
  CHECK_EQ_INT(sc2.las, sc.las);
  CHECK_EQ_INT(sc2.xpos, sc.xpos);
  {
    size_t tags = 0, heads = 0;
    score_sent(m2, ws, dy_conllu_sent_at(d, 0), &tags, &heads);
    CHECK(tags == dy_conllu_sent_at(d, 0)->ntok);
  }
  unlink(path);
  CHECK_EQ_INT(dy_parser_load(path, &m2 /* unchanged on error */, &err),
               DY_ENOENT);
  dy_conllu_free(d);
  dy_buf_fini(&b);
  dy_parse_ws_free(ws);
  dy_parser_free(m);
}

void test_parse_model_corrupt(void)
{
  dy_parser *m = synth_model(), *x = NULL;
  unsigned char *blob;
  size_t n, cut, i;
  unsigned char ver;
  dy_err err;
  char path[] = "/tmp/dyad-test-model-XXXXXX";
  FILE *f;
  int fd;
  CHECK(m != NULL);
  fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  CHECK_EQ_INT(dy_parser_save(m, path, &err), DY_OK);
  n = dy_parser_size(m);
  blob = malloc(n);
  CHECK(blob != NULL);
  f = fopen(path, "rb");
  CHECK(f != NULL);
  CHECK_EQ_INT(fread(blob, 1, n, f), n);
  fclose(f);
  /* truncated anywhere: refused */
  for (cut = 0; cut < n; cut += 1 + cut / 3) {
    int rc = dy_parser_load_mem(blob, cut, &x, &err);
    CHECK_EQ_INT(rc, DY_EFORMAT);
    CHECK(x == NULL);
  }
  /* a flipped byte anywhere: refused */
  for (i = 0; i < n; i += 1 + i / 2) {
    int rc;
    blob[i] ^= 0x5a;
    rc = dy_parser_load_mem(blob, n, &x, &err);
    blob[i] ^= 0x5a;
    CHECK(rc == DY_EFORMAT || rc == DY_EVERSION);
    CHECK(x == NULL);
  }
  ver = blob[8];
  blob[8] = 99; /* another version */
  CHECK_EQ_INT(dy_parser_load_mem(blob, n, &x, &err), DY_EVERSION);
  CHECK(strstr(err.msg, "version") != NULL);
  blob[8] = ver;
  /* a corrupt file names itself */
  f = fopen(path, "wb");
  CHECK(f != NULL);
  fwrite(blob, 1, n / 2, f);
  fclose(f);
  CHECK_EQ_INT(dy_parser_load(path, &x, &err), DY_EFORMAT);
  CHECK(strstr(err.msg, path) != NULL);
  unlink(path);
  free(blob);
  dy_parser_free(m);
}

void test_parse_long_sentence(void)
{
  dy_parser *m = synth_model();
  dy_parse_ws *ws = NULL;
  static const char *const words[] = {"the", "dog",          "sees", "a", "cat",
                                      ",",   "\xe2\x80\x94", "Zz9",  "."};
  size_t n = 1000, i, roots = 0;
  dy_pword *t = calloc(n, sizeof *t);
  CHECK(m != NULL && t != NULL);
  CHECK_EQ_INT(dy_parse_ws_new(&ws), DY_OK);
  for (i = 0; i < n; i++) {
    t[i].form = words[i % 9];
    t[i].len = strlen(words[i % 9]);
  }
  dy_parser_tag(m, ws, t, n);
  dy_parser_parse(m, ws, t, n);
  for (i = 0; i < n; i++) {
    CHECK(t[i].head >= -1 && t[i].head < (int32_t)n);
    CHECK(t[i].head != (int32_t)i);
    CHECK(t[i].upos > 0 && t[i].dep > 0);
    roots += t[i].head == -1;
  }
  CHECK_EQ_INT(roots, 1);   /* later pieces hang off the first's root */
  for (i = 0; i < n; i++) { /* and every word reaches it */
    size_t steps = 0;
    int32_t h = (int32_t)i;
    while (t[h].head >= 0 && steps++ <= n)
      h = t[h].head;
    CHECK(steps <= n);
  }
  dy_parser_parse(m, ws, t, 0);
  free(t);
  dy_parse_ws_free(ws);
  dy_parser_free(m);
}

void test_parse_engine(void)
{
  dy_parser *m = synth_model();
  dy_engine_opts o;
  dy_engine *e = NULL;
  dy_doc *d = NULL;
  dy_err err;
  const dy_article *a;
  char path[] = "/tmp/dyad-test-model-XXXXXX";
  static const char text[] = "The dog sees a cat.\n\nA small bird helps "
                             "the old man. This girl chases a dog.\n";
  size_t s, k;
  int fd;
  CHECK(m != NULL);
  fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  CHECK_EQ_INT(dy_parser_save(m, path, &err), DY_OK);
  memset(&o, 0, sizeof o);
  o.dict_dir = "tests/data/dict";
  o.model = path;
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_OK);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse(d, text, sizeof text - 1, "t", "2020-01-01"),
               DY_OK);
  a = dy_doc_article(d);
  CHECK(a->nsents >= 2);
  for (s = 0; s < a->nsents; s++) {
    const dy_sentence *st = &a->sents[s];
    size_t roots = 0;
    for (k = st->tok; k < st->tok + st->ntok; k++) {
      const dy_token *t = &a->toks[k];
      CHECK(t->lemma != NULL);
      CHECK(t->upos != 0 && t->xpos != 0 && t->dep != 0);
      CHECK(t->head == -1 || (t->head >= (int32_t)st->tok &&
                              t->head < (int32_t)(st->tok + st->ntok)));
      roots += t->head == -1;
    }
    CHECK_EQ_INT(roots, 1);
  }
  CHECK_EQ_INT(a->toks[1].upos, DY_UPOS_NOUN); /* dog */
  CHECK_EQ_INT(a->toks[2].dep, DY_DEP_ROOT);   /* sees */
  CHECK_EQ_INT(a->toks[1].head, 2);
  dy_doc_free(d);
  dy_engine_free(e);
  /* no analysis: tokens stay untagged */
  o.no_analysis = 1;
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_OK);
  CHECK_EQ_INT(dy_doc_new(e, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_doc_analyse(d, text, sizeof text - 1, "t", NULL), DY_OK);
  a = dy_doc_article(d);
  CHECK(a->toks[1].lemma == NULL && a->toks[1].upos == 0);
  CHECK_EQ_INT(a->toks[1].head, -1);
  dy_doc_free(d);
  dy_engine_free(e);
  /* an explicit model that is missing fails the open */
  unlink(path);
  o.no_analysis = 0;
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_ENOENT);
  CHECK(e == NULL);
  dy_parser_free(m);
}

/* The whole sentences in the first max_bytes of a file of
 * ../shared/ud-ewt as a CoNLL-U document (NULL when unreadable). */
static dy_conllu_doc *shared_slice(const char *name, size_t max_bytes)
{
  char path[1024];
  FILE *f;
  char *buf;
  size_t n;
  dy_conllu_doc *d = NULL;
  snprintf(path, sizeof path, "%s/ud-ewt/%s", dy_test_shared(), name);
  f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  buf = malloc(max_bytes);
  n = buf ? fread(buf, 1, max_bytes, f) : 0;
  fclose(f);
  while (n > 0 && !(buf[n - 1] == '\n' && n > 1 && buf[n - 2] == '\n'))
    n--; /* whole sentences only */
  if (buf)
    dy_conllu_read(buf, n, 0, NULL, NULL, &d);
  free(buf);
  return d;
}

void test_parse_train_shared(void)
{
  dy_conllu_doc *tr, *dev;
  dy_parser *m = NULL;
  dy_train_opts o;
  dy_parse_score sc;
  dy_err err;
  if (dy_test_shared() == NULL) {
    dy_test_skip("../shared is absent");
    return;
  }
  tr = shared_slice("en_ewt-ud-train.conllu", 600000);
  dev = shared_slice("en_ewt-ud-dev.conllu", 100000);
  CHECK(tr != NULL && dev != NULL);
  CHECK(dy_conllu_nsents(tr) > 300);
  memset(&o, 0, sizeof o);
  o.tag_epochs = 4;
  o.parse_epochs = 3;
  o.folds = 1;
  CHECK_EQ_INT(dy_parser_train(tr, &o, &m, &err), DY_OK);
  CHECK_EQ_INT(dy_parser_eval(m, NULL, dev, &sc), DY_OK);
  CHECK(sc.words > 1000);
  /* far above chance (a most-frequent-tag, attach-left baseline is under
   * 30% / 35%) after a few thousand training words */
  CHECK(sc.upos * 100 > sc.words * 80);
  CHECK(sc.uas * 100 > sc.words * 60);
  CHECK(sc.las < sc.uas);
  dy_parser_free(m);
  dy_conllu_free(tr);
  dy_conllu_free(dev);
}

/* The model's lemma lexicon: (form, XPOS) → the treebank's most frequent
 * lemma; other tags and unseen forms fall back (here: no lemmatizer, the
 * form itself). */
void test_parse_lemma_lexicon(void)
{
  static const char text[] =
      "1\tRegards\tregards\tNOUN\tNNS\t_\t0\troot\t_\t_\n\n"
      "1\tRegards\tregard\tNOUN\tNNS\t_\t0\troot\t_\t_\n\n"
      "1\tRegards\tregards\tNOUN\tNNS\t_\t0\troot\t_\t_\n\n"
      "1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
      "2\tPM\tp.m.\tNOUN\tNN\t_\t0\troot\t_\t_\n\n"
      "1\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_\n\n"
      "1\tsaw\tsaw\tNOUN\tNN\t_\t0\troot\t_\t_\n\n"
      "1\tgo\t_\tVERB\tVB\t_\t0\troot\t_\t_\n\n";
  dy_conllu_doc *d = NULL;
  dy_parser *m = NULL, *m2 = NULL;
  dy_train_opts o;
  dy_err err;
  char buf[64], path[] = "/tmp/dyad-lemma-XXXXXX";
  int fd;
  memset(&o, 0, sizeof o);
  o.tag_epochs = 1;
  o.parse_epochs = 1;
  o.folds = 1;
  o.parsers = 1;
  CHECK_EQ_INT(dy_conllu_read(text, sizeof text - 1, 0, NULL, NULL, &d), DY_OK);
  CHECK_EQ_INT(dy_parser_train(d, &o, &m, &err), DY_OK);
  CHECK(m != NULL);
  if (m == NULL)
    goto out;
#define LEM(p, w, x)                                                           \
  (dy_parser_lemma(p, NULL, w, strlen(w), x, 0, buf, sizeof buf), buf)
  CHECK(strcmp(LEM(m, "Regards", DY_XPOS_NNS), "regards") == 0);
  CHECK(strcmp(LEM(m, "A", DY_XPOS_DT), "a") == 0);
  CHECK(strcmp(LEM(m, "PM", DY_XPOS_NN), "p.m.") == 0);
  CHECK(strcmp(LEM(m, "saw", DY_XPOS_VBD), "see") == 0);
  CHECK(strcmp(LEM(m, "saw", DY_XPOS_NN), "saw") == 0);
  CHECK(strcmp(LEM(m, "saw", DY_XPOS_VBN), "saw") == 0); /* not seen */
  CHECK(strcmp(LEM(m, "Saw", DY_XPOS_VBD), "Saw") == 0); /* exact form */
  CHECK(strcmp(LEM(m, "go", DY_XPOS_VB), "go") == 0);    /* "_" left out */
  CHECK(strcmp(LEM(m, "P", DY_XPOS_NN), "P") == 0);      /* prefix of PM */
  CHECK(strcmp(LEM(NULL, "Regards", DY_XPOS_NNS), "Regards") == 0);
  CHECK_EQ_INT(dy_parser_lemma(m, NULL, "PM", 2, DY_XPOS_NN, 0, buf, 3), 2);
  CHECK(strcmp(buf, "p.") == 0); /* truncated to cap - 1 */
  /* the lexicon survives the file round trip */
  fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd >= 0)
    close(fd);
  CHECK_EQ_INT(dy_parser_save(m, path, &err), DY_OK);
  CHECK_EQ_INT(dy_parser_load(path, &m2, &err), DY_OK);
  remove(path);
  if (m2)
    CHECK(strcmp(LEM(m2, "PM", DY_XPOS_NN), "p.m.") == 0);
#undef LEM
out:
  dy_parser_free(m2);
  dy_parser_free(m);
  dy_conllu_free(d);
}

/* The non-monotonic transitions: LEFT replaces the head a RIGHT gave S0
 * (and the old head forgets its dependent), REDUCE attaches a headless S0
 * to the word below it. */
void test_parse_nonmonotonic(void)
{
  dy__pstate *s = calloc(1, sizeof *s);
  CHECK(s != NULL);
  dy__pstate_init(s, 4);
  CHECK(!dy__pvalid(s, DY__REDUCE) && !dy__pvalid(s, 2) && !dy__pvalid(s, 3));
  dy__papply(s, DY__SHIFT);          /* stack 1 */
  CHECK(!dy__pvalid(s, DY__REDUCE)); /* headless, nothing below */
  dy__papply(s, 3 + 2 * 5);          /* RIGHT 1 → 2, label 5 */
  CHECK_EQ_INT(s->head[2], 1);
  CHECK_EQ_INT(s->nr[1], 1);
  CHECK_EQ_INT(s->r1[1], 2);
  CHECK(dy__pvalid(s, 2));  /* LEFT although 2 has a head */
  dy__papply(s, 2 + 2 * 7); /* LEFT 3 → 2, label 7 */
  CHECK_EQ_INT(s->head[2], 3);
  CHECK_EQ_INT(s->lab[2], 7);
  CHECK_EQ_INT(s->nr[1], 0);
  CHECK_EQ_INT(s->r1[1], -1);
  CHECK(s->rs[1] == 0);
  CHECK_EQ_INT(s->l1[3], 2);
  CHECK_EQ_INT(s->sp, 1);
  dy__papply(s, DY__SHIFT); /* stack 1 3, both headless */
  CHECK(dy__pvalid(s, DY__REDUCE));
  dy__papply(s, DY__REDUCE); /* 3 attaches to 1, unlabelled */
  CHECK_EQ_INT(s->head[3], 1);
  CHECK_EQ_INT(s->lab[3], -1);
  CHECK_EQ_INT(s->r1[1], 3);
  CHECK_EQ_INT(s->nr[1], 1);
  CHECK_EQ_INT(s->sp, 1);
  free(s);
}
