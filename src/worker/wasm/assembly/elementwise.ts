// Optional extras beside the Kernels interface: ReLU and batch gathering, SIMD over byte addresses.

const F: usize = 4;

/** out[n] = inp > 0 ? inp : 0  (out may be inp) */
export function reluForward(out: usize, inp: usize, n: i32): void {
  const N = <usize>n, zero = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) {
    const x = v128.load(inp + i * F);
    v128.store(out + i * F, v128.and(x, f32x4.gt(x, zero)));
  }
  for (; i < N; i++) {
    const x = load<f32>(inp + i * F);
    store<f32>(out + i * F, x > 0 ? x : 0);
  }
}

/** dinp[n] = out > 0 ? dout : 0  (overwrites; dinp may be dout; out is the ReLU output or its input) */
export function reluBackward(dinp: usize, dout: usize, out: usize, n: i32): void {
  const N = <usize>n, zero = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) {
    v128.store(dinp + i * F, v128.and(v128.load(dout + i * F), f32x4.gt(v128.load(out + i * F), zero)));
  }
  for (; i < N; i++) store<f32>(dinp + i * F, load<f32>(out + i * F) > 0 ? load<f32>(dout + i * F) : 0);
}

/** out[B,D] = pixels[rows[b], D] / 255  — pixels u8 [*, D], rows i32 or u32 [B] (< 2^31). Division (not ·1/255) so the
 *  result is bit-identical to `pixel / 255` rounded to float32. */
export function gatherRows(out: usize, pixels: usize, rows: usize, B: i32, D: i32): void {
  const nd = <usize>D;
  for (let b: usize = 0; b < <usize>B; b++) scaleBytes(out + b * nd * F, pixels + <usize>load<u32>(rows + b * 4) * nd, D);
}

/** out[n] = bytes[n] / 255 as float32 (the batch gather's conversion, after the JS side has copied the
 *  batch's rows next to each other into `bytes`). The lanes are 0–255, so the signed conversion (one
 *  cvtdq2ps) gives the same floats as the unsigned one, which x86 has no instruction for: V8 emulates it,
 *  and with it this loop took 26 µs for a 64×784 batch instead of 14. */
export function scaleBytes(out: usize, bytes: usize, n: i32): void {
  const N = <usize>n, d255 = f32x4.splat(255);
  let d: usize = 0;
  for (; d + 16 <= N; d += 16) {
    const x = v128.load(bytes + d);
    const lo = i16x8.extend_low_i8x16_u(x), hi = i16x8.extend_high_i8x16_u(x);
    v128.store(out + d * F, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)), d255));
    v128.store(out + d * F, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), d255), 16);
    v128.store(out + d * F, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), d255), 32);
    v128.store(out + d * F, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), d255), 48);
  }
  for (; d < N; d++) store<f32>(out + d * F, <f32>load<u8>(bytes + d) / 255);
}

/** out[n] = 0 (bulk memory.fill: a memset, where a JS fill of a view into shared memory goes element by
 *  element — 8× slower for a gradient of 101,770 floats, measured). */
export function zeroFloats(out: usize, n: i32): void {
  memory.fill(out, 0, <usize>n * F);
}
