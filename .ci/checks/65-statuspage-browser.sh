#!/usr/bin/env bash
# The status page as a person sees it: builds examples/quickstart, runs its
# story (a 60s run: the inventory fails, the breaker opens, a page alert
# fires, a shed action is executed, the inventory recovers) on loopback,
# and opens /statusz in headless Chromium (Debian's chromium, installed
# with apt-get when missing) twice: during the fault, once the shed action
# is executed, and after recovery, once the breaker closed again. Each time
# it writes a phone-width screenshot and the DOM under $ARTIFACTS
# (default /tmp/nines-ci-artifacts/statuspage), checks the DOM for the
# expected sections and values (during: Failing, the firing page alert, the
# breaker not closed, the active shed action; after: the breaker closed,
# the check passing) and checks that the browser logged no console error
# (a script error, a blocked resource, a CSP violation). Bounded (every
# step has a timeout), loopback only, stops what it started on any exit.
# Runs locally: bash .ci/checks/65-statuspage-browser.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"

out="${ARTIFACTS:-/tmp/nines-ci-artifacts}/statuspage"
mkdir -p "$out"

if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet.
  timeout 600 $sudo apt-get update -qq
  timeout 900 $sudo apt-get install -y -q chromium >/dev/null
fi
chromium --version

. .ci/lib/procs.sh
show_on_failure "quickstart output" 0 "story.log"

fail() { echo "65-statuspage-browser: FAIL: $*" >&2; exit 1; }

timeout 300 go build -o "$tmp/quickstart" ./examples/quickstart
"$tmp/quickstart" -duration 60s -addr 127.0.0.1:0 -ops 127.0.0.1:0 >"$tmp/story.log" 2>&1 &
pids+=("$!")

# wait_for PATTERN SECONDS: until the story's log has a line matching it.
wait_for() {
  local i
  for i in $(seq $(($2 * 10))); do
    grep -qE "$1" "$tmp/story.log" && return 0
    sleep 0.1
  done
  fail "no line matching '$1' within $2s"
}

wait_for 'ops endpoints: curl http://127\.0\.0\.1:[0-9]+/statusz' 30
ops=$(sed -n 's|.*ops endpoints: curl \(http://127\.0\.0\.1:[0-9]*\)/statusz.*|\1|p' "$tmp/story.log" | head -n 1)

# shoot NAME: a phone-width screenshot and the DOM of /statusz, and the
# browser's console errors. Chromium is given its own profile and killed
# by timeout if it hangs.
shoot() {
  local name=$1 flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile-$1"
    --enable-logging=stderr --v=0 --window-size=412,2400)
  timeout 60 chromium "${flags[@]}" --screenshot="$out/$name.png" "$ops/statusz" 2>"$tmp/$name-shot.err" >/dev/null ||
    fail "$name: chromium screenshot failed: $(tail -n 5 "$tmp/$name-shot.err")"
  timeout 60 chromium "${flags[@]}" --dump-dom "$ops/statusz" >"$out/$name.html" 2>"$tmp/$name-dom.err" ||
    fail "$name: chromium --dump-dom failed: $(tail -n 5 "$tmp/$name-dom.err")"
  if grep -hE 'CONSOLE|Uncaught|Refused to|Content Security Policy|Failed to load resource' \
    "$tmp/$name-shot.err" "$tmp/$name-dom.err"; then
    fail "$name: the browser logged console errors (above)"
  fi
  [ -s "$out/$name.png" ] || fail "$name: no screenshot"
}

# has NAME TEXT...: the DOM of NAME contains every TEXT (fixed strings).
has() {
  local name=$1 text
  shift
  for text in "$@"; do
    grep -qF -- "$text" "$out/$name.html" || fail "$name: the page lacks '$text'"
  done
}

wait_for 'REMEDIATE +shed-on-page: .* executed' 45
shoot during
has during '<h1 class="banner failing">Failing</h1>' 'id="slos"' 'id="dependencies"' 'id="health"' \
  'id="anomalies"' 'id="remediation"' 'page alert route:GET:products.id:availability' \
  '<tr class="action"><td>shed_below_normal</td>'
grep -qE 'class="card dep breaker-(open|half_open)"' "$out/during.html" ||
  fail "during: the inventory's breaker is not shown open"

wait_for 'breaker client:inventory: half_open -> closed' 45
wait_for 'check inventory: fail -> pass' 10
shoot after
has after 'class="card dep breaker-closed"' '<td>inventory</td><td class="ok">pass</td>'

echo "65-statuspage-browser: ok; screenshots and DOM in $out (during.png, after.png)"
