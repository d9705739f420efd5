#!/usr/bin/env bash
# Runs the soak (examples/soak): a simulated healthy week must raise no page,
# execute no action and at most one anomaly event per endpoint per day; in
# the same week with four faults each fault must page no later than the SRE
# Workbook's alert would, and no page may outlast its fault by more than its
# short window plus one tick. The test simulates 17 million requests, which
# the race detector makes take over ten minutes, so it runs here without
# -race. Prints the tables. Runs locally too: bash .ci/checks/50-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

timeout 900 go test -count=1 -run 'TestSoak|TestWorkbook' -v ./examples/soak
