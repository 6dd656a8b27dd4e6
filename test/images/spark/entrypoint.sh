#!/bin/bash
# Entrypoint of the Spark stand-in image, written for this repository to behave as the one of
# apache/spark-docker 4.0.1 (the image Spark's Kubernetes backend starts): "driver" runs spark-submit
# in client mode bound to the pod's address, "executor" starts KubernetesExecutorBackend with the
# settings Spark passes in SPARK_* variables, both under tini (as the spark user when started as
# root, with a passwd entry faked through nss_wrapper for an unknown uid); anything else is run as is.
set -eo pipefail

# Spark and Hadoop look the current user up; an arbitrary uid (OpenShift) has no passwd entry.
fake_passwd_entry_if_missing() {
  local uid gid lib
  uid="$(id -u)"
  getent passwd "$uid" &>/dev/null && return 0
  gid="$(id -g)"
  for lib in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so /lib/*/libnss_wrapper.so; do
    [ -s "$lib" ] || continue
    NSS_WRAPPER_PASSWD="$(mktemp)"
    NSS_WRAPPER_GROUP="$(mktemp)"
    export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
    echo "spark:x:$uid:$gid:${SPARK_USER_NAME:-anonymous uid}:$SPARK_HOME:/bin/false" >"$NSS_WRAPPER_PASSWD"
    echo "spark:x:$gid:" >"$NSS_WRAPPER_GROUP"
    return 0
  done
}

# Root steps down to the spark user; any other uid runs as itself.
as_spark() {
  if [ "$(id -u)" -eq 0 ]; then echo gosu spark; fi
}

if [ -z "$JAVA_HOME" ]; then
  JAVA_HOME="$(java -XshowSettings:properties -version 2>&1 >/dev/null | awk '/java.home/ {print $3}')"
fi

# The executor's classpath: Spark's jars, then extra entries, the Hadoop and Spark configuration
# folders in front, and the working directory last (SPARK-43540).
SPARK_CLASSPATH="$SPARK_CLASSPATH:${SPARK_HOME}/jars/*"
executor_java_opts=()
for var in "${!SPARK_JAVA_OPT_@}"; do
  executor_java_opts+=("${!var}")
done
if [ -n "$SPARK_EXTRA_CLASSPATH" ]; then
  SPARK_CLASSPATH="$SPARK_CLASSPATH:$SPARK_EXTRA_CLASSPATH"
fi
if [ -n "${PYSPARK_PYTHON+x}" ]; then export PYSPARK_PYTHON; fi
if [ -n "${PYSPARK_DRIVER_PYTHON+x}" ]; then export PYSPARK_DRIVER_PYTHON; fi
# With a Hadoop installation, its classpath, unless SPARK_DIST_CLASSPATH was given.
if [ -n "${HADOOP_HOME}" ] && [ -z "${SPARK_DIST_CLASSPATH}" ]; then
  SPARK_DIST_CLASSPATH="$("$HADOOP_HOME/bin/hadoop" classpath)"
  export SPARK_DIST_CLASSPATH
fi
if [ -n "${HADOOP_CONF_DIR+x}" ]; then
  SPARK_CLASSPATH="$HADOOP_CONF_DIR:$SPARK_CLASSPATH"
fi
if [ -n "${SPARK_CONF_DIR+x}" ]; then
  SPARK_CLASSPATH="$SPARK_CONF_DIR:$SPARK_CLASSPATH"
elif [ -n "${SPARK_HOME+x}" ]; then
  SPARK_CLASSPATH="$SPARK_HOME/conf:$SPARK_CLASSPATH"
fi
SPARK_CLASSPATH="$SPARK_CLASSPATH:$PWD"

case "$1" in
  driver)
    shift 1
    cmd=(
      "$SPARK_HOME/bin/spark-submit"
      --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS"
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS"
      --deploy-mode client
      "$@"
    )
    ;;
  executor)
    shift 1
    cmd=(
      "${JAVA_HOME}/bin/java"
      "${executor_java_opts[@]}"
      -Xms"$SPARK_EXECUTOR_MEMORY"
      -Xmx"$SPARK_EXECUTOR_MEMORY"
      -cp "$SPARK_CLASSPATH:$SPARK_DIST_CLASSPATH"
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend
      --driver-url "$SPARK_DRIVER_URL"
      --executor-id "$SPARK_EXECUTOR_ID"
      --cores "$SPARK_EXECUTOR_CORES"
      --app-id "$SPARK_APPLICATION_ID"
      --hostname "$SPARK_EXECUTOR_POD_IP"
      --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID"
      --podName "$SPARK_EXECUTOR_POD_NAME"
    )
    ;;
  *)
    # Not a Spark-on-Kubernetes role: run the command as given.
    exec "$@"
    ;;
esac
fake_passwd_entry_if_missing
# tini as PID 1 reaps the JVM's children and forwards signals; -s also when it is not PID 1.
# shellcheck disable=SC2046 # as_spark prints nothing or two words on purpose
exec $(as_spark) /usr/bin/tini -s -- "${cmd[@]}"
