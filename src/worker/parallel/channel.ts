// The shared memory of one data-parallel run: the leader (the run's own thread) and N−1 shard threads
// see the same SharedArrayBuffers. Each step the leader writes the current parameters and the batch's
// row indices, bumps GEN and wakes the shards; each shard computes the gradient of its slice of the
// batch into its own gradient buffer, then bumps DONE. Atomics on `control` order every plain write.
// Pure: plain SharedArrayBuffers, structured-clonable to a worker thread as they are.

/** control[] slots. */
export const GEN = 0; // generation: +1 per command the leader issues
export const DONE = 1; // +1 per shard per finished step (also on failure)
export const COMMAND = 2; // STEP or STOP
export const START = 3; // first row (into rows[] when ORDERED, else an absolute row index)
export const COUNT = 4; // rows in the batch
export const ORDERED = 5; // 1: the batch is rows[0…COUNT), 0: rows START…START+COUNT
const STATUS_BASE = 6; // one per thread (slot of the leader unused)

export const CMD_STEP = 1;
export const CMD_STOP = 2;
export const STATUS_RUNNING = 0;
export const STATUS_FAILED = 1;
export const STATUS_EXITED = 2;

/** UTF-16 code units kept of a shard's error message. */
const MESSAGE_CHARS = 512;

/** What is sent to each shard (structured clone keeps the SharedArrayBuffers shared). */
export interface ChannelBuffers {
  threads: number;
  paramCount: number;
  control: SharedArrayBuffer;
  /** params[paramCount]: the parameters the next step runs on. */
  params: SharedArrayBuffer;
  /** grads[threads, paramCount]: each shard's gradient (the leader's row, 0, is unused). */
  grads: SharedArrayBuffer;
  /** rows[batchCapacity]: the batch's absolute row indices when it is in shuffled order. */
  rows: SharedArrayBuffer;
  /** losses[threads]: each shard's summed loss. */
  losses: SharedArrayBuffer;
  /** errors[threads, MESSAGE_CHARS]: a failed shard's message. */
  errors: SharedArrayBuffer;
}

export interface Channel {
  threads: number;
  paramCount: number;
  control: Int32Array;
  params: Float32Array;
  grads: Float32Array[];
  rows: Uint32Array;
  losses: Float64Array;
  errors: Uint16Array;
  buffers: ChannelBuffers;
}

export function createChannelBuffers(threads: number, paramCount: number, batchCapacity: number): ChannelBuffers {
  if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`A data-parallel run needs at least 2 threads, got ${threads}`);
  return {
    threads,
    paramCount,
    control: new SharedArrayBuffer(4 * (STATUS_BASE + threads)),
    params: new SharedArrayBuffer(4 * paramCount),
    grads: new SharedArrayBuffer(4 * paramCount * threads),
    rows: new SharedArrayBuffer(4 * Math.max(1, batchCapacity)),
    losses: new SharedArrayBuffer(8 * threads),
    errors: new SharedArrayBuffer(2 * MESSAGE_CHARS * threads),
  };
}

export function openChannel(buffers: ChannelBuffers): Channel {
  const { threads, paramCount } = buffers;
  return {
    threads,
    paramCount,
    control: new Int32Array(buffers.control),
    params: new Float32Array(buffers.params),
    grads: Array.from({ length: threads }, (_, t) => new Float32Array(buffers.grads, 4 * paramCount * t, paramCount)),
    rows: new Uint32Array(buffers.rows),
    losses: new Float64Array(buffers.losses),
    errors: new Uint16Array(buffers.errors),
    buffers,
  };
}

/** Rows [first, end) of a batch of `count` rows that thread t of `threads` takes (thread 0 = the leader). */
export function sliceOf(t: number, threads: number, count: number): { first: number; end: number } {
  return { first: Math.floor((t * count) / threads), end: Math.floor(((t + 1) * count) / threads) };
}

export function statusOf(ch: Channel, t: number): number {
  return Atomics.load(ch.control, STATUS_BASE + t);
}

/** Marks shard t failed (or exited) with a message, and wakes the leader. Keeps the first failure. */
export function reportFailure(ch: Channel, t: number, status: number, message: string): void {
  if (Atomics.compareExchange(ch.control, STATUS_BASE + t, STATUS_RUNNING, status) !== STATUS_RUNNING) return;
  const text = message.slice(0, MESSAGE_CHARS);
  const slot = ch.errors.subarray(t * MESSAGE_CHARS, (t + 1) * MESSAGE_CHARS);
  slot.fill(0);
  for (let i = 0; i < text.length; i++) slot[i] = text.charCodeAt(i);
  Atomics.add(ch.control, DONE, 1);
  Atomics.notify(ch.control, DONE);
}

export function failureMessage(ch: Channel, t: number): string {
  const slot = ch.errors.subarray(t * MESSAGE_CHARS, (t + 1) * MESSAGE_CHARS);
  let end = 0;
  while (end < slot.length && slot[end] !== 0) end++;
  return String.fromCharCode(...slot.subarray(0, end));
}

/**
 * Polls control[at] for a change from `value` for 1–2 ms before the caller sleeps in Atomics.wait. A
 * step's waits are shorter than that, and a thread that sleeps and is woken every step tends to be
 * woken on its waker's core (measured: 2-thread epochs bimodal, 0.73 or 1.06 s, without the poll).
 * Returns true when the value changed. Bounded; a paused or idle run sleeps after it.
 */
export function spinUntilChanged(control: Int32Array, at: number, value: number): boolean {
  const until = Date.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < 1000; i++) if (Atomics.load(control, at) !== value) return true;
    if (Date.now() > until) return false;
  }
}

export const SPIN_MS = 1;
