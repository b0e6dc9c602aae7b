// Prints the release bundle's wasm + JS size, raw and brotli-compressed (quality 11), in KB (1024 bytes).
// Usage: node bundle-size.mjs <dist> [--max-brotli-kb N]   (exits 1 above the limit)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
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
let raw = 0;
let br = 0;
for (const f of files) {
  const buf = readFileSync(f);
  raw += buf.length;
  br += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`bundle_wasm_js_raw_kb: ${kb(raw)} KB`);
console.log(`bundle_wasm_js_brotli_kb: ${kb(br)} KB`);
if (max !== null && br / 1024 > max) {
  console.error(`bundle over budget: ${kb(br)} KB brotli > ${max} KB`);
  process.exit(1);
}
