// How a run on several threads is divided and how much shared memory it takes, known before any thread starts or
// its data is at hand: pure arithmetic, for the plan (./plan.ts) and for sizing a run (../run-memory.ts, also the
// renderer's Train form).
import type { KernelName, SplitName, TrainConfig } from '../../shared/training';
import { arenaBytesFor } from '../core/buffers';
import { paramLayout } from '../core/network';
import { MAX_PASS_ROWS, plannedSteps, trainerFloat32Lengths } from '../core/sizing';
import type { TrainingData } from '../core/trainer';
import { exchangeFloats, type InputSplit, restParamsOf } from './input-split';
import { type SharedLayout, sharedLayout, WASM_SCRATCH_BYTES } from './layout';

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

/** The shared memory's layout for a run on `threads` threads: split by the inputs as `inputSplit` cuts them, or by
 *  the batch when it is null (a gradient buffer per thread). */
export function parallelLayout(threads: number, config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>, kernels: KernelName, inputSplit: InputSplit | null): SharedLayout {
  const sizes = layerSizesOf(config, data);
  const opt = config.optimizer;
  return sharedLayout({
    threads,
    paramCount: paramLayout(sizes).total,
    m: opt === 'momentum' || opt === 'adam',
    v: opt === 'rmsprop' || opt === 'adam',
    // every thread's arena as large as the leader's (its passes are the longest)
    arenaBytes: arenaBytesFor(trainerFloat32Lengths(config, data, true)),
    scratchBytes: kernels === 'wasm' ? WASM_SCRATCH_BYTES : 0,
    ...(inputSplit ? { gradBuffers: 1, exchangeFloats: exchangeFloats(inputSplit, { batch: batchRows(config, data), OC: sizes[1], restParams: restParamsOf(sizes) }) } : {}),
  });
}

/** The bytes of the shared memory a run on `threads` (≥ 2) threads would make, split as chooseSplit says — before
 *  its data is at hand (the input split's cuts are taken even: where they fall moves the size by a few floats). */
export function parallelMemoryBytes(threads: number, config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>, kernels: KernelName): number {
  const evenCuts = (): InputSplit => ({ bounds: Array.from({ length: threads + 1 }, (_, t) => Math.round((t * data.inputSize) / threads)) });
  return parallelLayout(threads, config, data, kernels, chooseSplit(config, data, threads) === 'inputs' ? evenCuts() : null).bytes;
}

export function batchRows(config: TrainConfig, data: Pick<TrainingData, 'rows'>): number {
  return plannedSteps(config, data.rows).batchSize;
}

export function layerSizesOf(config: TrainConfig, data: Pick<TrainingData, 'inputSize' | 'classes'>): number[] {
  return [data.inputSize, ...config.hidden.map((h) => h.units), data.classes];
}
