// The WebAssembly memory's reserved bottom: the module's static data lives below this many bytes, so a shared
// memory's layout (../parallel/layout.ts) starts its regions above. Apart from backend.ts so that sizing a run's
// memory (../run-memory.ts, also the renderer's) needs no kernels.

/** Bytes below which the module's static data lives: a shared memory's layout starts its regions above. */
export const WASM_STATIC_BYTES = 65536;
