// The WASM SIMD kernels, ready to use: the module bytes are generated at build time
// (node scripts/build-wasm.mjs → generated/kernels-wasm.ts, git-ignored).
import { createWasmBackend } from './backend';
import type { WasmBackend, WasmBackendOptions } from './backend';
import { kernelsWasmBytes } from './generated/kernels-wasm';

export { createSharedWasmMemory, createWasmBackend, WASM_STATIC_BYTES, WASM_TAIL_BYTES, wasmFloatsFor } from './backend';
export type { WasmAllocator, WasmBackend, WasmBackendOptions, WasmExtras } from './backend';
export { sharedMemorySupported, wasmSimdSupported } from './support';

let compiled: WebAssembly.Module | null = null;

/** A backend over the built-in kernels module (compiled once per thread, then re-used, so its optimized
 *  code is shared by every backend). Options: see WasmBackendOptions (default 16 MiB of arrays). */
export function createWasmSimdBackend(options: Omit<WasmBackendOptions, 'bytes'> = {}): WasmBackend {
  compiled ??= new WebAssembly.Module(kernelsWasmBytes);
  return createWasmBackend({ bytes: compiled, ...options });
}
