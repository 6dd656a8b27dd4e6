#!/usr/bin/env bash
# The container runtime side of the cluster tier's real node (test/cluster, harness in
# test/harness/node): containerd + containerd-shim-runc-v2 + ctr and CoreDNS, built from the Go
# module proxy (no release downloads or image registries are reachable here), and the images the
# node and its smoke test need, packed as oci-archives under $LAKEBENCH_CACHE/images/<slug>.tar with
# the reference they are imported under in <slug>.ref: the pod sandbox ("pause") image, CoreDNS's,
# and the tier's own test image (probe: a static HTTP client/server).
# kubelet, kube-scheduler, kube-proxy and kubectl are built by 40-kube.sh (one go build with the
# control plane). runc, the CNI plugins, iptables and conntrack come from Debian (10-apt.sh).
# It waits for 40-kube.sh: both are CPU-bound Go builds that use every core and up to ~2 GB each,
# so running them side by side on 2 cores saves no time and doubles the peak memory.
# after: 40-kube.sh
set -euo pipefail
CONTAINERD_VERSION="v2.4.2"
COREDNS_VERSION="v1.15.0"
PAUSE_REF="localhost/lakebench/pause:1.0"
COREDNS_REF="registry.k8s.io/coredns/coredns:$COREDNS_VERSION"
PROBE_REF="localhost/lakebench/probe:1.0"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
images_src="$here/../images"
cache="${LAKEBENCH_CACHE:?}"
bin="$cache/bin"
images="$cache/images"
mkdir -p "$bin" "$images"
export GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0
TIMEFORMAT='%R s wall, %U s user + %S s sys'

stamp_ok() { [ -e "$1" ] && [ "$(cat "$2" 2>/dev/null)" = "$3" ]; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# containerd 2.x: kubelet 1.36 asks the runtime for its cgroup driver over CRI, which containerd
# 1.6 (Debian's) does not implement. Tags as upstream's Makefile minus the graph drivers this node
# does not use (they need cgo); the shim gets upstream's extra no_grpc tag, as in its Makefile.
containerd_bins=(containerd containerd-shim-runc-v2 ctr)
containerd_ok=true
for b in "${containerd_bins[@]}"; do stamp_ok "$bin/$b" "$bin/$b.version" "$CONTAINERD_VERSION" || containerd_ok=false; done
if ! $containerd_ok; then
  pkg="github.com/containerd/containerd/v2"
  tags="no_btrfs,no_devmapper,no_zfs,no_aufs"
  ldflags="-s -w -X $pkg/version.Version=$CONTAINERD_VERSION -X $pkg/version.Revision=module -X $pkg/version.Package=$pkg"
  echo "containerd $CONTAINERD_VERSION (containerd, ctr, containerd-shim-runc-v2):"
  time {
    GOBIN="$work/out" go install -trimpath -tags "$tags" -ldflags "$ldflags" \
      "$pkg/cmd/containerd@$CONTAINERD_VERSION" "$pkg/cmd/ctr@$CONTAINERD_VERSION"
    GOBIN="$work/out" go install -trimpath -tags "$tags,no_grpc" -ldflags "$ldflags" \
      "$pkg/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
  }
  for b in "${containerd_bins[@]}"; do install -m 0755 "$work/out/$b" "$bin/$b"; done
  "$bin/containerd" --version
  for b in "${containerd_bins[@]}"; do echo "$CONTAINERD_VERSION" > "$bin/$b.version"; done
fi

# CoreDNS: its go.mod has no replace directives, so a plain go install of the tag builds it.
if ! stamp_ok "$bin/coredns" "$bin/coredns.version" "$COREDNS_VERSION"; then
  echo "coredns $COREDNS_VERSION:"
  time GOBIN="$work/out" go install -trimpath \
    -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
    "github.com/coredns/coredns@$COREDNS_VERSION"
  install -m 0755 "$work/out/coredns" "$bin/coredns"
  "$bin/coredns" -version
  echo "$COREDNS_VERSION" > "$bin/coredns.version"
fi

# The pause binary is C compiled statically: gcc and libc6-dev's libc.a (installed if missing, as
# 40-kube.sh does for openssl).
libc_a="/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo none)/libc.a"
if ! command -v gcc >/dev/null 2>&1 || [ ! -e "$libc_a" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gcc libc6-dev >/dev/null
fi

# The images, rebuilt when their reference or their build inputs change.
image_stamp() { cat "$@" | sha256sum | cut -d' ' -f1; }
pause_stamp="$PAUSE_REF $(image_stamp "$images_src/pause/pause.c" "$images_src/pause/build.sh")"
if ! stamp_ok "$images/pause.tar" "$images/pause.version" "$pause_stamp"; then
  bash "$images_src/pause/build.sh" "$images/pause.tar" "$PAUSE_REF"
  echo "$PAUSE_REF" > "$images/pause.ref"
  echo "$pause_stamp" > "$images/pause.version"
fi
coredns_stamp="$COREDNS_REF $(image_stamp "$bin/coredns" "$images_src/coredns/build.sh")"
if ! stamp_ok "$images/coredns.tar" "$images/coredns.version" "$coredns_stamp"; then
  bash "$images_src/coredns/build.sh" "$bin/coredns" "$images/coredns.tar" "$COREDNS_REF"
  echo "$COREDNS_REF" > "$images/coredns.ref"
  echo "$coredns_stamp" > "$images/coredns.version"
fi
probe_stamp="$PROBE_REF $(go version) $(image_stamp "$images_src/probe/main.go" "$images_src/probe/build.sh")"
if ! stamp_ok "$images/probe.tar" "$images/probe.version" "$probe_stamp"; then
  bash "$images_src/probe/build.sh" "$images/probe.tar" "$PROBE_REF"
  echo "$PROBE_REF" > "$images/probe.ref"
  echo "$probe_stamp" > "$images/probe.version"
fi
