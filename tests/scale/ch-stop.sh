#!/bin/bash
# SPDX-License-Identifier: MIT
# Stops the servers started by ch-start.sh DIR (or one: ch-stop.sh DIR K
# [SIGNAL]) and, when stopping all, removes DIR.
set -u
dir=${1:?usage: ch-stop.sh DIR [K [SIGNAL]]}
which=${2:-}
sig=${3:-TERM}
for k in 1 2; do
  [ -n "$which" ] && [ "$which" != $k ] && continue
  f=$dir/s$k/pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill -"$sig" "$pid" 2>/dev/null
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  rm -f "$f"
done
[ -z "$which" ] && rm -rf "$dir"
exit 0
