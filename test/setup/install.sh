#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine (Debian packages, tools built from
# the Go module proxy, PyPI and Maven Central downloads). Each tier owns one script in this folder,
# named NN-<what>.sh. 10-apt.sh runs first and alone (dpkg takes a lock); the others then run in
# parallel, because the long ones are either network-bound downloads or a Go build, and overlap
# well. A script that needs another's result says so in one line `# after: NN-other.sh` per script and starts
# when those have finished. Downloads are cached under $LAKEBENCH_CACHE (default: <repo>/.cache),
# so a second run is quick.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LAKEBENCH_CACHE="${LAKEBENCH_CACHE:-$(cd "$here/../.." && pwd)/.cache}"
mkdir -p "$LAKEBENCH_CACHE/setup-logs"

run_one() {
  local script="$1" start
  start=$(date +%s)
  if bash "$script" >"$LAKEBENCH_CACHE/setup-logs/$(basename "$script").log" 2>&1; then
    echo "[setup] $(basename "$script") done in $(( $(date +%s) - start ))s"
  else
    echo "[setup] $(basename "$script") FAILED after $(( $(date +%s) - start ))s; last lines of its log:"
    tail -n 40 "$LAKEBENCH_CACHE/setup-logs/$(basename "$script").log"
    return 1
  fi
}

run_one "$here/10-apt.sh"
declare -A pid_of
pids=()
for script in "$here"/[0-9][0-9]-*.sh; do
  name="$(basename "$script")"
  [ "$name" = "10-apt.sh" ] && continue
  # A script waits for every script it names on an `# after: NN-name.sh` line.
  deps=()
  for after in $(sed -nE 's/^# after: ([0-9][0-9]-[a-z0-9-]+\.sh)$/\1/p' "$script"); do
    deps+=("${pid_of[$after]:?$name waits for $after, which must sort before it}")
  done
  if [ "${#deps[@]}" -gt 0 ]; then
    ( for dep in "${deps[@]}"; do while kill -0 "$dep" 2>/dev/null; do sleep 1; done; done; run_one "$script" ) &
  else
    run_one "$script" &
  fi
  pid_of[$name]=$!
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
