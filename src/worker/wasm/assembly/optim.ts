// SIMD optimizer steps over flat f32 buffers (byte addresses into linear memory), 4 lanes + scalar tail.
// Formulas as in the core's plain kernels and ../shared/bench/numpy_ref.py.
//
// Subnormal flush: on x86, arithmetic that reads or produces a float32 subnormal takes a slow microcode
// path, and WebAssembly cannot switch on flush-to-zero. Moments of inputs that are rarely non-zero (border
// pixels) decay geometrically (m by β1 per step) into that range. So a moment whose magnitude falls below
// TINY = 2^-100 (≈ 7.9e-31) is set to 0 (Adam: every 16th step; momentum, RMSprop: every step, where in
// g² a gradient with |g| < GTINY = 2^-50 (≈ 8.9e-16) also counts as 0). Effect on a parameter update
// lr·m̂/(√v̂+ε) with ε ≥ 1e-12: below 1e-15·lr in absolute terms — far under float32 resolution of any
// weight that is not itself ~0.

const F: usize = 4;
const TINY: f32 = 7.888609052210118e-31; // 2^-100
const GTINY: f32 = 8.881784197001252e-16; // 2^-50

@inline function flush4(x: v128, tiny: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), tiny));
}

@inline function flush1(x: f32): f32 {
  return Mathf.abs(x) >= TINY ? x : 0;
}

/** p −= lr·g */
export function sgdStep(params: usize, grads: usize, lr: f32, n: i32): void {
  const N = <usize>n, vlr = f32x4.splat(lr);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) {
    const at = i * F;
    v128.store(params + at, f32x4.sub(v128.load(params + at), f32x4.mul(vlr, v128.load(grads + at))));
  }
  for (; i < N; i++) store<f32>(params + i * F, load<f32>(params + i * F) - lr * load<f32>(grads + i * F));
}

/** m = β1·m + (1−β1)·g;  p −= lr·m   (d1 = 1−β1, computed by the caller in double precision) */
export function momentumStep(params: usize, grads: usize, m: usize, lr: f32, beta1: f32, d1: f32, n: i32): void {
  const N = <usize>n, vlr = f32x4.splat(lr), vb1 = f32x4.splat(beta1), vc1 = f32x4.splat(d1);
  const tiny = f32x4.splat(TINY);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) {
    const at = i * F;
    const mv = flush4(f32x4.add(f32x4.mul(vb1, v128.load(m + at)), f32x4.mul(vc1, v128.load(grads + at))), tiny);
    v128.store(m + at, mv);
    v128.store(params + at, f32x4.sub(v128.load(params + at), f32x4.mul(vlr, mv)));
  }
  for (; i < N; i++) {
    const at = i * F;
    const mv = flush1(beta1 * load<f32>(m + at) + d1 * load<f32>(grads + at));
    store<f32>(m + at, mv);
    store<f32>(params + at, load<f32>(params + at) - lr * mv);
  }
}

/** v = β2·v + (1−β2)·g²;  p −= lr·g/(√v+ε)   (d2 = 1−β2) */
export function rmspropStep(params: usize, grads: usize, v: usize, lr: f32, beta2: f32, d2: f32, eps: f32, n: i32): void {
  const N = <usize>n, vlr = f32x4.splat(lr), vb2 = f32x4.splat(beta2), vc2 = f32x4.splat(d2), veps = f32x4.splat(eps);
  const tiny = f32x4.splat(TINY), gtiny = f32x4.splat(GTINY);
  let i: usize = 0;
  for (; i + 4 <= N; i += 4) {
    const at = i * F;
    const g = v128.load(grads + at), gs = flush4(g, gtiny);
    const vv = flush4(f32x4.add(f32x4.mul(vb2, v128.load(v + at)), f32x4.mul(vc2, f32x4.mul(gs, gs))), tiny);
    v128.store(v + at, vv);
    v128.store(params + at, f32x4.sub(v128.load(params + at), f32x4.div(f32x4.mul(vlr, g), f32x4.add(f32x4.sqrt(vv), veps))));
  }
  for (; i < N; i++) {
    const at = i * F;
    const g = load<f32>(grads + at), gs = Mathf.abs(g) >= GTINY ? g : 0;
    const vv = flush1(beta2 * load<f32>(v + at) + d2 * gs * gs);
    store<f32>(v + at, vv);
    store<f32>(params + at, load<f32>(params + at) - (lr * g) / (Mathf.sqrt(vv) + eps));
  }
}

