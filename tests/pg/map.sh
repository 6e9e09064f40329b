# SPDX-License-Identifier: MIT
# Sourced by tests/pg/dyad.sh and tests/pg/sql.sh: a database file path of
# a test stands for a database of the throw-away PostgreSQL cluster that
# tests/run-cases.sh (DYAD_TEST_DB=pg) started: PGDIR, PGPORT, PGBIN are
# in the environment. The same path always gives the same database.
pgmap_name() { # database name for a path: t_ + 20 hex digits of its MD5
  printf 't_%s' "$(printf '%s' "$(realpath -m "$1")" | md5sum | cut -c1-20)"
}
pgmap_url() { # connection URI of database $1
  printf 'postgresql:///%s?host=%s&port=%s&user=dyad' "$1" "$PGDIR" "$PGPORT"
}
pgmap_psql() { # psql on database $1, unaligned, no headers
  local d=$1
  shift
  "$PGBIN/psql" -h "$PGDIR" -p "$PGPORT" -U dyad -d "$d" -qAtX "$@"
}
pgmap_create() { # creates database $1 unless it exists (races tolerated)
  [ -n "$(pgmap_psql postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ] && return 0
  pgmap_psql postgres -c "CREATE DATABASE $1" >/dev/null 2>&1 || true
}
