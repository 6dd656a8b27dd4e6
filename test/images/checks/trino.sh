#!/usr/bin/env bash
# Runs inside the Trino image as uid 1000 with a small /etc/trino mounted (see check_trino in
# ../checks.sh): the image's run-trino starts the server, /v1/info stops reporting "starting", the
# health check passes, and the image's CLI runs a query against it.
set -euo pipefail
/usr/lib/trino/bin/run-trino >/tmp/trino.log 2>&1 &
server=$!
fail() { echo "trino check: $*" >&2; tail -n 60 /tmp/trino.log >&2; kill "$server" 2>/dev/null || true; exit 1; }
for _ in $(seq 180); do
  if curl -fs "http://127.0.0.1:$PORT/v1/info" 2>/dev/null | grep -q '"starting":false'; then break; fi
  kill -0 "$server" 2>/dev/null || fail "the server exited"
  sleep 1
done
grep -q -- '-Dnode.id=trino-check' /tmp/trino.log || fail "run-trino did not pass the host name as node.id"
got="$(trino --server "http://127.0.0.1:$PORT" --user check --output-format TSV --execute \
  "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")" || fail "the CLI query failed"
[ "$got" = 1 ] || fail "CLI returned '$got'"
kill "$server"
wait "$server" || true