/** Sets the entries of x[n] whose magnitude is below TINY to 0. */
function flushTiny(x: usize, n: usize): void {
  const tiny = f32x4.splat(TINY);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + i * F, flush4(v128.load(x + i * F), tiny));
  for (; i < n; i++) store<f32>(x + i * F, flush1(load<f32>(x + i * F)));
}

/** m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr·(m·c1)/(√(v·c2)+ε)
 *  with d1 = 1−β1, d2 = 1−β2, c1 = 1/(1−β1^t), c2 = 1/(1−β2^t) computed by the caller in double precision
 *  (1 − float32(0.999) would be off by 1.3e-5 relative).
 *  The flush runs as a separate pass when `flush` is set (the caller sets it every 16th step): inside the
 *  update loop its masks and constants spill registers and cost 70% more time per step. Between two passes a
 *  moment at 2^-100 decays to at most 2^-100·0.9^16 ≈ 2^-102, far from the subnormal range (2^-126). */
export function adamStep(params: usize, grads: usize, m: usize, v: usize, lr: f32, beta1: f32, d1: f32, beta2: f32, d2: f32, eps: f32, c1: f32, c2: f32, n: i32, flush: bool): void {
  const N = <usize>n, vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  const vb1 = f32x4.splat(beta1), vd1 = f32x4.splat(d1), vb2 = f32x4.splat(beta2), vd2 = f32x4.splat(d2);
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  let i: usize = 0;
  // Four vectors an iteration, each block the one-vector loop's operations at a constant offset (the
  // same bits): V8 splats the constants again in every iteration, and the loop is bound by how many of its
  // long chains (√, ÷) the out-of-order window holds. On 100,352 parameters, interleaved in one process
  // (3 runs): 0.87–1.08 ns a parameter, against 0.93–1.16 two vectors an iteration and 1.01–1.40 one;
  // offsets added to the address instead of the loads' constant offsets: 1.18–1.20.
  for (; i + 16 <= N; i += 16) {
    const at = i * F;
    {
      const g = v128.load(grads + at, 0);
      const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + at, 0)), f32x4.mul(vd1, g));
      const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + at, 0)), f32x4.mul(vd2, f32x4.mul(g, g)));
      v128.store(m + at, mv, 0);
      v128.store(v + at, vv, 0);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mv, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
      v128.store(params + at, f32x4.sub(v128.load(params + at, 0), step), 0);
    }
    {
      const g = v128.load(grads + at, 16);
      const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + at, 16)), f32x4.mul(vd1, g));
      const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + at, 16)), f32x4.mul(vd2, f32x4.mul(g, g)));
      v128.store(m + at, mv, 16);
      v128.store(v + at, vv, 16);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mv, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
      v128.store(params + at, f32x4.sub(v128.load(params + at, 16), step), 16);
    }
    {
      const g = v128.load(grads + at, 32);
      const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + at, 32)), f32x4.mul(vd1, g));
      const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + at, 32)), f32x4.mul(vd2, f32x4.mul(g, g)));
      v128.store(m + at, mv, 32);
      v128.store(v + at, vv, 32);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mv, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
      v128.store(params + at, f32x4.sub(v128.load(params + at, 32), step), 32);
    }
    {
      const g = v128.load(grads + at, 48);
      const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + at, 48)), f32x4.mul(vd1, g));
      const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + at, 48)), f32x4.mul(vd2, f32x4.mul(g, g)));
      v128.store(m + at, mv, 48);
      v128.store(v + at, vv, 48);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mv, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
      v128.store(params + at, f32x4.sub(v128.load(params + at, 48), step), 48);
    }
  }
  for (; i + 4 <= N; i += 4) {
    const at = i * F;
    const g = v128.load(grads + at);
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + at)), f32x4.mul(vd1, g));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + at)), f32x4.mul(vd2, f32x4.mul(g, g)));
    v128.store(m + at, mv);
    v128.store(v + at, vv);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mv, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
    v128.store(params + at, f32x4.sub(v128.load(params + at), step));
  }
  for (; i < N; i++) {
    const at = i * F;
    const g = load<f32>(grads + at);
    const mv = beta1 * load<f32>(m + at) + d1 * g;
    const vv = beta2 * load<f32>(v + at) + d2 * g * g;
    store<f32>(m + at, mv);
    store<f32>(v + at, vv);
    store<f32>(params + at, load<f32>(params + at) - (lr * (mv * c1)) / (Mathf.sqrt(vv * c2) + eps));
  }
  if (flush) {
    flushTiny(m, N);
    flushTiny(v, N);
  }
}
