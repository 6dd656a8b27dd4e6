#!/usr/bin/env bash
# A Java 17 or 21 runtime for Spark 4.0 and the Iceberg REST catalog server (Spark 4.0 supports only
# those two). Uses one already installed, else Debian's OpenJDK 17. Prints its JAVA_HOME.
set -euo pipefail
major_of() { "$1/bin/java" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1; }
pick() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v java >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    case "$(major_of "$home")" in 17|21) echo "$home"; return 0;; esac
  done
  return 1
}
if ! pick >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >&2
fi
pick || { echo "no Java 17 or 21 found or installable" >&2; exit 1; }
