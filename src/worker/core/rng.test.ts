import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

// The stream is part of a run's identity: a seed must give the same initial weights and the same epoch
// orders in every version (a checkpoint resumed by a newer app continues the same stream). The figures
// below were drawn by the first implementation (state in four number fields), before the state moved to
// an Int32Array for speed.
describe('Rng (xoshiro128**)', () => {
  it('draws the same stream as ever for a seed and stream id', () => {
    const rng = new Rng(42, 2);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([1594340059, 3646619537, 3155579203, 1743172146, 3175956702, 1366771448]);
    expect(rng.getState()).toEqual([1018857507, 2208642057, 2825422075, 1047807853]);
    const order = new Uint32Array(20).map((_, i) => i);
    rng.shuffle(order);
    expect(Array.from(order)).toEqual([13, 7, 11, 1, 5, 10, 2, 6, 17, 3, 16, 8, 19, 9, 14, 15, 4, 18, 12, 0]);
    expect(rng.uniform()).toBe(0.744400689227963);
    expect(rng.normal()).toBe(-1.2464323339139636);
    expect(rng.below(1000)).toBe(51);
  });

  it('continues from a saved state with words at and above 2^31, and hands it back unsigned', () => {
    const rng = new Rng(0);
    rng.setState([0xffffffff, 0x80000000, 1, 0xdeadbeef]);
    expect(rng.getState()).toEqual([0xffffffff, 0x80000000, 1, 0xdeadbeef]);
    expect([rng.nextUint32(), rng.nextUint32()]).toEqual([576, 4294956343]);
    expect(rng.getState()).toEqual([3009070107, 559038736, 2706522862, 1143494800]);
    const copy = new Rng(99);
    copy.setState(rng.getState());
    expect(copy.nextUint32()).toBe(rng.nextUint32());
  });

  it('refuses a state that is not four 32-bit unsigned integers', () => {
    const rng = new Rng(1);
    for (const bad of [[1, 2, 3], [1, 2, 3, -1], [1, 2, 3, 2 ** 32], [1, 2, 3, 0.5]]) expect(() => rng.setState(bad)).toThrow(TypeError);
  });
});
