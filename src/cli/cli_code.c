/* SPDX-License-Identifier: MIT */
/* `dyad code` and `dyad extract`: read files, print events or articles. */
#include "cli.h"

#include <string.h>

#define COMMON_READ_OPTS                                                       \
  {"dict-dir", "DIR", "dictionary directory", NULL},                           \
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",     \
       "64M"},                                                                 \
      {"max-doc-memory", "N", "work memory per document (k/M/G)", "1G"},        \
      {"verbose", NULL, "log dictionary warnings and progress", NULL}

typedef struct code_ctx {
  dy_engine *eng;
  dy_doc *doc;
  const char *date;
  int tsv;
  int gdelt;     /* --format gdelt */
  int with_id;   /* records have ids (petrarch-xml, conllu) */
  dy_buf out;
  size_t nevents;
} code_ctx;

static const char *const tsv_header =
    "date\tsource\tsource_country\ttarget\ttarget_country\tcode\troot\tquad\t"
    "goldstein\tsentence_index\tdoc\tsentence\n";

static void tsv_str(dy_buf *b, const char *s)
{
  dy_buf_tsv_field(b, s, strlen(s));
  dy_buf_putc(b, '\t');
}

/* Prints one event in the chosen format; id is the record id or NULL. */
static int print_event(code_ctx *c, const dy_event *ev, const char *id,
                       const char *path)
{
  const dy_article *a = dy_doc_article(c->doc);
  dy_buf_reset(&c->out);
  if (c->gdelt) {
    cli_gdelt_row(&c->out, c->doc, ev, (unsigned long long)c->nevents + 1);
  } else if (c->tsv) {
    const dy_sentence *st = &a->sents[ev->sentence];
    if (c->with_id)
      tsv_str(&c->out, id ? id : "");
    tsv_str(&c->out, ev->date);
    tsv_str(&c->out, ev->source.code);
    tsv_str(&c->out, ev->source.country);
    tsv_str(&c->out, ev->target.code);
    tsv_str(&c->out, ev->target.country);
    tsv_str(&c->out, ev->code);
    tsv_str(&c->out, ev->root);
    dy_buf_printf(&c->out, "%d\t%.1f\t%d\t", ev->quad, ev->goldstein,
                  ev->sentence);
    tsv_str(&c->out, a->name);
    dy_buf_tsv_field(&c->out, a->text + st->off, st->len);
  } else if (id) {
    size_t at;
    dy_buf_puts(&c->out, "{\"id\":");
    dy_buf_json_str(&c->out, id, strlen(id));
    dy_buf_putc(&c->out, ',');
    at = c->out.n;
    dy_event_json(c->doc, ev, &c->out);
    /* drop the event object's own '{' */
    if (!c->out.failed && c->out.n > at) {
      memmove(c->out.p + at, c->out.p + at + 1, c->out.n - at - 1);
      c->out.n--;
      c->out.p[c->out.n] = '\0';
    }
  } else {
    dy_event_json(c->doc, ev, &c->out);
  }
  dy_buf_putc(&c->out, '\n');
  if (c->out.failed) {
    cli_error(path, "out of memory formatting an event");
    return CLI_FATAL;
  }
  fwrite(c->out.p, 1, c->out.n, stdout);
  c->nevents++;
  return CLI_OK;
}

