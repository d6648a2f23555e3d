// The WASM head (softmax + cross-entropy, forward and backward) against its plain twins in
// src/worker/core/layers.ts, in both builds: random logits over a wide range, rows of every width around
// the 4-lane edge, −∞ and exp's underflow, and bad labels refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyBackward, softmaxForward } from '../core/layers';
import type { WasmBackend } from './backend';
import type * as WasmModule from './index';
import { loadWasmModule, random, WASM_BUILDS } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

const U = 2 ** -24; // float32 unit roundoff

/** |actual − expected| ≤ ulps(i)·u·|expected| + floor, element by element. */
function expectWithin(actual: Float32Array, expected: Float32Array, ulps: number | ((i: number) => number), floor: number, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const tol = (typeof ulps === 'number' ? ulps : ulps(i)) * U * Math.abs(expected[i]) + floor;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} ± ${tol}`);
  }
}

/** |z[i] − max of its row| for rows of K. */
function shift(z: Float32Array, K: number, i: number): number {
  const row = z.subarray(i - (i % K), i - (i % K) + K);
  const d = Math.abs(z[i] - Math.max(...row));
  return Number.isFinite(d) ? d : 0; // −∞: both give exactly 0
}

for (const build of WASM_BUILDS) describe(`wasm-simd head (${build} build)`, () => {
  let be: WasmBackend;
  let logits: Float32Array, probs: Float32Array, dlogits: Float32Array;
  const rnd = random(7);

  beforeAll(() => {
    be = wasm.createWasmSimdBackend({ build, maxFloats: 3 * 20_000 });
    logits = be.allocator.allocFloat32(20_000);
    probs = be.allocator.allocFloat32(20_000);
    dlogits = be.allocator.allocFloat32(20_000);
  });

  /** Random logits for B rows of K (values spread by `spread`), labels < K. */
  function problem(B: number, K: number, spread: number) {
    const z = logits.subarray(0, B * K);
    for (let i = 0; i < z.length; i++) z[i] = rnd() * spread;
    const labels = Uint8Array.from({ length: B }, () => Math.floor(((rnd() + 1) / 2) * K) % K);
    return { z, labels };
  }

  it('softmaxForward gives the twin probabilities and loss for every row width and batch size', () => {
    for (const K of [1, 2, 3, 4, 5, 7, 10, 13, 16, 33]) {
      for (const B of [1, 2, 3, 7, 16, 17, 64, 65]) {
        for (const spread of [1, 10, 60]) {
          const { z, labels } = problem(B, K, spread);
          const want = new Float32Array(B * K);
          const wantLoss = softmaxForward(want, z, labels, B, K);
          const p = probs.subarray(0, B * K);
          const loss = be.kernels.softmaxForward(p, z, labels, B, K);
          const what = `B=${B} K=${K} spread ${spread}`;
          // The kernel takes z − max in float32 (as NumPy's float32 softmax does; the twin in double):
          // that rounding moves e^(z − max) by up to |z − max| ulps. Then exp within 2 ulps, the row's sum
          // and 1/sum in float32: a few more. Probabilities below float32's normal range are 0 or tiny.
          expectWithin(p, want, (i) => 8 + shift(z, K, i), 2 ** -126, what);
          expect(Math.abs(loss - wantLoss), what).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(wantLoss)));
          expect(be.kernels.softmaxForward(p, z, null, B, K), `${what} without labels`).toBe(0);
          for (let b = 0; b < B; b++) {
            let sum = 0;
            for (let k = 0; k < K; k++) sum += p[b * K + k];
            expect(Math.abs(sum - 1), `${what}: row ${b} sums to ${sum}`).toBeLessThan(K * 4 * U);
          }
        }
      }
    }
  });

  it('softmaxForward keeps −∞ at 0, turns exp underflow into 0 and passes NaN on', () => {
    const z = logits.subarray(0, 8);
    z.set([0, -Infinity, -100, -87, 5, 5, -1e30, 1]);
    const p = probs.subarray(0, 8);
    const loss = be.kernels.softmaxForward(p, z, Uint8Array.of(0, 3), 2, 4);
    const want = new Float32Array(8);
    const wantLoss = softmaxForward(want, z, Uint8Array.of(0, 3), 2, 4);
    expect(p[1]).toBe(0);
    expect(p[2]).toBe(0); // e^−100 is below float32's normal range
    expect(p[6]).toBe(0);
    expectWithin(p, want, (i) => 8 + shift(z, 4, i), 2 ** -126, 'edges');
    expect(loss).toBeCloseTo(wantLoss, 5);
    z[1] = NaN;
    expect(be.kernels.softmaxForward(p, z, Uint8Array.of(0, 3), 2, 4)).toBeNaN();
    expect(Number.isNaN(p[0]) && Number.isNaN(p[3])).toBe(true);
  });

  it('softmaxForward gives a non-finite loss for a NaN or +∞ logit anywhere and −∞ at a label, in any row (the run\'s divergence check)', () => {
    const K = 10;
    const bad: [string, (row: Float32Array, label: number) => void][] = [
      ['NaN at the label', (row, y) => (row[y] = NaN)],
      ['NaN elsewhere', (row, y) => (row[(y + 3) % K] = NaN)],
      ['+∞ at the label', (row, y) => (row[y] = Infinity)],
      ['+∞ elsewhere', (row, y) => (row[(y + 3) % K] = Infinity)],
      ['−∞ at the label', (row, y) => (row[y] = -Infinity)],
      ['a row of −∞', (row) => row.fill(-Infinity)],
    ];
    for (const B of [1, 15, 16, 17, 33]) {
      for (const at of new Set([0, B - 1, Math.min(15, B - 1), Math.min(16, B - 1)])) {
        for (const [what, spoil] of bad) {
          const { z, labels } = problem(B, K, 5);
          spoil(z.subarray(at * K, at * K + K), labels[at]);
          const twin = softmaxForward(new Float32Array(B * K), z, labels, B, K);
          const loss = be.kernels.softmaxForward(probs.subarray(0, B * K), z, labels, B, K);
          expect(Number.isFinite(twin), `twin: ${what} in row ${at} of ${B}`).toBe(false);
          expect(Number.isFinite(loss), `${what} in row ${at} of ${B}: loss ${loss}`).toBe(false);
        }
      }
    }
  });

  it('crossEntropyBackward matches the twin: the same floats for a power-of-2 scale, within an ulp otherwise', () => {
    for (const [B, K] of [[1, 1], [3, 10], [64, 10], [17, 7], [5, 33]]) {
      const { z, labels } = problem(B, K, 5);
      const p = probs.subarray(0, B * K);
      softmaxForward(p, z, labels, B, K);
      for (const scale of [1 / 64, 1 / 32, 1 / B, 1 / 59_000]) {
        const want = new Float32Array(B * K);
        crossEntropyBackward(want, p, labels, B, K, scale);
        const d = dlogits.subarray(0, B * K);
        be.kernels.crossEntropyBackward(d, p, labels, B, K, scale);
        if (Math.log2(1 / scale) % 1 === 0) expect(Array.from(d), `B=${B} K=${K} scale ${scale}`).toEqual(Array.from(want));
        else expectWithin(d, want, 2, 0, `B=${B} K=${K} scale ${scale}`);
      }
    }
  });

  it('refuses a label that is not a class, and labels shorter than the batch', () => {
    const z = logits.subarray(0, 20);
    expect(() => be.kernels.softmaxForward(probs.subarray(0, 20), z, Uint8Array.of(0, 1, 10), 2, 10)).not.toThrow();
    expect(() => be.kernels.softmaxForward(probs.subarray(0, 20), z, Uint8Array.of(0, 10), 2, 10)).toThrow(/labels\[1\] = 10 is not one of the 10 classes/);
    expect(() => be.kernels.crossEntropyBackward(dlogits.subarray(0, 20), probs.subarray(0, 20), Uint8Array.of(0), 2, 10, 0.5)).toThrow(/labels has 1 elements, needs 2/);
    expect(() => be.kernels.softmaxForward(new Float32Array(20), z, null, 2, 10)).toThrow(/probs is not a view into this backend's WebAssembly memory/);
    expect(() => be.kernels.crossEntropyBackward(probs.subarray(5, 25), probs.subarray(0, 20), Uint8Array.of(0, 1), 2, 10, 0.5)).toThrow(/dlogits overlaps probs/);
    expect(() => be.kernels.crossEntropyBackward(probs.subarray(20, 40), probs.subarray(0, 20), Uint8Array.of(0, 1), 2, 10, 0.5)).not.toThrow();
    // the backward reads probs[b, labels[b]] too: the same label check, and every view's
    const [d, p] = [dlogits.subarray(0, 20), probs.subarray(0, 20)];
    expect(() => be.kernels.crossEntropyBackward(d, p, Uint8Array.of(0, 1, 10), 2, 10, 0.5)).not.toThrow();
    expect(() => be.kernels.crossEntropyBackward(d, p, Uint8Array.of(10, 1), 2, 10, 0.5)).toThrow(/crossEntropyBackward: labels\[0\] = 10 is not one of the 10 classes/);
    expect(() => be.kernels.softmaxForward(probs.subarray(0, 20), Float32Array.from(z), null, 2, 10)).toThrow(/logits is not a view/);
    expect(() => be.kernels.crossEntropyBackward(d.subarray(0, 19), p, Uint8Array.of(0, 1), 2, 10, 0.5)).toThrow(/dlogits has 19 elements, needs 20/);
    expect(() => be.kernels.crossEntropyBackward(d, p.subarray(0, 19), Uint8Array.of(0, 1), 2, 10, 0.5)).toThrow(/probs has 19 elements, needs 20/);
  });
});
