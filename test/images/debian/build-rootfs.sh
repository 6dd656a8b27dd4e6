#!/usr/bin/env bash
# build-rootfs.sh <suite> <out.tar>: a minimal Debian root file system as a tar, the stand-in for the
# official debian:<suite>-slim image (no image registry is reachable, so it cannot be pulled).
# debootstrap's minbase variant (only Essential and apt), trimmed the way the slim images are: no
# documentation, man pages or translations, and dpkg told not to install them later either; apt
# lists and caches emptied; the suite's updates and security archives configured.
set -euo pipefail
suite="${1:?suite}"; out="${2:?out.tar}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"

debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# What later package installs must leave out, as in the slim images (docs except copyright files,
# man/info pages, translations). The file is named as in those images because images built on top
# (PostgreSQL's) look for it to re-enable locales.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
# Keep images small: no documentation, manuals or translations (copyright files stay).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/usr/share/locale/"* \
  "$root/usr/share/groff/"* "$root/usr/share/lintian/"*

# apt: no translation indexes, and downloaded packages removed after each install.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<CFG
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
CFG

rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"* "$root/var/log/"*.log \
  "$root/var/cache/ldconfig/aux-cache" "$root/etc/resolv.conf" "$root/etc/hostname"
: >"$root/etc/machine-id"
tar -C "$root" --numeric-owner --xattrs --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
  -cf "$out.tmp" .
mv "$out.tmp" "$out"
