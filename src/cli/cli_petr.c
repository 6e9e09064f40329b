/* SPDX-License-Identifier: MIT */
/* PETRARCH compatibility in the CLI: coding the records of a PETRARCH
 * validation/input XML file (raw text or the given parse), CoNLL-U input,
 * GDELT 2.0 event rows, and `dyad eval code`. */
#include "cli.h"
#include "dyad/frame.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- coding one record ------------------------------------------------- */

static int looks_conllu(const char *p)
{
  const char *tab = strchr(p, '\t');
  const char *nl = strchr(p, '\n');
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;
  return tab && (*p >= '0' && *p <= '9') && (nl == NULL || tab < nl || 1);
}

int cli_petr_code(dy_doc *doc, const dy_precord *r, int given, const char *name,
                  dy_arena *scratch, char *why, size_t whycap)
{
  const char *date = r->date[0] ? r->date : NULL;
  int rc;
  why[0] = '\0';
  dy_arena_reset(scratch);
  if (given && r->parse[0]) {
    dy_ptok *toks;
    size_t ntok;
    dy_err err;
    const char *p = r->parse;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
      p++;
    if (*p == '(')
      rc = dy_penn_parse(p, strlen(p), scratch, &toks, &ntok, &err);
    else if (looks_conllu(p))
      rc = dy_conllu_parse(p, strlen(p), scratch, &toks, &ntok, &err);
    else
      rc = dy_err_set(&err, DY_EFORMAT,
                      "parse is neither a Penn tree nor "
                      "CoNLL-U");
    if (rc < 0) {
      snprintf(why, whycap, "bad <Parse>: %s", err.msg);
      return rc;
    }
    rc = dy_doc_analyse_tokens(doc, toks, ntok, name, date);
  } else {
    if (r->text[0] == '\0') {
      snprintf(why, whycap, "record has no <Text>");
      return DY_EEMPTY;
    }
    rc = dy_doc_analyse(doc, r->text, strlen(r->text), name, date);
  }
  if (rc == DY_OK)
    rc = dy_doc_code(doc);
  if (rc < 0)
    snprintf(why, whycap, "%s", dy_doc_errmsg(doc));
  return rc;
}

/* ---- GDELT 2.0 --------------------------------------------------------- */

static void gfield(dy_buf *b, const char *s)
{
  dy_buf_tsv_field(b, s, strlen(s));
  dy_buf_putc(b, '\t');
}

static void gactor(dy_buf *b, const dy_actor *a)
{
  /* Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code,
     Religion2Code, Type1Code, Type2Code, Type3Code */
  char type2[4] = "", type3[4] = "";
  size_t n = strlen(a->code);
  if (n >= 9)
    memcpy(type2, a->code + 6, 3);
  if (n >= 12)
    memcpy(type3, a->code + 9, 3);
  gfield(b, a->code);
  gfield(b, a->name ? a->name : "");
  gfield(b, strcmp(a->country, "IGO") == 0 ? "" : a->country);
  gfield(b, strcmp(a->country, "IGO") == 0 && n >= 6 ? a->code + 3 : "");
  gfield(b, "");
  gfield(b, "");
  gfield(b, "");
  gfield(b, a->role);
  gfield(b, type2);
  gfield(b, type3);
}

void cli_gdelt_row(dy_buf *b, const dy_doc *d, const dy_event *ev,
                   unsigned long long id)
{
  const dy_article *a = dy_doc_article(d);
  char day[9] = "", base[4] = "";
  int y = 0, m = 0, dd = 0, k;
  double frac = 0;
  if (ev->date && strlen(ev->date) == 10) {
    y = (int)strtol(ev->date, NULL, 10);
    m = (int)strtol(ev->date + 5, NULL, 10);
    dd = (int)strtol(ev->date + 8, NULL, 10);
    snprintf(day, sizeof day, "%04d%02d%02d", y, m, dd);
    {
      long d0 = dy_date_parse(dy_str_c(ev->date));
      char jan1[11];
      snprintf(jan1, sizeof jan1, "%04d-01-01", y);
      frac = y + (double)(d0 - dy_date_parse(dy_str_c(jan1))) / 365.0;
    }
  }
  memcpy(base, ev->code, 3);
  dy_buf_printf(b, "%llu\t%s\t", id, day);
  if (y)
    dy_buf_printf(b, "%04d%02d\t%04d\t%.4f\t", y, m, y, frac);
  else
    dy_buf_puts(b, "\t\t\t");
  gactor(b, &ev->source);
  gactor(b, &ev->target);
  /* IsRootEvent: the event is in the first sentence (GDELT: lead paragraph) */
  dy_buf_printf(b, "%d\t", ev->sentence == 0);
  gfield(b, ev->code);
  gfield(b, base);
  gfield(b, ev->root);
  if (ev->quad)
    dy_buf_printf(b, "%d\t%.1f\t", ev->quad, ev->goldstein);
  else
    dy_buf_puts(b, "\t\t");
  /* NumMentions, NumSources, NumArticles, AvgTone (no tone model) */
  dy_buf_puts(b, "1\t1\t1\t\t");
  /* Actor1Geo, Actor2Geo, ActionGeo: 8 columns each, no geocoder yet */
  for (k = 0; k < 3; k++)
    dy_buf_puts(b, "0\t\t\t\t\t\t\t\t");
  /* DATEADDED (YYYYMMDDHHMMSS: the event date, reproducible), SOURCEURL */
  if (day[0])
    dy_buf_printf(b, "%s000000\t", day);
  else
    dy_buf_putc(b, '\t');
  dy_buf_tsv_field(b, a->url[0] ? a->url : a->name,
                   strlen(a->url[0] ? a->url : a->name));
}

