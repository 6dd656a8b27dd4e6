#!/usr/bin/env bash
# Trino from Maven Central (io.trino:trino-server tarball) into $LAKEBENCH_CACHE/trino-server-<version>,
# keeping only the plugins the tests use ($TRINO_PLUGINS): Trino loads every plugin directory at
# startup, and on two cores each one costs seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/lib.sh"
cache="${LAKEBENCH_CACHE:?}"
home="$cache/trino-server-$TRINO_VERSION"
key="server=$TRINO_SERVER_SHA1 plugins=$TRINO_PLUGINS"
if stamp_ok "$home/lib" "$home/.stamp" "$key"; then exit 0; fi
tarball="$cache/trino-server-$TRINO_VERSION.tar.gz"
fetch_verified "$(maven_url "io.trino:trino-server:$TRINO_VERSION" tar.gz)" "$TRINO_SERVER_SHA1" "$tarball"
rm -rf "$home" "$home.tmp"
mkdir -p "$home.tmp"
tar xzf "$tarball" -C "$home.tmp" --strip-components=1
for plugin in "$home.tmp/plugin"/*; do
  case " $TRINO_PLUGINS " in *" $(basename "$plugin") "*) ;; *) rm -rf "$plugin" ;; esac
done
for plugin in $TRINO_PLUGINS; do
  [ -d "$home.tmp/plugin/$plugin" ] || { echo "Trino $TRINO_VERSION has no plugin '$plugin'" >&2; exit 1; }
done
echo "$key" > "$home.tmp/.stamp"
mv "$home.tmp" "$home"
rm -f "$tarball"
