/* SPDX-License-Identifier: MIT */
/* `dyad quotes`, `dyad entities` and `dyad eval quotes`: quotations with
 * speakers, named entities and places as JSON lines (docs/QUOTES.md,
 * docs/PLACES.md), and the quote scorer for a LitBank-style folder. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct facts_ctx {
  dy_engine *eng;
  dy_doc *doc;
  const char *date;
  int entities; /* 0 quotes, 1 entities */
  int plain;    /* --plain: the file is a body, no headline/dateline */
  dy_buf out;
  size_t n;
} facts_ctx;

static int facts_one(const dy_input *in, void *ud)
{
  facts_ctx *c = ud;
  size_t i;
  int rc = c->plain ? dy_doc_analyse_plain(c->doc, in->bytes, in->n, in->name,
                                           c->date)
                    : dy_doc_analyse_input(c->doc, in, c->date);
  if (rc == DY_OK)
    rc = dy_doc_facts(c->doc);
  if (rc < 0) {
    cli_error(in->name, "%s", dy_doc_errmsg(c->doc));
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  if (c->entities) {
    const char *cc = dy_doc_countries(c->doc);
    const dy_article *a = dy_doc_article(c->doc);
    dy_buf_reset(&c->out);
    dy_buf_puts(&c->out, "{\"doc\":");
    dy_buf_json_str(&c->out, a->name, strlen(a->name));
    dy_buf_puts(&c->out, ",\"type\":\"article\",\"countries\":[");
    while (*cc) {
      const char *comma = strchr(cc, ',');
      size_t len = comma ? (size_t)(comma - cc) : strlen(cc);
      dy_buf_json_str(&c->out, cc, len);
      cc += len;
      if (*cc == ',') {
        dy_buf_putc(&c->out, ',');
        cc++;
      }
    }
    dy_buf_puts(&c->out, "],\"dateline\":[");
    for (i = 0; i < dy_doc_ndateline_geo(c->doc); i++) {
      if (i)
        dy_buf_putc(&c->out, ',');
      dy_geo_json(dy_doc_dateline_geo(c->doc, i), &c->out);
    }
    dy_buf_puts(&c->out, "]}\n");
    for (i = 0; i < dy_doc_nentities(c->doc); i++) {
      dy_entity_json(c->doc, dy_doc_entity(c->doc, i), &c->out);
      dy_buf_putc(&c->out, '\n');
    }
  } else {
    dy_buf_reset(&c->out);
    for (i = 0; i < dy_doc_nquotes(c->doc); i++) {
      dy_quote_json(c->doc, dy_doc_quote(c->doc, i), &c->out);
      dy_buf_putc(&c->out, '\n');
    }
  }
  if (c->out.failed) {
    cli_error(in->name, "out of memory formatting the records");
    return CLI_FATAL;
  }
  fwrite(c->out.p ? c->out.p : "", 1, c->out.n, stdout);
  return CLI_OK;
}

static int run_facts(int argc, char **argv, int entities)
{
  static const cli_cmd qcmd = {
      "quotes", "[options] FILE|DIR|-...",
      "Prints the quotations of each news file as JSON lines: direct quotes "
      "(every\nquote-mark style, interrupted and multi-paragraph) and "
      "indirect speech, with\nbyte offsets into the article body, the cue, "
      "the speaker's full name,\naffiliation and actor code.",
      NULL};
  static const cli_cmd ecmd = {
      "entities", "[options] FILE|DIR|-...",
      "Prints the named entities of each news file as JSON lines: persons, "
      "organizations\nand places with byte offsets, actor codes and "
      "resolved places (type, country\ncodes, coordinates); first an "
      "article line with the countries mentioned\nand the dateline's "
      "places.",
      NULL};
  cli_opt opts[] = {
      {"date", "YYYY-MM-DD", "publication date (else the dateline's)", NULL},
      {"plain", NULL, "read files as bare bodies (no headline or dateline)",
       NULL},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",
       "64M"},
      {"verbose", NULL, "log dictionary warnings and progress", NULL},
      {NULL, NULL, NULL, NULL}};
  const cli_cmd *cmd = entities ? &ecmd : &qcmd;
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc;
  facts_ctx c;
  cli_tally tally;
  dy_doc_opts dopts;
  long long max;
  memset(&c, 0, sizeof c);
  memset(&tally, 0, sizeof tally);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (npos == 0) {
    cli_error(cmd->name, "no input files (use - for standard input)");
    dy_free(pos);
    return CLI_USAGE;
  }
  max = cli_size(cli_get(opts, "max-doc-bytes"));
  if (max <= 0) {
    cli_error(cmd->name, "bad --max-doc-bytes '%s'",
              cli_get(opts, "max-doc-bytes"));
    dy_free(pos);
    return CLI_USAGE;
  }
  c.date = cli_get(opts, "date");
  if (c.date && dy_date_parse(dy_str_c(c.date)) < 0) {
    cli_error(cmd->name, "bad --date '%s' (want YYYY-MM-DD)", c.date);
    dy_free(pos);
    return CLI_USAGE;
  }
  c.entities = entities;
  c.plain = cli_get(opts, "plain") != NULL;
  cli_log_init(cli_get(opts, "verbose") ? DY_LOG_INFO : DY_LOG_ERROR);
  c.eng = cli_engine(opts);
  if (c.eng == NULL) {
    dy_free(pos);
    return CLI_FATAL;
  }
  memset(&dopts, 0, sizeof dopts);
  dopts.max_bytes = (size_t)max;
  if (dy_doc_new(c.eng, &dopts, &c.doc) < 0) {
    cli_error(cmd->name, "out of memory");
    dy_engine_free(c.eng);
    dy_free(pos);
    return CLI_FATAL;
  }
  dy_buf_init(&c.out, 0);
  rc = cli_each_input(pos, npos, (size_t)max, facts_one, &c, &tally);
  dy_buf_fini(&c.out);
  dy_doc_free(c.doc);
  dy_engine_free(c.eng);
  dy_free(pos);
  fflush(stdout);
  return rc;
}

