// The leader's side of a data-parallel run: a BatchGradient for the Trainer that hands slices of each
// batch to the shards, computes its own slice meanwhile, then adds the shards' gradients to its own in
// a fixed order (thread 1, 2, …), so the result is deterministic. The Trainer then applies the
// optimizer to the leader's parameters as in a single-thread run; the next step sends them out again.
// Waits poll for at most SPIN_MS (spinUntilChanged), then sleep in Atomics.wait in slices of WAIT_SLICE_MS,
// checking the shards' status in between: no unbounded spin, no hang on a failed shard.
import type { Kernels } from '../core/kernels';
import { accumulateGradient, type BatchGradient, type TrainingData } from '../core/trainer';
import {
  type Channel, CMD_STEP, CMD_STOP, COMMAND, COUNT, DONE, failureMessage, GEN, ORDERED, sliceOf, spinUntilChanged, START, STATUS_RUNNING, statusOf,
} from './channel';

const WAIT_SLICE_MS = 1000;
/** Slices of waiting without any shard finishing before the run is failed. */
const SILENT_SHARD_SLICES = 60;

export class Leader {
  private readonly ch: Channel;
  private readonly data: Pick<TrainingData, 'pixels' | 'labels'>;
  /** Shard steps finished so far, as DONE should count them once every shard has reported. */
  private expectedDone = 0;
  private stopped = false;

  private readonly kernels: Kernels;
  private readonly scratch: Float32Array;

  /**
   * kernels: the run's (their sgdStep with lr = −1 adds a shard's gradient: p − (−1)·g = p + g exactly);
   * scratch[paramCount]: where a shard's gradient is copied first, from the run's allocator (for WASM
   * kernels it must be inside their memory).
   */
  constructor(ch: Channel, data: Pick<TrainingData, 'pixels' | 'labels'>, kernels: Kernels, scratch: Float32Array) {
    if (scratch.length < ch.paramCount) throw new RangeError(`the leader's scratch holds ${scratch.length} numbers, needs ${ch.paramCount}`);
    this.ch = ch;
    this.data = data;
    this.kernels = kernels;
    this.scratch = scratch;
  }

  /** For TrainerOptions.batchGradient / RunInput.batchGradient. */
  readonly batchGradient: BatchGradient = (net, order, start, count) => {
    const { ch } = this;
    const T = ch.threads;
    const c = ch.control;
    if (this.stopped) throw new Error('the data-parallel shards were already stopped');
    this.checkShards();
    if (net.size !== ch.paramCount) throw new RangeError(`the network has ${net.size} parameters, the shards ${ch.paramCount}`);
    // The step's inputs, then GEN: the shards' Atomics.wait/load on GEN orders these writes before their reads.
    ch.params.set(net.params);
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
    c[COMMAND] = CMD_STEP;
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    this.expectedDone += T - 1;

    const own = sliceOf(0, T, count);
    let lossSum = own.end > own.first ? accumulateGradient(net, this.data, order, start + own.first, own.end - own.first, count) : 0;
    this.waitForShards();
    for (let t = 1; t < T; t++) {
      const s = sliceOf(t, T, count);
      if (s.end === s.first) continue;
      // net.grads += grads[t], with the run's kernels (SIMD for WASM: a JS loop costs ~0.3 ms per step here)
      this.scratch.set(ch.grads[t]);
      this.kernels.sgdStep(net.grads, this.scratch, -1, net.size);
      lossSum += ch.losses[t];
    }
    return lossSum;
  };

  /** Tells the shards to finish (idempotent); their threads then end on their own. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const c = this.ch.control;
    c[COMMAND] = CMD_STOP;
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
  }

  private waitForShards(): void {
    const c = this.ch.control;
    let quietSlices = 0;
    for (;;) {
      const done = Atomics.load(c, DONE);
      this.checkShards();
      if (done >= this.expectedDone) return;
      if (spinUntilChanged(c, DONE, done)) continue;
      if (Atomics.wait(c, DONE, done, WAIT_SLICE_MS) !== 'timed-out') quietSlices = 0;
      // A slice of a batch takes milliseconds; a shard silent this long was killed without a word
      // (e.g. out of memory), which its own exit handler could not report.
      else if (++quietSlices >= SILENT_SHARD_SLICES) {
        this.stop();
        throw new Error(`data-parallel training failed: a shard thread has not answered for ${SILENT_SHARD_SLICES} s`);
      }
    }
  }

  /** Throws the first failed shard's message. */
  private checkShards(): void {
    for (let t = 1; t < this.ch.threads; t++) {
      if (statusOf(this.ch, t) !== STATUS_RUNNING) {
        this.stop();
        throw new Error(`data-parallel training failed in shard thread ${t} of ${this.ch.threads}: ${failureMessage(this.ch, t)}`);
      }
    }
  }
}
