// The input split's plan: where the first layer's columns are cut, and the exchange region's arrays.
import { describe, expect, it } from 'vitest';
import { balancedSplit, exchangeFloats, exchangeViews, restParamsOf } from './input-split';

/** rows × D bytes where column d is non-zero in a fraction density(d) of the rows (deterministic). */
function pixelsWith(rows: number, D: number, density: (d: number) => number): Uint8Array {
  const pixels = new Uint8Array(rows * D);
  for (let r = 0; r < rows; r++) for (let d = 0; d < D; d++) if ((r * 7919 + d * 104729) % 1000 < density(d) * 1000) pixels[r * D + d] = 200;
  return pixels;
}

function nonZerosPerItem(pixels: Uint8Array, rows: number, D: number, bounds: number[]): number[] {
  return bounds.slice(1).map((to, i) => {
    let n = 0;
    for (let r = 0; r < rows; r++) for (let d = bounds[i]; d < to; d++) if (pixels[r * D + d]) n++;
    return n;
  });
}

describe('balancedSplit', () => {
  it('cuts evenly where every column is alike', () => {
    expect(balancedSplit(pixelsWith(100, 784, () => 0.5), 100, 784, 2).bounds).toEqual([0, 392, 784]);
    expect(balancedSplit(new Uint8Array(100 * 784), 100, 784, 4).bounds).toEqual([0, 196, 392, 588, 784]);
  });

  it('balances the non-zero pixels when they crowd one end (image borders, a digit low in the frame)', () => {
    const rows = 500;
    const D = 784;
    // the first 300 columns are almost always zero, the rest often non-zero
    const pixels = pixelsWith(rows, D, (d) => (d < 300 ? 0.01 : 0.6));
    const { bounds } = balancedSplit(pixels, rows, D, 2);
    expect(bounds[1]).toBeGreaterThan(450); // far past the middle (392)
    expect(bounds[1] % 4).toBe(0);
    const [a, b] = nonZerosPerItem(pixels, rows, D, bounds);
    expect(Math.abs(a - b) / (a + b)).toBeLessThan(0.05);
  });

  it('gives every item at least one column, up to one column each', () => {
    expect(balancedSplit(new Uint8Array(10 * 3), 10, 3, 3).bounds).toEqual([0, 1, 2, 3]);
    const skewed = pixelsWith(50, 6, (d) => (d === 5 ? 1 : 0));
    const { bounds } = balancedSplit(skewed, 50, 6, 3);
    expect(bounds[0]).toBe(0);
    expect(bounds[3]).toBe(6);
    for (let i = 0; i < 3; i++) expect(bounds[i + 1]).toBeGreaterThan(bounds[i]);
  });

  it('refuses more items than columns', () => {
    expect(() => balancedSplit(new Uint8Array(10), 5, 2, 3)).toThrow('cannot cut 2 input columns into 3 parts of at least one column');
  });
});

describe('exchange region', () => {
  it('holds item i columns of the batch, a partial sum per item, dH, the biases and each middle item\'s gradient of the rest, 64-byte aligned and apart', () => {
    const split = { bounds: [0, 5, 13] };
    const sizes = { batch: 3, OC: 7, restParams: 9 };
    const floats = exchangeFloats(split, sizes);
    const buffer = new SharedArrayBuffer(4 * floats + 64);
    const ex = exchangeViews(buffer, 64, split, sizes);
    expect(ex.x.map((byItem) => byItem.map((x) => x.length))).toEqual([[15, 24], [15, 24]]); // by step parity
    expect(ex.partial.map((p) => p.length)).toEqual([21, 21]);
    expect(ex.dout.length).toBe(21);
    expect(ex.zeroBias.length).toBe(7);
    expect(ex.spareBias.map((b) => b.length)).toEqual([7]);
    expect(ex.restGrads.map((g) => g.length)).toEqual([9, 9]);
    const all = [...ex.x[0], ...ex.x[1], ...ex.partial, ex.dout, ex.zeroBias, ...ex.spareBias, ...ex.restGrads].sort((p, q) => p.byteOffset - q.byteOffset);
    for (let i = 0; i < all.length; i++) {
      expect(all[i].byteOffset % 64).toBe(0);
      if (i > 0) expect(all[i].byteOffset).toBeGreaterThanOrEqual(all[i - 1].byteOffset + all[i - 1].byteLength);
    }
    const last = all.at(-1)!;
    expect(last.byteOffset + last.byteLength).toBeLessThanOrEqual(64 + 4 * floats);
  });
});

describe('restParamsOf', () => {
  it('counts the parameters after the first layer (what the middle items\' gradients cover)', () => {
    expect(restParamsOf([784, 128, 10])).toBe(128 * 10 + 10);
    expect(restParamsOf([784, 256, 64, 10])).toBe(256 * 64 + 64 + 64 * 10 + 10);
    expect(restParamsOf([5, 3])).toBe(0);
  });
});
