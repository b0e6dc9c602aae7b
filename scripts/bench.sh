#!/usr/bin/env bash
# Prints Kehu's benchmark figures, one per line: `name: value unit`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh >&2
rm -rf dist
trunk build --release --offline --quiet >&2
node tests/e2e/bundle-size.mjs dist
cargo bench --locked --quiet --bench demo 2>/dev/null
