// The WASM backend's bump allocator: zero-filled views into the byte range [base, end) of one WebAssembly
// memory, each starting on a 64-byte cache line. The memory never grows, so the views stay valid for the
// backend's lifetime; running out throws a RangeError that says how to size the backend.
import type { Allocator, ByteRange } from '../core/buffers';

/** Bytes per allocation boundary: every array starts on a 64-byte cache line. */
export const ALIGN = 64;

/** Everything the backend allocates lives here; views stay valid for the backend's lifetime. */
export interface WasmAllocator extends Allocator {
  /** A zero-filled Float32Array of `length` elements inside the WASM memory. */
  allocFloat32(length: number): Float32Array;
  /** A zero-filled Uint8Array (e.g. the data set's pixels, for gatherRows). */
  allocUint8(length: number): Uint8Array;
  /** A zero-filled Int32Array / Uint32Array (e.g. row indices or a shuffled order, for gatherRows). */
  allocInt32(length: number): Int32Array;
  allocUint32(length: number): Uint32Array;
  /** Bytes handed out so far (including alignment) and the total available. */
  readonly usedBytes: number;
  /** Forgets every allocation: the next starts at the arena's beginning again. Views handed out before
   *  must not be used afterwards (a kept backend's allocator, restarted for its next run: ./backend.ts). */
  reset(): void;
  readonly capacityBytes: number;
  /** The byte range of the memory this allocator hands out. */
  readonly arena: ByteRange;
}

/** A size a kernel or an allocation takes: an integer 0…2³¹ − 1 (an i32 in the WASM module). */
export function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0x7fffffff;
}

export function checkCount(value: number, what: string, where: string): void {
  if (!isCount(value)) {
    throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${value}`);
  }
}

export function createWasmAllocator(memory: WebAssembly.Memory, base: number, end: number): WasmAllocator {
  let next = base;

  function take(bytes: number, what: string): number {
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    if (next + size > end) {
      throw new RangeError(
        `wasm-simd allocator: ${what} needs ${size} bytes but only ${end - next} of ${end - base} are left; ` +
          `create the backend with a larger maxFloats (wasmFloatsFor(lengths) computes it)`,
      );
    }
    const at = next;
    next += size;
    return at;
  }

  return {
    allocFloat32(length) {
      checkCount(length, 'length', 'allocFloat32');
      return new Float32Array(memory.buffer, take(length * 4, `allocFloat32(${length})`), length).fill(0);
    },
    allocUint8(length) {
      checkCount(length, 'length', 'allocUint8');
      return new Uint8Array(memory.buffer, take(length, `allocUint8(${length})`), length).fill(0);
    },
    allocInt32(length) {
      checkCount(length, 'length', 'allocInt32');
      return new Int32Array(memory.buffer, take(length * 4, `allocInt32(${length})`), length).fill(0);
    },
    allocUint32(length) {
      checkCount(length, 'length', 'allocUint32');
      return new Uint32Array(memory.buffer, take(length * 4, `allocUint32(${length})`), length).fill(0);
    },
    get usedBytes() {
      return next - base;
    },
    reset() {
      next = base;
    },
    get capacityBytes() {
      return end - base;
    },
    arena: { start: base, end },
  };
}
