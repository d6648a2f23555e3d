// A shard's side of a data-parallel run (see ./channel.ts): waits for the leader's next step, computes the
// gradient of its slice of the batch into its grads_t with its own network — whose parameters are the
// run's shared params, so nothing is copied — scaled by 1/(the whole batch's rows) so the slices'
// gradients add up to the batch mean's; then, once every gradient is in, sums and updates its range of
// the parameters. Any error is reported through the channel, never left to hang the leader.
// Pure: the entry (src/worker/shard-task.ts) supplies the kernels and the allocator (of its arena).
import type { Allocator } from '../core/buffers';
import type { Kernels } from '../core/kernels';
import { createNetwork, type NetworkSpec } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import { accumulateGradient, type TrainingData } from '../core/trainer';
import {
  type Channel, CMD_STOP, COMMAND, COUNT, GEN, GRADS, ORDERED, reportFailure, sliceOf, spinUntilChanged, START, STATUS_FAILED, STEP, UPDATED, waitAtLeast,
} from './channel';
import { reduceAndUpdate } from './update';

/** A shard never blocks longer than this without re-reading the generation counter. */
const WAIT_SLICE_MS = 1000;

export interface ShardSetup {
  /** This shard's thread index, 1…threads−1. */
  index: number;
  spec: NetworkSpec;
  /** Rows per forward/backward pass (the network's buffers). */
  maxRows: number;
  data: Pick<TrainingData, 'pixels' | 'labels'>;
  optimizer: OptimizerSettings;
  /** Tests only: throw at this step of the shard (1-based). */
  failAtStep?: number;
}

/** Thrown inside a barrier wait when the leader stopped the run: the shard ends quietly. */
class Stopped extends Error {}

/** Builds the shard's network (allocator: its arena's); returns the loop to run (blocking until the leader stops it). */
export function createShard(ch: Channel, setup: ShardSetup, kernels: Kernels, allocator: Allocator): () => void {
  const { index, data } = setup;
  const T = ch.threads;
  const { views } = ch;
  const net = createNetwork(setup.spec, setup.maxRows, kernels, allocator, { params: views.params, grads: views.grads[index] });
  const c = ch.control;
  const stopped = () => {
    if (Atomics.load(c, COMMAND) === CMD_STOP) throw new Stopped();
  };
  return () => {
    let gen = 0;
    let steps = 0;
    try {
      for (;;) {
        if (!spinUntilChanged(c, GEN, gen) && Atomics.wait(c, GEN, gen, WAIT_SLICE_MS) === 'timed-out') continue;
        gen = Atomics.load(c, GEN);
        if (c[COMMAND] === CMD_STOP) return;
        steps++;
        if (steps === setup.failAtStep) throw new Error(`injected failure at step ${steps} (tests)`);
        const count = c[COUNT];
        const { first, end } = sliceOf(index, T, count);
        let loss = 0;
        if (end > first) {
          net.grads.fill(0);
          const ordered = c[ORDERED] === 1;
          loss = accumulateGradient(net, data, ordered ? ch.rows : null, (ordered ? 0 : c[START]) + first, end - first, count);
        }
        ch.losses[index] = loss;
        Atomics.add(c, GRADS, 1);
        Atomics.notify(c, GRADS);
        waitAtLeast(c, GRADS, T * steps, stopped);
        reduceAndUpdate(kernels, setup.optimizer, views, index, T, count, c[STEP]);
        Atomics.add(c, UPDATED, 1);
        Atomics.notify(c, UPDATED);
      }
    } catch (error) {
      if (error instanceof Stopped) return;
      reportFailure(ch, index, STATUS_FAILED, error instanceof Error ? error.message : String(error));
    }
  };
}
