// A byte array on a SharedArrayBuffer that grows as rows arrive. With a good size estimate (file size ÷ bytes
// per row) it is allocated once and never copied; `finish` trims only when the estimate was far too big, so
// the peak memory beyond the data stays a few percent.

export class GrowableBytes {
  private buffer: SharedArrayBuffer;
  /** View of the whole capacity. */
  bytes: Uint8Array;
  /** Bytes in use. */
  length = 0;

  constructor(capacity: number) {
    this.buffer = new SharedArrayBuffer(Math.max(0, Math.ceil(capacity)));
    this.bytes = new Uint8Array(this.buffer);
  }

  get capacity(): number {
    return this.bytes.length;
  }

  /** Makes room for `needed` bytes in total; grows by at least half so appends stay amortised O(1). */
  ensure(needed: number): void {
    if (needed <= this.bytes.length) return;
    const next = new SharedArrayBuffer(Math.max(needed, Math.ceil(this.bytes.length * 1.5), 4096));
    const view = new Uint8Array(next);
    view.set(this.bytes); // all of it: writers may fill ahead of `length`
    this.buffer = next;
    this.bytes = view;
  }

  /** Re-sizes the capacity to hold about `total` bytes (an estimate); never below what is in use. */
  reserve(total: number): void {
    if (total <= this.bytes.length) return;
    const next = new SharedArrayBuffer(Math.ceil(total));
    const view = new Uint8Array(next);
    view.set(this.bytes);
    this.buffer = next;
    this.bytes = view;
  }

  /**
   * The used bytes as a SharedArrayBuffer-backed view; copies only if more than ~6% + 1 MiB would be wasted
   * and `trim` (pass false when the capacity beyond the data was never written: such pages cost no memory).
   */
  finish(trim = true): Uint8Array {
    const waste = this.bytes.length - this.length;
    if (trim && waste > this.length / 16 + (1 << 20)) {
      const exact = new Uint8Array(new SharedArrayBuffer(this.length));
      exact.set(this.bytes.subarray(0, this.length));
      return exact;
    }
    return this.bytes.subarray(0, this.length);
  }
}
