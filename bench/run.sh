#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: throughput of each stage of dyad (read, extract+analyse,
# code, store: timed in-process by build/dyad-bench) and end to end
# (`dyad ingest -j N` into a fresh database), with `cat > /dev/null` on the
# same files as the floor, on three corpora: Wikinews (../shared, CSV,
# repeated to BENCH_MB), Reuters-21578 (../shared, SGML) and the project's
# demo corpus (data/demo, repeated). Each figure is the median of
# BENCH_REPEAT runs; `cpu s` is CPU time, which other load on the machine
# barely changes. Readers are picked up as they land: when `dyad extract`
# splits a .csv or .sgm file into records, the corpus is fed as such;
# until then Wikinews is fed as one text file per article and Reuters as
# raw files read as plain text (noted in the table).
# Last, the latency of filtered event queries (`dyad query`, process start
# included) on the issue 7 database: Wikinews + Reuters-21578 + the seed.
# Environment: BENCH_REPEAT (3), BENCH_MB (100), BENCH_DEMO_MB (10),
# BENCH_JOBS ("1 2"), BENCH_CORPORA ("wikinews reuters demo"), B (build),
# DYAD_SHARED (../shared), BENCH_QUERIES (20 runs of each query; 0 = skip).
# A last table times the tagger + parser alone (`dyad eval parse` on UD
# English EWT dev).
set -eu
cd "$(dirname "$0")/.."
SHARED=${DYAD_SHARED:-../shared}
B=${B:-build}
DYAD=$B/dyad
BENCH=$B/dyad-bench
REPEAT=${BENCH_REPEAT:-3}
MB=${BENCH_MB:-100}
DEMO_MB=${BENCH_DEMO_MB:-10}
JOBS=${BENCH_JOBS:-1 2}
CORPORA=${BENCH_CORPORA:-wikinews reuters demo}
work=$(mktemp -d "${TMPDIR:-/tmp}/dyad-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

for f in "$DYAD" "$BENCH"; do
  [ -x "$f" ] || { echo "bench: $f missing (run make)" >&2; exit 1; }
done

# The project's dictionaries when they load, else the test dictionaries.
if "$DYAD" dict >/dev/null 2>&1; then
  DICT=""
  dict_note="data/ (the project's dictionaries)"
else
  DICT="--dict-dir tests/data/dict"
  dict_note="tests/data/dict (data/ does not load: $("$DYAD" dict 2>&1 | tail -n 1))"
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
kv() { # kv KEY LINE: the value of KEY=... in a key=value line
  echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
have_time=0
[ -x /usr/bin/time ] && have_time=1

# Whether `dyad extract` splits FILE into several records (a reader for
# its container format has landed).
splits() {
  n=$("$DYAD" extract $DICT "$1" 2>/dev/null | wc -l) || n=0
  [ "$n" -gt 1 ]
}

# ---- one corpus --------------------------------------------------------

# bench_corpus NAME NOTE PATH...: runs every measurement REPEAT times
# (interleaved, so slow spells of the machine hit all rows alike) and
# prints the table.
bench_corpus() {
  name=$1
  note=$2
  shift 2
  res="$work/res-$name"
  : >"$res"
  r=1
  while [ "$r" -le "$REPEAT" ]; do
    t0=$(now)
    find "$@" -type f -exec cat {} + >/dev/null
    t1=$(now)
    echo "cat wall $(elapsed "$t0" "$t1")" >>"$res"
    for stage in read parse analyse code store; do
      rm -f "$work/s.db" "$work/s.db-wal" "$work/s.db-shm"
      line=$("$BENCH" stages $DICT --upto "$stage" --db "$work/s.db" "$@" 2>>"$work/log")
      echo "$line" >"$work/last-$stage"
      key=$stage
      [ "$stage" = parse ] && key=analyse # the bare parse is timed there
      echo "$stage wall $(kv ${key}_s "$line")" >>"$res"
      echo "$stage cpu $(kv ${key}_cpu "$line")" >>"$res"
      echo "$stage peak $(kv maxrss_kb "$line")" >>"$res"
      if [ "$stage" = code ]; then # from raw text: tag+parse+code
        echo "raw wall $(awk -v a="$(kv analyse_s "$line")" -v b="$(kv code_s "$line")" 'BEGIN { printf "%.6f", a + b }')" >>"$res"
        echo "raw cpu $(awk -v a="$(kv analyse_cpu "$line")" -v b="$(kv code_cpu "$line")" 'BEGIN { printf "%.6f", a + b }')" >>"$res"
        echo "raw peak $(kv maxrss_kb "$line")" >>"$res"
      fi
    done
    for j in $JOBS; do
      rm -f "$work/e.db" "$work/e.db-wal" "$work/e.db-shm"
      t0=$(now)
      if [ $have_time = 1 ]; then
        /usr/bin/time -o "$work/time" -f "%U %S %M" \
          "$DYAD" ingest --quiet -j "$j" $DICT --db "$work/e.db" "$@" \
          2>>"$work/log" || true
      else
        "$DYAD" ingest --quiet -j "$j" $DICT --db "$work/e.db" "$@" \
          2>>"$work/log" || true
        echo "- - -" >"$work/time"
      fi
      t1=$(now)
      echo "j$j wall $(elapsed "$t0" "$t1")" >>"$res"
      # the last line: time(1) puts "Command exited with non-zero status"
      # first when some input was refused
      tail -n 1 "$work/time" | awk -v k="j$j" '{
        printf "%s cpu %s\n%s peak %s\n", k,
          ($1 == "-" ? "-" : sprintf("%.2f", $1 + $2)), k, $3 }' >>"$res"
    done
    r=$((r + 1))
  done
  line=$(cat "$work/last-store")
  docs=$(kv docs "$line")
  bytes=$(kv bytes "$line")
  sents=$(kv sentences "$line")
  toks=$(kv tokens "$line")
  events=$(kv events "$line")
  failed=$(kv failed "$line")
  echo
  printf '%s: %s documents (%s refused), %.1f MB, %s sentences, %s tokens, %s events\n' \
    "$name" "$docs" "$failed" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" \
    "$sents" "$toks" "$events"
  echo "  fed as: $note"
  printf '%-26s %8s %8s %9s %10s %10s %8s %8s %7s %7s\n' stage "wall s" "cpu s" \
    docs/s sent/s tokens/s MB/s "peak MB" "x cat" "x parse"
  cat_s=$(grep '^cat wall ' "$res" | cut -d' ' -f3 | median)
  parse_s=$(grep '^parse wall ' "$res" | cut -d' ' -f3 | median)
  row() { # row KEY LABEL
    w=$(grep "^$1 wall " "$res" | cut -d' ' -f3 | median)
    c=$(grep "^$1 cpu " "$res" | cut -d' ' -f3 | grep -v '^-$' | median)
    p=$(grep "^$1 peak " "$res" | cut -d' ' -f3 | grep -v '^-$' | median)
    awk -v l="$2" -v w="$w" -v c="$c" -v p="$p" -v d="$docs" -v b="$bytes" \
      -v s="$sents" -v t="$toks" -v k="$cat_s" -v q="$parse_s" 'BEGIN {
        if (w <= 0) w = 1e-9
        printf "%-26s %8.2f %8s %9.0f %10.0f %10.0f %8.1f %8s %7.1f %7.1f\n", l, w,
          (c == "-" ? "-" : sprintf("%.2f", c)), d / w, s / w, t / w,
          b / w / 1e6, (p == "-" ? "-" : sprintf("%.1f", p / 1024)),
          w / (k > 0 ? k : 1e-9), w / (q > 0 ? q : 1e-9) }'
  }
  row cat "cat > /dev/null"
  row read "read"
  row parse "bare HTML parse (floor)"
  row analyse "extract+analyse"
  row code "code"
  row raw "code from raw text"
  row store "store (batches of 64)"
  for j in $JOBS; do
    row "j$j" "ingest -j $j (end to end)"
  done
  # Acceptance point 4: sentences/s coding from raw text in one thread
  # (extract+analyse, which tags and parses, plus code), on wall and on CPU
  awk -v s="$sents" -v w="$(grep '^raw wall ' "$res" | cut -d' ' -f3 | median)" \
    -v c="$(grep '^raw cpu ' "$res" | cut -d' ' -f3 | median)" 'BEGIN {
      printf "  code from raw text (tag+parse+code, one thread): %.0f sentences/s wall, %.0f sentences/s CPU\n",
        s / (w > 0 ? w : 1e-9), s / (c > 0 ? c : 1e-9) }'
  # The limit of -j N: the reader and the writer are one thread each, the
  # workers share extract+analyse+code; all of it shares the cores.
  cores=$(nproc 2>/dev/null || echo 1)
  for j in $JOBS; do
    awk -v j="$j" -v n="$cores" \
      -v rd="$(grep '^read wall ' "$res" | cut -d' ' -f3 | median)" \
      -v an="$(grep '^analyse wall ' "$res" | cut -d' ' -f3 | median)" \
      -v co="$(grep '^code wall ' "$res" | cut -d' ' -f3 | median)" \
      -v st="$(grep '^store wall ' "$res" | cut -d' ' -f3 | median)" \
      -v rc="$(grep '^read cpu ' "$res" | cut -d' ' -f3 | median)" \
      -v ac="$(grep '^analyse cpu ' "$res" | cut -d' ' -f3 | median)" \
      -v cc="$(grep '^code cpu ' "$res" | cut -d' ' -f3 | median)" \
      -v sc="$(grep '^store cpu ' "$res" | cut -d' ' -f3 | median)" \
      -v e2e="$(grep "^j$j wall " "$res" | cut -d' ' -f3 | median)" 'BEGIN {
        par = j < n ? j : n
        w = (an + co) / par; cpu = (rc + ac + cc + sc) / n
        lim = "writer (store)"; t = st
        if (w > t) { lim = "workers (extract+analyse+code)"; t = w }
        if (rd > t) { lim = "reader (read)"; t = rd }
        if (cpu > t) { lim = "the cores (all stages together)"; t = cpu }
        printf "  -j %d: writer %.2f s, workers %.2f s, reader %.2f s, all CPU on %d cores %.2f s; measured %.2f s; limiting: %s\n",
          j, st, w, rd, n, cpu, e2e, lim }'
  done
}

