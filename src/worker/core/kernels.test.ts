// The plain (blocked) kernels against the naive reference on odd shapes, the naive ones against
// numbers worked out by hand, and each optimizer step against hand-computed values.
import { describe, expect, it } from 'vitest';
import { naiveKernels, type Kernels } from './kernels';
import { plainKernels } from './kernels-plain';
import { Rng } from './rng';

function random(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform() * 2 - 1;
  return a;
}

/** Largest |a − b| relative to the largest |b| (≥ 1). */
function relError(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

describe('naive kernels, by hand', () => {
  // inp[2,3] = [[1,2,3],[4,5,6]], W[3,2] = [[1,0],[0,1],[1,1]], b = [0.5,-1]
  const inp = Float32Array.of(1, 2, 3, 4, 5, 6);
  const W = Float32Array.of(1, 0, 0, 1, 1, 1);
  const bias = Float32Array.of(0.5, -1);

  it('forward: out = inp·W + b', () => {
    const out = new Float32Array(4);
    naiveKernels.matmulForward(out, inp, W, bias, 2, 3, 2);
    // row 0: [1+3, 2+3] + b = [4.5, 4]; row 1: [4+6, 5+6] + b = [10.5, 10]
    expect([...out]).toEqual([4.5, 4, 10.5, 10]);
  });

  it('weight gradient accumulates inpᵀ·dout and Σ dout', () => {
    const dout = Float32Array.of(1, 0, 0, 2); // [2,2]
    const dW = new Float32Array(6).fill(1);
    const db = Float32Array.of(10, 20);
    naiveKernels.matmulBackwardWeight(dW, db, dout, inp, 2, 3, 2);
    // inpᵀ·dout = [[1,8],[2,10],[3,12]], plus the 1 already there
    expect([...dW]).toEqual([2, 9, 3, 11, 4, 13]);
    expect([...db]).toEqual([11, 22]);
  });

  it('input gradient overwrites with dout·Wᵀ', () => {
    const dout = Float32Array.of(1, 0, 0, 2);
    const dinp = new Float32Array(6).fill(99);
    naiveKernels.matmulBackwardInput(dinp, dout, W, 2, 3, 2);
    // row 0: dout [1,0] · Wᵀ = [1,0,1]; row 1: [0,2] · Wᵀ = [0,2,2]
    expect([...dinp]).toEqual([1, 0, 1, 0, 2, 2]);
  });
});

describe('plain kernels agree with the naive ones', () => {
  const Bs = [1, 3, 5, 7, 64];
  const Cs = [1, 3, 13, 784];
  const OCs = [1, 5, 10, 128];
  const rng = new Rng(42);
  // Both sum in double in the same order, so they agree exactly; 1e-6 leaves room for a differently
  // ordered fast path (float32 rounding of a length-784 dot product is ~1e-6 relative).
  const tol = 1e-6;
  for (const B of Bs) {
    for (const C of Cs) {
      for (const OC of OCs) {
        it.each([false, true])(`B=${B} C=${C} OC=${OC}, sparse=%s`, (sparse) => {
          // sparse: like images, most inputs 0 and some whole columns 0 (the plain kernels skip zeros)
          const inp = random(B * C, rng).map((x, i) => (sparse && (x < 0.4 || i % C < C / 4) ? 0 : x));
          const W = random(C * OC, rng);
          const bias = random(OC, rng);
          const dout = random(B * OC, rng);
          const run = (k: Kernels) => {
            const out = new Float32Array(B * OC);
            k.matmulForward(out, inp, W, bias, B, C, OC);
            const dW = Float32Array.from(W); // accumulates onto existing values
            const db = Float32Array.from(bias);
            k.matmulBackwardWeight(dW, db, dout, inp, B, C, OC);
            const dinp = new Float32Array(B * C).fill(7); // overwritten
            k.matmulBackwardInput(dinp, dout, W, B, C, OC);
            return { out, dW, db, dinp };
          };
          const want = run(naiveKernels);
          const got = run(plainKernels);
          for (const k of [naiveKernels, plainKernels]) {
            // accumulate = false: the same floats as accumulating into zeros, whatever was there
            const [dW0, db0] = [new Float32Array(C * OC), new Float32Array(OC)];
            k.matmulBackwardWeight(dW0, db0, dout, inp, B, C, OC);
            const [dW, db] = [Float32Array.from(W), new Float32Array(OC).fill(NaN)];
            k.matmulBackwardWeight(dW, db, dout, inp, B, C, OC, false);
            expect(dW).toEqual(dW0);
            expect(db).toEqual(db0);
          }
          expect(got.out).toEqual(want.out); // the forward pass's sums, tiled or a row at a time: the same floats
          expect(relError(got.dW, want.dW)).toBeLessThanOrEqual(tol);
          expect(relError(got.db, want.db)).toBeLessThanOrEqual(tol);
          expect(relError(got.dinp, want.dinp)).toBeLessThanOrEqual(tol);
        });
      }
    }
  }
});

describe.each([naiveKernels, plainKernels])('optimizer steps by hand ($name)', (k) => {
  const close = (a: Float32Array, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 5));

  it('gd: p −= lr·g', () => {
    const p = Float32Array.of(1, -2);
    k.sgdStep(p, Float32Array.of(0.5, -1), 0.1, 2);
    close(p, [0.95, -1.9]);
  });

  it('momentum: m = β1·m + (1−β1)·g; p −= lr·m', () => {
    const p = Float32Array.of(1, -2);
    const m = Float32Array.of(0.2, 0);
    k.momentumStep(p, Float32Array.of(0.5, -1), m, 0.1, 0.9, 2);
    // m = 0.9·0.2 + 0.1·0.5 = 0.23, 0.9·0 + 0.1·(−1) = −0.1
    close(m, [0.23, -0.1]);
    close(p, [1 - 0.023, -2 + 0.01]);
  });

  it('rmsprop: v = β2·v + (1−β2)·g²; p −= lr·g/(√v+ε)', () => {
    const p = Float32Array.of(1, -2);
    const v = Float32Array.of(0, 0.04);
    k.rmspropStep(p, Float32Array.of(0.5, -1), v, 0.1, 0.999, 1e-8, 2);
    // v0 = 0.001·0.25 = 0.00025 → √ = 0.0158114; p0 = 1 − 0.05/0.0158114 = −2.1622777
    // v1 = 0.999·0.04 + 0.001·1 = 0.04096 → √ = 0.2023858; p1 = −2 + 0.1/0.2023858 = −1.5058942
    close(v, [0.00025, 0.04096]);
    close(p, [-2.1622777, -1.5058942]);
  });

  it('adam: bias-corrected moments, two steps', () => {
    const p = Float32Array.of(1, -2);
    const m = new Float32Array(2);
    const v = new Float32Array(2);
    // t = 1: m̂ = g, v̂ = g², so p −= lr·g/|g| = lr·sign(g)
    k.adamStep(p, Float32Array.of(0.5, -1), m, v, 0.1, 0.9, 0.999, 1e-8, 1, 2);
    close(m, [0.05, -0.1]);
    close(v, [0.00025, 0.001]);
    close(p, [0.9, -1.9]);
    // t = 2, g = [0.1, 0]: m = [0.045+0.01, −0.09] = [0.055, −0.09]; v = [0.00024975+0.00001, 0.000999]
    // m̂ = m/0.19, v̂ = v/0.001999 → p0 −= 0.1·0.2894737/0.3604719 = 0.0803041; p1 −= 0.1·(−0.4736842)/0.7069299
    k.adamStep(p, Float32Array.of(0.1, 0), m, v, 0.1, 0.9, 0.999, 1e-8, 2, 2);
    close(m, [0.055, -0.09]);
    close(v, [0.00025975, 0.000999]);
    close(p, [0.9 - 0.0803041, -1.9 + 0.0670058]);
  });
});
