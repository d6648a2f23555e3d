// WebAssembly features the training kernels use beyond the baseline, switched on for Node where they sit
// behind a flag. Relaxed SIMD (its fused multiply-add makes the GEMMs ~30% faster, see
// src/worker/wasm/assembly/simd.ts) ships on in V8 ≥ 11.4 — Electron ≥ 25, Node ≥ 22 — but Node 20's V8 11.3
// keeps it behind --experimental-wasm-relaxed-simd. V8 flags are per process, so turning it on here, at the
// start of an entry (app, browser mode, CLI, bench), covers every worker thread started afterwards. Where
// the runtime already has it (or refuses the flag) nothing changes and the plain SIMD build runs.
import { setFlagsFromString } from 'node:v8';
import { wasmRelaxedSimdSupported } from '../worker/wasm/support';

/** Turns relaxed SIMD on in this process when it is behind a flag; returns whether it is available. */
export function enableRelaxedSimd(): boolean {
  if (wasmRelaxedSimdSupported()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasmRelaxedSimdSupported();
}
