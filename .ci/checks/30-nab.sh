#!/usr/bin/env bash
# NAB check: runs examples/anomaly-benchmark over the development corpus in
# ../shared/nab (beside the clone), then scores the same output files with
# the independent scorer nabscore.py and fails if any profile's NAB score
# (swept threshold, and each detector's own default threshold) differs by
# more than 0.01 points between detect/eval and nabscore.py.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
nab="$root/../shared/nab"
if [ ! -f "$nab/nabscore.py" ] || [ ! -d "$nab/data" ] || [ ! -f "$nab/labels.json" ]; then
  echo "30-nab: FAIL: NAB corpus not found at $nab (want nabscore.py, data/, labels.json)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3 >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"
export PATH="/usr/local/go/bin:$PATH"

go run ./examples/anomaly-benchmark -data "$nab/data" -labels "$nab/labels.json" \
  -out "$out/scores" -json "$out/go.json"

detectors=$(python3 -c 'import json,sys; print(" ".join(r["detector"] for r in json.load(open(sys.argv[1]))))' "$out/go.json")
count=0
for d in $detectors; do
  python3 "$nab/nabscore.py" --data "$nab/data" --labels "$nab/labels.json" \
    --scores "$out/scores/$d" --name "$d" --json "$out/py-$d.json" >/dev/null
  python3 "$nab/nabscore.py" --data "$nab/data" --labels "$nab/labels.json" \
    --scores "$out/scores/$d.anomaly" --name "$d" --threshold 1 --json "$out/py-$d.anomaly.json" >/dev/null
  count=$((count + 1))
done
if [ "$count" -lt 3 ]; then
  echo "30-nab: FAIL: only $count detectors benchmarked, want at least 3" >&2
  exit 1
fi

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
go = json.load(open(out + "/go.json"))
bad = 0
worst = 0.0
print("%-16s %-20s %10s %10s %10s %10s" % ("detector", "profile", "go_sweep", "py_sweep", "go_default", "py_default"))
for rep in go:
    d = rep["detector"]
    py = json.load(open("%s/py-%s.json" % (out, d)))["results"][d]
    pya = json.load(open("%s/py-%s.anomaly.json" % (out, d)))["results"][d]
    for p, fig in sorted(rep["profiles"].items()):
        ps = py[p]["sweep"]["normalized"]
        pd = pya[p]["fixed"]["normalized"]
        print("%-16s %-20s %10.4f %10.4f %10.4f %10.4f" % (d, p, fig["sweep"], ps, fig["default"], pd))
        for a, b, what in ((fig["sweep"], ps, "sweep"), (fig["default"], pd, "default")):
            worst = max(worst, abs(a - b))
            if abs(a - b) > 0.01:
                print("30-nab: FAIL: %s %s %s: detect/eval %.4f vs nabscore.py %.4f" % (d, p, what, a, b))
                bad += 1
print("largest difference: %.3g points" % worst)
sys.exit(1 if bad else 0)
PY
echo "30-nab: detect/eval agrees with nabscore.py within 0.01 for $count detectors"
