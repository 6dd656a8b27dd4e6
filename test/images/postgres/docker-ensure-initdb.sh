#!/usr/bin/env bash
# docker-ensure-initdb.sh / docker-enforce-initdb.sh of the PostgreSQL stand-in image, written for
# this repository after the official image's scripts of the same names: initialise $PGDATA as the
# entrypoint would, without starting the server afterwards. Under the "ensure" name an existing
# database is fine (exit 0, e.g. as an init container); under the "enforce" name it is an error.
set -Eeuo pipefail
source /usr/local/bin/docker-entrypoint.sh

# Arguments are the server's, as for the entrypoint.
if [ "$#" -eq 0 ] || [ "$1" != postgres ]; then
  set -- postgres "$@"
fi
docker_setup_env
docker_create_db_directories
if [ "$(id -u)" = 0 ]; then
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi
if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
  docker_initialize "$@"
  exit 0
fi
self="$(basename "$0")"
case "$self" in
  docker-ensure-initdb.sh) echo >&2 "$self: note: database already initialized in '$PGDATA'!"; exit 0 ;;
  docker-enforce-initdb.sh) echo >&2 "$self: error: (unexpected) database found in '$PGDATA'!"; exit 1 ;;
  *) echo >&2 "$self: error: unknown file name: $self"; exit 99 ;;
esac
