// A finished run's dev-set predictions recomputed from its saved weights — what the Evaluate view's
// confusion-matrix cells show after a restart, when the predictions the run's task reported are gone. Only
// the network's forward pass over the dev rows, read where they are in the loaded data set: no training
// state (optimizer moments, the training order) and no copy of the rows arranged dev-first. Runs on the
// calling thread with the WASM kernels, once per run and session, so no training thread is taken from the
// runs that are training. Measured, 784-128-10 on Fashion-MNIST (60,000 rows), finding the rows included:
// 6,000 dev rows of a random split 47 ms (it was 93 ms arranging the rows and building a Trainer, with a
// 47 MB copy of the data), 1,000 first rows 18 ms (was 22 ms).
import type { RunDataset } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { DevPredictions, KernelName, TrainConfig, TrainerState } from '../../shared/training';
import { defaultAllocator } from '../../worker/core/buffers';
import { argmax } from '../../worker/core/metrics';
import { isAnswer } from '../../shared/metrics';
import { createNetwork, gatherRows, networkForward } from '../../worker/core/network';
import { passRows } from '../../worker/core/sizing';
import { backendFor, preferredKernels } from '../../worker/task';
import { enableRelaxedSimd } from '../wasm-features';
import type { RunData } from './manager-deps';

/** What a forward pass needs of a run's state (a model file has the same fields): [inputs, hidden…, classes] and
 *  W1, b1, W2, b2, … as one array. */
export interface NetworkWeights {
  layerSizes: readonly number[];
  params: Float32Array;
}

/** A run's dev examples where they are: dev example i is row `order[i]` of `data` (order null: row i, the data
 *  arranged dev-first) and row `rows[i]` of the loaded data set (what a matrix cell lists). */
export interface DevRows {
  datasetName: string;
  /** What the run records about its data (run-dataset.ts), to check it is the run's own. */
  dataset?: RunDataset;
  /** The loaded data set's id, when it differs from the run's (its data found again after a restart). */
  datasetId?: string;
  data: DatasetData;
  order: Uint32Array | null;
  rows: Uint32Array;
}

/** Every row of a loaded data set, where it is: what an imported model is measured on. */
export function everyRow(datasetName: string, datasetId: string, data: DatasetData): DevRows {
  return { datasetName, datasetId, data, order: null, rows: Uint32Array.from({ length: data.rows }, (_, i) => i) };
}

/** The dev rows of data arranged for training (the first devRows rows); null when it does not say which
 *  data-set rows they are. */
export function arrangedDevRows(runData: RunData): DevRows | null {
  const { datasetName, dataset, datasetId, data, devIndices } = runData;
  if (!devIndices || devIndices.length !== runData.devRows) return null;
  return { datasetName, dataset, datasetId, data, order: null, rows: devIndices };
}

/** Each dev example's predicted class and its probability under `state`'s weights; kernels: those the run
 *  trained with (default: the training pool's, WASM SIMD where available). */
export function predictDev(config: TrainConfig, state: TrainerState, dev: DevRows, kernels: KernelName = preferredKernels()): DevPredictions {
  const { data } = dev;
  const { layerSizes } = state;
  const K = layerSizes[layerSizes.length - 1];
  if (layerSizes.length !== config.hidden.length + 2 || layerSizes[0] !== data.width * data.height || K !== data.classes) {
    throw new TypeError(`the saved weights are for a ${layerSizes.join('-')} network, not one for ${data.width}×${data.height} images of ${data.classes} classes`);
  }
  const { record, passes } = devPredictions(config, state, dev, kernels);
  while (!passes.next().done); // every pass at once
  return record;
}

/** predictDev over a whole data set with a turn for the event loop after each pass (predictRows says why): an
 *  imported model measured on a data set of the user's choice, whose classes may be fewer than the model's. */
export async function predictDevInTurns(config: TrainConfig, state: NetworkWeights, dev: DevRows, kernels: KernelName = preferredKernels()): Promise<DevPredictions> {
  const { record, passes } = devPredictions(config, state, dev, kernels);
  await inTurns(passes);
  return record;
}

/** The record predictDev fills, and the passes that fill it. */
function devPredictions(config: TrainConfig, state: NetworkWeights, dev: DevRows, kernels: KernelName): { record: DevPredictions; passes: Generator<void> } {
  const K = state.layerSizes[state.layerSizes.length - 1];
  const rows = dev.rows.length;
  const record = { predicted: new Uint8Array(rows), confidence: new Float32Array(rows) };
  const passes = forwardRows(config, state, dev.data, dev.order, rows, kernels, (i, probs, at) => {
    const predicted = argmax(probs, at, K);
    record.predicted[i] = predicted;
    record.confidence[i] = isAnswer(probs, at, K) ? probs[at + predicted] : NaN; // NaN: no answer (outputs not numbers)
  });
  return { record, passes };
}

