# Smoke checks of the stand-in images, sourced by test/setup/70-images.sh after an image is (re)built.
# Each runs the image's own entrypoint or launcher, as the user the chart runs it as, and fails the
# setup when the image does not behave as upstream's does. Uses run_image and config_of from there;
# the scripts in checks/ run inside the containers.
checks_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/checks"

# expect_config <ref> <go template> <expected>: one field of the image's OCI config.
expect_config() {
  local got
  got="$(config_of "$1" "$2")"
  if [ "$got" != "$3" ]; then
    echo "check failed: $1 $2 is '$got', expected '$3'" >&2
    return 1
  fi
}

# PostgreSQL: initdb with POSTGRES_* into the chart's PGDATA as uid 999, a password login over TCP
# into POSTGRES_DB, SIGINT stops it cleanly; an empty password is refused before initdb.
check_postgres() {
  local ref="$1"
  expect_config "$ref" '.OCIv1.Config.User' ''
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[docker-entrypoint.sh]'
  expect_config "$ref" '.OCIv1.Config.Cmd' '[postgres]'
  expect_config "$ref" '.OCIv1.Config.StopSignal' 'SIGINT'
  run_image "$ref" 999:999 -e POSTGRES_USER=lakebench -e POSTGRES_PASSWORD=s3cret -e POSTGRES_DB=lakebench \
    -e PGDATA=/var/lib/postgresql/data/pgdata -v "$checks_dir:/checks:ro" -- bash /checks/postgres.sh
  local out
  if out="$(run_image "$ref" 999:999 -e PGDATA=/tmp/empty -- docker-entrypoint.sh postgres 2>&1)"; then
    echo "check failed: $ref started without POSTGRES_PASSWORD" >&2
    return 1
  fi
  grep -q 'superuser password is not specified' <<<"$out"
  echo "postgres: checked (initdb, password login over TCP as uid 999, scram for remote hosts, SIGINT stop, missing password refused)"
}

# node: the entrypoint hands flags and scripts to node; node, npm and yarn are the pinned versions.
check_node() {
  local ref="$1" out
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[docker-entrypoint.sh]'
  expect_config "$ref" '.OCIv1.Config.Cmd' '[node]'
  out="$(run_image "$ref" 1000:1000 -- docker-entrypoint.sh -p 'process.version + " " + require("os").userInfo().username')"
  [ "$out" = "v$(config_of "$ref" '.OCIv1.Config.Env' | tr ' []' '\n' | sed -n 's/^NODE_VERSION=//p') node" ] \
    || { echo "check failed: node printed '$out'" >&2; return 1; }
  run_image "$ref" 1000:1000 -- sh -c 'npm --version && npx --version && yarn --version && corepack --version' >/dev/null
  echo "node: checked (entrypoint → node as uid 1000, npm/npx/yarn/corepack run)"
}

# runner: the image's entrypoint (lakebench) as its own user 10001 runs the CLI from the sources
# through tsx with the production dependencies, including DuckDB's native binding: a datagen at
# scale 0.01 whose data fingerprint must equal the one this checkout computes on the host.
check_runner() {
  local ref="$1" in_image on_host host_out
  expect_config "$ref" '.OCIv1.Config.User' '10001:10001'
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[lakebench]'
  run_image "$ref" - -e HOME=/tmp -- lakebench recommend --scale 1 | grep -q 'batch requirement'
  in_image="$(run_image "$ref" - -e HOME=/tmp -- lakebench generate --scale 0.01 --output /tmp/lb 2>&1 | grep -o 'sha256:[0-9a-f]*')"
  [ -n "$in_image" ] || { echo "check failed: no data fingerprint from the runner image" >&2; return 1; }
  if [ -d "$repo/node_modules/tsx" ]; then
    host_out="$(mktemp -d)"
    on_host="$(node "$repo/bin/lakebench.cjs" generate --scale 0.01 --output "$host_out" 2>&1 | grep -o 'sha256:[0-9a-f]*')"
    rm -rf "$host_out"
    [ "$in_image" = "$on_host" ] || { echo "check failed: fingerprint $in_image in the image, $on_host on the host" >&2; return 1; }
  fi
  echo "runner: checked (lakebench recommend, datagen at scale 0.01 as uid 10001, fingerprint $in_image as on the host)"
}

