/* SPDX-License-Identifier: MIT */
/* Fuzz target: the HTML path on arbitrary bytes: charset detection and
 * conversion, the nesting cap, myhtml parsing, main-content scoring,
 * metadata and the article build. Every string of the article must be
 * valid UTF-8. */
#include "dyad/dyad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dy_doc *doc;

static void check(const char *s)
{
  if (s == NULL || !dy_utf8_valid(s, strlen(s)))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  dy_input in;
  const dy_article *a;
  size_t i;
  if (doc == NULL && dy_doc_new(NULL, NULL, &doc) < 0)
    abort();
  memset(&in, 0, sizeof in);
  in.name = "fuzz.html";
  in.bytes = (const char *)data;
  in.n = size;
  in.ctype = size && (data[0] & 1) ? "text/html" : NULL;
  in.url = "http://example.com/2024/06/19/story";
  if (dy_doc_analyse_input(doc, &in, NULL) < 0)
    return 0;
  a = dy_doc_article(doc);
  if (!dy_utf8_valid(a->text, a->n))
    abort();
  check(a->headline);
  check(a->date);
  check(a->byline);
  check(a->language);
  check(a->url);
  for (i = 0; i < a->nheadings; i++) {
    check(a->headings[i]);
    if (a->heading_off[i] > a->n)
      abort();
  }
  return 0;
}