int cli_quotes(int argc, char **argv)
{
  return run_facts(argc, argv, 0);
}

int cli_entities(int argc, char **argv)
{
  return run_facts(argc, argv, 1);
}

/* ---- dyad eval quotes -------------------------------------------------- */

typedef struct gq {
  size_t s0, t0, s1, t1; /* sentence/token, end inclusive */
  uint32_t b0, b1;       /* byte span in the built text */
  char id[32];
  char speaker[128];
  int hit;  /* matched exactly */
  int ohit; /* matched by overlap */
} gq;

typedef struct qtally {
  size_t gold, pred, exact, overlap;
  size_t spk_judged, spk_strict, spk_lenient, spk_none;
} qtally;

static int read_file(const char *path, dy_buf *b)
{
  FILE *f = fopen(path, "rb");
  char chunk[65536];
  size_t k;
  dy_buf_reset(b);
  if (f == NULL)
    return -1;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    dy_buf_append(b, chunk, k);
  fclose(f);
  return b->failed ? -1 : 0;
}

/* Lower-cases, strips the "-N" chain suffix, turns '_' and ASCII
 * punctuation into single spaces. */
static void norm_speaker(const char *s, size_t n, char *out, size_t cap)
{
  size_t i, o = 0;
  const char *dash = NULL;
  for (i = 0; i < n; i++)
    if (s[i] == '-')
      dash = s + i;
  if (dash && dash + 1 < s + n && isdigit((unsigned char)dash[1]))
    n = (size_t)(dash - s);
  for (i = 0; i < n && o + 1 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80 && !isalnum(c)) {
      if (o > 0 && out[o - 1] != ' ')
        out[o++] = ' '; /* punctuation and '_' separate words */
      continue;
    }
    out[o++] = (char)tolower(c);
  }
  while (o > 0 && out[o - 1] == ' ')
    o--;
  out[o] = '\0';
}

