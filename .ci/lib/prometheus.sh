# Sourced by the CI checks that need a real Prometheus: ensure_prometheus
# installs Debian's prometheus package (prometheus and promtool) when either
# binary is missing. The package's service is never started here: CI has no
# systemd, and the checks start their own server on loopback when they need
# one. Without root it can only say what is missing.
ensure_prometheus() {
  if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "prometheus/promtool not found; install Debian's prometheus package (apt-get install prometheus)" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends prometheus >/dev/null
}

# Prometheus 3, pinned. Debian ships only 2.x, so promtool and prometheus
# 3 are built from the Go module with `go install`, once per machine, into
# a cache outside the clone keyed by version. A cold build takes about 25
# minutes on a loaded 2-core machine (both binaries share one build
# cache); later runs find the binaries and take no time.
PROMETHEUS3_VERSION=v0.316.0
PROMETHEUS3_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/nines/prometheus-$PROMETHEUS3_VERSION"

# ensure_prometheus3 builds (when missing) and prints the directory holding
# promtool and prometheus of Prometheus 3. The build runs under a lock so
# that concurrent checks build once; it is bounded to 40 minutes.
ensure_prometheus3() {
  local dir=$PROMETHEUS3_DIR
  if [ -x "$dir/promtool" ] && [ -x "$dir/prometheus" ]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$dir"
  (
    flock 9
    if [ ! -x "$dir/promtool" ] || [ ! -x "$dir/prometheus" ]; then
      echo "building Prometheus 3 ($PROMETHEUS3_VERSION) into $dir (once per machine)" >&2
      GOBIN="$dir" GOFLAGS=-buildvcs=false timeout 2400 go install \
        "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS3_VERSION" \
        "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS3_VERSION" >&2
    fi
  ) 9>"$dir/.lock"
  [ -x "$dir/promtool" ] && [ -x "$dir/prometheus" ] && echo "$dir"
}
