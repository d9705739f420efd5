# Sourced by the CI checks that start processes: it makes a temporary
# directory ($tmp) and a list of the processes started ($pids, append with
# pids+=($!)), and on exit stops and reaps them, prints the logs named with
# show_on_failure when the check failed, and removes $tmp.
tmp=$(mktemp -d)
pids=()
failure_logs=()

# show_on_failure TITLE LINES GLOB: on failure, print the last LINES lines
# (0: all) of the files GLOB matches in $tmp, under "--- TITLE".
show_on_failure() {
  failure_logs+=("$1|$2|$3")
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    local entry title lines glob
    for entry in "${failure_logs[@]}"; do
      IFS='|' read -r title lines glob <<<"$entry"
      echo "--- $title"
      if [ "$lines" -eq 0 ]; then
        cat "$tmp"/$glob 2>/dev/null || true
      else
        tail -n "$lines" "$tmp"/$glob 2>/dev/null || true
      fi
    done
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT INT TERM
