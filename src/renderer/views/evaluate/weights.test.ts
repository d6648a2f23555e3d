import { describe, expect, it } from 'vitest';
import { unitScale, weightColor } from './weights';

describe('weightColor', () => {
  it('is white at 0, full red at +scale, full blue at −scale, and in between by |w| / scale', () => {
    expect(weightColor(0, 1)).toEqual([255, 255, 255]);
    expect(weightColor(2, 2)).toEqual([255, 0, 0]);
    expect(weightColor(-2, 2)).toEqual([0, 0, 255]);
    expect(weightColor(0.5, 2)).toEqual([255, 191, 191]);
    expect(weightColor(5, 2)).toEqual([255, 0, 0]); // clamped
    expect(weightColor(1, 0)).toEqual([255, 255, 255]); // a unit of all-zero weights
  });
});

describe('unitScale', () => {
  it('is the largest |weight| of one unit (a column of [inputs, units])', () => {
    const w = Float32Array.from([1, -3, 0.5, -0.25, 2, 0]); // 3 inputs × 2 units: unit 0 = 1, 0.5, 2; unit 1 = −3, −0.25, 0
    expect(unitScale(w, 3, 2, 0)).toBe(2);
    expect(unitScale(w, 3, 2, 1)).toBe(3);
  });
});
