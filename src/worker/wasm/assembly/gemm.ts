// SIMD GEMMs over raw byte addresses into linear memory (f32, row-major). Compiled by scripts/build-wasm.mjs.
// (The input gradient, which runs this GEMM on a transposed weight, is in input-grad.ts.)
// The plain twins, and the meaning of every argument, are the core's Kernels (src/worker/core/kernels.ts).
//
// One kernel serves forward and weight gradient: out[M,N] = init + A[M,K] · Bm[K,N] with A read through
// strides (A[i,k] is at a + 4·(i·sai + k·sak)), Bm and out contiguous row-major with N columns.
// Register tile: 4 rows × 8 columns = 8 f32x4 accumulators; each k step broadcasts 4 A values
// (v128.load32_splat) and loads 8 Bm values (2 × v128). The relaxed-SIMD build (fused multiply-add, no
// temporary per product) takes 6 rows × 8 columns first (−5…−10% per call). Tails: 1×8 rows, then 4-wide
// columns whose last tile stores only its 1–3 real lanes. Inputs with many zeros go to the zero-skipping kernels instead:
// skip.ts (one row at a time) in the forward pass, sparse.ts (two rows at a time) in the weight gradient;
// each counts the non-zeros of a sample of inp's rows first (the choice changes speed only, never results).

import { fma, init4, storeCols } from './simd';
import { gemmSkipZeros, sampledNonZeroFraction, skipScratchBytes } from './skip';
import { countPairEntries, gemmSparsePairs, pairListRows } from './sparse';

const F: usize = 4; // bytes per f32

function tile4x8(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, i: usize, j: usize, N: usize, K: usize): void {
  const ldo = N * F;
  const o0 = out + (i * N + j) * F, o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
  const bj = bias != 0 ? bias + j * F : 0;
  let c00 = init4(o0, bj, accumulate), c01 = init4(o0 + 16, bj != 0 ? bj + 16 : 0, accumulate);
  let c10 = init4(o1, bj, accumulate), c11 = init4(o1 + 16, bj != 0 ? bj + 16 : 0, accumulate);
  let c20 = init4(o2, bj, accumulate), c21 = init4(o2 + 16, bj != 0 ? bj + 16 : 0, accumulate);
  let c30 = init4(o3, bj, accumulate), c31 = init4(o3 + 16, bj != 0 ? bj + 16 : 0, accumulate);
  const rs = sai * F, ks = sak * F, ldb = N * F;
  let pa = a + i * rs;
  let pb = bm + j * F;
  for (let k: usize = 0; k < K; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    c00 = fma(c00, a0, b0); c01 = fma(c01, a0, b1);
    const a1 = v128.load32_splat(pa + rs);
    c10 = fma(c10, a1, b0); c11 = fma(c11, a1, b1);
    const a2 = v128.load32_splat(pa + 2 * rs);
    c20 = fma(c20, a2, b0); c21 = fma(c21, a2, b1);
    const a3 = v128.load32_splat(pa + 3 * rs);
    c30 = fma(c30, a3, b0); c31 = fma(c31, a3, b1);
    pa += ks;
    pb += ldb;
  }
  v128.store(o0, c00); v128.store(o0, c01, 16);
  v128.store(o1, c10); v128.store(o1, c11, 16);
  v128.store(o2, c20); v128.store(o2, c21, 16);
  v128.store(o3, c30); v128.store(o3, c31, 16);
}

/** 6 rows × 8 columns = 12 accumulators: the relaxed build's tile (a fused multiply-add needs no
 *  temporary register, so 12 accumulators + 2 Bm vectors + a splat fit the 15 usable xmm registers). */
