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
  const rows = passRows(plannedSteps(config, data.rows).batchSize);
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

/** A run's steps as its Trainer counts them: steps per epoch (its batches over the training rows) and in all
 *  (epochs × those, or the iterations asked for). Known before the run starts: a run listed while it waits, or cut
 *  short before its first step, shows "step 0 / 9,220", not "/ ?". */
export function plannedSteps(config: TrainConfig, rows: number): { trainRows: number; batchSize: number; stepsPerEpoch: number; totalSteps: number } {
  const trainRows = rows - config.devRows;
  const batchSize = config.batchSize === 'full' ? trainRows : Math.min(config.batchSize, trainRows);
  const stepsPerEpoch = Math.ceil(trainRows / batchSize);
  const totalSteps = config.duration.unit === 'epochs' ? config.duration.count * stepsPerEpoch : config.duration.count;
  return { trainRows, batchSize, stepsPerEpoch, totalSteps };
}

