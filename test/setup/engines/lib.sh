# Shared helpers for the engines setup scripts (sourced).
MAVEN_CENTRAL="https://repo1.maven.org/maven2"

# stamp_ok <file that must exist> <stamp file> <expected stamp content>
stamp_ok() { [ -e "$1" ] && [ "$(cat "$2" 2>/dev/null)" = "$3" ]; }

# maven_url <group:artifact:version[:classifier]> [extension]
maven_url() {
  local g a v c ext="${2:-jar}"
  IFS=: read -r g a v c <<<"$1"
  echo "$MAVEN_CENTRAL/${g//.//}/$a/$v/$a-$v${c:+-$c}.$ext"
}

# fetch_verified <url> <sha1> <destination file>: download, check the pinned SHA-1, then move into place
# so an interrupted download never leaves a file that looks complete.
fetch_verified() {
  local url="$1" sha1="$2" dest="$3"
  if [ -f "$dest" ] && [ "$(sha1sum "$dest" | cut -c1-40)" = "$sha1" ]; then return 0; fi
  curl -fsSL --retry 3 --retry-delay 2 -o "$dest.part" "$url"
  local got
  got="$(sha1sum "$dest.part" | cut -c1-40)"
  if [ "$got" != "$sha1" ]; then
    rm -f "$dest.part"
    echo "checksum mismatch for $url: expected $sha1, got $got" >&2
    return 1
  fi
  mv "$dest.part" "$dest"
}

# fetch_lockfile <lock file> <directory>: every "sha1 group:artifact:version[:classifier]" line,
# four downloads at a time; files the lock no longer lists are removed.
fetch_lockfile() {
  local lock="$1" dir="$2"
  mkdir -p "$dir"
  grep -vE '^\s*(#|$)' "$lock" | while read -r sha1 coord; do
    printf '%s %s %s\n' "$(maven_url "$coord")" "$sha1" "$dir/$(basename "$(maven_url "$coord")")"
  done | xargs -P 4 -L 1 bash -c 'source "$0"; fetch_verified "$1" "$2" "$3"' "${BASH_SOURCE[0]}"
  local keep
  keep="$(grep -vE '^\s*(#|$)' "$lock" | while read -r _ coord; do basename "$(maven_url "$coord")"; done)"
  for f in "$dir"/*.jar; do
    [ -e "$f" ] || continue
    grep -qxF "$(basename "$f")" <<<"$keep" || rm -f "$f"
  done
}
