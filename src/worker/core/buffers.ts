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
