// The WebAssembly SIMD backend: a bump allocator (./allocator.ts) that hands out views into one
// WebAssembly.Memory, and Kernels that pass those views' byte offsets to the compiled module (assembly/, built by
// scripts/build-wasm.mjs) — no copies; the batch gathers are in ./gather.ts. Pure TypeScript: instantiate
// from bytes passed in.
//
// Memory is sized once, at creation, from `maxFloats` (the thread's spare memory when it is large enough,
// ./spare-memory.ts; release() gives it back), and never grows: views handed out before a grow
// would no longer be views of `memory.buffer` (a non-shared memory even detaches them). The memory is
// shared (the module imports a shared memory), so one data-parallel run's threads can each attach a
// backend to the same memory, each allocating only inside its own arena (options.memory / arena / shared).
// Every kernel call checks that its arrays are views into this memory and long enough for the sizes
// given, and throws a TypeError/RangeError naming the kernel and the argument otherwise (no slow
// copy path: a foreign array is a bug in whoever allocated it, and the WASM code must never read or
// write outside the arrays it was given).
import type { ByteRange } from '../core/buffers';
import type { Kernels } from '../core/kernels';
import { ALIGN, checkCount, createWasmAllocator, isCount, type WasmAllocator } from './allocator';
import { type GatherExports, gatherKernels } from './gather';
import { type HeadExports, headKernels } from './head';
import { returnSpareMemory, takeSharedMemory } from './spare-memory';

export type { WasmAllocator } from './allocator';

const PAGE = 65536;
const MAX_PAGES = 65536; // wasm32: 4 GiB


/** Extra SIMD kernels beside the Kernels interface; the core may adopt them (plain twins are one-liners). */
export interface WasmExtras {
  /** out[n] = inp > 0 ? inp : 0   (out may be inp) */
  reluForward(out: Float32Array, inp: Float32Array, n: number): void;
  /** out[n] = 0 (a memset; JS's fill on a view into shared memory goes element by element) */
  zero(out: Float32Array, n: number): void;
  /** dinp[n] = out > 0 ? dout : 0   (overwrites; dinp may be dout; out = the ReLU's output or input) */
  reluBackward(dinp: Float32Array, dout: Float32Array, out: Float32Array, n: number): void;
  /** out[B,D] = pixels[rows[b]·D + d] / 255 as float32 (bit-identical to `pixel / 255` in JS, rounded) */
  gatherRows(out: Float32Array, pixels: Uint8Array, rows: Int32Array | Uint32Array, B: number, D: number): void;
  /**
   * out[count, to−from] = columns [from, to) (default all D) of the rows order[start…start+count) (or start…
   * when order is null) of pixels[*,D], / 255. The drop-in for the core's batch gather: pixels and order may
   * live anywhere (e.g. a SharedArrayBuffer); the rows are copied (memcpy) into the backend's scratch, then
   * converted with SIMD. Same floats as `pixel / 255` rounded to float32.
   */
  gatherBatch(out: Float32Array, pixels: Uint8Array, order: Uint32Array | null, start: number, count: number, D: number, from?: number, to?: number): void;
}

export interface WasmBackend {
  readonly name: 'wasm-simd';
  /** The Kernels, with the extras as members too (so a core that declares them as optional Kernels
   *  members picks them up without glue). */
  readonly kernels: Kernels & WasmExtras & Required<Pick<Kernels, 'softmaxForward' | 'crossEntropyBackward'>>;
  readonly allocator: WasmAllocator;
  readonly extras: WasmExtras;
  readonly memory: WebAssembly.Memory;
  /** Ends the backend: a memory of its own becomes the thread's spare for the next backend (./spare-memory.ts);
   *  an attached one stays its owner's. Nothing may use the backend, its views or its memory afterwards; the
   *  thread's next createWasmBackend with the same module, memory and options may return this backend again
   *  (see keptBackend). */
  release(): void;
  /** Would matmulForward / matmulBackwardWeight on this inp[B,C] skip zeros (`used`: the kernels' own
   *  choice)? entries: pairs of values (of rows for 'forward', of columns for 'weight') holding a non-zero,
   *  of `slots` pairs in all — how sparse inp is. For bench notes and tests. */
  zeroSkipping(variant: 'forward' | 'weight', inp: Float32Array, B: number, C: number, OC: number): { entries: number; slots: number; used: boolean };
}

