// The rows a run trains on, arranged the way the training core expects: dev rows first, then training rows
// (config.devRows = the dev count). Zero-copy when the split already is "first N rows"; otherwise the rows
// are gathered once into new SharedArrayBuffers (47 MB for Fashion-MNIST, a few tens of ms).
import type { DatasetData } from '../../shared/dataset';

export interface SplitRows {
  /** Row indices of the dev set and of the training set. */
  dev: Uint32Array;
  train: Uint32Array;
}

function isIdentity(split: SplitRows): boolean {
  let expected = 0;
  for (const rows of [split.dev, split.train]) {
    for (let i = 0; i < rows.length; i++) if (rows[i] !== expected++) return false;
  }
  return true;
}

function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, length)), 0, length);
}

export function arrangeForTraining(data: DatasetData, split: SplitRows): { data: DatasetData; devRows: number } {
  if (!data.labels) throw new Error('this data set has no labels: training needs a labelled file');
  const rows = split.dev.length + split.train.length;
  if (rows === data.rows && isIdentity(split)) return { data, devRows: split.dev.length };
  const size = data.width * data.height;
  const pixels = sharedBytes(rows * size);
  const labels = sharedBytes(rows);
  let out = 0;
  for (const list of [split.dev, split.train]) {
    for (let i = 0; i < list.length; i++, out++) {
      const row = list[i];
      pixels.set(data.pixels.subarray(row * size, (row + 1) * size), out * size);
      labels[out] = data.labels[row];
    }
  }
  return { data: { ...data, pixels, labels, rows }, devRows: split.dev.length };
}
