// The WASM SIMD GEMMs against the core's naive reference (src/worker/core/kernels.ts), on random data and
// on odd shapes that do not fill the 4×8 register tile, in every build and both paths (dense tiles,
// zero-skipping). kernels-image-like.test.ts runs them on image-like inputs. Builds the module first if
// needed (scripts/build-wasm.mjs skips the compile when the generated module is up to date).
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveKernels } from '../core/kernels';
import type { WasmBackend } from './backend';
import type * as WasmModule from './index';
import { abs, expectClose, fill, loadWasmModule, random, WASM_BUILDS } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

/** Like fill, with about half the values exactly 0 (as pixels and ReLU outputs are). */
function fillWithZeros(a: Float32Array, rnd: () => number): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = rnd() < 0 ? 0 : rnd();
  return a;
}

// Sizes around the tile edges (4 rows, 8 and 4 columns) and the standard network's 784-128-10.
const small = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17];
const gemmShapes: [number, number, number][] = [];
for (const B of small) for (const C of small) for (const OC of small) gemmShapes.push([B, C, OC]);
gemmShapes.push([64, 784, 128], [64, 128, 10], [13, 784, 128], [7, 785, 129], [64, 129, 11], [5, 3, 784], [33, 64, 100]);
// Outputs of 32 columns or more (the zero-skipping path): 28-wide panels, then a last one of 1–16 columns
// (w = N mod 28: 17, 9, 14, 4, 5, 20, 12, 1, 3).
gemmShapes.push([5, 7, 45], [3, 9, 37], [6, 13, 42], [1, 1, 32], [2, 17, 33], [9, 5, 76], [3, 0, 40], [4, 9, 57], [2, 5, 59]);

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

  it('matmulBackwardWeight with accumulate false overwrites: the same floats as accumulating into zeros', () => {
    for (const [B, C, OC] of gemmShapes) {
      const inp = (C % 2 ? fillWithZeros : fill)(A.subarray(0, B * C), rnd);
      const dout = fill(W.subarray(0, B * OC), rnd);
      const dweight = O.subarray(0, C * OC).fill(0), dbias = bias.subarray(0, OC).fill(0);
      be.kernels.matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC);
      const want = dweight.slice(), wantB = dbias.slice();
      fill(dweight, rnd, 1e3); // stale values, NaN-free; none may survive
      dbias.fill(NaN);
      be.kernels.matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC, false);
      expect(Array.from(dweight), `dweight ${B}: ${C}×${OC}`).toEqual(Array.from(want));
      expect(Array.from(dbias), `dbias ${B}: ${OC}`).toEqual(Array.from(wantB));
    }
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
