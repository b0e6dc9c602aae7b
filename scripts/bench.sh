#!/usr/bin/env bash
# Prints Kehu's benchmark figures, one per line: `name: value unit`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh test >&2

# The release bundle.
rm -rf dist
trunk build --release --offline --quiet >&2
node tests/e2e/bundle-size.mjs dist

# Native: the demo generator, and segmentation analytics on 100k customers / ~1M orders.
cargo bench --locked --quiet --bench demo 2>/dev/null
cargo bench --locked --quiet --bench analytics 2>/dev/null

# In Chromium: Kehu's IndexedDB cache beside Dexie 4 on the same 100k customers; the analytics
# and the BG/NBD fit on 100k customers / ~1M orders in wasm.
cargo build --locked --release --quiet --target wasm32-unknown-unknown --bin kehu-bench --features bench >&2
rm -rf artifacts/bench && mkdir -p artifacts
wasm-bindgen --target web --out-dir artifacts/bench target/wasm32-unknown-unknown/release/kehu-bench.wasm >&2
node tests/e2e/bench-browser.mjs artifacts/bench 100000 dist
