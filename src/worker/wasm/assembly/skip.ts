// Zero-skipping GEMM, one row of A at a time (the forward pass on pixels or ReLU outputs):
// out[M,N] = init + A[M,K]·Bm[K,N], A row-major with lda floats per row, skipping A's exact zeros (NaN is
// not a zero). K is cut into blocks; each block of Bm is copied into 28-column panels (kc × 28 floats,
// contiguous, so no cache-set conflicts from Bm's 512-byte rows) that stay in L1 while a group of rows
// runs over them. Each row of the group has a list of its non-zero k in the block — byte offsets of packed
// rows and the values, in two arrays LIST_HALF bytes apart — built 4 k at a time with a compaction
// shuffle. An entry then costs 7 loads of the panel for 7 f32x4 multiply-adds into the row's 28 columns.
// Why 28: V8 issues a loop body's loads before its arithmetic, so 7 loads + 7 accumulators + the splat
// fill the 15 xmm registers it allocates (checked with --print-wasm-code: no spill; 8 would spill), and
// the 7 independent sums keep 1.75 multiply-adds a cycle in flight against their 4-cycle latency. 128
// columns = 4 panels of 28 + one of 16, which narrowPanelRows does with 4 accumulators, two entries at a
// time. Measured against 24-column panels (6 accumulators; 128 = 5 × 24 + 8) on 64 Fashion-MNIST images:
// 285–288 µs per call instead of 299–300 (relaxed build), 349–357 instead of 360 (plain SIMD).
// Work ∝ non-zeros: on Fashion-MNIST pixels (49% non-zero) this is 1.4× the dense tile's speed per call.

import { COMPACT, pick } from './compact';
import { fma, init4, storeCols } from './simd';

const F: usize = 4;
const PW: usize = 28; // panel width in columns
const PANEL_ROW: usize = PW * F; // bytes per packed row
const ROW: i32 = 112; // PANEL_ROW as i32 (the offsets' lanes)
const PACK_BYTES: usize = 128 << 10; // budget for one packed block of Bm (784-128: 4 blocks of 196 k)
const LIST_HALF: usize = 32 << 10; // bytes of offsets (and of values) for one group of rows
const LIST_ENTRIES: usize = LIST_HALF / 4 - 8; // minus slack: compaction stores 4 entries at a time
const MAX_GROUP: usize = 1024; // rows per group (list ends)

/** k per block: at most 200 (fewer blocks: fewer passes over out and list ends), with the packed block
 *  within PACK_BYTES; blocks of even size. */
function blockRows(N: usize, K: usize): usize {
  const np = (N + PW - 1) / PW * PW;
  const kb = min<usize>(200, max<usize>(4, PACK_BYTES / (np * F)));
  if (K <= kb) return max<usize>(K, 1);
  const blocks = (K + kb - 1) / kb;
  return (K + blocks - 1) / blocks;
}

/** Scratch bytes gemmSkipZeros needs for out[·,N] over K: the packed block, the lists, the list ends. */
export function skipScratchBytes(N: usize, K: usize): usize {
  const np = (N + PW - 1) / PW * PW;
  return ((blockRows(N, K) * np * F + 63) & ~63) + 2 * LIST_HALF + MAX_GROUP * 4;
}

/** The fraction of non-zeros (NaN counts) in up to 8 rows of x[rows, cols] spread over the rows: the
 *  cheap estimate matmulForward's dense-or-skip choice reads (a choice of speed only). */
export function sampledNonZeroFraction(x: usize, rows: usize, cols: usize): f32 {
  const samples = min<usize>(rows, 8);
  if (samples == 0 || cols == 0) return 0;
  const zero = f32x4.splat(0);
  let acc = i32x4.splat(0), count: i32 = 0;
  for (let s: usize = 0; s < samples; s++) {
    const p = x + (s * rows / samples) * cols * F;
    let c: usize = 0;
    for (; c + 4 <= cols; c += 4) acc = i32x4.sub(acc, f32x4.ne(v128.load(p + c * F), zero));
    for (; c < cols; c++) count += select<i32>(1, 0, load<f32>(p + c * F) != 0);
  }
  count += i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  return <f32>count / <f32>(samples * cols);
}

/** Copies Bm[0..kc, 0..N) (ldb bytes per row) into panels: panel p at pack + p·kc·PANEL_ROW, row k at
 *  +k·PANEL_ROW; columns past N are 0. */