function tile6x8(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, i: usize, j: usize, N: usize, K: usize): void {
  const ldo = N * F;
  const o0 = out + (i * N + j) * F, o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo, o4 = o3 + ldo, o5 = o4 + ldo;
  const bj = bias != 0 ? bias + j * F : 0, bj16 = bias != 0 ? bias + j * F + 16 : 0;
  let c00 = init4(o0, bj, accumulate), c01 = init4(o0 + 16, bj16, accumulate);
  let c10 = init4(o1, bj, accumulate), c11 = init4(o1 + 16, bj16, accumulate);
  let c20 = init4(o2, bj, accumulate), c21 = init4(o2 + 16, bj16, accumulate);
  let c30 = init4(o3, bj, accumulate), c31 = init4(o3 + 16, bj16, accumulate);
  let c40 = init4(o4, bj, accumulate), c41 = init4(o4 + 16, bj16, accumulate);
  let c50 = init4(o5, bj, accumulate), c51 = init4(o5 + 16, bj16, accumulate);
  const rs = sai * F, ks = sak * F, ldb = N * F;
  let pa = a + i * rs;
  let pb = bm + j * F;
  for (let k: usize = 0; k < K; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa); c00 = fma(c00, x, b0); c01 = fma(c01, x, b1);
    x = v128.load32_splat(pa + rs); c10 = fma(c10, x, b0); c11 = fma(c11, x, b1);
    x = v128.load32_splat(pa + 2 * rs); c20 = fma(c20, x, b0); c21 = fma(c21, x, b1);
    x = v128.load32_splat(pa + 3 * rs); c30 = fma(c30, x, b0); c31 = fma(c31, x, b1);
    x = v128.load32_splat(pa + 4 * rs); c40 = fma(c40, x, b0); c41 = fma(c41, x, b1);
    x = v128.load32_splat(pa + 5 * rs); c50 = fma(c50, x, b0); c51 = fma(c51, x, b1);
    pa += ks;
    pb += ldb;
  }
  v128.store(o0, c00); v128.store(o0, c01, 16);
  v128.store(o1, c10); v128.store(o1, c11, 16);
  v128.store(o2, c20); v128.store(o2, c21, 16);
  v128.store(o3, c30); v128.store(o3, c31, 16);
  v128.store(o4, c40); v128.store(o4, c41, 16);
  v128.store(o5, c50); v128.store(o5, c51, 16);
}

/** One row × 8 columns (row tail). */
function tile1x8(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, i: usize, j: usize, N: usize, K: usize): void {
  const o0 = out + (i * N + j) * F;
  const bj = bias != 0 ? bias + j * F : 0;
  let c0 = init4(o0, bj, accumulate), c1 = init4(o0 + 16, bj != 0 ? bj + 16 : 0, accumulate);
  const ks = sak * F, ldb = N * F;
  let pa = a + i * sai * F;
  let pb = bm + j * F;
  for (let k: usize = 0; k < K; k++) {
    const a0 = v128.load32_splat(pa);
    c0 = fma(c0, a0, v128.load(pb)); c1 = fma(c1, a0, v128.load(pb, 16));
    pa += ks;
    pb += ldb;
  }
  v128.store(o0, c0); v128.store(o0, c1, 16);
}

/** 4 rows × `cols` (1–4) columns from j: the column tail. Loads always read 4 lanes — up to 12 bytes past
 *  the last column, which land in the next row or past the array (the loader keeps slack at the end of
 *  memory) — and only the first `cols` lanes are stored. */
function tile4x4(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, i: usize, j: usize, cols: usize, N: usize, K: usize): void {
  const ldo = N * F;
  const o0 = out + (i * N + j) * F, o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
  const bj = bias != 0 ? bias + j * F : 0;
  let c0 = init4(o0, bj, accumulate), c1 = init4(o1, bj, accumulate), c2 = init4(o2, bj, accumulate), c3 = init4(o3, bj, accumulate);
  const rs = sai * F, ks = sak * F, ldb = N * F;
  let pa = a + i * rs;
  let pb = bm + j * F;
  for (let k: usize = 0; k < K; k++) {
    const b0 = v128.load(pb);
    c0 = fma(c0, v128.load32_splat(pa), b0);
    c1 = fma(c1, v128.load32_splat(pa + rs), b0);
    c2 = fma(c2, v128.load32_splat(pa + 2 * rs), b0);
    c3 = fma(c3, v128.load32_splat(pa + 3 * rs), b0);
    pa += ks;
    pb += ldb;
  }
  storeCols(o0, c0, cols); storeCols(o1, c1, cols); storeCols(o2, c2, cols); storeCols(o3, c3, cols);
}

/** 1 row × `cols` (1–4) columns: the corner of both tails. */
function tile1x4(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, i: usize, j: usize, cols: usize, N: usize, K: usize): void {
  const o0 = out + (i * N + j) * F;
  let c0 = init4(o0, bias != 0 ? bias + j * F : 0, accumulate);
  const ks = sak * F, ldb = N * F;
  let pa = a + i * sai * F;
  let pb = bm + j * F;
  for (let k: usize = 0; k < K; k++) {
    c0 = fma(c0, v128.load32_splat(pa), v128.load(pb));
    pa += ks;
    pb += ldb;
  }
  storeCols(o0, c0, cols);
}

