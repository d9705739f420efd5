#!/usr/bin/env bash
# The fleet loop end to end with real Debian components: two replicas of
# examples/internal/ame2e (a service with an SLO, a remediation policy and
# the Alertmanager receiver of availability.Monitor), Debian's prometheus
# scraping both every second with the generated rules of their objective
# (exporters.PrometheusRules, no for:), and Debian's prometheus-alertmanager
# (group_wait/group_interval 1s) delivering the page to both replicas'
# /alertmanager with a bearer token. The checker turns a fault on in both
# replicas: the fleet SLOErrorBudgetBurn alert fires, Alertmanager delivers
# it, each replica's policy sheds and audits it; the fault ends, the alert
# resolves, each replica stops shedding; each audit chain must verify with
# exactly one shed and one revert. Installs prometheus and
# prometheus-alertmanager when missing. Loopback only, stops what it started
# on any exit, bounded by timeouts (about 1-5 minutes: the generated rules'
# long windows move in 5-minute steps, so the checker starts the fault 30 s
# before the next step). Runs locally too: bash .ci/checks/50-alertmanager-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

# shellcheck source=../lib/prometheus.sh
. .ci/lib/prometheus.sh
ensure_prometheus
if ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "prometheus-alertmanager not found; install Debian's prometheus-alertmanager package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
fi
prometheus --version 2>&1 | head -1
prometheus-alertmanager --version 2>&1 | head -1

. .ci/lib/procs.sh
show_on_failure "replica logs" 0 "replica*.log"
show_on_failure "prometheus log (last 30 lines)" 30 "prometheus.log"
show_on_failure "alertmanager log (last 30 lines)" 30 "alertmanager.log"

timeout 300 go build -o "$tmp/ame2e" ./examples/internal/ame2e
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

ports=($("$tmp/ame2e" ports 6))
prom="http://127.0.0.1:${ports[4]}"
am="http://127.0.0.1:${ports[5]}"
apps="" opses="" targets="" hooks=""
for r in 0 1; do
  app_port=${ports[$((2 * r))]} ops_port=${ports[$((2 * r + 1))]}
  # A replica stops by itself even if this script is killed hard.
  "$tmp/ame2e" replica -addr "127.0.0.1:$app_port" -ops "127.0.0.1:$ops_port" -token "$token" -duration 400s \
    >"$tmp/replica$r.log" 2>&1 &
  pids+=($!)
  "$tmp/ame2e" wait "http://127.0.0.1:$ops_port/livez" 20s
  apps+="${apps:+,}http://127.0.0.1:$app_port"
  opses+="${opses:+,}http://127.0.0.1:$ops_port"
  targets+="${targets:+, }'127.0.0.1:$ops_port'"
  hooks+="
      - url: http://127.0.0.1:$ops_port/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: $token"
done

"$tmp/ame2e" rules -o "$tmp/rules.yml"
timeout 30 promtool check rules "$tmp/rules.yml"

# The fast page (1h/5m) goes to the replicas; the slower tiers, whose
# 30m-and-longer short windows keep firing long after a short fault, go
# nowhere in this check.
cat >"$tmp/alertmanager.yml" <<YAML
route:
  receiver: none
  group_by: [alertname, slo_name]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: replicas
      matchers: ['severity="page"', 'long_window="1h"']
receivers:
  - name: none
  - name: replicas
    webhook_configs:$hooks
YAML
timeout 30 amtool check-config "$tmp/alertmanager.yml" 2>/dev/null || true
timeout 400 prometheus-alertmanager --config.file="$tmp/alertmanager.yml" --storage.path="$tmp/am-data" \
  --web.listen-address="${am#http://}" --cluster.listen-address="" >"$tmp/alertmanager.log" 2>&1 &
pids+=($!)
"$tmp/ame2e" wait "$am/-/ready" 30s

cat >"$tmp/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $tmp/rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${am#http://}']
scrape_configs:
  - job_name: nines
    static_configs:
      - targets: [$targets]
YAML
timeout 400 prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prom-data" \
  --web.listen-address="${prom#http://}" >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
"$tmp/ame2e" wait "$prom/-/ready" 30s

# In the background and waited for, so that a signal reaches the trap at
# once instead of after the check.
timeout 360 "$tmp/ame2e" check -app "$apps" -ops "$opses" -prom "$prom" &
pids+=($!)
wait "$!"
echo "50-alertmanager-e2e: passed"
