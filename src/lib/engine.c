/* SPDX-License-Identifier: MIT */
/* The engine's public face: loading, per-document contexts, and the event
 * record as JSON (the contract shared by `dyad code` and the store). */
#include "engine_int.h"

#include "dyad/parse.h"
#include "dyad/facts.h"
#include "dyad/read.h"

#include <stdlib.h>
#include <string.h>

#ifndef DY_DATA_DIR
#define DY_DATA_DIR "data"
#endif

const char *dy_default_dict_dir(void)
{
  const char *env = getenv("DYAD_DICT_DIR");
  return env && *env ? env : DY_DATA_DIR;
}

/* The tagger/parser model and the lemmatizer. A missing default model
 * only turns analysis off (unless opts->require_model). */
static int load_model(dy_engine *e, const dy_engine_opts *opts, dy_err *err)
{
  const char *path = opts && opts->model ? opts->model
                                         : dy_parser_default_path();
  int rc = dy_parser_load(path, &e->parser, err);
  if (rc == DY_ENOENT && !(opts && (opts->model || opts->require_model))) {
    DY_LOG(DY_LOG_INFO, "parse", "no model at %s: sentences not tagged",
           path);
    dy_err_clear(err);
    return DY_OK;
  }
  if (rc < 0)
    return rc;
  return dy_lemmatizer_open(NULL, &e->lemmatizer, err);
}

