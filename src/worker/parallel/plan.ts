// Planning a run on several threads before any thread starts: how a step is divided (chooseSplit), the
// shared memory and its layout, the channel, and what every shard needs to build its network. Pure: the
// task entry (src/worker/task.ts) starts the threads; tests run a leader alone on the same plan.
import type { KernelName, SplitName, TrainConfig } from '../../shared/training';
import type { NetworkSpec } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import { MAX_PASS_ROWS, passRows, plannedSteps } from '../core/sizing';
import type { TrainingData } from '../core/trainer';
import { type ChannelBuffers, createChannelBuffers } from './channel';
import { balancedSplit } from './input-split';
import { createSharedMemory } from './memory';
import { batchRows, layerSizesOf, parallelLayout } from './split-sizing';

export { chooseSplit } from './split-sizing';

export interface ParallelPlan {
  /** Sent to every shard (structured clone keeps the memory shared). */
  channel: ChannelBuffers;
  spec: NetworkSpec;
  /** Rows per forward/backward pass of every thread's network. */
  maxRows: number;
  optimizer: OptimizerSettings;
}

/** The channel's step counters are Int32s (Atomics) that reach steps × items per step. */
const MAX_COUNT = 2 ** 31 - 1;

/** Lays out and creates the shared memory and channel of a run on `threads` threads, split by `split`. */
export function planParallelRun(threads: number, config: TrainConfig, data: TrainingData, kernels: KernelName, split: SplitName): ParallelPlan {
  if (split !== 'inputs' && split !== 'batch') throw new TypeError(`split must be 'inputs' or 'batch', got '${String(split)}'`);
  const sizes = layerSizesOf(config, data);
  const batch = batchRows(config, data);
  const opt = config.optimizer;
  const steps = plannedSteps(config, data.rows).totalSteps;
  const itemsPerStep = split === 'inputs' ? threads + 1 : threads;
  if (steps * itemsPerStep > MAX_COUNT) {
    throw new RangeError(`a run of ${steps} steps is too long to share across ${threads} threads (they count its steps in 32 bits); train it on one thread or for fewer steps`);
  }
  let inputSplit = null;
  if (split === 'inputs') {
    if (batch > MAX_PASS_ROWS) throw new RangeError(`splitting by inputs takes a batch in one pass: ${batch} rows exceed ${MAX_PASS_ROWS}; split by the batch`);
    if (data.inputSize < threads) throw new RangeError(`splitting ${data.inputSize} inputs across ${threads} threads leaves some with none; split by the batch`);
    inputSplit = balancedSplit(data.pixels, data.rows, data.inputSize, threads);
  }
  const layout = parallelLayout(threads, config, data, kernels, inputSplit);
  return {
    channel: createChannelBuffers(batch, createSharedMemory(kernels, layout), layout, inputSplit),
    spec: { layerSizes: sizes, activations: config.hidden.map((h) => h.activation), loss: config.loss },
    // as the Trainer sizes its passes (an input split's middle takes the whole batch)
    maxRows: passRows(inputSplit ? batch : Math.ceil(batch / threads)),
    optimizer: { optimizer: opt, learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon },
  };
}
