// The WASM backend's allocator, its argument checks, and the extra kernels (ReLU, batch gathering)
// against the core's plain loops. Builds the module first if needed (scripts/build-wasm.mjs).
import { beforeAll, describe, expect, it } from 'vitest';
import { plainKernels } from '../core/kernels-plain';
import { activationBackward, activationForward } from '../core/layers';
import { gatherColumns } from '../core/network';
import type * as WasmModule from './index';
import { loadWasmModule } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

describe('wasm-simd allocator', () => {
  it('hands out zero-filled, 64-byte aligned, disjoint views into the WASM memory', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 1024 });
    const a = be.allocator.allocFloat32(5), b = be.allocator.allocFloat32(17), c = be.allocator.allocUint8(3), d = be.allocator.allocInt32(2);
    for (const view of [a, b, c, d]) {
      expect(view.buffer).toBe(be.memory.buffer);
      expect(view.byteOffset % 64).toBe(0);
      expect(Array.from(view).every((x) => x === 0)).toBe(true);
    }
    a.fill(1);
    b.fill(2);
    expect(Array.from(a)).toEqual([1, 1, 1, 1, 1]);
    expect(b[0]).toBe(2);
    expect(be.allocator.usedBytes).toBe(64 + 128 + 64 + 64);
    expect(be.allocator.capacityBytes).toBe(4096);
  });

  it('wasmFloatsFor counts the alignment of each array', () => {
    expect(wasm.wasmFloatsFor([1, 16, 17])).toBe(16 + 16 + 32);
    const lengths = [100, 3, 784 * 128];
    const be = wasm.createWasmSimdBackend({ maxFloats: wasm.wasmFloatsFor(lengths) });
    for (const n of lengths) be.allocator.allocFloat32(n);
    expect(() => be.allocator.allocFloat32(1)).toThrow(RangeError);
  });

  it('says when maxFloats is too small, and rejects bad lengths', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 100 });
    expect(() => be.allocator.allocFloat32(101)).toThrow(
      'wasm-simd allocator: allocFloat32(101) needs 448 bytes but only 400 of 400 are left; create the backend with a larger maxFloats',
    );
    expect(() => be.allocator.allocFloat32(-1)).toThrow('allocFloat32: length must be a non-negative integer, got -1');
    expect(() => wasm.createWasmSimdBackend({ maxFloats: 2 ** 31 })).toThrow(RangeError);
  });
});

describe('wasm-simd argument checks', () => {
  it('refuses arrays that are not views into its own memory', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 4096 });
    const other = wasm.createWasmSimdBackend({ maxFloats: 4096 });
    const a = be.allocator.allocFloat32(64), w = be.allocator.allocFloat32(64), out = be.allocator.allocFloat32(64), bias = be.allocator.allocFloat32(8);
    expect(() => be.kernels.matmulForward(out, new Float32Array(64), w, bias, 8, 8, 8)).toThrow(
      "wasm-simd matmulForward: inp is not a view into this backend's WebAssembly memory",
    );
    expect(() => be.kernels.sgdStep(a, other.allocator.allocFloat32(64), 0.1, 64)).toThrow(TypeError);
    expect(() => be.kernels.matmulForward(out, a, w, bias, 8, 9, 8)).toThrow('wasm-simd matmulForward: inp has 64 elements, needs 72');
    expect(() => be.kernels.adamStep(a, w, out, bias, 1e-3, 0.9, 0.999, 1e-8, 1, 64)).toThrow('wasm-simd adamStep: v has 8 elements, needs 64');
    expect(() => be.kernels.matmulBackwardInput(out, a, w, 8, -1, 8)).toThrow('wasm-simd matmulBackwardInput: every size must be a non-negative integer, got -1');
  });
});

