// What a batch size means on the chosen data: one above the training rows is not an error — the trainer
// takes min(batch size, training rows) per step (src/worker/core/trainer.ts), i.e. full batch — but say so.
import { formatCount } from './format';

/** The muted note under the batch size, or null: a size above the training rows trains on all of them per step. */
export function batchSizeNote(batchSize: number | null, trainRows: number | null): string | null {
  if (batchSize === null || trainRows === null || !(batchSize > trainRows)) return null;
  return `larger than the ${formatCount(trainRows)} training rows: each step takes all of them (full batch)`;
}
