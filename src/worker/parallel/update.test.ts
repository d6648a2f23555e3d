// The range-split update of a data-parallel step (./update.ts) against one update of all parameters: the
// optimizer over ranges that cover [0, n) is the optimizer over [0, n), bit for bit — any ranges with the
// plain kernels, the RANGE_ALIGN-aligned ranges a run uses with the WASM kernels — and the thread-ordered
// sum of the threads' gradients is the same sum the Trainer would add up.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../core/kernels';
import { plainKernels } from '../core/kernels-plain';
import { applyOptimizer, type OptimizerBuffers, type OptimizerSettings } from '../core/optimizers';
import type * as WasmModule from '../wasm/index';
import { loadWasmModule, random } from '../wasm/test-support';
import { paramRange, RANGE_ALIGN, reduceAndUpdate } from './update';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

const optimizers: OptimizerSettings[] = (['gd', 'momentum', 'rmsprop', 'adam'] as const).map((optimizer) => ({
  optimizer, learningRate: optimizer === 'adam' ? 1e-3 : 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
}));

type Alloc = (n: number) => Float32Array;

/** params, grads, m, v (m, v only when the optimizer keeps them), filled from a seed. */
function buffers(alloc: Alloc, o: OptimizerSettings, n: number, seed: number): OptimizerBuffers {
  const rnd = random(seed);
  const fill = (x: Float32Array, scale: number, positive = false) => {
    for (let i = 0; i < n; i++) x[i] = i % 7 === 2 ? 0 : (positive ? Math.abs(rnd()) : rnd()) * scale;
    return x;
  };
  const hasM = o.optimizer === 'momentum' || o.optimizer === 'adam';
  const hasV = o.optimizer === 'rmsprop' || o.optimizer === 'adam';
  return {
    params: fill(alloc(n), 0.3),
    grads: fill(alloc(n), 0.01),
    m: hasM ? fill(alloc(n), 0.001) : null,
    v: hasV ? fill(alloc(n), 1e-6, true) : null,
  };
}

function copy(alloc: Alloc, b: OptimizerBuffers): OptimizerBuffers {
  const c = (x: Float32Array | null) => {
    if (!x) return null;
    const y = alloc(x.length);
    y.set(x);
    return y;
  };
  return { params: c(b.params)!, grads: c(b.grads)!, m: c(b.m), v: c(b.v) };
}

function expectSameBits(a: OptimizerBuffers, b: OptimizerBuffers, what: string): void {
  for (const key of ['params', 'm', 'v'] as const) {
    const x = a[key], y = b[key];
    if (!x || !y) continue;
    const xb = new Uint32Array(Float32Array.from(x).buffer), yb = new Uint32Array(Float32Array.from(y).buffer);
    const i = xb.findIndex((bits, j) => bits !== yb[j]);
    expect(i, `${what}: ${key}[${i}] = ${x[i]} vs ${y[i]}`).toBe(-1);
  }
}

/** Several steps (t = 1…20, crossing Adam's every-16th-step flush), the same gradients each step. */
function stepsOver(kernels: Kernels, o: OptimizerSettings, b: OptimizerBuffers, cuts: number[]): void {
  for (let t = 1; t <= 20; t++) for (let r = 0; r + 1 < cuts.length; r++) applyOptimizer(kernels, o, b, t, cuts[r], cuts[r + 1]);
}

describe('paramRange', () => {
  it('splits [0, n) into contiguous, aligned, near-even ranges', () => {
    for (const n of [0, 1, 15, 16, 17, 100, 101_770]) {
      for (const T of [2, 3, 4, 7]) {
        let at = 0;
        for (let t = 0; t < T; t++) {
          const { from, to } = paramRange(t, T, n);
          expect(from).toBe(at);
          expect(to).toBeGreaterThanOrEqual(from);
          if (to < n) expect(to % RANGE_ALIGN).toBe(0);
          expect(to - from).toBeLessThanOrEqual(Math.ceil(n / RANGE_ALIGN / T) * RANGE_ALIGN);
          at = to;
        }
        expect(at).toBe(n);
      }
    }
  });
});

