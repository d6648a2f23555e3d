// Runs `train` through the app's own run code: the RunManager on a one-thread training pool, with its
// checkpoints in the data folder, so a CLI run can be continued with --resume RUN_ID (and is listed in
// the app). The built worker entry sits beside the built CLI: out/main/worker.js.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunDataset, RunSummary } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import { CONTROL, type TrainerState, type TrainMessage, type TrainResult } from '../../shared/training';
import { dataFingerprint } from '../../main/datasets/fingerprint';
import { RunManager, type RunData } from '../../main/runs/manager';
import { createTrainingPool } from '../../main/runs/pool';
import { ProcessPresence, processesFolder } from '../../main/runs/process-presence';
import { hasEnded } from '../../main/runs/run-rules';
import { RunStore } from '../../main/runs/store';
import { noticeAdded } from '../../main/runs/summary';
import type { TrainTaskInput } from '../../worker/task';

export type TaskRequest = Omit<TrainTaskInput, 'port'>;

/** Runs the task; calls onMessage for every message, the 'done' one included, before resolving. */
export type TaskRunner = (request: TaskRequest, onMessage: (message: TrainMessage) => void) => Promise<TrainResult>;

export const workerFile = () => fileURLToPath(new URL('./worker.js', import.meta.url));

export interface ManagedRun {
  dataDir: string;
  datasetName: string;
  /** Continue this run from its checkpoint instead of starting a new one. */
  resumeId: string | null;
  /** Told the run's id as soon as it exists, and its notice (a continued run's missing test set). */
  onRunId: (id: string, notice: string | null) => void;
  /** What the run records about FILE and --test (fileDataset; --resume checks it against the run first). */
  dataset: RunDataset;
  /** Told a notice the run got as it ended (it did not learn: learning-check.ts), after any it began with. */
  onEndNotice?: (notice: string) => void;
  /** Told the run's record as it ended: its figures over the whole run, the epochs before a --resume included
   *  (as they stand after a crash's rollback to the checkpoint). */
  onEnded?: (run: RunSummary) => void;
  /** The notice of the continued run (`state`: where it continues from, null = the start); default none. */
  continueNotice?: (state: TrainerState | null) => string | null;
  /** The built worker entry (default: workerFile(), beside the built CLI). */
  workerFile?: string;
}

/** What a run records about FILE, its first `devRows` rows the dev set, and its separate test set (`test`), so
 *  that --resume continues only on the same rows and measures on the same test set (run-dataset.ts). */
export async function fileDataset(data: DatasetData, devRows: number, test: { data: DatasetData; name: string } | null): Promise<RunDataset> {
  return {
    fingerprint: await dataFingerprint(data),
    rows: data.rows,
    width: data.width,
    height: data.height,
    split: { kind: 'first', devRows, testId: null },
    test: test && { fingerprint: await dataFingerprint(test.data), name: test.name, rows: test.data.rows },
  };
}

/** A TaskRunner that goes through the RunManager: same pool code, checkpoints each epoch, resumable. */
export function managedRunner(options: ManagedRun): TaskRunner {
  return async (request, onMessage) => {
    const train = request.train as DatasetData;
    const { dataset } = options;
    // The pool's thread budget is what the run may use: the manager gives a run at most that many threads
    // (a pool of 1 trained `--threads 2` on one thread).
    const pool = createTrainingPool(options.workerFile ?? workerFile(), Math.max(1, request.threads ?? 1));
    const presence = new ProcessPresence(processesFolder(options.dataDir), 'cli');
    let result: TrainResult | null = null;
    const noop = () => {};
    const runData = (): RunData => ({ datasetName: options.datasetName, data: train, devRows: request.config.devRows, test: request.test ?? null, dataset });
    const manager = new RunManager({
      pool,
      store: new RunStore(join(options.dataDir, 'runs')),
      presence,
      dataFor: runData,
      dataToContinue: (_run, _testId, state) => ({ ...runData(), notice: options.continueNotice?.(state) ?? null }),
      emit: { changed: noop, removed: noop, step: noop, epoch: noop },
      log: (line) => process.stderr.write(`${line}\n`),
      kernels: request.kernels,
      threads: request.threads,
      onTaskMessage: (_id, message) => {
        if (message.type === 'done') result = { ...message };
        onMessage(message);
      },
    });
    try {
      await manager.init();
      const run = options.resumeId
        ? await manager.continue(options.resumeId)
        : manager.start({ datasetId: 'cli', config: request.config, name: `${options.datasetName}: ${request.config.optimizer} ${request.config.learningRate}` });
      options.onRunId(run.id, run.notice ?? null);
      // Ctrl-C: runTrain sets the control flag to stop and notifies; the run stops as the app's Stop stops it.
      const stopIfAsked = () => {
        const status = manager.list().find((r) => r.id === run.id)?.status;
        if (Atomics.load(request.control, 0) === CONTROL.stop && status && !hasEnded(status)) manager.stop(run.id);
      };
      const interrupt = Atomics.waitAsync(request.control, 0, CONTROL.run);
      if (interrupt.async) void interrupt.value.then(stopIfAsked);
      else stopIfAsked();
      const ended = await manager.whenEnded(run.id).finally(() => Atomics.notify(request.control, 0)); // ends the wait
      if (!result) throw new Error(ended.error ?? `the run ended (${ended.status}) without a result`);
      options.onEnded?.(ended);
      // A notice it got as it ended, and whether it could not be saved (the data folder: then --resume has nothing).
      const notes = [noticeAdded(run.notice, ended.notice), ended.saveError].filter(Boolean).join(' ');
      if (notes) options.onEndNotice?.(notes);
      return result;
    } finally {
      await pool.destroy();
      presence.stop(); // the run has ended (or this one could not start it): nothing of this folder is trained here
    }
  };
}
