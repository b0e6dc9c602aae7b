#!/usr/bin/env bash
# Idempotent set-up of everything Kehu needs on a fresh Debian machine with rustup, Node and npm.
#   scripts/setup.sh         what building and serving the app needs
#   scripts/setup.sh test    plus what the tests need (Chromium, ChromeDriver, Firefox ESR, geckodriver,
#                            WebKitGTK's WebKitWebDriver with MiniBrowser, Xvfb, nginx, npm test packages)
# Downloads only from the package registries: crates.io, Debian, npm.
set -euo pipefail
source "$(dirname "$0")/env.sh"

TRUNK_VERSION=0.21.14
want_test=${1:-}

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# 1. The wasm target of the machine's stable toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk, pinned (0.22 needs a newer rustc than this machine has).
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli equal to the wasm-bindgen in Cargo.lock (and to Trunk.toml's [tools]).
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; fi
if ! grep -q "^wasm_bindgen = \"$WB_VERSION\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$WB_VERSION\" (the version in Cargo.lock)" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "cargo install wasm-bindgen-cli $WB_VERSION (about 3 minutes)"
  # Not --locked: one of its locked dependency versions is missing from the registry.
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force
fi

# 3b. wasm-split-cli: cuts the app's wasm at its split points (`chunk!`, src/app/lazy.rs) (scripts/build-app.sh).
WSPLIT_VERSION=0.2.4
# (It has no --version: cargo's list of installed packages says which one is there.)
if ! command -v wasm-split-cli >/dev/null \
  || ! cargo install --list | grep -qx "wasm_split_cli_support v$WSPLIT_VERSION:"; then
  say "cargo install wasm_split_cli_support $WSPLIT_VERSION (about 1 minute)"
  cargo install --locked wasm_split_cli_support --version "=$WSPLIT_VERSION" --features build-binary --force
fi

# 4. Node packages, exactly as locked. scripts/: binaryen's wasm-opt (version as in Trunk.toml; Debian's
#    wasm-opt 108 breaks wasm-bindgen's externref table). tests/e2e/: Playwright (no browser download).
npm_ci() {
  local dir=$1 stamp=$1/node_modules/.kehu-installed-lock
  if ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "npm ci ($dir)"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci scripts
BINARYEN=$(node -p 'require("./scripts/package.json").devDependencies.binaryen.split(".")[0]')
if ! grep -q "^wasm_opt = \"version_$BINARYEN\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_opt must be \"version_$BINARYEN\" (binaryen in scripts/package.json)" >&2; exit 1
fi

if [ "$want_test" = "test" ]; then
  # 5. A real browser for wasm-bindgen-test and Playwright.
  # CJK fonts so screenshots and layout checks see real Chinese glyphs, as users' machines do.
  apt_install chromium chromium-driver fonts-wqy-microhei
  # Debian's nginx serves the release build in the end-to-end tests and the Lighthouse run as a
  # deployment would (deploy/nginx.conf via scripts/nginx.sh), with its brotli modules.
  apt_install nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static
  # 6. The other engines a rep's device runs (issue 17): Firefox ESR driven by geckodriver
  #    (crates.io, pinned), and WebKit — the engine of every browser on an iPad — as WebKitGTK's
  #    MiniBrowser driven by WebKitWebDriver, on a virtual X display (Xvfb; MiniBrowser has no
  #    headless mode).
  apt_install firefox-esr webkit2gtk-driver xvfb xauth
  GECKODRIVER_VERSION=0.36.0
  if [ "$(geckodriver --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
    say "cargo install geckodriver $GECKODRIVER_VERSION (about 3 minutes)"
    cargo install --locked geckodriver --version "=$GECKODRIVER_VERSION" --force
  fi
  npm_ci tests/e2e
fi
say "ready"
