#!/usr/bin/env bash
# after: 50-engines.sh
# ruff and mypy, pinned, into the engines venv (installed by 50-engines.sh), where pyspark already
# is: mypy --strict then checks spark-scripts/ against PySpark's own type hints.
set -euo pipefail
venv="${LAKEBENCH_CACHE:?}/venv-engines"
pins="ruff==0.17.5 mypy==2.4.1"
[ -x "$venv/bin/python" ] || { echo "$venv is missing: 50-engines.sh installs it" >&2; exit 1; }
if [ -x "$venv/bin/ruff" ] && [ -x "$venv/bin/mypy" ] && [ "$(cat "$venv/lint-pins" 2>/dev/null)" = "$pins" ]; then exit 0; fi
# shellcheck disable=SC2086 # the pins are a word list on purpose
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir $pins
echo "$pins" > "$venv/lint-pins"
