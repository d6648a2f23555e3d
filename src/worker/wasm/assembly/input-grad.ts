// The input gradient dinp[B,C] = dout[B,OC] · weightᵀ[OC,C] (the backward pass into a hidden layer):
// the tiled GEMM of gemm.ts on weight transposed into scratch, or, without scratch, a dot-product form.
// The plain twin is the core's Kernels.matmulBackwardInput (src/worker/core/kernels.ts).

import { gemmStridedA } from './gemm';
import { fma } from './simd';

const F: usize = 4; // bytes per f32

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Σ_o x[o]·y[o] over n contiguous floats (tail of the dot-product form). */
function dot(x: usize, y: usize, n: usize): f32 {
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 4 <= n; o += 4) acc = fma(acc, v128.load(x + o * F), v128.load(y + o * F));
  let s = hsum(acc);
  for (; o < n; o++) s += load<f32>(x + o * F) * load<f32>(y + o * F);
  return s;
}

/** dinp[B,C] = dout[B,OC] · weightᵀ[OC,C]  (overwrites).
 *  scratch ≠ 0 (room for C·OC floats): transposes weight into scratch as wt[OC,C] and runs the tiled GEMM
 *  dout·wt — the transpose costs about 1/B of the GEMM. scratch = 0: the dot-product form below. */
export function matmulBackwardInput(dinp: usize, dout: usize, weight: usize, scratch: usize, B: i32, C: i32, OC: i32): void {
  if (scratch == 0) {
    matmulBackwardInputDot(dinp, dout, weight, B, C, OC);
    return;
  }
  const nc = <usize>C, n = <usize>OC;
  for (let c: usize = 0; c < nc; c++) {
    const row = weight + c * n * F;
    for (let o: usize = 0; o < n; o++) store<f32>(scratch + (o * nc + c) * F, load<f32>(row + o * F));
  }
  gemmStridedA(dinp, dout, n, 1, scratch, 0, false, <usize>B, nc, n);
}

/** The same without scratch. Both operands are contiguous along OC, so a 4(b)×2(c) tile of f32x4
 *  accumulators runs along OC and is summed across lanes at the end. */
function matmulBackwardInputDot(dinp: usize, dout: usize, weight: usize, B: i32, C: i32, OC: i32): void {
  const nb = <usize>B, nc = <usize>C, n = <usize>OC;
  const ld = n * F, n4 = n & ~3;
  const B4 = nb & ~3, C2 = nc & ~1;
  for (let b: usize = 0; b < B4; b += 4) {
    const d0 = dout + b * ld, d1 = d0 + ld, d2 = d1 + ld, d3 = d2 + ld;
    for (let c: usize = 0; c < C2; c += 2) {
      const w0 = weight + c * ld, w1 = w0 + ld;
      let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      for (let o: usize = 0; o < n4; o += 4) {
        const x0 = v128.load(w0 + o * F), x1 = v128.load(w1 + o * F);
        const y0 = v128.load(d0 + o * F);
        a00 = fma(a00, y0, x0); a01 = fma(a01, y0, x1);
        const y1 = v128.load(d1 + o * F);
        a10 = fma(a10, y1, x0); a11 = fma(a11, y1, x1);
        const y2 = v128.load(d2 + o * F);
        a20 = fma(a20, y2, x0); a21 = fma(a21, y2, x1);
        const y3 = v128.load(d3 + o * F);
        a30 = fma(a30, y3, x0); a31 = fma(a31, y3, x1);
      }
      let s00 = hsum(a00), s01 = hsum(a01), s10 = hsum(a10), s11 = hsum(a11);
      let s20 = hsum(a20), s21 = hsum(a21), s30 = hsum(a30), s31 = hsum(a31);
      for (let o = n4; o < n; o++) {
        const x0 = load<f32>(w0 + o * F), x1 = load<f32>(w1 + o * F);
        const y0 = load<f32>(d0 + o * F), y1 = load<f32>(d1 + o * F);
        const y2 = load<f32>(d2 + o * F), y3 = load<f32>(d3 + o * F);
        s00 += y0 * x0; s01 += y0 * x1; s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1; s30 += y3 * x0; s31 += y3 * x1;
      }
      const r0 = dinp + (b * nc + c) * F, r1 = r0 + nc * F, r2 = r1 + nc * F, r3 = r2 + nc * F;
      store<f32>(r0, s00); store<f32>(r0, s01, 4);
      store<f32>(r1, s10); store<f32>(r1, s11, 4);
      store<f32>(r2, s20); store<f32>(r2, s21, 4);
      store<f32>(r3, s30); store<f32>(r3, s31, 4);
    }
    for (let c = C2; c < nc; c++) {
      const w0 = weight + c * ld;
      for (let r: usize = 0; r < 4; r++) store<f32>(dinp + ((b + r) * nc + c) * F, dot(dout + (b + r) * ld, w0, n));
    }
  }
  for (let b = B4; b < nb; b++) {
    for (let c: usize = 0; c < nc; c++) store<f32>(dinp + (b * nc + c) * F, dot(dout + b * ld, weight + c * ld, n));
  }
}
