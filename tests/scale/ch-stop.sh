#!/bin/bash
# SPDX-License-Identifier: MIT
# Stops the servers started by ch-start.sh DIR and removes DIR.
set -u
dir=${1:?usage: ch-stop.sh DIR}
for k in 1 2; do
  f=$dir/s$k/pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  # the recorded pid is the subshell or runuser; stop its children first
  for c in $(pgrep -P "$pid" 2>/dev/null); do
    pkill -P "$c" 2>/dev/null
    kill "$c" 2>/dev/null
  done
  kill "$pid" 2>/dev/null
done
sleep 0.5
rm -rf "$dir"
