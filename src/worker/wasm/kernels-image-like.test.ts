// The WASM SIMD GEMMs on image-like inputs (zeros clustered around a blob of non-zeros, as in MNIST-style
// images) against the core's naive reference, in every build and mode, and the zero-skipping path's edges:
// too little scratch, and NaN or infinities among the zeros. kernels.test.ts covers random data and odd shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveKernels } from '../core/kernels';
import type * as WasmModule from './index';
import { abs, expectClose, fill, loadWasmModule, random, WASM_BUILDS } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

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

  // Skipping a zero skips adding ±0 to a sum, which changes no float but a zero's sign; and the lists keep
  // the batch's order. So the zero-skipping weight gradient must give the dense tiles' floats exactly: for
  // every count of pixels left over by its blocks of 4 (C mod 4) and images (B mod 4), in one pass and in
  // passes over the batch (a scratch with room for only 4 or 12 images' lists).
  for (const build of WASM_BUILDS) it(`the zero-skipping weight gradient gives the dense tiles' floats, in one pass or many (${build} build)`, () => {
    const sizes = [67 * 39, 39 * 40, 67 * 40, 40];
    const make = (sparseBelow: number, scratchFloats?: number) => {
      const be = wasm.createWasmSimdBackend({ build, maxFloats: wasm.wasmFloatsFor(sizes), sparseBelow, scratchFloats });
      const [X, W, Y, bias] = sizes.map((n) => be.allocator.allocFloat32(n));
      return { be, X, W, Y, bias };
    };
    const dense = make(0), skipping = [make(1), make(1, 64), make(1, 96)];
    const rnd = random(11);
    for (const B of [1, 2, 3, 4, 5, 6, 7, 9, 33, 67]) for (const C of [1, 2, 3, 4, 5, 6, 7, 36, 39]) for (const density of [0.05, 0.5]) for (const accumulate of [true, false]) {
      const OC = 40;
      // About `density` of the values non-zero, some negative (rnd: −1…1); a few -0, which is a zero.
      const inp = new Float32Array(B * C).map(() => (rnd() < 2 * density - 1 ? rnd() : rnd() < -0.8 ? -0 : 0));
      const dout = fill(new Float32Array(B * OC), rnd), start = fill(new Float32Array(C * OC), rnd), startBias = fill(new Float32Array(OC), rnd);
      const results = [dense, ...skipping].map((k) => {
        k.X.subarray(0, B * C).set(inp);
        k.Y.subarray(0, B * OC).set(dout);
        const dweight = k.W.subarray(0, C * OC), dbias = k.bias.subarray(0, OC);
        dweight.set(start);
        dbias.set(startBias);
        k.be.kernels.matmulBackwardWeight(dweight, dbias, k.Y.subarray(0, B * OC), k.X.subarray(0, B * C), B, C, OC, accumulate);
        expect(k.be.zeroSkipping('weight', k.X.subarray(0, B * C), B, C, OC).used).toBe(k !== dense);
        return Array.from(dweight);
      });
      for (const r of results.slice(1)) {
        const first = r.findIndex((v, i) => !(v === results[0][i] || (Number.isNaN(v) && Number.isNaN(results[0][i]))));
        expect(first, `B ${B}, C ${C}, density ${density}, accumulate ${accumulate}: dweight[${first}]`).toBe(-1);
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
