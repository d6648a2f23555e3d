// Zero-skipping GEMMs for inputs with many exact zeros (image pixels: about half of Fashion-MNIST's and
// four fifths of MNIST's are 0). Same contract as gemm.ts's dense kernel: out[M,N] = init + A[M,K]·Bm[K,N]
// with A read through strides. gemmSparsePairs (the weight gradient) lists, for two rows of A at a time, the k where either
// is non-zero (branch-free), then sums each 16-column panel of the two out rows over that list in f32x4
// registers; gemmSparseRows does one row at a time (the odd last row). Work ∝ listed entries.

import { fma, init4, storeCols } from './simd';

const F: usize = 4;

@inline function sum4(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** How many list entries gemmSparsePairs would make for x[rows, cols] (row-major; NaN counts as non-zero):
 *  pairsOfRows — pairs (x[2r,c], x[2r+1,c]) with a non-zero (pairs of images; the forward pass now
 *  skips zeros one row at a time (skip.ts), so only the backend's zeroSkipping() diagnostics count these);
 *  else — pairs (x[r,2c], x[r,2c+1]) (the weight gradient: A = inpᵀ, so A's row pairs are column pairs).
 *  An odd last row (or column) counts alone. */
export function countPairEntries(x: usize, rows: i32, cols: i32, pairsOfRows: bool): i32 {
  const R = <usize>rows, C = <usize>cols, zero = f32x4.splat(0);
  let acc = i32x4.splat(0), count: i32 = 0;
  if (pairsOfRows) {
    const R2 = R & ~1;
    for (let r: usize = 0; r < R2; r += 2) {
      const p0 = x + r * C * F, p1 = p0 + C * F;
      let c: usize = 0;
      for (; c + 4 <= C; c += 4) acc = i32x4.sub(acc, v128.or(f32x4.ne(v128.load(p0 + c * F), zero), f32x4.ne(v128.load(p1 + c * F), zero)));
      for (; c < C; c++) count += select<i32>(1, 0, (load<f32>(p0 + c * F) != 0) | (load<f32>(p1 + c * F) != 0));
    }
    if (R2 < R) for (let c: usize = 0; c < C; c++) count += select<i32>(1, 0, load<f32>(x + (R2 * C + c) * F) != 0);
  } else {
    const even = i32x4(-1, 0, -1, 0);
    for (let r: usize = 0; r < R; r++) {
      const p = x + r * C * F;
      let c: usize = 0;
      if ((C & 1) == 0) {
        // 4 floats = 2 pairs: lanes 0 and 2 hold each pair's "any non-zero".
        for (; c + 4 <= C; c += 4) {
          const m = f32x4.ne(v128.load(p + c * F), zero);
          acc = i32x4.sub(acc, v128.and(v128.or(m, i32x4.shuffle(m, m, 1, 0, 3, 2)), even));
        }
      }
      for (; c + 1 < C; c += 2) count += select<i32>(1, 0, (load<f32>(p + c * F) != 0) | (load<f32>(p + c * F, 4) != 0));
      if (c < C) count += select<i32>(1, 0, load<f32>(p + c * F) != 0);
    }
  }
  return count + sum4(acc);
}

/** out[M,N] = init + A·Bm skipping A's zeros. list: scratch for K entries of 8 bytes. */
export function gemmSparseRows(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, M: usize, N: usize, K: usize, list: usize): void {
  const ldb = N * F, ks = sak * F;
  for (let i: usize = 0; i < M; i++) {
    // The non-zeros of A[i,·]: (byte offset of Bm's row k, value), branch-free.
    let n: usize = 0;
    let pa = a + i * sai * F;
    for (let k: usize = 0; k < K; k++) {
      const x = load<f32>(pa);
      const e = list + n * 8;
      store<u32>(e, <u32>(k * ldb));
      store<f32>(e, x, 4);
      n += select<usize>(1, 0, x != 0);
      pa += ks;
    }
    const end = list + n * 8;
    const orow = out + i * N * F;
    let j: usize = 0;
    for (; j + 32 <= N; j += 32) {
      const o = orow + j * F, bj = bias != 0 ? bias + j * F : 0;
      let c0 = init4(o, bj, accumulate), c1 = init4(o + 16, bj != 0 ? bj + 16 : 0, accumulate);
      let c2 = init4(o + 32, bj != 0 ? bj + 32 : 0, accumulate), c3 = init4(o + 48, bj != 0 ? bj + 48 : 0, accumulate);
      let c4 = init4(o + 64, bj != 0 ? bj + 64 : 0, accumulate), c5 = init4(o + 80, bj != 0 ? bj + 80 : 0, accumulate);
      let c6 = init4(o + 96, bj != 0 ? bj + 96 : 0, accumulate), c7 = init4(o + 112, bj != 0 ? bj + 112 : 0, accumulate);
      const col = bm + j * F;
      for (let e = list; e < end; e += 8) {
        const x = v128.load32_splat(e, 4);
        const w = col + <usize>load<u32>(e);
        c0 = fma(c0, x, v128.load(w)); c1 = fma(c1, x, v128.load(w, 16));
        c2 = fma(c2, x, v128.load(w, 32)); c3 = fma(c3, x, v128.load(w, 48));
        c4 = fma(c4, x, v128.load(w, 64)); c5 = fma(c5, x, v128.load(w, 80));
        c6 = fma(c6, x, v128.load(w, 96)); c7 = fma(c7, x, v128.load(w, 112));
      }
      v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
      v128.store(o, c4, 64); v128.store(o, c5, 80); v128.store(o, c6, 96); v128.store(o, c7, 112);
    }
    for (; j + 8 <= N; j += 8) {
      const o = orow + j * F, bj = bias != 0 ? bias + j * F : 0;
      let c0 = init4(o, bj, accumulate), c1 = init4(o + 16, bj != 0 ? bj + 16 : 0, accumulate);
      const col = bm + j * F;
      for (let e = list; e < end; e += 8) {
        const x = v128.load32_splat(e, 4);
        const w = col + <usize>load<u32>(e);
        c0 = fma(c0, x, v128.load(w)); c1 = fma(c1, x, v128.load(w, 16));
      }
      v128.store(o, c0); v128.store(o, c1, 16);
    }
    for (; j < N; j += 4) {
      // 1–4 columns; loads read 4 lanes (up to 12 bytes past the row), only `cols` lanes are stored.
      const cols = min<usize>(4, N - j);
      const o = orow + j * F;
      let c0 = init4(o, bias != 0 ? bias + j * F : 0, accumulate);
      const col = bm + j * F;
      for (let e = list; e < end; e += 8) c0 = fma(c0, v128.load32_splat(e, 4), v128.load(col + <usize>load<u32>(e)));
      storeCols(o, c0, cols);
    }
  }
}

/**
 * The same as gemmSparseRows, two rows of out at a time: one list of the k where A[i,k] or A[i+1,k] is
 * non-zero (16-byte entries: Bm row offset, the two values), and 16-column panels with 2 × 4 f32x4
 * accumulators, so each list entry loads one 64-byte line of Bm for 8 multiply-adds — the dense tile's
 * ratio, on fewer k. Images' zeros cluster (borders), so the pair's union stays close to one row's count.
 * list: scratch for K entries of 16 bytes.
 */
export function gemmSparsePairs(out: usize, a: usize, sai: usize, sak: usize, bm: usize, bias: usize, accumulate: bool, M: usize, N: usize, K: usize, list: usize): void {
  const ldb = N * F, ks = sak * F, rs = sai * F, ldo = N * F;
  const M2 = M & ~1;
  for (let i: usize = 0; i < M2; i += 2) {
    let e = list;
    let pa = a + i * rs;
    if (sai == 1) {
      // The pair is adjacent in memory (the weight gradient): one 8-byte load; a zero is ±0.
      let off: usize = 0;
      for (let k: usize = 0; k < K; k++) {
        const v = load<u64>(pa);
        store<u32>(e, <u32>off);
        store<u64>(e, v, 4);
        e += select<usize>(16, 0, (v & 0x7fffffff7fffffff) != 0);
        pa += ks;
        off += ldb;
      }
    } else {
      for (let k: usize = 0; k < K; k++) {
        const x0 = load<f32>(pa), x1 = load<f32>(pa + rs);
        store<u32>(e, <u32>(k * ldb));
        store<f32>(e, x0, 4);
        store<f32>(e, x1, 8);
        e += select<usize>(16, 0, (x0 != 0) | (x1 != 0));
        pa += ks;
      }
    }
    const end = e;
    const r0 = out + i * ldo, r1 = r0 + ldo;
    let j: usize = 0;
    for (; j + 16 <= N; j += 16) {
      const o0 = r0 + j * F, o1 = r1 + j * F, bj = bias != 0 ? bias + j * F : 0;
      let c00 = init4(o0, bj, accumulate), c01 = init4(o0 + 16, bj != 0 ? bj + 16 : 0, accumulate);
      let c02 = init4(o0 + 32, bj != 0 ? bj + 32 : 0, accumulate), c03 = init4(o0 + 48, bj != 0 ? bj + 48 : 0, accumulate);
      let c10 = init4(o1, bj, accumulate), c11 = init4(o1 + 16, bj != 0 ? bj + 16 : 0, accumulate);
      let c12 = init4(o1 + 32, bj != 0 ? bj + 32 : 0, accumulate), c13 = init4(o1 + 48, bj != 0 ? bj + 48 : 0, accumulate);
      const col = bm + j * F;
      for (let e = list; e < end; e += 16) {
        const w = col + <usize>load<u32>(e);
        const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
        const x0 = v128.load32_splat(e, 4);
        c00 = fma(c00, x0, w0); c01 = fma(c01, x0, w1); c02 = fma(c02, x0, w2); c03 = fma(c03, x0, w3);
        const x1 = v128.load32_splat(e, 8);
        c10 = fma(c10, x1, w0); c11 = fma(c11, x1, w1); c12 = fma(c12, x1, w2); c13 = fma(c13, x1, w3);
      }
      v128.store(o0, c00); v128.store(o0, c01, 16); v128.store(o0, c02, 32); v128.store(o0, c03, 48);
      v128.store(o1, c10); v128.store(o1, c11, 16); v128.store(o1, c12, 32); v128.store(o1, c13, 48);
    }
    for (; j < N; j += 4) {
      // 1–4 columns; loads read 4 lanes (up to 12 bytes past the row), only `cols` lanes are stored.
      const cols = min<usize>(4, N - j);
      const o0 = r0 + j * F, o1 = r1 + j * F, bj = bias != 0 ? bias + j * F : 0;
      let c0 = init4(o0, bj, accumulate), c1 = init4(o1, bj, accumulate);
      const col = bm + j * F;
      for (let e = list; e < end; e += 16) {
        const w = v128.load(col + <usize>load<u32>(e));
        c0 = fma(c0, v128.load32_splat(e, 4), w);
        c1 = fma(c1, v128.load32_splat(e, 8), w);
      }
      storeCols(o0, c0, cols);
      storeCols(o1, c1, cols);
    }
  }
  if (M2 < M) gemmSparseRows(out + M2 * ldo, a + M2 * rs, sai, sak, bm, bias, accumulate, M - M2, N, K, list);
}
