/* SPDX-License-Identifier: MIT */
/* Option parsing, help text, error printing and the log sink for `dyad`. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cli_help(const cli_cmd *cmd, const cli_opt *opts, FILE *f)
{
  int i;
  fprintf(f, "usage: dyad %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->usage,
          cmd->summary);
  for (i = 0; opts[i].name; i++) {
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", opts[i].name,
             opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
    fprintf(f, "  %-26s %s", left, opts[i].help);
    if (opts[i].arg && opts[i].value)
      fprintf(f, " (default: %s)", opts[i].value);
    fputc('\n', f);
  }
  fprintf(f, "  %-26s %s\n", "--help", "show this help");
  fprintf(f, "\nexit codes: 0 ok, 1 some input failed, 2 usage, 3 fatal\n");
}

int cli_parse(const cli_cmd *cmd, cli_opt *opts, int argc, char **argv,
              char **pos, int *npos)
{
  int i, k, only_pos = 0;
  *npos = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *eq;
    size_t nlen;
    if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
      pos[(*npos)++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_pos = 1;
      continue;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      cli_help(cmd, opts, stdout);
      return 1;
    }
    if (a[1] != '-') {
      cli_error(cmd->name, "unknown option '%s' (see dyad %s --help)", a,
                cmd->name);
      return -1;
    }
    a += 2;
    eq = strchr(a, '=');
    nlen = eq ? (size_t)(eq - a) : strlen(a);
    for (k = 0; opts[k].name; k++)
      if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, a, nlen) == 0)
        break;
    if (opts[k].name == NULL) {
      cli_error(cmd->name, "unknown option '--%.*s' (see dyad %s --help)",
                (int)nlen, a, cmd->name);
      return -1;
    }
    if (opts[k].arg == NULL) {
      if (eq) {
        cli_error(cmd->name, "option '--%s' takes no value", opts[k].name);
        return -1;
      }
      opts[k].value = "1";
    } else if (eq) {
      opts[k].value = eq + 1;
    } else if (i + 1 < argc) {
      opts[k].value = argv[++i];
    } else {
      cli_error(cmd->name, "option '--%s' needs a value %s", opts[k].name,
                opts[k].arg);
      return -1;
    }
  }
  return 0;
}

const char *cli_get(const cli_opt *opts, const char *name)
{
  int i;
  for (i = 0; opts[i].name; i++)
    if (strcmp(opts[i].name, name) == 0)
      return opts[i].value;
  return NULL;
}

void cli_error(const char *ctx, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "dyad: ");
  if (ctx)
    fprintf(stderr, "%s: ", ctx);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static void log_sink(int level, const char *comp, const char *msg, void *ud)
{
  static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
  char ts[32];
  time_t now = time(NULL);
  struct tm tm;
  (void)ud;
  gmtime_r(&now, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  fprintf(stderr, "%s %s %s: %s\n", ts, names[level & 3], comp, msg);
}

void cli_log_init(int level)
{
  dy_log_set(log_sink, NULL, level);
}

dy_engine *cli_engine(const cli_opt *opts)
{
  dy_engine_opts eo;
  dy_engine *e = NULL;
  dy_err err;
  int rc;
  memset(&eo, 0, sizeof eo);
  eo.dict_dir = cli_get(opts, "dict-dir");
  eo.dict_files = cli_get(opts, "dict-files");
  rc = dy_engine_open(&eo, &e, &err);
  if (rc < 0) {
    cli_error(NULL, "cannot load dictionaries: %s", err.msg);
    return NULL;
  }
  return e;
}

long long cli_size(const char *s)
{
  char *end;
  long long v;
  if (s == NULL || !dy_isdigit(s[0]))
    return -1;
  v = strtoll(s, &end, 10);
  switch (*end) {
  case 'k':
  case 'K':
    v <<= 10;
    end++;
    break;
  case 'm':
  case 'M':
    v <<= 20;
    end++;
    break;
  case 'g':
  case 'G':
    v <<= 30;
    end++;
    break;
  default:
    break;
  }
  return *end ? -1 : v;
}
