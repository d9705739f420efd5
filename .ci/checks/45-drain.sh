#!/usr/bin/env bash
# Draining shutdown as a real gRPC health prober sees it: builds
# examples/grpcservice, starts it on loopback with a 3s drain, polls it with
# grpc-health-probe (a new connection per probe, as Kubernetes and load
# balancers do) for service "" and for the served service
# grpc.testing.TestService, sends SIGTERM, and asserts that each poller saw
# SERVING, then NOT_SERVING, then connection refused, in that order and
# nothing else (the defect: readiness flipped under 1 ms before the listener
# closed, so pollers saw only connection refused), and that the service
# exited 0. grpc-health-probe is installed at a pinned version into a cache
# outside the clone. Bounded (every step has a timeout), loopback only, and
# stops what it started on any exit. Runs locally: bash .ci/checks/45-drain.sh
# (DRAIN=0s shows the failure it guards against: no NOT_SERVING is seen).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"

probe_version=v0.4.63 # what @latest resolved to when this check was written
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nines-ci/grpc-health-probe-$probe_version"
probe="$cache/grpc-health-probe"
if [ ! -x "$probe" ]; then
  mkdir -p "$cache"
  GOBIN="$cache" timeout 600 go install "github.com/grpc-ecosystem/grpc-health-probe@$probe_version"
fi
"$probe" -version

. .ci/lib/procs.sh
show_on_failure "service output" 0 "service.log"

timeout 300 go build -o "$tmp/grpcservice" ./examples/grpcservice
"$tmp/grpcservice" -addr 127.0.0.1:0 -ops 127.0.0.1:0 -drain "${DRAIN:-3s}" >"$tmp/service.log" 2>&1 &
service=$!
pids+=("$service")

# "serving gRPC on 127.0.0.1:PORT, ops on http://..."
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's/^serving gRPC on \([0-9.:]*\), .*/\1/p' "$tmp/service.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "45-drain: FAIL: the service did not say where it serves" >&2; exit 1; }

check() { # check SERVICE: prints SERVING, NOT_SERVING, REFUSED or OTHER(code)
  local code=0
  "$probe" -addr "$addr" -service "$1" -connect-timeout 1s -rpc-timeout 1s >/dev/null 2>&1 || code=$?
  case $code in
    0) echo SERVING ;;
    4) echo NOT_SERVING ;;
    2) echo REFUSED ;;
    *) echo "OTHER($code)" ;;
  esac
}

# Wait until both services are SERVING, then poll each every 20 ms until
# the connection is refused, writing the distinct states in order.
for service_name in "" grpc.testing.TestService; do
  for _ in $(seq 100); do
    [ "$(check "$service_name")" = SERVING ] && break
    sleep 0.1
  done
  [ "$(check "$service_name")" = SERVING ] || { echo "45-drain: FAIL: service \"$service_name\" never SERVING" >&2; exit 1; }
done
poll() { # poll SERVICE LOG
  local last= state n=0
  while :; do
    state=$(check "$1")
    n=$((n + 1))
    if [ "$state" != "$last" ]; then
      echo "$state" >>"$2"
      last=$state
    fi
    case $state in REFUSED | OTHER*) break ;; esac
    sleep 0.02
  done
  echo "probes=$n" >>"$2.count"
}
poll "" "$tmp/overall" &
pids+=("$!")
poll grpc.testing.TestService "$tmp/served" &
pids+=("$!")
sleep 0.5
kill -TERM "$service"
begin=$(date +%s.%N)

status=0
timeout 60 tail --pid="$service" -f /dev/null || { echo "45-drain: FAIL: the service did not stop within 60s" >&2; exit 1; }
wait "$service" || status=$?
for pid in "${pids[@]:1}"; do
  timeout 30 tail --pid="$pid" -f /dev/null || true
done
end=$(date +%s.%N)
if [ "$status" -ne 0 ]; then
  echo "45-drain: FAIL: the service exited $status" >&2
  exit 1
fi

fail=0
for f in overall served; do
  seen=$(paste -sd' ' "$tmp/$f")
  echo "$f: $seen ($(cat "$tmp/$f.count"))"
  if [ "$seen" != "SERVING NOT_SERVING REFUSED" ]; then
    echo "45-drain: FAIL: $f: saw \"$seen\", want \"SERVING NOT_SERVING REFUSED\"" >&2
    fail=1
  fi
done
[ "$fail" -eq 0 ] || exit 1
printf '45-drain: NOT_SERVING seen before connection refused for both services; SIGTERM to exit %.1fs\n' \
  "$(awk -v a="$begin" -v b="$end" 'BEGIN { print b - a }')"
