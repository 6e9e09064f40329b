/* SPDX-License-Identifier: MIT */
/* `dyad parse` (text or CoNLL-U in, CoNLL-U with lemmas, tags, heads and
 * relations out) and `dyad train` (trains the tagger and parser model from
 * a CoNLL-U treebank). */
#include "cli.h"
#include "dyad/frame.h"
#include "dyad/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONLLU_BYTES ((size_t)1 << 30)

typedef struct bad_ctx {
  const char *path; /* file name for messages */
  size_t n;         /* bad lines so far */
} bad_ctx;

static void on_bad(size_t line, const char *why, void *ud)
{
  bad_ctx *b = ud;
  if (b->n++ < 10)
    cli_error(b->path, "line %zu: %s (skipped)", line, why);
}

int cli_read_conllu(const char *path, dy_conllu_doc **out)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  dy_buf b;
  char chunk[65536];
  size_t r;
  bad_ctx bc = {path, 0};
  int rc;
  *out = NULL;
  if (f == NULL) {
    cli_error(path, "%s", strerror(errno));
    return CLI_DATA;
  }
  dy_buf_init(&b, MAX_CONLLU_BYTES);
  while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (dy_buf_append(&b, chunk, r) < 0)
      break;
  if (ferror(f) || b.failed) {
    cli_error(path, "%s",
              b.failed ? "over 1 GiB or out of memory" : "read error");
    if (f != stdin)
      fclose(f);
    dy_buf_fini(&b);
    return CLI_DATA;
  }
  if (f != stdin)
    fclose(f);
  rc = dy_conllu_read(b.p ? b.p : "", b.n, 0, on_bad, &bc, out);
  dy_buf_fini(&b);
  if (rc < 0) {
    cli_error(path, "out of memory");
    return CLI_FATAL;
  }
  if (bc.n > 10)
    cli_error(path, "%zu malformed lines skipped in all", bc.n);
  return bc.n ? CLI_DATA : CLI_OK;
}

/* ---- output ------------------------------------------------------------ */

static void put_word(dy_buf *o, size_t id, const char *form, size_t len,
                     const char *lemma, const dy_pword *t)
{
  dy_buf_printf(o, "%zu\t", id);
  dy_buf_tsv_field(o, form, len);
  dy_buf_putc(o, '\t');
  dy_buf_tsv_field(o, lemma, strlen(lemma));
  dy_buf_printf(o, "\t%s\t%s\t_\t%ld\t%s\t_\t_\n", dy_upos_name(t->upos),
                dy_xpos_name(t->xpos), (long)t->head + 1, dy_dep_name(t->dep));
}

typedef struct parse_ctx {
  dy_engine *eng;       /* for raw text */
  dy_doc *doc;          /* for raw text */
  const dy_parser *par; /* the model (raw text: the engine's) */
  dy_lemmatizer *lm;    /* lemmas (conll-u input) */
  dy_parse_ws *ws;      /* working memory */
  dy_pword *t;          /* sentence buffer */
  size_t cap;           /* entries in t */
  dy_buf out;           /* output */
  int frames;           /* print clause frames (--frames) */
  dy_arena mem;         /* frames */
} parse_ctx;