# Trino: run-trino (the image's command) as uid 1000 starts a coordinator from the /etc/trino it is
# given; the CLI at /usr/bin/trino queries it.
check_trino() {
  local ref="$1" etc
  expect_config "$ref" '.OCIv1.Config.User' 'trino:trino'
  expect_config "$ref" '.OCIv1.Config.Cmd' '[/usr/lib/trino/bin/run-trino]'
  etc="$(mktemp -d)"
  local port=$((20000 + RANDOM % 20000))
  printf 'coordinator=true\nnode-scheduler.include-coordinator=true\nhttp-server.http.port=%s\ndiscovery.uri=http://127.0.0.1:%s\n' "$port" "$port" >"$etc/config.properties"
  printf 'node.environment=check\nnode.data-dir=/data/trino\n' >"$etc/node.properties"
  printf '%s\n' -Xmx768m -XX:+ExitOnOutOfMemoryError -Djdk.attach.allowAttachSelf=true >"$etc/jvm.config"
  chmod -R a+rX "$etc"
  run_image "$ref" 1000:1000 -v "$etc:/etc/trino:ro" -v "$checks_dir:/checks:ro" -e "PORT=$port" -e HOSTNAME=trino-check -- bash /checks/trino.sh
  rm -rf "$etc"
  echo "trino: checked (run-trino as uid 1000, /v1/info ready, trino CLI query)"
}

# Spark: the entrypoint's driver mode (spark-submit in client mode, under tini) runs a PySpark job
# as uid 185 with the image's Java 17 and python3; pass-through mode runs other commands as given.
check_spark() {
  local ref="$1" out
  expect_config "$ref" '.OCIv1.Config.User' 'spark'
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[/opt/entrypoint.sh]'
  expect_config "$ref" '.OCIv1.Config.WorkingDir' '/opt/spark/work-dir'
  out="$(run_image "$ref" - -- /opt/entrypoint.sh id -u)"
  [ "$out" = 185 ] || { echo "check failed: spark runs as uid '$out'" >&2; return 1; }
  # SPARK_LOCAL_IP: the build container's host name is in no /etc/hosts (a pod's is, by kubelet).
  out="$(run_image "$ref" - -v "$checks_dir:/checks:ro" -e SPARK_DRIVER_BIND_ADDRESS=127.0.0.1 -e SPARK_LOCAL_IP=127.0.0.1 -- \
    /opt/entrypoint.sh driver --master 'local[1]' --conf spark.ui.enabled=false /checks/spark-job.py 2>&1)" || true
  grep -q '^spark-check: sum=4950 user=spark java=17' <<<"$out" \
    || { echo "check failed: the PySpark job printed:" >&2; tail -n 40 <<<"$out" >&2; return 1; }
  echo "spark: checked (driver mode runs a PySpark job as uid 185 on Java 17)"
}

# Hive Metastore: the image's entrypoint (sh -c /entrypoint.sh) as uid 1000 initialises the schema
# (upstream's default Derby) through Hive's schematool and starts the metastore through bin/hive,
# which then accepts Thrift connections; bin/hive rejects an option the metastore does not know
# (e.g. --skiponinit) as Hive 4.0.1's does.
check_hive() {
  local ref="$1"
  expect_config "$ref" '.OCIv1.Config.User' 'hive'
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[sh -c /entrypoint.sh]'
  expect_config "$ref" '.OCIv1.Config.WorkingDir' '/opt/hive'
  run_image "$ref" 1000:1000 -v "$checks_dir:/checks:ro" -e SERVICE_NAME=metastore \
    -e "METASTORE_PORT=$((20000 + RANDOM % 20000))" -e HADOOP_CLIENT_OPTS=-Djava.io.tmpdir=/tmp -- bash /checks/hive.sh
  echo "hive: checked (schematool on Derby, metastore up through bin/hive as uid 1000, --skiponinit refused)"
}

