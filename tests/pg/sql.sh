#!/bin/bash
# SPDX-License-Identifier: MIT
# $SQL in the golden cases: `$SQL DB QUERY` runs QUERY on the store DB and
# prints rows as sqlite3 does by default (columns joined by |). With
# DYAD_TEST_DB=pg, DB stands for a database of the test cluster
# (tests/pg/map.sh) and psql runs it; write QUERY in SQL both accept
# (integers rather than booleans, coalesce, no sqlite3 dot-commands).
set -u
db=${1:?usage: sql.sh DB QUERY}
shift
if [ "${DYAD_TEST_DB:-sqlite}" = pg ]; then
  . "$(dirname "$0")/map.sh"
  q=$1
  pgmap_psql "$(pgmap_name "$db")" -c "$q"
else
  exec sqlite3 "$db" "$@"
fi