export interface WasmBackendOptions {
  /** The kernels module: its bytes (generated/kernels-wasm.ts's kernelsWasmBytes), or the module
   *  compiled from them (compile once with WebAssembly.compile where synchronous compiles are refused). */
  bytes: Uint8Array | WebAssembly.Module;
  /** Capacity in float32 elements (4 bytes each), counting each allocation rounded up to 16 elements;
   *  wasmFloatsFor(lengths) computes it exactly. Default 4,194,304 (16 MiB). */
  maxFloats?: number;
  /** Scratch space (float32 elements, outside maxFloats) for matmulBackwardInput's transposed weight;
   *  a layer with C·OC above it uses the slower dot-product form. Default 262,144 (1 MiB). */
  scratchFloats?: number;
  /**
   * matmulForward and matmulBackwardWeight skip the zeros of `inp` (pixels, ReLU outputs) when OC ≥ 32 and
   * inp looks sparse enough, judged on 8 sampled rows (assembly/gemm.ts forwardSkipsZeros and
   * weightSkipsZeros): for the forward pass (one image row at a time) at most this fraction of the values
   * non-zero — break-even near 0.68 in the SIMD build, 0.58 with fused multiply-add; for the weight
   * gradient (two neighbouring pixels at a time) at most 1 − (1 − sparseBelow)² of the pairs holding a
   * non-zero, what that many uncorrelated non-zeros give (0.84 at 0.6; that kernel costs about the dense
   * tiles' time even without zeros). 0 = never (always the dense tiles), 1 = always. Default 0.6:
   * Fashion-MNIST's pixels (49% non-zero) take both, −20–30% per call. Only speed depends on the choice.
   */
  sparseBelow?: number;
  /**
   * Attach to this memory (shared, e.g. created by createSharedWasmMemory) instead of creating one; then
   * `arena` is required and maxFloats is not used. The memory must never grow.
   */
  memory?: WebAssembly.Memory;
  /** With `memory`: the bytes [start, end) this backend owns — its scratch (scratchFloats) first, then
   *  everything its allocator hands out. No other backend on the memory may use them. */
  arena?: ByteRange;
  /** With `memory`: other byte ranges whose views the kernels accept besides the arena (a data-parallel
   *  run's common region: parameters, moments, every thread's gradient). Views anywhere else are refused. */
  shared?: readonly ByteRange[];
}

/** A shared WebAssembly.Memory of at least `bytes` (rounded up to 64 KiB pages), zero-filled, that never
 *  grows, for backends attached with options.memory: the thread's spare when it is large enough (give it back
 *  with returnSpareMemory when the run ends). */
export function createSharedWasmMemory(bytes: number): WebAssembly.Memory {
  checkCount(bytes, 'bytes', 'createSharedWasmMemory');
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES) throw new RangeError(`createSharedWasmMemory: ${bytes} bytes is more than the 4 GiB a wasm32 memory can hold`);
  return takeSharedMemory(pages, 'createSharedWasmMemory');
}

export { WASM_STATIC_BYTES } from './static';
/** Bytes past the last array the GEMMs may read (column tails): a shared memory's layout leaves them free. */
export const WASM_TAIL_BYTES = 64;

/** The maxFloats that holds exactly these Float32Array lengths (with the 64-byte alignment of each). */
export function wasmFloatsFor(lengths: readonly number[]): number {
  let floats = 0;
  for (const n of lengths) floats += Math.ceil(n / (ALIGN / 4)) * (ALIGN / 4);
  return floats;
}

/** The backend's view check, for the kernels built outside this file (./gather.ts, ./head.ts): the byte offset
 *  of `view` in WASM memory after checking it may be used and holds `need` elements. */
export type ViewCheck = (view: Float32Array | Uint8Array | Int32Array | Uint32Array, need: number, what: string, kernel: string) => number;
/** The backend's size check: each size an integer 0…2³¹ − 1, else a RangeError naming the kernel. */
export type SizeCheck = (kernel: string, ...sizes: number[]) => void;

