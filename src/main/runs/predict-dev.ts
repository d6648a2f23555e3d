// A finished run's dev-set predictions recomputed from its saved weights — what the Evaluate view's
// confusion-matrix cells show after a restart, when the predictions the run's task reported are gone. Runs
// on the calling thread with the WASM kernels, once per run and session (784-128-10, measured: 13 ms for a
// 1,000-row dev set, 49 ms for 6,000, the first call 33 ms with the kernels' compile), so no training
// thread is taken from the runs that are training.
import type { DevPredictions, KernelName, TrainConfig, TrainerState } from '../../shared/training';
import { Trainer } from '../../worker/core/trainer';
import { backendFor, preferredKernels } from '../../worker/task';
import type { RunData } from './manager';
import { enableRelaxedSimd } from '../wasm-features';

/** kernels: those the run trained with (default: the training pool's, WASM SIMD where available). */
export function predictDev(config: TrainConfig, runData: RunData, state: TrainerState, kernels: KernelName = preferredKernels()): DevPredictions {
  const { data, devRows } = runData;
  if (!data.labels) throw new Error(`'${runData.datasetName}' has no labels`);
  enableRelaxedSimd();
  const train = { pixels: data.pixels, labels: data.labels, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
  const runConfig = { ...config, devRows };
  const backend = backendFor(kernels, runConfig, train);
  const trainer = new Trainer(runConfig, train, { kernels: backend.kernels, allocator: backend.allocator, state });
  const record = { predicted: new Uint8Array(devRows), confidence: new Float32Array(devRows) };
  trainer.evaluateDev(record);
  return record;
}
