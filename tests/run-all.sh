#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every test against each build directory given (default: build):
# unit tests (forked), golden CLI cases, fuzz-corpus replays, web server
# tests (tests/web/run.sh; skipped under valgrind); then, for the first
# build directory only, the PostgreSQL pass (tests/run-pg.sh: the store
# cases and the web tests against a throw-away cluster; skipped with a
# message without PostgreSQL's binaries, or with DYAD_TEST_PG=0). Ends with
# the closing line "N passed, N failed" summed over everything.
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- build
pass=0
fail=0
add() { # add "N passed, N failed" lines found in $1
  p=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1 | cut -d' ' -f1)
  f=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1 | cut -d' ' -f3)
  if [ -z "$p" ]; then
    echo "not ok - $2 did not finish (no closing line)"
    fail=$((fail + 1))
    return
  fi
  pass=$((pass + p))
  fail=$((fail + f))
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for b in "$@"; do
  echo "== unit tests ($b)"
  ${VALGRIND:-} "$b/dyad-tests" --fork >"$log" 2>&1
  cat "$log"
  add "$log" "$b/dyad-tests"
  echo "== golden CLI cases ($b)"
  if [ -n "${VALGRIND:-}" ]; then
    # the CLI under valgrind (leaks are errors); the 200 MB and kill -9
    # cases are left out: too slow under valgrind, covered by ASan
    vg=$(mktemp)
    printf '#!/bin/sh\nexec %s --error-exitcode=99 --errors-for-leak-kinds=definite,indirect --suppressions=%s %s "$@"\n' \
      "$VALGRIND" "$(realpath tests/valgrind.supp)" "$(realpath "$b/dyad")" >"$vg"
    chmod +x "$vg"
    TIMEOUT_SCALE=${TIMEOUT_SCALE:-20} tests/run-cases.sh "$vg" $(ls tests/cases | grep -v -e '^code-huge$' -e '^crash-kill9$') >"$log" 2>&1
    rm -f "$vg"
  else
    tests/run-cases.sh "$b/dyad" >"$log" 2>&1
  fi
  cat "$log"
  add "$log" "cases ($b)"
  echo "== fuzz corpus replay ($b)"
  tests/run-fuzz-replay.sh "$b" >"$log" 2>&1
  cat "$log"
  add "$log" "fuzz replay ($b)"
  if [ -z "${VALGRIND:-}" ]; then
    echo "== web server: security, robustness, browser ($b)"
    tests/web/run.sh "$b" >"$log" 2>&1
    cat "$log"
    add "$log" "web ($b)"
  fi
done
if [ -z "${VALGRIND:-}" ] && [ "${DYAD_TEST_PG:-1}" != 0 ]; then
  echo "== PostgreSQL pass ($1)"
  tests/run-pg.sh "$1" >"$log" 2>&1
  cat "$log"
  add "$log" "PostgreSQL pass ($1)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
