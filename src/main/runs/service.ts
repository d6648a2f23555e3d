// runs.*: the API face of the RunManager, wired to the loaded data sets and the training pool.
import { basename, join } from 'node:path';
import type { ApiHandlers } from '../../shared/api';
import type { ExportedFile, PredictionsScore, RunSummary } from '../../shared/api/runs';
import type { SplitOptions } from '../../shared/datasets';
import { predictionsFileName } from '../../shared/model-file';
import { summarizePredictions } from '../../shared/prediction-summary';
import type { KernelName, TrainerState } from '../../shared/training';
import { testSetProblem, trainingSetProblem } from '../../shared/run-data-checks';
import type { LoadedDataset } from '../datasets/service';
import { computeSplit, type SplitIndices } from '../datasets/split';
import type { ServiceContext } from '../services/context';
import { RunManager, type RunData } from './manager';
import { createTrainingPool } from './pool';
import { ProcessPresence, processesFolder } from './process-presence';
import { type DevRows, everyRow } from './predict-dev';
import { arrangeForTraining } from './run-data';
import { describeFile, findLoadedByFingerprint, findRunDataset, findRunTestSet, runDatasetOf } from './run-dataset';
import { RunStore } from './store';
import { makeModelFile, readModelFile, saveExport } from './model-export';
import { predictionsCsvBlocks } from './predictions-csv';

export interface RunsServiceOptions {
  /** Path of the built Piscina task entry (out/main/worker.js). */
  workerFile: string;
  /** The loaded data set by id (the datasets service's getDataset). */
  getDataset: (id: string) => LoadedDataset | undefined;
  /** Every loaded data set (the datasets service's loadedDatasets): where a continued run finds its data. */
  loadedDatasets: () => LoadedDataset[];
  threads?: number;
  kernels?: KernelName;
  log: (line: string) => void;
}

/** `presence`: this process in the data folder's presence files (the runs' records name it while they train). */
export type RunsService = ApiHandlers['runs'] & { manager: RunManager; presence: ProcessPresence; dispose: () => Promise<void> };

/** How often the app looks for runs another process started in its data folder. */
const NEW_RUNS_EVERY_MS = 5_000;

/** The loaded data set with this id, or an error saying to open it. */
function loadedDataset(getDataset: RunsServiceOptions['getDataset'], datasetId: string): LoadedDataset {
  const loaded = getDataset(datasetId);
  if (!loaded) throw new Error(`data set '${datasetId}' is not loaded; open it in the Data view first`);
  return loaded;
}

/** Arranges a loaded data set (and an optional separate test set) for a run; clear errors when missing. */
export function runDataFrom(getDataset: RunsServiceOptions['getDataset'], datasetId: string, testDatasetId: string | null): RunData {
  const loaded = loadedDataset(getDataset, datasetId);
  return arranged(loaded, loaded.split, loaded.summary.split.options, chosenTestSet(getDataset, loaded, testDatasetId));
}

/**
 * The rows a stopped or interrupted run continues on: its own data, found among the loaded data sets by
 * fingerprint (run-dataset.ts), split as the run recorded it (whatever the data set's split is now), measured
 * on the test set it recorded, found the same way (when that is not open: none, and a notice naming it).
 */
export function continueDataFrom(options: Pick<RunsServiceOptions, 'getDataset' | 'loadedDatasets'>, run: RunSummary, testDatasetId: string | null, state: TrainerState | null): RunData {
  const { loaded, split, splitOptions } = recordedSplit(options, run, state);
  // A run recorded before it kept its test set is measured on the test set chosen as before.
  const test = findRunTestSet(options.loadedDatasets(), run, testDatasetId, state) ?? { entry: chosenTestSet(options.getDataset, loaded, testDatasetId), notice: null };
  return { ...arranged(loaded, split, splitOptions, test.entry), datasetId: loaded.id, notice: test.notice };
}

/** The dev rows of a run that ended (`state`: its saved weights), found as continueDataFrom finds its data, read
 *  where they are in the loaded data set (not arranged for training): what its matrix cells are predicted on. */
