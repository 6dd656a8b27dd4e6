#!/usr/bin/env bash
# Runs inside the Hive image as uid 1000 (see check_hive in ../checks.sh): the image's entrypoint
# initialises a Derby metastore schema with schematool and starts the metastore through bin/hive;
# the Thrift port opens. Then bin/hive with an option Hive's metastore does not know must fail.
set -euo pipefail
cd /tmp
sh -c /entrypoint.sh >/tmp/hive.log 2>&1 &
server=$!
fail() { echo "hive check: $*" >&2; tail -n 80 /tmp/hive.log >&2; kill "$server" 2>/dev/null || true; exit 1; }
for _ in $(seq 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$METASTORE_PORT") 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || fail "the entrypoint exited"
  sleep 1
done
(exec 3<>"/dev/tcp/127.0.0.1/$METASTORE_PORT") 2>/dev/null || fail "the metastore did not open port $METASTORE_PORT"
grep -q 'Initialized schema successfully' /tmp/hive.log || fail "schematool did not report success"
kill "$server"
wait "$server" || true
rc=0
timeout 180 /opt/hive/bin/hive --skiponinit --service metastore >/tmp/bad.log 2>&1 || rc=$?
# 0: it exited cleanly; 124: still running at the timeout, i.e. the metastore started with it.
if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
  echo "hive check: bin/hive accepted --skiponinit (exit $rc)" >&2
  exit 1
fi
grep -qi 'skiponinit' /tmp/bad.log || { echo "hive check: --skiponinit failed for another reason:" >&2; tail -n 30 /tmp/bad.log >&2; exit 1; }
