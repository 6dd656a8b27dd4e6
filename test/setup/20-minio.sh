#!/usr/bin/env bash
# MinIO, the S3 server the tests talk to, built from the Go module proxy (no prebuilt binaries are
# reachable here). Pinned to one commit; the binary is cached under $LAKEBENCH_CACHE/bin.
set -euo pipefail
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
cache="${LAKEBENCH_CACHE:?}"
bin="$cache/bin/minio"
stamp="$cache/bin/minio.version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$MINIO_VERSION" ]; then exit 0; fi
mkdir -p "$cache/bin"
GOBIN="$cache/bin" GOFLAGS=-mod=mod go install "github.com/minio/minio@$MINIO_VERSION"
echo "$MINIO_VERSION" > "$stamp"
