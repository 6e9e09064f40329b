#!/bin/bash
# SPDX-License-Identifier: MIT
# Crash safety of `dyad ingest`: RUNS ingests of the same corpus are killed
# with kill -9 at random points (random -j each time), each is resumed by
# running the same command again (random -j again), and the final database
# must equal an uninterrupted run's: same canonical dump (sorted query
# output, counts, the articles, sentences and events tables, a clean
# integrity check) and even the same row ids, since articles are committed
# in input order (only ingested_at and added_at differ). The dump covers the
# deduplicated events with their mention counts, the mentions, duplicate
# marks, the full-text index and the alignment graph; every run also checks
# that no document is stored twice (hash, URL) and none is lost. Corpus: the
# project's demo corpus (data/demo) turned into distinct variants (each a
# near-duplicate of the others of its article), one JSON lines file holding
# the same text under two URLs (one article, two mentions per event), plus
# one binary file that is refused.
# Usage: tests/crash/kill9.sh DYAD [RUNS]   (KILL9_SEED fixes the randomness)
# Prints "ok"/"not ok" lines and a closing "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=$(realpath "${1:?usage: kill9.sh DYAD [RUNS]}")
RUNS=${2:-20}
RANDOM=${KILL9_SEED:-$$}
COPIES=${KILL9_COPIES:-50}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The store's crash safety is under test, not sentence analysis: no model
# (tagging and parsing 40 ingests of 1000 articles would not fit the case's
# time limit on a loaded 2-core machine).
export DYAD_MODEL="$work/no-model"

shopt -s nullglob
demo=(data/demo/*.txt)
if [ ${#demo[@]} -eq 0 ]; then
  echo "ok 1 - kill9 # skip: no demo corpus in data/demo"
  echo "1 passed, 0 failed"
  exit 0
fi

# The project's dictionaries when they load, else the test dictionaries;
# copied first, so every run of this test reads the same ones.
mkdir "$work/dict"
if "$DYAD" dict >/dev/null 2>&1; then
  src=$("$DYAD" dict | sed -n 's/^dictionaries: //p')
else
  src=tests/data/dict
fi
find "$src" -maxdepth 1 -type f -exec cp {} "$work/dict/" \;
dict=(--dict-dir "$work/dict")

# Distinct variants: the same articles with a copy line appended.
# (bash builtins only: a fork per file would dominate the run time)
mkdir "$work/in"
texts=()
for f in "${demo[@]}"; do
  texts+=("$(<"$f")")
done
for ((k = 1; k <= COPIES; k++)); do
  printf -v kk %03d "$k"
  for ((d = 0; d < ${#demo[@]}; d++)); do
    f=${demo[d]}
    printf '%s\n\n(Copy %d of the demo article.)\n' "${texts[d]}" "$k" \
      >"$work/in/$kk-${f##*/}"
  done
done
printf 'binary\000data' >"$work/in/000-binary.bin"
pact='Russian President Vladimir Putin on Wednesday signed a new defense pact with North Korean leader Kim Jong Un.'
printf '{"url":"https://a.example/pact","date":"2024-06-19","title":"Pact","text":"%s"}\n{"url":"https://b.example/news/1","date":"2024-06-19","title":"Pact signed","text":"%s"}\n' \
  "$pact" "$pact" >"$work/in/000-feed.jsonl"
ndocs=$(ls "$work/in" | wc -l)
# documents to store: every file but the binary one, the feed twice
want_articles=$((ndocs - 2 + 2))

