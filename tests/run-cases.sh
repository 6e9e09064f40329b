#!/bin/bash
# SPDX-License-Identifier: MIT
# Golden CLI tests: each tests/cases/<name>/ holds
#   cmd           a bash snippet run from the repository root with $DYAD (the
#                 binary), $SHARED (../shared), $TMP (a fresh directory),
#                 $CASE (the case directory) and $DICT (tests/data/dict);
#   expected.out  the exact expected stdout (optional);
#   expected.rc   the expected exit status (default 0);
#   expected.err  lines that must each appear in stderr (optional);
#   needs-shared  present when the case reads ../shared (skipped without it);
#   may-skip      present when the case may exit 77 (a server it needs, e.g.
#                 PostgreSQL, cannot start): reported as skipped.
# Usage: tests/run-cases.sh path/to/dyad [name...]
# UPDATE=1 rewrites expected.out from the actual output (review the diff!).
set -u
cd "$(dirname "$0")/.."
DYAD=$(realpath "${1:?usage: run-cases.sh DYAD [name...]}")
shift
export DYAD
export SHARED=${DYAD_SHARED:-$(realpath ../shared 2>/dev/null || true)}
export DICT=tests/data/dict
pass=0
fail=0
n=0
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(ls tests/cases))
for name in "${cases[@]}"; do
  c=tests/cases/$name
  [ -f "$c/cmd" ] || continue
  n=$((n + 1))
  if [ -e "$c/needs-shared" ] && [ ! -d "$SHARED" ]; then
    echo "ok $n - $name # skip: ../shared is absent"
    pass=$((pass + 1))
    continue
  fi
  TMP=$(mktemp -d)
  export TMP CASE=$c
  timeout $((300 * ${TIMEOUT_SCALE:-1})) bash -e -o pipefail "$c/cmd" >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  if [ $rc = 77 ] && [ -e "$c/may-skip" ]; then # a server it needs is missing
    echo "ok $n - $name # skip: $(tail -1 "$TMP/.err")"
    pass=$((pass + 1))
    rm -rf "$TMP"
    continue
  fi
  want_rc=$(cat "$c/expected.rc" 2>/dev/null || echo 0)
  ok=1
  why=""
  if [ "$rc" != "$want_rc" ]; then
    ok=0
    why="exit $rc, want $want_rc"
  fi
  if [ "${UPDATE:-}" = 1 ]; then
    cp "$TMP/.out" "$c/expected.out"
  elif [ -f "$c/expected.out" ]; then
    if ! cmp -s "$TMP/.out" "$c/expected.out"; then
      ok=0
      why="$why stdout differs"
      diff -u "$c/expected.out" "$TMP/.out" | head -20 | sed 's/^/  # /'
    fi
  fi
  if [ -f "$c/expected.err" ]; then
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      if ! grep -qF -- "$line" "$TMP/.err"; then
        ok=0
        why="$why stderr lacks '$line'"
      fi
    done <"$c/expected.err"
  fi
  if [ $ok = 1 ]; then
    echo "ok $n - $name"
    pass=$((pass + 1))
  else
    echo "not ok $n - $name: $why"
    sed 's/^/  # stderr: /' "$TMP/.err" | head -5
    fail=$((fail + 1))
  fi
  rm -rf "$TMP"
done
echo "$pass passed, $fail failed"