# Spark Operator: the entrypoint runs the operator binary (built at the pinned version) under tini
# as 185:185, with spark-submit from the Spark image on the PATH.
check_spark_operator() {
  local ref="$1" out
  expect_config "$ref" '.OCIv1.Config.User' '185:185'
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[/usr/bin/entrypoint.sh]'
  out="$(run_image "$ref" - -- /usr/bin/entrypoint.sh version --short 2>/dev/null)"
  grep -qx "Git Version: $SPARK_OPERATOR_VERSION" <<<"$out" || { echo "check failed: operator version: $out" >&2; return 1; }
  # SPARK_LOCAL_IP: the build container's host name is in no /etc/hosts (a pod's is, by kubelet).
  out="$(run_image "$ref" - -e SPARK_LOCAL_IP=127.0.0.1 -- sh -c 'echo "$(id -u):$(id -g)"; "$SPARK_HOME/bin/spark-submit" --version' 2>&1)" || true
  grep -qx '185:185' <<<"$out" && grep -q 'version 4.0.1' <<<"$out" \
    || { echo "check failed: spark-submit in the operator image:" >&2; tail -n 20 <<<"$out" >&2; return 1; }
  out="$(run_image "$ref" - -- /usr/bin/entrypoint.sh controller start --help 2>&1)"
  grep -q -- '--namespaces' <<<"$out" || { echo "check failed: operator 'controller start --help': $out" >&2; return 1; }
  echo "spark-operator: checked (entrypoint → tini → spark-operator $SPARK_OPERATOR_VERSION as 185:185, spark-submit runs)"
}

# python: as a non-root uid (the chart's 10001) with a read-only view of a script, the stdlib the
# chart's scripts import (ssl, urllib, xml, hashlib) loads on Python 3.13.
check_python() {
  local ref="$1" out
  expect_config "$ref" '.OCIv1.Config.Cmd' '[python3]'
  out="$(run_image "$ref" 10001:10001 -e PYTHONDONTWRITEBYTECODE=1 -- python3 -c \
    'import ssl, urllib.request, xml.etree.ElementTree, hashlib, hmac, json, socket, sys; print("%d.%d" % sys.version_info[:2], ssl.OPENSSL_VERSION.split()[0])')"
  [ "$out" = "3.13 OpenSSL" ] || { echo "check failed: python printed '$out'" >&2; return 1; }
  echo "python: checked (python3 3.13 with the chart scripts' stdlib modules as uid 10001)"
}

# Prometheus: upstream's entrypoint, command, user and working directory; as that user (nobody,
# 65534: the chart's uid) the binaries are the pinned release, promtool accepts the bundled example
# configuration, and the server keeps its TSDB in /prometheus, scrapes itself and stops cleanly.
check_prometheus() {
  local ref="$1"
  expect_config "$ref" '.OCIv1.Config.User' 'nobody'
  expect_config "$ref" '.OCIv1.Config.Entrypoint' '[/bin/prometheus]'
  expect_config "$ref" '.OCIv1.Config.Cmd' '[--config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus]'
  expect_config "$ref" '.OCIv1.Config.WorkingDir' '/prometheus'
  run_image "$ref" - -v "$checks_dir:/checks:ro" -e "VERSION=${ref##*:v}" -e "PORT=$((20000 + RANDOM % 20000))" -- sh /checks/prometheus.sh
  echo "prometheus: checked (version ${ref##*:v} as nobody 65534, promtool check config, self-scrape up into /prometheus, SIGTERM exit 0)"
}
