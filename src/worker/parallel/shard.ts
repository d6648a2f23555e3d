// A shard's side of a data-parallel run (see ./channel.ts): waits for the leader's next step, copies the
// parameters into its own network, computes the gradient of its slice of the batch with the same
// kernels the leader uses (scaled by 1/(the whole batch's rows), so the slices' gradients add up to the
// batch mean's), and hands it back. Any error is reported through the channel, never left to hang the
// leader. Pure: the entry (src/worker/shard-task.ts) supplies the kernels and the allocator.
import type { Allocator } from '../core/buffers';
import type { Kernels } from '../core/kernels';
import { createNetwork, type NetworkSpec } from '../core/network';
import { accumulateGradient, type TrainingData } from '../core/trainer';
import {
  type Channel, CMD_STOP, COMMAND, COUNT, DONE, GEN, ORDERED, reportFailure, sliceOf, spinUntilChanged, START, STATUS_FAILED,
} from './channel';

/** A shard never blocks longer than this without re-reading the generation counter. */
const WAIT_SLICE_MS = 1000;

export interface ShardSetup {
  /** This shard's thread index, 1…threads−1. */
  index: number;
  spec: NetworkSpec;
  /** Rows per forward/backward pass (the network's buffers). */
  maxRows: number;
  data: Pick<TrainingData, 'pixels' | 'labels'>;
  /** Tests only: throw at this step of the shard (1-based). */
  failAtStep?: number;
}

/** Builds the shard's network; returns the loop to run (blocking until the leader stops it). */
export function createShard(ch: Channel, setup: ShardSetup, kernels: Kernels, allocator: Allocator): () => void {
  const { index, data } = setup;
  const net = createNetwork(setup.spec, setup.maxRows, kernels, allocator);
  if (net.size !== ch.paramCount) throw new RangeError(`shard ${index}: the network has ${net.size} parameters, the leader ${ch.paramCount}`);
  const c = ch.control;
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
        const { first, end } = sliceOf(index, ch.threads, count);
        let loss = 0;
        if (end > first) {
          net.params.set(ch.params);
          net.grads.fill(0);
          const ordered = c[ORDERED] === 1;
          loss = accumulateGradient(net, data, ordered ? ch.rows : null, (ordered ? 0 : c[START]) + first, end - first, count);
          ch.grads[index].set(net.grads);
        }
        ch.losses[index] = loss;
        Atomics.add(c, DONE, 1);
        Atomics.notify(c, DONE);
      }
    } catch (error) {
      reportFailure(ch, index, STATUS_FAILED, error instanceof Error ? error.message : String(error));
    }
  };
}
