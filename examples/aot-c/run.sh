#!/usr/bin/env bash
# Runs an artifact of `lathe compile` with the C driver: reads INPUT_DIR/<input>.bin (raw
# little-endian, row-major, per manifest.json), writes OUTPUT_DIR/<output>.bin.
#   examples/aot-c/run.sh ARTIFACT_DIR INPUT_DIR OUTPUT_DIR
# Needs a C compiler (cc) and nothing from Lathe or LLVM.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 ARTIFACT_DIR INPUT_DIR OUTPUT_DIR" >&2
  exit 2
fi
artifact="$(cd "$1" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$3"

# The driver is built per artifact: it reads the input and output tables from its model.h.
driver="$artifact/driver"
if [[ ! -x "$driver" || "$driver" -ot "$artifact/model.h" || "$driver" -ot "$here/driver.c" ]]; then
  cc -O2 -std=c11 -I "$artifact" -o "$driver" "$here/driver.c" -L "$artifact" -lmodel -Wl,-rpath,"$artifact"
fi
exec "$driver" "$artifact" "$2" "$3"
