// Which loaded data set is a run's data. Data set ids last one load, so a run records its data's content
// fingerprint (RunDataset) and is found again by it: when a continued run picks its rows (src/main/runs), when
// "Reuse settings" selects its data set (Train view), when a confusion-matrix cell shows its images (Evaluate
// view). Runs recorded before fingerprints were kept match by an id known to hold their data, or look-alikes.
import type { RunSummary } from './api/runs';
import type { DatasetSummary } from './datasets';

/** What finds a run's data (or its test set) among the loaded data sets. */
export interface RunDataKey {
  /** The content fingerprint the run recorded; undefined for a run recorded before fingerprints were kept. */
  fingerprint: string | undefined;
  /** The load to take when several hold that data (e.g. the one the run last trained on), or null. Without a
   *  fingerprint, the data set loaded under this id is taken as the run's data. */
  id: string | null;
}

/** The key of a run's own data: its recorded fingerprint, and the id of the load it last trained on. */
export function runDataKey(run: Pick<RunSummary, 'dataset' | 'datasetId'>): RunDataKey {
  return { fingerprint: run.dataset?.fingerprint, id: run.datasetId };
}

/**
 * The loaded data set that is a run's data, or null when none is loaded (never another data set): of those with
 * the key's fingerprint — without one, the one under the key's id and those `looksLike` accepts — the one under
 * the key's id, else the newest (`loaded` is oldest first).
 */
export function findRunData<D extends Pick<DatasetSummary, 'id' | 'fingerprint'>>(loaded: readonly D[], key: RunDataKey, looksLike: (d: D) => boolean = () => false): D | null {
  const { fingerprint, id } = key;
  const matches = loaded.filter((d) => (fingerprint !== undefined ? d.fingerprint === fingerprint : d.id === id || looksLike(d)));
  return matches.find((d) => d.id === id) ?? matches.at(-1) ?? null;
}

/**
 * For a run recorded without a fingerprint: whether a loaded data set may be its data as far as its summary
 * tells — the file name it trained on, labels, and more rows than its dev set. Each caller adds what else it
 * knows (a checkpoint's input and output sizes, the run's step count).
 */
export function mayBeRunData(run: { datasetName: string; config: { devRows: number } }, d: Pick<DatasetSummary, 'name' | 'labeled' | 'rows'>): boolean {
  return d.name === run.datasetName && d.labeled && run.config.devRows < d.rows;
}