/* --input petrarch-xml: every <Sentence> of each file. */
static int code_petrarch(code_ctx *c, const char *path, int given)
{
  dy_buf buf;
  dy_err err;
  dy_pxml *x = NULL;
  dy_arena scratch;
  size_t i, k;
  int rc, out = CLI_OK;
  dy_buf_init(&buf, 0);
  rc = dy_file_read(path, (size_t)256 << 20, &buf, &err);
  if (rc == DY_OK)
    rc = dy_pxml_parse(buf.p, buf.n, &x, &err);
  dy_buf_fini(&buf);
  if (rc < 0) {
    cli_error(path, "%s", err.msg);
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  if (x->nbad) {
    cli_error(path, "%zu malformed tags skipped (first at line %d)", x->nbad,
              x->first_bad_line);
    out = CLI_DATA;
  }
  dy_arena_init(&scratch, (size_t)64 << 20);
  for (i = 0; i < x->nrecs; i++) {
    const dy_precord *r = &x->recs[i];
    char why[300];
    rc = cli_petr_code(c->doc, r, given, path, &scratch, why, sizeof why);
    if (rc < 0) {
      cli_error(path, "line %d: record %s: %s", r->line, r->id, why);
      out = CLI_DATA;
      continue;
    }
    for (k = 0; k < dy_doc_nevents(c->doc); k++) {
      rc = print_event(c, dy_doc_event(c->doc, k), r->id, path);
      if (rc == CLI_FATAL) {
        out = rc;
        goto done;
      }
    }
  }
done:
  dy_arena_fini(&scratch);
  dy_pxml_free(x);
  return out;
}

/* --input conllu: sentences separated by blank lines; the id is the
 * "# sent_id" comment, else FILE#N. */
static int code_conllu(code_ctx *c, const char *path)
{
  dy_buf buf;
  dy_err err;
  dy_arena scratch;
  size_t i = 0;
  int rc, out = CLI_OK, nsent = 0;
  dy_buf_init(&buf, 0);
  rc = dy_file_read(path, (size_t)256 << 20, &buf, &err);
  if (rc < 0) {
    cli_error(path, "%s", err.msg);
    dy_buf_fini(&buf);
    return CLI_DATA;
  }
  dy_arena_init(&scratch, (size_t)64 << 20);
  while (i < buf.n) {
    size_t st = i, k, ntok;
    char id[128];
    dy_ptok *toks;
    const char *sid;
    /* a sentence ends at a blank line */
    while (i < buf.n) {
      const char *nl = memchr(buf.p + i, '\n', buf.n - i);
      size_t end = nl ? (size_t)(nl - buf.p) : buf.n;
      dy_str l = dy_str_trim((dy_str){buf.p + i, end - i});
      i = end + 1;
      if (l.n == 0)
        break;
    }
    if (i > buf.n)
      i = buf.n;
    if (dy_str_trim((dy_str){buf.p + st, i - st}).n == 0)
      continue;
    nsent++;
    snprintf(id, sizeof id, "%s#%d", path, nsent);
    sid = NULL;
    for (k = st; k + 11 < i; k++)
      if ((k == st || buf.p[k - 1] == '\n') &&
          memcmp(buf.p + k, "# sent_id =", 11) == 0) {
        sid = buf.p + k + 11;
        break;
      }
    if (sid) {
      size_t n = 0;
      while (*sid == ' ')
        sid++;
      while (sid + n < buf.p + i && sid[n] != '\n' && sid[n] != '\r' &&
             n + 1 < sizeof id)
        n++;
      snprintf(id, sizeof id, "%.*s", (int)n, sid);
    }
    dy_arena_reset(&scratch);
    rc = dy_conllu_parse(buf.p + st, i - st, &scratch, &toks, &ntok, &err);
    if (rc == DY_OK)
      rc = dy_doc_analyse_tokens(c->doc, toks, ntok, path, c->date);
    if (rc == DY_OK)
      rc = dy_doc_code(c->doc);
    if (rc < 0) {
      cli_error(path, "sentence %d: %s", nsent,
                err.code ? err.msg : dy_doc_errmsg(c->doc));
      out = CLI_DATA;
      continue;
    }
    for (k = 0; k < dy_doc_nevents(c->doc); k++)
      if (print_event(c, dy_doc_event(c->doc, k), id, path) == CLI_FATAL) {
        out = CLI_FATAL;
        goto done;
      }
  }
done:
  dy_arena_fini(&scratch);
  dy_buf_fini(&buf);
  return out;
}

static int code_one(const dy_input *in, void *ud)
{
  const char *path = in->name;
  code_ctx *c = ud;
  size_t i;
  int rc = dy_doc_analyse_input(c->doc, in, c->date);
  if (rc == DY_OK)
    rc = dy_doc_code(c->doc);
  if (rc < 0) {
    cli_error(path, "%s", dy_doc_errmsg(c->doc));
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  {
    const dy_article *a = dy_doc_article(c->doc);
    if (a->nbad_utf8)
      cli_error(path, "%zu invalid UTF-8 bytes replaced by U+FFFD",
                a->nbad_utf8);
    if (a->date[0] == '\0' && dy_doc_nevents(c->doc))
      cli_error(path, "no date found: events have an empty date "
                      "(use --date)");
  }
  for (i = 0; i < dy_doc_nevents(c->doc); i++) {
    int rc2 = print_event(c, dy_doc_event(c->doc, i), NULL, path);
    if (rc2 != CLI_OK)
      return rc2;
  }
  return CLI_OK;
}

static int setup_doc(const cli_cmd *cmd, cli_opt *opts, code_ctx *c)
{
  dy_doc_opts dopts;
  long long max = cli_size(cli_get(opts, "max-doc-bytes"));
  const char *date = cli_get(opts, "date");
  if (max <= 0) {
    cli_error(cmd->name, "bad --max-doc-bytes '%s'",
              cli_get(opts, "max-doc-bytes"));
    return CLI_USAGE;
  }
  if (date && dy_date_parse(dy_str_c(date)) < 0) {
    cli_error(cmd->name, "bad --date '%s' (want YYYY-MM-DD)", date);
    return CLI_USAGE;
  }
  c->date = date;
  cli_log_init(cli_get(opts, "verbose") ? DY_LOG_INFO : DY_LOG_ERROR);
  c->eng = cli_engine(opts);
  if (c->eng == NULL)
    return CLI_FATAL;
  memset(&dopts, 0, sizeof dopts);
  dopts.max_bytes = (size_t)max;
  {
    long long mem = cli_size(cli_get(opts, "max-doc-memory"));
    if (mem < 65536) {
      cli_error(cmd->name, "bad --max-doc-memory '%s' (at least 64k)",
                cli_get(opts, "max-doc-memory"));
      return CLI_USAGE;
    }
    dopts.arena_cap = (size_t)mem;
  }
  dopts.include_hedged = cli_get(opts, "include-hedged") != NULL;
  if (dy_doc_new(c->eng, &dopts, &c->doc) < 0) {
    cli_error(cmd->name, "out of memory");
    dy_engine_free(c->eng);
    return CLI_FATAL;
  }
  dy_buf_init(&c->out, 0);
  return CLI_OK;
}

static void teardown_doc(code_ctx *c)
{
  dy_buf_fini(&c->out);
  dy_doc_free(c->doc);
  dy_engine_free(c->eng);
}

int cli_code(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "code", "[options] FILE|DIR|-...",
      "Reads news files (plain text; '-' is standard input; directories are "
      "walked)\nand prints one record per coded event: JSON lines with the "
      "evidence\n(dictionary entries and pattern, with byte spans into the "
      "article body),\nor TSV with a header line.",
      NULL};
  cli_opt opts[] = {
      {"date", "YYYY-MM-DD", "publication date (else the dateline's)", NULL},
      {"format", "jsonl|tsv|gdelt", "output format (gdelt: the 61 GDELT 2.0 "
       "event columns)", "jsonl"},
      {"include-hedged", NULL,
       "also code hedged and conditional clauses, marked \"hedged\":true",
       NULL},
      {"input", "text|petrarch-xml|conllu",
       "input kind: news files, PETRARCH validation/input XML, CoNLL-U",
       "text"},
      {"parse", "given|own",
       "petrarch-xml: use each record's <Parse> or read its raw text",
       "given"},
      {"dict-files", "LIST",
       "PETRARCH-2 dictionaries in --dict-dir to load (comma-separated)",
       NULL},
      COMMON_READ_OPTS,
      {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc;
  code_ctx c;
  cli_tally tally;
  const char *input;
  memset(&c, 0, sizeof c);
  memset(&tally, 0, sizeof tally);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0) {
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (npos == 0) {
    cli_error("code", "no input files (use - for standard input)");
    dy_free(pos);
    return CLI_USAGE;
  }
  if (strcmp(cli_get(opts, "format"), "jsonl") != 0 &&
      strcmp(cli_get(opts, "format"), "tsv") != 0 &&
      strcmp(cli_get(opts, "format"), "gdelt") != 0) {
    cli_error("code", "bad --format '%s' (jsonl, tsv or gdelt)",
              cli_get(opts, "format"));
    dy_free(pos);
    return CLI_USAGE;
  }
  input = cli_get(opts, "input");
  if (strcmp(input, "text") != 0 && strcmp(input, "petrarch-xml") != 0 &&
      strcmp(input, "conllu") != 0) {
    cli_error("code", "bad --input '%s' (text, petrarch-xml or conllu)",
              input);
    dy_free(pos);
    return CLI_USAGE;
  }
  if (strcmp(cli_get(opts, "parse"), "given") != 0 &&
      strcmp(cli_get(opts, "parse"), "own") != 0) {
    cli_error("code", "bad --parse '%s' (given or own)",
              cli_get(opts, "parse"));
    dy_free(pos);
    return CLI_USAGE;
  }
  rc = setup_doc(&cmd, opts, &c);
  if (rc != CLI_OK) {
    dy_free(pos);
    return rc;
  }
  c.tsv = strcmp(cli_get(opts, "format"), "tsv") == 0;
  c.gdelt = strcmp(cli_get(opts, "format"), "gdelt") == 0;
  c.with_id = strcmp(input, "text") != 0;
  if (c.tsv) {
    if (c.with_id)
      fputs("id\t", stdout);
    fputs(tsv_header, stdout);
  }
  if (c.with_id) {
    int k, r1;
    rc = CLI_OK;
    for (k = 0; k < npos && rc != CLI_FATAL; k++) {
      if (strcmp(input, "conllu") == 0)
        r1 = code_conllu(&c, pos[k]);
      else
        r1 = code_petrarch(&c, pos[k],
                           strcmp(cli_get(opts, "parse"), "given") == 0);
      if (r1 != CLI_OK)
        rc = r1;
    }
  } else {
    rc = cli_each_input(pos, npos,
                        (size_t)cli_size(cli_get(opts, "max-doc-bytes")),
                        code_one, &c, &tally);
  }
  teardown_doc(&c);
  dy_free(pos);
  fflush(stdout);
  return rc;
}

/* ---- extract ----------------------------------------------------------- */

static int extract_one(const dy_input *in, void *ud)
{
  const char *path = in->name;
  code_ctx *c = ud;
  const dy_article *a;
  size_t i;
  int rc = dy_doc_analyse_input(c->doc, in, c->date);
  if (rc < 0) {
    cli_error(path, "%s", dy_doc_errmsg(c->doc));
    return rc == DY_ENOMEM ? CLI_FATAL : CLI_DATA;
  }
  a = dy_doc_article(c->doc);
  if (a->charset_guessed)
    cli_error(path, "warning: no charset declared and not UTF-8: read as "
                    "windows-1252");
  if (a->depth_capped)
    cli_error(path, "warning: HTML nested too deep: inner tags dropped");
  dy_buf_reset(&c->out);
  if (c->tsv) { /* --format text */
    dy_buf_printf(&c->out, "%s\n\n%s\n", a->headline, a->text);
  } else {
    dy_buf_puts(&c->out, "{\"doc\":");
    dy_buf_json_str(&c->out, a->name, strlen(a->name));
    dy_buf_puts(&c->out, ",\"article\":");
    dy_buf_json_str(&c->out, a->hash, strlen(a->hash));
    dy_buf_puts(&c->out, ",\"headline\":");
    dy_buf_json_str(&c->out, a->headline, strlen(a->headline));
    dy_buf_puts(&c->out, ",\"date\":");
    dy_buf_json_str(&c->out, a->date, strlen(a->date));
    dy_buf_puts(&c->out, ",\"byline\":");
    dy_buf_json_str(&c->out, a->byline, strlen(a->byline));
    dy_buf_puts(&c->out, ",\"language\":");
    dy_buf_json_str(&c->out, a->language, strlen(a->language));
    dy_buf_puts(&c->out, ",\"url\":");
    dy_buf_json_str(&c->out, a->url, strlen(a->url));
    dy_buf_puts(&c->out, ",\"format\":");
    dy_buf_json_str(&c->out, a->format, strlen(a->format));
    dy_buf_puts(&c->out, ",\"charset\":");
    dy_buf_json_str(&c->out, a->charset, strlen(a->charset));
    dy_buf_puts(&c->out, ",\"dateline\":{\"text\":");
    dy_buf_json_str(&c->out, a->dateline, strlen(a->dateline));
    dy_buf_puts(&c->out, ",\"places\":[");
    {
      const char *p = a->places;
      int first = 1;
      while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (!first)
          dy_buf_putc(&c->out, ',');
        dy_buf_json_str(&c->out, p, len);
        first = 0;
        p += len + (slash ? 1 : 0);
      }
    }
    dy_buf_puts(&c->out, "],\"agency\":");
    dy_buf_json_str(&c->out, a->agency, strlen(a->agency));
    dy_buf_puts(&c->out, "},\"headings\":[");
    for (i = 0; i < a->nheadings; i++) {
      if (i)
        dy_buf_putc(&c->out, ',');
      dy_buf_json_str(&c->out, a->headings[i], strlen(a->headings[i]));
    }
    dy_buf_printf(&c->out, "],\"sentences\":%zu,\"boilerplate_lines\":%zu,"
                           "\"bad_utf8\":%zu,\"body\":",
                  a->nsents, a->nboiler, a->nbad_utf8);
    dy_buf_json_str(&c->out, a->text, a->n);
    dy_buf_puts(&c->out, "}\n");
  }
  if (c->out.failed) {
    cli_error(path, "out of memory formatting the article");
    return CLI_FATAL;
  }
  fwrite(c->out.p, 1, c->out.n, stdout);
  return CLI_OK;
}

int cli_extract(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "extract", "[options] FILE|DIR|-...",
      "Prints the article read from each file: headline, date, dateline "
      "(places,\nagency), section headings and the body without "
      "boilerplate.",
      NULL};
  cli_opt opts[] = {{"date", "YYYY-MM-DD", "publication date", NULL},
                    {"format", "json|text", "output format", "json"},
                    COMMON_READ_OPTS,
                    {NULL, NULL, NULL, NULL}};
  char **pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  int npos, rc;
  code_ctx c;
  cli_tally tally;
  memset(&c, 0, sizeof c);
  memset(&tally, 0, sizeof tally);
  if (pos == NULL)
    return CLI_FATAL;
  rc = cli_parse(&cmd, opts, argc, argv, pos, &npos);
  if (rc != 0 || npos == 0) {
    if (rc == 0)
      cli_error("extract", "no input files (use - for standard input)");
    dy_free(pos);
    return rc > 0 ? CLI_OK : CLI_USAGE;
  }
  if (strcmp(cli_get(opts, "format"), "json") != 0 &&
      strcmp(cli_get(opts, "format"), "text") != 0) {
    cli_error("extract", "bad --format '%s' (json or text)",
              cli_get(opts, "format"));
    dy_free(pos);
    return CLI_USAGE;
  }
  rc = setup_doc(&cmd, opts, &c);
  if (rc != CLI_OK) {
    dy_free(pos);
    return rc;
  }
  c.tsv = strcmp(cli_get(opts, "format"), "text") == 0;
  rc = cli_each_input(pos, npos,
                      (size_t)cli_size(cli_get(opts, "max-doc-bytes")),
                      extract_one, &c, &tally);
  teardown_doc(&c);
  dy_free(pos);
  fflush(stdout);
  return rc;
}
