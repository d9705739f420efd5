#!/usr/bin/env bash
# End to end with a real Prometheus, once with Debian's 2.42 and once with
# Prometheus 3 (v0.316.0, built once per machine, see .ci/lib): starts two
# replicas of examples/httpservice on loopback, writes the Prometheus rules
# that exporters generates from the service's own objectives (as /statusz
# reports them), starts prometheus on loopback scraping both every 2 s and
# evaluating the rules every 5 s, so scrapes fall anywhere between
# evaluations (unaligned, as in production), drives traffic with a known
# bad ratio per replica (1 in 4 requests answers 500 on one, 1 in 10 on the
# other), waits for a quiet moment, and checks through Prometheus's HTTP
# API that every window's events and error ratio, and the SLI and burn
# rate, match the exact values from the replicas' /statusz within one
# scrape's worth of events at each end, printing the table of differences,
# and that each replica's scraped burn-rate gauge is its /statusz value
# (examples/internal/prome2e). Then it restarts one replica with SIGTERM
# (each runs with -state, so its SLOs are saved and restored), drives
# mostly good traffic, and checks that the restarted replica's exported
# counter reset once to its own counts, that every fleet window still
# matches the exact value (the restored history is not counted twice) and
# that the SLOErrorBudgetBurn alerts are the tiers the exact definition
# fires. Installs prometheus when missing. Bounded (under two minutes per
# version once built; every step has a timeout, each run under 5 minutes),
# loopback only, and stops what it started on any exit.
# Runs locally too: bash .ci/checks/40-prometheus-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

# shellcheck source=../lib/prometheus.sh
. .ci/lib/prometheus.sh
ensure_prometheus
prom3=$(ensure_prometheus3)

. .ci/lib/procs.sh
show_on_failure "service logs" 0 "service*.log"
show_on_failure "prometheus log (last 30 lines)" 30 "prometheus-*.log"

timeout 300 go build -o "$tmp/httpservice" ./examples/httpservice
timeout 300 go build -o "$tmp/prome2e" ./examples/internal/prome2e

# run_e2e PROMETHEUS RUN: one whole run (fresh replicas, fresh TSDB).
run_e2e() {
  local prometheus=$1 run=$2
  echo "--- $("$prometheus" --version 2>&1 | head -1)"
  ports=($("$tmp/prome2e" ports 5))
  prom="http://127.0.0.1:${ports[4]}"
  apps="" opses="" targets=""
  replica_pids=()
  for r in 0 1; do
    app_port=${ports[$((2 * r))]} ops_port=${ports[$((2 * r + 1))]}
    # A replica stops by itself even if this script is killed hard.
    "$tmp/httpservice" -addr "127.0.0.1:$app_port" -ops "127.0.0.1:$ops_port" -duration 240s \
      -drain 500ms -state "$tmp/state$r-$run" >"$tmp/service$r-$run.log" 2>&1 &
    pids+=($!)
    replica_pids+=($!)
    "$tmp/prome2e" wait "http://127.0.0.1:$ops_port/livez" 20s
    apps+="${apps:+,}http://127.0.0.1:$app_port"
    opses+="${opses:+,}http://127.0.0.1:$ops_port"
    targets+="${targets:+, }'127.0.0.1:$ops_port'"
  done

  timeout 30 "$tmp/prome2e" rules -app "$apps" -ops "${opses%%,*}" -o "$tmp/rules-$run.yml"
  timeout 30 promtool check rules "$tmp/rules-$run.yml"

  cat >"$tmp/prometheus-$run.yml" <<YAML
global:
  scrape_interval: 2s
  evaluation_interval: 5s
rule_files:
  - $tmp/rules-$run.yml
scrape_configs:
  - job_name: nines
    static_configs:
      - targets: [$targets]
YAML
  timeout 270 "$prometheus" --config.file="$tmp/prometheus-$run.yml" --storage.tsdb.path="$tmp/data-$run" \
    --web.listen-address="${prom#http://}" >"$tmp/prometheus-$run.log" 2>&1 &
  pids+=($!)
  "$tmp/prome2e" wait "$prom/-/ready" 30s

  # In the background and waited for, so that a signal reaches the trap at
  # once instead of after the check.
  timeout 150 "$tmp/prome2e" check -app "$apps" -ops "$opses" -prom "$prom" -scrape 2s -eval 5s \
    -requests 600 -rate 20 -bad-every 4,10 -save "$tmp/before-$run.json" &
  pids+=($!)
  wait "$!"

  # Restart replica 0: SIGTERM saves its SLOs, the new process on the same
  # addresses restores them.
  kill -TERM "${replica_pids[0]}"
  timeout 30 tail --pid="${replica_pids[0]}" -f /dev/null
  wait "${replica_pids[0]}"
  "$tmp/httpservice" -addr "127.0.0.1:${ports[0]}" -ops "127.0.0.1:${ports[1]}" -duration 150s \
    -drain 500ms -state "$tmp/state0-$run" >>"$tmp/service0-$run.log" 2>&1 &
  pids+=($!)
  "$tmp/prome2e" wait "http://127.0.0.1:${ports[1]}/livez" 20s
  timeout 120 "$tmp/prome2e" restart -app "$apps" -ops "$opses" -prom "$prom" -scrape 2s -eval 5s \
    -before "$tmp/before-$run.json" -restarted 0 -requests 240 -rate 20 -bad-every 1000,1000 &
  pids+=($!)
  wait "$!"
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}

run_e2e prometheus 2
run_e2e "$prom3/prometheus" 3
echo "40-prometheus-e2e: passed"
