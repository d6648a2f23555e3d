// Shared by the WASM tests: the kernels module, built first if needed (scripts/build-wasm.mjs skips the
// compile when the generated module is up to date), and deterministic random numbers.
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
