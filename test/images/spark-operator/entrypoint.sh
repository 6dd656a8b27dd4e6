#!/bin/bash
# Entrypoint of the Spark Operator controller stand-in image, written for this repository to behave as
# upstream's entrypoint.sh (kubeflow/spark-operator v2.5.2): give an arbitrary uid a passwd entry
# through nss_wrapper (spark-submit looks the user up), then run the operator under tini with the
# container's arguments (e.g. "controller start ...", "webhook start ...").
set -ex
uid="$(id -u)"
if ! getent passwd "$uid" &>/dev/null; then
  for lib in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so /lib/*/libnss_wrapper.so; do
    [ -s "$lib" ] || continue
    NSS_WRAPPER_PASSWD="$(mktemp)"
    NSS_WRAPPER_GROUP="$(mktemp)"
    export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
    gid="$(id -g)"
    echo "spark:x:$uid:$gid:${SPARK_USER_NAME:-anonymous uid}:$SPARK_HOME:/bin/false" >"$NSS_WRAPPER_PASSWD"
    echo "spark:x:$gid:" >"$NSS_WRAPPER_GROUP"
    break
  done
fi
exec /usr/bin/tini -s -- /usr/bin/spark-operator "$@"
