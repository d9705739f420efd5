#!/usr/bin/env bash
# Log-template check: runs examples/log-benchmark over the Loghub-2k
# development corpus in ../shared/loghub (beside the clone; never copied
# into the repository: its licence is research use only), prints its table,
# then scores the same prediction files with the corpus' independent scorer
# logscore.py and fails if any dataset's GA, FGA, PA or FTA, or the
# average, differs by more than 1e-9 between the Go port and logscore.py.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
loghub="$root/../shared/loghub"
if [ ! -f "$loghub/logscore.py" ] || [ ! -d "$loghub/data" ]; then
  echo "60-log-benchmark: FAIL: Loghub corpus not found at $loghub (want logscore.py, data/)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3 >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"
export PATH="/usr/local/go/bin:$PATH"

go run ./examples/log-benchmark -corpus "$loghub" -out "$out/pred" -json "$out/go.json"
python3 "$loghub/logscore.py" --data "$loghub/data" --pred "$out/pred" --json > "$out/py.json"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
go = json.load(open(out + "/go.json"))
py = json.load(open(out + "/py.json"))
bad, worst = 0, 0.0
gd = {d["dataset"]: d for d in go["datasets"]}
pd = {d["dataset"]: d for d in py["datasets"]}
if sorted(gd) != sorted(pd):
    print("60-log-benchmark: FAIL: datasets differ: go %s, logscore.py %s" % (sorted(gd), sorted(pd)))
    sys.exit(1)
rows = [(name, gd[name], pd[name]) for name in sorted(pd)] + [("average", go["average"], py["average"])]
for name, g, p in rows:
    for m in ("GA", "FGA", "PA", "FTA"):
        d = abs(g[m] - p[m])
        worst = max(worst, d)
        if d > 1e-9:
            print("60-log-benchmark: FAIL: %s %s: Go %.12f vs logscore.py %.12f" % (name, m, g[m], p[m]))
            bad += 1
print("largest Go/logscore.py difference: %.3g" % worst)
sys.exit(1 if bad else 0)
PY
echo "60-log-benchmark: the Go scorer agrees with logscore.py within 1e-9 on every dataset"
