// "Reuse settings" on a run: which loaded data set is the one it trained on. Its id while the same load is
// open; after a restart ids are new, so then the set with the content fingerprint the run recorded (runs
// recorded before fingerprints: a set of the same name whose rows and classes fit the run).
import type { RunSummary } from '../../../shared/api/runs';
import type { DatasetSummary } from '../../../shared/datasets';
import { findRunData, mayBeRunData, runDataKey } from '../../../shared/run-data';

/** The loaded data set the run trained on, or null when none is loaded (the newest of look-alikes). */
export function datasetForRun(run: RunSummary, datasets: readonly DatasetSummary[]): DatasetSummary | null {
  return findRunData(datasets, runDataKey(run), (d) => mayBeRunData(run, d) && fitsRun(run, d));
}

/** For a run recorded without its data, what else its summary tells of the data: the confusion matrix's classes,
 * and for an epoch-long mini-batch run the steps its train rows make. */
function fitsRun(run: RunSummary, d: DatasetSummary): boolean {
  const { batchSize, duration, devRows } = run.config;
  if (run.confusion.length > 0 && run.confusion.length !== d.classes) return false;
  if (batchSize !== 'full' && duration.unit === 'epochs' && run.progress.totalSteps > 0) {
    return run.progress.totalSteps === duration.count * Math.ceil((d.rows - devRows) / batchSize);
  }
  return true;
}
