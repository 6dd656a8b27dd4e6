#!/usr/bin/env bash
# A real Kubernetes control plane for the kubernetes tier (test/kubernetes, harness in
# test/harness/kube) and the node components of the cluster tier (test/cluster, harness in
# test/harness/node): kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy
# and kubectl built from the k8s.io/kubernetes Go module, etcd built from go.etcd.io/etcd/server/v3,
# and the Kubeflow Spark Operator CRDs copied out of the operator's Go module. No release downloads
# or container images are reachable here, so everything comes from the Go module proxy. Pinned,
# cached under $LAKEBENCH_CACHE, and skipped when the stamps match.
set -euo pipefail
K8S_VERSION="v1.36.4"
# The etcd that k8s.io/kubernetes@v1.36.4 itself pins (build/dependencies.yaml, go.mod's etcd client).
# Debian 12's etcd-server is 3.4, which this Kubernetes no longer supports.
ETCD_VERSION="v3.6.8"
SPARK_OPERATOR_VERSION="v2.5.2"

cache="${LAKEBENCH_CACHE:?}"
bin="$cache/bin"
crds="$cache/crds/spark-operator"
mkdir -p "$bin"
export GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0

stamp_ok() { [ -e "$1" ] && [ "$(cat "$2" 2>/dev/null)" = "$3" ]; }

# module_field <module@version> <Dir|Time>: downloads the module and prints its directory or its
# publication time (from the .info file the download leaves next to the zip).
module_field() {
  go mod download -json "$1" | node -e '
    const fs = require("node:fs");
    const m = JSON.parse(fs.readFileSync(0, "utf8"));
    if (m.Error) { console.error(m.Error); process.exit(1); }
    const field = process.argv[1];
    const value = field === "Dir" ? m.Dir : JSON.parse(fs.readFileSync(m.Info, "utf8"))[field];
    if (!value) { console.error(`no ${field} for ${m.Path}@${m.Version}`); process.exit(1); }
    console.log(value);' "$2"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The certificates the harness generates come from the openssl CLI (node:crypto cannot issue X.509).
if ! command -v openssl >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi

# The Kubernetes commands, in one go build. The module zip of k8s.io/kubernetes lacks ./staging
# (each staging dir is its own module), so its go.mod's `replace k8s.io/x => ./staging/src/k8s.io/x`
# lines are pointed at the published k8s.io/x v0.36.4 modules, which are the same source.
# kubectl too: the cluster tier drives the node with it, and a fresh machine has none.
kube_cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
kube_ok=true
for cmd in "${kube_cmds[@]}"; do stamp_ok "$bin/$cmd" "$bin/$cmd.version" "$K8S_VERSION" || kube_ok=false; done
if ! $kube_ok; then
  src="$work/kubernetes"
  module_dir="$(module_field "k8s.io/kubernetes@$K8S_VERSION" Dir)"
  cp -r "$module_dir" "$src"
  chmod -R u+w "$src"
  rm -rf "$src/go.work" "$src/go.work.sum" "$src/vendor"
  staging_version="v0.${K8S_VERSION#v1.}"
  sed -i -E "s#^([[:space:]]*)(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\$#\1\2 => \2 $staging_version#" "$src/go.mod"
  if grep -q '=> \./staging' "$src/go.mod"; then
    echo "40-kube.sh: some staging replace directives were not rewritten" >&2
    exit 1
  fi
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  build_date="$(module_field "k8s.io/kubernetes@$K8S_VERSION" Time)"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=archive -X $pkg.buildDate=$build_date"
  done
  # One go build for all commands so the packages they share compile once (built separately, the
  # node's three cost ~450 CPU-s more). All are rebuilt when one stamp is missing: with the Go
  # build cache warm, the ones already built only cost their link.
  TIMEFORMAT="go build ${kube_cmds[*]}: %R s wall, %U s user + %S s sys"
  time (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$work/out/" "${kube_cmds[@]/#/./cmd/}")
  for cmd in "${kube_cmds[@]}"; do install -m 0755 "$work/out/$cmd" "$bin/$cmd"; done
  "$bin/kube-apiserver" --version
  for cmd in "${kube_cmds[@]}"; do echo "$K8S_VERSION" > "$bin/$cmd.version"; done
fi

# etcd. `go install go.etcd.io/etcd/server/v3@...` is refused because that go.mod has replace
# directives; as a dependency of a throwaway module those are ignored and its pins still hold.
if ! stamp_ok "$bin/etcd" "$bin/etcd.version" "$ETCD_VERSION"; then
  mkdir -p "$work/etcd"
  (
    cd "$work/etcd"
    go mod init lakebench.local/etcd-build 2>/dev/null
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" 2>"$work/go-get.log" || { cat "$work/go-get.log" >&2; exit 1; }
    go build -trimpath -ldflags "-s -w" -o "$work/out/etcd" go.etcd.io/etcd/server/v3
  )
  install -m 0755 "$work/out/etcd" "$bin/etcd"
  # Not piped into head: etcd would die of SIGPIPE and pipefail would fail the step.
  etcd_version="$("$bin/etcd" --version)"
  echo "${etcd_version%%$'\n'*}"
  echo "$ETCD_VERSION" > "$bin/etcd.version"
fi

# Spark Operator CRDs, exactly as the operator's module ships them (config/crd/bases; the Helm
# chart's crds/ folder holds identical copies).
if ! stamp_ok "$crds/sparkoperator.k8s.io_sparkapplications.yaml" "$crds/version" "$SPARK_OPERATOR_VERSION"; then
  so_dir="$(module_field "github.com/kubeflow/spark-operator/v2@$SPARK_OPERATOR_VERSION" Dir)"
  rm -rf "$crds"
  mkdir -p "$crds"
  install -m 0644 "$so_dir"/config/crd/bases/sparkoperator.k8s.io_*.yaml "$crds/"
  echo "$SPARK_OPERATOR_VERSION" > "$crds/version"
fi
