// The fingerprint tells data sets apart by content: equal data hash equal whatever its buffers, and any
// change of a pixel, a label, the order of rows or the shape changes it.
import { describe, expect, it } from 'vitest';
import type { DatasetData } from '../../shared/dataset';
import { dataFingerprint } from './fingerprint';
import { makeData } from './test-helpers';

function copy(data: DatasetData): DatasetData {
  return { ...data, pixels: data.pixels.slice(), labels: data.labels ? data.labels.slice() : null };
}

describe('dataFingerprint', () => {
  it('is the same for the same content in other buffers, chunked or not', async () => {
    const data = makeData(120, 28);
    const f = await dataFingerprint(data);
    expect(f).toMatch(/^[0-9a-f]{32}$/);
    expect(await dataFingerprint(copy(data))).toBe(f);
    // one pause per extra 8 MB chunk: 12,000 images of 28×28 are 9.4 MB, two chunks
    const big = makeData(12_000, 28);
    let pauses = 0;
    const chunked = await dataFingerprint(big, async () => void pauses++);
    expect(pauses).toBe(1);
    expect(await dataFingerprint(copy(big))).toBe(chunked);
  });

  it('changes with one pixel, one label, the order of rows, the labels being there, or the shape', async () => {
    const data = makeData(120, 28);
    const f = await dataFingerprint(data);
    const pixel = copy(data);
    pixel.pixels[5000] ^= 1;
    const label = copy(data);
    label.labels![7] = (label.labels![7] + 1) % 10;
    const swapped = copy(data);
    const size = 28 * 28;
    swapped.pixels.set(data.pixels.subarray(0, size), size);
    swapped.pixels.set(data.pixels.subarray(size, 2 * size), 0);
    const unlabeled = { ...copy(data), labels: null, classes: 0 };
    const reshaped = { ...copy(data), width: 14, height: 56 };
    const others = await Promise.all([pixel, label, swapped, unlabeled, reshaped].map((d) => dataFingerprint(d)));
    expect(new Set([f, ...others]).size).toBe(6);
  });
});
