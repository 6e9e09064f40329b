/* SPDX-License-Identifier: MIT */
/* The gazetteer: countries (data/countries.tsv, the project's crosswalk of
 * ISO 3166-1, CAMEO and FIPS 10-4 codes with capitals), cities and
 * first-level subdivisions (gazetteer.tsv, generated at build time by
 * tools/gazgen from Debian's libgeonames0 and iso-codes) and tzdata's zone
 * cities as a fallback. Names are looked up case- and accent-insensitively;
 * candidates are ranked by kind, capital status, population and the
 * document's country prior. */
#include "engine_int.h"

#include "dyad/facts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DY_DATA_DIR
#define DY_DATA_DIR "data"
#endif

#define GAZ_MAX_NAME 200 /* bytes of a place name */

typedef struct pnode {
  size_t idx;
  struct pnode *next;
} pnode;

struct dy_gazetteer {
  dy_arena mem;
  dy_country *c;
  size_t nc, capc;
  dy_place *p;
  size_t np, capp;
  double *wlat, *wlon, *w; /* per country: weighted city sums */
  dy__map names;           /* folded name → pnode chain */
  dy__map codes;           /* iso2 / iso3 / cameo → (country index + 1) */
  int finished;
};

/* ---- name folding ------------------------------------------------------ */

/* Latin-1 Supplement letters U+00C0..U+00FF folded to ASCII (0 = keep). */
static const char latin1_fold[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i',
    'i', 'i', 'i', 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u',
    'u', 'u', 'u', 'y', 0,   's', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
    'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 'd', 'n', 'o', 'o',
    'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y'};

/* Latin Extended-A U+0100..U+017F: base letters in order. */
static const char latin_ext_a[129] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Folds s[0..n) into out (cap bytes): ASCII lower case, Latin accents
 * dropped, ’ → ', "." dropped, runs of spaces/hyphens → one space.
 * Returns the length (0 when empty or too long). */
static size_t fold(const char *s, size_t n, char *out, size_t cap)
{
  size_t i = 0, o = 0;
  int space = 1;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    int l;
    char f = 0;
    if (c < 0x80) {
      i++;
      if (c == '.')
        continue;
      if (c == ' ' || c == '-' || c == '\t') {
        if (!space && o < cap)
          out[o++] = ' ';
        space = 1;
        continue;
      }
      f = dy_tolower((char)c);
    } else {
      l = dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
      if (l < 0) {
        i++;
        continue;
      }
      if (cp >= 0xC0 && cp <= 0xFF && latin1_fold[cp - 0xC0])
        f = latin1_fold[cp - 0xC0];
      else if (cp >= 0x100 && cp <= 0x17F)
        f = latin_ext_a[cp - 0x100];
      else if (cp == 0x218 || cp == 0x219)
        f = 's';
      else if (cp == 0x21A || cp == 0x21B)
        f = 't';
      else if (cp == 0x2019 || cp == 0x2018 || cp == 0x2BC)
        f = '\'';
      if (f == 0) {
        if (o + (size_t)l > cap)
          return 0;
        memcpy(out + o, s + i, (size_t)l);
        o += (size_t)l;
        i += (size_t)l;
        space = 0;
        continue;
      }
      i += (size_t)l;
    }
    if (o >= cap)
      return 0;
    out[o++] = f;
    space = 0;
  }
  while (o > 0 && out[o - 1] == ' ')
    o--;
  return o < cap ? o : 0;
}

/* ---- building ---------------------------------------------------------- */

int dy_gazetteer_new(dy_gazetteer **out)
{
  dy_gazetteer *g = dy_calloc(1, sizeof *g);
  *out = NULL;
  if (g == NULL)
    return DY_ENOMEM;
  dy_arena_init(&g->mem, 0);
  g->mem.chunk = 1 << 20;
  *out = g;
  return DY_OK;
}

void dy_gazetteer_free(dy_gazetteer *g)
{
  if (g == NULL)
    return;
  dy_free(g->c);
  dy_free(g->p);
  dy_free(g->wlat);
  dy_free(g->wlon);
  dy_free(g->w);
  dy__map_fini(&g->names);
  dy__map_fini(&g->codes);
  dy_arena_fini(&g->mem);
  dy_free(g);
}

