#!/usr/bin/env bash
# Checks the Prometheus rules that exporters.PrometheusRules generates, with
# a real promtool of both major versions: Debian's 2.42 (installed when
# missing) and Prometheus 3 (v0.316.0, built once per machine into a cache,
# see .ci/lib/prometheus.sh). For each: `promtool check rules` (syntax and
# lint) and `promtool test rules` on exporters/testdata/rules_test.yml (an
# outage stream from two replicas with a restart, and a low-traffic stream
# the guard keeps silent: SLIs, burn rates, budget, alert firing and
# resolution at every minute) and rules_gap_test.yml (a 55-second outage
# between scrapes at :30 with evaluations at :00, which must page).
# Runs locally too: bash .ci/checks/20-promtool.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

# shellcheck source=../lib/prometheus.sh
. .ci/lib/prometheus.sh
ensure_prometheus
prom3=$(ensure_prometheus3)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Generate the rules fresh (not the committed copy) next to the tests.
timeout 300 go run ./exporters/internal/genrules -o "$tmp/rules.yml"
cp exporters/testdata/rules_test.yml exporters/testdata/rules_gap_test.yml "$tmp/"
for promtool in promtool "$prom3/promtool"; do
  echo "--- $("$promtool" --version 2>&1 | head -1)"
  timeout 120 "$promtool" check rules "$tmp/rules.yml"
  (cd "$tmp" && timeout 300 "$promtool" test rules rules_test.yml rules_gap_test.yml)
done
