#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: throughput of dyad's stages on news text, against floors
# measured in the same run (cat > /dev/null). Input: the Reuters-21578 files
# from ../shared read as plain text (the SGML reader is later work), plus the
# project's demo corpus repeated. Prints MB/s, documents/s and ratios.
set -eu
cd "$(dirname "$0")/.."
SHARED=${DYAD_SHARED:-../shared}
DYAD=./build/dyad
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/in"
if [ -d "$SHARED/corpus/reuters21578" ]; then
  cp "$SHARED"/corpus/reuters21578/reut2-*.sgm "$work/in/"
else
  echo "bench: $SHARED/corpus/reuters21578 absent; using the demo corpus only"
fi
i=0
while [ $i -lt 50 ]; do
  for f in data/demo/*.txt; do
    [ -f "$f" ] && cp "$f" "$work/in/demo-$i-$(basename "$f")"
  done
  i=$((i + 1))
done
bytes=$(cat "$work"/in/* | wc -c)
docs=$(ls "$work/in" | wc -l)

now() { date +%s.%N; }
run() { # name command...
  name=$1
  shift
  t0=$(now)
  "$@" >/dev/null 2>"$work/err" || true
  t1=$(now)
  echo "$name $t0 $t1"
}

{
  run cat sh -c "cat $work/in/* > /dev/null"
  run extract $DYAD extract "$work/in"
  run code $DYAD code "$work/in"
  rm -f "$work/b.db"
  run ingest $DYAD ingest --quiet --db "$work/b.db" "$work/in"
} >"$work/times"

echo "dyad bench: $docs documents, $bytes bytes ($(date -u +%Y-%m-%d), $(nproc) cores)"
awk -v bytes="$bytes" -v docs="$docs" '
  { t[$1] = $3 - $2; order[NR] = $1 }
  END {
    printf "%-10s %10s %12s %12s %14s\n", "stage", "seconds", "MB/s", "docs/s", "x cat time"
    for (i = 1; i <= NR; i++) {
      n = order[i]; s = t[n] > 0 ? t[n] : 1e-9
      printf "%-10s %10.3f %12.1f %12.1f %14.1f\n", n, s, bytes / s / 1e6, docs / s, s / (t["cat"] > 0 ? t["cat"] : 1e-9)
    }
  }' "$work/times"