/** Every row's class probabilities under `state`'s weights: [rows, classes] row-major. The data may be
 *  unlabeled (a file to predict); its images must be the network's input size. The calling thread's event loop
 *  gets a turn after each pass of up to 1,024 rows (~4 ms for 784-128-10): the services' thread is also the one
 *  that answers the page and forwards training progress. */
export async function predictRows(config: TrainConfig, state: NetworkWeights, data: DatasetData, kernels: KernelName = preferredKernels()): Promise<Float32Array> {
  const K = state.layerSizes[state.layerSizes.length - 1];
  const out = new Float32Array(data.rows * K);
  const passes = forwardRows(config, state, data, null, data.rows, kernels, (i, probs, at) => out.set(probs.subarray(at, at + K), i * K));
  await inTurns(passes);
  return out;
}

/** Multiply-adds in one pass of a big network, about: ~20 ms of the calling thread at this machine's rates. */
const PASS_MULTIPLY_ADDS = 5e8;
/** The fewest rows in a pass: fewer would read all the weights for too little work. */
const MIN_PASS_ROWS = 64;

/** Rows per forward pass over `rows` rows: a training pass's height (passRows), fewer for a big network so that a
 *  pass — a turn of the services' thread — stays near PASS_MULTIPLY_ADDS (784-128-10: 1,024 rows, as before;
 *  784-4096-4096-4096-10, 37 M weights: 64 rows, ~0.1 s a pass here, where 256 rows took 0.4 s and 1,024 would
 *  hold the thread ~1.6 s). */
export function predictPassRows(rows: number, layerSizes: readonly number[]): number {
  let weights = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) weights += layerSizes[l] * layerSizes[l + 1];
  const fits = Math.floor(PASS_MULTIPLY_ADDS / Math.max(1, weights));
  return Math.min(passRows(rows), Math.max(MIN_PASS_ROWS, fits));
}

/** Weights copied into a network per turn: 4 M (16 MB). */
const COPY_PIECE = 4 * 1024 * 1024;

/** target.set(source) in pieces of COPY_PIECE numbers, a step of the generator between pieces: the first write of
 *  each page of a new memory costs its fault, and a big network's 147 MB held the thread 0.5 s in one piece. */
export function* copyInPieces(target: Float32Array, source: Float32Array): Generator<void> {
  for (let at = 0; at < source.length; at += COPY_PIECE) {
    target.set(source.subarray(at, at + COPY_PIECE), at);
    if (at + COPY_PIECE < source.length) yield;
  }
}

/** Runs a generator to its end with a turn of the event loop after each step. */
export async function inTurns(steps: Generator<void>): Promise<void> {
  while (!steps.next().done) await new Promise((resolve) => setImmediate(resolve));
}

/** The network's forward pass over `rows` rows of data (row order[i], or i) in passes of predictPassRows rows, one pass
 *  per step of the generator (before them, for a big network, one piece of its weights' copy per step):
 *  each(i, probs, at) with row i's probabilities at probs[at…at+K). */
function* forwardRows(config: TrainConfig, state: NetworkWeights, data: DatasetData, order: Uint32Array | null, rows: number, kernels: KernelName, each: (i: number, probs: Float32Array, at: number) => void): Generator<void> {
  const { layerSizes, params } = state;
  const inputSize = data.width * data.height;
  const K = layerSizes[layerSizes.length - 1];
  if (layerSizes.length !== config.hidden.length + 2 || layerSizes[0] !== inputSize) {
    throw new TypeError(`the saved weights are for a ${layerSizes.join('-')} network, not one for ${data.width}×${data.height} images`);
  }
  if (rows === 0) return;
  enableRelaxedSimd();
  // The network's buffers alone: sized as a plain gradient-descent run's (no moments) whose passes are maxRows high.
  const maxRows = predictPassRows(rows, layerSizes);
  const sizing: TrainConfig = { ...config, optimizer: 'gd', batchSize: maxRows, devRows: 0 };
  const backend = backendFor(kernels, sizing, { rows: maxRows, inputSize, classes: K });
  const spec = { layerSizes: [...layerSizes], activations: config.hidden.map((h) => h.activation), loss: config.loss };
  try {
    const net = createNetwork(spec, maxRows, backend.kernels, backend.allocator ?? defaultAllocator);
    if (params.length !== net.size) throw new TypeError(`the saved weights hold ${params.length} numbers, the network has ${net.size}`);
    yield* copyInPieces(net.params, params);
    for (let start = 0; start < rows; start += maxRows) {
      const count = Math.min(maxRows, rows - start);
      gatherRows(net, data.pixels, null, order, start, count);
      networkForward(net, count, false);
      for (let r = 0; r < count; r++) each(start + r, net.probs, r * K);
      yield;
    }
  } finally {
    backend.release();
  }
}
