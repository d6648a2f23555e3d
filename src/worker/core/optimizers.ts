// Optimizer updates: each one loop over flat buffers (params, grads and moments share one layout),
// formula in the comment. Used by both the naive and the plain kernels; a WebAssembly twin lives in
// src/worker/wasm. i runs over all n parameters. applyOptimizer (below) picks the configured one.
import type { OptimizerName } from '../../shared/training';
import type { Kernels } from './kernels';

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

/** The optimizer settings of a run (a TrainConfig has them all). */
export interface OptimizerSettings {
  optimizer: OptimizerName;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The buffers an update reads and writes (one layout); m for momentum and Adam, v for RMSprop and Adam. */
export interface OptimizerBuffers {
  params: Float32Array;
  grads: Float32Array;
  m: Float32Array | null;
  v: Float32Array | null;
}

/**
 * The configured optimizer's update at step t (1-based) of parameters [from, to), with these kernels.
 * Every update is elementwise, so updating ranges that cover [0, n) equals one update of all n — bit for
 * bit with the plain kernels for any ranges. The WASM kernels run 4 lanes then a scalar tail, which
 * computes (1−β2)·g·g in another order: with them, ranges that end on multiples of 4 (a batch-split run's
 * end on multiples of 16) give each element the path it takes in one update, so the same bits. Other ends
 * (an input-split run's, at multiples of the first layer's width) are still deterministic, within rounding
 * of one update.
 */
export function applyOptimizer(kernels: Kernels, o: OptimizerSettings, b: OptimizerBuffers, t: number, from = 0, to = b.params.length): void {
  const { params, grads, m, v } = from === 0 && to === b.params.length ? b : optimizerRange(b, from, to);
  const n = to - from;
  switch (o.optimizer) {
    case 'gd':
      return kernels.sgdStep(params, grads, o.learningRate, n);
    case 'momentum':
      return kernels.momentumStep(params, grads, need(m, 'm', o), o.learningRate, o.beta1, n);
    case 'rmsprop':
      return kernels.rmspropStep(params, grads, need(v, 'v', o), o.learningRate, o.beta2, o.epsilon, n);
    case 'adam':
      return kernels.adamStep(params, grads, need(m, 'm', o), need(v, 'v', o), o.learningRate, o.beta1, o.beta2, o.epsilon, t, n);
  }
}

/** Views of parameters [from, to) of every buffer. A caller that updates the same range every step makes
 *  these once and passes them whole to applyOptimizer (no range: four views a step would otherwise be
 *  garbage). */
export function optimizerRange(b: OptimizerBuffers, from: number, to: number): OptimizerBuffers {
  return { params: b.params.subarray(from, to), grads: b.grads.subarray(from, to), m: b.m ? b.m.subarray(from, to) : null, v: b.v ? b.v.subarray(from, to) : null };
}

function need(x: Float32Array | null, name: string, o: OptimizerSettings): Float32Array {
  if (!x) throw new TypeError(`the ${o.optimizer} optimizer needs its ${name} buffer`);
  return x;
}
