// The network's head after its last GEMM: softmax with the cross-entropy loss, and their fused backward.
// The plain twins are src/worker/core/layers.ts's softmaxForward and crossEntropyBackward, which work in
// double. Here z − max and the exponentials are float32 (four at a time: exp4), as in NumPy's float32
// softmax; the row sums and the loss stay in double. JavaScript's Math.exp per value cost more than the
// rest of the head (measured ~10 µs of a 64-row batch's ~17).

const F: usize = 4;

/** The largest of a row's K values (NaN is skipped, as the twin's `>` does). */
@inline function rowMax(z: usize, K: usize): f32 {
  let max: f32 = -Infinity;
  for (let k: usize = 0; k < K; k++) {
    const x = load<f32>(z + k * F);
    if (x > max) max = x;
  }
  return max;
}

/** e^x lane-wise for x ≤ 0 (softmax's z − max): e^x = 2^n · e^r with n = round(x·log₂e) and r = x − n·ln 2
 *  (ln 2 in two parts, so r is exact to float32), e^r = 1 + r + r²·P(r) with Cephes expf's polynomial on
 *  |r| ≤ ln 2 / 2 (≤ 1 ulp). x < −87.34 (e^x below float32's smallest normal) gives 0; NaN stays NaN. */
@inline function exp4(x: v128): v128 {
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n for n in [−126, 0]: the exponent field n + 127 (NaN lanes: n = 0 here, er is NaN anyway)
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(er, pow2), f32x4.lt(x, f32x4.splat(-87.33654)));
}

/** x[n] = e^x[n] in place (exp4; the last n mod 4 values one lane each). */
function expInPlace(x: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + i * F, exp4(v128.load(x + i * F)));
  for (; i < n; i++) store<f32>(x + i * F, f32x4.extract_lane(exp4(f32x4.splat(load<f32>(x + i * F))), 0));
}

/** probs[B,K] = softmax(logits[B,K]) per row, exp(z − max z); returns Σ_b −log probs[b, labels[b]] from
 *  the logits (log-sum-exp, never log 0), or 0 without labels. Float32 but for the row sums and the loss
 *  (f64; one log of a product per 16 rows: each row's sum is 1…K, so a product of 16 stays far inside
 *  f64's range). */
export function softmaxForward(probs: usize, logits: usize, labels: usize, B: i32, K: i32): f64 {
  const nk = <usize>K, nb = <usize>B, ld = nk * F;
  for (let b: usize = 0; b < nb; b++) {
    const z = logits + b * ld, p = probs + b * ld;
    const max = rowMax(z, nk);
    for (let k: usize = 0; k < nk; k++) store<f32>(p + k * F, load<f32>(z + k * F) - max);
  }
  expInPlace(probs, nb * nk);
  let loss: f64 = 0, product: f64 = 1;
  for (let b: usize = 0; b < nb; b++) {
    const p = probs + b * ld;
    // the sum in f64: with a confident model the loss is log(1 + tiny), which a float32 sum would round away
    let sum: f64 = 0;
    for (let k: usize = 0; k < nk; k++) sum += <f64>load<f32>(p + k * F);
    const inv = <f32>(1 / sum);
    for (let k: usize = 0; k < nk; k++) store<f32>(p + k * F, load<f32>(p + k * F) * inv);
    if (labels != 0) {
      const z = logits + b * ld;
      loss -= <f64>load<f32>(z + <usize>load<u8>(labels + b) * F) - <f64>rowMax(z, nk);
      product *= sum;
      if ((b & 15) == 15) {
        loss += Math.log(product);
        product = 1;
      }
    }
  }
  return labels != 0 ? loss + Math.log(product) : 0;
}

/** dlogits[B,K] = scale · (probs − onehot(labels)): the gradient of softmax + cross-entropy w.r.t. the
 *  logits, for a loss averaged over 1/scale rows. scale·p in float32, four at a time (the same floats
 *  as the twin's when scale is a power of 2); then each row's label entry in f64 as the twin, from
 *  probs again (so dlogits must not overlap probs: the wrapper refuses that). */
export function crossEntropyBackward(dlogits: usize, probs: usize, labels: usize, B: i32, K: i32, scale: f64): void {
  const nk = <usize>K, n = <usize>B * nk, s = f32x4.splat(<f32>scale);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) v128.store(dlogits + i * F, f32x4.mul(v128.load(probs + i * F), s));
  for (; i < n; i++) store<f32>(dlogits + i * F, load<f32>(probs + i * F) * <f32>scale);
  for (let b: usize = 0; b < <usize>B; b++) {
    const at = (b * nk + <usize>load<u8>(labels + b)) * F;
    store<f32>(dlogits + at, <f32>(scale * (<f64>load<f32>(probs + at) - 1)));
  }
}
