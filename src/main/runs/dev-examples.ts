// The dev examples behind a run's confusion matrix: after every epoch the task reports each dev example's
// predicted class and its probability (DevPredictions); the run keeps the latest, with which data-set row
// and true class each dev example is, so a click on a cell (true t, predicted p) can show those images.
import type { CellExamples } from '../../shared/api/runs';
import type { DevPredictions } from '../../shared/training';

export interface DevExamples extends DevPredictions {
  /** Where in training these were evaluated, in epochs (fractional for a run that ended inside one). */
  epoch: number;
  /** The loaded data set the rows belong to. */
  datasetId: string;
  /** rows[i]: the data-set row of dev example i. */
  rows: Uint32Array;
  /** labels[i]: its true class. */
  labels: Uint8Array;
}

/**
 * The dev examples of true class `truth` predicted as `predicted`, most confident first (the model's worst
 * mistakes, or its surest right answers on the diagonal), at most `limit` of them; `total` counts them all.
 */
export function cellExamples(dev: DevExamples, truth: number, predicted: number, limit: number): CellExamples {
  const picked: number[] = [];
  for (let i = 0; i < dev.labels.length; i++) if (dev.labels[i] === truth && dev.predicted[i] === predicted) picked.push(i);
  picked.sort((a, b) => dev.confidence[b] - dev.confidence[a] || a - b);
  const shown = picked.slice(0, limit);
  return {
    datasetId: dev.datasetId,
    epoch: dev.epoch,
    total: picked.length,
    rows: shown.map((i) => dev.rows[i]),
    confidence: shown.map((i) => dev.confidence[i]),
  };
}
