/* SPDX-License-Identifier: MIT */
/* TEMPORARY lemmatizer: lower-cases the form. The WordNet-based one replaces
 * this file (issue 4); it exists so the tagger and parser can link now. */
#include "dyad/core.h"
#include "dyad/nlp.h"

#include <ctype.h>
#include <stdlib.h>

struct dy_lemmatizer {
  int unused;
};

const char *dy_wordnet_default_dir(void)
{
  const char *d = getenv("DYAD_WORDNET_DIR");
  return d && *d ? d : "/usr/share/wordnet";
}

int dy_lemmatizer_open(const char *dir, dy_lemmatizer **out, dy_err *err)
{
  (void)dir;
  *out = dy_calloc(1, sizeof **out);
  if (*out == NULL)
    return dy_err_set(err, DY_ENOMEM, "out of memory");
  return DY_OK;
}

void dy_lemmatizer_free(dy_lemmatizer *lm) { dy_free(lm); }

size_t dy_lemmatize(const dy_lemmatizer *lm, const char *s, size_t n,
                    int xpos, int upos, char *buf, size_t cap)
{
  size_t i;
  (void)lm, (void)xpos;
  if (cap == 0)
    return 0;
  if (n > cap - 1)
    n = cap - 1;
  for (i = 0; i < n; i++)
    buf[i] = upos == DY_UPOS_PROPN ? s[i] : (char)tolower((unsigned char)s[i]);
  buf[n] = '\0';
  return n;
}
