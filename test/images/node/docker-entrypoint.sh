#!/bin/sh
# Entrypoint of the node stand-in image, written for this repository to behave as the official
# image's: arguments that start with "-", or whose first word is no command on the PATH (or is a
# file that is not executable, such as a script), are given to node; anything else runs as is.
set -e
first="${1:-}"
if [ "${first#-}" != "$first" ] || [ -z "$(command -v "$first")" ] || { [ -f "$first" ] && [ ! -x "$first" ]; }; then
  set -- node "$@"
fi
exec "$@"
