#!/bin/sh
# SPDX-License-Identifier: MIT
# The PostgreSQL pass (issue 10): the golden CLI cases that use a store and
# the web/API tests against throw-away PostgreSQL clusters
# (DYAD_TEST_DB=pg; tests/run-cases.sh and tests/web/run.sh start them
# with tests/scale/pg-start.sh). Without PostgreSQL's binaries each part is
# skipped with a message. Usage: tests/run-pg.sh [BUILD] (default build).
# Ends with "N passed, N failed" summed over both.
set -u
cd "$(dirname "$0")/.."
b=${1:-build}
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
add() {
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "not ok - $1 did not finish (no closing line)"
    fail=$((fail + 1))
    return
  fi
  pass=$((pass + $(echo "$line" | cut -d' ' -f1)))
  fail=$((fail + $(echo "$line" | cut -d' ' -f3)))
}
export DYAD_TEST_DB=pg
t0=$(date +%s)
# the two parts wait mostly on PostgreSQL's round trips, not on the CPU:
# they run side by side, each with its own cluster
web=$(mktemp)
tests/web/run.sh "$b" >"$web" 2>&1 &
wpid=$!
echo "== golden CLI cases on PostgreSQL ($b)"
tests/run-cases.sh "$b/dyad" >"$log" 2>&1
cat "$log"
add "cases on PostgreSQL ($b)"
wait $wpid
echo "== web server on PostgreSQL ($b)"
cp "$web" "$log"
rm -f "$web"
cat "$log"
add "web on PostgreSQL ($b)"
echo "# PostgreSQL pass: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