function packBlock(pack: usize, bm: usize, ldb: usize, N: usize, kc: usize): void {
  const N24 = N / PW * PW;
  const panelBytes = kc * PANEL_ROW;
  for (let k: usize = 0; k < kc; k++) {
    const src = bm + k * ldb;
    let dst = pack + k * PANEL_ROW;
    let j: usize = 0;
    for (; j < N24; j += PW) {
      const s = src + j * F;
      v128.store(dst, v128.load(s)); v128.store(dst, v128.load(s, 16), 16);
      v128.store(dst, v128.load(s, 32), 32); v128.store(dst, v128.load(s, 48), 48);
      v128.store(dst, v128.load(s, 64), 64); v128.store(dst, v128.load(s, 80), 80);
      v128.store(dst, v128.load(s, 96), 96);
      dst += panelBytes;
    }
    if (j < N) {
      // The last panel's w columns, then zeros (never garbage: a subnormal would slow the multiplies).
      const w = N - j;
      let c: usize = 0;
      for (; c + 4 <= w; c += 4) v128.store(dst + c * F, v128.load(src + (j + c) * F));
      for (; c < w; c++) store<f32>(dst + c * F, load<f32>(src + (j + c) * F));
      for (; (c & 3) != 0; c++) store<f32>(dst + c * F, 0);
      for (; c < PW; c += 4) v128.store(dst + c * F, f32x4.splat(0));
    }
  }
}


/** Appends the non-zeros of x[0..n) to the list at e (offsets at e, values at e + LIST_HALF); the k-th
 *  has offset k·PANEL_ROW. Returns the new end. */
@inline function compact(e: usize, x: usize, n: usize): usize {
  const zero = f32x4.splat(0), step = i32x4.splat(4 * ROW);
  let off = i32x4(0, ROW, 2 * ROW, 3 * ROW);
  let k: usize = 0;
  for (; k + 4 <= n; k += 4) {
    const v = v128.load(x + k * F);
    const m = <usize>i32x4.bitmask(f32x4.ne(v, zero));
    const sh = v128.load(COMPACT + (m << 4));
    v128.store(e, pick(off, sh));
    v128.store(e, pick(v, sh), LIST_HALF);
    e += <usize>popcnt<u32>(<u32>m) << 2;
    off = i32x4.add(off, step);
  }
  for (; k < n; k++) {
    const v = load<f32>(x + k * F);
    store<u32>(e, <u32>(k * PANEL_ROW));
    store<f32>(e, v, LIST_HALF);
    e += select<usize>(4, 0, v != 0);
  }
  return e;
}

/** init4 for a chunk of 4 columns of which `cols` are real: none → 0 without reading (the memory past
 *  out or bias may end there); 1–3 → a 4-lane read (up to 12 bytes past, as everywhere in the kernels). */
@inline function initCols(at: usize, biasAt: usize, accumulate: bool, cols: isize): v128 {
  return cols > 0 ? init4(at, biasAt, accumulate) : f32x4.splat(0);
}

/** g rows of out (from o, ldo bytes apart) += their lists over one panel: w (17–28) columns, 7 accumulators. */
function panelRows(o: usize, ldo: usize, b: usize, acc: bool, w: isize, panel: usize, offs: usize, ends: usize, g: usize): void {
  let start = offs;
  for (let r: usize = 0; r < g; r++) {
    const end = <usize>load<u32>(ends + r * 4);
    let c0 = initCols(o, b, acc, w), c1 = initCols(o + 16, b != 0 ? b + 16 : 0, acc, w - 4);
    let c2 = initCols(o + 32, b != 0 ? b + 32 : 0, acc, w - 8), c3 = initCols(o + 48, b != 0 ? b + 48 : 0, acc, w - 12);
    let c4 = initCols(o + 64, b != 0 ? b + 64 : 0, acc, w - 16), c5 = initCols(o + 80, b != 0 ? b + 80 : 0, acc, w - 20);
    let c6 = initCols(o + 96, b != 0 ? b + 96 : 0, acc, w - 24);
    for (let p = start; p < end; p += 4) {
      const x = v128.load32_splat(p, LIST_HALF);
      const q = panel + <usize>load<u32>(p);
      c0 = fma(c0, x, v128.load(q)); c1 = fma(c1, x, v128.load(q, 16));
      c2 = fma(c2, x, v128.load(q, 32)); c3 = fma(c3, x, v128.load(q, 48));
      c4 = fma(c4, x, v128.load(q, 64)); c5 = fma(c5, x, v128.load(q, 80));
      c6 = fma(c6, x, v128.load(q, 96));
    }
    if (w == <isize>PW) {
      v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32);
      v128.store(o, c3, 48); v128.store(o, c4, 64); v128.store(o, c5, 80); v128.store(o, c6, 96);
    } else {
      storeCols(o, c0, w); storeCols(o + 16, c1, w - 4); storeCols(o + 32, c2, w - 8);
      storeCols(o + 48, c3, w - 12); storeCols(o + 64, c4, w - 16); storeCols(o + 80, c5, w - 20); storeCols(o + 96, c6, w - 24);
    }
    start = end;
    o += ldo;
  }
}