/* Is every word of a among the words of b (or the reverse)? */
static int words_in(const char *a, const char *b)
{
  char wa[128];
  const char *p = a;
  while (*p) {
    size_t n = strcspn(p, " ");
    const char *q = b;
    int found = 0;
    if (n >= sizeof wa)
      return 0;
    memcpy(wa, p, n);
    wa[n] = '\0';
    while (*q) {
      size_t m = strcspn(q, " ");
      if (m == n && strncmp(q, wa, n) == 0)
        found = 1;
      q += m;
      while (*q == ' ')
        q++;
    }
    if (!found && strcmp(wa, "mr") != 0 && strcmp(wa, "mrs") != 0 &&
        strcmp(wa, "miss") != 0 && strcmp(wa, "the") != 0)
      return 0;
    p += n;
    while (*p == ' ')
      p++;
  }
  return 1;
}

static int eval_doc(const char *dir, const char *name, dy_doc *doc, qtally *t,
                    int verbose)
{
  char path[4096];
  dy_buf txt, ann, body;
  uint32_t **offs = NULL; /* per sentence: token start offsets, + end */
  size_t *ntok = NULL, nsent = 0, capsent = 0, i, j, ngq = 0, capgq = 0;
  gq *g = NULL;
  int rc = CLI_OK;
  dy_buf_init(&txt, 0);
  dy_buf_init(&ann, 0);
  dy_buf_init(&body, 0);
  snprintf(path, sizeof path, "%s/tsv/%s.txt", dir, name);
  if (read_file(path, &txt) < 0) {
    cli_error(path, "cannot read: %s", strerror(errno));
    rc = CLI_DATA;
    goto out;
  }
  snprintf(path, sizeof path, "%s/tsv/%s.ann", dir, name);
  if (read_file(path, &ann) < 0) {
    cli_error(path, "cannot read: %s", strerror(errno));
    rc = CLI_DATA;
    goto out;
  }
  /* the text: tokens joined by spaces, sentences by spaces (one paragraph:
   * the set has no paragraph marks) */
  {
    const char *p = txt.p ? txt.p : "";
    size_t n = txt.n, k = 0;
    while (k < n) {
      const char *e = memchr(p + k, '\n', n - k);
      size_t end = e ? (size_t)(e - p) : n, nt = 0, cap = 16;
      uint32_t *o;
      if (nsent == capsent) {
        size_t nc = capsent ? capsent * 2 : 256;
        uint32_t **no = dy_realloc(offs, nc * sizeof *no);
        size_t *nn;
        if (no == NULL)
          goto nomem;
        offs = no;
        nn = dy_realloc(ntok, nc * sizeof *nn);
        if (nn == NULL)
          goto nomem;
        ntok = nn;
        capsent = nc;
      }
      o = dy_malloc(cap * sizeof *o);
      if (o == NULL)
        goto nomem;
      offs[nsent] = o;
      ntok[nsent] = 0;
      nsent++;
      while (k < end) {
        size_t w = k;
        while (w < end && p[w] != ' ')
          w++;
        if (w > k) {
          if (nt + 2 >= cap) {
            uint32_t *no = dy_realloc(o, cap * 2 * sizeof *o);
            if (no == NULL)
              goto nomem;
            o = offs[nsent - 1] = no;
            cap *= 2;
          }
          if (body.n)
            dy_buf_putc(&body, ' ');
          o[2 * nt] = (uint32_t)body.n;
          dy_buf_append(&body, p + k, w - k);
          o[2 * nt + 1] = (uint32_t)body.n;
          nt++;
          if (nt * 2 + 2 >= cap) {
            uint32_t *no = dy_realloc(o, cap * 2 * sizeof *o);
            if (no == NULL)
              goto nomem;
            o = offs[nsent - 1] = no;
            cap *= 2;
          }
        }
        k = w + 1;
      }
      ntok[nsent - 1] = nt;
      k = end + 1;
    }
  }
  /* gold */
  {
    const char *p = ann.p ? ann.p : "";
    size_t n = ann.n, k = 0;
    while (k < n) {
      const char *e = memchr(p + k, '\n', n - k);
      size_t end = e ? (size_t)(e - p) : n;
      char line[1024];
      size_t len = end - k < sizeof line - 1 ? end - k : sizeof line - 1;
      memcpy(line, p + k, len);
      line[len] = '\0';
      k = end + 1;
      if (strncmp(line, "QUOTE\t", 6) == 0) {
        char id[32];
        unsigned long s0, t0, s1, t1;
        if (sscanf(line + 6, "%31s %lu %lu %lu %lu", id, &s0, &t0, &s1, &t1) !=
                5 ||
            s0 >= nsent || s1 >= nsent || t0 >= ntok[s0] || t1 >= ntok[s1])
          continue;
        if (ngq == capgq) {
          size_t nc = capgq ? capgq * 2 : 64;
          gq *ng = dy_realloc(g, nc * sizeof *ng);
          if (ng == NULL)
            goto nomem;
          g = ng;
          capgq = nc;
        }
        memset(&g[ngq], 0, sizeof g[ngq]);
        snprintf(g[ngq].id, sizeof g[ngq].id, "%s", id);
        g[ngq].b0 = offs[s0][2 * t0];
        g[ngq].b1 = offs[s1][2 * t1 + 1];
        ngq++;
      } else if (strncmp(line, "ATTRIB\t", 7) == 0) {
        char *tab = strchr(line + 7, '\t');
        if (tab == NULL)
          continue;
        *tab = '\0';
        for (i = 0; i < ngq; i++)
          if (strcmp(g[i].id, line + 7) == 0)
            norm_speaker(tab + 1, strlen(tab + 1), g[i].speaker,
                         sizeof g[i].speaker);
      }
    }
  }
  if (body.failed)
    goto nomem;
  if (body.n == 0) {
    rc = CLI_OK;
    goto out;
  }
  if (dy_doc_analyse_plain(doc, body.p, body.n, name, NULL) < 0 ||
      dy_doc_facts(doc) < 0) {
    cli_error(name, "%s", dy_doc_errmsg(doc));
    rc = CLI_DATA;
    goto out;
  }
  t->gold += ngq;
  for (j = 0; j < dy_doc_nquotes(doc); j++) {
    const dy_quote *q = dy_doc_quote(doc, j);
    uint32_t a = q->off, b = q->off + q->len;
    size_t best = (size_t)-1;
    char spk[128];
    if (!q->direct)
      continue;
    t->pred++;
    for (i = 0; i < ngq; i++) {
      if (g[i].b0 == a && g[i].b1 == b && !g[i].hit) {
        best = i;
        g[i].hit = 1;
        t->exact++;
        break;
      }
    }
    if (best == (size_t)-1) {
      for (i = 0; i < ngq; i++) {
        if (!g[i].hit && !g[i].ohit && g[i].b0 < b && a < g[i].b1) {
          best = i;
          break;
        }
      }
    } else if (g[best].ohit) {
      best = (size_t)-1; /* already counted by overlap */
    }
    if (best == (size_t)-1) {
      if (verbose)
        printf("  %s: extra quote at %u-%u\n", name, a, b);
      continue;
    }
    if (!g[best].ohit) {
      g[best].ohit = 1;
      t->overlap++;
    }
    norm_speaker(q->speaker, strlen(q->speaker), spk, sizeof spk);
    t->spk_judged++;
    if (spk[0] == '\0')
      t->spk_none++;
    else if (strcmp(spk, g[best].speaker) == 0)
      t->spk_strict++, t->spk_lenient++;
    else if (words_in(spk, g[best].speaker) || words_in(g[best].speaker, spk))
      t->spk_lenient++;
    else if (verbose)
      printf("  %s: speaker '%s', gold '%s'\n", name, spk, g[best].speaker);
  }
  if (verbose)
    for (i = 0; i < ngq; i++)
      if (!g[i].ohit)
        printf("  %s: missed quote %s at %u-%u\n", name, g[i].id, g[i].b0,
               g[i].b1);
  goto out;
nomem:
  cli_error(name, "out of memory");
  rc = CLI_FATAL;
out:
  for (i = 0; i < nsent; i++)
    dy_free(offs[i]);
  dy_free(offs);
  dy_free(ntok);
  dy_free(g);
  dy_buf_fini(&txt);
  dy_buf_fini(&ann);
  dy_buf_fini(&body);
  return rc;
}

