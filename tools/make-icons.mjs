// Writes extension/icons/{16,32,48,128}.png: a Teams-purple disc with a green presence dot.
// Run once with `node tools/make-icons.mjs`; the PNGs are committed (no image tooling needed).
import { deflateSync, crc32 } from "node:zlib";
import { writeFileSync } from "node:fs";

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Coverage of a disc with anti-aliasing by distance.
const cover = (d, r) => Math.max(0, Math.min(1, r - d + 0.5));

function pixel(x, y, s) {
  const c = s / 2;
  const big = cover(Math.hypot(x - c, y - c), s * 0.46);
  const dx = s * 0.72, dy = s * 0.72;
  const ring = cover(Math.hypot(x - dx, y - dy), s * 0.24);
  const dot = cover(Math.hypot(x - dx, y - dy), s * 0.17);
  // person glyph: head + shoulders in white
  const head = cover(Math.hypot(x - c * 0.92, y - s * 0.36), s * 0.13);
  const body = y > s * 0.52 && y < s * 0.74 ? cover(Math.hypot((x - c * 0.92) * 0.8, (y - s * 0.78)), s * 0.22) : 0;
  let col = [0x5b, 0x5f, 0xc7], a = big;
  const white = Math.max(head, body) * big;
  col = col.map((v) => v * (1 - white) + 255 * white);
  if (ring > 0) {
    col = col.map((v) => v * (1 - ring) + 255 * ring);
    a = Math.max(a, ring);
  }
  if (dot > 0) {
    const g = [0x6b, 0xb7, 0x00];
    col = col.map((v, i) => v * (1 - dot) + g[i] * dot);
  }
  return [...col.map(Math.round), Math.round(a * 255)];
}

for (const size of [16, 32, 48, 128]) {
  writeFileSync(new URL(`../extension/icons/${size}.png`, import.meta.url), png(size, pixel));
}
