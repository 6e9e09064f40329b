#!/bin/bash
# SPDX-License-Identifier: MIT
# Starts two clickhouse-server instances (Debian's package) in DIR on free
# loopback ports, forming the two-shard cluster "dyad2" (one replica each),
# with config written here; user "default" without password, user "dyad"
# with password "secret". Runs them as nobody when started as root.
# Usage: out=$(tests/scale/ch-start.sh DIR) && eval "$out"
#        -> CHDIR, CH1 (HTTP port of shard 1), CH2 (shard 2)
#        tests/scale/ch-stop.sh DIR
# Exits 77 with a message on stderr when the servers cannot start.
set -u
dir=${1:?usage: ch-start.sh DIR}
srv=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
if [ ! -x "$srv" ]; then
  echo "clickhouse-server not found (apt-get install clickhouse-server)" >&2
  exit 77
fi
mkdir -p "$dir"
run=()
if [ "$(id -u)" = 0 ]; then
  chmod o+x "$(dirname "$dir")" 2>/dev/null || true
  run=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
base=$((21000 + RANDOM % 20000))
h1=$base t1=$((base + 1)) i1=$((base + 2)) h2=$((base + 3)) t2=$((base + 4)) i2=$((base + 5))
for k in 1 2; do
  d=$dir/s$k
  mkdir -p "$d/data/" "$d/tmp/" "$d/log"
  eval "http=\$h$k tcp=\$t$k inter=\$i$k"
  cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log>
    <errorlog>$d/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$inter</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>64</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>20</max_concurrent_queries>
  <uncompressed_cache_size>1000000</uncompressed_cache_size>
  <mark_cache_size>10000000</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <remote_servers>
    <dyad2>
      <shard><replica><host>127.0.0.1</host><port>$t1</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$t2</port></replica></shard>
    </dyad2>
  </remote_servers>
</yandex>
XML
  cat >"$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota></default>
    <dyad><password>secret</password><networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota></dyad>
  </users>
  <quotas><default></default></quotas>
</yandex>
XML
  [ ${#run[@]} -gt 0 ] && chown -R nobody "$d"
  # start.sh starts (or restarts) this server and writes its pid to
  # $d/pid (setpriv execs the server: the pid is the server's)
  cat >"$d/start.sh" <<SH
#!/bin/bash
cd "$d" || exit 1
${run[*]} "$srv" --config-file="$d/config.xml" >"$d/log/stdout" 2>&1 &
echo \$! >"$d/pid"
SH
  chmod +x "$d/start.sh"
  "$d/start.sh"
done
for k in 1 2; do
  eval "http=\$h$k"
  "$(dirname "$0")/ch-wait.sh" "$http" && continue
  echo "clickhouse-server $k did not start (see $dir/s$k/log)" >&2
  exit 77
done
echo "CHDIR='$dir'; CH1=$h1; CH2=$h2"
exit 0
