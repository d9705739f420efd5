#!/usr/bin/env bash
# nines' synthetic checks measured against Prometheus blackbox_exporter:
# examples/internal/bbcompare starts a test target on 127.0.0.1 (plain
# HTTP, TLS with a CA made at start, a slow handshake, a slow endpoint, a
# redirect, a 500, a host name) and Debian's blackbox_exporter on a free
# loopback port, probes every case 20 times with each, alternating, prints
# the table and fails naming any case and phase where the outcomes differ
# or a phase's medians differ by more than its tolerance (the program's doc
# comment says why each tolerance and where each phase starts and ends).
# Installs prometheus-blackbox-exporter when missing, without starting its
# service. Loopback only, bounded by timeouts (about 30 s), and whatever
# it started is stopped on any exit. Runs locally too:
# bash .ci/checks/55-blackbox.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

bin=prometheus-blackbox-exporter
if ! command -v "$bin" >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "$bin not found; install Debian's prometheus-blackbox-exporter package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # The package's service must not start: refuse every service start
  # during the install (policy-rc.d exit 101), unless a policy exists.
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  status=0
  { timeout 600 apt-get update -qq &&
    timeout 600 apt-get install -y -qq --no-install-recommends prometheus-blackbox-exporter >/dev/null; } || status=$?
  if [ -n "$own_policy" ]; then rm -f "$policy"; fi
  [ "$status" -eq 0 ] || exit "$status"
fi
"$bin" --version 2>&1 | head -1

. .ci/lib/procs.sh

timeout 300 go build -o "$tmp/bbcompare" ./examples/internal/bbcompare
# In the background and waited for, so that a signal reaches the trap at
# once; bbcompare stops its blackbox_exporter on SIGTERM and on its own
# -timeout.
timeout 300 "$tmp/bbcompare" -blackbox "$bin" -n 20 -timeout 4m &
pids+=($!)
wait "$!"
echo "55-blackbox: passed"
