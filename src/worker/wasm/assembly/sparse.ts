// Zero-skipping GEMMs for inputs with many exact zeros (image pixels: about half of Fashion-MNIST's and
// four fifths of MNIST's are 0). Same contract as gemm.ts's dense kernel: out[M,N] = init + A[M,K]·Bm[K,N]
// with A read through strides. gemmSparsePairs (the weight gradient) lists, for two rows of A at a time, the k
// where either is non-zero (branch-free), then sums each 16-column panel of the two out rows over that list
// in f32x4 registers; gemmSparseRows does one row at a time (the odd last row). Work ∝ listed entries.

import { COMPACT, pick } from './compact';
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

/** out[M,N] = init + A·Bm skipping A's zeros, one row at a time: the weight gradient's odd last row (called
 *  with M = 1, no bias). list: scratch for K entries of 8 bytes. */
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

/** Bytes between the three arrays of one pair's list for K entries (offsets, then the first row's values,
 *  then the second's): 4 per entry, rounded up to 16, plus 16 to spare (the compaction's 16-byte stores end
 *  within 4·K bytes, so the spare is a margin, not a need). */
@inline function listStride(K: usize): usize {
  return (K * 4 + 16 + 15) & ~15;
}

/** The most k one pass of gemmSparsePairs takes with `bytes` of scratch for the lists of two pairs of rows
 *  (6 arrays): a multiple of 4; 0 when not even 4 fit. */
export function pairListRows(bytes: usize): usize {
  const stride = (bytes / 6) & ~15;
  return stride < 32 ? 0 : ((stride - 16) / 4) & ~3;
}

/** Out rows r0 and r1 (+)= their pair's list: entries from `list` to `end`, 4 bytes each — Bm's row offset,
 *  with the two rows' values H and 2H bytes further. 16-column panels with 2 × 4 f32x4 accumulators, so each
 *  entry loads one 64-byte line of Bm for 8 multiply-adds (the dense tile's ratio, on fewer k). */
function pairPanels(r0: usize, r1: usize, bm: usize, accumulate: bool, N: usize, list: usize, end: usize, H: usize): void {
  let j: usize = 0;
  for (; j + 16 <= N; j += 16) {
    const o0 = r0 + j * F, o1 = r1 + j * F;
    let c00 = init4(o0, 0, accumulate), c01 = init4(o0 + 16, 0, accumulate);
    let c02 = init4(o0 + 32, 0, accumulate), c03 = init4(o0 + 48, 0, accumulate);
    let c10 = init4(o1, 0, accumulate), c11 = init4(o1 + 16, 0, accumulate);
    let c12 = init4(o1 + 32, 0, accumulate), c13 = init4(o1 + 48, 0, accumulate);
    const col = bm + j * F;
    for (let e = list; e < end; e += 4) {
      const w = col + <usize>load<u32>(e);
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
      const x0 = v128.load32_splat(e + H);
      c00 = fma(c00, x0, w0); c01 = fma(c01, x0, w1); c02 = fma(c02, x0, w2); c03 = fma(c03, x0, w3);
      const x1 = v128.load32_splat(e + 2 * H);
      c10 = fma(c10, x1, w0); c11 = fma(c11, x1, w1); c12 = fma(c12, x1, w2); c13 = fma(c13, x1, w3);
    }
    v128.store(o0, c00); v128.store(o0, c01, 16); v128.store(o0, c02, 32); v128.store(o0, c03, 48);
    v128.store(o1, c10); v128.store(o1, c11, 16); v128.store(o1, c12, 32); v128.store(o1, c13, 48);
  }
  for (; j < N; j += 4) {
    // 1–4 columns; loads read 4 lanes (up to 12 bytes past the row), only `cols` lanes are stored.
    const cols = min<usize>(4, N - j);
    const o0 = r0 + j * F, o1 = r1 + j * F;
    let c0 = init4(o0, 0, accumulate), c1 = init4(o1, 0, accumulate);
    const col = bm + j * F;
    for (let e = list; e < end; e += 4) {
      const w = v128.load(col + <usize>load<u32>(e));
      c0 = fma(c0, v128.load32_splat(e + H), w);
      c1 = fma(c1, v128.load32_splat(e + 2 * H), w);
    }
    storeCols(o0, c0, cols);
    storeCols(o1, c1, cols);
  }
}

/** Appends to the list at e (arrays H bytes apart) one entry per k where x0 or x1 is non-zero. */
@inline function appendPair(e: usize, H: usize, offset: usize, x0: f32, x1: f32): usize {
  store<u32>(e, <u32>offset);
  store<f32>(e + H, x0);
  store<f32>(e + 2 * H, x1);
  return e + select<usize>(4, 0, (x0 != 0) | (x1 != 0));
}

