#!/usr/bin/env bash
# Checks the Prometheus rules that exporters.PrometheusRules generates, with
# a real promtool: `promtool check rules` (syntax and lint) and
# `promtool test rules` (exporters/testdata/rules_test.yml: a known outage
# stream from two replicas, asserting SLIs, burn rates, budget and alert
# firing/resolution). Installs Debian's prometheus package when promtool is
# missing (bookworm ships 2.42, which the rules are written to work with as
# well as Prometheus 3). Runs locally too: bash .ci/checks/20-promtool.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

# shellcheck source=../lib/prometheus.sh
. .ci/lib/prometheus.sh
ensure_prometheus
promtool --version 2>&1 | head -1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Generate the rules fresh (not the committed copy) next to the test file.
timeout 300 go run ./exporters/internal/genrules -o "$tmp/rules.yml"
cp exporters/testdata/rules_test.yml "$tmp/"
timeout 120 promtool check rules "$tmp/rules.yml"
timeout 300 promtool test rules "$tmp/rules_test.yml"
