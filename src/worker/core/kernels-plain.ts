// Register-blocked GEMMs in plain TypeScript: each inner loop keeps a 4×4 tile of outputs in 16 local
// doubles and reads 4 + 4 inputs per 16 multiply-adds, instead of 2 loads per multiply-add in the naive
// loops (kernels.ts). Inputs that are 0 across a whole tile are skipped (image pixels are mostly 0), and
// edges that do not fill a tile fall back to plainer loops over that sub-rectangle. Sums run in the same
// order as the naive kernels and a skipped term only ever adds ±0, so for finite weights both give the
// same floats; tests compare them on dense and sparse inputs.
import { type Kernels, startFromZero } from './kernels';
import { adamStep, momentumStep, rmspropStep, sgdStep } from './optimizers';

let scratchList = new Int32Array(1024);
/** A reusable index list of at least n entries (grows once to the largest size seen, then never allocates). */
function scratch(n: number): Int32Array {
  if (scratchList.length < n) scratchList = new Int32Array(n);
  return scratchList;
}

let packList = new Float32Array(4096);
/** A reusable float buffer of at least n entries (grows once, like scratch). */
function packScratch(n: number): Float32Array {
  if (packList.length < n) packList = new Float32Array(n);
  return packList;
}

let sumList = new Float64Array(1024);
/** A reusable double buffer of at least n entries (grows once, like scratch). */
function sumScratch(n: number): Float64Array {
  if (sumList.length < n) sumList = new Float64Array(n);
  return sumList;
}

/** out[b0:b1, :] = inp · weight + bias, a row at a time (the rows left below the tiled loop's 4-row blocks; a Draw
 *  stroke's single image). Each row's OC sums are doubles added in input order, as the tiles' are, while weight
 *  is read row by row: a dot product per output would read a column of weight, OC floats apart (a big network's
 *  147 MB, one cache line per multiply-add). Inputs that are 0 are skipped. */
function forwardRows(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, C: number, OC: number, b0: number, b1: number): void {
  const sums = sumScratch(OC);
  for (let b = b0; b < b1; b++) {
    for (let o = 0; o < OC; o++) sums[o] = bias[o];
    for (let c = 0; c < C; c++) {
      const x = inp[b * C + c];
      if (x === 0) continue;
      const row = c * OC;
      for (let o = 0; o < OC; o++) sums[o] += x * weight[row + o];
    }
    for (let o = 0; o < OC; o++) out[b * OC + o] = sums[o];
  }
}

/** out[B,OC] = inp[B,C] · weight[C,OC] + bias[OC] */
function matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, B: number, C: number, OC: number): void {
  const B4 = B - (B % 4);
  const OC4 = OC - (OC % 4);
  const live = scratch(C);
  const packed = packScratch(4 * C);
  for (let b = 0; b < B4; b += 4) {
    const r0 = b * C, r1 = r0 + C, r2 = r1 + C, r3 = r2 + C;
    // Pack the four rows column by column, leaving out inputs that are 0 in all four rows: they add
    // nothing (images are ~50–80% zero pixels). live[k] = offset of that input's row in weight.
    let n = 0;
    for (let c = 0; c < C; c++) {
      const x0 = inp[r0 + c], x1 = inp[r1 + c], x2 = inp[r2 + c], x3 = inp[r3 + c];
      if (x0 !== 0 || x1 !== 0 || x2 !== 0 || x3 !== 0) {
        packed[4 * n] = x0; packed[4 * n + 1] = x1; packed[4 * n + 2] = x2; packed[4 * n + 3] = x3;
        live[n++] = c * OC;
      }
    }
    for (let o = 0; o < OC4; o += 4) {
      const bias0 = bias[o], bias1 = bias[o + 1], bias2 = bias[o + 2], bias3 = bias[o + 3];
      let s00 = bias0, s01 = bias1, s02 = bias2, s03 = bias3;
      let s10 = bias0, s11 = bias1, s12 = bias2, s13 = bias3;
      let s20 = bias0, s21 = bias1, s22 = bias2, s23 = bias3;
      let s30 = bias0, s31 = bias1, s32 = bias2, s33 = bias3;
      for (let k = 0, p = 0; k < n; k++, p += 4) {
        const w = live[k] + o;
        const w0 = weight[w], w1 = weight[w + 1], w2 = weight[w + 2], w3 = weight[w + 3];
        const x0 = packed[p], x1 = packed[p + 1], x2 = packed[p + 2], x3 = packed[p + 3];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
        s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
        s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
      }
      let p = b * OC + o;
      out[p] = s00; out[p + 1] = s01; out[p + 2] = s02; out[p + 3] = s03; p += OC;
      out[p] = s10; out[p + 1] = s11; out[p + 2] = s12; out[p + 3] = s13; p += OC;
      out[p] = s20; out[p + 1] = s21; out[p + 2] = s22; out[p + 3] = s23; p += OC;
      out[p] = s30; out[p + 1] = s31; out[p + 2] = s32; out[p + 3] = s33;
    }
    for (let o = OC4; o < OC; o++) {
      // the last OC % 4 outputs of these four rows: a 4×1 tile
      let s0 = bias[o], s1 = s0, s2 = s0, s3 = s0;
      for (let k = 0, p = 0; k < n; k++, p += 4) {
        const w = weight[live[k] + o];
        s0 += packed[p] * w; s1 += packed[p + 1] * w; s2 += packed[p + 2] * w; s3 += packed[p + 3] * w;
      }
      out[b * OC + o] = s0; out[(b + 1) * OC + o] = s1; out[(b + 2) * OC + o] = s2; out[(b + 3) * OC + o] = s3;
    }
  }
  forwardRows(out, inp, weight, bias, C, OC, B4, B);
}

