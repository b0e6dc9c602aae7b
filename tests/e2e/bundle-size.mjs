// Prints the release bundle's wasm + JS size, raw and brotli-compressed (quality 11, each file on
// its own, as a server sends it), in KB (1024 bytes).
// Usage: node bundle-size.mjs <dist> [--max-brotli-kb N]   (exits 1 when the start-up bundle is above N)
//
// The start-up bundle (`bundle_wasm_js_*`) is what the first page loads before the app runs: every
// .wasm and .js file of the build except
//  - the pages' chunks (`app-*/split_*.wasm`, `app-*/chunk_*.wasm`), fetched when a page that needs
//    them is first opened (`chunk!` split points, src/app/lazy.rs) and reported together on their own line, and
//  - the demo worker (kehu-demo*), which only the demo workspace loads, once per device, to
//    generate its sample data; also on its own line.
// `bundle_all_brotli_kb` is everything a device ends up holding (the service worker caches it all).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "dist";
const maxIdx = process.argv.indexOf("--max-brotli-kb");
const max = maxIdx > 0 ? Number(process.argv[maxIdx + 1]) : null;

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(dir).filter((f) => f.endsWith(".wasm") || f.endsWith(".js"));
if (!files.some((f) => f.endsWith(".wasm"))) {
  console.error(`no .wasm file under ${dir}: build first`);
  process.exit(2);
}
const size = (list) => {
  let raw = 0;
  let br = 0;
  for (const f of list) {
    const buf = readFileSync(f);
    raw += buf.length;
    br += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { raw, br };
};
const isDemo = (f) => basename(f).startsWith("kehu-demo");
const isChunk = (f) => /^(split|chunk)_.*\.wasm$/.test(basename(f));
const app = size(files.filter((f) => !isDemo(f) && !isChunk(f)));
const chunks = files.filter(isChunk);
const lazy = size(chunks);
const demo = size(files.filter(isDemo));
const kb = (n) => (n / 1024).toFixed(1);
console.log(`bundle_wasm_js_raw_kb: ${kb(app.raw)} KB`);
console.log(`bundle_wasm_js_brotli_kb: ${kb(app.br)} KB`);
console.log(`bundle_lazy_chunks_brotli_kb: ${kb(lazy.br)} KB (${chunks.length} files)`);
console.log(`bundle_all_brotli_kb: ${kb(app.br + lazy.br)} KB`);
console.log(`bundle_demo_worker_brotli_kb: ${kb(demo.br)} KB`);
if (max !== null && app.br / 1024 > max) {
  console.error(`start-up bundle over budget: ${kb(app.br)} KB brotli > ${max} KB`);
  process.exit(1);
}
