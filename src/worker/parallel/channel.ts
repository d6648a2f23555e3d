// How one data-parallel run's threads talk: a small Int32Array of counters and flags (Atomics order
// every plain write before the counter that publishes it), the batch's row list, each slice's loss, each
// shard's error message, and the shared memory with its layout (./memory.ts). The leader (thread 0, the
// run's own thread) and the shards (1…threads−1) take step K together (see ./step.ts):
//
//   leader: writes the batch (writeBatch: its rows, its first row and size, in the slots of K's parity) and
//           STEP = the optimizer's t, then STEP_INDEX = K, and bumps GEN
//   every thread: claims slices s of the batch (CLAIM_SLICES) and computes each one's gradient into grads_s;
//                 SLICES_DONE += 1 per slice; waits until SLICES_DONE = threads × K (every gradient is in)
//   every thread: claims ranges r of the parameters (CLAIM_RANGES): grads_0[R_r] += grads_1[R_r] + …,
//                 optimizer on R_r; RANGES_DONE += 1 per range; the leader waits until it is threads × K.
//
// Slice s always lands in grads_s and range r is always summed in thread order, whoever takes them, so the
// result is the same bits whichever thread did what: a thread that is slow to wake (a busy machine) has
// its work done by the others instead of holding them at a barrier.
//
// A run split by its inputs (./input-split.ts, ./input-step.ts) has three phases of items, each claimed on
// its own slot (itemSlot): forward items (SLICES_DONE counts them, threads per step), middle items
// (MIDDLE_DONE, threads per step; losses[r] is middle item r's loss) and backward items (RANGES_DONE,
// threads + 1 per step; each also records its step in its own done slot, backwardDoneSlot). Its steps
// overlap: the leader issues step K+1 while another thread may still finish a backward item of step K,
// and step K+1's forward item i waits for that item's done slot (./input-step.ts).
//
// Batches by parity: step K's batch lives in the slots and the row list of parity K & 1, so the leader can
// publish step K+1's batch with step K (when the Trainer knows it: not at an epoch's last step). A thread
// that would wait inside step K then gathers step K+1's pixel columns ahead (an input split's gather
// items: gatherClaimSlot, gatheredSlot).
//
// Pure: plain SharedArrayBuffers and a shared memory, structured-clonable to a worker thread as they are.
import type { InputSplit } from './input-split';
import type { SharedLayout, SharedMemory } from './memory';
import { bufferOf, sharedViews, type SharedViews } from './memory';
import { memoryIdOf } from '../wasm/spare-memory';

/** control[] slots. */
export const GEN = 0; // generation: +1 per command the leader issues
export const COMMAND = 1; // STEP or STOP
export const STEP = 2; // the optimizer's step t (1-based, Adam's bias correction)
export const STEP_INDEX = 3; // K: steps issued on this channel, 1-based (the counters below reach K × items per step)
export const CLAIM_SLICES = 4; // slices of the batch claimed so far (threads per step)
export const SLICES_DONE = 5; // slices whose gradient is in
export const CLAIM_RANGES = 6; // ranges of the parameters claimed so far
export const RANGES_DONE = 7; // ranges summed and updated
export const MIDDLE_DONE = 8; // input split: middle items done
export const LEADER_ALONE = 9; // 1: the leader takes every item of the steps it publishes, the shards sleep (./thread-choice.ts)
export const ASLEEP_FOR_STEP = 10; // shards asleep in their wait for the next step (waitForNextStep): the leader wakes them
/** Step K's batch: BATCH_SLOTS slots at BATCH_BASE + BATCH_SLOTS · (K & 1) — the step K they describe (0:
 *  none yet), ordered (1: rows rowLists[K & 1][0…count), 0: rows start…start+count), start, count. */
const BATCH_BASE = 11;
const BATCH_SLOTS = 4;
const STATUS_BASE = BATCH_BASE + 2 * BATCH_SLOTS; // one per thread (slot of the leader unused)

export const CMD_STEP = 1;
export const CMD_STOP = 2;
export const STATUS_RUNNING = 0;
export const STATUS_FAILED = 1;
export const STATUS_EXITED = 2;

/** UTF-16 code units kept of a shard's error message. */
const MESSAGE_CHARS = 512;

