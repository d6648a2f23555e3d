// Where the core's Float32Arrays come from. Every buffer is allocated once, up front, through an
// Allocator, so a WebAssembly backend can place them all in its linear memory; nothing is allocated
// inside a training step.

export interface Allocator {
  /** A zero-filled Float32Array of `length` elements that stays valid for the allocator's lifetime. */
  allocFloat32(length: number): Float32Array;
}

export const defaultAllocator: Allocator = {
  allocFloat32: (length) => new Float32Array(length),
};

/** Bytes [start, end) of a buffer. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A bump allocator over one byte range of a (shared) buffer: every array 64-byte aligned, never freed. */
export interface ArenaAllocator extends Allocator {
  readonly arena: ByteRange;
  /** Bytes handed out so far (including alignment) and the arena's size. */
  readonly usedBytes: number;
  readonly capacityBytes: number;
}

/** Bytes per allocation boundary: every array starts on a 64-byte cache line. */
export const ARENA_ALIGN = 64;

/** Bytes `lengths` Float32Arrays take in an arena (each rounded up to 64 bytes). */
export function arenaBytesFor(lengths: readonly number[]): number {
  let bytes = 0;
  for (const n of lengths) bytes += Math.ceil((4 * n) / ARENA_ALIGN) * ARENA_ALIGN;
  return bytes;
}

/**
 * Hands out Float32Arrays inside `arena` of `buffer` (e.g. a SharedArrayBuffer one data-parallel run's
 * threads share, each allocating only in its own arena). Throws a RangeError naming `owner` when full.
 */
export function createArenaAllocator(buffer: ArrayBufferLike, arena: ByteRange, owner: string): ArenaAllocator {
  const start = Math.ceil(arena.start / ARENA_ALIGN) * ARENA_ALIGN;
  if (!(arena.start >= 0 && arena.end <= buffer.byteLength && start <= arena.end)) {
    throw new RangeError(`${owner}: the arena [${arena.start}, ${arena.end}) is outside the buffer's ${buffer.byteLength} bytes`);
  }
  let next = start;
  return {
    arena: { start: arena.start, end: arena.end },
    allocFloat32(length) {
      if (!Number.isInteger(length) || length < 0) throw new RangeError(`${owner} allocFloat32: length must be a non-negative integer, got ${length}`);
      const size = Math.ceil((4 * length) / ARENA_ALIGN) * ARENA_ALIGN;
      if (next + size > arena.end) {
        throw new RangeError(`${owner}: allocFloat32(${length}) needs ${size} bytes but only ${arena.end - next} of its arena's ${arena.end - start} are left`);
      }
      const view = new Float32Array(buffer, next, length);
      next += size;
      view.fill(0);
      return view;
    },
    get usedBytes() {
      return next - start;
    },
    get capacityBytes() {
      return arena.end - start;
    },
  };
}
