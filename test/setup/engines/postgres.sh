#!/usr/bin/env bash
# PostgreSQL server binaries from Debian (the Iceberg catalog's JDBC backend). The tests run initdb and
# postgres themselves in a temporary directory, so any cluster the package creates is never used.
# Prints the directory holding initdb/postgres.
set -euo pipefail
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(find_bin)" ] || [ ! -x "$(find_bin)/initdb" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi
bin="$(find_bin)"
[ -x "$bin/initdb" ] && [ -x "$bin/postgres" ] || { echo "PostgreSQL binaries not found after install" >&2; exit 1; }
# Root may not run postgres: the harness then drops to the 'postgres' user the package creates.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "running as root but no 'postgres' user exists to run the server" >&2; exit 1
fi
echo "$bin"
