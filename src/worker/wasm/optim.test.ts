// The WASM SIMD optimizer steps against the core's plain loops (src/worker/core/optimizers.ts) over
// several steps, and the subnormal flush. Builds the module first if needed (scripts/build-wasm.mjs).
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveKernels } from '../core/kernels';
import type { WasmBackend } from './backend';
import type * as WasmModule from './index';
import { loadWasmModule, random } from './test-support';

let wasm: typeof WasmModule;
let be: WasmBackend;

beforeAll(async () => {
  wasm = await loadWasmModule();
  be = wasm.createWasmSimdBackend({ maxFloats: 1 << 22 });
}, 120_000);


const U = 2 ** -24; // float32 unit roundoff
const STEPS = 8;
const sizes = [1, 3, 4, 5, 7, 13, 1000, 101_770]; // 101,770 = the standard network's parameter count

/** Gradients spanning five decades, some exactly 0, as a training step produces. */
function gradients(rnd: () => number, n: number): Float32Array {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = i % 11 === 3 ? 0 : rnd() * 10 ** -(i % 5);
  return g;
}

interface Case {
  name: 'sgd' | 'momentum' | 'rmsprop' | 'adam';
  lr: number;
}
const cases: Case[] = [{ name: 'sgd', lr: 0.1 }, { name: 'momentum', lr: 0.1 }, { name: 'rmsprop', lr: 0.01 }, { name: 'adam', lr: 1e-3 }];
const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];

/**
 * Tolerance, per element, accumulated over the steps. Each step the two implementations may differ by
 * rounding: the WASM one computes the update in float32 (about 6 roundings: lr, bias corrections, √, +ε,
 * ÷) where the plain one uses doubles and rounds once, and the stored parameter may then round either
 * way: ≤ 2u·|p| + 16u·|update|. The moments are linear recurrences (no amplification): ≤ 4u per step
 * relative to the sum of magnitudes of their terms, which propagates into the update through m/√v.
 * Float32 semantics cannot promise more; a wrong formula or index is off by the update itself.
 */
describe('wasm-simd optimizer steps', () => {
  for (const { name, lr } of cases) {
    it(`${name} matches the plain loop over ${STEPS} steps`, () => {
      const rnd = random(7 + name.length);
      for (const n of sizes) {
        const a = be.allocator;
        const p = a.allocFloat32(n), g = a.allocFloat32(n), m = a.allocFloat32(n), v = a.allocFloat32(n);
        for (let i = 0; i < n; i++) p[i] = rnd() * 0.5;
        const initial = p.slice(), pr = p.slice(), mr = new Float32Array(n), vr = new Float32Array(n);
        const mAbs = new Float64Array(n); // Σ of |terms| of m's recurrence
        const tolP = new Float64Array(n);
        for (let t = 1; t <= STEPS; t++) {
          g.set(gradients(rnd, n));
          const before = pr.slice();
          if (name === 'sgd') {
            be.kernels.sgdStep(p, g, lr, n);
            naiveKernels.sgdStep(pr, g, lr, n);
          } else if (name === 'momentum') {
            be.kernels.momentumStep(p, g, m, lr, beta1, n);
            naiveKernels.momentumStep(pr, g, mr, lr, beta1, n);
          } else if (name === 'rmsprop') {
            be.kernels.rmspropStep(p, g, v, lr, beta2, eps, n);
            naiveKernels.rmspropStep(pr, g, vr, lr, beta2, eps, n);
          } else {
            be.kernels.adamStep(p, g, m, v, lr, beta1, beta2, eps, t, n);
            naiveKernels.adamStep(pr, g, mr, vr, lr, beta1, beta2, eps, t, n);
          }
          const c1 = name === 'adam' ? 1 / (1 - beta1 ** t) : 1;
          const c2 = name === 'adam' ? 1 / (1 - beta2 ** t) : 1;
          for (let i = 0; i < n; i++) {
            mAbs[i] = beta1 * mAbs[i] + (1 - beta1) * Math.abs(g[i]);
            const update = Math.abs(pr[i] - before[i]);
            // How far the moments' rounding can move this step's update (adam/momentum/rmsprop):
            const moment = name === 'sgd' ? 0 : name === 'rmsprop' ? update : (lr * c1 * mAbs[i]) / (Math.sqrt(vr[i] * c2) + eps);
            tolP[i] += 2 * U * Math.abs(pr[i]) + 16 * U * update + 4 * U * t * moment;
          }
        }
        for (let i = 0; i < n; i++) {
          const where = `${name} n=${n} element ${i}`;
          if (!(Math.abs(p[i] - pr[i]) <= tolP[i] + 1e-30)) throw new Error(`${where}: param ${p[i]}, expected ${pr[i]} ± ${tolP[i]}`);
          if (name === 'momentum' || name === 'adam') {
            const tol = 4 * U * STEPS * mAbs[i] + 1e-30;
            if (!(Math.abs(m[i] - mr[i]) <= tol)) throw new Error(`${where}: m ${m[i]}, expected ${mr[i]} ± ${tol}`);
          }
          if (name === 'rmsprop' || name === 'adam') {
            const tol = 4 * U * STEPS * vr[i] + 1e-30;
            if (!(Math.abs(v[i] - vr[i]) <= tol)) throw new Error(`${where}: v ${v[i]}, expected ${vr[i]} ± ${tol}`);
          }
        }
        // The weights moved (the comparison above cannot pass on a no-op kernel).
        expect(p.some((x, i) => x !== initial[i])).toBe(true);
      }
    });
  }
});

