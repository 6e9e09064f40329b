/* SPDX-License-Identifier: MIT */
/* Replays fuzz inputs under gcc (no libFuzzer): each argument is a file given
 * to LLVMFuzzerTestOneInput once. Used by `make test` on committed corpora. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
  int i;
  for (i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    long n;
    uint8_t *buf;
    if (f == NULL) {
      perror(argv[i]);
      return 1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
      fclose(f);
      return 1;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      fclose(f);
      return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
  }
  return 0;
}
