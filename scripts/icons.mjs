// Draws the app's PNG icons (web app manifest) with Node built-ins only: zlib for the PNG
// stream, no image library. Run after changing the design; the PNGs are committed.
//   node scripts/icons.mjs            writes public/icons/icon-{192,512}.png, maskable-512.png
import { deflateSync } from "node:zlib";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "../public/icons");
const TEAL = [0x0f, 0x5e, 0x7a];
const WHITE = [0xff, 0xff, 0xff];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

// The mark: a white ring and bar (a stylised 客 roof and body) on teal, inside `scale` of the
// canvas; `round` gives the "any" icon rounded corners (transparent outside them).
function mark(scale, round) {
  return (u, v) => {
    if (round) {
      const r = 0.18, cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
      if (Math.hypot(u - cx, v - cy) > r) return [0, 0, 0, 0];
    }
    const x = (u - 0.5) / scale, y = (v - 0.5) / scale;
    const roof = y > -0.36 && y < -0.24 && Math.abs(x) < 0.34;
    const stem = Math.abs(x) < 0.06 && y > -0.46 && y < -0.3;
    const ring = Math.abs(Math.hypot(x, y - 0.1) - 0.23) < 0.06;
    return roof || stem || ring ? [...WHITE, 255] : [...TEAL, 255];
  };
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, "icon-192.png"), png(192, mark(0.8, true)));
writeFileSync(join(out, "icon-512.png"), png(512, mark(0.8, true)));
// Maskable: full-bleed background, the mark inside the 80 % safe zone.
writeFileSync(join(out, "maskable-512.png"), png(512, mark(0.72, false)));
console.log(`icons written to ${out}`);
