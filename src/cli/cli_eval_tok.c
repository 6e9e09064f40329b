/* SPDX-License-Identifier: MIT */
/* `dyad eval tokenize GOLD.conllu`: scores the tokenizer, the sentence
 * splitter and the lemmatizer against a CoNLL-U treebank. The raw text is
 * rebuilt from the `# text` lines (joined by a space within a paragraph,
 * paragraphs by a blank line; `# newpar` and `# newdoc` start paragraphs).
 * Tokens and sentences match by character span with whitespace ignored.
 * Gold data is only read, never copied. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A span in "non-whitespace coordinates": byte offsets counted over the
 * text with every ASCII whitespace byte removed. */
typedef struct span {
  uint32_t a; /* first byte */
  uint32_t b; /* one past the last byte */
} span;

typedef struct spans {
  span *v;    /* entries */
  size_t n;   /* used */
  size_t cap; /* allocated */
} spans;

typedef struct gword {
  uint32_t form;  /* offset of the form in the words buffer */
  uint32_t lemma; /* offset of the lemma */
  uint16_t nform; /* bytes */
  uint16_t nlemma;
  uint8_t upos, xpos;
} gword;

typedef struct gold {
  dy_buf text;   /* raw text rebuilt from `# text` */
  dy_buf strs;   /* forms and lemmas */
  spans toks;    /* gold word spans */
  spans sents;   /* gold sentence spans */
  gword *w;      /* words, for lemmas */
  size_t nw, capw;
  size_t nmismatch; /* sentences whose forms do not spell their text */
  size_t nbad;      /* malformed lines skipped */
} gold;

static int spans_push(spans *s, uint32_t a, uint32_t b)
{
  if (s->n == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 1024;
    span *p = dy_realloc(s->v, nc * sizeof *p);
    if (p == NULL)
      return DY_ENOMEM;
    s->v = p;
    s->cap = nc;
  }
  s->v[s->n].a = a;
  s->v[s->n].b = b;
  s->n++;
  return DY_OK;
}

static size_t nonws(const char *p, size_t n)
{
  size_t i, k = 0;
  for (i = 0; i < n; i++)
    if (!dy_isspace(p[i]))
      k++;
  return k;
}

/* Splits a tab-separated line into at most 10 fields. */
static int fields(char *line, char **f)
{
  int k = 0;
  f[k++] = line;
  for (char *p = line; *p && k < 10; p++)
    if (*p == '\t') {
      *p = '\0';
      f[k++] = p + 1;
    }
  return k;
}

typedef struct sent_state {
  int open;              /* a `# text` line was seen */
  uint32_t ntext;        /* non-ws bytes of the `# text` value */
  uint32_t base;         /* non-ws offset of the sentence start */
  uint32_t pos;          /* running non-ws offset */
  long range_end;        /* last word id of the open multiword token, or 0 */
  uint32_t mwt_a, mwt_b; /* span of that token */
  int mwt_concat;        /* its words spell it so far */
  size_t mwt_form;       /* offset of its form in the gold's strs */
  size_t mwt_n;          /* bytes of its form */
  size_t mwt_used;       /* bytes of its form spelled by its words */
  int nwords;            /* words of the sentence */
} sent_state;

static int push_word(gold *g, const char *form, size_t fn, const char *lemma,
                     const char *upos, const char *xpos)
{
  gword *gw;
  size_t ln = strlen(lemma);
  if (g->nw == g->capw) {
    size_t nc = g->capw ? g->capw * 2 : 4096;
    gword *p = dy_realloc(g->w, nc * sizeof *p);
    if (p == NULL)
      return DY_ENOMEM;
    g->w = p;
    g->capw = nc;
  }
  gw = &g->w[g->nw++];
  gw->form = (uint32_t)g->strs.n;
  gw->nform = (uint16_t)(fn > 255 ? 255 : fn);
  dy_buf_append(&g->strs, form, gw->nform);
  gw->lemma = (uint32_t)g->strs.n;
  gw->nlemma = (uint16_t)(ln > 255 ? 255 : ln);
  dy_buf_append(&g->strs, lemma, gw->nlemma);
  gw->upos = (uint8_t)dy_upos_parse(upos, strlen(upos));
  gw->xpos = (uint8_t)dy_xpos_parse(xpos, strlen(xpos));
  return DY_OK;
}

