// Optimizer updates: each one loop over flat buffers (params, grads and moments share one layout),
// formula in the comment. Used by both the naive and the plain kernels; a WebAssembly twin lives in
// src/worker/wasm. i runs over all n parameters.

/** Gradient descent: p −= lr·g */
export function sgdStep(params: Float32Array, grads: Float32Array, lr: number, n: number): void {
  for (let i = 0; i < n; i++) params[i] -= lr * grads[i];
}

/** Momentum, the notebook's EMA form (as numpy_ref.py): m = β1·m + (1−β1)·g;  p −= lr·m */
export function momentumStep(params: Float32Array, grads: Float32Array, m: Float32Array, lr: number, beta1: number, n: number): void {
  const b = 1 - beta1;
  for (let i = 0; i < n; i++) {
    const mi = Math.fround(beta1 * m[i] + b * grads[i]);
    m[i] = mi;
    params[i] -= lr * mi;
  }
}

/** RMSprop: v = β2·v + (1−β2)·g²;  p −= lr·g / (√v + ε)   (no bias correction, as in the notebook) */
export function rmspropStep(params: Float32Array, grads: Float32Array, v: Float32Array, lr: number, beta2: number, eps: number, n: number): void {
  const b = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grads[i];
    const vi = Math.fround(beta2 * v[i] + b * g * g);
    v[i] = vi;
    params[i] -= (lr * g) / (Math.sqrt(vi) + eps);
  }
}

/**
 * Adam (Kingma & Ba, bias-corrected, as numpy_ref.py), t = 1-based step count:
 *   m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 */
export function adamStep(
  params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array,
  lr: number, beta1: number, beta2: number, eps: number, t: number, n: number,
): void {
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  const b1 = 1 - beta1;
  const b2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grads[i];
    const mi = Math.fround(beta1 * m[i] + b1 * g);
    const vi = Math.fround(beta2 * v[i] + b2 * g * g);
    m[i] = mi;
    v[i] = vi;
    params[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}
