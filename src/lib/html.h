/* SPDX-License-Identifier: MIT */
/* HTML extraction internals (html.c): compile-time caps and the parser
 * state kept on a dy_doc between documents. The entry points
 * (dy__html_sniff, dy__html_analyse, dy__html_free) are declared in
 * engine_int.h next to the text path that calls them. */
#ifndef DYAD_HTML_H
#define DYAD_HTML_H

#include "engine_int.h"

#ifndef DY_HTML_MAX_DEPTH
#define DY_HTML_MAX_DEPTH                                                      \
  512 /* estimated open elements; deeper tags are                              \
         dropped before parsing (tree building is                              \
         quadratic in depth) */
#endif

struct dy__html;

#endif