dump() { # canonical content of database $1
  "$DYAD" query --db "$1" --format jsonl | LC_ALL=C sort
  "$DYAD" stats --db "$1" | head -n 3
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$1" "PRAGMA integrity_check;
      SELECT hash, name, headline, date, places, agency, dateline, body,
             nsentences, nevents, nbad_utf8 FROM articles ORDER BY hash;
      SELECT a.hash, s.idx, s.off, s.len, s.text FROM sentences s
        JOIN articles a ON a.id = s.article_id ORDER BY a.hash, s.idx;
      SELECT a.hash, e.sentence_idx, e.source, e.target, e.code, e.json
        FROM events e JOIN articles a ON a.id = e.article_id
        ORDER BY a.hash, e.id;
      SELECT a.hash, a.url, a.source, a.body_hash, a.simhash, a.dup_kind,
             a.dup_dist, (SELECT o.hash FROM articles o WHERE o.id = a.dup_of)
        FROM articles a ORDER BY a.hash, a.url;
      SELECT e.id, e.date, e.source, e.target, e.code, e.place, e.is_root,
             e.num_mentions, e.num_sources, e.num_articles
        FROM events e ORDER BY e.id;
      SELECT m.id, m.event_id, a.hash, a.url, m.sentence_idx, m.para,
             m.source_off, m.verb_off, m.confidence
        FROM mentions m JOIN articles a ON a.id = m.article_id ORDER BY m.id;
      SELECT a, b, kind, start, end, origin, event_id, article_id
        FROM alignments ORDER BY a, b, kind, origin, start;
      SELECT a, b, kind, role, date, event_id FROM alignment_evidence
        ORDER BY id;
      SELECT 'fts', count(*) FROM articles_fts;
      INSERT INTO articles_fts(articles_fts) VALUES('integrity-check');
      SELECT 'docs stored twice', count(*) FROM (SELECT 1 FROM articles
        GROUP BY hash, url HAVING count(*) > 1);
      SELECT 'mentions counted', count(*) = (SELECT sum(num_mentions)
        FROM events) FROM mentions;
      SELECT 'ids', (SELECT group_concat(id || ' ' || hash, ',')
                     FROM (SELECT id, hash FROM articles ORDER BY id)),
             (SELECT count(*) FROM events), (SELECT max(id) FROM events);"
  fi
}

ingest() { # db jobs
  "$DYAD" ingest --quiet --db "$1" -j "$2" "${dict[@]}" "$work/in" 2>>"$work/log"
}

ms() { date +%s%3N; }

t0=$(ms)
ingest "$work/ref.db" 2
rc=$?
t1=$(ms)
if [ $rc -ne 1 ]; then
  echo "not ok 1 - reference ingest exited $rc, want 1 (one binary input)"
  echo "0 passed, 1 failed"
  exit 1
fi
dump "$work/ref.db" >"$work/ref.dump"
stored() { sqlite3 "$1" "SELECT count(*) FROM articles" 2>/dev/null; }
if command -v sqlite3 >/dev/null &&
  { [ "$(stored "$work/ref.db")" != "$want_articles" ] ||
    ! grep -q '^docs stored twice|0$' "$work/ref.dump" ||
    ! grep -q '^mentions counted|1$' "$work/ref.dump" ||
    [ "$(sqlite3 "$work/ref.db" "SELECT max(num_articles) FROM events e JOIN articles a ON a.id = e.article_id WHERE a.url LIKE 'https://%'")" != 2 ]; }; then
  echo "not ok 1 - reference run: $(stored "$work/ref.db") articles stored, want $want_articles, each once; the feed's events want 2 articles each"
  echo "0 passed, 1 failed"
  exit 1
fi
span=$((t1 - t0 + 50))
echo "# $ndocs documents, uninterrupted run ${span} ms," \
  "$(grep -c '' "$work/ref.dump") dump lines"

pass=0
fail=0
for ((i = 1; i <= RUNS; i++)); do
  db="$work/run$i.db"
  j1=$((RANDOM % 3 + 1))
  j2=$((RANDOM % 3 + 1))
  delay=$((RANDOM * 32768 + RANDOM))
  delay=$((delay % span))
  # dyad itself in the background (not the ingest function: $! would be a
  # subshell, and kill -9 would leave dyad running beside the resume)
  "$DYAD" ingest --quiet --db "$db" -j "$j1" "${dict[@]}" "$work/in" \
    2>>"$work/log" &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  killed="finished before the kill"
  if kill -9 "$pid" 2>/dev/null; then
    killed="killed at ${delay} ms"
  fi
  wait "$pid" 2>/dev/null
  before=$("$DYAD" stats --db "$db" 2>/dev/null | head -n 1 | awk '{print $2}')
  ingest "$db" "$j2"
  rc=$?
  dump "$db" >"$work/run.dump"
  what="run $i: -j $j1 $killed with ${before:-0} articles stored, resumed with -j $j2"
  if [ $rc -eq 1 ] && cmp -s "$work/ref.dump" "$work/run.dump"; then
    echo "ok $i - $what"
    pass=$((pass + 1))
  else
    echo "not ok $i - $what: resume exited $rc or the database differs"
    diff "$work/ref.dump" "$work/run.dump" | head -n 5 | cut -c 1-200 | sed 's/^/  # /'
    tail -n 3 "$work/log" | sed 's/^/  # log: /'
    fail=$((fail + 1))
  fi
  rm -f "$db" "$db-wal" "$db-shm"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