export function devRowsFrom(options: Pick<RunsServiceOptions, 'loadedDatasets'>, run: RunSummary, state: TrainerState): DevRows {
  if (run.imported) return measuredRows(options.loadedDatasets(), run);
  const { loaded, split, splitOptions } = recordedSplit(options, run, state);
  const dataset = runDatasetOf(loaded, splitOptions, null);
  return { datasetName: loaded.summary.name, dataset, datasetId: loaded.id, data: loaded.data, order: split.dev, rows: split.dev };
}

/** Every row of the data set an imported run was measured on (runs.evaluateImported), found by its fingerprint. */
function measuredRows(loaded: LoadedDataset[], run: RunSummary): DevRows {
  const on = run.imported?.evaluatedOn;
  if (!on) throw new Error(`run '${run.name}' was imported and has not been measured on a data set yet`);
  const entry = findLoadedByFingerprint(loaded, on.fingerprint);
  if (!entry) throw new Error(`${describeFile(on)}, the data set '${run.name}' was measured on, is not open: open it in the Data view first`);
  return everyRow(entry.summary.name, entry.id, entry.data);
}

/** The loaded data set a run continues on and its split as the run recorded it (whatever the data set's split is
 *  now); throws when the dev set is not the size the run trained with. */
function recordedSplit(options: Pick<RunsServiceOptions, 'loadedDatasets'>, run: RunSummary, state: TrainerState | null) {
  const loaded = findRunDataset(options.loadedDatasets(), run, state);
  const { data } = loaded;
  const splitOptions = run.dataset?.split ?? loaded.summary.split.options;
  const split = run.dataset ? computeSplit(splitOptions, data.rows, data.labels, data.classes) : loaded.split;
  if (split.dev.length !== run.config.devRows) {
    throw new Error(`run '${run.name}' used ${run.config.devRows} dev rows, and ${loaded.summary.name}'s dev set is now ${split.dev.length}: set it back in the Data view first`);
  }
  return { loaded, split, splitOptions };
}

/** The test set a new run is measured on: the given data set, else the one attached to its data set's split. */
function chosenTestSet(getDataset: RunsServiceOptions['getDataset'], loaded: LoadedDataset, testDatasetId: string | null): LoadedDataset | null {
  const id = testDatasetId ?? loaded.summary.split.testId;
  if (!id) return null;
  const test = getDataset(id);
  if (!test) throw new Error(`test data set '${id}' is not loaded`);
  return test;
}

/** A loaded data set's rows arranged dev-first for this split, with this test set. */
function arranged(loaded: LoadedDataset, split: SplitIndices, splitOptions: SplitOptions, testSet: LoadedDataset | null): RunData {
  const train = { name: `'${loaded.summary.name}'`, data: loaded.data };
  const problem = trainingSetProblem(train) ?? (testSet && testSetProblem(train, { name: `'${testSet.summary.name}'`, data: testSet.data }));
  if (problem) throw new Error(problem);
  const { data, devRows } = arrangeForTraining(loaded.data, split);
  const test = testSet?.data ?? null;
  return { datasetName: loaded.summary.name, data, devRows, test, dataset: runDatasetOf(loaded, splitOptions, testSet), devIndices: split.dev };
}

/** A run's predictions for a loaded data set as a CSV file, named after both, and how many it got right. */
async function predictionsFile(manager: RunManager, getDataset: RunsServiceOptions['getDataset'], id: string, datasetId: string, labels?: readonly string[]): Promise<ExportedFile & PredictionsScore> {
  const loaded = loadedDataset(getDataset, datasetId);
  const run = manager.list().find((r) => r.id === id);
  const predictions = await manager.predictions(id, loaded.data, labels);
  const blocks: Buffer[] = [];
  for (const text of predictionsCsvBlocks(predictions.probs, predictions.labels, loaded.data.labels, loaded.summary.skipped.rows)) {
    blocks.push(Buffer.from(text, 'utf8'));
    await new Promise((resolve) => setImmediate(resolve)); // a turn for the page and the runs between blocks
  }
  const { correct, rows, noAnswer } = summarizePredictions(predictions.probs, predictions.labels, loaded.data.labels);
  return { name: predictionsFileName(loaded.summary.name, run?.name ?? id), data: new Uint8Array(Buffer.concat(blocks)), correct, rows, noAnswer };
}

