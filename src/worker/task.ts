// The Piscina task entry: runs one training run in a worker thread. Thin on purpose — the logic is in
// ./core/run.ts; this file adapts it to Node (the MessagePort, the clock) and checks its input.
import type { MessagePort } from 'node:worker_threads';
import type { DatasetData } from '../shared/dataset';
import { type KernelName, parseTrainConfig, type TrainConfig, type TrainerState, type TrainResult } from '../shared/training';
import type { Allocator } from './core/buffers';
import { naiveKernels, type Kernels } from './core/kernels';
import { plainKernels } from './core/kernels-plain';
import { runTraining } from './core/run';
import { trainerFloat32Lengths, type TrainingData } from './core/trainer';
import { createWasmSimdBackend, wasmFloatsFor, wasmSimdSupported } from './wasm';

export interface TrainTaskInput {
  config: TrainConfig;
  /** The training file; its first config.devRows rows are the dev set. Labels required. */
  train: DatasetData;
  /** A separate labelled test set, evaluated after every epoch. */
  test?: DatasetData | null;
  /** Receives TrainMessage objects ('step', 'epoch', then 'done'); the caller closes it after 'done'. */
  port: MessagePort;
  /** Int32Array on a SharedArrayBuffer: [0] = 0 run, 1 pause, 2 stop (see CONTROL). */
  control: Int32Array;
  /** Resume from a checkpoint (an 'epoch' message's state). */
  state?: TrainerState | null;
  /** Default: preferredKernels() (WASM SIMD where available). */
  kernels?: KernelName;
}

/** The kernels to use when none are named: WebAssembly SIMD where this runtime has it, else plain TS. */
export function preferredKernels(): KernelName {
  return wasmSimdSupported() ? 'wasm' : 'plain';
}

/**
 * Kernels and the allocator that goes with them. The WASM backend needs every buffer in its linear memory,
 * sized up front for this config and data (trainerFloat32Lengths), so it is made per run.
 */
export function backendFor(name: KernelName, config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>): { kernels: Kernels; allocator?: Allocator } {
  if (name === 'plain') return { kernels: plainKernels };
  if (name === 'naive') return { kernels: naiveKernels };
  if (name !== 'wasm') throw new TypeError(`unknown kernels '${String(name)}' (have: wasm, plain, naive)`);
  if (!wasmSimdSupported()) throw new Error('WebAssembly SIMD is not available in this runtime; use the plain kernels');
  const backend = createWasmSimdBackend({ maxFloats: wasmFloatsFor(trainerFloat32Lengths(config, data)) });
  return { kernels: backend.kernels, allocator: backend.allocator };
}

export default async function trainTask(input: TrainTaskInput): Promise<TrainResult> {
  const config = parseTrainConfig(input.config);
  const { train, test } = input;
  if (!train.labels) throw new TypeError('The training data has no labels: a labelled file is needed to train');
  const inputSize = train.width * train.height;
  if (test) {
    if (!test.labels) throw new TypeError('The test data has no labels: a labelled test file is needed to measure accuracy');
    if (test.width !== train.width || test.height !== train.height) {
      throw new TypeError(`The test images are ${test.width}×${test.height}, the training images ${train.width}×${train.height}`);
    }
  }
  const trainingData = { pixels: train.pixels, labels: train.labels, rows: train.rows, inputSize, classes: train.classes };
  return runTraining(
    {
      config,
      train: trainingData,
      test: test?.labels ? { pixels: test.pixels, labels: test.labels, rows: test.rows } : null,
      state: input.state ?? null,
      ...backendFor(input.kernels ?? preferredKernels(), config, trainingData),
    },
    {
      post: (message) => input.port.postMessage(message),
      control: input.control,
      now: () => performance.now(),
    },
  );
}
