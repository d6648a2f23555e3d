// The WASM SIMD kernels against the core's naive reference (src/worker/core/kernels.ts), on random
// data and on odd shapes that do not fill the 4×8 register tile. Builds the module first if needed
// (scripts/build-wasm.mjs skips the compile when the generated module is up to date).
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveKernels } from '../core/kernels';
import type { WasmBackend } from './backend';
import type * as WasmModule from './index';
import { loadWasmModule, random, WASM_BUILDS } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);


function fill(a: Float32Array, rnd: () => number, scale = 1): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = rnd() * scale;
  return a;
}

/** Like fill, with about half the values exactly 0 (as pixels and ReLU outputs are). */
function fillWithZeros(a: Float32Array, rnd: () => number): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = rnd() < 0 ? 0 : rnd();
  return a;
}

const abs = (a: Float32Array): Float32Array => a.map(Math.abs);
const U = 2 ** -24; // float32 unit roundoff

/**
 * Any order of summing K products in float32 is within (K+2)·u·Σ|terms| of the exact sum (the naive
 * kernels sum in double and round once, so they are within u·|sum| of it). `magnitude` is Σ|terms|,
 * computed by running the naive kernel on absolute values. A wrong index or a missed tail gives errors
 * of the order of Σ|terms| itself, thousands of times this bound.
 */
