#!/usr/bin/env bash
# build.sh <coredns-binary> <out.tar> <ref>: CoreDNS's image for the cluster tier's node, as an
# oci-archive named <ref>. Laid out as upstream's Dockerfile at the same tag: the binary at /coredns
# with the file capability cap_net_bind_service (so uid 65532 can bind :53), USER 65532:65532,
# WORKDIR /, ENTRYPOINT ["/coredns"]. Upstream's base is distroless/static, whose only other
# contents (CA certificates, /etc/passwd, tzdata) CoreDNS's kubernetes and forward plugins do not
# read in this cluster; they are not copied. Needs umoci, skopeo and setcap (libcap2-bin).
set -euo pipefail
bin="${1:?coredns binary}"; out="${2:?out.tar}"; ref="${3:?image reference}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

umoci init --layout "$work/oci"
umoci new --image "$work/oci:img"
umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
install -m 0755 "$bin" "$work/bundle/rootfs/coredns"
setcap cap_net_bind_service=+ep "$work/bundle/rootfs/coredns"
umoci repack --image "$work/oci:img" "$work/bundle"
umoci config --image "$work/oci:img" --config.entrypoint /coredns --config.user 65532:65532 \
  --config.workingdir / --config.exposedports 53/tcp --config.exposedports 53/udp
skopeo copy --quiet "oci:$work/oci:img" "oci-archive:$out.tmp:$ref"
mv "$out.tmp" "$out"
