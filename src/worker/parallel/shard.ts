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
import { type Channel, CMD_STOP, COMMAND, LEADER_ALONE, reportFailure, sleepWhileLeaderAlone, STATUS_FAILED, STEP_INDEX, type WaitCheck, waitAtLeast, waitForNextStep } from './channel';
import { stepPartFor } from './part';
import type { StepPart, Waiter } from './step';

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
  const shard = new Shard(ch, setup, kernels, allocator);
  return () => shard.loop();
}

/** A shard's run: its part of every step, and the waiter and stop check of its waits (methods, not
 *  closures made per run: the step's optimized code calls the same functions in every run of the thread,
 *  see ./input-step.ts). */
class Shard implements Waiter, WaitCheck {
  private readonly part: StepPart;
  private readonly c: Int32Array;

  constructor(
    private readonly ch: Channel,
    private readonly setup: ShardSetup,
    kernels: Kernels,
    allocator: Allocator,
  ) {
    const { views } = ch;
    // its own gradient in a batch split; the one gradient in an input split (each item writes its own part)
    const grads = ch.buffers.split ? views.grads[0] : views.grads[setup.index];
    const net = createNetwork(setup.spec, setup.maxRows, kernels, allocator, { params: views.params, grads });
    this.part = stepPartFor(ch, setup.data, kernels, setup.optimizer, net, setup.index);
    this.c = ch.control;
  }

  loop(): boolean {
    const { c, setup } = this;
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
        this.part.take(K, this);
      }
    } catch (error) {
      if (error instanceof Stopped) return true;
      reportFailure(this.ch, setup.index, STATUS_FAILED, error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  /** Waiter: until control[at] ≥ target, giving up when the leader stops the run. */
  waitAtLeast(at: number, target: number): void {
    waitAtLeast(this.c, at, target, this);
  }

  /** WaitCheck: throws Stopped once the leader has stopped the run. */
  check(): void {
    if (Atomics.load(this.c, COMMAND) === CMD_STOP) throw new Stopped();
  }
}