/** What is sent to each shard (structured clone keeps the shared buffers and memory shared). */
export interface ChannelBuffers {
  threads: number;
  control: SharedArrayBuffer;
  /** rows[2, batchCapacity]: by step parity, the batch's absolute row indices when it is in shuffled order. */
  rows: SharedArrayBuffer;
  /** losses[threads]: each slice's (an input split: each middle item's) summed loss. */
  losses: SharedArrayBuffer;
  /** errors[threads, MESSAGE_CHARS]: a failed shard's message. */
  errors: SharedArrayBuffer;
  memory: SharedMemory;
  /** The memory's id (a WebAssembly.Memory's: ../wasm/spare-memory.ts memoryIdOf; null for a
   *  SharedArrayBuffer): a shard knows by it that a run is on the same memory as its last one. */
  memoryId: string | null;
  layout: SharedLayout;
  /** How the run is split: null = by the batch's rows (./step.ts); else by the first layer's inputs
   *  (./input-split.ts; the layout then has its exchange region). */
  split: InputSplit | null;
}

export interface Channel {
  threads: number;
  control: Int32Array;
  /** By step parity (K & 1): the row list of a shuffled batch (rows[batchCapacity] each). */
  rowLists: readonly [Uint32Array, Uint32Array];
  losses: Float64Array;
  errors: Uint16Array;
  /** Views (made in this thread) of the shared params, m, v and every thread's grads. */
  views: SharedViews;
  buffers: ChannelBuffers;
}

export function createChannelBuffers(batchCapacity: number, memory: SharedMemory, layout: SharedLayout, split: InputSplit | null = null): ChannelBuffers {
  const { threads } = layout;
  if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`A data-parallel run needs at least 2 threads, got ${threads}`);
  if (bufferOf(memory).byteLength < layout.bytes) throw new RangeError(`the shared memory holds ${bufferOf(memory).byteLength} bytes, its layout needs ${layout.bytes}`);
  if (split && (split.bounds.length !== threads + 1 || layout.exchange === null)) throw new RangeError(`an input split for ${threads} threads needs ${threads + 1} bounds and an exchange region`);
  return {
    threads,
    control: new SharedArrayBuffer(4 * (STATUS_BASE + threads + ITEMS_PER_THREAD * threads + 1 + threads + 1 + 3 * threads)),
    rows: new SharedArrayBuffer(4 * 2 * Math.max(1, batchCapacity)),
    losses: new SharedArrayBuffer(8 * threads),
    errors: new SharedArrayBuffer(2 * MESSAGE_CHARS * threads),
    memory,
    memoryId: memory instanceof WebAssembly.Memory ? memoryIdOf(memory) : null,
    layout,
    split,
  };
}

export function openChannel(buffers: ChannelBuffers): Channel {
  return {
    threads: buffers.threads,
    control: new Int32Array(buffers.control),
    rowLists: [0, 1].map((p) => new Uint32Array(buffers.rows, (p * buffers.rows.byteLength) / 2, buffers.rows.byteLength / 8)) as [Uint32Array, Uint32Array],
    losses: new Float64Array(buffers.losses),
    errors: new Uint16Array(buffers.errors),
    views: sharedViews(bufferOf(buffers.memory), buffers.layout),
    buffers,
  };
}

/** A step's batch: rows order[start…start+count) (rows start… when order is null). */
export interface Batch {
  order: Uint32Array | null;
  start: number;
  count: number;
}

/** Writes step K's batch into the slots and row list of K's parity (a shuffled batch's rows copied: the
 *  Trainer's order changes at the next epoch), then marks them K's with an atomic write: a reader that
 *  loads the mark (batchOf) sees the rest, even before the step is published. */
export function writeBatch(ch: Pick<Channel, 'control' | 'rowLists'>, K: number, { order, start, count }: Batch): void {
  const c = ch.control;
  const at = BATCH_BASE + BATCH_SLOTS * (K & 1);
  if (order) {
    const rows = ch.rowLists[K & 1];
    if (count > rows.length) throw new RangeError(`a batch of ${count} rows exceeds the shared row list (${rows.length})`);
    for (let r = 0; r < count; r++) rows[r] = order[start + r]; // (a loop: a subarray a step would be garbage)
  }
  c[at + 1] = order ? 1 : 0;
  c[at + 2] = order ? 0 : start;
  c[at + 3] = count;
  Atomics.store(c, at, K);
}

/** Step K's batch as written by writeBatch, or null when the slots of K's parity hold another step's (not
 *  written yet, or already replaced: K + 2's is written with step K + 1). */
