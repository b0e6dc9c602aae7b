// Trunk post_build hook, in the staging directory:
// 1. moves the loader that trunk inlines into index.html (`<script type="module">import init …`)
//    into its own content-hashed file, so the Content-Security-Policy can be `script-src 'self'`
//    with no 'unsafe-inline' and no per-build hash;
// 2. writes the service worker's asset list and version into sw.js. The version hashes every
//    asset, so a new build is a new service worker.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("sw-manifest: TRUNK_STAGING_DIR is not set (run from trunk)");
  process.exit(1);
}
const indexPath = join(dir, "index.html");
let html = readFileSync(indexPath, "utf8");
let moved = 0;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/g, (all, attrs, body) => {
  if (/\bsrc\s*=/.test(attrs) || !body.trim()) return all;
  const name = `start-${createHash("sha256").update(body).digest("hex").slice(0, 16)}.js`;
  writeFileSync(join(dir, name), body.trim() + "\n");
  moved++;
  // Relative to <base href>: the same build works at / and under a sub-path.
  return `<script${attrs.replace(/\s*nonce="[^"]*"/, "")} src="${name}"></script>`;
});
writeFileSync(indexPath, html);

const skip = new Set(["sw.js", "config.json"]);
const files = [];
(function walk(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (!skip.has(relative(dir, p))) files.push(relative(dir, p).split("\\").join("/"));
  }
})(dir);
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest("hex").slice(0, 16);
// "./" is index.html: the page the shell falls back to for every route.
const assets = ["./", ...files.filter((f) => f !== "index.html").map((f) => "./" + f)];
const swPath = join(dir, "sw.js");
const sw = readFileSync(swPath, "utf8")
  .replace("__KEHU_VERSION__", version)
  .replace('["__KEHU_ASSETS__"]', JSON.stringify(assets));
writeFileSync(swPath, sw);
console.log(`sw-manifest: ${moved} inline script(s) moved to files; ${assets.length} assets, version ${version}`);