/** dweight[c0:c1, o0:o1] += Σ_b inp[b,c] · dout[b,o] (edges of the tiled loop). */
function weightEdge(dweight: Float32Array, dout: Float32Array, inp: Float32Array, B: number, C: number, OC: number, c0: number, c1: number, o0: number, o1: number): void {
  for (let c = c0; c < c1; c++) {
    for (let o = o0; o < o1; o++) {
      let sum = 0;
      for (let b = 0; b < B; b++) sum += inp[b * C + c] * dout[b * OC + o];
      dweight[c * OC + o] += sum;
    }
  }
}

/** dweight[C,OC] += inpᵀ[C,B] · dout[B,OC];  dbias[OC] += Σ_b dout[b,·]  (accumulate = false: =) */
function matmulBackwardWeight(dweight: Float32Array, dbias: Float32Array, dout: Float32Array, inp: Float32Array, B: number, C: number, OC: number, accumulate = true): void {
  if (!accumulate) startFromZero(dweight, dbias, C, OC);
  const C4 = C - (C % 4);
  const OC4 = OC - (OC % 4);
  const live = scratch(B);
  for (let c = 0; c < C4; c += 4) {
    // Rows whose four inputs are all 0 add nothing to these four rows of dweight: skip them.
    let n = 0;
    for (let b = 0, x = c; b < B; b++, x += C) if (inp[x] !== 0 || inp[x + 1] !== 0 || inp[x + 2] !== 0 || inp[x + 3] !== 0) live[n++] = b;
    for (let o = 0; o < OC4; o += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < n; k++) {
        const b = live[k];
        const x = b * C + c;
        const d = b * OC + o;
        const x0 = inp[x], x1 = inp[x + 1], x2 = inp[x + 2], x3 = inp[x + 3];
        const d0 = dout[d], d1 = dout[d + 1], d2 = dout[d + 2], d3 = dout[d + 3];
        s00 += x0 * d0; s01 += x0 * d1; s02 += x0 * d2; s03 += x0 * d3;
        s10 += x1 * d0; s11 += x1 * d1; s12 += x1 * d2; s13 += x1 * d3;
        s20 += x2 * d0; s21 += x2 * d1; s22 += x2 * d2; s23 += x2 * d3;
        s30 += x3 * d0; s31 += x3 * d1; s32 += x3 * d2; s33 += x3 * d3;
      }
      let p = c * OC + o;
      dweight[p] += s00; dweight[p + 1] += s01; dweight[p + 2] += s02; dweight[p + 3] += s03; p += OC;
      dweight[p] += s10; dweight[p + 1] += s11; dweight[p + 2] += s12; dweight[p + 3] += s13; p += OC;
      dweight[p] += s20; dweight[p + 1] += s21; dweight[p + 2] += s22; dweight[p + 3] += s23; p += OC;
      dweight[p] += s30; dweight[p + 1] += s31; dweight[p + 2] += s32; dweight[p + 3] += s33;
    }
    for (let o = OC4; o < OC; o++) {
      // the last OC % 4 columns of these four rows of dweight: a 4×1 tile
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < n; k++) {
        const b = live[k];
        const x = b * C + c;
        const d = dout[b * OC + o];
        s0 += inp[x] * d; s1 += inp[x + 1] * d; s2 += inp[x + 2] * d; s3 += inp[x + 3] * d;
      }
      dweight[c * OC + o] += s0; dweight[(c + 1) * OC + o] += s1; dweight[(c + 2) * OC + o] += s2; dweight[(c + 3) * OC + o] += s3;
    }
  }
  weightEdge(dweight, dout, inp, B, C, OC, C4, C, 0, OC);
  for (let o = 0; o < OC; o++) {
    let sum = 0;
    for (let b = 0; b < B; b++) sum += dout[b * OC + o];
    dbias[o] += sum;
  }
}

