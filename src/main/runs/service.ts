// runs.*: the API face of the RunManager, wired to the loaded data sets and the training pool.
import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api';
import type { KernelName } from '../../shared/training';
import type { LoadedDataset } from '../datasets/service';
import type { ServiceContext } from '../services/context';
import { RunManager, type RunData } from './manager';
import { createTrainingPool } from './pool';
import { arrangeForTraining } from './run-data';
import { RunStore } from './store';

export interface RunsServiceOptions {
  /** Path of the built Piscina task entry (out/main/worker.js). */
  workerFile: string;
  /** The loaded data set by id (the datasets service's getDataset). */
  getDataset: (id: string) => LoadedDataset | undefined;
  threads?: number;
  kernels?: KernelName;
  log: (line: string) => void;
}

export type RunsService = ApiHandlers['runs'] & { manager: RunManager; dispose: () => Promise<void> };

/** Arranges a loaded data set (and an optional separate test set) for a run; clear errors when missing. */
export function runDataFrom(getDataset: RunsServiceOptions['getDataset'], datasetId: string, testDatasetId: string | null): RunData {
  const loaded = getDataset(datasetId);
  if (!loaded) throw new Error(`data set '${datasetId}' is not loaded; open it in the Data view first`);
  if (!loaded.data.labels) throw new Error(`'${loaded.summary.name}' has no labels: training needs a labelled file`);
  const { data, devRows } = arrangeForTraining(loaded.data, loaded.split);
  let test = loaded.test;
  if (testDatasetId) {
    const other = getDataset(testDatasetId);
    if (!other) throw new Error(`test data set '${testDatasetId}' is not loaded`);
    test = other.data;
  }
  if (test && (!test.labels || test.width * test.height !== data.width * data.height)) {
    throw new Error(`the test set must be labelled and have ${data.width}×${data.height} images`);
  }
  return { datasetName: loaded.summary.name, data, devRows, test };
}

export async function createRunsService(ctx: ServiceContext, options: RunsServiceOptions): Promise<RunsService> {
  const pool = createTrainingPool(options.workerFile, options.threads);
  const manager = new RunManager({
    pool,
    store: new RunStore(join(ctx.dataDir, 'runs')),
    dataFor: (datasetId, testDatasetId) => runDataFrom(options.getDataset, datasetId, testDatasetId),
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
  return {
    manager,
    start: (request) => manager.start(request),
    compare: (request) => manager.compare(request),
    pause: (id) => manager.pause(id),
    resume: (id) => manager.resume(id),
    stop: (id) => manager.stop(id),
    continue: (id) => manager.continue(id),
    remove: (id) => manager.remove(id),
    list: () => manager.list(),
    history: (id) => manager.history(id),
    dispose: async () => {
      await manager.shutdown();
      await pool.destroy();
    },
  };
}
