// The node layer: files on disk, gzip, IDX pairs by name, IDX and gzip errors, cancel, progress, yielding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsv } from './csv-writer';
import { LoadCancelled, ParseError } from './errors';
import { findIdxPartner, readDataset } from './read';
import { idxBytes, makeData } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'mlp-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const input = (path: string) => ({ path, name: path.slice(dir.length + 1) });

async function problemsOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ParseError) return error.problems;
    throw error;
  }
  throw new Error('expected a ParseError');
}

const data = makeData(12, 28, 10);
const images = idxBytes([12, 28, 28], data.pixels);
const labels = idxBytes([12], data.labels as Uint8Array);

describe('reading files', () => {
  it('reads a CSV and a gzipped CSV to the same data', async () => {
    const text = formatCsv(data);
    const plain = await readDataset([input(write('a.csv', text))]);
    const zipped = await readDataset([input(write('a.csv.gz', gzipSync(text)))]);
    expect(plain.format).toBe('csv');
    expect(plain.data.pixels).toEqual(data.pixels);
    expect(zipped.data.pixels).toEqual(data.pixels);
    expect(zipped.data.labels).toEqual(data.labels);
    expect(zipped.bytes).toBe(text.length);
  });

  it('stretches a CSV of whole numbers 0–16 (scikit-learn digits) or 0–1 to 0–255, and says so; 0–255 files stay', async () => {
    const digits = await readDataset([input(write('digits.csv', '3,0,16,8,1\n7,2,0,0,4\n'))]);
    expect(digits.stretchedFrom).toBe(16);
    expect([...digits.data.pixels]).toEqual([0, 255, 128, 16, 32, 0, 0, 64]);
    const binary = await readDataset([input(write('binary.csv', '1,0,1,1,0\n'))]);
    expect(binary.stretchedFrom).toBe(1);
    expect([...binary.data.pixels]).toEqual([0, 255, 255, 0]);
    const dark = await readDataset([input(write('dark.csv', '1,0,17,3,0\n'))]);
    expect(dark.stretchedFrom).toBeNull();
    expect([...dark.data.pixels]).toEqual([0, 17, 3, 0]);
    const floats = await readDataset([input(write('floats.csv', '1,0,0.5,1,0\n'))]);
    expect([floats.scaledFromUnit, floats.stretchedFrom]).toEqual([true, null]);
  });

  it('reads an IDX images + labels pair, raw and gzipped, dropped together in either order', async () => {
    const im = write('train-images-idx3-ubyte', images);
    const lb = write('train-labels-idx1-ubyte', labels);
    for (const pair of [[im, lb], [lb, im]]) {
      const r = await readDataset(pair.map(input));
      expect(r.format).toBe('idx');
      expect(r.files).toEqual(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
      expect([r.data.rows, r.data.width, r.data.height, r.data.classes]).toEqual([12, 28, 28, 10]);
      expect(r.data.pixels).toEqual(data.pixels);
      expect(r.data.labels).toEqual(data.labels);
      expect(r.data.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const gi = write('t10k-images-idx3-ubyte.gz', gzipSync(images));
    write('t10k-labels-idx1-ubyte.gz', gzipSync(labels));
    const r = await readDataset([input(gi)]);
    expect(r.files).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    expect(r.data.labels).toEqual(data.labels);
  });

  it('finds the partner by the standard names, with or without .gz, from either file', async () => {
    const im = write('fashion-x-images-idx3-ubyte.gz', gzipSync(images));
    const lb = write('fashion-x-labels-idx1-ubyte', labels);
    expect(await findIdxPartner(im)).toBe(lb);
    expect(await findIdxPartner(lb)).toBe(im);
    const fromLabels = await readDataset([input(lb)]);
    expect(fromLabels.files).toEqual(['fashion-x-images-idx3-ubyte.gz', 'fashion-x-labels-idx1-ubyte']);
    expect(fromLabels.data.pixels).toEqual(data.pixels);
  });

  it('an images file without labels is an unlabeled data set; a labels file alone is an error', async () => {
    const r = await readDataset([input(write('lonely-images-idx3-ubyte', images))]);
    expect(r.data.labels).toBeNull();
    expect(r.data.classes).toBe(0);
    const problems = await problemsOf(readDataset([input(write('solo-labels-idx1-ubyte', labels))]));
    expect(problems[0].message).toBe('solo-labels-idx1-ubyte: expected the images file next to this labels file (e.g. train-images-idx3-ubyte.gz), found no such file; drop both files together');
  });
});

describe('IDX and gzip errors', () => {
  it('IDX with mismatched counts', async () => {
    const problems = await problemsOf(readDataset([input(write('m-images-idx3-ubyte', images)), input(write('m-labels-idx1-ubyte', idxBytes([11], new Uint8Array(11))))]));
    expect(problems[0]).toMatchObject({ file: 'm-labels-idx1-ubyte', byteOffset: 4, expected: '12 labels, one per image in m-images-idx3-ubyte', found: '11 labels' });
    expect(problems[0].message).toBe('m-labels-idx1-ubyte (byte 4): expected 12 labels, one per image in m-images-idx3-ubyte, found 11 labels (the counts do not match)');
  });

  it('a truncated raw IDX file, and one with trailing bytes', async () => {
    const short = await problemsOf(readDataset([input(write('s-images-idx3-ubyte', images.subarray(0, 1000)))]));
    expect(short[0].message).toBe('s-images-idx3-ubyte (byte 4): expected 9424 bytes for 12 images of 28×28, found a file of 1000 bytes (truncated)');
    const long = await problemsOf(readDataset([input(write('l-images-idx3-ubyte', Uint8Array.from([...images, 1, 2])))]));
    expect(long[0].message).toBe('l-images-idx3-ubyte (byte 4): expected 9424 bytes for 12 images of 28×28, found a file of 9426 bytes (trailing bytes)');
  });

  it('a truncated IDX inside a complete gzip stream', async () => {
    const problems = await problemsOf(readDataset([input(write('g-images-idx3-ubyte.gz', gzipSync(images.subarray(0, 5000))))]));
    expect(problems[0]).toMatchObject({ byteOffset: 5000, found: 'the file ends after 5000 bytes, in item 7' });
    expect(problems[0].expected).toBe('12 images of 28×28 (9424 bytes)');
  });

  it('a truncated gzip', async () => {
    const zipped = gzipSync(formatCsv(data));
    const problems = await problemsOf(readDataset([input(write('t.csv.gz', zipped.subarray(0, Math.floor(zipped.length / 2))))]));
    expect(problems[0]).toMatchObject({ file: 't.csv.gz', expected: 'a complete gzip stream', found: 'the compressed data ends early' });
    expect(problems[0].message).toMatch(/^t\.csv\.gz \(byte \d+\): expected a complete gzip stream, found the compressed data ends early \(truncated gzip\)$/);
  });

  it('IDX and gzip problems are whole-file ones: skipping bad rows cannot get past them', async () => {
    const zipped = gzipSync(formatCsv(data));
    const cut = write('c.csv.gz', zipped.subarray(0, Math.floor(zipped.length / 2)));
    const short = write('c-images-idx3-ubyte', images.subarray(0, 1000));
    for (const path of [cut, short]) {
      const error = await readDataset([input(path)], { skipBadRows: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).skippable).toBe(false);
    }
  });

  it('a wrong IDX type or dimension count', async () => {
    const floats = idxBytes([2, 2, 2], new Uint8Array(8));
    floats[2] = 0x0d;
    // An IDX file of another type, or of 4 dimensions, is named as IDX (it was "binary data (byte 0x00)").
    expect((await problemsOf(readDataset([input(write('f-images-idx3-ubyte', floats))])))[0].message).toBe('f-images-idx3-ubyte (byte 2): expected IDX type 0x08 (unsigned byte), found type 0x0d (float)');
    const two = idxBytes([2, 4], new Uint8Array(8));
    two[3] = 2;
    expect((await problemsOf(readDataset([input(write('two-images-idx3-ubyte', two))])))[0].message).toBe('two-images-idx3-ubyte (byte 3): expected 1 dimension (labels) or 3 (images), found 2 dimensions');
    const four = idxBytes([1, 2, 2, 2], new Uint8Array(8));
    expect((await problemsOf(readDataset([input(write('four-images-idx3-ubyte', four))])))[0].message).toBe('four-images-idx3-ubyte (byte 3): expected 1 dimension (labels) or 3 (images), found 4 dimensions');
  });

  it('an IDX file of no images or labels', async () => {
    const none = idxBytes([0, 28, 28], new Uint8Array(0));
    expect((await problemsOf(readDataset([input(write('none-images-idx3-ubyte', none))])))[0].message).toBe('none-images-idx3-ubyte (byte 4): expected at least one image, found a header counting 0 (0×28×28)');
    const noLabels = idxBytes([0], new Uint8Array(0));
    expect((await problemsOf(readDataset([input(write('none-labels-idx1-ubyte', noLabels))])))[0].message).toContain('expected at least one label, found a header counting 0 (0)');
  });

  it('a missing file is a plain error naming it', async () => {
    await expect(readDataset([{ path: join(dir, 'nope.csv'), name: 'nope.csv' }])).rejects.toThrow(/ENOENT/);
  });
});

describe('progress, cancel, and the event loop', () => {
  const big = makeData(3000, 28, 10);
  const bigPath = write('big.csv', formatCsv(big));

  it('reports progress in bytes and rows, ending at the total', async () => {
    const seen: Array<{ bytes: number; rows: number; totalBytes: number }> = [];
    const r = await readDataset([input(bigPath)], { onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1];
    expect(last.bytes).toBe(last.totalBytes);
    expect(last.rows).toBe(3000);
    expect(r.data.rows).toBe(3000);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    const promise = readDataset([input(bigPath)], { signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(LoadCancelled);
  });

  it('lets other work run while it parses (it yields between chunks)', async () => {
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await readDataset([input(bigPath)]);
    running = false;
    expect(ticks).toBeGreaterThan(1);
  });
});
