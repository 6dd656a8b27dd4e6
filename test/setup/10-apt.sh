#!/usr/bin/env bash
# Every Debian package the test suite needs, installed in one apt transaction before the other setup
# scripts start (they run in parallel, and dpkg takes a lock): Chromium for the report tests,
# PostgreSQL for the Iceberg catalog, openssl for the API server's certificates, and a Java 17
# runtime when no Java 17 or 21 is present (Spark 4.0 and the REST catalog need one of those); for the
# cluster tier's real node: runc, the CNI plugins, iptables/conntrack for kube-proxy, and buildah,
# skopeo, umoci and debootstrap to build the stand-in images without a registry or a Docker engine.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
for pkg in runc containernetworking-plugins iptables conntrack iproute2 buildah skopeo umoci debootstrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
java_ok=false
for home in /usr/lib/jvm/*; do
  v="$("$home/bin/java" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)" || true
  case "$v" in 17|21) java_ok=true;; esac
done
$java_ok || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "apt: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
