#!/usr/bin/env bash
# What the cluster tier's runner test (test/cluster/runner.test.ts) needs besides the images:
#  - the Kubeflow Spark Operator's own Helm chart, copied out of its Go module at the pinned version
#    (the one 70-images.sh builds the controller from), so the test installs the operator exactly as
#    upstream's chart does;
#  - a Maven mirror: every file a Spark driver's Ivy fetches for the runner's packages
#    (cluster/maven-mirror.lock, "sha1 path"), in Maven Central's layout with a .sha1 beside each,
#    downloaded by the host and checked. The test serves it to pods over plain HTTP (the product's
#    cluster.spark.mavenRepository), because pods do not trust this machine's re-signed HTTPS egress.
# Cached under $LAKEBENCH_CACHE/cluster; skipped when the stamps match.
# after: 40-kube.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/engines/lib.sh"
SPARK_OPERATOR_VERSION="v2.5.2" # as 40-kube.sh and 70-images.sh
cache="${LAKEBENCH_CACHE:?}"
out="$cache/cluster"
mkdir -p "$out"
export GOFLAGS=-mod=mod GOWORK=off

chart="$out/spark-operator-chart"
if ! stamp_ok "$chart/Chart.yaml" "$chart.version" "$SPARK_OPERATOR_VERSION"; then
  module_dir="$(go mod download -json "github.com/kubeflow/spark-operator/v2@$SPARK_OPERATOR_VERSION" \
    | python3 -c 'import json,sys; m=json.load(sys.stdin); sys.exit(m["Error"]) if m.get("Error") else print(m["Dir"])')"
  rm -rf "$chart" "$chart.tmp"
  cp -r "$module_dir/charts/spark-operator-chart" "$chart.tmp"
  chmod -R u+w "$chart.tmp"
  mv "$chart.tmp" "$chart"
  echo "$SPARK_OPERATOR_VERSION" >"$chart.version"
fi

lock="$here/cluster/maven-mirror.lock"
mirror="$out/maven"
stamp="$(sha256sum "$lock" | cut -c1-16)"
if ! stamp_ok "$mirror" "$mirror.version" "$stamp"; then
  rm -f "$mirror.version"
  mkdir -p "$mirror"
  grep -vE '^\s*(#|$)' "$lock" | while read -r sha1 path; do
    mkdir -p "$mirror$(dirname "$path")"
    printf '%s %s %s\n' "$MAVEN_CENTRAL$path" "$sha1" "$mirror$path"
  done | xargs -P 4 -L 1 bash -c 'source "$0"; fetch_verified "$1" "$2" "$3" && printf "%s" "$2" >"$3.sha1"' "$here/engines/lib.sh"
  echo "$stamp" >"$mirror.version"
fi
echo "spark-operator chart $SPARK_OPERATOR_VERSION, Maven mirror: $(grep -cvE '^\s*(#|$)' "$lock") files, $(du -sh "$mirror" | cut -f1)"
