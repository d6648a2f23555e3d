// How big a Trainer's buffers are, computed before it exists: the height of a forward/backward pass, and
// the length of every Float32Array it allocates (so a fixed-size allocator, e.g. a WebAssembly memory,
// can be sized first). Shared by the Trainer, the task entry and the data-parallel shards.
import type { TrainConfig } from '../../shared/training';

/** Largest number of examples in one forward/backward pass (buffers are sized for this). */
export const MAX_PASS_ROWS = 1024;

/** Rows per forward/backward pass for a batch size: the buffers' height. */
export function passRows(batchSize: number): number {
  return Math.min(MAX_PASS_ROWS, Math.max(batchSize, 256));
}

/**
 * The length of every Float32Array a Trainer allocates for this config and data, in allocation order
 * (params, grads, input, activations, their gradients, probs, then m and v when the optimizer keeps them),
 * so a fixed-size allocator (e.g. WebAssembly memory) can be sized before the Trainer is built.
 * parallel: a data-parallel Trainer's (TrainerOptions.parallel), which allocates no params, grads, m, v.
 */
export function trainerFloat32Lengths(config: TrainConfig, data: { rows: number; inputSize: number; classes: number }, parallel = false): number[] {
  const trainRows = data.rows - config.devRows;
  const rows = passRows(config.batchSize === 'full' ? trainRows : Math.min(config.batchSize, trainRows));
  const sizes = [data.inputSize, ...config.hidden.map((h) => h.units), data.classes];
  let params = 0;
  for (let l = 0; l + 1 < sizes.length; l++) params += sizes[l] * sizes[l + 1] + sizes[l + 1];
  const widths = sizes.slice(1);
  const activations = [rows * sizes[0], ...widths.map((w) => rows * w), ...widths.map((w) => rows * w), rows * data.classes];
  if (parallel) return activations;
  const lengths = [params, params, ...activations];
  if (config.optimizer === 'momentum' || config.optimizer === 'adam') lengths.push(params);
  if (config.optimizer === 'rmsprop' || config.optimizer === 'adam') lengths.push(params);
  return lengths;
}

/** Bytes a run on `threads` threads allocates to train: the Trainer's buffers, and each further thread's own
 *  passes (a data-parallel shard allocates no params, grads or moments). */
export function trainingBytes(config: TrainConfig, data: { rows: number; inputSize: number; classes: number }, threads = 1): number {
  const sum = (lengths: number[]) => lengths.reduce((total, n) => total + n, 0);
  return 4 * (sum(trainerFloat32Lengths(config, data)) + Math.max(0, threads - 1) * sum(trainerFloat32Lengths(config, data, true)));
}

/** The most a run's buffers take in one WebAssembly memory: wasm32's 4 GiB, less room for the kernels' scratch. */
export const WASM_TRAINING_MAX_BYTES = 4 * 1024 ** 3 - 64 * 1024 ** 2;

/** Why a run this big cannot train on the WebAssembly kernels, in words for its user, or null when it can. (Found only
 *  when the training thread made its memory, it read "createWasmBackend: maxFloats must be a non-negative integer".) */
export function wasmTrainingProblem(config: TrainConfig, data: { rows: number; inputSize: number; classes: number }, threads = 1): string | null {
  const bytes = trainingBytes(config, data, threads);
  if (bytes <= WASM_TRAINING_MAX_BYTES) return null;
  const layers = [data.inputSize, ...config.hidden.map((h) => h.units), data.classes].map((n) => n.toLocaleString('en-US')).join('-');
  const images = data.inputSize > 65_536 ? `, or smaller images (these have ${data.inputSize.toLocaleString('en-US')} pixels)` : '';
  return `a ${layers} network needs ${(bytes / 1e9).toFixed(1)} GB to train, and a run holds at most 4.2 GB (WebAssembly's memory): use fewer or narrower layers${images}`;
}
