// The shared memory of a data-parallel run: its layout (disjoint, aligned regions that fit), and each
// thread's backend on it — allocations only inside the thread's own arena, for the WASM and plain kernels.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as WasmModule from '../wasm/index';
import { loadWasmModule } from '../wasm/test-support';
import { createSharedMemory, sharedLayout, sharedViews, threadBackend, WASM_SCRATCH_BYTES } from './memory';

beforeAll(async () => {
  const wasm: typeof WasmModule = await loadWasmModule(); // builds the kernels module if needed
  expect(wasm.wasmSimdSupported()).toBe(true);
}, 120_000);

const options = { threads: 3, paramCount: 1001, m: true, v: false, arenaBytes: 10_000, scratchBytes: 4096 };

describe('sharedLayout', () => {
  it('places params, m, v, every grads_t and every arena one after another, 64-byte aligned, inside the memory', () => {
    const l = sharedLayout(options);
    const regions = [l.params, l.m!, ...l.grads].map((start) => ({ start, end: start + 4 * 1001 }));
    expect(l.v).toBeNull();
    expect(l.grads).toHaveLength(3);
    expect(l.common).toEqual({ start: l.params, end: l.arenas[0].start });
    const all = [...regions, ...l.arenas];
    for (let i = 0; i < all.length; i++) {
      expect(all[i].start % 64).toBe(0);
      expect(all[i].start).toBeGreaterThanOrEqual(65536); // above the WASM module's static data
      if (i > 0) expect(all[i].start).toBeGreaterThanOrEqual(all[i - 1].end);
    }
    for (const a of l.arenas) expect(a.end - a.start).toBeGreaterThanOrEqual(4096 + 10_000);
    expect(l.bytes % 65536).toBe(0);
    expect(l.bytes).toBeGreaterThanOrEqual(l.arenas[2].end + 64);
    expect(() => sharedLayout({ ...options, threads: 1 })).toThrow('A data-parallel run needs at least 2 threads, got 1');
  });

  it('sharedViews are the same memory in every view made of it', () => {
    const l = sharedLayout({ ...options, threads: 2 });
    const memory = createSharedMemory('plain', l) as SharedArrayBuffer;
    const a = sharedViews(memory, l), b = sharedViews(memory, l);
    a.params[1000] = 3;
    a.grads[1][0] = 4;
    expect(b.params[1000]).toBe(3);
    expect(b.grads[1][0]).toBe(4);
    expect(b.grads[0][0]).toBe(0);
    expect(b.m![0]).toBe(0);
  });
});

describe('threadBackend', () => {
  for (const kernels of ['wasm', 'plain'] as const) {
    it(`${kernels}: each thread allocates only in its own arena, and a RangeError when it is full`, () => {
      const l = sharedLayout({ ...options, scratchBytes: kernels === 'wasm' ? WASM_SCRATCH_BYTES : 0 });
      const memory = createSharedMemory(kernels, l);
      for (let t = 0; t < 3; t++) {
        const { allocator } = threadBackend(kernels, memory, l, t);
        const views = [allocator.allocFloat32(1000), allocator.allocFloat32(1500)];
        for (const v of views) {
          expect(v.byteOffset).toBeGreaterThanOrEqual(l.arenas[t].start + l.scratchBytes);
          expect(v.byteOffset + v.byteLength).toBeLessThanOrEqual(l.arenas[t].end);
        }
        expect(() => allocator.allocFloat32(100)).toThrow(RangeError);
      }
      expect(() => threadBackend(kernels, memory, l, 3)).toThrow('thread 3 has no arena (the run has 3 threads)');
    });
  }

  it("wasm: thread 1's kernels take the shared params and grads, and refuse thread 0's arrays", () => {
    const l = sharedLayout({ ...options, threads: 2, scratchBytes: WASM_SCRATCH_BYTES });
    const memory = createSharedMemory('wasm', l) as WebAssembly.Memory;
    const zero = threadBackend('wasm', memory, l, 0), one = threadBackend('wasm', memory, l, 1);
    const views = sharedViews(memory.buffer, l);
    views.grads[1].fill(1);
    one.kernels.sgdStep(views.params, views.grads[1], 0.5, 1001);
    expect(views.params[1000]).toBe(-0.5);
    const own = zero.allocator.allocFloat32(1001);
    zero.kernels.sgdStep(views.params, own, 1, 1001);
    expect(() => one.kernels.sgdStep(views.params, own, 1, 1001)).toThrow(/is outside this backend's arena/);
    expect(() => threadBackend('wasm', new SharedArrayBuffer(l.bytes), l, 0)).toThrow(/need the run to share a WebAssembly.Memory/);
  });
});