export function batchOf(ch: Pick<Channel, 'control' | 'rowLists'>, K: number): Batch | null {
  const c = ch.control;
  const at = BATCH_BASE + BATCH_SLOTS * (K & 1);
  if (Atomics.load(c, at) !== K) return null;
  return { order: c[at + 1] === 1 ? ch.rowLists[K & 1] : null, start: c[at + 2], count: c[at + 3] };
}

/** Rows [first, end) of a batch of `count` rows in slice t of `threads` (slice t lands in grads_t). */
export function sliceOf(t: number, threads: number, count: number): { first: number; end: number } {
  return { first: Math.floor((t * count) / threads), end: Math.floor(((t + 1) * count) / threads) };
}

/** Input split: item slots per thread (a forward, a middle and a backward item each; one more backward
 *  item updates the rest of the network). */
const ITEMS_PER_THREAD = 3;

/** Input split: control[itemSlot(threads, i)] = the last step K whose item i was claimed. Items 0…T−1 are
 *  the forward items, T…2T the backward ones (T: the rest of the network's update), 2T+1…3T the middle
 *  ones. */
export function itemSlot(threads: number, item: number): number {
  return STATUS_BASE + threads + item;
}

/** Input split: control[backwardDoneSlot(threads, i)] = the last step K whose backward item i (0…T) has
 *  finished — its parameters updated, its X_i read. The next step's forward item i waits for it. */
export function backwardDoneSlot(threads: number, item: number): number {
  return STATUS_BASE + threads + ITEMS_PER_THREAD * threads + 1 + item;
}

/** Input split: control[gatherClaimSlot(threads, i)] = the last step K whose gather of X_i (forward item
 *  i's pixel columns) was claimed — by that item, or ahead, by a thread waiting inside step K − 1 (which
 *  claims K only once K − 1 is claimed: the slot goes through every step). */
export function gatherClaimSlot(threads: number, item: number): number {
  return backwardDoneSlot(threads, threads + 1) + item;
}

/** Input split: control[gatheredSlot(threads, i, p)] = the last step K of parity p (K & 1) whose X_i is
 *  gathered. By parity: the gathers of steps K and K+1 (ahead) may end in either order. */
export function gatheredSlot(threads: number, item: number, parity: number): number {
  return gatherClaimSlot(threads, threads) + 2 * item + parity;
}

export function statusOf(ch: Channel, t: number): number {
  return Atomics.load(ch.control, STATUS_BASE + t);
}

/** While a failure's message is being written (its readers still see the shard as running). */
const STATUS_REPORTING = 3;

/** True once shard t has failed or exited (its message is then readable). */
export function hasFailed(ch: Channel, t: number): boolean {
  const status = statusOf(ch, t);
  return status === STATUS_FAILED || status === STATUS_EXITED;
}

/** Marks shard t failed (or exited) with a message, and wakes whoever waits. Keeps the first failure. */
export function reportFailure(ch: Channel, t: number, status: number, message: string): void {
  if (Atomics.compareExchange(ch.control, STATUS_BASE + t, STATUS_RUNNING, STATUS_REPORTING) !== STATUS_RUNNING) return;
  const text = message.slice(0, MESSAGE_CHARS);
  const slot = ch.errors.subarray(t * MESSAGE_CHARS, (t + 1) * MESSAGE_CHARS);
  slot.fill(0);
  for (let i = 0; i < text.length; i++) slot[i] = text.charCodeAt(i);
  Atomics.store(ch.control, STATUS_BASE + t, status); // after the message: a reader that sees the status sees it
  wakeAll(ch.control);
}

/** Wakes every thread waiting on any slot — a step counter or an item's done slot (their checks then see
 *  a failure or a stop). */
export function wakeAll(control: Int32Array): void {
  for (let at = 0; at < control.length; at++) Atomics.notify(control, at);
}

export function failureMessage(ch: Channel, t: number): string {
  const slot = ch.errors.subarray(t * MESSAGE_CHARS, (t + 1) * MESSAGE_CHARS);
  let end = 0;
  while (end < slot.length && slot[end] !== 0) end++;
  return String.fromCharCode(...slot.subarray(0, end));
}