/** The k range [0, K) of out[M,N] = init + A·Bm. Column panels outside, rows inside, so one K×8 panel
 *  of Bm stays in L1 while every row block passes over it; except when A's rows are adjacent (sai = 1:
 *  A is inpᵀ in the weight gradient), where rows outside keep that row block's K cache lines of A in L1
 *  for all column panels (measured 10–15% faster there). */
function gemmPanel(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, M: usize, N: usize, K: usize): void {
  const N8 = N & ~7;
  // Row blocks of 6 (relaxed build only), then of 4, then single rows.
  let M6: usize = ASC_FEATURE_RELAXED_SIMD ? M / 6 * 6 : 0;
  if (((M - M6) & 3) >= 2 && M6 >= 6) M6 -= 6; // 32 = 4 × 6 + 2 × 4, not 5 × 6 + 2 single rows
  const M64 = M6 + ((M - M6) & ~3);
  if (sai == 1) {
    for (let i: usize = 0; i < M6; i += 6) for (let j: usize = 0; j < N8; j += 8) tile6x8(out, a, sai, sak, bm, bias, accumulate, i, j, N, K);
    for (let i = M6; i < M64; i += 4) for (let j: usize = 0; j < N8; j += 8) tile4x8(out, a, sai, sak, bm, bias, accumulate, i, j, N, K);
  } else {
    for (let j: usize = 0; j < N8; j += 8) {
      for (let i: usize = 0; i < M6; i += 6) tile6x8(out, a, sai, sak, bm, bias, accumulate, i, j, N, K);
      for (let i = M6; i < M64; i += 4) tile4x8(out, a, sai, sak, bm, bias, accumulate, i, j, N, K);
    }
  }
  for (let j: usize = 0; j < N8; j += 8) for (let i = M64; i < M; i++) tile1x8(out, a, sai, sak, bm, bias, accumulate, i, j, N, K);
  const M4 = M & ~3;
  for (let j = N8; j < N; j += 4) {
    const cols = min<usize>(4, N - j);
    for (let i: usize = 0; i < M4; i += 4) tile4x4(out, a, sai, sak, bm, bias, accumulate, i, j, cols, N, K);
    for (let i = M4; i < M; i++) tile1x4(out, a, sai, sak, bm, bias, accumulate, i, j, cols, N, K);
  }
}

/** Rows of Bm per k block: 256 × 32 bytes of a column panel = 8 KiB (half its cache lines' 16 KiB). */
const KB: usize = 256;

/** out[M,N] = (accumulate ? out : 0) + (bias ? bias[N] : 0) + Σ_k A[i,k]·Bm[k,N]. bias = 0 means none.
 *  K is cut into blocks so one block of a column panel of Bm (KB rows × 32 bytes) stays in L1 while
 *  every row block of A passes over it; blocks after the first accumulate. */
export function gemmStridedA(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, M: usize, N: usize, K: usize): void {
  if (K <= KB) {
    gemmPanel(out, a, sai, sak, bm, bias, accumulate, M, N, K);
    return;
  }
  const blocks = (K + KB - 1) / KB, size = (K + blocks - 1) / blocks; // even blocks: 784 = 4 × 196
  for (let k0: usize = 0; k0 < K; k0 += size) {
    const kc = min<usize>(size, K - k0);
    gemmPanel(out, a + k0 * sak * F, sai, sak, bm + k0 * N * F, k0 == 0 ? bias : 0, k0 == 0 ? accumulate : true, M, N, kc);
  }
}

/** Does matmulBackwardWeight skip inp's zeros (sparse.ts, two pixels at a time)? When OC ≥ 32, `scratch`
 *  (scratchBytes for its lists; 0 = none) is given, and in 8 sampled rows of inp the fraction of pairs
 *  of neighbouring values holding a non-zero is at most 1 − (1 − sparseBelow)²: what sparseBelow non-zero
 *  values give when zeros are uncorrelated (ReLU outputs; images' clustered zeros give fewer pairs).
 *  The pairs kernel costs about what the dense tiles cost even on data without zeros (1.02× at batch
 *  64, 0.96× at 32), so this threshold (0.84 at 0.6) is far from break-even; Fashion-MNIST: 55% of pairs
 *  (−30% per call), MNIST 22%. sparseBelow ≥ 1: always; ≤ 0: never. Only speed depends on the choice. */
