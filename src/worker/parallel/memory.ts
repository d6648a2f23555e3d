// The one memory a data-parallel run's threads share, and how it is laid out:
//
//   [reserve: the WASM module's static data] [common: params | m | v | grads₀ | grads₁ | … | exchange] [arena₀] [arena₁] … [tail]
//
// params, m and v exist once; grads_t is thread t's gradient in a batch-split run (each thread writes only
// its own, then every thread reads all of them for its range of the sum); an input-split run has one
// gradient, and its exchange region holds the activations its threads pass each other (./input-split.ts).
// Arena t belongs to thread t alone: its WASM scratch first, then its network's activations (its allocator
// never leaves it). The same layout serves the WASM kernels (a shared WebAssembly.Memory, every thread's
// backend attached to it) and the plain ones (a SharedArrayBuffer with an arena allocator per thread).
// Sized once; never grows, so views never go stale.
import type { KernelName } from '../../shared/training';
import { type Allocator, createArenaAllocator } from '../core/buffers';
import { naiveKernels, type Kernels } from '../core/kernels';
import { plainKernels } from '../core/kernels-plain';
import { createSharedWasmMemory, createWasmSimdBackend, wasmSimdSupported } from '../wasm';
import type { SharedLayout } from './layout';

export { type SharedLayout, type SharedLayoutOptions, sharedLayout, WASM_SCRATCH_BYTES } from './layout';

/** The shared memory itself: a WebAssembly.Memory for the WASM kernels, a SharedArrayBuffer for the others. */
export type SharedMemory = WebAssembly.Memory | SharedArrayBuffer;

export function createSharedMemory(kernels: KernelName, layout: SharedLayout): SharedMemory {
  return kernels === 'wasm' ? createSharedWasmMemory(layout.bytes) : new SharedArrayBuffer(layout.bytes);
}

export function bufferOf(memory: SharedMemory): ArrayBufferLike {
  return memory instanceof SharedArrayBuffer ? memory : memory.buffer;
}

/** The common region's arrays, as views into `buffer` (each thread makes its own). */
export interface SharedViews {
  params: Float32Array;
  m: Float32Array | null;
  v: Float32Array | null;
  grads: Float32Array[];
}

export function sharedViews(buffer: ArrayBufferLike, layout: SharedLayout): SharedViews {
  const n = layout.paramCount;
  const view = (at: number) => new Float32Array(buffer, at, n);
  return {
    params: view(layout.params),
    m: layout.m === null ? null : view(layout.m),
    v: layout.v === null ? null : view(layout.v),
    grads: layout.grads.map(view),
  };
}

/**
 * Thread t's kernels and allocator on the shared memory: the WASM backend attached to it (allocating only
 * in arena t, accepting views there and in the common region), or the plain/naive kernels with an arena
 * allocator. release(): the thread is done with them (the WASM backend may then serve the thread's next run
 * on the same memory: ../wasm/backend.ts keptBackend).
 */
export function threadBackend(kernels: KernelName, memory: SharedMemory, layout: SharedLayout, t: number): { kernels: Kernels; allocator: Allocator; release: () => void } {
  const arena = layout.arenas[t];
  if (!arena) throw new RangeError(`thread ${t} has no arena (the run has ${layout.threads} threads)`);
  if (kernels === 'wasm') {
    if (memory instanceof SharedArrayBuffer) throw new TypeError('the WASM kernels need the run to share a WebAssembly.Memory, not a SharedArrayBuffer');
    if (!wasmSimdSupported()) throw new Error('WebAssembly SIMD is not available in this runtime; use the plain kernels');
    const backend = createWasmSimdBackend({ memory, arena, shared: [layout.common], scratchFloats: layout.scratchBytes / 4 });
    return { kernels: backend.kernels, allocator: backend.allocator, release: backend.release };
  }
  if (kernels !== 'plain' && kernels !== 'naive') throw new TypeError(`unknown kernels '${String(kernels)}' (have: wasm, plain, naive)`);
  const start = arena.start + layout.scratchBytes;
  return { kernels: kernels === 'plain' ? plainKernels : naiveKernels, allocator: createArenaAllocator(bufferOf(memory), { start, end: arena.end }, `data-parallel thread ${t}'s allocator`), release: () => {} };
}

