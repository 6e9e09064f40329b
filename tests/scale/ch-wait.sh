#!/bin/bash
# SPDX-License-Identifier: MIT
# Waits up to 15 s until a server accepts connections on 127.0.0.1:PORT.
port=${1:?usage: ch-wait.sh PORT}
for _ in $(seq 150); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && exit 0
  sleep 0.1
done
exit 1
