#!/usr/bin/env bash
# Entrypoint of the PostgreSQL stand-in image, written for this repository to behave as the official
# image's docker-entrypoint.sh (docker-library/postgres, 17.6): on an empty $PGDATA it runs initdb
# for $POSTGRES_USER with $POSTGRES_PASSWORD, opens host connections with the server's password
# method, creates $POSTGRES_DB, runs /docker-entrypoint-initdb.d/*, then execs the server. Root
# steps down to the postgres user; an unknown uid gets a passwd entry through nss_wrapper. Every
# POSTGRES_* setting may come from a file named by <VAR>_FILE. Sourcing this file only defines the
# functions (docker-ensure-initdb.sh builds on them).
set -Eeo pipefail

# load_env_or_file VAR [default]: VAR from the environment, else from the file named by VAR_FILE.
load_env_or_file() {
  local name="$1" file_name="${1}_FILE" value="${2:-}"
  if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
    echo >&2 "error: both $name and $file_name are set (but are exclusive)"
    exit 1
  fi
  if [ -n "${!name:-}" ]; then
    value="${!name}"
  elif [ -n "${!file_name:-}" ]; then
    value="$(<"${!file_name}")"
  fi
  export "$name"="$value"
  unset "$file_name"
}

docker_setup_env() {
  load_env_or_file POSTGRES_PASSWORD
  load_env_or_file POSTGRES_USER postgres
  load_env_or_file POSTGRES_DB "$POSTGRES_USER"
  load_env_or_file POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  declare -g DATABASE_ALREADY_EXISTS="${DATABASE_ALREADY_EXISTS:-}"
  declare -ag OLD_DATABASES=()
  # PG_VERSION is the file every initialised data directory has.
  if [ -s "$PGDATA/PG_VERSION" ]; then
    DATABASE_ALREADY_EXISTS=true
  elif [ "$PGDATA" = "/var/lib/postgresql/$PG_MAJOR/docker" ]; then
    local dir
    for dir in /var/lib/postgresql /var/lib/postgresql/data /var/lib/postgresql/*/docker; do
      if [ -s "$dir/PG_VERSION" ]; then OLD_DATABASES+=("$dir"); fi
    done
  fi
}

# Data, socket and WAL directories; as root, also handed to the postgres user.
docker_create_db_directories() {
  mkdir -p "$PGDATA"
  # Failures ignored: a mounted volume may refuse chmod, and PostgreSQL itself reports bad modes.
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    if [ "$(id -u)" = 0 ]; then find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +; fi
    chmod 700 "$POSTGRES_INITDB_WALDIR"
  fi
  if [ "$(id -u)" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

# initdb refuses to run for a uid without a passwd entry: fake one with nss_wrapper if needed.
with_passwd_entry() {
  local uid gid lib
  uid="$(id -u)"
  getent passwd "$uid" &>/dev/null && return 0
  gid="$(id -g)"
  for lib in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so /lib/*/libnss_wrapper.so; do
    [ -s "$lib" ] || continue
    NSS_WRAPPER_PASSWD="$(mktemp)"
    NSS_WRAPPER_GROUP="$(mktemp)"
    export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
    echo "postgres:x:$uid:$gid:PostgreSQL:$PGDATA:/bin/false" >"$NSS_WRAPPER_PASSWD"
    echo "postgres:x:$gid:" >"$NSS_WRAPPER_GROUP"
    return 0
  done
}

without_passwd_entry() {
  if [[ "${LD_PRELOAD:-}" == */libnss_wrapper.so ]]; then
    rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
    unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
  fi
}

docker_init_database_dir() {
  with_passwd_entry
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
  fi
  # POSTGRES_INITDB_ARGS is a shell word list (quotes allowed), hence eval. The password file gets a
  # trailing newline because initdb rejects an empty one.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
  without_passwd_entry
}

# A new database needs a superuser password, unless the operator chose trust on purpose.
docker_verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'MSG'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser (or POSTGRES_PASSWORD_FILE naming a file that holds it).

       POSTGRES_HOST_AUTH_METHOD=trust allows every connection without a
       password instead. This is *not* recommended.
