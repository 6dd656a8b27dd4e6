#!/bin/bash
# Entrypoint of the Hive stand-in image, written for this repository to behave as apache/hive
# 4.0.1's /entrypoint.sh (packaging/src/docker/entrypoint.sh): unless IS_RESUME=true, initialise or
# upgrade the metastore schema of DB_DRIVER (default derby) with schematool; link the files of
# HIVE_CUSTOM_CONF_DIR into the configuration folder; add -Xmx1G and SERVICE_OPTS to
# HADOOP_CLIENT_OPTS; then start SERVICE_NAME (metastore or hiveserver2) through bin/hive with
# --skiphadoopversion --skiphbasecp. VERBOSE=true adds --verbose.
set -x
: "${DB_DRIVER:=derby}"
skip_schema_init="${IS_RESUME:-false}"
if [[ "$VERBOSE" = "true" ]]; then verbose_mode="--verbose"; else verbose_mode=""; fi

initialize_hive() {
  local command="-initOrUpgradeSchema"
  # Before Hive 4 there was no -initOrUpgradeSchema.
  if [ "$(echo "$HIVE_VER" | cut -d '.' -f1)" -lt 4 ]; then
    command="-${SCHEMA_COMMAND:-initSchema}"
  fi
  # shellcheck disable=SC2086 # verbose_mode is empty or one word
  if "$HIVE_HOME/bin/schematool" -dbType "$DB_DRIVER" "$command" $verbose_mode; then
    echo "Initialized schema successfully.."
  else
    echo "Schema initialization failed!"
    exit 1
  fi
}

export HIVE_CONF_DIR="$HIVE_HOME/conf"
if [ -d "${HIVE_CUSTOM_CONF_DIR:-}" ]; then
  find "$HIVE_CUSTOM_CONF_DIR" -type f -exec ln -sfn {} "$HIVE_CONF_DIR"/ \;
  export HADOOP_CONF_DIR="$HIVE_CONF_DIR"
  export TEZ_CONF_DIR="$HIVE_CONF_DIR"
fi

export HADOOP_CLIENT_OPTS="$HADOOP_CLIENT_OPTS -Xmx1G $SERVICE_OPTS"
if [[ "$skip_schema_init" == "false" ]]; then
  initialize_hive
fi

# shellcheck disable=SC2086 # verbose_mode is empty or one word
if [ "$SERVICE_NAME" == "hiveserver2" ]; then
  export HADOOP_CLASSPATH="$TEZ_HOME/*:$TEZ_HOME/lib/*:$HADOOP_CLASSPATH"
  exec "$HIVE_HOME/bin/hive" --skiphadoopversion --skiphbasecp --service "$SERVICE_NAME"
elif [ "$SERVICE_NAME" == "metastore" ]; then
  export METASTORE_PORT="${METASTORE_PORT:-9083}"
  exec "$HIVE_HOME/bin/hive" --skiphadoopversion --skiphbasecp $verbose_mode --service "$SERVICE_NAME"
fi