describe('the optimizer over ranges equals it over all parameters, bit for bit', () => {
  const plainAlloc: Alloc = (n) => new Float32Array(n);
  for (const o of optimizers) {
    it(`${o.optimizer}, plain kernels, odd sizes, ranges not multiples of 4`, () => {
      for (const [n, cuts] of [[1, [0, 1]], [7, [0, 3, 7]], [37, [0, 5, 6, 21, 37]], [1001, [0, 333, 667, 1001]], [101_770, [0, 50_885, 101_770]]] as const) {
        const whole = buffers(plainAlloc, o, n, n);
        const split = copy(plainAlloc, whole);
        stepsOver(plainKernels, o, whole, [0, n]);
        stepsOver(plainKernels, o, split, [...cuts]);
        expectSameBits(split, whole, `n=${n}`);
      }
    });

    it(`${o.optimizer}, wasm kernels, odd sizes, the ranges of 2, 3 and 5 threads`, () => {
      const be = wasm.createWasmSimdBackend({ maxFloats: 1 << 21 });
      const alloc: Alloc = (n) => be.allocator.allocFloat32(n);
      for (const n of [5, 37, 1001, 101_770]) {
        const whole = buffers(alloc, o, n, n);
        stepsOver(be.kernels, o, whole, [0, n]);
        for (const T of [2, 3, 5]) {
          const split = buffers(alloc, o, n, n);
          const cuts = [0, ...Array.from({ length: T }, (_, t) => paramRange(t, T, n).to)];
          stepsOver(be.kernels, o, split, cuts);
          expectSameBits(split, whole, `n=${n}, ${T} threads`);
        }
      }
    });
  }
});

describe('reduceAndUpdate', () => {
  for (const [name, getKernels] of [['plain', () => ({ kernels: plainKernels, alloc: (n: number) => new Float32Array(n) })], ['wasm', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 1 << 20 });
    return { kernels: be.kernels as Kernels, alloc: (n: number) => be.allocator.allocFloat32(n) };
  }]] as const) {
    it(`every thread's range together: the thread-ordered sum of the gradients, then one update (${name} kernels)`, () => {
      const { kernels, alloc } = getKernels();
      const n = 1001, T = 3, o = optimizers[3];
      const ref = buffers(alloc, o, n, 1);
      const grads = [ref.grads, ...[2, 3].map((seed) => buffers(alloc, o, n, seed).grads)];
      const shared = copy(alloc, ref);
      const views = { params: shared.params, m: shared.m, v: shared.v, grads: [shared.grads, ...grads.slice(1).map((g) => copy(alloc, { ...ref, grads: g }).grads)] };
      // the reference: g0 + g1 + g2 left to right, then the update of all n
      for (let i = 0; i < n; i++) ref.grads[i] = Math.fround(Math.fround(grads[0][i] + grads[1][i]) + grads[2][i]);
      applyOptimizer(kernels, o, ref, 7, 0, n);
      // threads finish in any order; each touches only its own range
      for (const t of [2, 0, 1]) reduceAndUpdate(kernels, o, views, t, T, 30, 7);
      expectSameBits({ params: views.params, grads: views.grads[0], m: views.m, v: views.v }, ref, 'after one step');
      expect(Array.from(views.grads[0])).toEqual(Array.from(ref.grads));
    });
  }

  it('skips a thread whose slice of the batch was empty (its gradient buffer is stale)', () => {
    const n = 40, o = optimizers[0];
    const views = { params: new Float32Array(n), m: null, v: null, grads: [new Float32Array(n).fill(1), new Float32Array(n).fill(NaN)] };
    // a batch of 1 row on 2 threads: thread 0's slice is empty, thread 1's holds the row
    reduceAndUpdate(plainKernels, o, views, 0, 2, 1, 1);
    reduceAndUpdate(plainKernels, o, views, 1, 2, 1, 1);
    expect(views.params.every(Number.isNaN)).toBe(true);
    // 3 threads, 1 row: the slices of threads 0 and 1 are empty, thread 2 holds the row
    const three = { params: new Float32Array(n), m: null, v: null, grads: [new Float32Array(n).fill(1), new Float32Array(n).fill(NaN), new Float32Array(n).fill(2)] };
    for (let t = 0; t < 3; t++) reduceAndUpdate(plainKernels, o, three, t, 3, 1, 1);
    expect(Array.from(three.params)).toEqual(Array.from({ length: n }, () => Math.fround(-0.05 * 3)));
  });
});