int dy_engine_open(const dy_engine_opts *opts, dy_engine **out, dy_err *err)
{
  dy_engine *e;
  const char *dir = opts && opts->dict_dir ? opts->dict_dir
                                           : dy_default_dict_dir();
  int rc;
  *out = NULL;
  dy_err_clear(err);
  e = dy_calloc(1, sizeof *e);
  if (e == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  dy_arena_init(&e->mem, 0);
  e->mem.chunk = 1 << 20;
  rc = dy__lex_load(e, dir, opts ? opts->dict_files : NULL,
                    opts ? opts->strict : 0, err);
  if (rc == DY_OK && !(opts && opts->no_analysis))
    rc = load_model(e, opts, err);
  if (rc == DY_OK)
    rc = dy__geo_load(e, dir, err);
  if (rc < 0) {
    dy_engine_free(e);
    return rc;
  }
  *out = e;
  return DY_OK;
}

void dy_engine_free(dy_engine *e)
{
  size_t i;
  if (e == NULL)
    return;
  for (i = 0; i < e->npeople; i++)
    dy_free(e->people[i].roles);
  dy_free(e->people);
  dy_free(e->actors);
  dy_free(e->agents);
  dy_free(e->verbs);
  dy__map_fini(&e->names);
  dy__map_fini(&e->forms);
  dy__map_fini(&e->verbidx);
  dy__map_fini(&e->cameo);
  dy__map_fini(&e->actoridx);
  dy__map_fini(&e->discards);
  dy__map_fini(&e->issues);
  dy_parser_free(e->parser);
  dy_lemmatizer_free(e->lemmatizer);
  dy_gazetteer_free(e->gaz);
  dy_arena_fini(&e->mem);
  dy_free(e);
}

void dy_engine_stats_get(const dy_engine *e, dy_engine_stats *st)
{
  *st = e->st;
}

int dy_cameo_lookup(const dy_engine *e, const char *code, int *quad,
                    double *goldstein, const char **name)
{
  const lx_cameo *c = dy__map_get(&e->cameo, code, strlen(code));
  if (c == NULL)
    return DY_ENOENT;
  if (quad)
    *quad = c->quad;
  if (goldstein)
    *goldstein = c->goldstein;
  if (name)
    *name = c->name;
  return DY_OK;
}

/* ---- documents --------------------------------------------------------- */

int dy_doc_new(const dy_engine *eng, const dy_doc_opts *opts, dy_doc **out)
{
  dy_doc *d = dy_calloc(1, sizeof *d);
  *out = NULL;
  if (d == NULL)
    return DY_ENOMEM;
  d->eng = eng;
  if (opts)
    d->opts = *opts;
  if (d->opts.max_bytes == 0)
    d->opts.max_bytes = DY_DEFAULT_MAX_DOC_BYTES;
  if (d->opts.arena_cap == 0)
    d->opts.arena_cap = DY_DEFAULT_ARENA_CAP;
  dy_arena_init(&d->mem, d->opts.arena_cap);
  dy_buf_init(&d->in, d->opts.max_bytes + (size_t)4 * 1024 * 1024);
  *out = d;
  return DY_OK;
}

void dy_doc_free(dy_doc *d)
{
  if (d == NULL)
    return;
  dy__html_free(d->html);
  dy_parse_ws_free(d->pws);
  dy_free(d->ptok);
  dy_arena_fini(&d->mem);
  dy_buf_fini(&d->in);
  dy_free(d);
}

/* Has token h (index in t[0..n)) a child with relation dep? */
static int has_kid(const dy_token *t, size_t n, int32_t h, int32_t t0, int dep)
{
  size_t j;
  for (j = 0; j < n; j++)
    if (t[j].head == h + t0 && t[j].dep == dep)
      return 1;
  return 0;
}

/* A modal auxiliary governs a verb, and neither an adjective nor a noun
 * takes one without a copula. So when the tagger reads the word right
 * after a modal (adverbs aside) as an adjective, it is the verb:
 *   - "it would free 40 fishermen" parsed with "free" as a predicate
 *     adjective carrying the modal: "free" is the verb, and its first bare
 *     noun oblique (no preposition) its object;
 *   - the modal and the adjective both hanging on "fishermen": the noun is
 *     the verb's object; its subject, auxiliaries and the other words before
 *     the verb, its clause relation, obliques and adverbial clauses move to
 *     the verb; its determiners and modifiers stay.
 * t[0..n) is one sentence starting at absolute token t0. */
void dy__modal_adj_verb(dy_token *t, size_t n, int32_t t0)
{
  size_t k, j;
  for (k = 1; k < n; k++) {
    size_t m = k - 1;
    int32_t h = t[k].head - t0, v = (int32_t)k + t0;
    while (m > 0 && t[m].xpos == DY_XPOS_RB && t[m].head == t[k].head)
      m--;
    if (t[k].xpos != DY_XPOS_JJ || t[m].xpos != DY_XPOS_MD ||
        dy_dep_base(t[m].dep) != DY_DEP_AUX)
      continue;
    if (t[m].head == v && !has_kid(t, n, (int32_t)k, t0, DY_DEP_COP)) {
      t[k].upos = DY_UPOS_VERB;
      t[k].xpos = DY_XPOS_VB;
      for (j = k + 1; j < n; j++)
        if (t[j].head == v && dy_dep_base(t[j].dep) == DY_DEP_OBL &&
            !has_kid(t, n, (int32_t)j, t0, DY_DEP_CASE)) {
          t[j].dep = DY_DEP_OBJ;
          break;
        }
      continue;
    }
    if (t[k].dep != DY_DEP_AMOD || t[m].head != t[k].head || h <= (int32_t)k ||
        h >= (int32_t)n ||
        (t[h].upos != DY_UPOS_NOUN && t[h].upos != DY_UPOS_PROPN) ||
        has_kid(t, n, h, t0, DY_DEP_COP))
      continue;
    for (j = 0; j < n; j++) {
      int base = dy_dep_base(t[j].dep);
      if (j == k || t[j].head != h + t0)
        continue;
      if (j < k || base == DY_DEP_OBL || t[j].dep == DY_DEP_ADVCL ||
          (t[j].dep == DY_DEP_PUNCT && (int32_t)j > h))
        t[j].head = v;
    }
    t[k].upos = DY_UPOS_VERB;
    t[k].xpos = DY_XPOS_VB;
    t[k].dep = t[h].dep;
    t[k].head = t[h].head;
    t[h].dep = DY_DEP_OBJ;
    t[h].head = v;
  }
}

/* A compound modifier is never separated from its noun by a comma; when
 * the parser hangs the first name of a list on a later one ("accused the
 * U.S., South Korea and Japan" with "U.S." a compound of "Korea"), the
 * comma shows a list: the first name takes its head's place, the head
 * becomes its conjunct, and the head's conjuncts move to it (UD hangs
 * every conjunct on the first). Only names and nouns, only across a comma
 * that hangs on the head or on a word between. t[0..n) is one sentence
 * starting at absolute token t0. */
void dy__comma_compound(dy_token *t, size_t n, int32_t t0)
{
  size_t k, j;
  for (k = 0; k + 2 < n; k++) {
    int32_t h = t[k].head - t0, first = (int32_t)k + t0;
    int comma = 0;
    if (t[k].dep != DY_DEP_COMPOUND || t[k].head < 0 || h <= (int32_t)k + 1 ||
        h >= (int32_t)n ||
        (t[k].upos != DY_UPOS_PROPN && t[k].upos != DY_UPOS_NOUN) ||
        (t[h].upos != DY_UPOS_PROPN && t[h].upos != DY_UPOS_NOUN))
      continue;
    for (j = k + 1; j < (size_t)h; j++) {
      int32_t hj = t[j].head - t0;
      if (t[j].xpos == DY_XPOS_COMMA && hj > (int32_t)k && hj <= h)
        comma = 1;
      else if (t[j].head < 0 || hj < (int32_t)k || hj > h)
        break; /* a word between that hangs outside: not one phrase */
    }
    if (!comma || j < (size_t)h)
      continue;
    for (j = (size_t)h + 1; j < n; j++)
      if (t[j].head == h + t0 && t[j].dep == DY_DEP_CONJ)
        t[j].head = first;
    t[k].dep = t[h].dep;
    t[k].head = t[h].head;
    t[h].dep = DY_DEP_CONJ;
    t[h].head = first;
  }
}

/* Tags, lemmatises and parses every sentence of d->art. */
static int analyse_sentences(dy_doc *d)
{
  const dy_engine *e = d->eng;
  dy_article *a = &d->art;
  size_t s, k;
  char lemma[DY_MAX_TOKEN_BYTES + 64];
  if (d->pws == NULL && dy_parse_ws_new(&d->pws) < 0)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  for (s = 0; s < a->nsents; s++) {
    const dy_sentence *st = &a->sents[s];
    dy_token *t = &a->toks[st->tok];
    if (st->ntok > d->capptok) {
      dy_pword *np = dy_realloc(d->ptok, st->ntok * sizeof *np);
      if (np == NULL)
        return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
      d->ptok = np;
      d->capptok = st->ntok;
    }
    for (k = 0; k < st->ntok; k++) {
      d->ptok[k].form = a->text + t[k].off;
      d->ptok[k].len = t[k].len;
    }
    dy_parser_tag(e->parser, d->pws, d->ptok, st->ntok);
    dy_parser_parse(e->parser, d->pws, d->ptok, st->ntok);
    for (k = 0; k < st->ntok; k++) {
      const dy_pword *p = &d->ptok[k];
      size_t n = dy_parser_lemma(e->parser, e->lemmatizer, p->form, p->len,
                                 p->xpos, p->upos, lemma, sizeof lemma);
      /* most lemmas are the normalised form or the text itself: share */
      if (t[k].norm && strlen(t[k].norm) == n && memcmp(t[k].norm, lemma, n) == 0)
        t[k].lemma = t[k].norm;
      else
        t[k].lemma = dy_arena_strndup(&d->mem, lemma, n);
      t[k].upos = p->upos;
      t[k].xpos = p->xpos;
      t[k].dep = p->dep;
      t[k].head = p->head < 0 ? -1 : (int32_t)st->tok + p->head;
    }
    dy__modal_adj_verb(t, st->ntok, (int32_t)st->tok);
    dy__comma_compound(t, st->ntok, (int32_t)st->tok);
  }
  if (d->mem.failed)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  return DY_OK;
}

int dy_doc_analyse(dy_doc *d, const char *bytes, size_t n, const char *name,
                   const char *date)
{
  int rc;
  dy_arena_reset(&d->mem);
  dy_buf_reset(&d->in);
  memset(&d->art, 0, sizeof d->art);
  d->art.headline = d->art.date = d->art.places = d->art.agency =
      d->art.dateline = d->art.url = d->art.byline = d->art.language = "";
  d->art.format = "text";
  d->art.charset = "utf-8";
  d->art.text = "";
  d->events = NULL;
  d->nevents = d->capevents = 0;
  d->given_parse = 0;
  d->facts = NULL;
  dy_err_clear(&d->err);
  if (date && *date && dy_date_parse(dy_str_c(date)) < 0)
    return dy_err_set(&d->err, DY_EINVAL, "bad date '%s' (want YYYY-MM-DD)",
                      date);
  rc = dy__text_analyse(d, bytes, n, name, date);
  if (rc == DY_OK && d->eng && d->eng->parser)
    rc = analyse_sentences(d);
  return rc;
}

int dy_doc_tokenize(dy_doc *d, const char *text, size_t n, const char *name)
{
  dy__block *b;
  size_t nb = 0, cap = 16, i = 0;
  const char *s;
  int rc;
  dy_arena_reset(&d->mem);
  dy_buf_reset(&d->in);
  memset(&d->art, 0, sizeof d->art);
  d->art.headline = d->art.date = d->art.places = d->art.agency =
      d->art.dateline = d->art.url = d->art.byline = d->art.language = "";
  d->art.format = "text";
  d->art.charset = "utf-8";
  d->art.text = "";
  d->events = NULL;
  d->nevents = d->capevents = 0;
  d->facts = NULL;
  dy_err_clear(&d->err);
  d->art.name = dy_arena_strndup(&d->mem, name ? name : "-",
                                 strlen(name ? name : "-"));
  if (d->art.name == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  if (n > d->opts.max_bytes)
    return dy_err_set(&d->err, DY_ETOOBIG,
                      "text is %zu bytes, over the cap of %zu bytes", n,
                      d->opts.max_bytes);
  rc = dy_utf8_repair(text, n, &d->in, &d->art.nbad_utf8);
  if (rc < 0)
    return dy_err_set(&d->err, rc, "cannot copy input: %s", dy_strerror(rc));
  s = d->in.p ? d->in.p : "";
  n = d->in.n;
  b = dy_arena_alloc(&d->mem, cap * sizeof *b);
  if (b == NULL)
    return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  /* paragraphs: runs of lines separated by blank lines */
  while (i < n) {
    size_t start, end, j;
    while (i < n && dy_isspace(s[i]))
      i++;
    if (i >= n)
      break;
    start = i;
    end = i;
    for (j = i; j < n; j++) {
      if (s[j] == '\n') {
        size_t k = j + 1;
        while (k < n && s[k] != '\n' && dy_isspace(s[k]))
          k++;
        if (k >= n || s[k] == '\n')
          break; /* blank line */
      } else if (!dy_isspace(s[j]))
        end = j + 1;
    }
    if (nb == cap) {
      b = dy_arena_grow(&d->mem, b, cap * sizeof *b, 2 * cap * sizeof *b);
      if (b == NULL)
        return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
      cap *= 2;
    }
    b[nb].p = s + start;
    b[nb].n = end - start;
    b[nb].heading = 0;
    nb++;
    i = j;
  }
  return dy__article_build(d, b, nb, NULL, 0);
}

int dy_doc_analyse_input(dy_doc *d, const dy_input *in, const char *date)
{
  int rc;
  d->hint = in;
  rc = dy_doc_analyse(d, in->bytes, in->n, in->name, date);
  d->hint = NULL;
  if (rc < 0)
    return rc;
  /* the container's date only when the document carries none */
  if (d->art.date[0] == '\0' && in->date &&
      dy_date_parse(dy_str_c(in->date)) >= 0) {
    d->art.date = dy_arena_strndup(&d->mem, in->date, strlen(in->date));
    if (d->art.date == NULL)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  }
  if (in->url && *in->url) {
    d->art.url = dy_arena_strndup(&d->mem, in->url, strlen(in->url));
    if (d->art.url == NULL)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  }
  if (in->title && *in->title && d->art.headline[0] == '\0') {
    d->art.headline = dy_arena_strndup(&d->mem, in->title, strlen(in->title));
    if (d->art.headline == NULL)
      return dy_err_set(&d->err, DY_ENOMEM, "out of memory");
  }
  return DY_OK;
}

int dy_doc_code(dy_doc *d)
{
  int rc;
  d->nevents = 0;
  rc = dy__code_article(d);
  if (rc == DY_OK)
    rc = dy__facts_events(d);
  if (rc == DY_ENOMEM && d->mem.failed == DY_ARENA_OVERCAP)
    rc = dy_err_set(&d->err, DY_ETOOBIG,
                    "coding needs more than the work memory cap of %zu bytes",
                    d->opts.arena_cap);
  return rc;
}

const dy_article *dy_doc_article(const dy_doc *d)
{
  return &d->art;
}

size_t dy_doc_nevents(const dy_doc *d)
{
  return d->nevents;
}

const dy_event *dy_doc_event(const dy_doc *d, size_t i)
{
  return i < d->nevents ? &d->events[i] : NULL;
}

const char *dy_doc_errmsg(const dy_doc *d)
{
  return d->err.msg[0] ? d->err.msg : dy_strerror(d->err.code);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_key(dy_buf *b, const char *k)
{
  dy_buf_json_str(b, k, strlen(k));
  dy_buf_putc(b, ':');
}

static void json_kv(dy_buf *b, const char *k, const char *v)
{
  json_key(b, k);
  dy_buf_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

static void json_span(dy_buf *b, const dy_article *art, uint32_t off,
                      uint32_t len)
{
  json_key(b, "text");
  dy_buf_json_str(b, art->text + off, len);
  dy_buf_printf(b, ",\"start\":%u,\"end\":%u", off, off + len);
}

static void json_actor(dy_buf *b, const dy_article *art, const dy_actor *a)
{
  int i;
  dy_buf_putc(b, '{');
  json_span(b, art, a->off, a->len);
  dy_buf_puts(b, ",\"entries\":[");
  for (i = 0; i < a->nev; i++) {
    const dy_evidence *ev = &a->ev[i];
    if (i)
      dy_buf_putc(b, ',');
    dy_buf_putc(b, '{');
    json_span(b, art, ev->off, ev->len);
    dy_buf_putc(b, ',');
    json_kv(b, "entry", ev->what);
    dy_buf_putc(b, ',');
    json_kv(b, "dict", ev->file);
    dy_buf_printf(b, ",\"line\":%d}", ev->line);
  }
  dy_buf_puts(b, "]}");
}

int dy_event_json(const dy_doc *d, const dy_event *ev, dy_buf *b)
{
  const dy_article *art = &d->art;
  const dy_sentence *st = &art->sents[ev->sentence];
  dy_buf_putc(b, '{');
  json_kv(b, "date", ev->date);
  dy_buf_putc(b, ',');
  json_kv(b, "source", ev->source.code);
  dy_buf_putc(b, ',');
  json_kv(b, "source_name", ev->source.name);
  dy_buf_putc(b, ',');
  json_kv(b, "source_country", ev->source.country);
  dy_buf_putc(b, ',');
  json_kv(b, "source_role", ev->source.role);
  dy_buf_putc(b, ',');
  json_kv(b, "target", ev->target.code);
  dy_buf_putc(b, ',');
  json_kv(b, "target_name", ev->target.name);
  dy_buf_putc(b, ',');
  json_kv(b, "target_country", ev->target.country);
  dy_buf_putc(b, ',');
  json_kv(b, "target_role", ev->target.role);
  dy_buf_putc(b, ',');
  json_kv(b, "code", ev->code);
  dy_buf_putc(b, ',');
  json_kv(b, "root", ev->root);
  dy_buf_puts(b, ",\"base\":");
  dy_buf_json_str(b, ev->code, strlen(ev->code) < 3 ? strlen(ev->code) : 3);
  dy_buf_printf(b, ",\"hedged\":%s,\"root_event\":%s,\"issues\":[",
                ev->hedged ? "true" : "false", ev->root_event ? "true" : "false");
  {
    const char *p = ev->issues ? ev->issues : "";
    int first = 1;
    while (*p) {
      const char *semi = strchr(p, ';');
      size_t n = semi ? (size_t)(semi - p) : strlen(p);
      if (!first)
        dy_buf_putc(b, ',');
      dy_buf_json_str(b, p, n);
      first = 0;
      p += n + (semi ? 1 : 0);
    }
  }
  dy_buf_putc(b, ']');
  dy_buf_printf(b, ",\"quad\":%d,\"goldstein\":%.1f,\"sentence_index\":%d,",
                ev->quad, ev->goldstein, ev->sentence);
  json_key(b, "sentence");
  dy_buf_json_str(b, art->text + st->off, st->len);
  dy_buf_putc(b, ',');
  json_kv(b, "article", art->hash);
  dy_buf_putc(b, ',');
  json_kv(b, "doc", art->name);
  dy_buf_puts(b, ",\"evidence\":{\"source\":");
  json_actor(b, art, &ev->source);
  dy_buf_puts(b, ",\"verb\":{");
  json_span(b, art, ev->verb.off, ev->verb.len);
  dy_buf_putc(b, ',');
  json_kv(b, "lemma", ev->verb.what);
  dy_buf_putc(b, ',');
  json_kv(b, "pattern", ev->pattern);
  dy_buf_putc(b, ',');
  json_kv(b, "dict", ev->verb.file);
  dy_buf_printf(b, ",\"line\":%d},\"target\":", ev->verb.line);
  json_actor(b, art, &ev->target);
  dy_buf_puts(b, "},\"action_geo\":");
  dy_geo_json(&ev->action_geo, b);
  dy_buf_puts(b, ",\"actor1_geo\":");
  dy_geo_json(&ev->actor1_geo, b);
  dy_buf_puts(b, ",\"actor2_geo\":");
  dy_geo_json(&ev->actor2_geo, b);
  dy_buf_putc(b, '}');
  return b->failed ? DY_ENOMEM : DY_OK;
}
