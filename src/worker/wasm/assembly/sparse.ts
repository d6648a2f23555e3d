// Zero-skipping GEMMs for inputs with many exact zeros (image pixels: about half of Fashion-MNIST's and
// four fifths of MNIST's are 0). Same contract as gemm.ts's dense kernel: out[M,N] = init + A[M,K]·Bm[K,N]
// with A read through strides; row by row, the non-zero A[i,k] are listed (branch-free), then each 32-,
// 8- or 4-column panel of out[i,·] is summed over that list in f32x4 registers. Work ∝ non-zeros.

const F: usize = 4;

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function init4(at: usize, biasAt: usize, accumulate: bool): v128 {
  let v = accumulate ? v128.load(at) : f32x4.splat(0);
  if (biasAt != 0) v = f32x4.add(v, v128.load(biasAt));
  return v;
}

/** Number of non-zero floats among n (NaN counts as non-zero). */
export function countNonZero(x: usize, n: i32): i32 {
  const N = <usize>n, zero = f32x4.splat(0);
  let acc = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) acc = i32x4.sub(acc, f32x4.ne(v128.load(x + i * F), zero));
  let c = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < N; i++) c += select<i32>(1, 0, load<f32>(x + i * F) != 0);
  return c;
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
      if (cols >= 4) v128.store(o, c0);
      else {
        store<f32>(o, f32x4.extract_lane(c0, 0));
        if (cols > 1) store<f32>(o, f32x4.extract_lane(c0, 1), 4);
        if (cols > 2) store<f32>(o, f32x4.extract_lane(c0, 2), 8);
      }
    }
  }
}