static int add_name(dy_gazetteer *g, const char *name, size_t idx)
{
  char buf[GAZ_MAX_NAME * 2];
  size_t n = fold(name, strlen(name), buf, sizeof buf - 1);
  pnode *node, *first;
  char *key;
  if (n == 0)
    return DY_OK;
  first = dy__map_get(&g->names, buf, n);
  for (node = first; node; node = node->next)
    if (node->idx == idx)
      return DY_OK;
  node = dy_arena_alloc(&g->mem, sizeof *node);
  key = first ? NULL : dy_arena_strndup(&g->mem, buf, n);
  if (node == NULL || (first == NULL && key == NULL))
    return DY_ENOMEM;
  node->idx = idx;
  if (first) {
    /* keep the head (the map's value) and append behind it */
    node->next = first->next;
    first->next = node;
    return DY_OK;
  }
  node->next = NULL;
  return dy__map_put(&g->names, key, node);
}

static int put_code(dy_gazetteer *g, const char *code, size_t ci)
{
  if (code[0] == '\0' || dy__map_get(&g->codes, code, strlen(code)))
    return DY_OK;
  return dy__map_put(&g->codes, code, (void *)(ci + 1));
}

int dy_gazetteer_country_by_code(const dy_gazetteer *g, const char *code)
{
  void *v;
  if (g == NULL || code == NULL || code[0] == '\0')
    return -1;
  v = dy__map_get(&g->codes, code, strlen(code));
  return v ? (int)((size_t)v - 1) : -1;
}

static dy_place *new_place(dy_gazetteer *g)
{
  if (g->np == g->capp) {
    size_t nc = g->capp ? g->capp * 2 : 1024;
    dy_place *p = dy_realloc(g->p, nc * sizeof *p);
    if (p == NULL)
      return NULL;
    g->p = p;
    g->capp = nc;
  }
  memset(&g->p[g->np], 0, sizeof g->p[g->np]);
  return &g->p[g->np++];
}