/** dinp[b0:b1, c0:c1] = Σ_o dout[b,o] · weight[c,o] (edges of the tiled loop). */
function inputEdge(dinp: Float32Array, dout: Float32Array, weight: Float32Array, C: number, OC: number, b0: number, b1: number, c0: number, c1: number): void {
  for (let b = b0; b < b1; b++) {
    for (let c = c0; c < c1; c++) {
      let sum = 0;
      for (let o = 0; o < OC; o++) sum += dout[b * OC + o] * weight[c * OC + o];
      dinp[b * C + c] = sum;
    }
  }
}

/** dinp[B,C] = dout[B,OC] · weightᵀ[OC,C]  (overwrites) */
function matmulBackwardInput(dinp: Float32Array, dout: Float32Array, weight: Float32Array, B: number, C: number, OC: number): void {
  const B4 = B - (B % 4);
  const C4 = C - (C % 4);
  for (let b = 0; b < B4; b += 4) {
    const r0 = b * OC, r1 = r0 + OC, r2 = r1 + OC, r3 = r2 + OC;
    for (let c = 0; c < C4; c += 4) {
      const q0 = c * OC, q1 = q0 + OC, q2 = q1 + OC, q3 = q2 + OC;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let o = 0; o < OC; o++) {
        const d0 = dout[r0 + o], d1 = dout[r1 + o], d2 = dout[r2 + o], d3 = dout[r3 + o];
        const w0 = weight[q0 + o], w1 = weight[q1 + o], w2 = weight[q2 + o], w3 = weight[q3 + o];
        s00 += d0 * w0; s01 += d0 * w1; s02 += d0 * w2; s03 += d0 * w3;
        s10 += d1 * w0; s11 += d1 * w1; s12 += d1 * w2; s13 += d1 * w3;
        s20 += d2 * w0; s21 += d2 * w1; s22 += d2 * w2; s23 += d2 * w3;
        s30 += d3 * w0; s31 += d3 * w1; s32 += d3 * w2; s33 += d3 * w3;
      }
      let p = b * C + c;
      dinp[p] = s00; dinp[p + 1] = s01; dinp[p + 2] = s02; dinp[p + 3] = s03; p += C;
      dinp[p] = s10; dinp[p + 1] = s11; dinp[p + 2] = s12; dinp[p + 3] = s13; p += C;
      dinp[p] = s20; dinp[p + 1] = s21; dinp[p + 2] = s22; dinp[p + 3] = s23; p += C;
      dinp[p] = s30; dinp[p + 1] = s31; dinp[p + 2] = s32; dinp[p + 3] = s33;
    }
    inputEdge(dinp, dout, weight, C, OC, b, b + 4, C4, C);
  }
  inputEdge(dinp, dout, weight, C, OC, B4, B, 0, C);
}

export const plainKernels: Kernels = {
  name: 'plain',
  matmulForward,
  matmulBackwardWeight,
  matmulBackwardInput,
  sgdStep,
  momentumStep,
  rmspropStep,
  adamStep,
};
