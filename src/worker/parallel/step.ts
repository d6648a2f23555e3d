// The work of one batch-split step, as any of the run's threads takes it (see ./channel.ts): claim a
// slice of the batch and compute its gradient into that slice's buffer, until none is left; once every
// slice is in, claim a range of the parameters and sum and update it, until none is left. Which thread
// does which item does not change a single bit of the result (each item has its own output), so a thread
// descheduled by a busy machine holds nobody up unless it is in the middle of an item.
import type { Kernels } from '../core/kernels';
import { type Network, networkOf, viewParams, zeroGrads } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import { computeGradient, type TrainingData } from '../core/trainer';
import { type Batch, batchOf, type Channel, CLAIM_RANGES, CLAIM_SLICES, RANGES_DONE, sliceOf, SLICES_DONE, STEP } from './channel';
import { reduceAndUpdate } from './update';

/** Waits until control[at] ≥ target (each thread passes itself, with its own checks: a method, so the step
 *  calls the same function in every run of the thread). */
export interface Waiter {
  waitAtLeast(at: number, target: number): void;
}

/** A thread's part in the steps of a multi-threaded run: the batch split (here) or the input split
 *  (./input-step.ts). The leader and the shards run the same take(); the leader then waits for done(K). */
export interface StepPart {
  /** This thread's share of step K: claims items until none is left, waiting between phases. */
  take(K: number, waiter: Waiter): void;
  /** Step K is over once control[at] ≥ target. */
  done(K: number): { at: number; target: number };
  /** The step's summed loss, once it is over. */
  loss(): number;
  /** True when the next step may start before done(K) (its items wait for what they read of step K);
   *  then whoever reads the parameters between steps waits for done(K) first. */
  overlapsNext?: boolean;
}

/** The batch split's part: slices of the batch, then ranges of the parameters. (A class: its methods are
 *  the same functions in every run, where closures made per run cost a recompile at a thread's second run.) */
export class BatchSplitPart implements StepPart {
  constructor(private readonly w: StepWorker) {}

  take(K: number, waiter: Waiter): void {
    computeSlices(this.w, K);
    waiter.waitAtLeast(SLICES_DONE, this.w.ch.threads * K);
    updateRanges(this.w, K);
  }

  done(K: number): { at: number; target: number } {
    return { at: RANGES_DONE, target: this.w.ch.threads * K };
  }

  loss(): number {
    let sum = 0;
    for (let s = 0; s < this.w.ch.threads; s++) sum += this.w.ch.losses[s];
    return sum;
  }
}

/** One thread's means to do any item of a batch-split step. */
export interface StepWorker {
  ch: Channel;
  data: Pick<TrainingData, 'pixels' | 'labels'>;
  kernels: Kernels;
  optimizer: OptimizerSettings;
  /** nets[s]: this thread's network (its activations, the shared params) with grads_s as its gradient. */
  nets: Network[];
}

/** nets[s] for a thread whose network is `net`: the same buffers but grads_s (views of the shared memory). */
export function sliceNetworks(net: Network, ch: Channel): Network[] {
  return ch.views.grads.map((grads) => (grads === net.grads ? net : networkOf({ ...net, grads, g: viewParams(grads, net.layerSizes) })));
}

/** Step K's batch, which a thread that claimed one of step K's items reads (the leader published it
 *  before step K, and replaces it only after every item of step K is done). */
export function publishedBatch(ch: Channel, K: number): Batch {
  const batch = batchOf(ch, K);
  if (!batch) throw new Error(`step ${K}'s batch is not in the channel`);
  return batch;
}

/**
 * Claims the next unclaimed item of step K from the counter control[at] (items (K−1)·T … K·T−1);
 * returns its index 0…T−1, or −1 when all are taken (or step K is over: a thread that woke late).
 */
function claim(control: Int32Array, at: number, K: number, T: number): number {
  for (;;) {
    const c = Atomics.load(control, at);
    if (c >= K * T) return -1;
    if (Atomics.compareExchange(control, at, c, c + 1) === c) return c - (K - 1) * T;
  }
}

/**
 * Computes slices of step K's batch until none is left: slice s's gradient (of loss / the whole batch's
 * rows) into grads_s, its loss sum into losses[s]. grads_0 is zeroed even when its slice is empty (it is
 * where the sum goes); other empty slices are left alone (the sum skips them).
 */
export function computeSlices(w: StepWorker, K: number): void {
  const { ch } = w;
  const c = ch.control;
  const T = ch.threads;
  for (let s = claim(c, CLAIM_SLICES, K, T); s >= 0; s = claim(c, CLAIM_SLICES, K, T)) {
    const { order, start, count } = publishedBatch(ch, K);
    const { first, end } = sliceOf(s, T, count);
    const net = w.nets[s];
    let loss = 0;
    if (end > first) {
      loss = computeGradient(net, w.data, order, start + first, end - first, count);
    } else if (s === 0) {
      zeroGrads(net);
    }
    ch.losses[s] = loss;
    Atomics.add(c, SLICES_DONE, 1);
  }
}

/** After every slice of step K is in: sums and updates ranges of the parameters until none is left. */
export function updateRanges(w: StepWorker, K: number): void {
  const c = w.ch.control;
  const T = w.ch.threads;
  for (let r = claim(c, CLAIM_RANGES, K, T); r >= 0; r = claim(c, CLAIM_RANGES, K, T)) {
    reduceAndUpdate(w.kernels, w.optimizer, w.ch.views, r, T, publishedBatch(w.ch, K).count, c[STEP]);
    Atomics.add(c, RANGES_DONE, 1);
  }
}
