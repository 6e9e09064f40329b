/* SPDX-License-Identifier: MIT */
/* The logging hook: the library formats, the host decides where it goes. */
#include "dyad/core.h"

#include <stdarg.h>
#include <stdio.h>

static dy_log_fn log_fn;
static void *log_ud;
static int log_min = DY_LOG_WARN;

void dy_log_set(dy_log_fn fn, void *ud, int min_level)
{
  log_fn = fn;
  log_ud = ud;
  log_min = min_level;
}

int dy_log_enabled(int level)
{
  return log_fn != NULL && level >= log_min;
}

void dy__log(int level, const char *component, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  if (!dy_log_enabled(level))
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  log_fn(level, component, msg, log_ud);
}
