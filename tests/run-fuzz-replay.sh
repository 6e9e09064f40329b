#!/bin/sh
# SPDX-License-Identifier: MIT
# Replays the committed fuzz corpora (tests/fuzz/corpus/<target>/) through the
# gcc-built replay binaries in $1/fuzz/: crashes found by `make fuzz` stay
# fixed. One test per target.
set -u
cd "$(dirname "$0")/.."
b=${1:-build}
pass=0
fail=0
n=0
for bin in "$b"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  t=$(basename "$bin")
  n=$((n + 1))
  dir=tests/fuzz/corpus/$t
  if [ -d "$dir" ] && ls "$dir" | grep -q .; then
    if ${VALGRIND:-} "$bin" "$dir"/* >/dev/null 2>&1; then
      echo "ok $n - fuzz replay $t ($(ls "$dir" | wc -l) inputs)"
      pass=$((pass + 1))
    else
      echo "not ok $n - fuzz replay $t"
      fail=$((fail + 1))
    fi
  else
    echo "not ok $n - fuzz replay $t: no corpus in $dir"
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