interface Exports extends GatherExports, HeadExports {
  heapBase(): number;
  matmulForward(out: number, inp: number, weight: number, bias: number, B: number, C: number, OC: number, sparseBelow: number, scratch: number, scratchBytes: number): void;
  forwardSkipsZeros(inp: number, B: number, C: number, OC: number, sparseBelow: number, scratch: number, scratchBytes: number): number;
  weightSkipsZeros(inp: number, B: number, C: number, OC: number, sparseBelow: number, scratch: number, scratchBytes: number): number;
  matmulBackwardWeight(dweight: number, dbias: number, dout: number, inp: number, B: number, C: number, OC: number, sparseBelow: number, scratch: number, scratchBytes: number, accumulate: number): void;
  matmulBackwardInput(dinp: number, dout: number, weight: number, scratch: number, B: number, C: number, OC: number): void;
  sgdStep(params: number, grads: number, lr: number, n: number): void;
  momentumStep(params: number, grads: number, m: number, lr: number, beta1: number, d1: number, n: number): void;
  rmspropStep(params: number, grads: number, v: number, lr: number, beta2: number, d2: number, eps: number, n: number): void;
  adamStep(params: number, grads: number, m: number, v: number, lr: number, beta1: number, d1: number, beta2: number, d2: number, eps: number, c1: number, c2: number, n: number, flush: number): void;
  reluForward(out: number, inp: number, n: number): void;
  zeroFloats(out: number, n: number): void;
  reluBackward(dinp: number, dout: number, out: number, n: number): void;
  countPairEntries(x: number, rows: number, cols: number, pairsOfRows: number): number;
}


/**
 * This thread's last backend, kept once released for the next createWasmBackend with the same module, memory
 * (the same WebAssembly.Memory object) and options: a run on threads that trained before then calls the same
 * kernels (the same functions, the same instance's exports) as the run before, and V8 keeps the optimized
 * code that calls them. With a new instance and new kernels for each run, a thread's second run threw that
 * code away and compiled it again while it trained: measured with --trace-opt over a second 5-epoch run on 2
 * threads, 32 compiles (107 ms) with the backend kept, none of them a kernel's, 61 (187 ms) without; a third
 * run 0 and 2. Its first two epochs 0.707 s against 0.788 s (4 alternated pairs of builds).
 * Taken again, its allocator starts over and the module's static data (below heapBase: tables the kernels
 * read) is written back, since a memory handed on is zeroed (./spare-memory.ts).
 */
let keptBackend: { module: WebAssembly.Module; memory: WebAssembly.Memory; options: string; staticData: Uint8Array; backend: WasmBackend; state: { released: boolean } } | null = null;

/** Instantiates the kernels module with a fresh memory of maxFloats float32 slots (or takes keptBackend).
 *  Synchronous (fine in Node and in worker threads; browsers' main threads refuse synchronous compiles of
 *  large modules). */
