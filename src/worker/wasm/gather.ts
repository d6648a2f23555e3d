// The batch gathers of the WebAssembly backend (./backend.ts): pixel rows (0–255 bytes, anywhere) to float32
// rows in WASM memory, scaled by 1/255 with SIMD — the same floats as `pixel / 255` rounded to float32.
import type { SizeCheck, ViewCheck, WasmExtras } from './backend';

/** The module's exports the gathers call. */
export interface GatherExports {
  gatherRows(out: number, pixels: number, rows: number, B: number, D: number): void;
  scaleBytes(out: number, bytes: number, n: number): void;
}

/** staging: the backend's scratch bytes, where gatherBatch copies rows from outside WASM memory. */
export function gatherKernels(x: GatherExports, at: ViewCheck, dims: SizeCheck, staging: Uint8Array): Pick<WasmExtras, 'gatherRows' | 'gatherBatch'> {
  const sources = new Float64Array(SOURCE_ROWS); // byte offsets of a chunk's rows in pixels
  const copier = new RowCopier(staging);
  return {
    gatherRows(out, pixels, rows, B, D) {
      const k = 'gatherRows';
      dims(k, B, D);
      const available = D === 0 ? 0 : Math.floor(pixels.length / D);
      for (let b = 0; b < B; b++) {
        const r = rows[b];
        if (!(r >= 0 && r < available)) throw new RangeError(`wasm-simd ${k}: rows[${b}] = ${r} is outside the ${available} rows of pixels`);
      }
      x.gatherRows(at(out, B * D, 'out', k), at(pixels, 0, 'pixels', k), at(rows, B, 'rows', k), B, D);
    },
    gatherBatch(out, pixels, order, start, count, D, from = 0, to = D) {
      const k = 'gatherBatch';
      dims(k, start, count, D, from, to);
      if (!(from <= to && to <= D)) throw new RangeError(`wasm-simd ${k}: the columns [${from}, ${to}) are not inside the ${D} of a row`);
      const width = to - from;
      const total = D === 0 ? 0 : Math.floor(pixels.length / D);
      const outAt = at(out, count * width, 'out', k);
      const chunk = width === 0 ? count : Math.min(SOURCE_ROWS, Math.floor(staging.length / width));
      if (chunk === 0) {
        // Scratch smaller than one row: the plain loop.
        for (let r = 0; r < count; r++) for (let d = 0, src = rowAt(order, start, r, total) * D + from; d < width; d++) out[r * width + d] = pixels[src + d] / 255;
        return;
      }
      for (let done = 0; done < count; done += chunk) {
        const rows = Math.min(chunk, count - done);
        for (let r = 0; r < rows; r++) sources[r] = rowAt(order, start, done + r, total) * D + from;
        touchRows(pixels, sources, rows, width);
        copier.copy(pixels, sources, rows, width, ((D | from) & 3) === 0);
        x.scaleBytes(outAt + done * width * 4, staging.byteOffset, rows * width);
      }
    },
  };
}

/** Row `i` of a batch (order[start + i], or start + i in file order), checked against the pixels' `total` rows. */
function rowAt(order: Uint32Array | null, start: number, i: number, total: number): number {
  const row = order ? order[start + i] : start + i;
  if (!(row < total)) throw new RangeError(`wasm-simd gatherBatch: row ${row} (batch row ${i}) is outside the ${total} rows of pixels`);
  return row;
}

/**
 * Copies a chunk's rows (`width` bytes from each byte offset sources[r] of pixels) one after another into
 * the staging bytes. Four bytes at a time when the pixels, the rows' offsets and the width are 4-byte
 * aligned (an input-split run's cuts are, and rows of 784 pixels): TypedArray.set copies only from a view,
 * and a view of each row was ~6 KB of garbage a step in each training thread, a minor GC every ~150 ms
 * there that the other threads of the step wait out. Measured 2026-11-30 in 5-epoch runs on 2 threads, the
 * copy switched every 64 calls: 64 rows of 416 bytes in 15–16 µs against 13–13.7 µs with the views at the
 * median, 17–23 µs against 17–27 µs in the mean (the views' collections). Four words an iteration (a plain
 * word loop had cost 30 µs against 20). Not 8-byte float words: a NaN's bits may change on a float store.
 */
class RowCopier {
  private readonly stagingWords: Int32Array;

  constructor(private readonly staging: Uint8Array) {
    this.stagingWords = new Int32Array(staging.buffer, staging.byteOffset & ~3, staging.length >> 2);
  }

  /** offsetsAligned: every sources[r] is a multiple of 4. */
  copy(pixels: Uint8Array, sources: Float64Array, rows: number, width: number, offsetsAligned: boolean): void {
    if (!offsetsAligned || ((pixels.byteOffset | width | this.staging.byteOffset) & 3) !== 0) {
      for (let r = 0; r < rows; r++) this.staging.set(pixels.subarray(sources[r], sources[r] + width), r * width);
      return;
    }
    // the pixels' buffer as words up to the pixels' end (one view a call, not one a row)
    const words = new Int32Array(pixels.buffer, 0, (pixels.byteOffset + pixels.length) >> 2);
    const out = this.stagingWords;
    const w = width >> 2;
    const base = pixels.byteOffset >> 2;
    for (let r = 0; r < rows; r++) {
      let from = base + sources[r] / 4;
      let to = r * w;
      const end = to + w;
      for (; to + 3 < end; to += 4, from += 4) {
        const a = words[from], b = words[from + 1], c = words[from + 2], d = words[from + 3];
        out[to] = a;
        out[to + 1] = b;
        out[to + 2] = c;
        out[to + 3] = d;
      }
      for (; to < end; to++, from++) out[to] = words[from];
    }
  }
}

/** Rows gatherBatch copies per chunk (at most): a training batch's 64 in one, an evaluation's in several. A
 *  fixed size, so that no call is first made by an evaluation's larger batch: growing the list there threw
 *  away the training step's optimized gather after the first epoch (measured with --trace-deopt). */
const SOURCE_ROWS = 256;

/** Reads the first and last byte of each row, so that the rows' cache and TLB misses (random rows of a
 *  pixel array of tens of MB) are all in flight at once; the copy that follows, one row at a time, would
 *  wait for them one after another. 64 rows of 784 bytes: 62 µs instead of 72 (interleaved, medians). */
function touchRows(pixels: Uint8Array, sources: Float64Array, rows: number, width: number): void {
  if (width === 0) return;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += pixels[sources[r]] + pixels[sources[r] + width - 1];
  touchSink[0] = sum; // kept, so that the reads are not optimized away
}

const touchSink = new Float64Array(1);

