/* SPDX-License-Identifier: MIT */
/* Error codes (generated from DY_ERRNO_MAP) and the per-handle error record. */
#include "dyad/core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

const char *dy_err_name(int rc)
{
  switch (rc) {
#define X_(name, val, msg)                                                     \
  case (val):                                                                  \
    return "DY_" #name;
    DY_ERRNO_MAP(X_)
#undef X_
  }
  return "DY_UNKNOWN";
}

const char *dy_strerror(int rc)
{
  switch (rc) {
#define X_(name, val, msg)                                                     \
  case (val):                                                                  \
    return (msg);
    DY_ERRNO_MAP(X_)
#undef X_
  }
  return "unknown error";
}

int dy_err_from_errno(int err)
{
  switch (err) {
  case 0:
    return DY_OK;
  case ENOMEM:
    return DY_ENOMEM;
  case ENOENT:
  case ENOTDIR:
  case ELOOP:
    return DY_ENOENT;
  case EACCES:
  case EPERM:
    return DY_EACCES;
  case EFBIG:
  case EOVERFLOW:
    return DY_ETOOBIG;
  case EINVAL:
    return DY_EINVAL;
  default:
    return DY_EIO;
  }
}

int dy_err_set(dy_err *e, int code, const char *fmt, ...)
{
  va_list ap;
  if (e == NULL)
    return code;
  e->code = code;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  return code;
}

void dy_err_clear(dy_err *e)
{
  e->code = DY_OK;
  e->msg[0] = '\0';
}
