#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine (Debian packages, tools built from
# the Go module proxy, PyPI and Maven Central downloads). Each tier owns one script in this folder,
# named NN-<what>.sh; they run in name order. Downloads are cached under $LAKEBENCH_CACHE
# (default: <repo>/.cache), so a second run is quick.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LAKEBENCH_CACHE="${LAKEBENCH_CACHE:-$(cd "$here/../.." && pwd)/.cache}"
mkdir -p "$LAKEBENCH_CACHE"
for script in "$here"/[0-9][0-9]-*.sh; do
  [ -e "$script" ] || continue
  start=$(date +%s)
  echo "[setup] $(basename "$script")"
  bash "$script"
  echo "[setup] $(basename "$script") done in $(( $(date +%s) - start ))s"
done