static double f1(double p, double r)
{
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

int cli_eval_quotes(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "eval quotes", "[options] DIR",
      "Scores direct-quote spans and speakers against a LitBank-style "
      "folder\n(DIR/split-dev.txt naming DIR/tsv/<doc>.txt and .ann): span "
      "precision,\nrecall and F1 by exact match and by overlap, and speaker "
      "accuracy on the\nmatched quotes (strict: same name; lenient: the "
      "words of one name are among\nthe other's).",
      NULL};
  cli_opt opts[] = {{"dict-dir", "DIR", "dictionary directory", NULL},
                    {"verbose", NULL, "print misses and wrong speakers", NULL},
                    {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc, worst = CLI_OK;
  dy_engine *eng;
  dy_doc *doc = NULL;
  dy_buf list;
  qtally t;
  size_t ndocs = 0;
  char path[4096];
  memset(&t, 0, sizeof t);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0 || npos != 1) {
    if (rc == 0)
      cli_error("eval quotes", "usage: dyad eval quotes DIR");
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  cli_log_init(DY_LOG_ERROR);
  dy_buf_init(&list, 0);
  snprintf(path, sizeof path, "%s/split-dev.txt", pos[0]);
  if (read_file(path, &list) < 0) {
    cli_error(path, "cannot read: %s", strerror(errno));
    dy_buf_fini(&list);
    dy_free(pos);
    return CLI_USAGE;
  }
  eng = cli_engine(opts);
  if (eng == NULL || dy_doc_new(eng, NULL, &doc) < 0) {
    dy_engine_free(eng);
    dy_buf_fini(&list);
    dy_free(pos);
    return CLI_FATAL;
  }
  {
    const char *p = list.p ? list.p : "";
    while (*p) {
      char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      char name[512];
      if (n && n < sizeof name && p[0] != '#') {
        memcpy(name, p, n);
        name[n] = '\0';
        while (n && (name[n - 1] == '\r' || name[n - 1] == ' '))
          name[--n] = '\0';
        if (n && strchr(name, '/') == NULL) {
          rc =
              eval_doc(pos[0], name, doc, &t, cli_get(opts, "verbose") != NULL);
          ndocs++;
          if (rc == CLI_FATAL) {
            worst = rc;
            break;
          }
          if (rc > worst)
            worst = rc;
        }
      }
      p += n + (e ? 1 : 0);
    }
  }
  {
    double pe = t.pred ? (double)t.exact / (double)t.pred : 0;
    double re = t.gold ? (double)t.exact / (double)t.gold : 0;
    double po = t.pred ? (double)t.overlap / (double)t.pred : 0;
    double ro = t.gold ? (double)t.overlap / (double)t.gold : 0;
    printf("documents %zu, gold quotes %zu, found %zu\n", ndocs, t.gold,
           t.pred);
    printf("span exact:   P %.3f  R %.3f  F1 %.3f\n", pe, re, f1(pe, re));
    printf("span overlap: P %.3f  R %.3f  F1 %.3f\n", po, ro, f1(po, ro));
    printf("speaker on %zu matched quotes: strict %.3f, lenient %.3f, "
           "unattributed %.3f\n",
           t.spk_judged,
           t.spk_judged ? (double)t.spk_strict / (double)t.spk_judged : 0,
           t.spk_judged ? (double)t.spk_lenient / (double)t.spk_judged : 0,
           t.spk_judged ? (double)t.spk_none / (double)t.spk_judged : 0);
  }
  dy_doc_free(doc);
  dy_engine_free(eng);
  dy_buf_fini(&list);
  dy_free(pos);
  fflush(stdout);
  return worst;
}
