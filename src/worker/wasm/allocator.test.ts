// The bump allocator hands out zero-filled arrays whether it fills them or knows them zero: after a reset (a kept
// backend's next run) the arrays over earlier data are filled; a memory of unknown contents is filled every time.
import { describe, expect, it } from 'vitest';
import { createWasmAllocator } from './allocator';

const PAGE = 65536;
const memoryOf = (pages: number) => new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
const allZero = (view: ArrayLike<number>) => Array.prototype.every.call(view, (x: number) => x === 0);

describe('the WASM allocator', () => {
  it('on a zeroed memory: every array is zero, also where a run wrote before a reset, and past it', () => {
    const memory = memoryOf(2);
    const allocator = createWasmAllocator(memory, 1024, 2 * PAGE, 1024);
    const first = allocator.allocFloat32(1000);
    const bytes = allocator.allocUint8(333);
    expect(allZero(first) && allZero(bytes)).toBe(true);
    first.fill(7);
    bytes.fill(9);
    allocator.reset();
    // the same places again, then further than the first run reached, with other types and odd sizes
    const again = allocator.allocFloat32(999);
    const ints = allocator.allocInt32(101);
    const more = allocator.allocUint32(5000);
    for (const view of [again, ints, more]) expect(allZero(view)).toBe(true);
  });

  it('on a memory of unknown contents (an attached arena): every array is filled', () => {
    const memory = memoryOf(1);
    new Uint8Array(memory.buffer).fill(0xab);
    const allocator = createWasmAllocator(memory, 256, PAGE);
    expect(allZero(allocator.allocFloat32(4000))).toBe(true);
    expect(allZero(allocator.allocUint8(77))).toBe(true);
    expect(new Uint8Array(memory.buffer, 0, 256).every((x) => x === 0xab)).toBe(true); // nothing below base touched
  });
});
