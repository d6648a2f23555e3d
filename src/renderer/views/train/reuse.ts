// "Reuse settings" on a run: which loaded data set is the one it trained on. Its id while the same load is
// open; after a restart ids are new, so then the set with the content fingerprint the run recorded (runs
// recorded before fingerprints: a set of the same name whose rows and classes fit the run).
import type { RunSummary } from '../../../shared/api/runs';
import type { DatasetSummary } from '../../../shared/datasets';

/** The loaded data set the run trained on, or null when none is loaded (the newest of look-alikes). */
export function datasetForRun(run: RunSummary, datasets: readonly DatasetSummary[]): DatasetSummary | null {
  const same = datasets.find((d) => d.id === run.datasetId);
  if (same) return same;
  const recorded = run.dataset;
  if (recorded) return datasets.filter((d) => d.fingerprint === recorded.fingerprint).at(-1) ?? null;
  const fits = datasets.filter((d) => d.name === run.datasetName && d.labeled && fitsRun(run, d));
  return fits.at(-1) ?? null;
}

/** For a run recorded without its data: what its summary tells of the data — dev rows below its rows, the
 * confusion matrix's classes, and for an epoch-long mini-batch run the steps its train rows make. */
function fitsRun(run: RunSummary, d: DatasetSummary): boolean {
  const { batchSize, duration, devRows } = run.config;
  if (devRows >= d.rows) return false;
  if (run.confusion.length > 0 && run.confusion.length !== d.classes) return false;
  if (batchSize !== 'full' && duration.unit === 'epochs' && run.progress.totalSteps > 0) {
    return run.progress.totalSteps === duration.count * Math.ceil((d.rows - devRows) / batchSize);
  }
  return true;
}