export function createWasmBackend(options: WasmBackendOptions): WasmBackend {
  const maxFloats = options.maxFloats ?? 1 << 22;
  const scratchFloats = options.scratchFloats ?? 1 << 18;
  const sparseBelow = options.sparseBelow ?? 0.6;
  checkCount(maxFloats, 'maxFloats', 'createWasmBackend');
  checkCount(scratchFloats, 'scratchFloats', 'createWasmBackend');
  const module = options.bytes instanceof WebAssembly.Module ? options.bytes : new WebAssembly.Module(options.bytes);
  // Layout of a memory of its own: the module's static data below heapBase (< 1 page), scratch, the
  // allocator's arrays, and at least 60 KiB of slack at the end (the GEMMs' column tails read up to 12
  // bytes past an array). Attached to a given memory: scratch and arrays inside the arena.
  const headroom = PAGE;
  let memory: WebAssembly.Memory;
  if (options.memory) {
    memory = options.memory;
    if (!options.arena) throw new TypeError('createWasmBackend: a backend attached to a given memory needs its arena');
  } else {
    const pages = Math.ceil((headroom + (scratchFloats + maxFloats) * 4) / PAGE);
    if (pages > MAX_PAGES) {
      throw new RangeError(`createWasmBackend: maxFloats ${maxFloats} (+ scratchFloats ${scratchFloats}) needs ${pages} pages of 64 KiB, more than the 4 GiB a wasm32 memory can hold`);
    }
    memory = takeSharedMemory(pages, 'createWasmBackend');
  }
  const optionsKey = [maxFloats, scratchFloats, sparseBelow, options.arena?.start, options.arena?.end, ...(options.shared ?? []).flatMap((r) => [r.start, r.end])].join(' ');
  const kept = keptBackend;
  if (kept?.state.released && kept.module === module && kept.memory === memory && kept.options === optionsKey) {
    new Uint8Array(memory.buffer, 0, kept.staticData.length).set(kept.staticData);
    kept.backend.allocator.reset();
    kept.state.released = false;
    return kept.backend;
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const x = instance.exports as unknown as Exports;
  const staticEnd = Math.ceil(x.heapBase() / ALIGN) * ALIGN;
  if (staticEnd > headroom - 4096) throw new Error(`createWasmBackend: the module's static data (${staticEnd} bytes) exceeds its ${headroom - 4096}-byte headroom`);
  const arena = options.memory ? options.arena! : null;
  const scratch = arena ? Math.ceil(arena.start / ALIGN) * ALIGN : staticEnd;
  const base = scratch + scratchFloats * 4;
  const end = arena ? arena.end : base + maxFloats * 4;
  /** Byte ranges whose views the kernels accept: the allocator's own, and (attached) the shared ones. */
  const accepted: ByteRange[] = [{ start: base, end }, ...(arena ? (options.shared ?? []) : [])];
  if (arena) {
    const size = memory.buffer.byteLength;
    if (!(scratch >= staticEnd && base <= end && end + WASM_TAIL_BYTES <= size)) {
      throw new RangeError(
        `createWasmBackend: the arena [${arena.start}, ${arena.end}) with ${scratchFloats * 4} bytes of scratch does not fit ` +
          `between the module's static data (${staticEnd} bytes) and the memory's end (${size} bytes, less ${WASM_TAIL_BYTES} of tail)`,
      );
    }
    for (const r of accepted) {
      if (r.start < staticEnd || r.end + WASM_TAIL_BYTES > size) throw new RangeError(`createWasmBackend: the shared range [${r.start}, ${r.end}) is outside the memory's free bytes`);
    }
  }
  /** The memory's buffer, read once: it never grows, so it stays the one buffer (and the getter is a call
   *  into the runtime, ~0.1 µs, that every kernel call's view checks would otherwise make several times). */
  const buffer = memory.buffer;
  const staging = new Uint8Array(buffer, scratch, scratchFloats * 4); // gatherBatch's rows
  // A memory taken here is zero (new, or zeroed as a spare): its arrays need no filling until they are handed out
  // again. An attached memory's arena may hold what its other users wrote: every array is filled.
  const allocator = createWasmAllocator(memory, base, end, options.memory ? end : base);

  /** The byte offset of `view` in the WASM memory, after checking it lives there (inside this backend's
   *  arena or a shared range, never another backend's arena or scratch) and holds `need` elements. */
  function at(view: Float32Array | Uint8Array | Int32Array | Uint32Array, need: number, what: string, kernel: string): number {
    if (view.buffer !== buffer) {
      throw new TypeError(
        `wasm-simd ${kernel}: ${what} is not a view into this backend's WebAssembly memory ` +
          `(allocate it with backend.allocator.allocFloat32; views from another allocator or backend cannot be used)`,
      );
    }
    const from = view.byteOffset;
    const to = from + view.byteLength;
    let inside = false;
    for (const r of accepted) if (from >= r.start && to <= r.end) inside = true;
    if (!inside) {
      throw new TypeError(
        `wasm-simd ${kernel}: ${what} (bytes ${from}–${to} of the memory) is outside this backend's arena [${base}, ${end})` +
          `${accepted.length > 1 ? ' and the ranges it shares' : ''}: a view from another backend's arena cannot be used`,
      );
    }
    if (view.length < need) throw new RangeError(`wasm-simd ${kernel}: ${what} has ${view.length} elements, needs ${need}`);
    return from;
  }

  function dims(kernel: string, ...sizes: number[]): void {
    // (the message is made only for a bad size: building it on every call cost more than the check)
    for (const s of sizes) if (!isCount(s)) checkCount(s, 'every size', `wasm-simd ${kernel}`);
  }

  const kernels: Kernels = {
    name: 'wasm-simd',
    matmulForward(out, inp, weight, bias, B, C, OC) {
      const k = 'matmulForward';
      dims(k, B, C, OC);
      // The zero-skipping kernel's lists and packed panels go to scratch (it checks the size it needs).
      x.matmulForward(at(out, B * OC, 'out', k), at(inp, B * C, 'inp', k), at(weight, C * OC, 'weight', k), at(bias, OC, 'bias', k), B, C, OC, sparseBelow, scratch, scratchFloats * 4);
    },
    matmulBackwardWeight(dweight, dbias, dout, inp, B, C, OC, accumulate = true) {
      const k = 'matmulBackwardWeight';
      dims(k, B, C, OC);
      // Its lists go to scratch, in passes over the batch if it is long.
      x.matmulBackwardWeight(at(dweight, C * OC, 'dweight', k), at(dbias, OC, 'dbias', k), at(dout, B * OC, 'dout', k), at(inp, B * C, 'inp', k), B, C, OC, sparseBelow, scratch, scratchFloats * 4, accumulate ? 1 : 0);
    },
    matmulBackwardInput(dinp, dout, weight, B, C, OC) {
      const k = 'matmulBackwardInput';
      dims(k, B, C, OC);
      const transposeTo = C * OC <= scratchFloats ? scratch : 0;
      x.matmulBackwardInput(at(dinp, B * C, 'dinp', k), at(dout, B * OC, 'dout', k), at(weight, C * OC, 'weight', k), transposeTo, B, C, OC);
    },
    sgdStep(params, grads, lr, n) {
      const k = 'sgdStep';
      dims(k, n);
      x.sgdStep(at(params, n, 'params', k), at(grads, n, 'grads', k), lr, n);
    },
    momentumStep(params, grads, m, lr, beta1, n) {
      const k = 'momentumStep';
      dims(k, n);
      x.momentumStep(at(params, n, 'params', k), at(grads, n, 'grads', k), at(m, n, 'm', k), lr, beta1, 1 - beta1, n);
    },
    rmspropStep(params, grads, v, lr, beta2, eps, n) {
      const k = 'rmspropStep';
      dims(k, n);
      x.rmspropStep(at(params, n, 'params', k), at(grads, n, 'grads', k), at(v, n, 'v', k), lr, beta2, 1 - beta2, eps, n);
    },
    adamStep(params, grads, m, v, lr, beta1, beta2, eps, t, n) {
      const k = 'adamStep';
      dims(k, n);
      // 1−β and the bias corrections in double precision (1 − float32(0.999) is off by 1.3e-5),
      // passed as factors: m̂ = m·c1, v̂ = v·c2. Moments below 2^-100 are set to 0 every 16th step (t):
      // tied to t, so a run resumed from a checkpoint flushes at the same steps.
      const c1 = 1 / (1 - beta1 ** t);
      const c2 = 1 / (1 - beta2 ** t);
      x.adamStep(at(params, n, 'params', k), at(grads, n, 'grads', k), at(m, n, 'm', k), at(v, n, 'v', k), lr, beta1, 1 - beta1, beta2, 1 - beta2, eps, c1, c2, n, t % 16 === 0 ? 1 : 0);
    },
  };

  const extras: WasmExtras = {
    zero(out, n) {
      const k = 'zero';
      dims(k, n);
      x.zeroFloats(at(out, n, 'out', k), n);
    },
    reluForward(out, inp, n) {
      const k = 'reluForward';
      dims(k, n);
      x.reluForward(at(out, n, 'out', k), at(inp, n, 'inp', k), n);
    },
    reluBackward(dinp, dout, out, n) {
      const k = 'reluBackward';
      dims(k, n);
      x.reluBackward(at(dinp, n, 'dinp', k), at(dout, n, 'dout', k), at(out, n, 'out', k), n);
    },
    ...gatherKernels(x, at, dims, staging),
  };
  const head = headKernels(x, at, dims, staging);

  function zeroSkipping(variant: 'forward' | 'weight', inp: Float32Array, B: number, C: number, OC: number) {
    const k = 'zeroSkipping';
    dims(k, B, C, OC);
    const forward = variant === 'forward';
    const inpAt = at(inp, B * C, 'inp', k);
    const entries = x.countPairEntries(inpAt, B, C, forward ? 1 : 0);
    const [M, K] = forward ? [B, C] : [C, B];
    const slots = K * Math.ceil(M / 2);
    const used = forward ? x.forwardSkipsZeros(inpAt, B, C, OC, sparseBelow, scratch, scratchFloats * 4) : x.weightSkipsZeros(inpAt, B, C, OC, sparseBelow, scratch, scratchFloats * 4);
    return { entries, slots, used: Boolean(used) };
  }

  const state = { released: false };
  const release = () => {
    if (state.released) return;
    state.released = true;
    if (!options.memory) returnSpareMemory(memory);
  };
  const backend: WasmBackend = { name: 'wasm-simd', kernels: { ...kernels, ...extras, ...head }, allocator, extras, memory, release, zeroSkipping };
  keptBackend = { module, memory, options: optionsKey, staticData: new Uint8Array(buffer, 0, staticEnd).slice(), backend, state };
  return backend;
}
