#!/usr/bin/env bash
# Maven Central jars: Spark's extra jars and the Iceberg REST catalog server's classpath, each pinned
# with its SHA-1 in a lock file next to this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
jars="${LAKEBENCH_CACHE:?}/jars"
fetch_lockfile "$here/spark-jars.lock" "$jars/spark"
fetch_lockfile "$here/iceberg-rest.lock" "$jars/iceberg-rest"