MSG
    exit 1
  fi
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    echo >&2 "WARNING: POSTGRES_HOST_AUTH_METHOD is \"trust\": every host connection is accepted without a password."
  fi
}

docker_error_old_databases() {
  if [ "${#OLD_DATABASES[@]}" -gt 0 ]; then
    echo >&2 "Error: $PGDATA is empty but PostgreSQL data exists in: ${OLD_DATABASES[*]} (upgrade it with pg_upgrade, or point PGDATA at it)."
    exit 1
  fi
}

# psql against the temporary server, on its Unix socket, as $POSTGRES_USER in $POSTGRES_DB.
docker_process_sql() {
  local psql_cmd=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ -n "$POSTGRES_DB" ]; then psql_cmd+=(--dbname "$POSTGRES_DB"); fi
  PGHOST= PGHOSTADDR= "${psql_cmd[@]}" "$@"
}

# The init files, by extension: *.sh run when executable and sourced otherwise, SQL (plain or
# compressed) fed to psql, anything else ignored.
docker_process_init_files() {
  psql=(docker_process_sql) # kept for *.sh files that expect it
  echo
  local f
  for f; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "$0: running $f"; docker_process_sql -f "$f"; echo ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | docker_process_sql; echo ;;
      *.sql.xz) echo "$0: running $f"; xzcat "$f" | docker_process_sql; echo ;;
      *.sql.zst) echo "$0: running $f"; zstd -dc "$f" | docker_process_sql; echo ;;
      *) echo "$0: ignoring $f" ;;
    esac
    echo
  done
}

docker_setup_db() {
  local exists
  exists="$(POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'db' ;")"
  if [ -z "$exists" ]; then
    POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
    echo
  fi
}

# Host connections from anywhere, with the method the server encrypts passwords with (scram-sha-256
# unless configured otherwise) or $POSTGRES_HOST_AUTH_METHOD. Arguments: the server's.
pg_setup_hba_conf() {
  if [ "${1:-}" = postgres ]; then shift; fi
  : "${POSTGRES_HOST_AUTH_METHOD:=$(postgres -C password_encryption "$@")}"
  {
    echo
    if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then echo '# warning: trust is enabled for all connections'; fi
    echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
}

# A server on the Unix socket only, for the initialisation steps. Arguments: the server's.
docker_temp_server_start() {
  if [ "${1:-}" = postgres ]; then shift; fi
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  NOTIFY_SOCKET= PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

docker_temp_server_stop() {
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

# Arguments that make the server print something and exit need no data directory.
_pg_want_help() {
  local arg
  for arg; do
    case "$arg" in -'?' | --help | --describe-config | -V | --version) return 0 ;; esac
  done
  return 1
}

# Initialises an empty data directory (the steps shared with docker-ensure-initdb.sh).
docker_initialize() {
  docker_verify_minimum_env
  docker_error_old_databases
  ls /docker-entrypoint-initdb.d/ >/dev/null # fail early when the init folder is unreadable
  docker_init_database_dir
  pg_setup_hba_conf "$@"
  # psql may need the password when POSTGRES_INITDB_ARGS made local connections authenticate.
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  docker_temp_server_start "$@"
  docker_setup_db
  docker_process_init_files /docker-entrypoint-initdb.d/*
  docker_temp_server_stop
  unset PGPASSWORD
}

_main() {
  # Only flags: they are the server's.
  if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
  fi
  if [ "$1" = postgres ] && ! _pg_want_help "$@"; then
    docker_setup_env
    docker_create_db_directories
    if [ "$(id -u)" = 0 ]; then
      exec gosu postgres "${BASH_SOURCE[0]}" "$@"
    fi
    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      docker_initialize "$@"
      printf '\nPostgreSQL init process complete; ready for start up.\n\n'
    else
      printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
    fi
  fi
  exec "$@"
}

# Run, unless sourced (then only the functions above are defined).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _main "$@"
fi
