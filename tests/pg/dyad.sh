#!/bin/bash
# SPDX-License-Identifier: MIT
# `dyad` for the PostgreSQL pass of the tests (DYAD_TEST_DB=pg): runs
# $DYAD_PG_REAL with every --db FILE (and --db=FILE) replaced by the URI of
# the database that FILE stands for (tests/pg/map.sh). `ingest` and `serve`
# create it first, as they would create the file; other commands on a
# database that does not exist fail to connect (as they fail on a missing
# file). URIs are passed through.
set -u
. "$(dirname "$0")/map.sh"
create=0
case "${1:-}" in ingest | serve) create=1 ;; esac
map() {
  case "$1" in
  postgres://* | postgresql://*) printf '%s' "$1" ;;
  *)
    local n
    n=$(pgmap_name "$1")
    [ $create = 1 ] && pgmap_create "$n"
    pgmap_url "$n"
    ;;
  esac
}
args=()
next=0
for a in "$@"; do
  if [ $next = 1 ]; then
    args+=("$(map "$a")")
    next=0
    continue
  fi
  case "$a" in
  --db) args+=("$a") && next=1 ;;
  --db=*) args+=("--db=$(map "${a#--db=}")") ;;
  *) args+=("$a") ;;
  esac
done
exec "$DYAD_PG_REAL" "${args[@]}"
