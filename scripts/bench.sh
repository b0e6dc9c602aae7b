#!/usr/bin/env bash
# Prints Kehu's benchmark figures, one per line: `name: value unit`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh test >&2

# The release bundle (built for the sub-path /crm/, as the tests and a deployment serve it), in
# its own folder (`make run` may be serving dist/).
www=target/www-crm
rm -rf "$www"
trunk build --release --offline --quiet --public-url /crm/ --dist "$www" >&2
node tests/e2e/bundle-size.mjs "$www"

# Lighthouse (desktop preset, Debian's Chromium) against the build served by nginx with the
# deployment's headers. Report: artifacts/lighthouse.html.
lh_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'scripts/nginx.sh stop "$lh_port" >/dev/null 2>&1 || true' EXIT
lh_url=$(scripts/nginx.sh start "$www" "$lh_port" /crm/)
(cd tests/e2e && CHROME_PATH=/usr/bin/chromium node lighthouse.mjs "${lh_url}customers" ../../artifacts/lighthouse.html)
scripts/nginx.sh stop "$lh_port"

# Native: the demo generator, and segmentation analytics on 100k customers / ~1M orders.
cargo bench --locked --quiet --bench demo 2>/dev/null
cargo bench --locked --quiet --bench analytics 2>/dev/null

# In Chromium: Kehu's IndexedDB cache beside Dexie 4 on the same 100k customers; the analytics
# and the BG/NBD fit on 100k customers / ~1M orders in wasm.
cargo build --locked --release --quiet --target wasm32-unknown-unknown --bin kehu-bench --features bench >&2
rm -rf artifacts/bench && mkdir -p artifacts
wasm-bindgen --target web --out-dir artifacts/bench target/wasm32-unknown-unknown/release/kehu-bench.wasm >&2
node tests/e2e/bench-browser.mjs artifacts/bench 100000 "$www"
