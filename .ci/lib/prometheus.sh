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
