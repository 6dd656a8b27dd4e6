#!/usr/bin/env bash
# build.sh <out.tar> <ref>: the cluster tier's test image, as an oci-archive named <ref>: the static
# probe binary (main.go) at /probe, the entrypoint, run as 10001:10001 (numeric, so the kubelet can
# verify runAsNonRoot). Needs Go, umoci and skopeo.
set -euo pipefail
out="${1:?out.tar}"; ref="${2:?image reference}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

(cd "$here" && CGO_ENABLED=0 GOFLAGS= GO111MODULE=off go build -trimpath -ldflags "-s -w" -o "$work/probe" main.go)
umoci init --layout "$work/oci"
umoci new --image "$work/oci:img"
umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
install -m 0755 "$work/probe" "$work/bundle/rootfs/probe"
umoci repack --image "$work/oci:img" "$work/bundle"
umoci config --image "$work/oci:img" --config.entrypoint /probe --config.user 10001:10001 --config.workingdir /
skopeo copy --quiet "oci:$work/oci:img" "oci-archive:$out.tmp:$ref"
mv "$out.tmp" "$out"
