#!/usr/bin/env bash
# Runs inside the PostgreSQL image as uid 999 with POSTGRES_USER/PASSWORD/DB and PGDATA set (see
# check_postgres in ../checks.sh): the image's entrypoint initialises PGDATA and starts the server;
# a password login over TCP reaches POSTGRES_DB on PostgreSQL 17, remote hosts must use
# scram-sha-256, PGDATA is owned by 999 with mode 0700, and SIGINT shuts the server down cleanly.
set -euo pipefail
port=$((40000 + RANDOM % 20000))
docker-entrypoint.sh postgres -c listen_addresses=127.0.0.1 -p "$port" >/tmp/pg.log 2>&1 &
server=$!
fail() { echo "postgres check: $*" >&2; cat /tmp/pg.log >&2; kill -INT "$server" 2>/dev/null || true; exit 1; }
for _ in $(seq 90); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  kill -0 "$server" 2>/dev/null || fail "the server exited"
  sleep 1
done
got="$(PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -p "$port" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tA -F ' ' \
  -c "select current_user, current_database(), current_setting('server_version_num')::int / 10000")"
[ "$got" = "$POSTGRES_USER $POSTGRES_DB 17" ] || fail "query returned '$got'"
# Remote hosts need the password (initdb's own lines trust the loopback, as upstream's image does).
hba="$(grep -v '^#' "$PGDATA/pg_hba.conf" | sed '/^$/d' | tail -n 1)"
[ "$hba" = "host all all all scram-sha-256" ] || fail "last pg_hba.conf line is '$hba'"
mode="$(stat -c %u:%a "$PGDATA")"
[ "$mode" = "999:700" ] || fail "PGDATA is $mode"
kill -INT "$server"
wait "$server" || true
grep -q 'database system is shut down' /tmp/pg.log || fail "no clean shutdown after SIGINT"
