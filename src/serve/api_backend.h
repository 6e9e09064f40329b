/* SPDX-License-Identifier: MIT */
/* The endpoints whose store functions are being written in parallel
 * (similar articles, full-text search, time series, alignments, saved
 * queries) answer through this interface. api_backend.c implements it for
 * now with plain SQL over the store's tables (and one table of its own for
 * saved queries); it is the one file to rewire onto dyad/store.h later.
 * Every function appends one JSON value to out and returns DY_OK, or a DY_E*
 * code (DY_ENOENT: no such row; DY_EDB: SQL failed, message in err). */
#ifndef DYAD_API_BACKEND_H
#define DYAD_API_BACKEND_H

#include "dyad/core.h"

#include <sqlite3.h>

/* Creates what the backend needs in the database (writer connection). */
int api_backend_init(sqlite3 *wdb, dy_err *err);

/* Articles like article_id: {"available":..,"method":..,"articles":[...]} */
int api_similar(sqlite3 *db, long article_id, int limit, dy_buf *out,
                dy_err *err);

/* Articles whose headline or body contains the words of q (all of them):
 * {"method":..,"total":N,"articles":[{id,headline,date,name,snippet}]} */
int api_search(sqlite3 *db, const char *q, int limit, int offset, dy_buf *out,
               dy_err *err);

/* Alignments between countries at date (YYYY-MM-DD) and what changed since
 * the date `since`: {"available":..,"nodes":[..],"edges":[..],
 * "changes":[..]} */
int api_alignments(sqlite3 *db, const char *date, const char *since,
                   dy_buf *out, dy_err *err);

/* Saved queries: params is a JSON object of event filters (already
 * validated by the caller). */
int api_saved_create(sqlite3 *wdb, const char *name, const char *params,
                     long *id, dy_err *err);
int api_saved_delete(sqlite3 *wdb, long id, dy_err *err);
int api_saved_list(sqlite3 *db, dy_buf *out, dy_err *err);
/* Fetches one saved query: name and params (owned, dy_free both). */
int api_saved_get(sqlite3 *db, long id, char **name, char **params,
                  dy_err *err);

#endif