/* One word line of a sentence: its span (and the multiword token's). */
static int word_line(gold *g, sent_state *st, char **fl)
{
  char *dash = strchr(fl[0], '-');
  long id = strtol(fl[0], NULL, 10);
  size_t fn = strlen(fl[1]);
  uint32_t w = (uint32_t)nonws(fl[1], fn), a, b;
  if (strchr(fl[0], '.'))
    return DY_OK; /* empty nodes */
  if (dash) {
    st->range_end = strtol(dash + 1, NULL, 10);
    st->mwt_a = st->pos;
    st->mwt_b = st->pos + w;
    st->mwt_concat = 1;
    st->mwt_form = g->strs.n;
    st->mwt_n = fn;
    st->mwt_used = 0;
    st->pos += w;
    return dy_buf_append(&g->strs, fl[1], fn);
  }
  st->nwords++;
  if (st->range_end && id <= st->range_end) {
    /* a word of a multiword token: its own span when the words spell the
     * token (did + n't), else the whole token's span */
    const char *mf = g->strs.p + st->mwt_form;
    a = st->mwt_a;
    b = st->mwt_b;
    if (st->mwt_concat && st->mwt_used + fn <= st->mwt_n &&
        strncasecmp(mf + st->mwt_used, fl[1], fn) == 0) {
      a = st->mwt_a + (uint32_t)nonws(mf, st->mwt_used);
      b = a + w;
      st->mwt_used += fn;
      if (id == st->range_end && st->mwt_used != st->mwt_n)
        b = st->mwt_b;
    } else {
      st->mwt_concat = 0;
      a = st->mwt_a;
      b = st->mwt_b;
    }
    if (id == st->range_end)
      st->range_end = 0;
  } else {
    a = st->pos;
    b = st->pos + w;
    st->pos += w;
  }
  if (spans_push(&g->toks, a, b) < 0)
    return DY_ENOMEM;
  return push_word(g, fl[1], fn, fl[2], fl[3], fl[4]);
}

static int end_sentence(gold *g, sent_state *st, uint32_t *total)
{
  int rc = DY_OK;
  if (st->nwords > 0) {
    if (st->pos != st->base + st->ntext)
      g->nmismatch++;
    rc = spans_push(&g->sents, st->base, st->pos);
  }
  if (st->open)
    *total = st->base + st->ntext;
  memset(st, 0, sizeof *st);
  return rc;
}

static int read_gold(const char *path, gold *g)
{
  FILE *f = fopen(path, "rb");
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int newpar = 1, rc = DY_OK;
  uint32_t total = 0; /* non-ws bytes of the text so far */
  sent_state st;
  memset(&st, 0, sizeof st);
  if (f == NULL) {
    cli_error(path, "cannot open");
    return DY_EIO;
  }
  while (rc == DY_OK && (len = getline(&line, &lcap, f)) >= 0) {
    char *fl[10];
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    if (len == 0) {
      rc = end_sentence(g, &st, &total);
    } else if (line[0] == '#') {
      if (strncmp(line, "# newpar", 8) == 0 ||
          strncmp(line, "# newdoc", 8) == 0)
        newpar = 1;
      else if (strncmp(line, "# text = ", 9) == 0) {
        if (st.open)
          rc = end_sentence(g, &st, &total);
        if (g->text.n)
          dy_buf_append(&g->text, newpar ? "\n\n" : " ", newpar ? 2 : 1);
        newpar = 0;
        st.open = 1;
        st.base = st.pos = total;
        st.ntext = (uint32_t)nonws(line + 9, (size_t)len - 9);
        dy_buf_append(&g->text, line + 9, (size_t)len - 9);
      }
    } else if (fields(line, fl) < 10 || !st.open)
      g->nbad++;
    else
      rc = word_line(g, &st, fl);
  }
  if (rc == DY_OK)
    rc = end_sentence(g, &st, &total);
  free(line);
  fclose(f);
  if (rc == DY_OK && (g->text.failed || g->strs.failed))
    rc = DY_ENOMEM;
  return rc;
}

