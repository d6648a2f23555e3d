// The multiply-add every SIMD kernel's inner loop is made of. scripts/build-wasm.mjs compiles the module
// twice: without relaxed SIMD (mul then add, two roundings: runs wherever 128-bit SIMD does) and with it
// (f32x4.relaxed_madd: one fused multiply-add on CPUs that have FMA, one rounding; half the instructions,
// measured +30% GEMM throughput on Zen 3). ASC_FEATURE_RELAXED_SIMD is AssemblyScript's compile-time flag.

/** acc + a·b, lane-wise. */
@inline export function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
