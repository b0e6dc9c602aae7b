#!/usr/bin/env bash
# Trunk post_build hook: builds the app's wasm cut into lazily fetched chunks and puts it, with its
# loader, into trunk's staging directory. Trunk 0.21 cannot run a step between cargo and
# wasm-bindgen, which splitting needs, so this does the app's whole wasm pipeline:
#   cargo build (--cfg kehu_split, linker relocations kept)
#   -> wasm-split-cli: the main module + one module per chunk name of the `chunk!` split points (src/app/lazy.rs) (+ shared chunks)
#   -> wasm-bindgen on the main module -> wasm-opt -Oz on every module, terser on the JS (release)
#   -> app-<hash>/ in the staging directory; index.html gets the loader and preload links
#   -> scripts/sw-manifest.mjs (the loader into its own file; the service worker's asset list).
# The directory name hashes every output file, so a CDN can cache app-*/ forever.
set -euo pipefail
source "$(dirname "$0")/env.sh"

staging=${TRUNK_STAGING_DIR:?build-app: run from trunk (TRUNK_STAGING_DIR is not set)}
profile=${TRUNK_PROFILE:-debug}
target_dir=$PWD/target/split
cargo_args=(build --target wasm32-unknown-unknown --bin kehu --locked)
[ "$profile" = release ] && cargo_args+=(--release)

# RUSTFLAGS replaces .cargo/config.toml's flags for the target, so erase_components is repeated.
# A target directory of its own: other flags would make cargo rebuild trunk's worker build each time.
RUSTFLAGS="--cfg erase_components --cfg kehu_split -Clink-args=--emit-relocs" \
  CARGO_TARGET_DIR=$target_dir cargo "${cargo_args[@]}"
input=$target_dir/wasm32-unknown-unknown/$profile/kehu.wasm

out=$(mktemp -d "${TMPDIR:-/tmp}/kehu-app.XXXXXX")
trap 'rm -rf "$out"' EXIT
wasm-split-cli "$input" "$out" --out-name kehu
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$out" --out-name kehu "$out/kehu.wasm"
rm "$out/kehu.wasm"
if [ "$profile" = release ]; then
  for f in "$out"/*.wasm; do
    # (wasm-opt warns about the linker's name subsection it does not know; the output has no names.)
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$f" -o "$f" 2> >(grep -v "unknown name subsection" >&2)
  done
  # wasm-bindgen and wasm-split write readable JavaScript: minified, the start-up glue is a
  # fifth smaller after brotli (property names, which the wasm imports go by, are kept).
  find "$out" -name '*.js' -print0 | while IFS= read -r -d '' f; do
    terser "$f" --module --compress --mangle --output "$f"
  done
fi

hash=$(cd "$out" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
dir=app-$hash
rm -rf "${staging:?}/$dir"
cp -r "$out" "$staging/$dir"
chmod -R a+rX "$staging/$dir"

# The loader (sw-manifest.mjs, below, moves it into its own hashed file for the CSP) and
# preloads so the main module and its wasm are fetched in parallel. Paths are relative to
# <base href>: the same build works at / and under a sub-path.
node - "$staging/index.html" "$dir" <<'EOF'
const fs = require("fs");
const [file, dir] = process.argv.slice(2);
let html = fs.readFileSync(file, "utf8");
const tags =
  `<link rel="modulepreload" href="${dir}/kehu.js" crossorigin="anonymous">` +
  `<link rel="modulepreload" href="${dir}/__wasm_split.js" crossorigin="anonymous">` +
  `<link rel="preload" href="${dir}/kehu_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">` +
  `<script type="module">import init from "./${dir}/kehu.js";\n` +
  `await init({ module_or_path: new URL("./${dir}/kehu_bg.wasm", import.meta.url) });</script>`;
if (!html.includes("</head>")) throw new Error("build-app: index.html has no </head>");
fs.writeFileSync(file, html.replace("</head>", `${tags}\n</head>`));
EOF
echo "build-app: $dir ($(ls "$out" | wc -l) files)"
node scripts/sw-manifest.mjs
