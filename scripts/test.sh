#!/usr/bin/env bash
# Runs every test: formatting and clippy (native and wasm, warnings denied), native cargo tests,
# wasm-bindgen tests in headless Chromium, the bundle budget, and Playwright end-to-end tests
# against the release build (built for the sub-path /crm/ into target/www-crm) served
# by Debian's nginx with the deployment's headers (deploy/nginx.conf, scripts/nginx.sh) on
# 127.0.0.1. Real backends (json-server 0.17.4, BottleCRM / django-crm 1.35.0) run on 127.0.0.1
# for the duration.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh test

step() { printf '\n\033[1;32m== %s\033[0m\n' "$*"; }

step "BottleCRM on 127.0.0.1 (django-crm 1.35.0; the migrated database is cached in .cache/bottlecrm)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
KEHU_E2E_PORT=$(free_port)
export KEHU_E2E_PORT
trap 'scripts/backends/bottlecrm.sh stop >/dev/null 2>&1 || true; scripts/nginx.sh stop "$KEHU_E2E_PORT" >/dev/null 2>&1 || true' EXIT
port=$(free_port)
KEHU_BOTTLECRM_URL=$(scripts/backends/bottlecrm.sh start "$port")
KEHU_BOTTLECRM_TOKEN=$(python3 -c 'import json; print(json.load(open(".cache/bottlecrm/credentials.json"))["token"])')
export KEHU_BOTTLECRM_URL KEHU_BOTTLECRM_TOKEN

step "format and lints (cargo fmt --check; clippy, native and wasm, warnings denied)"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins --test web --test web_cache -- -D warnings

step "native tests (cargo test)"
cargo test --locked

step "wasm tests in headless Chromium (wasm-bindgen-test)"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test --locked --target wasm32-unknown-unknown --test web --test web_cache

# The tests' own build, in its own folder: `make run` may be serving dist/ meanwhile.
export KEHU_E2E_DIST="$PWD/target/www-crm"
step "release build (trunk), for the sub-path /crm/, into target/www-crm"
rm -rf "$KEHU_E2E_DIST"
trunk build --release --offline --public-url /crm/ --dist "$KEHU_E2E_DIST"

step "bundle budget"
node tests/e2e/bundle-size.mjs "$KEHU_E2E_DIST" --max-brotli-kb 400

step "end-to-end tests (Playwright + Chromium against nginx at http://127.0.0.1:$KEHU_E2E_PORT/crm/)"
(cd tests/e2e && npx playwright test)
