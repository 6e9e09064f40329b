#!/bin/bash
# SPDX-License-Identifier: MIT
# Starts a throw-away PostgreSQL 15 cluster from Debian's binaries in a
# temporary directory: no system service, no TCP (a Unix socket in the
# directory), trust authentication for the local socket and a password
# (md5) for 127.0.0.1 on a free port (for the wrong-password test).
# Runs the server as an unprivileged user when started as root.
# Usage: eval "$(tests/scale/pg-start.sh DIR)"  -> sets PGDIR, PGURL, PGPORT
#        tests/scale/pg-stop.sh DIR
# Exits 77 with a message on stderr when PostgreSQL cannot be started.
set -u
dir=${1:?usage: pg-start.sh DIR}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2
  exit 77
fi
mkdir -p "$dir"
run=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$dir" 2>/dev/null || true
  chmod o+x "$(dirname "$dir")" 2>/dev/null || true
  chmod 700 "$dir"
  run=(runuser -u nobody --)
fi
port=$((20000 + RANDOM % 20000))
if ! "${run[@]}" "$bin/initdb" -D "$dir/data" -U dyad -A trust \
  --locale=C -E UTF8 >"$dir/initdb.log" 2>&1; then
  echo "initdb failed (see $dir/initdb.log)" >&2
  exit 77
fi
cat >>"$dir/data/pg_hba.conf" <<HBA
host all all 127.0.0.1/32 md5
HBA
# local socket: trust (first line); TCP on loopback needs the password
sed -i 's/^host *all *all *127.0.0.1\/32 *trust$//' "$dir/data/pg_hba.conf"
if ! "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40" \
  start >"$dir/pg_ctl.log" 2>&1; then
  echo "PostgreSQL did not start (see $dir/server.log)" >&2
  exit 77
fi
"${run[@]}" "$bin/psql" -h "$dir" -p "$port" -U dyad -d postgres -qAt \
  -c "ALTER USER dyad PASSWORD 'secret'" >/dev/null 2>&1
echo "PGDIR='$dir'; PGPORT=$port; PGBIN='$bin'"
echo "PGURL='postgresql:///postgres?host=$dir&port=$port&user=dyad'"