describe('wasm-simd extras', () => {
  const specials = [0, -0, 1, -1, 1e-40, -1e-40, 3.5, -2.25, Infinity, -Infinity, NaN, 1e30, -1e30];

  it('reluForward and reluBackward give the same floats as the core (in place too)', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 4096 });
    for (const n of [1, 3, 4, 5, 13, 200]) {
      const inp = be.allocator.allocFloat32(n), out = be.allocator.allocFloat32(n), dout = be.allocator.allocFloat32(n), dinp = be.allocator.allocFloat32(n);
      for (let i = 0; i < n; i++) {
        inp[i] = specials[i % specials.length] * (i % 3 === 2 ? -1 : 1);
        dout[i] = specials[(i * 7) % specials.length];
      }
      const refOut = new Float32Array(n), refDinp = new Float32Array(n);
      activationForward('relu', refOut, inp, n);
      be.extras.reluForward(out, inp, n);
      activationBackward('relu', refDinp, dout, refOut, n);
      be.extras.reluBackward(dinp, dout, out, n);
      for (let i = 0; i < n; i++) {
        expect(Object.is(out[i], refOut[i]), `relu(${inp[i]})`).toBe(true);
        expect(Object.is(dinp[i], refDinp[i]), `relu′ at ${out[i]} of ${dout[i]}`).toBe(true);
      }
      be.extras.reluForward(inp, inp, n);
      expect(Array.from(inp)).toEqual(Array.from(refOut));
    }
  });

  it('zero clears exactly out[0…n) (the neighbours keep their values), -0 and NaN included', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 4096 });
    const all = be.allocator.allocFloat32(300);
    for (const [from, n] of [[0, 0], [0, 1], [1, 3], [5, 101], [7, 290]]) {
      all.forEach((_, i) => (all[i] = specials[i % specials.length] || 2));
      const before = all.slice();
      be.extras.zero(all.subarray(from, from + n), n);
      for (let i = 0; i < all.length; i++) {
        const inside = i >= from && i < from + n;
        expect(Object.is(all[i], inside ? 0 : before[i]), `index ${i} of zero(${from}, ${n})`).toBe(true);
      }
    }
    expect(() => be.extras.zero(all.subarray(0, 3), 4)).toThrow('wasm-simd zero: out has 3 elements, needs 4');
  });

  it('gatherRows scales bytes by 1/255 exactly as float32(pixel / 255), for any row length', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 1 << 16 });
    for (const D of [1, 15, 16, 17, 33, 784]) {
      const rowsInData = 9;
      const pixels = be.allocator.allocUint8(rowsInData * D);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + D) & 255;
      const rows = be.allocator.allocUint32(5);
      rows.set([8, 0, 3, 3, 7]);
      const out = be.allocator.allocFloat32(5 * D).fill(NaN);
      be.extras.gatherRows(out, pixels, rows, 5, D);
      for (let b = 0; b < 5; b++) {
        for (let d = 0; d < D; d++) {
          const expected = Math.fround(pixels[rows[b] * D + d] / 255);
          if (out[b * D + d] !== expected) throw new Error(`D=${D} row ${b} pixel ${d}: ${out[b * D + d]}, expected ${expected}`);
        }
      }
      rows[2] = rowsInData;
      expect(() => be.extras.gatherRows(out, pixels, rows, 5, D)).toThrow(`wasm-simd gatherRows: rows[2] = ${rowsInData} is outside the ${rowsInData} rows of pixels`);
    }
  });

  it('gatherBatch gathers rows from pixels anywhere (shared memory too), in chunks of its scratch', () => {
    const D = 17, rowsInData = 40;
    const pixels = new Uint8Array(new SharedArrayBuffer(rowsInData * D));
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 101 + 7) & 255;
    const order = Uint32Array.from({ length: rowsInData }, (_, i) => (i * 13) % rowsInData);
    for (const scratchFloats of [1 << 18, 50, 0]) {
      const be = wasm.createWasmSimdBackend({ maxFloats: 4096, scratchFloats });
      const out = be.allocator.allocFloat32(30 * D);
      for (const [ord, start] of [[order, 5], [null, 3]] as const) {
        out.fill(NaN);
        be.extras.gatherBatch(out, pixels, ord, start, 30, D);
        for (let r = 0; r < 30; r++) {
          const row = ord ? ord[start + r] : start + r;
          for (let d = 0; d < D; d++) {
            const expected = Math.fround(pixels[row * D + d] / 255);
            if (out[r * D + d] !== expected) throw new Error(`scratch ${scratchFloats} row ${r} pixel ${d}: ${out[r * D + d]}, expected ${expected}`);
          }
        }
      }
      expect(() => be.extras.gatherBatch(out, pixels, null, 20, 30, D)).toThrow('wasm-simd gatherBatch: row 40 (batch row 20) is outside the 40 rows of pixels');
    }
  });

  it('gatherBatch takes a batch longer than its list of rows (an evaluation pass) in several chunks, with or without an order', () => {
    const D = 5, rowsInData = 700, count = 600; // 600 rows: chunks of 256, 256 and 88
    const pixels = new Uint8Array(new SharedArrayBuffer(rowsInData * D));
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 53 + 3) & 255;
    const order = Uint32Array.from({ length: rowsInData }, (_, i) => (i * 301) % rowsInData);
    const be = wasm.createWasmSimdBackend({ maxFloats: 8192 });
    const out = be.allocator.allocFloat32(count * D);
    const plain = new Float32Array(count * D);
    for (const [ord, start] of [[order, 90], [null, 50]] as const) {
      out.fill(NaN);
      be.extras.gatherBatch(out, pixels, ord, start, count, D);
      gatherColumns(plainKernels, plain, pixels, ord, start, count, D, 0, D);
      expect(Array.from(out)).toEqual(Array.from(plain));
    }
  });

  it('gatherBatch copies aligned rows four bytes at a time, and any other rows through views: the same floats', () => {
    // D and the cuts multiples of 4 (784-pixel rows, an input-split run's columns) take the word copy;
    // pixels that start off a 4-byte boundary, or odd columns, take the views. Widths of 5 and 7 words leave
    // a tail after the unrolled 4; every byte value, 255s (a NaN's bits as a word) included.
    const D = 28, rowsInData = 50;
    const bytes = new Uint8Array(new SharedArrayBuffer(rowsInData * D + 8));
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 3 === 0 ? 255 : (i * 29 + 5) & 255;
    const order = Uint32Array.from({ length: rowsInData }, (_, i) => (i * 17) % rowsInData);
    for (const offset of [0, 4, 2]) {
      const pixels = bytes.subarray(offset, offset + rowsInData * D);
      for (const scratchFloats of [1 << 18, 12]) {
        const be = wasm.createWasmSimdBackend({ maxFloats: 1 << 14, scratchFloats });
        for (const [from, to] of [[0, 28], [0, 20], [8, 28], [4, 8], [3, 19], [0, 27]] as const) {
          const width = to - from;
          const out = be.allocator.allocFloat32(40 * width);
          const plain = new Float32Array(40 * width);
          for (const [ord, start] of [[order, 6], [null, 10]] as const) {
            out.fill(NaN);
            be.extras.gatherBatch(out, pixels, ord, start, 40, D, from, to);
            gatherColumns(plainKernels, plain, pixels, ord, start, 40, D, from, to);
            expect(Array.from(out), `offset ${offset}, scratch ${scratchFloats}, columns [${from}, ${to})`).toEqual(Array.from(plain));
          }
        }
      }
    }
  });

  it('gatherBatch gathers a window of columns [from, to) of each row, as the plain gather in the core does', () => {
    const D = 23, rowsInData = 30;
    const pixels = new Uint8Array(new SharedArrayBuffer(rowsInData * D));
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + 11) & 255;
    const order = Uint32Array.from({ length: rowsInData }, (_, i) => (i * 7) % rowsInData);
    for (const scratchFloats of [1 << 18, 4, 0]) {
      const be = wasm.createWasmSimdBackend({ maxFloats: 4096, scratchFloats });
      for (const [from, to] of [[0, 23], [0, 9], [9, 23], [5, 6], [7, 7]] as const) {
        const width = to - from;
        const out = be.allocator.allocFloat32(20 * width);
        const plain = new Float32Array(20 * width);
        be.extras.gatherBatch(out, pixels, order, 4, 20, D, from, to);
        gatherColumns(plainKernels, plain, pixels, order, 4, 20, D, from, to);
        expect(Array.from(out)).toEqual(Array.from(plain));
      }
      const out = be.allocator.allocFloat32(20 * D);
      expect(() => be.extras.gatherBatch(out, pixels, null, 0, 2, D, 5, 24)).toThrow('wasm-simd gatherBatch: the columns [5, 24) are not inside the 23 of a row');
    }
  });

  it('gatherRows covers all 256 grey levels and Int32Array rows', () => {
    const be = wasm.createWasmSimdBackend({ maxFloats: 4096 });
    const pixels = be.allocator.allocUint8(256);
    for (let i = 0; i < 256; i++) pixels[i] = i;
    const rows = be.allocator.allocInt32(1);
    const out = be.allocator.allocFloat32(256);
    be.extras.gatherRows(out, pixels, rows, 1, 256);
    for (let i = 0; i < 256; i++) expect(out[i]).toBe(Math.fround(i / 255));
  });
});

