#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests of `dyad serve` against build directory $1 (default build):
#   security.js  - hostile requests, token, caps, headers, malformed HTTP,
#                  slow clients, abrupt disconnects (needs node)
#   sigterm      - SIGTERM during an ingest: the ingest is committed
#   browser.js   - the pages in Debian's chromium via playwright-core
#                  (needs ../shared, chromium and web/node_modules)
# The database is built here from ../shared/examples/pact-article.txt
# (--date 2024-06-19) and the ../shared/corpus/wikinews corpus. Screenshots
# go to $B/web-artifacts/. Prints "N passed, N failed".
# DYAD_TEST_DB=pg: the same against PostgreSQL (a throw-away cluster from
# tests/scale/pg-start.sh, skipped with a message when it cannot start).
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
DYAD=$(realpath "$B/dyad")
SHARED=../shared
ART="$B/web-artifacts"
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! command -v node >/dev/null 2>&1; then
  echo "skip - web tests: node missing"
  finish
fi
if [ ! -f "$SHARED/examples/pact-article.txt" ] || [ ! -d "$SHARED/corpus/wikinews" ]; then
  echo "skip - web tests: ../shared missing (needs the seed article and the wikinews corpus)"
  finish
fi
TMP=$(mktemp -d)
SRV=""
PG=""
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
  [ -n "$PG" ] && tests/scale/pg-stop.sh "$TMP/pg"
  rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$ART"
DB="$TMP/web.db"
TOKENF="$DB.token"
dbq() { sqlite3 "$DB" "$1"; } # a query on the store
if [ "${DYAD_TEST_DB:-sqlite}" = pg ]; then
  if ! out=$(tests/scale/pg-start.sh "$TMP/pg" 2>"$TMP/pgerr"); then
    echo "skip - web tests on PostgreSQL: $(tail -1 "$TMP/pgerr")"
    finish
  fi
  eval "$out"
  PG=1
  DB="postgresql:///postgres?host=$PGDIR&port=$PGPORT&user=dyad"
  TOKENF="$TMP/web.token"
  dbq() { "$PGBIN/psql" -h "$PGDIR" -p "$PGPORT" -U dyad -d postgres -qAtX -c "$1"; }
  echo "# PostgreSQL: $PGDIR, port $PGPORT"
fi
"$DYAD" ingest --quiet --db "$DB" --date 2024-06-19 "$SHARED/examples/pact-article.txt" >/dev/null 2>&1 &&
  "$DYAD" ingest --quiet --db "$DB" "$SHARED"/corpus/wikinews/*.csv >/dev/null 2>&1
if [ $? -le 1 ]; then ok "test database ingested from the seed and wikinews"; else notok "ingest the test database"; finish; fi

# a free port: ask the kernel
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
start() {
  "$DYAD" serve --db "$DB" --token-file "$TOKENF" --port "$PORT" --timeout 3 >"$TMP/out" 2>"$TMP/err" &
  SRV=$!
  i=0
  while ! grep -q listening "$TMP/err" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$SRV" 2>/dev/null; then
      cat "$TMP/err"
      return 1
    fi
    sleep 0.1
  done
}
stop() { # SIGTERM; the exit code must be 0
  kill -TERM "$SRV"
  wait "$SRV"
  rc=$?
  SRV=""
  return $rc
}
if start; then ok "server starts"; else notok "server starts"; finish; fi
TOKEN=$(sed -n 's/^write token.*: \([0-9a-f]\{64\}\)$/\1/p' "$TMP/out")
[ -n "$TOKEN" ] && ok "write token printed once on first start" || notok "write token printed"
if [ "$(stat -c %a "$TOKENF")" = 600 ] && ! grep -q "$TOKEN" "$TOKENF"; then
  ok "token file is private and holds the hash, not the token"
else
  notok "token file mode/content"
fi

log="$TMP/sec.log"
node tests/web/security.js "$PORT" "$TOKEN" >"$log" 2>&1
cat "$log"
p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
pass=$((pass + p)); fail=$((fail + f))
[ -s "$log" ] && grep -q '^done$' "$log" || notok "security.js finished"

if kill -0 "$SRV" 2>/dev/null; then ok "server still up after the hostile requests"; else notok "server still up"; fi

if [ -x /usr/bin/chromium ] && [ -d web/node_modules/playwright-core ] && [ -d web/public/vendor ]; then
  log="$TMP/browser.log"
  node tests/web/browser.js "$PORT" "$TOKEN" "$ART" >"$log" 2>&1
  cat "$log"
  p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
  pass=$((pass + p)); fail=$((fail + f))
  grep -q '^done$' "$log" || notok "browser.js finished"
else
  echo "skip - browser tests: /usr/bin/chromium, web/node_modules/playwright-core or web/public/vendor missing (run scripts/setup)"
fi

if stop; then ok "SIGTERM: clean exit 0"; else notok "SIGTERM exit code"; fi

# SIGTERM while an ingest is being analysed: the article must be stored.
# An 800 kB text (tagged and parsed) keeps the handler busy long enough to
# signal during it.
if start; then
  node -e '
    const s = "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang on Wednesday. ";
    process.stdout.write("Test pact article for the shutdown test\n\n" + s.repeat(8000));' >"$TMP/big.txt"
  curl -s -o "$TMP/ingest.out" -H "Authorization: Bearer $TOKEN" \
    --data-binary @"$TMP/big.txt" "http://127.0.0.1:$PORT/api/ingest?date=2024-06-19&name=sigterm-test" &
  CURL=$!
  i=0
  while ! grep -q "ingest: analysing" "$TMP/err" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  stop
  rc=$?
  wait "$CURL"
  if [ $rc -eq 0 ] && grep -q "ingest: stored" "$TMP/err"; then ok "SIGTERM during an ingest: exit 0 after the ingest finished"; else notok "SIGTERM during ingest (rc $rc)"; cat "$TMP/err"; fi
  # its events are mentions of deduplicated events (the seed may report the
  # same RUS-PRK meeting first), so count the article's mentions
  n=$(dbq "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.name = 'sigterm-test'")
  if [ "$n" -gt 0 ]; then ok "the in-flight ingest was committed ($n mentions)"; else notok "in-flight ingest lost"; fi
else
  notok "server restarts"
fi
if grep -q "^write token" "$TMP/out"; then notok "token printed again on restart"; else ok "token not printed again on restart"; fi
finish
