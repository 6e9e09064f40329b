/* SPDX-License-Identifier: MIT */
/* Allocation wrappers (one choke point, with fault injection for tests) and
 * the per-document bump arena with a hard byte cap. */
#include "dyad/core.h"

#include <stdlib.h>
#include <string.h>

/* ---- wrappers ---------------------------------------------------------- */

static long fail_after; /* 0 = off; k = fail the k-th allocation from now */

void dy_alloc_fail_after(long k)
{
  fail_after = k;
}

static int should_fail(void)
{
  if (fail_after <= 0)
    return 0;
  if (--fail_after == 0)
    return 1;
  return 0;
}

void *dy_malloc(size_t n)
{
  if (should_fail())
    return NULL;
  return malloc(n ? n : 1);
}

void *dy_calloc(size_t count, size_t n)
{
  if (should_fail())
    return NULL;
  return calloc(count ? count : 1, n ? n : 1);
}

void *dy_realloc(void *p, size_t n)
{
  if (should_fail())
    return NULL;
  return realloc(p, n ? n : 1);
}

void dy_free(void *p)
{
  free(p);
}

char *dy_strndup(const char *s, size_t n)
{
  char *d = dy_malloc(n + 1);
  if (d == NULL)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* ---- arena ------------------------------------------------------------- */

struct dy_arena_chunk {
  struct dy_arena_chunk *next; /* older chunk */
  size_t cap;                  /* usable bytes in data[] */
  size_t used;                 /* bytes handed out from data[] */
  _Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK_DEFAULT ((size_t)64 * 1024)

void dy_arena_init(dy_arena *a, size_t cap)
{
  memset(a, 0, sizeof *a);
  a->cap = cap;
  a->chunk = ARENA_CHUNK_DEFAULT;
}

void dy_arena_fini(dy_arena *a)
{
  struct dy_arena_chunk *c = a->head;
  while (c) {
    struct dy_arena_chunk *next = c->next;
    dy_free(c);
    c = next;
  }
  a->head = NULL;
  a->used = 0;
  a->failed = 0;
}

void dy_arena_reset(dy_arena *a)
{
  struct dy_arena_chunk *c = a->head, *last = NULL;
  /* keep the oldest (first allocated, default-sized) chunk */
  while (c) {
    struct dy_arena_chunk *next = c->next;
    if (next == NULL) {
      last = c;
      break;
    }
    dy_free(c);
    c = next;
  }
  a->head = last;
  if (last)
    last->used = 0;
  a->used = 0;
  a->failed = 0;
}

void *dy_arena_alloc(dy_arena *a, size_t n)
{
  struct dy_arena_chunk *c;
  size_t need = (n + 15) & ~(size_t)15;
  if (a->failed)
    return NULL;
  if (need < n || (a->cap && (need > a->cap || a->used > a->cap - need))) {
    a->failed = DY_ARENA_OVERCAP;
    return NULL;
  }
  c = a->head;
  if (c == NULL || c->cap - c->used < need) {
    size_t sz = need > a->chunk ? need : a->chunk;
    c = dy_malloc(sizeof *c + sz);
    if (c == NULL) {
      a->failed = DY_ARENA_NOMEM;
      return NULL;
    }
    c->cap = sz;
    c->used = 0;
    /* big one-off chunks go behind the head so the head keeps filling */
    if (a->head && sz > a->chunk && a->head->cap - a->head->used >= 64) {
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  c->used += need;
  a->used += need;
  return c->data + c->used - need;
}

void *dy_arena_zalloc(dy_arena *a, size_t n)
{
  void *p = dy_arena_alloc(a, n);
  if (p)
    memset(p, 0, n);
  return p;
}

char *dy_arena_strndup(dy_arena *a, const char *s, size_t n)
{
  char *d = dy_arena_alloc(a, n + 1);
  if (d == NULL)
    return NULL;
  if (n)
    memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void *dy_arena_grow(dy_arena *a, void *p, size_t oldn, size_t newn)
{
  void *q;
  if (newn <= oldn)
    return p;
  q = dy_arena_alloc(a, newn);
  if (q && p && oldn)
    memcpy(q, p, oldn);
  return q;
}