describe('wasm-simd backends attached to one shared memory', () => {
  // The layout of a data-parallel run in miniature: static data below 64 KiB, a common region, two arenas.
  const common = { start: 65536, end: 65536 + 4096 };
  const arenas = [{ start: common.end, end: common.end + 8192 }, { start: common.end + 8192, end: common.end + 16384 }];
  const scratchFloats = 256; // 1 KiB at the start of each arena

  function attach() {
    const memory = wasm.createSharedWasmMemory(arenas[1].end + 65536);
    const [a, b] = arenas.map((arena) => wasm.createWasmSimdBackend({ memory, arena, shared: [common], scratchFloats }));
    return { memory, a, b };
  }

  it('the memory is shared, and memory.buffer is the same object on every access', () => {
    const { memory, a } = attach();
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(memory.buffer).toBe(memory.buffer);
    expect(a.memory).toBe(memory);
  });

  it("allocates only inside its arena, after its scratch, and throws a RangeError past the arena's end", () => {
    const { a, b } = attach();
    expect(a.allocator.arena).toEqual({ start: arenas[0].start + 4 * scratchFloats, end: arenas[0].end });
    expect(a.allocator.capacityBytes).toBe(8192 - 4 * scratchFloats);
    const views = [a.allocator.allocFloat32(1000), a.allocator.allocFloat32(500)];
    for (const v of views) {
      expect(v.byteOffset).toBeGreaterThanOrEqual(arenas[0].start + 4 * scratchFloats);
      expect(v.byteOffset + v.byteLength).toBeLessThanOrEqual(arenas[0].end);
    }
    expect(() => a.allocator.allocFloat32(300)).toThrow('wasm-simd allocator: allocFloat32(300) needs 1216 bytes but only 1088 of 7168 are left');
    expect(b.allocator.allocFloat32(16).byteOffset).toBe(arenas[1].start + 4 * scratchFloats);
  });

  it("a kernel accepts views of its arena and the shared range, and refuses another backend's arena", () => {
    const { memory, a, b } = attach();
    const params = new Float32Array(memory.buffer, common.start, 64).fill(1);
    const grads = new Float32Array(memory.buffer, common.start + 256, 64).fill(0.5);
    a.kernels.sgdStep(params, grads, 1, 64);
    b.kernels.sgdStep(params, grads, 1, 64);
    expect(params[63]).toBe(0);
    const own = a.allocator.allocFloat32(64).fill(2);
    a.kernels.sgdStep(own, grads, 2, 64);
    expect(own[0]).toBe(1);
    expect(() => b.kernels.sgdStep(params, own, 1, 64)).toThrow(
      `wasm-simd sgdStep: grads (bytes ${own.byteOffset}–${own.byteOffset + 256} of the memory) is outside this backend's arena [${arenas[1].start + 4 * scratchFloats}, ${arenas[1].end}) and the ranges it shares`,
    );
    // a view that starts in the shared range and runs past it, and one into a's scratch
    expect(() => a.kernels.sgdStep(new Float32Array(memory.buffer, common.end - 128, 64), grads, 1, 64)).toThrow(TypeError);
    expect(() => b.kernels.sgdStep(new Float32Array(memory.buffer, arenas[0].start, 64), grads, 1, 64)).toThrow(TypeError);
    // a backend with a memory of its own accepts none of these
    expect(() => wasm.createWasmSimdBackend({ maxFloats: 1024 }).kernels.sgdStep(params, grads, 1, 64)).toThrow(TypeError);
  });

  it('refuses an arena that overlaps the static data or runs past the memory, or is missing', () => {
    const memory = wasm.createSharedWasmMemory(2 * 65536);
    expect(() => wasm.createWasmSimdBackend({ memory, arena: { start: 0, end: 8192 } })).toThrow(/does not fit between the module's static data/);
    expect(() => wasm.createWasmSimdBackend({ memory, arena: { start: 65536, end: 2 * 65536 }, scratchFloats: 0 })).toThrow(/does not fit/);
    expect(() => wasm.createWasmSimdBackend({ memory })).toThrow('createWasmBackend: a backend attached to a given memory needs its arena');
    expect(() => wasm.createWasmSimdBackend({ memory, arena: { start: 65536, end: 70000 }, scratchFloats: 0, shared: [{ start: 100, end: 200 }] })).toThrow(/shared range \[100, 200\)/);
  });
});

describe('a released backend is kept for the thread\'s next one like it (keptBackend)', () => {
  /** out = inp·W + b on sparse inputs with 32 outputs: the zero-skipping GEMMs, whose shuffle tables are the
   *  module's static data (a zeroed memory would leave them wrong). */
  function sparseProduct(be: ReturnType<typeof wasm.createWasmSimdBackend>): number[] {
    const B = 8, C = 64, OC = 32;
    const inp = be.allocator.allocFloat32(B * C), w = be.allocator.allocFloat32(C * OC), b = be.allocator.allocFloat32(OC);
    const out = be.allocator.allocFloat32(B * OC), dw = be.allocator.allocFloat32(C * OC), db = be.allocator.allocFloat32(OC);
    for (let i = 0; i < inp.length; i++) inp[i] = (i * 7) % 3 === 0 ? ((i * 13) % 17) / 17 : 0;
    for (let i = 0; i < w.length; i++) w[i] = Math.sin(i) / 8;
    for (let i = 0; i < OC; i++) b[i] = i / 64;
    expect([be.zeroSkipping('forward', inp, B, C, OC).used, be.zeroSkipping('weight', inp, B, C, OC).used]).toEqual([true, true]);
    be.kernels.matmulForward(out, inp, w, b, B, C, OC);
    be.kernels.matmulBackwardWeight(dw, db, out, inp, B, C, OC, false);
    return [...out, ...dw, ...db];
  }

  it('is taken again for the same module, memory and options: its allocator from the start, the static data written back', () => {
    const options = { maxFloats: 1 << 15 };
    const first = wasm.createWasmSimdBackend(options);
    const expected = sparseProduct(first);
    first.release(); // its memory becomes the spare, zeroed when taken again
    const again = wasm.createWasmSimdBackend(options);
    expect(again).toBe(first);
    expect(again.allocator.usedBytes).toBe(0);
    expect(sparseProduct(again)).toEqual(expected);
    again.release();
    const other = wasm.createWasmSimdBackend({ maxFloats: 1 << 14 }); // other options: a backend of its own
    expect(other).not.toBe(first);
    expect(sparseProduct(other)).toEqual(expected);
    other.release();
  });

  it('is never handed out while in use, and an attached one only on the same memory and arena', () => {
    const inUse = wasm.createWasmSimdBackend({ maxFloats: 1 << 15 });
    const second = wasm.createWasmSimdBackend({ maxFloats: 1 << 15 });
    expect(second).not.toBe(inUse);
    inUse.release();
    second.release();
    const memory = wasm.createSharedWasmMemory(1 << 22);
    const arena = { start: 1 << 16, end: 1 << 21 };
    const attached = wasm.createWasmSimdBackend({ memory, arena, scratchFloats: 1 << 18 });
    const expected = sparseProduct(attached);
    attached.release();
    expect(wasm.createWasmSimdBackend({ memory, arena: { start: 1 << 16, end: 3 << 20 }, scratchFloats: 1 << 18 })).not.toBe(attached);
    const elsewhere = wasm.createSharedWasmMemory(1 << 22);
    const onOther = wasm.createWasmSimdBackend({ memory: elsewhere, arena, scratchFloats: 1 << 18 });
    expect(onOther).not.toBe(attached);
    onOther.release();
    const again = wasm.createWasmSimdBackend({ memory: elsewhere, arena, scratchFloats: 1 << 18 });
    expect(again).toBe(onOther);
    expect(sparseProduct(again)).toEqual(expected);
  });
});
