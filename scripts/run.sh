#!/usr/bin/env bash
# Builds Kehu (release) into dist/ and serves it at http://127.0.0.1:8080 (demo workspace when no
# backend is configured). It rebuilds only when a source changes (Trunk.toml's [watch]); the
# tests and benchmarks build into target/www-crm, never over this dist/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh
echo "Kehu: building and serving at http://127.0.0.1:8080 (Ctrl-C to stop)"
exec trunk serve --release --offline --address 127.0.0.1 --port 8080
