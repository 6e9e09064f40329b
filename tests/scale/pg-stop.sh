#!/bin/bash
# SPDX-License-Identifier: MIT
# Stops the cluster started by pg-start.sh DIR and removes DIR.
set -u
dir=${1:?usage: pg-stop.sh DIR}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
run=()
[ "$(id -u)" = 0 ] && run=(runuser -u nobody --)
[ -d "$dir/data" ] && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"