function expectClose(actual: Float32Array, expected: Float32Array, magnitude: Float32Array, K: number, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const tol = 2 * (K + 2) * U * magnitude[i] + 1e-30;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} ± ${tol}`);
    }
  }
}

// Sizes around the tile edges (4 rows, 8 and 4 columns) and the standard network's 784-128-10.
const small = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17];
const gemmShapes: [number, number, number][] = [];
for (const B of small) for (const C of small) for (const OC of small) gemmShapes.push([B, C, OC]);
gemmShapes.push([64, 784, 128], [64, 128, 10], [13, 784, 128], [7, 785, 129], [64, 129, 11], [5, 3, 784], [33, 64, 100]);
// Outputs of 32 columns or more (the zero-skipping path): 32-wide panels, then 8-wide, then 1–4 lanes.
gemmShapes.push([5, 7, 45], [3, 9, 37], [6, 13, 42], [1, 1, 32], [2, 17, 33], [9, 5, 76], [3, 0, 40]);

// Both paths of matmulForward / matmulBackwardWeight: the dense 4×8 tiles and the zero-skipping lists.
const modes = [
  { name: 'dense tiles', sparseBelow: 0 },
  { name: 'zero-skipping', sparseBelow: 1 },
];

for (const build of WASM_BUILDS) for (const mode of modes) describe(`wasm-simd backend (${build} build, ${mode.name})`, () => {
  let be: WasmBackend;
  let rnd: () => number;
  // Three big buffers, re-used through subarray views (with an odd start, to test unaligned views).
  let A: Float32Array, W: Float32Array, O: Float32Array, bias: Float32Array;

  beforeAll(() => {
    be = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor([640_000, 640_000, 640_000, 1000]), sparseBelow: mode.sparseBelow });
    rnd = random(42);
    A = be.allocator.allocFloat32(800 * 800);
    W = be.allocator.allocFloat32(800 * 800);
    O = be.allocator.allocFloat32(800 * 800);
    bias = be.allocator.allocFloat32(1000);
  });

  it('reports SIMD support and its name', () => {
    expect(wasm.wasmSimdSupported()).toBe(true);
    expect(be.kernels.name).toBe('wasm-simd');
    for (const extra of ['reluForward', 'reluBackward', 'gatherRows', 'gatherBatch'] as const) expect(be.kernels[extra]).toBe(be.extras[extra]);
  });

  it('matmulForward matches the naive kernel on every shape', () => {
    for (const [B, C, OC] of gemmShapes) {
      const off = (B + C + OC) % 3; // 0, 1 or 2 floats: views not 16-byte aligned
      const inp = (B % 2 ? fillWithZeros : fill)(A.subarray(off, off + B * C), rnd);
      const weight = fill(W.subarray(off, off + C * OC), rnd);
      const b = fill(bias.subarray(off, off + OC), rnd);
      const out = O.subarray(off, off + B * OC).fill(NaN);
      be.kernels.matmulForward(out, inp, weight, b, B, C, OC);
      const ref = new Float32Array(B * OC), mag = new Float32Array(B * OC);
      naiveKernels.matmulForward(ref, inp, weight, b, B, C, OC);
      naiveKernels.matmulForward(mag, abs(inp), abs(weight), abs(b), B, C, OC);
      expectClose(out, ref, mag, C, `forward ${B}×${C}·${C}×${OC}`);
    }
  });

  it('matmulBackwardWeight accumulates into dweight and dbias like the naive kernel', () => {
    for (const [B, C, OC] of gemmShapes) {
      const off = (B * 7 + C + OC) % 3;
      const inp = (C % 2 ? fillWithZeros : fill)(A.subarray(off, off + B * C), rnd);
      const dout = fill(W.subarray(off, off + B * OC), rnd);
      const dweight = fill(O.subarray(off, off + C * OC), rnd); // existing gradient: must be kept
      const dbias = fill(bias.subarray(off, off + OC), rnd);
      const refW = dweight.slice(), refB = dbias.slice();
      const magW = abs(dweight), magB = abs(dbias);
      be.kernels.matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC);
      naiveKernels.matmulBackwardWeight(refW, refB, dout, inp, B, C, OC);
      naiveKernels.matmulBackwardWeight(magW, magB, abs(dout), abs(inp), B, C, OC);
      expectClose(dweight, refW, magW, B, `dweight ${B}: ${C}×${OC}`);
      expectClose(dbias, refB, magB, B, `dbias ${B}: ${OC}`);
    }
  });

  it('matmulBackwardWeight twice adds twice (accumulate, not overwrite)', () => {
    const [B, C, OC] = [5, 13, 11];
    const inp = fill(A.subarray(0, B * C), rnd), dout = fill(W.subarray(0, B * OC), rnd);
    const dweight = O.subarray(0, C * OC).fill(0), dbias = bias.subarray(0, OC).fill(0);
    be.kernels.matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC);
    const once = dweight.slice(), onceB = dbias.slice();
    be.kernels.matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC);
    for (let i = 0; i < once.length; i++) expect(dweight[i]).toBeCloseTo(2 * once[i], 5);
    for (let i = 0; i < onceB.length; i++) expect(dbias[i]).toBeCloseTo(2 * onceB[i], 5);
    expect(once.some((x) => x !== 0)).toBe(true);
  });

  it('matmulBackwardInput overwrites dinp with dout·weightᵀ like the naive kernel', () => {
    for (const [B, C, OC] of gemmShapes) {
      const off = (B + C * 5 + OC) % 3;
      const dout = fill(A.subarray(off, off + B * OC), rnd);
      const weight = fill(W.subarray(off, off + C * OC), rnd);
      const dinp = O.subarray(off, off + B * C).fill(1e6); // stale values: must be overwritten
      be.kernels.matmulBackwardInput(dinp, dout, weight, B, C, OC);
      const ref = new Float32Array(B * C), mag = new Float32Array(B * C);
      naiveKernels.matmulBackwardInput(ref, dout, weight, B, C, OC);
      naiveKernels.matmulBackwardInput(mag, abs(dout), abs(weight), B, C, OC);
      expectClose(dinp, ref, mag, OC, `dinp ${B}×${OC}·(${C}×${OC})ᵀ`);
    }
  });

  it('matmulBackwardInput without scratch (the dot-product form) gives the same results', () => {
    const noScratch = wasm.createWasmSimdBackend({ build, maxFloats: 3 * 800 * 800, scratchFloats: 0 });
    const [dout, weight, dinp] = [0, 1, 2].map(() => noScratch.allocator.allocFloat32(800 * 800));
    for (const [B, C, OC] of gemmShapes) {
      const d = fill(dout.subarray(0, B * OC), rnd), w = fill(weight.subarray(0, C * OC), rnd);
      noScratch.kernels.matmulBackwardInput(dinp, d, w, B, C, OC);
      const ref = new Float32Array(B * C), mag = new Float32Array(B * C);
      naiveKernels.matmulBackwardInput(ref, d, w, B, C, OC);
      naiveKernels.matmulBackwardInput(mag, abs(d), abs(w), B, C, OC);
      expectClose(dinp.subarray(0, B * C), ref, mag, OC, `dinp (dot form) ${B}×${OC}·(${C}×${OC})ᵀ`);
    }
  });

  it('column tails may read past the last array of a full backend without trapping', () => {
    const [B, C, OC] = [5, 7, 3];
    const full = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor([B * OC, B * C, OC, C * OC]), scratchFloats: 0 });
    const out = full.allocator.allocFloat32(B * OC), inp = fill(full.allocator.allocFloat32(B * C), rnd);
    const b = fill(full.allocator.allocFloat32(OC), rnd), weight = fill(full.allocator.allocFloat32(C * OC), rnd);
    full.kernels.matmulForward(out, inp, weight, b, B, C, OC);
    const ref = new Float32Array(B * OC), mag = new Float32Array(B * OC);
    naiveKernels.matmulForward(ref, inp, weight, b, B, C, OC);
    naiveKernels.matmulForward(mag, abs(inp), abs(weight), abs(b), B, C, OC);
    expectClose(out, ref, mag, C, 'forward at the end of memory');
  });

  it('counts the pairs of values holding a non-zero, and reports the kernels\' own dense-or-skip choice', () => {
    const auto = wasm.createWasmSimdBackend({ build, maxFloats: 1 << 16, sparseBelow: 0.6 });
    for (const [B, C] of [[64, 784], [7, 13], [6, 9], [1, 5], [5, 1], [4, 8]]) {
      const inp = auto.allocator.allocFloat32(B * C);
      for (let i = 0; i < inp.length; i++) inp[i] = rnd() < -0.6 ? (i % 7 === 0 ? NaN : rnd()) : 0; // 20% non-zero (rnd: −1…1)
      const nz = (b: number, c: number) => b < B && c < C && inp[b * C + c] !== 0;
      let rowPairs = 0, colPairs = 0;
      for (let b = 0; b < B; b += 2) for (let c = 0; c < C; c++) rowPairs += nz(b, c) || nz(b + 1, c) ? 1 : 0;
      for (let b = 0; b < B; b++) for (let c = 0; c < C; c += 2) colPairs += nz(b, c) || nz(b, c + 1) ? 1 : 0;
      const f = auto.zeroSkipping('forward', inp, B, C, 32), w = auto.zeroSkipping('weight', inp, B, C, 32);
      expect([f.entries, f.slots, w.entries, w.slots]).toEqual([rowPairs, C * Math.ceil(B / 2), colPairs, B * Math.ceil(C / 2)]);
      if (C < 8) continue;
      // One value in 8 non-zero (far below 0.6 by either rule, in any sample of rows): both kernels skip;
      // never for outputs narrower than 32.
      for (let i = 0; i < inp.length; i++) inp[i] = i % 8 === 0 ? 1 : 0;
      expect([B, C, auto.zeroSkipping('forward', inp, B, C, 32).used, auto.zeroSkipping('weight', inp, B, C, 32).used]).toEqual([B, C, true, true]);
      expect([auto.zeroSkipping('forward', inp, B, C, 31).used, auto.zeroSkipping('weight', inp, B, C, 31).used]).toEqual([false, false]);
      // No zeros at all: both stay on the dense tiles, unless told to always skip.
      inp.fill(0.5);
      expect([auto.zeroSkipping('forward', inp, B, C, 32).used, auto.zeroSkipping('weight', inp, B, C, 32).used]).toEqual([false, false]);
    }
    const always = wasm.createWasmSimdBackend({ build, maxFloats: 1 << 12, sparseBelow: 1 });
    const never = wasm.createWasmSimdBackend({ build, maxFloats: 1 << 12, sparseBelow: 0 });
    const full = always.allocator.allocFloat32(8 * 40).fill(1), empty = never.allocator.allocFloat32(8 * 40);
    expect([always.zeroSkipping('forward', full, 8, 40, 32).used, always.zeroSkipping('weight', full, 8, 40, 32).used]).toEqual([true, true]);
    expect([never.zeroSkipping('forward', empty, 8, 40, 32).used, never.zeroSkipping('weight', empty, 8, 40, 32).used]).toEqual([false, false]);
  });

  it('GEMMs write nothing outside their output', () => {
    const [B, C, OC] = [7, 13, 11];
    const inp = fill(A.subarray(0, B * C), rnd), weight = fill(W.subarray(0, C * OC), rnd), b = fill(bias.subarray(0, OC), rnd);
    O.fill(7);
    be.kernels.matmulForward(O.subarray(3, 3 + B * OC), inp, weight, b, B, C, OC);
    expect(O.subarray(0, 3).every((x) => x === 7)).toBe(true);
    expect(O.subarray(3 + B * OC, 3 + B * OC + 64).every((x) => x === 7)).toBe(true);
    O.fill(7);
    be.kernels.matmulBackwardInput(O.subarray(3, 3 + B * C), inp.subarray(0, B * OC), weight, B, C, OC);
    expect(O.subarray(0, 3).every((x) => x === 7)).toBe(true);
    expect(O.subarray(3 + B * C, 3 + B * C + 64).every((x) => x === 7)).toBe(true);
  });
});

/** Image-like rows: a random blob of non-zeros (about `density` of the pixels) in a 28-wide grid, zeros
 *  around it (clustered at the borders, as in MNIST-style images); density 0 and 1: all zero, none zero. */
function fillImageLike(a: Float32Array, B: number, C: number, density: number, rnd: () => number): Float32Array {
  for (let b = 0; b < B; b++) {
    const cx = 14 + 4 * rnd(), cy = 14 + 4 * rnd(), r2 = (density * C) / Math.PI;
    for (let c = 0; c < C; c++) {
      const x = (c % 28) - cx, y = Math.floor(c / 28) - cy;
      const inside = density >= 1 || (density > 0 && x * x + y * y <= r2 * (0.8 + 0.4 * Math.abs(rnd())));
      a[b * C + c] = inside ? Math.abs(rnd()) + 1e-3 : 0;
    }
  }
  return a;
}

describe('wasm-simd GEMMs on image-like inputs (batch sizes of one and two threads, odd sizes, every path)', () => {
  const batches = [1, 3, 31, 32, 33, 64, 65];
  const shapes: [number, number][] = [[784, 128], [785, 129], [13, 33], [100, 47], [784, 10]];
  const densities = [0, 0.05, 0.5, 1];
  // Every build × sparseBelow 0 (dense tiles), 1 (zero-skipping whenever the output is wide enough) and
  // 0.6 (the default choice), each against the same naive results.
  it('matmulForward and matmulBackwardWeight match the naive kernels in every build and mode', () => {
    const sizes = [65 * 785, 785 * 129, 65 * 129, 129];
    const backends = WASM_BUILDS.flatMap((build) => [0, 1, 0.6].map((sparseBelow) => {
      const be = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor([...sizes, ...sizes]), sparseBelow });
      const [X, W, Y, bias] = sizes.map((n) => be.allocator.allocFloat32(n));
      return { be, X, W, Y, bias, name: `${build} build, sparseBelow ${sparseBelow}` };
    }));
    const rnd = random(7);
    const X = new Float32Array(65 * 785), W = new Float32Array(785 * 129), W2 = new Float32Array(785 * 129);
    const Y2 = new Float32Array(65 * 129), bias = new Float32Array(129), bias2 = new Float32Array(129);
    for (const B of batches) for (const [C, OC] of shapes) for (const density of densities) {
      const inp = fillImageLike(X.subarray(0, B * C), B, C, density, rnd);
      const weight = fill(W.subarray(0, C * OC), rnd), b = fill(bias.subarray(0, OC), rnd);
      const dout = fill(Y2.subarray(0, B * OC), rnd), dweight = fill(W2.subarray(0, C * OC), rnd), dbias = fill(bias2.subarray(0, OC), rnd);
      const ref = new Float32Array(B * OC), mag = new Float32Array(B * OC);
      naiveKernels.matmulForward(ref, inp, weight, b, B, C, OC);
      naiveKernels.matmulForward(mag, abs(inp), abs(weight), abs(b), B, C, OC);
      const refW = dweight.slice(), refB = dbias.slice(), magW = abs(dweight), magB = abs(dbias);
      naiveKernels.matmulBackwardWeight(refW, refB, dout, inp, B, C, OC);
      naiveKernels.matmulBackwardWeight(magW, magB, abs(dout), abs(inp), B, C, OC);
      for (const k of backends) {
        const what = `${k.name}: B ${B}, C ${C}, OC ${OC}, density ${density}`;
        const kin = k.X.subarray(0, B * C), kw = k.W.subarray(0, C * OC), kb = k.bias.subarray(0, OC), out = k.Y.subarray(0, B * OC);
        kin.set(inp);
        kw.set(weight);
        kb.set(b);
        out.fill(NaN);
        k.be.kernels.matmulForward(out, kin, kw, kb, B, C, OC);
        expectClose(out, ref, mag, C, `forward ${what}`);
        out.set(dout);
        kw.set(dweight);
        kb.set(dbias);
        k.be.kernels.matmulBackwardWeight(kw, kb, out, kin, B, C, OC);
        expectClose(kw, refW, magW, B, `dweight ${what}`);
        expectClose(kb, refB, magB, B, `dbias ${what}`);
      }
    }
  });

  for (const build of WASM_BUILDS) it(`matmulForward without room for the zero-skipping scratch falls back to the dense tiles (${build} build)`, () => {
    const be = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor([64 * 784, 784 * 128, 64 * 128, 128]), scratchFloats: 256, sparseBelow: 1 });
    const rnd = random(9);
    const [B, C, OC] = [64, 784, 128];
    const inp = fillImageLike(be.allocator.allocFloat32(B * C), B, C, 0.5, rnd);
    const weight = fill(be.allocator.allocFloat32(C * OC), rnd), b = fill(be.allocator.allocFloat32(OC), rnd);
    const out = be.allocator.allocFloat32(B * OC);
    be.kernels.matmulForward(out, inp, weight, b, B, C, OC);
    const ref = new Float32Array(B * OC), mag = new Float32Array(B * OC);
    naiveKernels.matmulForward(ref, inp, weight, b, B, C, OC);
    naiveKernels.matmulForward(mag, abs(inp), abs(weight), abs(b), B, C, OC);
    expectClose(out, ref, mag, C, 'forward, small scratch');
  });

  for (const build of WASM_BUILDS) it(`zero-skipping keeps NaN and infinities of inp (a NaN is not a zero) in both GEMMs (${build} build)`, () => {
    const be = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor([5 * 9, 9 * 40, 5 * 40, 40, 9 * 40, 40]), sparseBelow: 1 });
    const [B, C, OC] = [5, 9, 40];
    const inp = be.allocator.allocFloat32(B * C), weight = be.allocator.allocFloat32(C * OC).fill(0.5);
    const b = be.allocator.allocFloat32(OC), out = be.allocator.allocFloat32(B * OC);
    inp[2 * C + 3] = NaN;
    inp[4 * C + 8] = Infinity;
    be.kernels.matmulForward(out, inp, weight, b, B, C, OC);
    for (let o = 0; o < OC; o++) {
      expect(out[2 * OC + o]).toBeNaN();
      expect(out[4 * OC + o]).toBe(Infinity);
      expect(out[0 * OC + o]).toBe(0);
    }
    // The weight gradient (pairs of neighbouring pixels): the NaN and ∞ pixels' rows of dweight, and a -0 is a zero.
    inp[1 * C + 5] = -0;
    const dweight = be.allocator.allocFloat32(C * OC), dbias = be.allocator.allocFloat32(OC);
    be.kernels.matmulBackwardWeight(dweight, dbias, weight.subarray(0, B * OC), inp, B, C, OC);
    for (let o = 0; o < OC; o++) {
      expect(dweight[3 * OC + o]).toBeNaN();
      expect(dweight[8 * OC + o]).toBe(Infinity);
      for (const c of [0, 2, 4, 5, 7]) expect(dweight[c * OC + o]).toBe(0);
    }
  });
});
