// A shard's side of a data-parallel run (see ./channel.ts, ./part.ts): waits for the leader's next step,
// then works on it like any thread, by the run's split (./step.ts, ./input-step.ts), with its own network
// whose parameters are the run's shared params: nothing is copied.
// Any error is reported through the channel, never left to hang the leader.
// Pure: the entry (src/worker/shard-task.ts) supplies the kernels and the allocator (of its arena).
import type { Allocator } from '../core/buffers';
import type { Kernels } from '../core/kernels';
import { createNetwork, type NetworkSpec } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import type { TrainingData } from '../core/trainer';
import { type Channel, CMD_STOP, COMMAND, LEADER_ALONE, reportFailure, sleepWhileLeaderAlone, STATUS_FAILED, STEP_INDEX, waitAtLeast, waitForNextStep } from './channel';
import { stepPartFor } from './part';

export interface ShardSetup {
  /** This shard's thread index, 1…threads−1. */
  index: number;
  spec: NetworkSpec;
  /** Rows per forward/backward pass (the network's buffers). */
  maxRows: number;
  data: Pick<TrainingData, 'pixels' | 'labels'>;
  optimizer: OptimizerSettings;
  /** Tests only: throw once the run reaches this step (1-based). */
  failAtStep?: number;
}

/** Thrown inside a wait when the leader stopped the run: the shard ends quietly. */
class Stopped extends Error {}

/** Builds the shard's network (allocator: its arena's); returns the loop to run (blocking until the leader
 *  stops the run): true when it ended on the stop, false when it reported a failure through the channel. */
export function createShard(ch: Channel, setup: ShardSetup, kernels: Kernels, allocator: Allocator): () => boolean {
  const { views } = ch;
  // its own gradient in a batch split; the one gradient in an input split (each item writes its own part)
  const grads = ch.buffers.split ? views.grads[0] : views.grads[setup.index];
  const net = createNetwork(setup.spec, setup.maxRows, kernels, allocator, { params: views.params, grads });
  const part = stepPartFor(ch, setup.data, kernels, setup.optimizer, net, setup.index);
  const c = ch.control;
  const stopped = () => {
    if (Atomics.load(c, COMMAND) === CMD_STOP) throw new Stopped();
  };
  const wait = (at: number, target: number) => waitAtLeast(c, at, target, stopped);
  return () => {
    let gen = 0;
    try {
      for (;;) {
        gen = waitForNextStep(c, gen);
        if (Atomics.load(c, COMMAND) === CMD_STOP) return true;
        if (Atomics.load(c, LEADER_ALONE) === 1) {
          // Left out (the leader finds its steps faster alone: ./thread-choice.ts): sleep, then take the latest step.
          sleepWhileLeaderAlone(c);
          continue;
        }
        // The latest step (a shard that woke late may have missed whole steps the others did without it).
        const K = Atomics.load(c, STEP_INDEX);
        if (setup.failAtStep && K >= setup.failAtStep) throw new Error(`injected failure at step ${setup.failAtStep} (tests)`);
        part.take(K, wait);
      }
    } catch (error) {
      if (error instanceof Stopped) return true;
      reportFailure(ch, setup.index, STATUS_FAILED, error instanceof Error ? error.message : String(error));
      return false;
    }
  };
}
