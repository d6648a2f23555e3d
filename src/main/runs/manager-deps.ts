// What the RunManager is given: the services it uses (pool, store, the data sets, where its events go) and
// the rows a run trains on. Apart from manager.ts so that the pieces it leans on (managed-run.ts, run-task.ts,
// run-answers.ts) take their types from here, not from the manager that imports them.
import type { EpochPoint, RunDataset, RunSummary, StepPoint } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { KernelName, TrainerState, TrainMessage } from '../../shared/training';
import type { TrainingPool } from './pool';
import type { ProcessPresence } from './process-presence';
import type { DevRows } from './predict-dev';
import type { RunStore } from './store';

/** What a run needs from a loaded data set: rows arranged dev-first (see run-data.ts) and its test set. */
export interface RunData {
  datasetName: string;
  data: DatasetData;
  devRows: number;
  test: DatasetData | null;
  /** What the run records about its data (run-dataset.ts), so that it can continue on the same rows. */
  dataset?: RunDataset;
  /** The loaded data set's id, when it differs from the one asked for (a continued run's data found again). */
  datasetId?: string;
  /** devIndices[i]: the loaded data set's row of dev example i (data's row i), to show a matrix cell's images. */
  devIndices?: Uint32Array;
  /** For a continued run: what to tell about its data (its test set is not open), which becomes its notice. */
  notice?: string | null;
}

export interface RunManagerDeps {
  pool: TrainingPool;
  store: RunStore;
  /** This process in the data folder: runs' records name it while it trains them, and it tells whether the process
   *  another record names is alive (process-presence.ts). Stopped by shutdown. */
  presence: ProcessPresence;
  /** Resolves a data set id (and optional separate test set id) to arranged rows; throws a clear Error if unknown. */
  dataFor: (datasetId: string, testDatasetId: string | null) => RunData;
  /**
   * The data a stopped or interrupted run continues on (`state`: where it continues from, null = the start);
   * throws a clear Error naming the file when it is not loaded. Default: dataFor(the run's data set id).
   */
  dataToContinue?: (run: RunSummary, testDatasetId: string | null, state: TrainerState | null) => RunData;
  /** The dev rows of a run that ended (`state`: its saved weights), for its matrix cells after a restart (./predict-dev.ts);
   *  default: the first devRows rows of dataToContinue's data. */
  devRowsFor?: (run: RunSummary, state: TrainerState) => DevRows;
  emit: {
    changed: (summary: RunSummary) => void;
    removed: (id: string) => void;
    step: (payload: { id: string; point: StepPoint; progress: RunSummary['progress']; elapsedSeconds: number }) => void;
    epoch: (payload: { id: string; point: EpochPoint }) => void;
  };
  log: (line: string) => void;
  /** Every message of a run's task (the CLI prints from these), an epoch an earlier task began whole (managed-run.ts). */
  onTaskMessage?: (id: string, message: TrainMessage) => void;
  kernels?: KernelName;
  /** Threads a run trains on when its request names none (data-parallel above 1); default 1. */
  threads?: number;
  now?: () => number;
}