/** A last panel of 1–16 columns: 4 accumulators, two entries per step summed before they are added. */
function narrowPanelRows(o: usize, ldo: usize, b: usize, acc: bool, w: isize, panel: usize, offs: usize, ends: usize, g: usize): void {
  let start = offs;
  for (let r: usize = 0; r < g; r++) {
    const end = <usize>load<u32>(ends + r * 4);
    let c0 = initCols(o, b, acc, w), c1 = initCols(o + 16, b != 0 ? b + 16 : 0, acc, w - 4);
    let c2 = initCols(o + 32, b != 0 ? b + 32 : 0, acc, w - 8), c3 = initCols(o + 48, b != 0 ? b + 48 : 0, acc, w - 12);
    let p = start;
    for (; p + 4 < end; p += 8) {
      const x = v128.load32_splat(p, LIST_HALF), y = v128.load32_splat(p + 4, LIST_HALF);
      const q = panel + <usize>load<u32>(p), s = panel + <usize>load<u32>(p, 4);
      c0 = f32x4.add(c0, fma(f32x4.mul(x, v128.load(q)), y, v128.load(s)));
      c1 = f32x4.add(c1, fma(f32x4.mul(x, v128.load(q, 16)), y, v128.load(s, 16)));
      c2 = f32x4.add(c2, fma(f32x4.mul(x, v128.load(q, 32)), y, v128.load(s, 32)));
      c3 = f32x4.add(c3, fma(f32x4.mul(x, v128.load(q, 48)), y, v128.load(s, 48)));
    }
    if (p < end) {
      const x = v128.load32_splat(p, LIST_HALF);
      const q = panel + <usize>load<u32>(p);
      c0 = fma(c0, x, v128.load(q)); c1 = fma(c1, x, v128.load(q, 16)); c2 = fma(c2, x, v128.load(q, 32)); c3 = fma(c3, x, v128.load(q, 48));
    }
    storeCols(o, c0, w); storeCols(o + 16, c1, w - 4); storeCols(o + 32, c2, w - 8); storeCols(o + 48, c3, w - 12);
    start = end;
    o += ldo;
  }
}

/** out[M,N] = (accumulate ? out : 0) + (bias ? bias : 0) + A·Bm, skipping A's zeros; A[i,k] at
 *  a + 4·(i·lda + k). scratch: skipScratchBytes(N, K) bytes, 64-byte aligned. */
export function gemmSkipZeros(out: usize, a: usize, lda: usize, bm: usize, bias: usize, accumulate: bool, M: usize, N: usize, K: usize, scratch: usize): void {
  const kb = blockRows(N, K);
  const np = (N + PW - 1) / PW * PW;
  const pack = scratch;
  const offs = (pack + kb * np * F + 63) & ~63;
  const ends = offs + 2 * LIST_HALF; // u32 per row of a group: the end of its list
  const ldo = N * F, ldb = N * F;
  for (let k0: usize = 0; k0 < K; k0 += kb) {
    const kc = min<usize>(kb, K - k0);
    const acc = k0 == 0 ? accumulate : true;
    const bi = k0 == 0 ? bias : 0;
    packBlock(pack, bm + k0 * ldb, ldb, N, kc);
    const panelBytes = kc * PANEL_ROW;
    const G = max<usize>(1, min<usize>(MAX_GROUP, LIST_ENTRIES / kc));
    for (let i0: usize = 0; i0 < M; i0 += G) {
      const g = min<usize>(G, M - i0);
      let e = offs;
      for (let r: usize = 0; r < g; r++) {
        e = compact(e, a + ((i0 + r) * lda + k0) * F, kc);
        store<u32>(ends + r * 4, <u32>e);
      }
      let panel = pack;
      for (let j: usize = 0; j < N; j += PW) {
        const w = <isize>min<usize>(PW, N - j);
        const o = out + i0 * ldo + j * F, b = bi != 0 ? bi + j * F : 0;
        if (w > 16) panelRows(o, ldo, b, acc, w, panel, offs, ends, g);
        else narrowPanelRows(o, ldo, b, acc, w, panel, offs, ends, g);
        panel += panelBytes;
      }
    }
  }
}
