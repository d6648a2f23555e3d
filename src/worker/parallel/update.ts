// The second half of a data-parallel step, split across the threads: once every thread's gradient is in
// its grads_t, thread t sums the gradients over its own contiguous range R_t of the parameters (in thread
// order 0, 1, 2, …: the same additions every run, so results are deterministic) and applies the optimizer
// to R_t. The optimizer is elementwise, so the ranges together are exactly one update of all parameters.
import type { Kernels } from '../core/kernels';
import { applyOptimizer, type OptimizerSettings } from '../core/optimizers';
import { sliceOf } from './channel';
import type { SharedViews } from './memory';

/** Range boundaries fall on multiples of this many parameters (64 bytes: whole cache lines, whole SIMD
 *  vectors, so the WASM kernels treat every element as they would in one update over all of them). */
export const RANGE_ALIGN = 16;

/** The parameters [from, to) of n that thread t of `threads` sums and updates: contiguous, as even as
 *  RANGE_ALIGN allows, together exactly [0, n). */
export function paramRange(t: number, threads: number, n: number): { from: number; to: number } {
  const blocks = Math.ceil(n / RANGE_ALIGN);
  const boundary = (i: number) => (i >= threads ? n : Math.min(n, Math.floor((i * blocks) / threads) * RANGE_ALIGN));
  return { from: boundary(t), to: boundary(t + 1) };
}

/**
 * Thread t's share of the update at step `step` (1-based), after every thread of the batch of `count` rows
 * has its gradient in views.grads: grads_0[R_t] += grads_s[R_t] for s = 1, 2, … (a thread whose slice of the
 * batch was empty is skipped: it computed nothing), then the optimizer on params, m, v [R_t].
 * kernels.sgdStep with lr = −1 adds: g − (−1)·h = g + h exactly.
 */
export function reduceAndUpdate(kernels: Kernels, optimizer: OptimizerSettings, views: SharedViews, t: number, threads: number, count: number, step: number): void {
  const n = views.params.length;
  const { from, to } = paramRange(t, threads, n);
  if (to === from) return;
  const sum = views.grads[0].subarray(from, to);
  for (let s = 1; s < threads; s++) {
    const slice = sliceOf(s, threads, count);
    if (slice.end > slice.first) kernels.sgdStep(sum, views.grads[s].subarray(from, to), -1, to - from);
  }
  applyOptimizer(kernels, optimizer, { params: views.params, grads: views.grads[0], m: views.m, v: views.v }, step, from, to);
}
