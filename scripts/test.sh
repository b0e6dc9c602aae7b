#!/usr/bin/env bash
# Runs every test: native cargo tests, wasm-bindgen tests in headless Chromium, the bundle budget,
# and Playwright end-to-end tests against the release build served on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh test

step() { printf '\n\033[1;32m== %s\033[0m\n' "$*"; }

step "native tests (cargo test)"
cargo test --locked

step "wasm tests in headless Chromium (wasm-bindgen-test)"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test --locked --target wasm32-unknown-unknown --test web

step "release build (trunk)"
rm -rf dist
trunk build --release --offline

step "bundle budget"
node tests/e2e/bundle-size.mjs dist --max-brotli-kb 400

step "end-to-end tests (Playwright + Chromium)"
(cd tests/e2e && npx playwright test)
