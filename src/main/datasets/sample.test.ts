// The built-in sample: scripts/build-sample.mjs packs the `mnist` package's digits; loadSample reads them back.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSample, loadSample } from './sample';
import { parseCsv } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'mlp-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'mnist-sample.bin');
execFileSync(process.execPath, [resolve('scripts/build-sample.mjs'), out, '--force'], { stdio: 'pipe' });

describe('built-in MNIST sample', () => {
  it('holds 10,000 labeled 28×28 digits, every class, on SharedArrayBuffers, in under 2 MB', async () => {
    expect(readFileSync(out).length).toBeLessThan(2_000_000);
    const data = await loadSample(out);
    expect([data.rows, data.width, data.height, data.classes]).toEqual([10000, 28, 28, 10]);
    expect(data.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    const counts = new Array(10).fill(0);
    for (const l of data.labels ?? []) counts[l]++;
    expect(counts.every((c) => c > 800)).toBe(true);
    // Shuffled: the first 1000 rows (the default dev set) hold every digit.
    expect(new Set(data.labels?.subarray(0, 1000)).size).toBe(10);
    const max = data.pixels.reduce((a, b) => Math.max(a, b), 0);
    expect(max).toBe(255);
  });

  it('matches mnist_sample.csv from make-datasets.sh row for row (when the data folder exists)', async (ctx) => {
    const csv = resolve('.data/mnist_sample.csv');
    if (!existsSync(csv)) return ctx.skip();
    const data = await loadSample(out);
    const parsed = parseCsv(new Uint8Array(readFileSync(csv)));
    // Buffer.equals: vitest's deep equality is far too slow on 7.8 MB arrays.
    expect(Buffer.from(parsed.data.labels as Uint8Array).equals(Buffer.from(data.labels as Uint8Array))).toBe(true);
    expect(parsed.data.pixels.length).toBe(data.pixels.length);
    expect(Buffer.from(parsed.data.pixels).equals(Buffer.from(data.pixels))).toBe(true);
  });

  it('says when the file is damaged', () => {
    expect(() => decodeSample(new Uint8Array(30))).toThrow('the built-in sample is damaged (no MLPSMPL1 header)');
    const bytes = new Uint8Array(gzipSync(new Uint8Array(0)));
    expect(() => decodeSample(bytes)).toThrow('damaged');
  });
});
