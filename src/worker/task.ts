// The Piscina task entry: runs one training run in a worker thread. Thin on purpose — the logic is in
// ./core/run.ts; this file adapts it to Node (the MessagePort, the clock) and checks its input.
import type { MessagePort } from 'node:worker_threads';
import type { DatasetData } from '../shared/dataset';
import { type KernelName, parseTrainConfig, type TrainConfig, type TrainerState, type TrainResult } from '../shared/training';
import { naiveKernels, type Kernels } from './core/kernels';
import { plainKernels } from './core/kernels-plain';
import { runTraining } from './core/run';

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
  /** Default 'plain'. */
  kernels?: KernelName;
}

export function kernelsByName(name: KernelName): Kernels {
  if (name === 'plain') return plainKernels;
  if (name === 'naive') return naiveKernels;
  throw new Error(`kernels '${name}' are not available in this build (have: plain, naive)`);
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
  return runTraining(
    {
      config,
      train: { pixels: train.pixels, labels: train.labels, rows: train.rows, inputSize, classes: train.classes },
      test: test?.labels ? { pixels: test.pixels, labels: test.labels, rows: test.rows } : null,
      state: input.state ?? null,
      kernels: kernelsByName(input.kernels ?? 'plain'),
    },
    {
      post: (message) => input.port.postMessage(message),
      control: input.control,
      now: () => performance.now(),
    },
  );
}
