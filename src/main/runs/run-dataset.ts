// Which data a run trains on, and finding it again: data set ids last one session, so a run keeps its data's
// content fingerprint and split (RunDataset), and a continued run looks among the loaded data sets for that
// fingerprint. Runs recorded before fingerprints were kept match by file name and shape instead. Either way a
// run never continues on another file: when its data is not open, the error names the file to open. Its
// separate test set (it only measures) is found the same way; when that is not open the run continues without
// it, and its notice names the file.
import type { RunDataset, RunSummary } from '../../shared/api/runs';
import type { DatasetSummary, SplitOptions } from '../../shared/datasets';
import { findRunData, mayBeRunData, runDataKey, type RunDataKey } from '../../shared/run-data';
import type { TrainerState } from '../../shared/training';
import type { LoadedDataset } from '../datasets/load';
import { SAMPLE_NAME } from '../datasets/sample';

/** The split as far as the rows a run trains on go: the separate test set (it only measures) left out. */
function trainingSplit(options: SplitOptions): SplitOptions {
  return options.kind === 'first'
    ? { kind: 'first', devRows: options.devRows, testId: null }
    : { kind: 'random', devFraction: options.devFraction, seed: options.seed, stratified: options.stratified, testId: null };
}

/** Whether two splits pick the same dev and training rows of the same data. */
function sameSplit(a: SplitOptions, b: SplitOptions): boolean {
  return JSON.stringify(trainingSplit(a)) === JSON.stringify(trainingSplit(b));
}

export type RunTestSet = NonNullable<RunDataset['test']>;

/** What a run records about the loaded data set it trains on with this split, and the test set it is measured on. */
export function runDatasetOf(entry: LoadedDataset, split: SplitOptions, test: LoadedDataset | null): RunDataset {
  const { rows, width, height } = entry.data;
  return { fingerprint: entry.summary.fingerprint, rows, width, height, split: trainingSplit(split), test: test && testSetOf(test) };
}

function testSetOf(entry: LoadedDataset): RunTestSet {
  return { fingerprint: entry.summary.fingerprint, name: entry.summary.name, rows: entry.data.rows };
}

/** A recorded data file as the user knows it: "fashion_test.csv (10,000 rows)". */
export function describeFile(file: { name: string; rows: number }): string {
  return `${file.name} (${file.rows.toLocaleString('en-US')} rows)`;
}

/** The run's data as the user knows it: describeFile's words (just the name for older runs). */
function describeRunData(run: RunSummary): string {
  return run.dataset ? describeFile({ name: run.datasetName, rows: run.dataset.rows }) : run.datasetName;
}

/** The notice of a run continued without the test set it recorded (`state`: where it continues from, null = the
 *  start); `why`: how the file came to be missing, and how to measure it again. */
export function missingTestSetNotice(run: RunSummary, test: RunTestSet, state: TrainerState | null, why: string): string {
  const epoch = (state?.epoch ?? 0) + 1;
  return `no test accuracy from epoch ${epoch} on: ${describeFile(test)}, the test set of run '${run.name}', ${why}`;
}

/** A loaded data set that may be the one an older run (recorded without a fingerprint) trained on: its file name
 * and shape (the input and output sizes of its checkpoint `state`, if any). */
function sameNameAndShape(d: DatasetSummary, run: RunSummary, state: TrainerState | null): boolean {
  if (!mayBeRunData(run, d)) return false;
  if (!state) return true; // no checkpoint: the run starts over, from fresh weights
  const sizes = state.layerSizes;
  return sizes[0] === d.width * d.height && sizes[sizes.length - 1] === d.classes;
}

/** findRunData (src/shared/run-data.ts) over the loaded entries. */
function findLoaded(loaded: LoadedDataset[], key: RunDataKey, looksLike?: (d: DatasetSummary) => boolean): LoadedDataset | null {
  const summaries = loaded.map((entry) => entry.summary);
  const found = findRunData(summaries, key, looksLike);
  return found && loaded[summaries.indexOf(found)];
}

/** The loaded data set with this fingerprint (the newest, when the same data is loaded twice), or null. */
export function findLoadedByFingerprint(loaded: LoadedDataset[], fingerprint: string): LoadedDataset | null {
  return findLoaded(loaded, { fingerprint, id: null });
}

/**
 * The loaded data set a run continues on: the one with the run's fingerprint (its own id first when the same
 * file is loaded twice, else the newest); for an older run without one, the one under its own id, else the
 * newest with its file name and shape (the input and output sizes of its checkpoint). Throws naming the file
 * when none is loaded. The rule is findRunData's (src/shared/run-data.ts), as the renderer's.
 */
export function findRunDataset(loaded: LoadedDataset[], run: RunSummary, state: TrainerState | null): LoadedDataset {
  const found = findLoaded(loaded, runDataKey(run), (d) => sameNameAndShape(d, run, state));
  if (!found) {
    // The built-in sample is no file: a button loads it ('Use the built-in MNIST sample', in Data and Train).
    const how = run.datasetName === SAMPLE_NAME ? `load it with 'Use the built-in MNIST sample' first` : 'open that file in the Data view first';
    throw new Error(`${describeRunData(run)}, the data run '${run.name}' trained on, is not open: ${how}`);
  }
  return found;
}

/**
 * The test set a run recorded continues with: the loaded data set with its fingerprint (the one with id
 * `preferredId` first, else the newest), or none — then `notice` says which file's test accuracy is missing from
 * the epoch the run continues in (`state`: where it continues from, null = the start). `undefined` when the run
 * recorded no test set entry (older runs): it is measured on the test set chosen as before.
 */
export function findRunTestSet(
  loaded: LoadedDataset[],
  run: RunSummary,
  preferredId: string | null,
  state: TrainerState | null,
): { entry: LoadedDataset | null; notice: string | null } | undefined {
  const wanted = run.dataset?.test;
  if (wanted === undefined) return undefined;
  if (wanted === null) return { entry: null, notice: null };
  const entry = findLoaded(loaded, { fingerprint: wanted.fingerprint, id: preferredId });
  if (entry) return { entry, notice: null };
  const why = 'was not open when the run continued (to measure it again while the run trains, open it in the Data view, then stop and continue the run)';
  return { entry: null, notice: missingTestSetNotice(run, wanted, state, why) };
}

/** What a continued run records about its data: what it recorded, with what it did not record yet taken from `found`. */
export function continuedRunDataset(recorded: RunDataset | undefined, found: RunDataset | undefined): RunDataset | undefined {
  if (!recorded || !found) return recorded ?? found;
  return recorded.test === undefined && found.test !== undefined ? { ...recorded, test: found.test } : recorded;
}

/** Throws unless `given` is the data (and split) the run recorded; a run recorded without one takes any. */
export function checkSameData(run: RunSummary, given: RunDataset | undefined, givenName: string): void {
  const wanted = run.dataset;
  if (!wanted || !given) return;
  if (given.fingerprint !== wanted.fingerprint) {
    throw new Error(`run '${run.name}' trained on ${describeRunData(run)}; ${givenName} is other data, so the run cannot continue on it`);
  }
  if (!sameSplit(given.split, wanted.split)) {
    throw new Error(`run '${run.name}' trained on ${describeRunData(run)} ${splitText(wanted.split)}; it cannot continue ${splitText(given.split)}`);
  }
}

function splitText(split: SplitOptions): string {
  return split.kind === 'first'
    ? `with the first ${split.devRows} rows as the dev set`
    : `with a random dev set (${split.devFraction} of the rows, seed ${split.seed}${split.stratified ? ', stratified' : ''})`;
}
