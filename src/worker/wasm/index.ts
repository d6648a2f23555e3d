// The WASM SIMD kernels, ready to use: the module bytes are generated at build time
// (node scripts/build-wasm.mjs → generated/kernels-wasm.ts, git-ignored), in two builds — with relaxed
// SIMD's fused multiply-add where the runtime has it, plain 128-bit SIMD otherwise.
import { createWasmBackend } from './backend';
import type { WasmBackend, WasmBackendOptions } from './backend';
import { kernelsRelaxedWasmBytes, kernelsWasmBytes } from './generated/kernels-wasm';
import { wasmRelaxedSimdSupported } from './support';

export { createSharedWasmMemory, createWasmBackend, WASM_STATIC_BYTES, WASM_TAIL_BYTES, wasmFloatsFor } from './backend';
export type { WasmAllocator, WasmBackend, WasmBackendOptions, WasmExtras } from './backend';
export { sharedMemorySupported, wasmRelaxedSimdSupported, wasmSimdSupported } from './support';
export { returnSpareMemory } from './spare-memory';

/** Which build of the kernels module: 'relaxed' (fused multiply-add) or 'simd' (multiply, then add). */
export type WasmBuild = 'relaxed' | 'simd';

const compiled: Partial<Record<WasmBuild, WebAssembly.Module>> = {};

/** The build this runtime runs: relaxed where it validates, else simd. */
export function preferredWasmBuild(): WasmBuild {
  return wasmRelaxedSimdSupported() ? 'relaxed' : 'simd';
}

/** A backend over the built-in kernels module (each build compiled once per thread, then re-used, so its
 *  optimized code is shared by every backend). Options: see WasmBackendOptions (default 16 MiB of arrays);
 *  `build` chooses the module (default: preferredWasmBuild(); tests run both). */
export function createWasmSimdBackend(options: Omit<WasmBackendOptions, 'bytes'> & { build?: WasmBuild } = {}): WasmBackend {
  const { build = preferredWasmBuild(), ...rest } = options;
  const module = (compiled[build] ??= new WebAssembly.Module(build === 'relaxed' ? kernelsRelaxedWasmBytes : kernelsWasmBytes));
  return createWasmBackend({ bytes: module, ...rest });
}
