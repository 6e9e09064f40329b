#!/bin/bash
# SPDX-License-Identifier: MIT
# `make bench` rows of issue 10: PostgreSQL ingest rate of the Reuters-21578
# files with 1 writer (one `dyad ingest`) and 4 writers (four processes, a
# quarter of the files each, into one database), against a throw-away
# cluster (tests/scale/pg-start.sh). Skipped when PostgreSQL cannot start
# or ../shared is absent; BENCH_SCALE=0 skips it.
# Usage: bench/scale.sh DYAD SHARED
set -u
DYAD=$(realpath "${1:?usage: scale.sh DYAD SHARED}")
SHARED=${2:?usage: scale.sh DYAD SHARED}
[ "${BENCH_SCALE:-1}" = 0 ] && exit 0
cd "$(dirname "$0")/.."
echo
echo "== PostgreSQL ingest (issue 10)"
files=("$SHARED"/corpus/reuters21578/reut2-*.sgm)
if [ ! -f "${files[0]}" ]; then
  echo "skipped: $SHARED/corpus/reuters21578 absent"
  exit 0
fi
work=$(mktemp -d)
trap 'tests/scale/pg-stop.sh "$work/pg"; rm -rf "$work"' EXIT
if ! out=$(tests/scale/pg-start.sh "$work/pg" 2>&1); then
  echo "skipped: $out"
  exit 0
fi
eval "$out"
psql() { "$PGBIN/psql" -h "$PGDIR" -p "$PGPORT" -U dyad -qAtX "$@"; }
url() { echo "postgresql:///$1?host=$PGDIR&port=$PGPORT&user=dyad"; }
psql -d postgres -c "CREATE DATABASE w1" -c "CREATE DATABASE w4"
now() { date +%s%N; }
a=$(now)
"$DYAD" ingest --quiet --db "$(url w1)" "${files[@]}" 2>/dev/null
b=$(now)
n1=$(psql -d w1 -c "SELECT count(*) FROM articles")
pids=()
for k in 0 1 2 3; do
  part=()
  for ((i = k; i < ${#files[@]}; i += 4)); do part+=("${files[i]}"); done
  "$DYAD" ingest --quiet --jobs 1 --db "$(url w4)" "${part[@]}" 2>/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
c=$(now)
n4=$(psql -d w4 -c "SELECT count(*) FROM articles")
awk -v n1="$n1" -v n4="$n4" -v t1="$(((b - a) / 1000000))" -v t4="$(((c - b) / 1000000))" 'BEGIN {
  printf "%-28s %8s %10s %12s\n", "", "articles", "seconds", "articles/s"
  printf "%-28s %8d %10.2f %12.0f\n", "1 writer", n1, t1 / 1000, n1 / (t1 / 1000)
  printf "%-28s %8d %10.2f %12.0f\n", "4 writers (4 processes)", n4, t4 / 1000, n4 / (t4 / 1000) }'
