#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench` (web part): wrk on loopback against the events endpoint of
# `dyad serve`, WEB_SECONDS (30) seconds, WEB_CONNS (64) connections, 2
# wrk threads, over a database ingested from the seed article and the
# Wikinews corpus (../shared). Reports requests/s and latency percentiles,
# then checks the server is still up and answers correctly.
# Environment: B (build), WEB_SECONDS, WEB_CONNS, WEB_URL (the path, default
# a page of 50 events), DYAD_SHARED (../shared).
set -eu
cd "$(dirname "$0")/.."
SHARED=${DYAD_SHARED:-../shared}
B=${B:-build}
SECS=${WEB_SECONDS:-30}
CONNS=${WEB_CONNS:-64}
URLPATH=${WEB_URL:-/api/events?limit=50}
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench web: wrk missing (scripts/setup installs it); skipped"
  exit 0
fi
if [ ! -d "$SHARED/corpus/wikinews" ]; then
  echo "bench web: $SHARED/corpus/wikinews missing; skipped"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/dyad-web-bench.XXXXXX")
SRV=""
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
DB=$work/bench.db
"$B/dyad" ingest --quiet --db "$DB" --date 2024-06-19 "$SHARED/examples/pact-article.txt" || true
"$B/dyad" ingest --quiet --db "$DB" "$SHARED"/corpus/wikinews/*.csv || true
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null || echo 18931)
"$B/dyad" serve --quiet --db "$DB" --port "$PORT" >"$work/out" 2>"$work/err" &
SRV=$!
i=0
until grep -q listening "$work/err"; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/err"; exit 1; }; sleep 0.1
done
events=$(curl -s "http://127.0.0.1:$PORT/api/health" | sed 's/.*"events":\([0-9]*\).*/\1/')
echo "== web: wrk -t2 -c$CONNS -d${SECS}s --latency http://127.0.0.1:$PORT$URLPATH ($events events in the database; server: 4 worker threads)"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$PORT$URLPATH" | tee "$work/wrk"
rps=$(awk '/^Requests\/sec/ { print $2 }' "$work/wrk")
p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk")
errs=$(awk '/Non-2xx|Socket errors/' "$work/wrk")
body=$(curl -s "http://127.0.0.1:$PORT$URLPATH")
case "$body" in
  '{"total":'*'"events":[{'*) up="yes, answers correctly" ;;
  *) up="NO: $body" ;;
esac
echo "web events endpoint: $rps req/s, p99 latency $p99, ${errs:-no errors}; server still up: $up"
kill -TERM "$SRV"
wait "$SRV"
SRV=""
