#!/usr/bin/env node
// Draws the tray template images (idle, running, warning; 16 px and @2x 32 px, black on transparent)
// and the app icon (1024 px) into assets/, with pure Node: signed distances, supersampled, zlib PNGs.
//   node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ASSETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
/** An RGBA PNG from a pixel function returning [r, g, b, a] in 0..255. */
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Signed distances in a 16-unit square (negative inside)
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) - w / 2;
};
const head = (x, y) => roundRect(x, y, 8, 9.6, 6.2, 4.9, 2.6);
const antenna = (x, y) => Math.min(segment(x, y, 8, 4.7, 8, 2.4, 1.3), circle(x, y, 8, 1.9, 1.25));
const eyes = (x, y) => Math.min(circle(x, y, 5.5, 9.4, 1.35), circle(x, y, 10.5, 9.4, 1.35));
const bang = (x, y) => Math.min(segment(x, y, 8, 6.9, 8, 10.1, 1.7), circle(x, y, 8, 12.4, 0.95));

/** The three tray states: outline head (idle), solid head with eyes cut out (running), outline head with "!" (warning). */
const SHAPES = {
  idle: (x, y) => Math.min(Math.abs(head(x, y)) - 0.75, antenna(x, y), eyes(x, y)),
  running: (x, y) => Math.min(Math.max(head(x, y), -eyes(x, y)), antenna(x, y)),
  warning: (x, y) => Math.min(Math.abs(head(x, y)) - 0.75, antenna(x, y), bang(x, y)),
};

/** Fraction of a pixel inside the shape, sampled n x n. */
function coverage(shape, px, py, scale, n) {
  let inside = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (shape((px + (i + 0.5) / n) / scale, (py + (j + 0.5) / n) / scale) <= 0) inside++;
  return inside / (n * n);
}

fs.mkdirSync(ASSETS, { recursive: true });
for (const [state, shape] of Object.entries(SHAPES)) {
  const name = `tray${state[0].toUpperCase()}${state.slice(1)}Template`;
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    const file = path.join(ASSETS, `${name}${suffix}.png`);
    fs.writeFileSync(file, png(size, (x, y) => [0, 0, 0, Math.round(255 * coverage(shape, x, y, size / 16, 6))]));
  }
}

// The app icon: a blue rounded square, the white robot head, its eyes in the background's blue
const ICON = 1024;
const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));
fs.writeFileSync(
  path.join(ASSETS, 'icon.png'),
  png(ICON, (x, y) => {
    const bg = coverage((sx, sy) => roundRect(sx, sy, 8, 8, 7, 7, 3.1), x, y, ICON / 16, 2);
    if (bg === 0) return [0, 0, 0, 0];
    const top = [64, 156, 255];
    const bottom = [10, 96, 220];
    const blue = mix(top, bottom, y / ICON);
    const g = (sx, sy) => SHAPES.running(8 + (sx - 8) / 0.62, 8.3 + (sy - 8) / 0.62);
    const fg = coverage(g, x, y, ICON / 16, 2);
    return [...mix(blue, [255, 255, 255], fg), Math.round(255 * bg)];
  }),
);
console.log(`wrote tray images and icon.png to ${ASSETS}`);