/**
 * The weight gradient's GEMM, skipping zeros two rows of out at a time: out[M,N] = init + A[M,K]·Bm[K,N]
 * where A = inpᵀ, A[i,k] at a + 4·(i + k·sak) (rows of A are neighbouring pixels, k runs over the batch).
 * Rows go 4 at a time: their 4 × 4 blocks of A (4 pixels of 4 images, one 16-byte load per image) are
 * transposed in registers, and each pair of rows gets the list of the k where either is non-zero by
 * compaction (compact.ts) — about 1.6× faster than building it one k at a time with a branch-free scalar
 * loop, which is what the last 2 or 3 rows and odd K use. Entries are in k order, so the sums are the same
 * floats either way. scratch: scratchBytes for the lists (16-byte aligned; pairListRows(scratchBytes) ≥ 4);
 * a longer K runs in passes of that many k, each adding to out (the same floats as one pass).
 */
export function gemmSparsePairs(out: usize, a: usize, sak: usize, bm: usize, accumulate: bool, M: usize, N: usize, K: usize, scratch: usize, scratchBytes: usize): void {
  const kc = pairListRows(scratchBytes);
  if (kc < 4) unreachable(); // a trap, not an endless loop: callers check the scratch first (weightSkipsZeros)
  let k0: usize = 0;
  do {
    pairsPass(out, a + k0 * sak * F, sak, bm + k0 * N * F, accumulate || k0 > 0, M, N, min<usize>(kc, K - k0), scratch);
    k0 += kc;
  } while (k0 < K);
}

/** One pass of gemmSparsePairs over K ≤ pairListRows(scratch's size) k. */
function pairsPass(out: usize, a: usize, sak: usize, bm: usize, accumulate: bool, M: usize, N: usize, K: usize, list: usize): void {
  const ldb = N * F, ks = sak * F, ldo = N * F;
  const H = listStride(K);
  const listA = list, listB = list + 3 * H; // rows i, i+1 and rows i+2, i+3
  const zero = f32x4.splat(0);
  const K4 = K & ~3, M4 = M & ~3;
  const nextOffsets = i32x4.splat(<i32>(4 * ldb));
  for (let i: usize = 0; i < M4; i += 4) {
    let eA = listA, eB = listB;
    let pa = a + i * F;
    let offsets = i32x4(0, <i32>ldb, <i32>(2 * ldb), <i32>(3 * ldb)); // Bm's rows k…k+3
    let k: usize = 0;
    for (; k < K4; k += 4) {
      // q_j: pixels i…i+3 of image k+j; after the transpose, p_c: pixel i+c of images k…k+3.
      const q0 = v128.load(pa), q1 = v128.load(pa + ks), q2 = v128.load(pa + 2 * ks), q3 = v128.load(pa + 3 * ks);
      const t0 = i32x4.shuffle(q0, q1, 0, 4, 1, 5), t1 = i32x4.shuffle(q2, q3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(q0, q1, 2, 6, 3, 7), t3 = i32x4.shuffle(q2, q3, 2, 6, 3, 7);
      const p0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5), p1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
      const p2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5), p3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
      const mA = <usize>i32x4.bitmask(v128.or(f32x4.ne(p0, zero), f32x4.ne(p1, zero)));
      const sA = v128.load(COMPACT + (mA << 4));
      v128.store(eA, pick(offsets, sA)); v128.store(eA + H, pick(p0, sA)); v128.store(eA + 2 * H, pick(p1, sA));
      eA += <usize>popcnt<u32>(<u32>mA) << 2;
      const mB = <usize>i32x4.bitmask(v128.or(f32x4.ne(p2, zero), f32x4.ne(p3, zero)));
      const sB = v128.load(COMPACT + (mB << 4));
      v128.store(eB, pick(offsets, sB)); v128.store(eB + H, pick(p2, sB)); v128.store(eB + 2 * H, pick(p3, sB));
      eB += <usize>popcnt<u32>(<u32>mB) << 2;
      offsets = i32x4.add(offsets, nextOffsets);
      pa += 4 * ks;
    }
    for (; k < K; k++) {
      eA = appendPair(eA, H, k * ldb, load<f32>(pa), load<f32>(pa, 4));
      eB = appendPair(eB, H, k * ldb, load<f32>(pa, 8), load<f32>(pa, 12));
      pa += ks;
    }
    const r0 = out + i * ldo;
    pairPanels(r0, r0 + ldo, bm, accumulate, N, listA, eA, H);
    pairPanels(r0 + 2 * ldo, r0 + 3 * ldo, bm, accumulate, N, listB, eB, H);
  }
  let i = M4;
  if (i + 2 <= M) {
    let e = listA;
    let pa = a + i * F;
    for (let k: usize = 0; k < K; k++) {
      e = appendPair(e, H, k * ldb, load<f32>(pa), load<f32>(pa, 4));
      pa += ks;
    }
    const r0 = out + i * ldo;
    pairPanels(r0, r0 + ldo, bm, accumulate, N, listA, e, H);
    i += 2;
  }
  if (i < M) gemmSparseRows(out + i * ldo, a + i * F, 1, sak, bm, 0, accumulate, 1, N, K, list);
}
