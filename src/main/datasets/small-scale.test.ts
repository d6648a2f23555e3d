import { describe, expect, it } from 'vitest';
import { smallScaleOf, stretchToFullScale } from './small-scale';

describe('small pixel scales', () => {
  it('finds 0–1 and 0–16 files, and leaves empty and 0–255 ones', () => {
    expect(smallScaleOf(Uint8Array.of(0, 1, 1, 0))).toBe(1);
    expect(smallScaleOf(Uint8Array.of(0, 2))).toBe(16);
    expect(smallScaleOf(Uint8Array.of(0, 16, 3))).toBe(16);
    expect(smallScaleOf(Uint8Array.of(0, 17))).toBeNull();
    expect(smallScaleOf(Uint8Array.of(0, 0))).toBeNull();
    expect(smallScaleOf(new Uint8Array(0))).toBeNull();
  });

  it('stretches to 0–255 with 0 and the top fixed, every level rounded to nearest', () => {
    const sixteen = Uint8Array.from({ length: 17 }, (_, v) => v);
    stretchToFullScale(sixteen, 16);
    expect([...sixteen]).toEqual(Array.from({ length: 17 }, (_, v) => Math.round((v * 255) / 16)));
    expect([sixteen[0], sixteen[8], sixteen[16]]).toEqual([0, 128, 255]);
    const binary = Uint8Array.of(0, 1, 0);
    stretchToFullScale(binary, 1);
    expect([...binary]).toEqual([0, 255, 0]);
  });
});
