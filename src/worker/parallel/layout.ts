// How the one memory a data-parallel run's threads share is laid out (./memory.ts makes it): where params, m, v,
// the gradients, the exchange region and each thread's arena sit. Pure arithmetic, so that a run's memory can be
// sized before it starts (../run-memory.ts).
import { ARENA_ALIGN, type ByteRange } from '../core/buffers';
import { WASM_STATIC_BYTES } from '../wasm/static';

/** Where everything sits, in bytes from the start of the shared memory. */
export interface SharedLayout {
  threads: number;
  paramCount: number;
  params: number;
  /** The optimizer's moments, null when it keeps none. */
  m: number | null;
  v: number | null;
  /** grads[t]: thread t's gradient (one, grads[0], in an input-split run). */
  grads: number[];
  /** The input-split exchange region: its offset (null when there is none) and its size in float32s. */
  exchange: number | null;
  exchangeFloats: number;
  /** The region of params, m, v, every grads_t and the exchange region (views into it are accepted by every
   *  thread's kernels). */
  common: ByteRange;
  /** arenas[t]: thread t's own bytes (scratchBytes of WASM scratch first). */
  arenas: ByteRange[];
  scratchBytes: number;
  /** The memory's size, a multiple of 64 KiB. */
  bytes: number;
}

export interface SharedLayoutOptions {
  threads: number;
  paramCount: number;
  m: boolean;
  v: boolean;
  /** Bytes each thread allocates (arenaBytesFor of its Float32Array lengths). */
  arenaBytes: number;
  /** Bytes at the start of each arena for the WASM backend's scratch (0 for the plain kernels). */
  scratchBytes: number;
  /** Gradient buffers (default: one per thread; an input-split run needs one). */
  gradBuffers?: number;
  /** Float32s of the input-split exchange region (default 0: none). */
  exchangeFloats?: number;
}

const PAGE = 65536;
/** Free bytes after the last arena (the GEMMs read a few bytes past an array's end). */
const TAIL_BYTES = PAGE;

export function sharedLayout(o: SharedLayoutOptions): SharedLayout {
  if (!Number.isInteger(o.threads) || o.threads < 2) throw new RangeError(`A data-parallel run needs at least 2 threads, got ${o.threads}`);
  const align = (n: number) => Math.ceil(n / ARENA_ALIGN) * ARENA_ALIGN;
  const paramBytes = align(4 * o.paramCount);
  let at = WASM_STATIC_BYTES;
  const take = (bytes: number) => {
    const start = at;
    at += align(bytes);
    return start;
  };
  const params = take(paramBytes);
  const m = o.m ? take(paramBytes) : null;
  const v = o.v ? take(paramBytes) : null;
  const grads = Array.from({ length: o.gradBuffers ?? o.threads }, () => take(paramBytes));
  const exchange = o.exchangeFloats ? take(4 * o.exchangeFloats) : null;
  const common = { start: params, end: at };
  const arenas = Array.from({ length: o.threads }, () => {
    const start = take(o.scratchBytes + o.arenaBytes);
    return { start, end: at };
  });
  return { threads: o.threads, paramCount: o.paramCount, params, m, v, grads, exchange, exchangeFloats: o.exchangeFloats ?? 0, common, arenas, scratchBytes: o.scratchBytes, bytes: Math.ceil((at + TAIL_BYTES) / PAGE) * PAGE };
}

/** The WASM backend's scratch per thread (its default, 1 MiB: matmulBackwardInput's transposed weights). */
export const WASM_SCRATCH_BYTES = 4 << 18;
