#!/usr/bin/env bash
# A real Prometheus server for the engines tier's observability test (test/engines/observability.test.ts):
# built from the github.com/prometheus/prometheus Go module at the release the chart's
# observability.prometheus.image.tag pins (Prometheus 3.x is published as module v0.3MM.P for
# release v3.MM.P). The module carries no prebuilt web UI, so this binary serves the HTTP API only,
# which is all the test uses. Cached under $LAKEBENCH_CACHE/bin, skipped when the stamp matches.
set -euo pipefail
PROMETHEUS_RELEASE="v3.16.0"        # must equal observability.prometheus.image.tag in values.yaml
PROMETHEUS_MODULE_VERSION="v0.316.0" # the module version of that release

cache="${LAKEBENCH_CACHE:?}"
bin="$cache/bin"
target="$bin/prometheus"
stamp="$bin/prometheus.version"
mkdir -p "$bin"
export GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0

if [ -e "$target" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$PROMETHEUS_MODULE_VERSION" ]; then exit 0; fi

dir="$(go mod download -json "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])')"
# The module's VERSION file names the release it was cut from: refuse a mismatched pair.
if [ "v$(tr -d '[:space:]' < "$dir/VERSION")" != "$PROMETHEUS_RELEASE" ]; then
  echo "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION is release v$(cat "$dir/VERSION"), not $PROMETHEUS_RELEASE" >&2
  exit 1
fi
# Built inside the downloaded module (its own go.mod/go.sum); version info as upstream's Makefile sets it.
(cd "$dir" && go build -trimpath -o "$target.tmp" \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PROMETHEUS_RELEASE#v} -X github.com/prometheus/common/version.Branch=module" \
  ./cmd/prometheus)
mv "$target.tmp" "$target"
"$target" --version >/dev/null
echo "$PROMETHEUS_MODULE_VERSION" > "$stamp"
