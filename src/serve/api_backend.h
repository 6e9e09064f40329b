/* SPDX-License-Identifier: MIT */
/* The endpoints backed by the store's views answer through this interface:
 * similar articles (dy_store_similar), full-text search (dy_store_search)
 * and alignments (dy_store_alignments / _changes), on the handle given
 * (either backend). Saved queries keep the web's own table
 * (web_saved_queries: id-addressed for feed URLs).
 * Every function appends one JSON value to out and returns DY_OK, or a DY_E*
 * code (DY_ENOENT: no such row; DY_EDB: SQL failed, message in err). */
#ifndef DYAD_API_BACKEND_H
#define DYAD_API_BACKEND_H

#include "dyad/core.h"

#include "dyad/store.h"

/* Creates what the backend needs in the database (writer connection). */
int api_backend_init(dy_store *wdb, dy_err *err);

/* Articles like article_id: {"available":..,"method":..,"articles":[...]} */
int api_similar(dy_store *db, long article_id, int limit, dy_buf *out,
                dy_err *err);

/* Articles whose headline or body contains the words of q (all of them,
 * FTS5 tokens, best first): {"method":..,"articles":[{id,headline,date,
 * name,score,snippet}],"total":N} with N the articles on this page. */
int api_search(dy_store *db, const char *q, int limit, int offset, dy_buf *out,
               dy_err *err);

/* Alignments between countries at date (YYYY-MM-DD) and what changed since
 * the date `since`: {"available":..,"nodes":[..],"edges":[..],
 * "changes":[..]} */
int api_alignments(dy_store *db, const char *date, const char *since,
                   dy_buf *out, dy_err *err);

/* Saved queries: params is a JSON object of event filters (already
 * validated by the caller). */
int api_saved_create(dy_store *wdb, const char *name, const char *params,
                     long *id, dy_err *err);
int api_saved_delete(dy_store *wdb, long id, dy_err *err);
int api_saved_list(dy_store *db, dy_buf *out, dy_err *err);
/* Fetches one saved query: name and params (owned, dy_free both). */
int api_saved_get(dy_store *db, long id, char **name, char **params,
                  dy_err *err);

#endif
