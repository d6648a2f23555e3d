// Planning a run on several threads before any thread starts: how a step is divided (chooseSplit), the
// shared memory and its layout, the channel, and what every shard needs to build its network. Pure: the
// task entry (src/worker/task.ts) starts the threads; tests run a leader alone on the same plan.
import type { KernelName, SplitName, TrainConfig } from '../../shared/training';
import { arenaBytesFor } from '../core/buffers';
import { type NetworkSpec, paramLayout } from '../core/network';
import type { OptimizerSettings } from '../core/optimizers';
import { MAX_PASS_ROWS, passRows, trainerFloat32Lengths } from '../core/sizing';
import type { TrainingData } from '../core/trainer';
import { type ChannelBuffers, createChannelBuffers } from './channel';
import { balancedSplit, exchangeFloats, restParamsOf } from './input-split';
import { createSharedMemory, sharedLayout, WASM_SCRATCH_BYTES } from './memory';

/**
 * The split a run on `threads` threads uses unless told: by the first layer's inputs when its batch is one
 * pass (≤ MAX_PASS_ROWS rows), there are at least as many input columns as threads, and the first layer
 * does at least half the multiply-adds (784-128-10: 99%) — then no gradient is summed across threads and
 * every GEMM keeps the whole batch; else by the batch's rows.
 */
export function chooseSplit(config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>, threads: number): SplitName {
  const batch = batchRows(config, data);
  const sizes = layerSizesOf(config, data);
  let rest = 0;
  for (let l = 1; l + 1 < sizes.length; l++) rest += sizes[l] * sizes[l + 1];
  return batch <= MAX_PASS_ROWS && data.inputSize >= threads && sizes[0] * sizes[1] >= rest ? 'inputs' : 'batch';
}

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
  const steps = config.duration.unit === 'epochs' ? config.duration.count * Math.ceil((data.rows - config.devRows) / batch) : config.duration.count;
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
  const layout = sharedLayout({
    threads,
    paramCount: paramLayout(sizes).total,
    m: opt === 'momentum' || opt === 'adam',
    v: opt === 'rmsprop' || opt === 'adam',
    // every thread's arena as large as the leader's (its passes are the longest)
    arenaBytes: arenaBytesFor(trainerFloat32Lengths(config, data, true)),
    scratchBytes: kernels === 'wasm' ? WASM_SCRATCH_BYTES : 0,
    ...(inputSplit ? { gradBuffers: 1, exchangeFloats: exchangeFloats(inputSplit, { batch, OC: sizes[1], restParams: restParamsOf(sizes) }) } : {}),
  });
  return {
    channel: createChannelBuffers(batch, createSharedMemory(kernels, layout), layout, inputSplit),
    spec: { layerSizes: sizes, activations: config.hidden.map((h) => h.activation), loss: config.loss },
    // as the Trainer sizes its passes (an input split's middle takes the whole batch)
    maxRows: passRows(inputSplit ? batch : Math.ceil(batch / threads)),
    optimizer: { optimizer: opt, learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon },
  };
}

function batchRows(config: TrainConfig, data: Pick<TrainingData, 'rows'>): number {
  const trainRows = data.rows - config.devRows;
  return config.batchSize === 'full' ? trainRows : Math.min(config.batchSize, trainRows);
}

function layerSizesOf(config: TrainConfig, data: Pick<TrainingData, 'inputSize' | 'classes'>): number[] {
  return [data.inputSize, ...config.hidden.map((h) => h.units), data.classes];
}
