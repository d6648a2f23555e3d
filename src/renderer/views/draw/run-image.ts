// The image size a run's model takes, for the Draw view: the run's own record of its data (width × height),
// else the open data set it was started on, else MNIST's 28×28 (runs recorded before sizes were kept).
// And how the Draw view shows and draws at that size.
import { endsWithFinal, type RunSummary } from '../../../shared/api/runs';
import { openDataOfRun, type OpenData } from '../evaluate/confusion';
import { inkBox } from './preprocess';

export interface ImageSize {
  width: number;
  height: number;
}

/** The runs that can answer a drawing: those with saved weights — an epoch's checkpoint, or the weights a run
 *  completed or was stopped with after at least one step. A run trained without a dev set is one of them (it has
 *  weights, but no confusion matrix). In the given order. */
export function runsWithWeights(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.checkpointEpoch > 0 || (endsWithFinal(r.status) && r.progress.step > 0));
}

/** How many classes a run's model tells apart, as far as the page knows before asking it: its confusion matrix's
 *  size, else its open data set's class count (opened again: by fingerprint); null when neither is known (no dev set, data set not open). */
export function runClassCount(run: RunSummary, datasets: readonly (OpenData & { classes: number })[]): number | null {
  if (run.confusion.length > 0) return run.confusion.length;
  return openDataOfRun(run, datasets)?.classes ?? run.imported?.labels.length ?? null;
}

export function runImageSize(run: RunSummary, datasets: readonly { id: string; width: number; height: number }[]): ImageSize {
  if (run.dataset) return { width: run.dataset.width, height: run.dataset.height };
  if (run.imported) return { width: run.imported.width, height: run.imported.height };
  const open = datasets.find((d) => d.id === run.datasetId);
  return open ? { width: open.width, height: open.height } : { width: 28, height: 28 };
}

/** The loaded data sets whose images the run's model reads (its images' width and height: 14×56 images have as
 *  many pixels as 28×28 but are not what it learnt): what it can predict, or be measured on. */
export function datasetsItReads<D extends { id: string; width: number; height: number }>(run: RunSummary, datasets: readonly D[]): D[] {
  const { width, height } = runImageSize(run, datasets);
  return datasets.filter((d) => d.width === width && d.height === height);
}

/** CSS pixels per image pixel for the preview: a whole number (crisp pixels) making the longer side at most
 *  `target` (112 = 4 per pixel at 28×28), or a fraction for images larger than the target. */
export function previewScale({ width, height }: ImageSize, target = 112): number {
  const longer = Math.max(width, height);
  return longer <= target ? Math.floor(target / longer) : target / longer;
}

/** The pen's width as a fraction of the pad's: MNIST's (1/13: strokes ~2.4 px of the 20 px box) or thicker for
 *  small images, so a stroke still covers about 1.4 of their pixels (8×8: 1/6.7 of the pad), at most 1/6. */
export function penWidth({ width, height }: ImageSize): number {
  // a digit drawn large spans ~180 of the pad's 280 px, scaled to the box
  return Math.min(1 / 6, Math.max(1 / 13, (1.4 * 180) / 280 / inkBox(width, height)));
}