export async function createRunsService(ctx: ServiceContext, options: RunsServiceOptions): Promise<RunsService> {
  const pool = createTrainingPool(options.workerFile, options.threads);
  const presence = new ProcessPresence(processesFolder(ctx.dataDir), 'app');
  const manager = new RunManager({
    pool,
    store: new RunStore(join(ctx.dataDir, 'runs')),
    presence,
    dataFor: (datasetId, testDatasetId) => runDataFrom(options.getDataset, datasetId, testDatasetId),
    dataToContinue: (run, testDatasetId, state) => continueDataFrom(options, run, testDatasetId, state),
    devRowsFor: (run, state) => devRowsFrom(options, run, state),
    emit: {
      changed: (summary) => ctx.emit('runs.changed', summary),
      removed: (id) => ctx.emit('runs.removed', { id }),
      step: (payload) => ctx.emit('runs.step', payload),
      epoch: (payload) => ctx.emit('runs.epoch', payload),
    },
    log: options.log,
    kernels: options.kernels,
  });
  await manager.init();
  // Runs another process starts in the data folder (the CLI beside the app) are listed within seconds, not at the
  // next start. A look is a read of the runs folder's names; one at a time.
  let looking = false;
  const lookForNewRuns = setInterval(() => {
    if (looking) return;
    looking = true;
    manager
      .listNewRuns()
      .catch((error: unknown) => options.log(`looking for new runs failed: ${String(error)}`))
      .finally(() => (looking = false));
  }, NEW_RUNS_EVERY_MS);
  lookForNewRuns.unref();
  return {
    manager,
    presence,
    start: (request) => manager.start(request),
    compare: (request) => manager.compare(request),
    pause: (id) => manager.pause(id),
    resume: (id) => manager.resume(id),
    stop: (id) => manager.stop(id),
    continue: (id) => manager.continue(id),
    remove: (id) => manager.remove(id),
    list: () => manager.list(),
    unreadable: () => manager.unreadable,
    history: (id) => manager.history(id),
    cellExamples: ({ id, truth, predicted, limit }) => manager.cellExamples(id, truth, predicted, limit),
    predict: ({ id, pixels }) => manager.predict(id, Uint8Array.from(pixels)),
    firstLayer: (id) => manager.firstLayer(id),
    // A model source is read afresh for each request: its weights can move to the thread that makes the file.
    modelFile: async ({ id, format, labels }) => makeModelFile(await manager.modelSource(id, labels), format, { moveWeights: true }),
    saveModel: ({ id, format, labels, path }) => saveExport(path, format, 'the model', async () => (await makeModelFile(await manager.modelSource(id, labels), format, { moveWeights: true })).data),
    importModel: async (ref) => {
      const { path, displayName } = ctx.resolveFile(ref);
      return manager.importModel(await readModelFile(path, displayName), basename(displayName));
    },
    evaluateImported: ({ id, datasetId }) => {
      const loaded = loadedDataset(options.getDataset, datasetId);
      return manager.evaluateImported(id, { id: loaded.id, name: loaded.summary.name, fingerprint: loaded.summary.fingerprint, data: loaded.data });
    },
    predictionsFile: async ({ id, datasetId, labels }) => predictionsFile(manager, options.getDataset, id, datasetId, labels),
    savePredictions: async ({ id, datasetId, labels, path }) => {
      let score: PredictionsScore = { correct: null, rows: 0, noAnswer: 0 };
      const saved = await saveExport(path, 'csv', 'the predictions', async () => {
        const file = await predictionsFile(manager, options.getDataset, id, datasetId, labels);
        score = { correct: file.correct, rows: file.rows, noAnswer: file.noAnswer };
        return file.data;
      });
      return { ...saved, ...score };
    },
    dispose: async () => {
      clearInterval(lookForNewRuns);
      await manager.shutdown();
      await pool.destroy();
    },
  };
}
