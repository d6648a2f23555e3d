import { describe, expect, it } from 'vitest';
import { epochGemmFlops, median } from './stats';

describe('bench figures', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const xs = [3, 1, 2];
    expect(median(xs)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts the GEMM work of an epoch: forward + weight gradient per layer, input gradient after the first', () => {
    // one layer 3→2: forward 2·3·2 and weight gradient 2·3·2 per example, no input gradient
    expect(epochGemmFlops([3, 2], 1)).toBe(24);
    // 784-128-10 on 59,000 rows: 59,000 · (2·2·784·128 + 3·2·128·10) = 24.136 GFLOP
    expect(epochGemmFlops([784, 128, 10], 59_000)).toBe(59_000 * (4 * 784 * 128 + 6 * 128 * 10));
    expect(epochGemmFlops([784, 128, 10], 59_000) / 1e9).toBeCloseTo(24.136, 3);
  });
});