describe('subnormal flush in the moments', () => {
  // 2^-100 ≈ 7.9e-31 is the floor; 1e-38 is a float32 subnormal.
  const m0 = [1e-38, -1e-38, 1e-33, 5e-31, -1e-30, 1e-20, -3e-5, 0, 1e-38];
  const n = m0.length;

  /** Entries in `kept` match the plain loop to float32 rounding; all others are exactly 0. */
  function expectFlushed(actual: Float32Array, plain: Float32Array, kept: number[]): void {
    for (let i = 0; i < actual.length; i++) {
      if (kept.includes(i)) expect(Math.abs(actual[i] - plain[i])).toBeLessThanOrEqual(4 * U * Math.abs(plain[i]));
      else expect(actual[i]).toBe(0);
    }
  }

  it('momentum stores moments that decayed below 2^-100 as 0 and leaves the rest as the plain loop does', () => {
    const p = be.allocator.allocFloat32(n), g = be.allocator.allocFloat32(n), m = be.allocator.allocFloat32(n);
    p.fill(0.25);
    m.set(m0);
    const pr = p.slice(), mr = m.slice();
    be.kernels.momentumStep(p, g, m, 0.1, beta1, n); // g = 0: m = 0.9·m
    naiveKernels.momentumStep(pr, g, mr, 0.1, beta1, n);
    expectFlushed(m, mr, [4, 5, 6]);
    expect(Array.from(p)).toEqual(Array.from(pr)); // the flushed terms are below the weights' resolution
  });

  it('adam flushes m and v every 16th step and gives the same weights as the plain loop', () => {
    const p = be.allocator.allocFloat32(n), g = be.allocator.allocFloat32(n);
    const m = be.allocator.allocFloat32(n), v = be.allocator.allocFloat32(n);
    p.set([0.5, -0.5, 0.125, 1, -1, 0.75, 0.3, 0.2, 0.1]);
    g.set([0, 0, 0, 0, 0, 0, 1e-3, 1e-17, 1e-3]);
    m.set(m0);
    v.set(m0.map(Math.abs));
    const pr = p.slice(), mr = m.slice(), vr = v.slice();
    const [m1, v1, p1] = [m.slice(), v.slice(), p.slice()];
    be.kernels.adamStep(p, g, m, v, 1e-3, beta1, beta2, eps, 513, n); // 513: no flush
    expect(m[2]).not.toBe(0); // 0.9·1e-33 survives until the next flush step
    m.set(m1);
    v.set(v1);
    p.set(p1);
    be.kernels.adamStep(p, g, m, v, 1e-3, beta1, beta2, eps, 512, n);
    naiveKernels.adamStep(pr, g, mr, vr, 1e-3, beta1, beta2, eps, 512, n);
    for (const i of [0, 1, 2, 3]) expect([m[i], v[i]]).toEqual([0, 0]);
    expect(v[7]).toBe(0); // (1−β2)·(1e-17)² = 1e-37: below the floor
    expect(m[7]).not.toBe(0); // m keeps the raw gradient: (1−β1)·1e-17
    for (const i of [4, 5, 6, 7, 8]) expect(Math.abs(m[i] - mr[i])).toBeLessThanOrEqual(4 * U * Math.abs(mr[i]));
    for (const i of [4, 5, 6, 8]) expect(Math.abs(v[i] - vr[i])).toBeLessThanOrEqual(4 * U * vr[i]);
    for (let i = 0; i < n; i++) expect(Math.abs(p[i] - pr[i])).toBeLessThanOrEqual(2 * U * Math.abs(pr[i]) + 1e-3 * 16 * U);
  });

  it('rmsprop flushes v', () => {
    const p = be.allocator.allocFloat32(n), g = be.allocator.allocFloat32(n), v = be.allocator.allocFloat32(n);
    p.fill(0.5);
    v.set(m0.map(Math.abs));
    const pr = p.slice(), vr = v.slice();
    be.kernels.rmspropStep(p, g, v, 0.01, beta2, eps, n);
    naiveKernels.rmspropStep(pr, g, vr, 0.01, beta2, eps, n);
    expectFlushed(v, vr, [4, 5, 6]);
    expect(Array.from(p)).toEqual(Array.from(pr)); // g = 0: no step
  });
});

describe('adam loop widths', () => {
  it('the loop over four vectors at a time gives the bits of the one-vector loop (each 4-element slice alone)', () => {
    const n = 4096, rnd = random(17);
    const buffers = () => Array.from({ length: 3 }, () => be.allocator.allocFloat32(n));
    const [p, m, v] = buffers(), [p4, m4, v4] = buffers();
    const g = be.allocator.allocFloat32(n);
    for (let i = 0; i < n; i++) {
      p[i] = p4[i] = rnd();
      m[i] = m4[i] = rnd() * 0.01;
      v[i] = v4[i] = Math.abs(rnd()) * 1e-4;
    }
    for (let t = 1; t <= 20; t++) {
      g.set(gradients(rnd, n));
      be.kernels.adamStep(p, g, m, v, 1e-3, 0.9, 0.999, 1e-8, t, n);
      for (let o = 0; o < n; o += 4) {
        const slice = (a: Float32Array) => a.subarray(o, o + 4);
        be.kernels.adamStep(slice(p4), slice(g), slice(m4), slice(v4), 1e-3, 0.9, 0.999, 1e-8, t, 4);
      }
    }
    expect(p).toEqual(p4);
    expect(m).toEqual(m4);
    expect(v).toEqual(v4);
  });
});