// Waiting. Steady-state waits inside a step are short (the threads' imbalance, tens to hundreds of µs), so
// a waiter polls first. A waiter inside a step that sleeps is never woken by another thread's
// Atomics.notify (only by a failure or a stop): it polls with Atomics.wait timeouts instead. A thread woken
// by a notify is often placed on its waker's core, and two threads that share a core while a second core
// idles make a data-parallel run slower than one thread (measured on the first development machine:
// 2-thread epochs bimodal, ~0.8 or ~2.3 s). The one wait that is woken is a shard's wait for the next step
// (waitForNextStep), where a late look costs whole steps. Measured on the 2-vCPU Zen 5 machine, 4-epoch CLI
// runs on Fashion-MNIST alternated with the polling wait: 5–9% faster in 8 of 9 quiet pairs (1.55–1.66 s
// against 1.65–1.80 s for the 4 epochs); beside a busy-loop process, 1% slower at the median of 7 pairs.

/** How long a waiter polls before it sleeps (ms). */
export const SPIN_MS = 0.5;

/** Milliseconds, as precise as the runtime has them. */
export const clock: { now(): number } = (globalThis as { performance?: { now(): number } }).performance ?? Date;

/**
 * Polls control[at] for a change from `value` for up to SPIN_MS; returns true when it changed. Bounded:
 * a paused or idle run sleeps after it.
 */
export function spinUntilChanged(control: Int32Array, at: number, value: number): boolean {
  const until = clock.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, at) !== value) return true;
    if (clock.now() > until) return false;
  }
}

/** The next sleep of a waiter that has slept `sleptMs` so far: 1 ms at first, up to 100 ms (≈ 10% of
 *  the time asleep), so a long pause costs little and a short one (an epoch's evaluation) little latency. */
export function pollMs(sleptMs: number): number {
  return Math.min(100, Math.max(1, Math.floor(sleptMs / 10)));
}

/** What a waiter calls before every look at the counter: it throws to give up (a failed shard, a stop).
 *  quietMs: how long the counter has not moved. An object with a method rather than a function, so that the
 *  wait's optimized code calls one function in every run (a closure made per run was a new call target at
 *  a thread's second run: see ./input-step.ts's InputSplitPart). */
export interface WaitCheck {
  check(quietMs: number): void;
}

/**
 * Waits until control[at] ≥ target: polls (spinUntilChanged), then sleeps in growing slices (pollMs),
 * calling check.check(quietMs) before every look.
 */
export function waitAtLeast(control: Int32Array, at: number, target: number, check: WaitCheck): void {
  let quietMs = 0;
  let slept = 0;
  for (;;) {
    const value = Atomics.load(control, at);
    check.check(quietMs);
    if (value >= target) return;
    if (spinUntilChanged(control, at, value)) {
      quietMs = 0;
      slept = 0;
      continue;
    }
    const ms = pollMs(slept);
    const started = clock.now();
    Atomics.wait(control, at, value, ms);
    const took = clock.now() - started;
    slept += took;
    quietMs += took;
  }
}

/**
 * A shard's wait for the leader's next step: until control[GEN] differs from `gen`; returns its value. Polls
 * for SPIN_MS, then sleeps counted in control[ASLEEP_FOR_STEP], and publishStep wakes it. Unlike the waits
 * inside a step, this one is woken: a shard that fell asleep here (the leader was descheduled, or ran the
 * Trainer's work between steps) and woke only ≥ 1 ms later found the leader several steps on, each done
 * alone (measured: 317–419 of a run's first 1,250 steps missed this way, 24–79 an epoch later). `safetyMs`
 * bounds each sleep all the same (a stop also notifies: wakeAll).
 */
export function waitForNextStep(control: Int32Array, gen: number, safetyMs = 100): number {
  for (;;) {
    const value = Atomics.load(control, GEN);
    if (value !== gen) return value;
    if (spinUntilChanged(control, GEN, value)) continue;
    Atomics.add(control, ASLEEP_FOR_STEP, 1);
    Atomics.wait(control, GEN, value, safetyMs); // returns at once if GEN moved since the load
    Atomics.sub(control, ASLEEP_FOR_STEP, 1);
  }
}

/** While control[LEADER_ALONE] is 1 and the run is not stopped: sleeps (a shard the leader has left out).
 *  The leader notifies the slot when it lets the shards back in, and a stop notifies every slot; the
 *  100 ms timeout is only a safety net. (Waking every millisecond instead made the lone leader slower
 *  beside a busy program: each wake-up could land on its core.) */
export function sleepWhileLeaderAlone(control: Int32Array): void {
  while (Atomics.load(control, LEADER_ALONE) === 1 && Atomics.load(control, COMMAND) !== CMD_STOP) Atomics.wait(control, LEADER_ALONE, 1, 100);
}
