// Shared by the WASM tests: the kernels module, built first if needed (scripts/build-wasm.mjs skips the
// compile when the generated module is up to date), and deterministic random numbers.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as WasmModule from './index';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export async function loadWasmModule(): Promise<typeof WasmModule> {
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  return import('./index');
}

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
