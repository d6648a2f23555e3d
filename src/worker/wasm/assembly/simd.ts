// The pieces every SIMD GEMM is made of: the multiply-add of its inner loops, and the start and the end of
// a 4-lane chunk of out. The multiply-add: scripts/build-wasm.mjs compiles the module
// twice: without relaxed SIMD (mul then add, two roundings: runs wherever 128-bit SIMD does) and with it
// (f32x4.relaxed_madd: one fused multiply-add on CPUs that have FMA, one rounding; half the instructions,
// measured +30% GEMM throughput on Zen 3). ASC_FEATURE_RELAXED_SIMD is AssemblyScript's compile-time flag.

/** acc + a·b, lane-wise. */
@inline export function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** The starting value of a 4-lane chunk of out: existing out (accumulate), plus bias[j..j+3] unless
 *  biasAt = 0, or 0. */
@inline export function init4(at: usize, biasAt: usize, accumulate: bool): v128 {
  let v = accumulate ? v128.load(at) : f32x4.splat(0);
  if (biasAt != 0) v = f32x4.add(v, v128.load(biasAt));
  return v;
}

/** Stores the first `cols` lanes (none if ≤ 0, all if ≥ 4) of v at `at`: a column tail. */
@inline export function storeCols(at: usize, v: v128, cols: isize): void {
  if (cols >= 4) v128.store(at, v);
  else if (cols > 0) {
    store<f32>(at, f32x4.extract_lane(v, 0));
    if (cols > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
    if (cols > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
  }
}
