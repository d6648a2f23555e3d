// All services, built once per process and handed to whichever adapter drives them (Electron, web, CLI).
import type { ApiHandlers, AppInfo } from '../../shared/api';
import type { KernelName } from '../../shared/training';
import { createDatasetService, type DatasetService } from '../datasets/service';
import { createRunsService, type RunsService } from '../runs/service';
import { createAppService } from './app';
import type { ServiceContext } from './context';

export interface ServiceOptions {
  transport: AppInfo['transport'];
  /** Path of the built Piscina task entry (out/main/worker.js beside the entry that runs). */
  workerFile: string;
  log: (line: string) => void;
  /** Training threads (default: the core count). */
  threads?: number;
  kernels?: KernelName;
  /** Load the built-in MNIST sample at start, so a new user can train in one click (default true). */
  openSample?: boolean;
}

export interface Services {
  handlers: ApiHandlers;
  datasets: DatasetService;
  runs: RunsService;
  /** Stops runs (checkpointed), frees the pool; called once on quit. */
  dispose: () => Promise<void>;
}

export async function createServices(ctx: ServiceContext, options: ServiceOptions): Promise<Services> {
  const datasets = createDatasetService(ctx, { log: options.log });
  const runs = await createRunsService(ctx, {
    workerFile: options.workerFile,
    getDataset: (id) => datasets.getDataset(id),
    loadedDatasets: () => datasets.loadedDatasets(),
    threads: options.threads,
    kernels: options.kernels,
    log: options.log,
  });
  const handlers: ApiHandlers = {
    app: createAppService(ctx, options.transport),
    datasets,
    runs,
  };
  let started: Promise<unknown> = Promise.resolve();
  if (options.openSample !== false) {
    // In the background: the UI connects meanwhile and sees the sample arrive as a 'datasets.changed' event.
    started = Promise.resolve(datasets.openSample({})).then((result) => {
      if (result.kind === 'failed') options.log(`the built-in sample did not load: ${result.error.message}`);
    });
  }
  // Then the app is idle: the CSV reader threads start, so the first large file does not wait for them.
  void started.finally(() => datasets.warmReaders());
  return { handlers, datasets, runs, dispose: () => runs.dispose() };
}