/* Precision/recall/F1 of predicted spans against gold (both sorted). */
static void prf(const spans *gs, const spans *ps, double *p, double *r,
                double *f1, size_t *match)
{
  size_t i = 0, j = 0, m = 0;
  while (i < gs->n && j < ps->n) {
    const span *x = &gs->v[i], *y = &ps->v[j];
    if (x->a == y->a && x->b == y->b) {
      m++;
      i++;
      j++;
    } else if (x->a < y->a || (x->a == y->a && x->b < y->b))
      i++;
    else
      j++;
  }
  *match = m;
  *p = ps->n ? (double)m / (double)ps->n : 0;
  *r = gs->n ? (double)m / (double)gs->n : 0;
  *f1 = (*p + *r) > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Predicted spans from the article's tokens and sentences. */
static int predicted(const dy_article *art, spans *pt, spans *ps,
                     spans *pb)
{
  uint32_t *cum;
  size_t i;
  int rc = DY_OK;
  cum = dy_malloc((art->n + 1) * sizeof *cum);
  if (cum == NULL)
    return DY_ENOMEM;
  cum[0] = 0;
  for (i = 0; i < art->n; i++)
    cum[i + 1] = cum[i] + (dy_isspace(art->text[i]) ? 0 : 1);
  for (i = 0; i < art->ntoks && rc == DY_OK; i++) {
    const dy_token *t = &art->toks[i];
    rc = spans_push(pt, cum[t->off], cum[t->off + t->len]);
  }
  for (i = 0; i < art->nsents && rc == DY_OK; i++) {
    const dy_sentence *s = &art->sents[i];
    rc = spans_push(ps, cum[s->off], cum[s->off + s->len]);
    if (rc == DY_OK)
      rc = spans_push(pb, cum[s->off + s->len], cum[s->off + s->len]);
  }
  dy_free(cum);
  return rc;
}

static int cmp_span(const void *x, const void *y)
{
  const span *a = x, *b = y;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  if (a->b != b->b)
    return a->b < b->b ? -1 : 1;
  return 0;
}

static void print_diffs(const gold *g, const spans *pt, size_t max)
{
  /* first differing token spans, with text context in non-ws space */
  size_t i = 0, j = 0, shown = 0;
  while (i < g->toks.n && j < pt->n && shown < max) {
    const span *x = &g->toks.v[i], *y = &pt->v[j];
    if (x->a == y->a && x->b == y->b) {
      i++, j++;
      continue;
    }
    {
      /* the text around, from the gold text's non-ws byte x->a */
      size_t k, c = 0, at = 0;
      for (k = 0; k < g->text.n; k++)
        if (!dy_isspace(g->text.p[k]) && c++ == x->a) {
          at = k;
          break;
        }
      k = at > 20 ? at - 20 : 0;
      printf("  gold [%u,%u) pred [%u,%u): %.*s|%.*s\n", x->a, x->b, y->a,
             y->b, (int)(at - k), g->text.p + k,
             (int)(g->text.n - at < 30 ? g->text.n - at : 30),
             g->text.p + at);
    }
    shown++;
    /* resync */
    while (i < g->toks.n && j < pt->n &&
           !(g->toks.v[i].a == pt->v[j].a && g->toks.v[i].b == pt->v[j].b)) {
      if (g->toks.v[i].b <= pt->v[j].b)
        i++;
      else
        j++;
    }
  }
}

int cli_eval_tokenize(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "eval tokenize", "[options] GOLD.conllu",
      "Scores the tokenizer, the sentence splitter and the lemmatizer "
      "against a\nCoNLL-U treebank. The raw text is rebuilt from the "
      "`# text` lines, joined\nby a space within a paragraph and by a "
      "blank line between paragraphs\n(`# newpar` and `# newdoc` start "
      "one). A token matches when its character\nspan equals a gold word's "
      "span, whitespace ignored (offsets count\nnon-whitespace bytes); the "
      "words of a multiword token (did + n't) have\ntheir own spans when "
      "they spell the token. A sentence matches when its\nspan equals a "
      "gold sentence's span (CoNLL 2018); boundaries match when\na "
      "sentence ends at the same place. Lemma accuracy is over gold words "
      "with\ntheir gold UPOS and XPOS, lemmas from WordNet in --wordnet.",
      NULL};
  cli_opt opts[] = {
      {"wordnet", "DIR", "WordNet dictionary folder (default "
                         "$DYAD_WORDNET_DIR or /usr/share/wordnet)", NULL},
      {"diffs", "N", "print the first N token mismatches", "0"},
      {"lemma-errors", "N", "print the first N lemma errors", "0"},
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, ret = CLI_OK;
  gold g;
  dy_doc *doc = NULL;
  dy_lemmatizer *lm = NULL;
  dy_err err;
  spans pt = {0}, ps = {0}, pb = {0}, gb = {0};
  double p, r, f1, t0, t1, tl0, tl1, tload;
  size_t m, i, lemma_ok = 0;
  long ndiffs, nlerr;
  memset(&g, 0, sizeof g);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (npos != 1) {
    cli_error("eval tokenize", "usage: dyad eval tokenize GOLD.conllu");
    dy_free(pos);
    return CLI_USAGE;
  }
  ndiffs = strtol(cli_get(opts, "diffs"), NULL, 10);
  nlerr = strtol(cli_get(opts, "lemma-errors"), NULL, 10);
  cli_log_init(DY_LOG_ERROR);
  dy_buf_init(&g.text, 0);
  dy_buf_init(&g.strs, 0);
  memset(&err, 0, sizeof err);
  if (read_gold(pos[0], &g) < 0) {
    ret = CLI_DATA;
    goto out;
  }
  if (g.toks.n == 0) {
    cli_error(pos[0], "no CoNLL-U words");
    ret = CLI_DATA;
    goto out;
  }
  tl0 = now_s();
  rc = dy_lemmatizer_open(cli_get(opts, "wordnet"), &lm, &err);
  tload = now_s() - tl0;
  if (rc < 0) {
    cli_error("wordnet", "%s", err.msg);
    ret = CLI_FATAL;
    goto out;
  }
  if (dy_doc_new(NULL, NULL, &doc) < 0) {
    ret = CLI_FATAL;
    goto out;
  }
  t0 = now_s();
  rc = dy_doc_tokenize(doc, g.text.p, g.text.n, pos[0]);
  t1 = now_s();
  if (rc < 0) {
    cli_error(pos[0], "%s", dy_doc_errmsg(doc));
    ret = CLI_FATAL;
    goto out;
  }
  if (predicted(dy_doc_article(doc), &pt, &ps, &pb) < 0) {
    ret = CLI_FATAL;
    goto out;
  }
  for (i = 0; i < g.sents.n; i++)
    if (spans_push(&gb, g.sents.v[i].b, g.sents.v[i].b) < 0) {
      ret = CLI_FATAL;
      goto out;
    }
  qsort(g.toks.v, g.toks.n, sizeof *g.toks.v, cmp_span);
  qsort(pt.v, pt.n, sizeof *pt.v, cmp_span);
  printf("gold: %zu words, %zu sentences, %zu bytes of text", g.toks.n,
         g.sents.n, g.text.n);
  if (g.nmismatch || g.nbad)
    printf(" (%zu sentences whose forms do not spell the text, %zu "
           "malformed lines)",
           g.nmismatch, g.nbad);
  printf("\n");
  prf(&g.toks, &pt, &p, &r, &f1, &m);
  printf("tokens     P %6.2f  R %6.2f  F1 %6.2f  (%zu predicted, %zu match)\n",
         100 * p, 100 * r, 100 * f1, pt.n, m);
  prf(&g.sents, &ps, &p, &r, &f1, &m);
  printf("sentences  P %6.2f  R %6.2f  F1 %6.2f  (%zu predicted, %zu match)\n",
         100 * p, 100 * r, 100 * f1, ps.n, m);
  prf(&gb, &pb, &p, &r, &f1, &m);
  printf("boundaries P %6.2f  R %6.2f  F1 %6.2f\n", 100 * p, 100 * r,
         100 * f1);
  tl0 = now_s();
  for (i = 0; i < g.nw; i++) {
    const gword *w = &g.w[i];
    char buf[256];
    size_t n = dy_lemmatize(lm, g.strs.p + w->form, w->nform, w->xpos,
                            w->upos, buf, sizeof buf);
    if (n == w->nlemma && memcmp(buf, g.strs.p + w->lemma, n) == 0)
      lemma_ok++;
    else if (nlerr > 0) {
      nlerr--;
      printf("  lemma %.*s %s/%s: gold %.*s, got %s\n", (int)w->nform,
             g.strs.p + w->form, dy_upos_name(w->upos), dy_xpos_name(w->xpos),
             (int)w->nlemma, g.strs.p + w->lemma, buf);
    }
  }
  tl1 = now_s();
  printf("lemmas     %6.2f%% (%zu of %zu, gold UPOS/XPOS)\n",
         100.0 * (double)lemma_ok / (double)g.nw, lemma_ok, g.nw);
  printf("speed      tokenize+split %.0f tokens/s, lemmatize %.0f words/s, "
         "WordNet load %.3f s\n",
         t1 > t0 ? (double)pt.n / (t1 - t0) : 0,
         tl1 > tl0 ? (double)g.nw / (tl1 - tl0) : 0, tload);
  if (ndiffs > 0)
    print_diffs(&g, &pt, (size_t)ndiffs);
out:
  dy_lemmatizer_free(lm);
  dy_doc_free(doc);
  dy_buf_fini(&g.text);
  dy_buf_fini(&g.strs);
  dy_free(g.toks.v);
  dy_free(g.sents.v);
  dy_free(g.w);
  dy_free(pt.v);
  dy_free(ps.v);
  dy_free(pb.v);
  dy_free(gb.v);
  dy_free(pos);
  fflush(stdout);
  return ret;
}
