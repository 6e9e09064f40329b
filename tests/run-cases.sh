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
#                 PostgreSQL, cannot start): reported as skipped;
#   sqlite-only   the reason the case is left out of the PostgreSQL pass;
#   expected-pg.out  expected stdout of the PostgreSQL pass when it differs
#                 from expected.out (a documented backend difference).
# Cases read the store with $SQL DB QUERY (tests/pg/sql.sh), never sqlite3.
# Usage: tests/run-cases.sh path/to/dyad [name...]
# UPDATE=1 rewrites expected.out from the actual output (review the diff!).
# DYAD_TEST_DB=pg: the PostgreSQL pass. A throw-away cluster is started
# (tests/scale/pg-start.sh; without PostgreSQL's binaries the pass is
# skipped with a message), $DYAD becomes tests/pg/dyad.sh, which turns each
# --db FILE into a database of that cluster, and only the cases that use a
# store run (their cmd has --db).
set -u
cd "$(dirname "$0")/.."
DYAD=$(realpath "${1:?usage: run-cases.sh DYAD [name...]}")
shift
export DYAD
export SHARED=${DYAD_SHARED:-$(realpath ../shared 2>/dev/null || true)}
export DICT=tests/data/dict
export SQL=$(realpath tests/pg/sql.sh)
export DYAD_TEST_DB=${DYAD_TEST_DB:-sqlite}
pass=0
fail=0
n=0
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(ls tests/cases))
if [ "$DYAD_TEST_DB" = pg ]; then
  PGTOP=$(mktemp -d)
  if ! out=$(tests/scale/pg-start.sh "$PGTOP/pg" 2>"$PGTOP/err"); then
    echo "skip - PostgreSQL pass: $(tail -1 "$PGTOP/err")"
    rm -rf "$PGTOP"
    echo "0 passed, 0 failed"
    exit 0
  fi
  eval "$out"
  export PGDIR PGPORT PGBIN DYAD_PG_REAL=$DYAD
  DYAD=$(realpath tests/pg/dyad.sh)
  trap 'tests/scale/pg-stop.sh "$PGTOP/pg"; rm -rf "$PGTOP"' EXIT
  echo "# PostgreSQL pass: cluster in $PGDIR, port $PGPORT"
fi
for name in "${cases[@]}"; do
  c=tests/cases/$name
  [ -f "$c/cmd" ] || continue
  exp=$c/expected.out
  if [ "$DYAD_TEST_DB" = pg ]; then
    grep -q -- '--db' "$c/cmd" || continue
    if [ -e "$c/sqlite-only" ]; then
      n=$((n + 1))
      echo "ok $n - $name # skip: SQLite only: $(head -1 "$c/sqlite-only")"
      pass=$((pass + 1))
      continue
    fi
    [ -f "$c/expected-pg.out" ] && exp=$c/expected-pg.out
  fi
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
    cp "$TMP/.out" "$exp"
  elif [ -f "$exp" ]; then
    if ! cmp -s "$TMP/.out" "$exp"; then
      ok=0
      why="$why stdout differs"
      diff -u "$exp" "$TMP/.out" | head -20 | sed 's/^/  # /'
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