static int text_one(const dy_input *in, void *ud)
{
  parse_ctx *c = ud;
  const dy_article *a;
  size_t s, k;
  char lemma[256];
  int rc = dy_doc_analyse_input(c->doc, in, NULL);
  if (rc < 0) {
    cli_error(in->name, "%s", dy_doc_errmsg(c->doc));
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  a = dy_doc_article(c->doc);
  for (s = 0; s < a->nsents; s++) {
    const dy_sentence *st = &a->sents[s];
    dy_buf_reset(&c->out);
    dy_buf_printf(&c->out, "# sent_id = %zu\n# text = ", s + 1);
    dy_buf_tsv_field(&c->out, a->text + st->off, st->len);
    dy_buf_putc(&c->out, '\n');
    for (k = 0; k < st->ntok; k++) {
      const dy_token *tk = &a->toks[st->tok + k];
      dy_pword p;
      p.upos = tk->upos;
      p.xpos = tk->xpos;
      p.dep = tk->dep;
      p.head = tk->head < 0 ? -1 : tk->head - (int32_t)st->tok;
      snprintf(lemma, sizeof lemma, "%s", tk->lemma ? tk->lemma : "_");
      put_word(&c->out, k + 1, a->text + tk->off, tk->len, lemma, &p);
    }
    if (c->frames) { /* the clause frames, as comments after the words */
      dy_frame *fr;
      size_t nf, f;
      char buf[1024];
      dy_arena_reset(&c->mem);
      if (dy_frames_build(a, st, &c->mem, &fr, &nf) == DY_OK)
        for (f = 0; f < nf; f++) {
          dy_frame_describe(a, &fr[f], buf, sizeof buf);
          dy_buf_printf(&c->out, "# frame = %s\n", buf);
        }
    }
    dy_buf_putc(&c->out, '\n');
    if (c->out.failed) {
      cli_error(in->name, "out of memory");
      return CLI_FATAL;
    }
    fwrite(c->out.p, 1, c->out.n, stdout);
  }
  return CLI_OK;
}

static int conllu_out(parse_ctx *c, dy_conllu_doc *d)
{
  size_t i, k, m;
  char lemma[256];
  for (i = 0; i < dy_conllu_nsents(d); i++) {
    dy_conllu_sent *s = dy_conllu_sent_at(d, i);
    if (s->ntok > c->cap) {
      dy_pword *nt = dy_realloc(c->t, s->ntok * 2 * sizeof *nt);
      if (nt == NULL) {
        cli_error("parse", "out of memory");
        return CLI_FATAL;
      }
      c->t = nt;
      c->cap = s->ntok * 2;
    }
    for (k = 0; k < s->ntok; k++) {
      c->t[k].form = s->toks[k].form;
      c->t[k].len = strlen(s->toks[k].form);
    }
    dy_parser_tag(c->par, c->ws, c->t, s->ntok);
    dy_parser_parse(c->par, c->ws, c->t, s->ntok);
    dy_buf_reset(&c->out);
    for (k = 0; k < s->ncomments; k++)
      dy_buf_printf(&c->out, "%s\n", s->comments[k]);
    for (k = 0, m = 0; k < s->ntok; k++) {
      for (; m < s->nmwts && s->mwts[m].first == k + 1; m++)
        dy_buf_printf(&c->out, "%s\n", s->mwts[m].line);
      dy_parser_lemma(c->par, c->lm, c->t[k].form, c->t[k].len, c->t[k].xpos,
                      c->t[k].upos, lemma, sizeof lemma);
      put_word(&c->out, k + 1, c->t[k].form, c->t[k].len, lemma, &c->t[k]);
    }
    dy_buf_putc(&c->out, '\n');
    if (c->out.failed) {
      cli_error("parse", "out of memory");
      return CLI_FATAL;
    }
    fwrite(c->out.p, 1, c->out.n, stdout);
  }
  return CLI_OK;
}

int cli_parse_cmd(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "parse", "[options] FILE...",
      "Tags and parses text and prints CoNLL-U: lemma, UPOS, XPOS, head and "
      "relation\nper word. FILE is read as a news article (tokenizer and "
      "sentence splitter of\n`dyad extract`; '-' is standard input) or, with "
      "--tokenized, as CoNLL-U whose\nwords, comments and multiword tokens "
      "are kept.",
      NULL};
  cli_opt opts[] = {
      {"tokenized", NULL, "FILE is CoNLL-U: keep its tokenization", NULL},
      {"frames", NULL, "after each sentence, its clause frames as "
                       "'# frame = ...' comments (raw text only)", NULL},
      {"model", "FILE", "model file (default: $DYAD_MODEL or data/)", NULL},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",
       "64M"},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, j, ret = CLI_OK;
  parse_ctx c;
  dy_err err;
  dy_parser *model = NULL;
  memset(&c, 0, sizeof c);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0 || npos == 0) {
    if (rc == 0)
      cli_error("parse", "usage: dyad parse [--tokenized] FILE...");
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  cli_log_init(DY_LOG_ERROR);
  dy_buf_init(&c.out, 0);
  c.frames = cli_get(opts, "frames") != NULL;
  dy_arena_init(&c.mem, (size_t)64 << 20);
  if (cli_get(opts, "tokenized")) {
    const char *mp = cli_get(opts, "model");
    if (!mp)
      mp = dy_parser_default_path();
    if (dy_parser_load(mp, &model, &err) < 0) {
      cli_error(NULL, "cannot load the model: %s", err.msg);
      ret = CLI_FATAL;
      goto out;
    }
    if (dy_lemmatizer_open(NULL, &c.lm, &err) < 0) {
      cli_error(NULL, "cannot load the lemmatizer: %s", err.msg);
      ret = CLI_FATAL;
      goto out;
    }
    if (dy_parse_ws_new(&c.ws) < 0) {
      ret = CLI_FATAL;
      goto out;
    }
    c.par = model;
    for (j = 0; j < npos; j++) {
      dy_conllu_doc *d = NULL;
      rc = cli_read_conllu(pos[j], &d);
      if (rc == CLI_FATAL) {
        ret = rc;
        break;
      }
      if (rc != CLI_OK)
        ret = CLI_DATA;
      if (d)
        rc = conllu_out(&c, d);
      dy_conllu_free(d);
      if (rc == CLI_FATAL) {
        ret = rc;
        break;
      }
    }
  } else {
    long long max = cli_size(cli_get(opts, "max-doc-bytes"));
    dy_doc_opts dopts;
    cli_tally tally;
    if (max <= 0) {
      cli_error("parse", "bad --max-doc-bytes '%s'",
                cli_get(opts, "max-doc-bytes"));
      ret = CLI_USAGE;
      goto out;
    }
    {
      dy_engine_opts eo;
      memset(&eo, 0, sizeof eo);
      eo.dict_dir = cli_get(opts, "dict-dir");
      eo.model = cli_get(opts, "model");
      eo.require_model = 1;
      if (dy_engine_open(&eo, &c.eng, &err) < 0) {
        cli_error(NULL, "cannot load the engine: %s", err.msg);
        ret = CLI_FATAL;
        goto out;
      }
    }
    memset(&dopts, 0, sizeof dopts);
    dopts.max_bytes = (size_t)max;
    if (dy_doc_new(c.eng, &dopts, &c.doc) < 0) {
      ret = CLI_FATAL;
      goto out;
    }
    memset(&tally, 0, sizeof tally);
    ret = cli_each_input(pos, npos, (size_t)max, text_one, &c, &tally);
  }
out:
  dy_buf_fini(&c.out);
  dy_arena_fini(&c.mem);
  dy_free(c.t);
  dy_parse_ws_free(c.ws);
  dy_lemmatizer_free(c.lm);
  dy_parser_free(model);
  dy_doc_free(c.doc);
  dy_engine_free(c.eng);
  dy_free(pos);
  return ret;
}