export function weightSkipsZeros(inp: usize, B: i32, C: i32, OC: i32, sparseBelow: f32, scratch: usize, scratchBytes: usize): bool {
  if (scratch == 0 || pairListRows(scratchBytes) < 4 || sparseBelow <= 0 || OC < 32 || B <= 0 || C <= 0) return false;
  if (sparseBelow >= 1) return true;
  const rows = <usize>B, cols = <usize>C, samples = min<usize>(rows, 8);
  let entries: i32 = 0;
  for (let s: usize = 0; s < samples; s++) entries += countPairEntries(inp + (s * rows / samples) * cols * F, 1, C, false);
  const zeros: f32 = <f32>1 - sparseBelow;
  return <f32>entries <= (<f32>1 - zeros * zeros) * <f32>(samples * ((cols + 1) >> 1));
}

/** Does matmulForward skip inp's zeros (skip.ts)? When OC ≥ 32, scratch (scratchBytes bytes at a 64-byte
 *  boundary, 0 = none) holds its lists and packed panels, and the non-zero fraction of 8 sampled rows of
 *  inp is at most sparseBelow (≥ 1: always; ≤ 0: never). Measured at batch 64: data without zeros costs it
 *  1.38× the dense tiles, Fashion-MNIST's pixels (49% non-zero) 0.78×; break-even near 68% non-zero.
 *  (8 rows of a Fashion batch exceed 0.6 in 2% of batches.) Only speed depends on the choice. */
export function forwardSkipsZeros(inp: usize, B: i32, C: i32, OC: i32, sparseBelow: f32, scratch: usize, scratchBytes: usize): bool {
  const N = <usize>OC, K = <usize>C;
  if (scratch == 0 || sparseBelow <= 0 || N < 32 || K == 0 || skipScratchBytes(N, K) > scratchBytes) return false; // K = 0: out = bias, the dense path's
  return sparseBelow >= 1 || sampledNonZeroFraction(inp, <usize>B, K) <= sparseBelow;
}

/** out[B,OC] = inp[B,C] · weight[C,OC] + bias[OC]   (scratch, scratchBytes: see forwardSkipsZeros) */
export function matmulForward(out: usize, inp: usize, weight: usize, bias: usize, B: i32, C: i32, OC: i32, sparseBelow: f32, scratch: usize, scratchBytes: usize): void {
  const M = <usize>B, N = <usize>OC, K = <usize>C;
  if (forwardSkipsZeros(inp, B, C, OC, sparseBelow, scratch, scratchBytes)) gemmSkipZeros(out, inp, K, weight, bias, false, M, N, K, scratch);
  else gemmStridedA(out, inp, K, 1, weight, bias, false, M, N, K);
}

/** dweight[C,OC] += inpᵀ[C,B] · dout[B,OC];  dbias[OC] += Σ_b dout[b,·]  (dbias = 0: skip; accumulate
 *  false: = instead of +=, the same floats as += into zeros) */
export function matmulBackwardWeight(dweight: usize, dbias: usize, dout: usize, inp: usize, B: i32, C: i32, OC: i32, sparseBelow: f32, scratch: usize, scratchBytes: usize, accumulate: bool): void {
  // inpᵀ[c,b] = inp[b·C + c]: row stride 1, k stride C.
  const M = <usize>C, N = <usize>OC, K = <usize>B;
  if (weightSkipsZeros(inp, B, C, OC, sparseBelow, scratch, scratchBytes)) gemmSparsePairs(dweight, inp, M, dout, accumulate, M, N, K, scratch, scratchBytes);
  else gemmStridedA(dweight, inp, 1, M, dout, 0, accumulate, M, N, K);
  if (dbias == 0) return;
  const ldb = N * F;
  let o: usize = 0;
  for (; o + 4 <= N; o += 4) {
    let s = accumulate ? v128.load(dbias + o * F) : f32x4.splat(0);
    let p = dout + o * F;
    for (let b = 0; b < B; b++) {
      s = f32x4.add(s, v128.load(p));
      p += ldb;
    }
    v128.store(dbias + o * F, s);
  }
  for (; o < N; o++) {
    let s: f32 = accumulate ? load<f32>(dbias + o * F) : 0;
    let p = dout + o * F;
    for (let b = 0; b < B; b++) {
      s += load<f32>(p);
      p += ldb;
    }
    store<f32>(dbias + o * F, s);
  }
}
