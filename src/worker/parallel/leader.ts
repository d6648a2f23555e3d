// The leader's side of a data-parallel run (see ./channel.ts): the ParallelTraining step the run's Trainer
// calls. It hands the batch to the shards, computes its own slice's gradient into grads_0 meanwhile, waits
// until every gradient is in, sums and updates its range of the parameters, and waits until the shards
// have updated theirs. Nothing is copied: parameters, moments and gradients live once, in shared memory.
// Waits poll for at most SPIN_MS, then sleep in slices, checking the shards' status in between: no
// unbounded spin, no hang on a failed shard.
import type { Kernels } from '../core/kernels';
import type { OptimizerSettings } from '../core/optimizers';
import { accumulateGradient, type ParallelTraining, type TrainingData } from '../core/trainer';
import {
  type Channel, CMD_STEP, CMD_STOP, COMMAND, COUNT, failureMessage, GEN, GRADS, hasFailed, ORDERED, sliceOf, START, STEP, UPDATED, waitAtLeast, wakeAll,
} from './channel';
import { reduceAndUpdate } from './update';

/** A shard silent this long (ms) within one step was killed without a word (e.g. out of memory). */
const SILENT_SHARD_MS = 60_000;

export class Leader {
  private readonly ch: Channel;
  private readonly data: Pick<TrainingData, 'pixels' | 'labels'>;
  private readonly kernels: Kernels;
  private readonly optimizer: OptimizerSettings;
  /** Steps issued so far (the barriers' counters reach threads × steps). */
  private steps = 0;
  private stopped = false;

  /** kernels: this thread's, on the shared memory (they must accept views of the common region). */
  constructor(ch: Channel, data: Pick<TrainingData, 'pixels' | 'labels'>, kernels: Kernels, optimizer: OptimizerSettings) {
    this.ch = ch;
    this.data = data;
    this.kernels = kernels;
    this.optimizer = optimizer;
    const { views } = ch;
    this.parallel = { params: views.params, grads: views.grads[0], m: views.m, v: views.v, step: this.step };
  }

  /** For TrainerOptions.parallel / RunInput.parallel. */
  readonly parallel: ParallelTraining;

  private readonly step = (net: Parameters<ParallelTraining['step']>[0], order: Uint32Array | null, start: number, count: number, t: number): number => {
    const { ch } = this;
    const T = ch.threads;
    const c = ch.control;
    if (this.stopped) throw new Error('the data-parallel shards were already stopped');
    this.checkShards(0);
    if (net.grads !== ch.views.grads[0]) throw new TypeError("the leader's network must use the shared grads_0 (TrainerOptions.parallel)");
    // The step's inputs, then GEN: the shards' Atomics.wait/load on GEN orders these writes before their reads.
    if (order) {
      if (count > ch.rows.length) throw new RangeError(`a batch of ${count} rows exceeds the shared row list (${ch.rows.length})`);
      ch.rows.set(order.subarray(start, start + count));
      c[ORDERED] = 1;
      c[START] = 0;
    } else {
      c[ORDERED] = 0;
      c[START] = start;
    }
    c[COUNT] = count;
    c[STEP] = t;
    c[COMMAND] = CMD_STEP;
    const k = ++this.steps;
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);

    net.grads.fill(0);
    const own = sliceOf(0, T, count);
    let lossSum = own.end > own.first ? accumulateGradient(net, this.data, order, start + own.first, own.end - own.first, count) : 0;
    Atomics.add(c, GRADS, 1);
    Atomics.notify(c, GRADS);
    waitAtLeast(c, GRADS, T * k, this.checkShards);
    reduceAndUpdate(this.kernels, this.optimizer, ch.views, 0, T, count, t);
    waitAtLeast(c, UPDATED, (T - 1) * k, this.checkShards);
    for (let s = 1; s < T; s++) lossSum += ch.losses[s];
    return lossSum;
  };

  /** Tells the shards to finish (idempotent); their threads then end on their own. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const c = this.ch.control;
    c[COMMAND] = CMD_STOP;
    Atomics.add(c, GEN, 1);
    wakeAll(c);
  }

  /** Throws the first failed shard's message, or gives up on a shard silent for SILENT_SHARD_MS. */
  private readonly checkShards = (quietMs: number): void => {
    for (let s = 1; s < this.ch.threads; s++) {
      if (hasFailed(this.ch, s)) {
        this.stop();
        throw new Error(`data-parallel training failed in shard thread ${s} of ${this.ch.threads}: ${failureMessage(this.ch, s)}`);
      }
    }
    if (quietMs >= SILENT_SHARD_MS) {
      this.stop();
      throw new Error(`data-parallel training failed: a shard thread has not answered for ${SILENT_SHARD_MS / 1000} s`);
    }
  };
}