/* ---- eval code --------------------------------------------------------- */

typedef struct trip {
  char s[24], t[24], c[8];
} trip;

/* The clause frames of the document's sentences, one per line (-v). */
static void print_frames(const dy_doc *doc, dy_arena *mem)
{
  const dy_article *a = dy_doc_article(doc);
  size_t si, k, n;
  dy_frame *fr;
  char buf[1024];
  for (si = 0; a && si < a->nsents; si++) {
    dy_arena_reset(mem);
    if (dy_frames_build(a, &a->sents[si], mem, &fr, &n) != DY_OK)
      return;
    for (k = 0; k < n; k++) {
      dy_frame_describe(a, &fr[k], buf, sizeof buf);
      printf("  frame: %s\n", buf);
    }
  }
}

static int trip_eq(const trip *a, const dy_ptriple *g)
{
  return strcmp(a->s, g->source) == 0 && strcmp(a->t, g->target) == 0 &&
         strcmp(a->c, g->code) == 0;
}

static void read_all(const char *path, dy_buf *buf, dy_err *err, int *rc)
{
  *rc = dy_file_read(path, (size_t)256 << 20, buf, err);
}

int cli_eval_code(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "eval code", "[options] FILE.xml",
      "Codes every <Sentence> of a PETRARCH validation file and scores the "
      "coded\n(source, target, code) triples against its <EventCoding> "
      "gold: exact-set\nmatch per record (noevents/error records must code "
      "nothing), triple\nprecision and recall, sentences per second.",
      NULL};
  cli_opt opts[] = {
      {"parse", "given|own", "use the record's <Parse> or read the raw text",
       "given"},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"dict-files", "LIST",
       "PETRARCH-2 files to load (default: the file's <Environment>, else "
       "PETRARCH-2's set)",
       NULL},
      {"verbose", NULL, "(or -v) list the mismatches per record", NULL},
      {NULL, NULL, NULL, NULL}};
  char *pos[4];
  int npos, rc, given;
  dy_buf buf;
  dy_err err;
  dy_pxml *x = NULL;
  dy_engine *eng = NULL;
  dy_doc *doc = NULL;
  dy_engine_opts eo;
  dy_arena scratch;
  char files[2048];
  size_t i, pass = 0, correct = 0, coded = 0, expected = 0, failed = 0;
  struct timespec t0, t1;
  double secs;
  const char *dir;
  if (argc > 16) {
    cli_error("eval code", "too many arguments");
    return CLI_USAGE;
  }
  {
    char *tmp[20], *args[20];
    int a;
    for (a = 0; a < argc; a++)
      args[a] = strcmp(argv[a], "-v") == 0 ? (char *)"--verbose" : argv[a];
    rc = cli_parse(&cmd, opts, argc, args, tmp, &npos);
    if (rc != 0)
      return rc > 0 ? CLI_OK : CLI_USAGE;
    if (npos != 1) {
      cli_error("eval code", "want exactly one FILE.xml");
      return CLI_USAGE;
    }
    pos[0] = tmp[0];
  }
  given = strcmp(cli_get(opts, "parse"), "given") == 0;
  if (!given && strcmp(cli_get(opts, "parse"), "own") != 0) {
    cli_error("eval code", "bad --parse '%s' (given or own)",
              cli_get(opts, "parse"));
    return CLI_USAGE;
  }
  cli_log_init(DY_LOG_ERROR);
  dy_buf_init(&buf, 0);
  read_all(pos[0], &buf, &err, &rc);
  if (rc < 0) {
    cli_error(pos[0], "%s", err.msg);
    dy_buf_fini(&buf);
    return CLI_DATA;
  }
  rc = dy_pxml_parse(buf.p, buf.n, &x, &err);
  dy_buf_fini(&buf);
  if (rc < 0) {
    cli_error(pos[0], "%s", err.msg);
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  if (x->nbad)
    cli_error(pos[0], "%zu malformed tags skipped (first at line %d)", x->nbad,
              x->first_bad_line);
  memset(&eo, 0, sizeof eo);
  dir = cli_get(opts, "dict-dir");
  eo.dict_dir = dir;
  eo.dict_files = cli_get(opts, "dict-files");
  if (eo.dict_files == NULL && x->verbfile[0] && dir) {
    snprintf(files, sizeof files, "%s%s%s%s%s%s%s", x->verbfile,
             x->actorfiles[0] ? "," : "", x->actorfiles,
             x->agentfile[0] ? "," : "", x->agentfile,
             x->discardfile[0] ? "," : "", x->discardfile);
    eo.dict_files = files;
  }
  rc = dy_engine_open(&eo, &eng, &err);
  if (rc < 0 && eo.dict_files == files) {
    /* the directory is dyad's own format: no file list */
    eo.dict_files = NULL;
    rc = dy_engine_open(&eo, &eng, &err);
  }
  if (rc < 0) {
    cli_error(NULL, "cannot load dictionaries: %s", err.msg);
    dy_pxml_free(x);
    return CLI_FATAL;
  }
  if (dy_doc_new(eng, NULL, &doc) < 0) {
    dy_engine_free(eng);
    dy_pxml_free(x);
    return CLI_FATAL;
  }
  dy_arena_init(&scratch, (size_t)64 << 20);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (i = 0; i < x->nrecs; i++) {
    const dy_precord *r = &x->recs[i];
    char why[300];
    trip got[64];
    size_t ng = 0, k, j, hit = 0;
    int ok;
    rc = cli_petr_code(doc, r, given, pos[0], &scratch, why, sizeof why);
    if (rc < 0) {
      failed++;
      if (cli_get(opts, "verbose"))
        printf("record %s (line %d): %s\n", r->id, r->line, why);
    } else {
      for (k = 0; k < dy_doc_nevents(doc) && ng < 64; k++) {
        const dy_event *ev = dy_doc_event(doc, k);
        trip t;
        snprintf(t.s, sizeof t.s, "%s", ev->source.code);
        snprintf(t.t, sizeof t.t, "%s", ev->target.code);
        snprintf(t.c, sizeof t.c, "%s", ev->code);
        for (j = 0; j < ng; j++)
          if (strcmp(got[j].s, t.s) == 0 && strcmp(got[j].t, t.t) == 0 &&
              strcmp(got[j].c, t.c) == 0)
            break;
        if (j == ng)
          got[ng++] = t;
      }
    }
    /* expected set (duplicates count once); noevents/error: empty */
    {
      const dy_ptriple *exp[64];
      size_t ne = 0, q;
      if (!r->noevents && !r->error)
        for (j = 0; j < r->ngold && ne < 64; j++) {
          for (q = 0; q < ne; q++)
            if (strcmp(exp[q]->source, r->gold[j].source) == 0 &&
                strcmp(exp[q]->target, r->gold[j].target) == 0 &&
                strcmp(exp[q]->code, r->gold[j].code) == 0)
              break;
          if (q == ne)
            exp[ne++] = &r->gold[j];
        }
      for (k = 0; k < ng; k++)
        for (j = 0; j < ne; j++)
          if (trip_eq(&got[k], exp[j])) {
            hit++;
            break;
          }
      ok = hit == ng && hit == ne;
      expected += ne;
      correct += hit;
      coded += ng;
      pass += ok;
      if (!ok && cli_get(opts, "verbose")) {
        printf("record %s (line %d): %s\n", r->id, r->line,
               r->noevents ? "expects no event"
               : r->error  ? "expects a discard/error"
                           : "");
        for (j = 0; j < ne; j++) {
          int found = 0;
          for (k = 0; k < ng; k++)
            found |= trip_eq(&got[k], exp[j]);
          printf("  %s %s %s %s\n", found ? "ok     " : "missing",
                 exp[j]->source, exp[j]->target, exp[j]->code);
        }
        for (k = 0; k < ng; k++) {
          int found = 0;
          for (j = 0; j < ne; j++)
            found |= trip_eq(&got[k], exp[j]);
          if (!found)
            printf("  extra   %s %s %s\n", got[k].s, got[k].t, got[k].c);
        }
        printf("  text: %s\n", r->text);
        print_frames(doc, &scratch);
      }
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("file: %s\nparse: %s\nrecords: %zu\nexact-set match: %zu/%zu = "
         "%.1f%%\n",
         pos[0], given ? "given" : "own", x->nrecs, pass, x->nrecs,
         x->nrecs ? 100.0 * (double)pass / (double)x->nrecs : 0.0);
  printf("triples: expected %zu, coded %zu, correct %zu\n", expected, coded,
         correct);
  printf("precision: %.1f%%\nrecall: %.1f%%\n",
         coded ? 100.0 * (double)correct / (double)coded : 0.0,
         expected ? 100.0 * (double)correct / (double)expected : 0.0);
  printf("records failed to read: %zu\n", failed);
  fprintf(stderr, "sentences/s: %.0f\n",
          secs > 0 ? (double)x->nrecs / secs : 0.0);
  dy_arena_fini(&scratch);
  dy_doc_free(doc);
  dy_engine_free(eng);
  dy_pxml_free(x);
  return failed ? CLI_DATA : CLI_OK;
}
