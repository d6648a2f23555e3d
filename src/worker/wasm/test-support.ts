// Shared by the WASM tests: the kernels module, built first if needed (scripts/build-wasm.mjs skips the
// compile when the generated module is up to date), deterministic random numbers, and the check of a GEMM's
// results against its naive twin's within float32 rounding.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { enableRelaxedSimd } from '../../main/wasm-features';
import type * as WasmModule from './index';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the module if needed and loads it, with relaxed SIMD switched on in this process so tests can
 *  run both builds (see WASM_BUILDS). */
export async function loadWasmModule(): Promise<typeof WasmModule> {
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  if (!enableRelaxedSimd()) throw new Error('relaxed SIMD is not available in this Node, even with --experimental-wasm-relaxed-simd');
  return import('./index');
}

/** Both builds of the kernels module, for tests that must hold for each. */
export const WASM_BUILDS = ['simd', 'relaxed'] as const;

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Fills `a` with random numbers times `scale`; returns it. */
export function fill(a: Float32Array, rnd: () => number, scale = 1): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = rnd() * scale;
  return a;
}

/** Element-wise |x|, a new array (the naive kernel run on these gives Σ|terms| for expectClose). */
export const abs = (a: Float32Array): Float32Array => a.map(Math.abs);
const U = 2 ** -24; // float32 unit roundoff

/**
 * Any order of summing K products in float32 is within (K+2)·u·Σ|terms| of the exact sum (the naive
 * kernels sum in double and round once, so they are within u·|sum| of it). `magnitude` is Σ|terms|,
 * computed by running the naive kernel on absolute values. A wrong index or a missed tail gives errors
 * of the order of Σ|terms| itself, thousands of times this bound.
 */
export function expectClose(actual: Float32Array, expected: Float32Array, magnitude: Float32Array, K: number, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const tol = 2 * (K + 2) * U * magnitude[i] + 1e-30;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} ± ${tol}`);
    }
  }
}
