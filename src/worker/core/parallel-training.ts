// What the Trainer needs of a run on several threads (src/worker/parallel implements it with a Leader).
import type { Network } from './network';

/**
 * A data-parallel run as the Trainer sees it: where the parameters, this thread's gradient and the
 * optimizer's moments live (memory the other threads share; the Trainer allocates none of them), and the
 * step that does a whole update with the other threads.
 */
export interface ParallelTraining {
  params: Float32Array;
  grads: Float32Array;
  /** The optimizer's moments (null when it keeps none: m for momentum and Adam, v for RMSprop and Adam). */
  m: Float32Array | null;
  v: Float32Array | null;
  /**
   * One optimizer update at step t (1-based) on the batch of `count` rows order[start…start+count) (rows
   * start… when order is null): the batch's mean-loss gradient, then the update of every parameter —
   * as a single-thread step does; returns the batch's summed loss. next: the batch of the step after this
   * one, in the same order, when it is known (not at an epoch's last step): threads that would wait inside
   * this step prepare its inputs.
   */
  step(net: Network, order: Uint32Array | null, start: number, count: number, t: number, next?: { start: number; count: number } | null): number;
  /** Waits until the last step has updated every parameter (the other threads may still be finishing it
   *  when step() returns); the Trainer calls it before it reads the parameters. */
  settle(): void;
  /** Steps so far that this thread took alone, the other threads left out (to try it, or because they made
   *  the steps slower: ../parallel/thread-choice.ts). The numbers are the same either way. */
  stepsAlone(): number;
  /** True while this thread keeps the steps to itself for now (the others made them slower; not during a
   *  short trial of either way). */
  onOneThread(): boolean;
}
