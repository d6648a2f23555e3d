// The checks a Trainer makes of the data it is given, before training or evaluating on it: the shapes
// agree and every label names one of the network's classes (a wrong label would index outside the
// confusion matrix and the loss's one-hot target). Errors say what is wrong and where (1-based rows).
import type { TrainConfig } from '../../shared/training';
import type { TrainingData } from './trainer';

/** The training data against the run's config: 2–256 classes, a positive input size, rows left after the dev set. */
export function checkData(config: TrainConfig, data: TrainingData): void {
  const { rows, inputSize, classes } = data;
  if (!Number.isInteger(classes) || classes < 2 || classes > 256) throw new RangeError(`Expected 2 to 256 classes, got ${classes}`);
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new RangeError(`Expected a positive input size, got ${inputSize}`);
  if (config.devRows >= rows) {
    throw new RangeError(`The dev set (${config.devRows} rows) leaves no rows to train on: the data has ${rows} rows`);
  }
  checkSet(data.pixels, data.labels, rows, inputSize, classes);
}

/** One labelled set: enough pixels and labels for `rows` rows, every label below `classes`. */
export function checkSet(pixels: Uint8Array, labels: Uint8Array, rows: number, inputSize: number, classes: number): void {
  if (pixels.length < rows * inputSize) throw new RangeError(`Expected ${rows * inputSize} pixels for ${rows} rows of ${inputSize}, got ${pixels.length}`);
  if (labels.length < rows) throw new RangeError(`Expected ${rows} labels, got ${labels.length}`);
  for (let r = 0; r < rows; r++) {
    if (labels[r] >= classes) throw new RangeError(`Row ${r + 1} has label ${labels[r]}, but the network has ${classes} classes (0–${classes - 1})`);
  }
}