# ---- corpora -----------------------------------------------------------

echo "dyad bench $(date -u +%Y-%m-%d), $(uname -sr), $(nproc) cores" \
  "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1))," \
  "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "dictionaries: $dict_note"
echo "medians of $REPEAT runs; stage rows in one thread, in-process; peak MB = the process's peak RSS"

for c in $CORPORA; do
  case $c in
  wikinews)
    wn=$SHARED/corpus/wikinews
    if ! ls "$wn"/*.csv >/dev/null 2>&1; then
      echo
      echo "wikinews: skipped ($wn absent)"
      continue
    fi
    one=$("$BENCH" variants --copies 1 --split-csv --format txt \
      --out "$work/wn1" "$wn"/*.csv | sed -n 's/.*bytes=//p')
    rm -rf "$work/wn1"
    copies=$(awk -v b="$one" -v mb="$MB" 'BEGIN { c = int(mb * 1e6 / b); if (c * b < mb * 1e6) c++; print c < 1 ? 1 : c }')
    if splits "$(ls "$wn"/*.csv | head -n 1)"; then
      "$BENCH" variants --copies "$copies" --split-csv --format csv \
        --out "$work/wikinews" "$wn"/*.csv >/dev/null
      note="CSV, $copies distinct copies of the $(ls "$wn"/*.csv | wc -l) files (the CSV reader)"
    else
      "$BENCH" variants --copies "$copies" --split-csv --format txt \
        --out "$work/wikinews" "$wn"/*.csv >/dev/null
      note="one text file per article, $copies distinct copies (dyad extract does not split .csv yet)"
    fi
    bench_corpus wikinews "$note" "$work/wikinews"
    rm -rf "$work/wikinews"
    ;;
  reuters)
    rt=$SHARED/corpus/reuters21578
    if ! ls "$rt"/reut2-*.sgm >/dev/null 2>&1; then
      echo
      echo "reuters21578: skipped ($rt absent)"
      continue
    fi
    if splits "$rt/reut2-000.sgm"; then
      note="the 22 SGML files (the SGML reader)"
    else
      note="the 22 .sgm files read as plain text, one document each (dyad extract does not split .sgm yet)"
    fi
    bench_corpus reuters21578 "$note" "$rt"/reut2-*.sgm
    ;;
  demo)
    if ! ls data/demo/*.txt >/dev/null 2>&1; then
      echo
      echo "demo: skipped (data/demo has no articles)"
      continue
    fi
    one=$(cat data/demo/*.txt | wc -c)
    copies=$(awk -v b="$one" -v mb="$DEMO_MB" 'BEGIN { c = int(mb * 1e6 / b) + 1; print c }')
    "$BENCH" variants --copies "$copies" --format txt --out "$work/demo" \
      data/demo/*.txt >/dev/null
    bench_corpus demo "data/demo, $copies distinct copies of each article" "$work/demo"
    rm -rf "$work/demo"
    ;;
  none) ;;
  *)
    echo "bench: unknown corpus '$c' (wikinews, reuters, demo, none)" >&2
    exit 2
    ;;
  esac
done
# ---- query latency -----------------------------------------------------

QRUNS=${BENCH_QUERIES:-20}
if [ "$QRUNS" -gt 0 ] && ls "$SHARED"/corpus/wikinews/*.csv >/dev/null 2>&1 &&
  ls "$SHARED"/corpus/reuters21578/reut2-*.sgm >/dev/null 2>&1 &&
  [ -f "$SHARED/examples/pact-article.txt" ]; then
  qdb="$work/q.db"
  t0=$(now)
  "$DYAD" ingest --quiet $DICT --db "$qdb" "$SHARED"/corpus/wikinews \
    "$SHARED"/corpus/reuters21578/reut2-*.sgm 2>>"$work/log" || true
  "$DYAD" ingest --quiet $DICT --db "$qdb" --date 2024-06-19 \
    "$SHARED/examples/pact-article.txt" 2>>"$work/log" || true
  t1=$(now)
  counts=$("$DYAD" stats --db "$qdb" | head -n 5 | awk '{ printf "%s %s, ", $2, $1 }')
  echo
  echo "query latency: $counts ingested in $(elapsed "$t0" "$t1") s;" \
    "$QRUNS runs of each filtered query"
  "$BENCH" query --db "$qdb" --runs "$QRUNS"
  echo
  echo "the same through the CLI: wall ms per \`dyad query\` process (start, open, print)"
  printf '%-52s %6s %8s %8s %8s\n' query rows "p50 ms" "p95 ms" "max ms"
  : >"$work/qall"
  qrow() { # qrow ARGS...: times QRUNS runs of dyad query ARGS
    : >"$work/qt"
    i=0
    while [ "$i" -lt "$QRUNS" ]; do
      a=$(date +%s%N)
      "$DYAD" query --db "$qdb" "$@" >"$work/qout"
      b=$(date +%s%N)
      echo $(((b - a) / 1000)) >>"$work/qt"
      i=$((i + 1))
    done
    cat "$work/qt" >>"$work/qall"
    sort -n "$work/qt" | awk -v q="$*" -v rows="$(wc -l <"$work/qout")" '
      { v[NR] = $1 } END {
        p50 = v[int((NR + 1) * 0.50)]; p95 = v[int(NR * 0.95 + 0.999)]
        printf "%-52s %6d %8.1f %8.1f %8.1f\n", q, rows, p50 / 1000, p95 / 1000, v[NR] / 1000 }'
  }
  qrow --source RUS --limit 100
  qrow --target PRK --from 2019-01-01 --limit 100
  qrow --code 05 --limit 100
  qrow --actor USA --from 1987-03-01 --to 1987-04-30 --limit 100
  qrow --country PRK --quad 1
  qrow --min-mentions 2 --limit 100
  qrow --text korea --limit 100
  qrow --source USA --code 04 --limit 20 --offset 20
  qrow --from 1987-03-01 --to 1987-03-31 --limit 100 --offset 100
  sort -n "$work/qall" | awk '{ v[NR] = $1 } END {
    printf "%-52s %6s %8.1f %8.1f %8.1f\n", "all of the above", "",
      v[int((NR + 1) * 0.50)] / 1000, v[int(NR * 0.95 + 0.999)] / 1000, v[NR] / 1000 }'
fi

# Tagger + parser alone on UD English EWT dev with its gold tokenization
# (`dyad eval parse`: the best of REPEAT timed passes, one thread).
ewt=$SHARED/ud-ewt/en_ewt-ud-dev.conllu
echo
if [ ! -f "$ewt" ]; then
  echo "tagger+parser: skipped ($ewt absent)"
elif ! "$DYAD" eval parse "$ewt" --repeat 1 >/dev/null 2>"$work/ep.err"; then
  echo "tagger+parser: skipped ($(tail -n 1 "$work/ep.err"))"
else
  if [ $have_time = 1 ]; then
    /usr/bin/time -f "%M" -o "$work/ep.time" "$DYAD" eval parse "$ewt" \
      --repeat "$REPEAT" >"$work/ep.out"
    peak=$(awk '{ printf "%.1f", $1 / 1024 }' "$work/ep.time")
  else
    "$DYAD" eval parse "$ewt" --repeat "$REPEAT" >"$work/ep.out"
    peak=-
  fi
  echo "tagger+parser (UD EWT dev, gold tokens, one thread, best of $REPEAT):"
  printf '%-26s %10s %10s %8s %8s %8s %8s %8s\n' stage "words/s" "load s" \
    "peak MB" UPOS lemma UAS LAS
  awk -v peak="$peak" '
    /^words\/s/ { w = $2 } /^UPOS/ { u = $2 } /^UAS/ { ua = $2 }
    /^LAS/ { la = $2 } /^lemma/ { le = $2 }
    /^model/ { l = $0; sub(/.*loaded in /, "", l); sub(/ s,.*/, "", l) }
    END { printf "%-26s %10s %10s %8s %8s %8s %8s %8s\n", "tag+parse+lemma", w,
          l, peak, u, le, ua, la }' "$work/ep.out"
fi

bench/scale.sh "$DYAD" "$SHARED" # PostgreSQL rows (BENCH_SCALE=0 skips)

if [ -s "$work/log" ]; then
  echo
  echo "messages (first 5 of $(wc -l <"$work/log")):"
  sort "$work/log" | uniq -c | sort -rn | head -n 5 | sed 's/^/  /'
fi