/* ---- training ---------------------------------------------------------- */

static void progress(const char *msg, void *ud)
{
  time_t *t0 = ud;
  fprintf(stderr, "[%4lds] %s\n", (long)(time(NULL) - *t0), msg);
}

static int int_opt(const cli_opt *opts, const char *name, int lo, int hi,
                   int *v)
{
  char *end;
  long x = strtol(cli_get(opts, name), &end, 10);
  if (*end || x < lo || x > hi) {
    cli_error("train", "bad --%s '%s' (%d..%d)", name, cli_get(opts, name), lo,
              hi);
    return -1;
  }
  *v = (int)x;
  return 0;
}

int cli_train(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "train", "--out FILE [options] TRAIN.conllu",
      "Trains the tagger and parser on a CoNLL-U treebank and writes the "
      "model file.\nProgress and, with --dev, per-epoch dev figures go to "
      "standard error.",
      NULL};
  cli_opt opts[] = {
      {"out", "FILE", "model file to write", NULL},
      {"dev", "FILE", "CoNLL-U file scored after each epoch", NULL},
      {"tag-epochs", "N", "tagger passes", "8"},
      {"parse-epochs", "N", "parser passes", "12"},
      {"prune", "W", "always drop parser weights below W", "0.1"},
      {"max-size", "BYTES",
       "model file budget (k/M suffixes): prune harder "
       "to fit",
       "20M"},
      {"min-count", "N",
       "drop parser features updated < N "
       "times",
       "1"},
      {"folds", "N", "jackknife folds (1 = gold tags)", "5"},
      {"parsers", "N", "parsers trained and averaged into the model", "2"},
      {"seed", "N", "shuffling seed", "1"},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, ret = CLI_OK, seed;
  dy_conllu_doc *tr = NULL, *dev = NULL;
  dy_train_opts to;
  dy_parser *m = NULL;
  dy_err err;
  time_t t0 = time(NULL);
  if (pos == NULL)
    return CLI_FATAL;
  memset(&to, 0, sizeof to);
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0 || npos != 1 || !cli_get(opts, "out")) {
    if (rc == 0)
      cli_error("train", "usage: dyad train --out FILE [--dev DEV.conllu] "
                         "TRAIN.conllu");
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (int_opt(opts, "tag-epochs", 1, 100, &to.tag_epochs) < 0 ||
      int_opt(opts, "parse-epochs", 1, 100, &to.parse_epochs) < 0 ||
      int_opt(opts, "folds", 1, 20, &to.folds) < 0 ||
      int_opt(opts, "parsers", 1, 8, &to.parsers) < 0 ||
      int_opt(opts, "seed", 1, 1 << 30, &seed) < 0) {
    dy_free(pos);
    return CLI_USAGE;
  }
  to.seed = (unsigned)seed;
  {
    char *end;
    to.prune = strtof(cli_get(opts, "prune"), &end);
    if (*end || !(to.prune > 0 && to.prune < 100)) {
      cli_error("train", "bad --prune '%s'", cli_get(opts, "prune"));
      dy_free(pos);
      return CLI_USAGE;
    }
  }
  {
    long long ms = cli_size(cli_get(opts, "max-size"));
    if (ms < 4096) {
      cli_error("train", "bad --max-size '%s'", cli_get(opts, "max-size"));
      dy_free(pos);
      return CLI_USAGE;
    }
    to.max_bytes = (size_t)ms;
  }
  if (int_opt(opts, "min-count", 1, 1000, &to.min_count) < 0) {
    dy_free(pos);
    return CLI_USAGE;
  }
  to.progress = progress;
  to.ud = &t0;
  cli_log_init(DY_LOG_ERROR);
  rc = cli_read_conllu(pos[0], &tr);
  if (tr == NULL) {
    ret = rc;
    goto out;
  }
  if (cli_get(opts, "dev")) {
    rc = cli_read_conllu(cli_get(opts, "dev"), &dev);
    if (dev == NULL) {
      ret = rc;
      goto out;
    }
  }
  to.dev = dev;
  if (dy_parser_train(tr, &to, &m, &err) < 0) {
    cli_error("train", "%s", err.msg);
    ret = CLI_FATAL;
    goto out;
  }
  if (dy_parser_save(m, cli_get(opts, "out"), &err) < 0) {
    cli_error("train", "%s", err.msg);
    ret = CLI_FATAL;
    goto out;
  }
  progress("model written", &t0);
  fprintf(stderr, "%s: %zu bytes\n", cli_get(opts, "out"), dy_parser_size(m));
out:
  dy_parser_free(m);
  dy_conllu_free(tr);
  dy_conllu_free(dev);
  dy_free(pos);
  return ret;
}
