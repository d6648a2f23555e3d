// One spare WebAssembly memory per thread, handed from a run to the next.
//
// Why: a shared WebAssembly.Memory is freed only by a major garbage collection of every thread that held it,
// and a training thread hardly ever has one — a run is one synchronous call with few JS allocations, and an
// idle pool thread sleeps in Atomics.wait. So a memory per run piled up: on the built-in sample, 4.4 MB of
// resident memory and a 10 GiB address-space reservation per run (browser mode's RSS grew from 106 to 683 MB
// over 132 runs, until a collection came). A run now takes the thread's spare when it is large enough, and
// gives its memory back when it ends: one memory per thread, whatever the number of runs.
//
// A memory taken again is zeroed first (the pages asked for), so a run sees what a new memory would show it.
// Memories above SPARE_LIMIT_BYTES are never kept: a thread holds at most that much between runs (the pool
// ends a thread idle for five minutes, TRAINING_THREAD_IDLE_MS, and its memory with it).

const PAGE = 65536;
/** wasm32's limit: 65,536 pages of 64 KiB = 4 GiB. */
const MAX_PAGES = 65536;
/** The largest memory kept as a spare: 256 MiB. */
export const SPARE_LIMIT_BYTES = 256 << 20;

let spare: WebAssembly.Memory | null = null;

/** Counts for tests and diagnostics: memories created and spares reused by this thread. */
export const spareMemoryStats = { created: 0, reused: 0 };

/**
 * A shared, never-growing memory of at least `pages` pages: this thread's spare if it is large enough (then
 * zeroed, and no longer the spare: a second run on this thread meanwhile gets a memory of its own), else a
 * new one of exactly `pages`. Give it back with returnSpareMemory once nothing uses it.
 */
export function takeSharedMemory(pages: number, where: string): WebAssembly.Memory {
  if (!Number.isInteger(pages) || pages < 1 || pages > MAX_PAGES) {
    throw new RangeError(`${where}: ${pages} pages of 64 KiB is not a memory a wasm32 module can have (1 to ${MAX_PAGES}, 4 GiB)`);
  }
  const memory = spare;
  if (memory && memory.buffer.byteLength >= pages * PAGE) {
    spare = null;
    new Float64Array(memory.buffer, 0, (pages * PAGE) / 8).fill(0); // 8 bytes a store: a shared buffer's fill goes element by element
    spareMemoryStats.reused++;
    return memory;
  }
  spareMemoryStats.created++;
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Makes `memory` this thread's spare (the larger one, if there is a spare already; none above
 *  SPARE_LIMIT_BYTES). Nothing may use it afterwards. */
export function returnSpareMemory(memory: WebAssembly.Memory): void {
  const bytes = memory.buffer.byteLength;
  if (bytes > SPARE_LIMIT_BYTES) return;
  if (!spare || bytes > spare.buffer.byteLength) spare = memory;
}

const ids = new WeakMap<WebAssembly.Memory, string>();

/** An id for `memory`, the same for its whole life and unlike any other memory's (random): other threads get
 *  their own WebAssembly.Memory object for it with each message, and compare ids to know it is one memory. */
export function memoryIdOf(memory: WebAssembly.Memory): string {
  let id = ids.get(memory);
  if (id === undefined) {
    id = `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    ids.set(memory, id);
  }
  return id;
}

/** Forgets the spare (tests: the next take creates a memory). */
export function dropSpareMemory(): void {
  spare = null;
}
