// The WASM SIMD kernels, ready to use: the module bytes are generated at build time
// (node scripts/build-wasm.mjs → generated/kernels-wasm.ts, git-ignored).
import { createWasmBackend } from './backend';
import type { WasmBackend, WasmBackendOptions } from './backend';
import { kernelsWasmBytes } from './generated/kernels-wasm';

export { createWasmBackend, wasmFloatsFor } from './backend';
export type { WasmAllocator, WasmBackend, WasmBackendOptions, WasmExtras } from './backend';
export { wasmSimdSupported } from './support';

/** A backend over the built-in kernels module. maxFloats: see WasmBackendOptions (default 16 MiB). */
export function createWasmSimdBackend(options: Omit<WasmBackendOptions, 'bytes'> = {}): WasmBackend {
  return createWasmBackend({ bytes: kernelsWasmBytes, ...options });
}
