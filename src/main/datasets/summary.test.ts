import { describe, expect, it } from 'vitest';
import type { DatasetData } from '../../shared/dataset';
import { computeStats, imageHash } from './summary';
import { computeSplit, mulberry32, splitProblem } from './split';
import { makeData } from './test-helpers';

function data(images: number[][], labels: number[] | null, side: number): DatasetData {
  return {
    pixels: Uint8Array.from(images.flat()),
    labels: labels ? Uint8Array.from(labels) : null,
    rows: images.length,
    width: side,
    height: side,
    classes: labels ? Math.max(...labels) + 1 : 0,
  };
}

describe('stats', () => {
  it('counts classes, empty images and exact duplicates; mean/std over all pixels', async () => {
    const d = data([[0, 0, 0, 0], [1, 2, 3, 4], [1, 2, 3, 4], [0, 0, 0, 0], [4, 3, 2, 1]], [0, 1, 1, 2, 1], 2);
    const s = await computeStats(d);
    expect(s.classCounts).toEqual([1, 3, 1]);
    expect(s.emptyImages).toBe(2);
    expect(s.duplicates).toBe(2);
    expect(s.duplicateExamples).toEqual([{ first: 1, duplicate: 2 }, { first: 0, duplicate: 3 }]);
    const all = [...d.pixels];
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
    expect(s.pixelMean).toBeCloseTo(mean, 12);
    expect(s.pixelStd).toBeCloseTo(std, 12);
    expect([...s.meanImages]).toEqual([0, 0, 0, 0, 2, 2, 3, 3, 0, 0, 0, 0]);
    expect(s.rowsByClass.map((r) => [...r])).toEqual([[0], [1, 2, 4], [3]]);
  });

  it('counts duplicates as a naive set of pixel strings does (word hash for 4×4, byte hash for 3×3)', async () => {
    for (const side of [4, 3, 2]) {
      const d = makeData(3000, side, 10, true, 7);
      const size = side * side;
      const s = await computeStats(d);
      const naive = new Set<string>();
      let dups = 0;
      for (let r = 0; r < d.rows; r++) {
        const key = d.pixels.subarray(r * size, (r + 1) * size).join(',');
        if (naive.has(key)) dups++;
        else naive.add(key);
      }
      expect(dups).toBeGreaterThan(0);
      expect(s.duplicates).toBe(dups);
    }
    expect(imageHash(Uint8Array.from([1, 2]), 0, 2)).not.toBe(imageHash(Uint8Array.from([2, 1]), 0, 2));
  });

  it('gives one mean image for unlabeled data and pauses between slices', async () => {
    const d = makeData(9000, 2, 1, false);
    let pauses = 0;
    const s = await computeStats(d, async () => void pauses++, 0);
    expect(s.classCounts).toEqual([]);
    expect(s.meanImages.length).toBe(4);
    expect(pauses).toBe(Math.floor((9000 - 1) / 64)); // every 64 rows when each slice may last 0 ms
  });
});

describe('split', () => {
  it('dev = the first N rows (the notebook), train = the rest', () => {
    const { train, dev } = computeSplit({ kind: 'first', devRows: 3 }, 10, null, 0);
    expect([...dev]).toEqual([0, 1, 2]);
    expect([...train]).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(dev.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('a seeded random fraction: same seed, same split; another seed, another split', () => {
    const a = computeSplit({ kind: 'random', devFraction: 0.2, seed: 1, stratified: false }, 100, null, 0);
    const b = computeSplit({ kind: 'random', devFraction: 0.2, seed: 1, stratified: false }, 100, null, 0);
    const c = computeSplit({ kind: 'random', devFraction: 0.2, seed: 2, stratified: false }, 100, null, 0);
    expect(a.dev.length).toBe(20);
    expect(a.train.length).toBe(80);
    expect(a.dev).toEqual(b.dev);
    expect(a.dev).not.toEqual(c.dev);
    expect(new Set([...a.dev, ...a.train]).size).toBe(100);
  });

  it('stratified: each class contributes its share', () => {
    const labels = Uint8Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const { dev } = computeSplit({ kind: 'random', devFraction: 0.25, seed: 3, stratified: true }, 100, labels, 2);
    const perClass = [0, 0];
    for (const r of dev) perClass[labels[r]]++;
    expect(perClass).toEqual([20, 5]);
  });

  it('says what is wrong with a split', () => {
    expect(splitProblem({ kind: 'first', devRows: 10 }, 10)).toBe('dev rows (10) must leave at least one training row (the data set has 10)');
    expect(splitProblem({ kind: 'first', devRows: 1.5 }, 10)).toBe('dev rows must be a whole number ≥ 0, got 1.5');
    expect(splitProblem({ kind: 'random', devFraction: 1, seed: 0, stratified: false }, 10)).toBe('the dev fraction must be at least 0 and below 1, got 1');
    expect(() => computeSplit({ kind: 'first', devRows: 10 }, 10, null, 0)).toThrow('must leave at least one training row');
  });

  it('mulberry32 is uniform enough and deterministic', () => {
    const r = mulberry32(42);
    const xs = Array.from({ length: 10000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(42)()).toBe(xs[0]);
  });
});
