#!/usr/bin/env bash
# NAB check: runs examples/anomaly-benchmark over the development corpus in
# ../shared/nab (beside the clone), then scores the same output files with
# the independent scorer nabscore.py and fails if any profile's NAB score
# (swept threshold, and each detector's own default threshold) differs by
# more than 0.01 points between detect/eval and nabscore.py. It reports the
# default ensemble's dev score (standard profile, swept), its
# cross-validated scores (each category, and 5 folds of files, scored at the
# threshold swept on the rest) and its default-threshold score, and fails if
# the dev score is below 70 (issue 17's floor; the ensemble scored 70.13
# when this was set, 71.36 after the seasonal pairing, 71.41 after the
# warm-up fixes and 71.90 after the CUSUM's found-shift floor), and if the
# score at the ensemble's own default threshold, the one a service gets, is
# below 48 (it was 50.88 when set, after repeated relative evidence began to
# count as absolute; 38.94 before). It also reports, with no floor, the
# ensemble's score on pieces of 2,000 rows (-pieces: short streams). Last it
# runs TestQuietOnClean, which prints the clean-stream false-alarm table and
# fails if any clean stream type gets more than one alarm per 10,000 points
# at the default threshold.
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

go run ./examples/anomaly-benchmark -nab "$nab" -out "$out/scores" -json "$out/go.json"

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

fail=0
python3 - "$out/go.json" <<'PY' || fail=1
import json, sys
rep = next(r for r in json.load(open(sys.argv[1])) if r["detector"] == "ensemble")
for p in ("standard", "reward_low_FP_rate", "reward_low_FN_rate"):
    f = rep["profiles"][p]
    print("ensemble %-20s dev(sweep) %7.2f  cv(category) %7.2f  cv(5 folds) %7.2f  default %7.2f"
          % (p, f["sweep"], f["cv_category"], f["cv_stream"], f["default"]))
dev = rep["profiles"]["standard"]["sweep"]
default = rep["profiles"]["standard"]["default"]
failed = False
if dev < 70:
    print("30-nab: FAIL: ensemble dev score %.2f (standard, swept) is below 70" % dev)
    failed = True
if default < 48:
    print("30-nab: FAIL: ensemble default-threshold score %.2f (standard) is below 48" % default)
    failed = True
sys.exit(1 if failed else 0)
PY

# Short streams (no floor; tracked for issue 17's generalisation): every
# file cut into pieces of about 2,000 rows, each scored as a file.
go run ./examples/anomaly-benchmark -nab "$nab" -pieces 2000 -detector ensemble \
  -out "$out/pieces" -json "$out/pieces.json" >/dev/null
python3 - "$out/pieces.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))[0]["profiles"]["standard"]
print("ensemble on pieces of 2000 rows, standard: swept %.2f  cv(category) %.2f  cv(5 folds) %.2f  default %.2f"
      % (f["sweep"], f["cv_category"], f["cv_stream"], f["default"]))
PY

echo "30-nab: clean-stream false alarms at the default threshold (goal: at most 1 per 10,000 points)"
go test -count=1 -run '^TestQuietOnClean$' -v ./detect >"$out/clean.txt" 2>&1 || fail=1
grep -v '^=== RUN' "$out/clean.txt"
if [ "$fail" -ne 0 ]; then
  echo "30-nab: FAIL (see above)" >&2
  exit 1
fi
echo "30-nab: ok"
