#!/usr/bin/env bash
# build.sh <out.tar> <ref>: the pod sandbox ("pause") image of the cluster tier's node, as an
# oci-archive named <ref>. Same shape as registry.k8s.io/pause: one static binary at /pause, the
# entrypoint, run as 65535:65535. Needs gcc with a static libc (libc6-dev), umoci and skopeo.
set -euo pipefail
out="${1:?out.tar}"; ref="${2:?image reference}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

gcc -static -Os -Wall -Wextra -Werror -o "$work/pause" "$here/pause.c"
umoci init --layout "$work/oci"
umoci new --image "$work/oci:img"
umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
install -m 0755 "$work/pause" "$work/bundle/rootfs/pause"
umoci repack --image "$work/oci:img" "$work/bundle"
umoci config --image "$work/oci:img" --config.entrypoint /pause --config.user 65535:65535 --config.workingdir /
skopeo copy --quiet "oci:$work/oci:img" "oci-archive:$out.tmp:$ref"
mv "$out.tmp" "$out"
