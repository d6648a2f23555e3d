// What a run's data must be before the run starts, checked where a run is asked for — the app's runs service
// and the CLI's `train` — so both refuse with the same words, naming the files. (The training thread checks
// shapes and labels again, row by row: src/worker/core/data-checks.ts.)
import type { DatasetData } from './dataset';

/** A data set as these checks read it, with the name its messages give it (as the caller quotes names). */
export interface NamedData {
  name: string;
  data: Pick<DatasetData, 'labels' | 'width' | 'height' | 'classes'>;
}

/** What keeps `train` from being trained on (no labels, a single class), or null. */
export function trainingSetProblem(train: NamedData): string | null {
  if (!train.data.labels) return `${train.name} has no labels: training needs a labelled file`;
  const only = soleLabel(train.data.labels);
  if (only !== null) return `every label in ${train.name} is ${only}: a network learns to tell at least 2 classes apart`;
  return null;
}

/** The label every row has, or null when there are two or more (all 3s was trained as 4 classes, at 100%). */
function soleLabel(labels: Uint8Array): number | null {
  if (labels.length === 0) return null;
  const first = labels[0];
  for (let i = 1; i < labels.length; i++) if (labels[i] !== first) return null;
  return first;
}

/** What keeps `test` from measuring a network trained on `train` (no labels, another image size, a class the
 *  training set lacks), or null. */
export function testSetProblem(train: NamedData, test: NamedData): string | null {
  if (!test.data.labels) return `the test file ${test.name} has no labels: a test set is measured against its labels`;
  const [a, b] = [train.data, test.data];
  if (a.width !== b.width || a.height !== b.height) {
    return `the test images (${test.name}) are ${b.width}×${b.height} but the training images (${train.name}) are ${a.width}×${a.height}`;
  }
  if (b.classes > a.classes) {
    return `the test file ${test.name} has labels up to ${b.classes - 1} but the training file ${train.name} only up to ${a.classes - 1}`;
  }
  return null;
}
