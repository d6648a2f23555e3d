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

/**
 * A bump allocator over bytes [base, end) of `memory`. `zeroFrom`: where the bytes are known to be zero up to `end`
 * (base: a memory just taken, zeroed — ./spare-memory.ts; end, the default: nothing is known, every view is filled).
 * A view is filled only below the highest byte handed out so far (after reset() those bytes hold a run's data);
 * above it the memory is still as it was taken: a big network's first pass no longer zeroed hundreds of MB that
 * were zero already (784-4096-4096-4096-10's params and gradients: 1.2 s here), nor touched the pages it never uses.
 */
export function createWasmAllocator(memory: WebAssembly.Memory, base: number, end: number, zeroFrom = end): WasmAllocator {
  let next = base;
  /** Bytes from here to `end` are zero: never handed out since the memory was zeroed. */
  let clean = Math.max(base, zeroFrom);

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

  /** The view zero-filled where it may hold earlier data (below `clean`), then counted as handed out. */
  function zeroed<T extends Float32Array | Uint8Array | Int32Array | Uint32Array>(view: T): T {
    const dirtyBytes = Math.min(view.byteLength, clean - view.byteOffset);
    if (dirtyBytes > 0) view.fill(0, 0, Math.ceil(dirtyBytes / view.BYTES_PER_ELEMENT));
    clean = Math.max(clean, view.byteOffset + view.byteLength);
    return view;
  }

  return {
    allocFloat32(length) {
      checkCount(length, 'length', 'allocFloat32');
      return zeroed(new Float32Array(memory.buffer, take(length * 4, `allocFloat32(${length})`), length));
    },
    allocUint8(length) {
      checkCount(length, 'length', 'allocUint8');
      return zeroed(new Uint8Array(memory.buffer, take(length, `allocUint8(${length})`), length));
    },
    allocInt32(length) {
      checkCount(length, 'length', 'allocInt32');
      return zeroed(new Int32Array(memory.buffer, take(length * 4, `allocInt32(${length})`), length));
    },
    allocUint32(length) {
      checkCount(length, 'length', 'allocUint32');
      return zeroed(new Uint32Array(memory.buffer, take(length * 4, `allocUint32(${length})`), length));
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
