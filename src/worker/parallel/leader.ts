// The leader's side of a data-parallel run (see ./channel.ts, ./part.ts): the ParallelTraining step the
// run's Trainer calls. It hands the batch to the shards, then works on the step like any of them — by the
// run's split: slices of the batch then ranges of the parameters (./step.ts), or parts of the first
// layer's inputs (./input-step.ts) — and returns once every parameter is updated.
// Nothing is copied: parameters, moments and gradients live once, in shared memory.
// Waits poll for at most SPIN_MS, then sleep in short slices, checking the shards' status in between: no
// unbounded spin, no hang on a failed shard.
import type { Kernels } from '../core/kernels';
import type { Network } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import type { ParallelTraining } from '../core/parallel-training';
import type { TrainingData } from '../core/trainer';
import { ASLEEP_FOR_STEP, type Batch, batchOf, type Channel, clock, CMD_STEP, CMD_STOP, COMMAND, failureMessage, GEN, hasFailed, LEADER_ALONE, STEP, STEP_INDEX, type WaitCheck, waitAtLeast, wakeAll, writeBatch } from './channel';
import { stepPartFor } from './part';
import type { StepPart, Waiter } from './step';
import type { ThreadChoice } from './thread-choice';

/**
 * Publishes step K (the optimizer's step t) on `batch`: its batch — unless it went out with step K − 1 as
 * that step's next — and `next`, step K+1's batch when the Trainer knows it (threads that would wait inside
 * step K gather its pixels ahead), then STEP_INDEX and GEN — the shards' atomic reads of those order these
 * writes before their reads — and wakes the shards asleep in their wait for it (waitForNextStep). The step
 * never waits for one to wake.
 */
export function publishStep(ch: Pick<Channel, 'control' | 'rowLists'>, batch: Batch, t: number, K: number, next: Batch | null = null): void {
  const c = ch.control;
  const announced = batchOf(ch, K);
  if (!announced) writeBatch(ch, K, batch);
  else if (!sameBatch(announced, batch)) throw new Error(`step ${K} is not the batch published as the next one with step ${K - 1}`);
  // step K+1's slots held step K − 1's batch, which nobody reads any more: its middle items are done (the
  // leader waited for them in step K − 1) and its backward items read only their pixel columns
  if (next) writeBatch(ch, K + 1, next);
  c[STEP] = t;
  Atomics.store(c, COMMAND, CMD_STEP);
  Atomics.store(c, STEP_INDEX, K);
  Atomics.add(c, GEN, 1);
  if (Atomics.load(c, ASLEEP_FOR_STEP) > 0) Atomics.notify(c, GEN);
}

/** Whether a batch read back from the channel (batchOf) is `batch`: the same size, and the same first row
 *  (a shuffled batch's rows are a copy; the Trainer's order does not change within an epoch). */
function sameBatch(published: Batch, batch: Batch): boolean {
  if (published.count !== batch.count || (published.order === null) !== (batch.order === null)) return false;
  if (!published.order || !batch.order) return published.start === batch.start;
  return published.count === 0 || published.order[0] === batch.order[batch.start];
}

/** A shard silent this long (ms) within one step was killed without a word (e.g. out of memory). */
const SILENT_SHARD_MS = 60_000;

/** The leader: the run's ParallelTraining (the Trainer calls its methods; the leader is its own `parallel`),
 *  and the waiter and failure check of its waits. Methods, not closures made per run: the step's optimized
 *  code then calls the same functions in every run of the thread (see ./input-step.ts). */
export class Leader implements ParallelTraining, Waiter, WaitCheck {
  /** For TrainerOptions.parallel / RunInput.parallel: this leader. */
  readonly parallel: ParallelTraining = this;
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly m: Float32Array | null;
  readonly v: Float32Array | null;

  private readonly ch: Channel;
  private readonly data: Pick<TrainingData, 'pixels' | 'labels'>;
  private readonly kernels: Kernels;
  private readonly optimizer: OptimizerSettings;
  private part: StepPart | null = null;
  /** The network the part was made for (the Trainer's). */
  private partNet: Network | null = null;
  /** Steps issued so far (K of the last one). */
  private steps = 0;
  /** Steps this thread took alone (the shards left out by the choice). */
  private aloneSteps = 0;
  private stopped = false;

  /** Whether the shards take part in the next step (null: always). */
  private readonly choice: ThreadChoice | null;

  /** kernels: this thread's, on the shared memory (they must accept views of the common region).
   *  choice: decides from the steps' times whether the shards take part (null: they always do). */
  constructor(ch: Channel, data: Pick<TrainingData, 'pixels' | 'labels'>, kernels: Kernels, optimizer: OptimizerSettings, choice: ThreadChoice | null = null) {
    this.choice = choice;
    this.ch = ch;
    this.data = data;
    this.kernels = kernels;
    this.optimizer = optimizer;
    const { views } = ch;
    this.params = views.params;
    this.grads = views.grads[0];
    this.m = views.m;
    this.v = views.v;
  }

  step(net: Network, order: Uint32Array | null, start: number, count: number, t: number, next: { start: number; count: number } | null = null): number {
    const { ch } = this;
    const c = ch.control;
    if (this.stopped) throw new Error('the data-parallel shards were already stopped');
    this.check(0);
    if (net.grads !== ch.views.grads[0]) throw new TypeError("the leader's network must use the shared grads_0 (TrainerOptions.parallel)");
    if (this.partNet !== net || !this.part) {
      this.part = stepPartFor(ch, this.data, this.kernels, this.optimizer, net, 0);
      this.partNet = net;
    }
    const K = ++this.steps;
    const started = clock.now();
    const alone = this.choice?.mode === 'leader';
    if (alone) this.aloneSteps++;
    // published with the step (GEN); shards left out sleep until told they are back
    if (Atomics.exchange(c, LEADER_ALONE, alone ? 1 : 0) === 1 && !alone) Atomics.notify(c, LEADER_ALONE);
    publishStep(ch, { order, start, count }, t, K, next && { order, start: next.start, count: next.count });

    this.part.take(K, this);
    if (!this.part.overlapsNext) this.settle();
    this.choice?.record((clock.now() - started) / 1000);
    return this.part.loss();
  }

  /** Waits until the last step's every item is done (its parameters all updated). */
  settle(): void {
    if (!this.part || this.steps === 0 || this.stopped) return;
    const done = this.part.done(this.steps);
    this.waitAtLeast(done.at, done.target);
  }

  stepsAlone(): number {
    return this.aloneSteps;
  }

  onOneThread(): boolean {
    return this.choice?.keepsLeaderAlone ?? false;
  }

  /** Waiter: until control[at] ≥ target, checking the shards as it waits. */
  waitAtLeast(at: number, target: number): void {
    waitAtLeast(this.ch.control, at, target, this);
  }

  /** Tells the shards to finish (idempotent); their threads then end on their own. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const c = this.ch.control;
    Atomics.store(c, COMMAND, CMD_STOP);
    Atomics.add(c, GEN, 1);
    wakeAll(c);
  }

  /** WaitCheck: throws the first failed shard's message, or gives up on a shard silent for SILENT_SHARD_MS. */
  check(quietMs: number): void {
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
  }
}
