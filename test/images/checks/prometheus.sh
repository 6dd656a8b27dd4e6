#!/bin/sh
# Inside the Prometheus stand-in (busybox sh), as the image's own user: it is nobody (65534, the
# chart's observability.prometheus.uid); the binaries are the pinned release; promtool accepts the
# bundled example configuration; the server writes its TSDB into the image's /prometheus, scrapes its
# own target (up == 1) and exits 0 on SIGTERM. Needs VERSION (e.g. 3.16.0) and PORT.
set -eu
fail() { echo "check failed: $*" >&2; exit 1; }
[ "$(id -u):$(id -g)" = "65534:65534" ] || fail "runs as $(id -u):$(id -g), not 65534:65534"
[ "$(pwd)" = /prometheus ] || fail "working directory $(pwd)"
/bin/prometheus --version 2>&1 | grep -q "^prometheus, version $VERSION " || fail "$(/bin/prometheus --version 2>&1 | head -1)"
/bin/promtool --version 2>&1 | grep -q "^promtool, version $VERSION " || fail "$(/bin/promtool --version 2>&1 | head -1)"
/bin/promtool check config /etc/prometheus/prometheus.yml >/dev/null || fail "promtool rejects /etc/prometheus/prometheus.yml"

printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$PORT" >/tmp/self.yml
/bin/prometheus --config.file=/tmp/self.yml --storage.tsdb.path=/prometheus --web.listen-address="127.0.0.1:$PORT" >/tmp/prometheus.log 2>&1 &
pid=$!
tries=0
until wget -q -O - "http://127.0.0.1:$PORT/api/v1/query?query=up" 2>/dev/null | grep -q '"job":"self"}, *"value":\[[0-9.]*,"1"\]'; do
  tries=$((tries + 1))
  if [ "$tries" -gt 90 ] || ! kill -0 "$pid" 2>/dev/null; then cat /tmp/prometheus.log >&2; fail "its own target not up after $tries s"; fi
  sleep 1
done
[ -d /prometheus/wal ] || fail "no TSDB write-ahead log in /prometheus"
kill -TERM "$pid"
wait "$pid" || { cat /tmp/prometheus.log >&2; fail "exit $? after SIGTERM"; }
