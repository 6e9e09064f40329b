/* SPDX-License-Identifier: MIT */
/* `dyad code` and `dyad extract`: read files, print events or articles. */
#include "cli.h"

#include <string.h>

#define COMMON_READ_OPTS                                                       \
  {"dict-dir", "DIR", "dictionary directory", NULL},                           \
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",     \
       "64M"},                                                                 \
      {"verbose", NULL, "log dictionary warnings and progress", NULL}

typedef struct code_ctx {
  dy_engine *eng;
  dy_doc *doc;
  const char *date;
  int tsv;
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
    const dy_event *ev = dy_doc_event(c->doc, i);
    const dy_article *a = dy_doc_article(c->doc);
    dy_buf_reset(&c->out);
    if (c->tsv) {
      const dy_sentence *st = &a->sents[ev->sentence];
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
      {"format", "jsonl|tsv", "output format", "jsonl"},
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
      strcmp(cli_get(opts, "format"), "tsv") != 0) {
    cli_error("code", "bad --format '%s' (jsonl or tsv)",
              cli_get(opts, "format"));
    dy_free(pos);
    return CLI_USAGE;
  }
  rc = setup_doc(&cmd, opts, &c);
  if (rc != CLI_OK) {
    dy_free(pos);
    return rc;
  }
  c.tsv = strcmp(cli_get(opts, "format"), "tsv") == 0;
  if (c.tsv)
    fputs(tsv_header, stdout);
  rc = cli_each_input(pos, npos,
                      (size_t)cli_size(cli_get(opts, "max-doc-bytes")),
                      code_one, &c, &tally);
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