/* Splits a line into tab-separated fields; returns the count. */
static int split_tabs(char *line, char **f, int maxf)
{
  int k = 0;
  char *p = line;
  while (k < maxf) {
    char *t = strchr(p, '\t');
    f[k++] = p;
    if (t == NULL)
      break;
    *t = '\0';
    p = t + 1;
  }
  return k;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
  char *end;
  double v;
  errno = 0;
  v = strtod(s, &end);
  if (end == s || *end != '\0' || errno || !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

static int valid_code(const char *s, size_t n)
{
  size_t i;
  if (strlen(s) != n)
    return 0;
  for (i = 0; i < n; i++)
    if (!dy_isupper(s[i]))
      return 0;
  return 1;
}

static char *gstr(dy_gazetteer *g, const char *s)
{
  return dy_arena_strndup(&g->mem, s, strlen(s));
}

/* countries.tsv: iso2 iso3 cameo fips name capital lat lon */
static int add_country_line(dy_gazetteer *g, char **f, int nf, const char **why)
{
  dy_country *c;
  size_t ci;
  int rc;
  double lat, lon;
  if (nf != 8) {
    *why = "want 8 tab-separated fields";
    return 1;
  }
  if (!valid_code(f[0], 2) || !valid_code(f[1], 3) || !valid_code(f[2], 3) ||
      !valid_code(f[3], 2)) {
    *why = "bad country code";
    return 1;
  }
  if (f[4][0] == '\0' || strlen(f[4]) > GAZ_MAX_NAME ||
      strlen(f[5]) > GAZ_MAX_NAME) {
    *why = "empty or too long name";
    return 1;
  }
  if (parse_double(f[6], -90, 90, &lat) < 0 ||
      parse_double(f[7], -180, 180, &lon) < 0) {
    *why = "bad latitude or longitude";
    return 1;
  }
  if (dy_gazetteer_country_by_code(g, f[0]) >= 0) {
    *why = "duplicate country";
    return 1;
  }
  if (g->nc == g->capc) {
    size_t nc = g->capc ? g->capc * 2 : 256;
    dy_country *p = dy_realloc(g->c, nc * sizeof *p);
    double *a, *b, *w;
    if (p == NULL)
      return DY_ENOMEM;
    g->c = p;
    a = dy_realloc(g->wlat, nc * sizeof *a);
    if (a == NULL)
      return DY_ENOMEM;
    g->wlat = a;
    b = dy_realloc(g->wlon, nc * sizeof *b);
    if (b == NULL)
      return DY_ENOMEM;
    g->wlon = b;
    w = dy_realloc(g->w, nc * sizeof *w);
    if (w == NULL)
      return DY_ENOMEM;
    g->w = w;
    g->capc = nc;
  }
  ci = g->nc;
  c = &g->c[ci];
  memset(c, 0, sizeof *c);
  memcpy(c->iso2, f[0], 3);
  memcpy(c->iso3, f[1], 4);
  memcpy(c->cameo, f[2], 4);
  memcpy(c->fips, f[3], 3);
  c->name = gstr(g, f[4]);
  c->capital = gstr(g, f[5]);
  if (c->name == NULL || c->capital == NULL)
    return DY_ENOMEM;
  c->lat = c->clat = lat;
  c->lon = c->clon = lon;
  g->wlat[ci] = g->wlon[ci] = g->w[ci] = 0;
  g->nc++;
  if ((rc = put_code(g, c->iso2, ci)) < 0 ||
      (rc = put_code(g, c->iso3, ci)) < 0 ||
      (rc = put_code(g, c->cameo, ci)) < 0)
    return rc;
  {
    dy_place *p = new_place(g);
    if (p == NULL)
      return DY_ENOMEM;
    p->name = c->name;
    p->adm1name = "";
    p->kind = DY_PLACE_COUNTRY;
    p->country = (int)ci;
    p->lat = lat;
    p->lon = lon;
    p->full = c->name;
    return add_name(g, c->name, g->np - 1);
  }
}

/* The place named `name` of kind in country ci, or NULL. */
static dy_place *find_in(dy_gazetteer *g, const char *name, int kind, int ci)
{
  char buf[GAZ_MAX_NAME * 2];
  size_t n = fold(name, strlen(name), buf, sizeof buf - 1);
  const pnode *node = n ? dy__map_get(&g->names, buf, n) : NULL;
  for (; node; node = node->next) {
    dy_place *p = &g->p[node->idx];
    if (p->kind == kind && p->country == ci)
      return p;
  }
  return NULL;
}

static int full_name(dy_gazetteer *g, dy_place *p)
{
  const dy_country *c = &g->c[p->country];
  size_t n = strlen(p->name) + strlen(p->adm1name) + strlen(c->name) + 8;
  char *s = dy_arena_alloc(&g->mem, n);
  if (s == NULL)
    return DY_ENOMEM;
  if (p->adm1name[0] && strcmp(p->adm1name, p->name) != 0)
    snprintf(s, n, "%s, %s, %s", p->name, p->adm1name, c->name);
  else
    snprintf(s, n, "%s, %s", p->name, c->name);
  p->full = s;
  return DY_OK;
}

/* gazetteer.tsv: kind name iso2 adm1 adm1name lat lon population */
static int add_place_line(dy_gazetteer *g, char **f, int nf, const char **why)
{
  dy_place *p;
  int ci, kind;
  double lat, lon, pop;
  if (nf != 8) {
    *why = "want 8 tab-separated fields";
    return 1;
  }
  kind = strcmp(f[0], "C") == 0   ? DY_PLACE_CITY
         : strcmp(f[0], "S") == 0 ? DY_PLACE_ADM1
                                  : 0;
  if (kind == 0) {
    *why = "kind is not C or S";
    return 1;
  }
  if (f[1][0] == '\0' || strlen(f[1]) > GAZ_MAX_NAME ||
      strlen(f[4]) > GAZ_MAX_NAME || strlen(f[3]) >= 8) {
    *why = "empty or too long name or code";
    return 1;
  }
  if (parse_double(f[5], -90, 90, &lat) < 0 ||
      parse_double(f[6], -180, 180, &lon) < 0 ||
      parse_double(f[7], 0, 4e9, &pop) < 0) {
    *why = "bad latitude, longitude or population";
    return 1;
  }
  ci = valid_code(f[2], 2) ? dy_gazetteer_country_by_code(g, f[2]) : -1;
  if (ci < 0)
    return 2; /* a territory the crosswalk does not list: skipped */
  if (find_in(g, f[1], kind, ci) && kind == DY_PLACE_ADM1)
    return 2;
  p = new_place(g);
  if (p == NULL)
    return DY_ENOMEM;
  p->kind = kind;
  p->country = ci;
  p->lat = lat;
  p->lon = lon;
  p->pop = (unsigned long)pop;
  p->name = gstr(g, f[1]);
  p->adm1name = f[4][0] ? gstr(g, f[4]) : "";
  if (p->name == NULL || p->adm1name == NULL)
    return DY_ENOMEM;
  memcpy(p->adm1, f[3], strlen(f[3]) + 1);
  if (kind == DY_PLACE_CITY) {
    double wt = pop > 0 ? pop : 1;
    g->wlat[ci] += lat * wt;
    g->wlon[ci] += lon * wt;
    g->w[ci] += wt;
  }
  if (full_name(g, p) < 0)
    return DY_ENOMEM;
  return add_name(g, p->name, g->np - 1);
}

/* "+DDMM[SS]" or "+DDDMM[SS]" → degrees. */
static int iso6709_part(const char *s, size_t n, size_t degdigits, double *out)
{
  double v = 0, sign;
  size_t i;
  if (n != 1 + degdigits + 2 && n != 1 + degdigits + 4)
    return -1;
  if (s[0] != '+' && s[0] != '-')
    return -1;
  for (i = 1; i < n; i++)
    if (!dy_isdigit(s[i]))
      return -1;
  sign = s[0] == '-' ? -1 : 1;
  for (i = 1; i <= degdigits; i++)
    v = v * 10 + (s[i] - '0');
  v += ((s[1 + degdigits] - '0') * 10 + (s[2 + degdigits] - '0')) / 60.0;
  if (n == 1 + degdigits + 4)
    v += ((s[3 + degdigits] - '0') * 10 + (s[4 + degdigits] - '0')) / 3600.0;
  *out = sign * v;
  return 0;
}

/* zone1970.tab: codes coordinates TZ [comments] */
static int add_zone_line(dy_gazetteer *g, char **f, int nf, const char **why)
{
  char cc[3], name[GAZ_MAX_NAME];
  const char *slash, *coord = nf >= 3 ? f[1] : "";
  size_t cn = strlen(coord), split, k;
  double lat, lon;
  int ci;
  dy_place *p;
  if (nf < 3 || strlen(f[0]) < 2) {
    *why = "want codes, coordinates and zone";
    return 1;
  }
  for (split = 1; split < cn && coord[split] != '+' && coord[split] != '-';
       split++)
    ;
  if (split >= cn || iso6709_part(coord, split, 2, &lat) < 0 ||
      iso6709_part(coord + split, cn - split, 3, &lon) < 0 || lat < -90 ||
      lat > 90 || lon < -180 || lon > 180) {
    *why = "bad ISO 6709 coordinates";
    return 1;
  }
  memcpy(cc, f[0], 2);
  cc[2] = '\0';
  ci = valid_code(cc, 2) ? dy_gazetteer_country_by_code(g, cc) : -1;
  slash = strrchr(f[2], '/');
  if (ci < 0 || slash == NULL || strlen(slash + 1) >= sizeof name)
    return 2;
  for (k = 0; slash[1 + k]; k++)
    name[k] = slash[1 + k] == '_' ? ' ' : slash[1 + k];
  name[k] = '\0';
  if (k == 0 || find_in(g, name, DY_PLACE_CITY, ci))
    return 2;
  p = new_place(g);
  if (p == NULL)
    return DY_ENOMEM;
  p->kind = DY_PLACE_CITY;
  p->country = ci;
  p->lat = lat;
  p->lon = lon;
  p->name = gstr(g, name);
  p->adm1name = "";
  if (p->name == NULL || full_name(g, p) < 0)
    return DY_ENOMEM;
  if (strcmp(name, g->c[ci].capital) == 0)
    p->capital = 1;
  return add_name(g, p->name, g->np - 1);
}

int dy_gazetteer_add(dy_gazetteer *g, const char *what, const char *bytes,
                     size_t n, const char *name, size_t *nbad, dy_err *err)
{
  int kind = strcmp(what, "countries") == 0 ? 1
             : strcmp(what, "places") == 0  ? 2
             : strcmp(what, "zones") == 0   ? 3
                                            : 0;
  size_t i = 0, lineno = 0;
  char *line = NULL;
  size_t cap = 0;
  if (kind == 0)
    return dy_err_set(err, DY_EINVAL, "unknown gazetteer file kind '%s'", what);
  while (i < n) {
    const char *e = memchr(bytes + i, '\n', n - i);
    size_t end = e ? (size_t)(e - bytes) : n, len = end - i;
    char *f[10];
    const char *why = NULL;
    int nf, rc;
    lineno++;
    if (len && bytes[end - 1] == '\r')
      len--;
    if (len == 0 || bytes[i] == '#') {
      i = end + 1;
      continue;
    }
    if (len > 4096) {
      why = "line longer than 4096 bytes";
    } else if (!dy_utf8_valid(bytes + i, len) || memchr(bytes + i, 0, len)) {
      why = "invalid UTF-8";
    } else {
      if (len + 1 > cap) {
        char *nl = dy_realloc(line, len + 1);
        if (nl == NULL) {
          dy_free(line);
          return dy_err_set(err, DY_ENOMEM, "out of memory");
        }
        line = nl;
        cap = len + 1;
      }
      memcpy(line, bytes + i, len);
      line[len] = '\0';
      nf = split_tabs(line, f, 10);
      rc = kind == 1   ? add_country_line(g, f, nf, &why)
           : kind == 2 ? add_place_line(g, f, nf, &why)
                       : add_zone_line(g, f, nf, &why);
      if (rc < 0) {
        dy_free(line);
        return dy_err_set(err, rc, "%s:%zu: %s", name, lineno, dy_strerror(rc));
      }
      if (rc != 1)
        why = NULL;
    }
    if (why) {
      if (nbad && (*nbad)++ == 0)
        dy_err_set(err, DY_EFORMAT, "%s:%zu: %s", name, lineno, why);
      DY_LOG(DY_LOG_WARN, "geo", "%s:%zu: %s (line skipped)", name, lineno,
             why);
    }
    i = end + 1;
  }
  dy_free(line);
  g->finished = 0;
  return DY_OK;
}

int dy_gazetteer_add_file(dy_gazetteer *g, const char *what, const char *path,
                          size_t *nbad, dy_err *err)
{
  FILE *f = fopen(path, "rb");
  dy_buf b;
  char chunk[65536];
  size_t k;
  int rc;
  if (f == NULL)
    return dy_err_set(err, dy_err_from_errno(errno), "%s: %s", path,
                      strerror(errno));
  dy_buf_init(&b, (size_t)256 << 20);
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    dy_buf_append(&b, chunk, k);
  rc = ferror(f) ? DY_EIO : b.failed ? DY_ENOMEM : DY_OK;
  fclose(f);
  if (rc < 0) {
    dy_buf_fini(&b);
    return dy_err_set(err, rc, "%s: %s", path, dy_strerror(rc));
  }
  {
    const char *base = strrchr(path, '/');
    rc = dy_gazetteer_add(g, what, b.p ? b.p : "", b.n, base ? base + 1 : path,
                          nbad, err);
  }
  dy_buf_fini(&b);
  return rc;
}

/* Capitals the city files lack become cities; country centres computed. */
static int finish(dy_gazetteer *g)
{
  size_t ci;
  for (ci = 0; ci < g->nc; ci++) {
    dy_country *c = &g->c[ci];
    dy_place *p = find_in(g, c->capital, DY_PLACE_CITY, (int)ci);
    if (g->w[ci] > 0) {
      c->clat = g->wlat[ci] / g->w[ci];
      c->clon = g->wlon[ci] / g->w[ci];
    }
    if (c->capital[0] == '\0')
      continue;
    if (p && fabs(p->lat - c->lat) < 0.5 && fabs(p->lon - c->lon) < 0.5) {
      p->capital = 1;
      continue;
    }
    if (p)
      p->capital = 0; /* a namesake far away from the capital */
    p = new_place(g);
    if (p == NULL)
      return DY_ENOMEM;
    p->kind = DY_PLACE_CITY;
    p->country = (int)ci;
    p->capital = 1;
    p->lat = c->lat;
    p->lon = c->lon;
    p->name = c->capital;
    p->adm1name = "";
    if (full_name(g, p) < 0 || add_name(g, p->name, g->np - 1) < 0)
      return DY_ENOMEM;
  }
  g->finished = 1;
  return DY_OK;
}

size_t dy_gazetteer_ncountries(const dy_gazetteer *g)
{
  return g ? g->nc : 0;
}

size_t dy_gazetteer_nplaces(const dy_gazetteer *g)
{
  return g ? g->np : 0;
}

const dy_country *dy_gazetteer_country(const dy_gazetteer *g, size_t i)
{
  return g && i < g->nc ? &g->c[i] : NULL;
}

const dy_place *dy_gazetteer_place(const dy_gazetteer *g, size_t i)
{
  return g && i < g->np ? &g->p[i] : NULL;
}

/* ---- lookup ------------------------------------------------------------ */

static double score(const dy_gazetteer *g, const dy_place *p,
                    const char *const *prior, size_t nprior)
{
  const dy_country *c = &g->c[p->country];
  double s = log10((double)p->pop + 1.0);
  size_t i;
  if (p->capital)
    s += 2.5;
  if (p->kind == DY_PLACE_COUNTRY)
    s += 8.0;
  else if (p->kind == DY_PLACE_ADM1)
    s += strcmp(c->iso2, "US") == 0 ? 6.0 : 4.5;
  for (i = 0; i < nprior; i++) {
    if (prior[i] &&
        (strcmp(prior[i], c->cameo) == 0 || strcmp(prior[i], c->iso3) == 0)) {
      s += i == 0 ? 3.0 : 1.5; /* the first prior is the strongest */
      break;
    }
  }
  return s;
}

size_t dy_gazetteer_lookup(const dy_gazetteer *g, const char *s, size_t n,
                           const char *const *prior, size_t nprior, size_t *out,
                           size_t cap)
{
  char buf[GAZ_MAX_NAME * 2];
  double sc[16];
  size_t k, m = 0;
  const pnode *node;
  if (g == NULL || cap == 0)
    return 0;
  if (cap > 16)
    cap = 16;
  k = fold(s, n, buf, sizeof buf - 1);
  if (k == 0)
    return 0;
  for (node = dy__map_get(&g->names, buf, k); node; node = node->next) {
    double v = score(g, &g->p[node->idx], prior, nprior);
    size_t j = m < cap ? m++ : cap;
    if (j == cap) {
      if (v <= sc[cap - 1])
        continue;
      j = cap - 1;
    }
    while (j > 0 && sc[j - 1] < v) {
      sc[j] = sc[j - 1];
      out[j] = out[j - 1];
      j--;
    }
    sc[j] = v;
    out[j] = node->idx;
  }
  return m;
}

static uint32_t fnv32(const char *s)
{
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

void dy_gazetteer_geo(const dy_gazetteer *g, size_t i, int ci, dy_geo *out)
{
  const dy_place *p = i != (size_t)-1 && i < g->np ? &g->p[i] : NULL;
  const dy_country *c;
  int us;
  memset(out, 0, sizeof *out);
  out->name = "";
  out->how = "";
  if (p)
    ci = p->country;
  if (ci < 0 || (size_t)ci >= g->nc)
    return;
  c = &g->c[ci];
  us = strcmp(c->iso2, "US") == 0;
  memcpy(out->fips, c->fips, 3);
  memcpy(out->iso2, c->iso2, 3);
  memcpy(out->iso3, c->iso3, 4);
  if (p == NULL || p->kind == DY_PLACE_COUNTRY) {
    out->type = 1;
    out->name = c->name;
    out->lat = c->clat;
    out->lon = c->clon;
    memcpy(out->feature, c->fips, 3);
    return;
  }
  out->name = p->full;
  out->lat = p->lat;
  out->lon = p->lon;
  memcpy(out->adm1, p->adm1, sizeof out->adm1);
  if (p->kind == DY_PLACE_ADM1) {
    out->type = us ? 2 : 5;
    memcpy(out->feature, p->adm1, sizeof p->adm1);
  } else {
    out->type = us ? 3 : 4;
    snprintf(out->feature, sizeof out->feature, "dy%08x", fnv32(p->full));
  }
}

int dy_geo_json(const dy_geo *gg, dy_buf *b)
{
  if (gg->type == 0)
    return dy_buf_puts(b, "null");
  dy_buf_printf(b, "{\"type\":%d,\"name\":", gg->type);
  dy_buf_json_str(b, gg->name, strlen(gg->name));
  dy_buf_printf(b,
                ",\"country_fips\":\"%s\",\"country_iso\":\"%s\","
                "\"country\":\"%s\",\"adm1\":\"%s\",\"lat\":%.4f,"
                "\"lon\":%.4f,\"feature\":\"%s\",\"how\":\"%s\"",
                gg->fips, gg->iso2, gg->iso3, gg->adm1, gg->lat, gg->lon,
                gg->feature, gg->how ? gg->how : "");
  if (gg->len)
    dy_buf_printf(b, ",\"start\":%u,\"end\":%u", gg->off, gg->off + gg->len);
  return dy_buf_putc(b, '}');
}

/* ---- engine ------------------------------------------------------------ */

const dy_gazetteer *dy_engine_gazetteer(const dy_engine *e)
{
  return e ? e->gaz : NULL;
}

int dy__geo_load(dy_engine *e, const char *dir, dy_err *err)
{
  char path[4096];
  const char *gz = getenv("DYAD_GAZETTEER");
  size_t nbad = 0;
  dy_err tmp;
  int rc;
  snprintf(path, sizeof path, "%s/countries.tsv", dir);
  if (access(path, R_OK) != 0)
    return DY_OK; /* no crosswalk: no geography */
  if ((rc = dy_gazetteer_new(&e->gaz)) < 0)
    return dy_err_set(err, rc, "out of memory");
  rc = dy_gazetteer_add_file(e->gaz, "countries", path, &nbad, err);
  if (rc < 0)
    return rc;
  dy_err_clear(&tmp);
  /* cities: $DYAD_GAZETTEER, else beside the dictionaries, else the data
   * directory (the generated file is optional) */
  if (gz && *gz) {
    rc = dy_gazetteer_add_file(e->gaz, "places", gz, &nbad, err);
    if (rc < 0)
      return rc;
  } else {
    snprintf(path, sizeof path, "%s/gazetteer.tsv", dir);
    rc = dy_gazetteer_add_file(e->gaz, "places", path, &nbad, &tmp);
    if (rc == DY_ENOENT) {
      snprintf(path, sizeof path, "%s/gazetteer.tsv", DY_DATA_DIR);
      rc = dy_gazetteer_add_file(e->gaz, "places", path, &nbad, &tmp);
    }
    if (rc == DY_ENOMEM)
      return dy_err_set(err, rc, "out of memory");
    if (rc < 0)
      DY_LOG(DY_LOG_INFO, "geo",
             "no generated gazetteer (%s): cities from "
             "tzdata only",
             tmp.msg);
  }
  rc = dy_gazetteer_add_file(e->gaz, "zones",
                             "/usr/share/zoneinfo/zone1970.tab", &nbad, &tmp);
  if (rc == DY_ENOMEM)
    return dy_err_set(err, rc, "out of memory");
  if (finish(e->gaz) < 0)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  if (nbad)
    DY_LOG(DY_LOG_WARN, "geo", "%zu gazetteer lines skipped", nbad);
  dy_err_clear(err);
  return DY_OK;
}

int dy_gazetteer_finish(dy_gazetteer *g)
{
  return finish(g);
}
