/* SPDX-License-Identifier: MIT */
/* `dyad eval parse GOLD.conllu`: tags, lemmatises and parses the gold
 * file's words (its tokenization is kept) and prints UPOS, XPOS and lemma
 * accuracy, UAS and LAS (punctuation included, CoNLL 2018 definitions:
 * relations compared without subtypes) and words/s. */
#include "cli.h"
#include "dyad/parse.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double pct(size_t a, size_t n)
{
  return n ? 100.0 * (double)a / (double)n : 0.0;
}

int cli_eval_parse(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "eval", "parse [options] GOLD.conllu",
      "Scores the tagger, lemmatizer and parser on a CoNLL-U file with its "
      "gold\ntokenization: UPOS, XPOS, lemma accuracy, UAS and LAS "
      "(punctuation included,\nrelations without subtypes as in CoNLL "
      "2018), words/s of tagging + parsing +\nlemmas, model load time.",
      NULL};
  cli_opt opts[] = {
      {"model", "FILE", "model file (default: $DYAD_MODEL or data/)", NULL},
      {"repeat", "N", "timing passes (the best is reported)", "1"},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, ret = CLI_OK;
  long repeat, r;
  dy_parser *m = NULL;
  dy_lemmatizer *lm = NULL;
  dy_conllu_doc *gold = NULL;
  dy_parse_score sc, best;
  dy_err err;
  struct timespec t0, t1, c0, c1;
  const char *mp;
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0 || npos != 2 || strcmp(pos[0], "parse") != 0) {
    if (rc == 0)
      cli_error("eval", "usage: dyad eval parse GOLD.conllu");
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  repeat = strtol(cli_get(opts, "repeat"), NULL, 10);
  if (repeat < 1 || repeat > 100) {
    cli_error("eval", "bad --repeat '%s'", cli_get(opts, "repeat"));
    dy_free(pos);
    return CLI_USAGE;
  }
  cli_log_init(DY_LOG_ERROR);
  mp = cli_get(opts, "model") ? cli_get(opts, "model")
                              : dy_parser_default_path();
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  rc = dy_parser_load(mp, &m, &err);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (rc < 0) {
    cli_error(NULL, "cannot load the model: %s", err.msg);
    ret = CLI_FATAL;
    goto out;
  }
  if (dy_lemmatizer_open(NULL, &lm, &err) < 0) {
    cli_error(NULL, "cannot load the lemmatizer: %s", err.msg);
    ret = CLI_FATAL;
    goto out;
  }
  ret = cli_read_conllu(pos[1], &gold);
  if (gold == NULL)
    goto out;
  memset(&best, 0, sizeof best);
  for (r = 0; r < repeat; r++) {
    if (dy_parser_eval(m, lm, gold, &sc) < 0) {
      cli_error("eval", "out of memory");
      ret = CLI_FATAL;
      goto out;
    }
    if (r == 0 || sc.seconds < best.seconds)
      best = sc;
  }
  printf("file     %s\n", pos[1]);
  printf("model    %s (%zu bytes, loaded in %.3f s, %.3f s CPU)\n", mp,
         dy_parser_size(m),
         (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9,
         (double)(c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9);
  printf("words    %zu in %zu sentences\n", best.words, dy_conllu_nsents(gold));
  printf("UPOS     %.2f\n", pct(best.upos, best.words));
  printf("XPOS     %.2f\n", pct(best.xpos, best.words));
  printf("lemma    %.2f\n", pct(best.lemma, best.words));
  printf("UAS      %.2f\n", pct(best.uas, best.words));
  printf("LAS      %.2f\n", pct(best.las, best.words));
  printf("words/s  %.0f (tag + parse + lemma, CPU time of one thread)\n",
         best.seconds > 0 ? (double)best.words / best.seconds : 0.0);
out:
  dy_conllu_free(gold);
  dy_lemmatizer_free(lm);
  dy_parser_free(m);
  dy_free(pos);
  return ret;
}
