// runs.*: training runs on the worker pool — start, compare, pause/resume/stop, their live progress and
// history, checkpoints that survive a crash or quit.
import * as v from 'valibot';
import type { SplitOptions } from '../datasets';
import { FileRefSchema } from './files';
import { MODEL_FORMATS } from '../model-file';
import { TrainConfigSchema, type TrainConfig } from '../training';
import { method, returns } from './contract';

export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
/**
 * queued: waiting for a free thread; running / paused: on a thread (a paused one may give it to queued runs:
 * `parked`); completed: ran its whole duration; stopped: stopped by the user (its weights are kept);
 * diverged: NaN/Inf loss (rolled back to its last good checkpoint); failed: the worker threw or died;
 * interrupted: the app quit or crashed while it ran (resumable).
 */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Whether a run with this status ended with final weights of its own (completed, or stopped by the user):
 *  what it is evaluated with are the weights it ended with, which may be inside an epoch. */
export function endsWithFinal(status: RunStatus): boolean {
  return status === 'completed' || status === 'stopped';
}

/** One point per epoch on the chart. */
export interface EpochPoint {
  epoch: number;
  /** Global step count at the end of this epoch (x position on the step axis). */
  step: number;
  /** Fractional epoch at its end (x position on the epoch axis): `epoch` for a complete epoch, the fraction
   *  reached for a last partial one. Absent in runs recorded before it was kept. */
  atEpoch?: number;
  trainLoss: number;
  devLoss: number | null;
  devAccuracy: number | null;
  testAccuracy: number | null;
  seconds: number;
  samplesPerSecond: number;
}

/** One smoothed step-loss point. */
export interface StepPoint {
  step: number;
  /** Fractional epoch. */
  epoch: number;
  loss: number;
}

export interface RunProgress {
  step: number;
  totalSteps: number;
  /** Fractional epoch. */
  epoch: number;
  samplesPerSecond: number;
  etaSeconds: number | null;
  /** Latest smoothed training loss. */
  loss: number | null;
  /** A run on several threads that trains on its first thread alone for now (StepMessage.onOneThread). */
  onOneThread?: boolean;
}

/**
 * The data a run trains on, kept with the run: data set ids last one session, so a continued run finds its
 * data again among the loaded data sets by content, and with the same split, never on another file.
 */
export interface RunDataset {
  /** SHA-256 of the data set's shape, labels and pixels (src/main/datasets/fingerprint.ts). */
  fingerprint: string;
  rows: number;
  width: number;
  height: number;
  /** How its rows were split into dev and training rows (the separate test set left out). */
  split: SplitOptions;
  /** The separate test set it is measured on, found again by fingerprint when it continues; null = none
   *  (absent in runs recorded before it was kept). */
  test?: { fingerprint: string; name: string; rows: number } | null;
}

export interface RunSummary {
  id: string;
  /** Short human name, e.g. "Adam 0.001 · 128 relu". */
  name: string;
  status: RunStatus;
  config: TrainConfig;
  /** The data set's id in the session that started or last continued the run. */
  datasetId: string;
  datasetName: string;
  /** What the run trains on (absent in runs recorded before it was kept, and in some tests). */
  dataset?: RunDataset;
  /** Runs started together by "compare" share a group id (same initial weights and batch order). */
  groupId: string | null;
  /** Index into the chart palette, stable for the run's life. */
  colorIndex: number;
  createdAt: number;
  /** Seconds spent training so far (paused time excluded). */
  elapsedSeconds: number;
  progress: RunProgress;
  /** Epochs completed. */
  epochsDone: number;
  bestDevAccuracy: number | null;
  lastDevAccuracy: number | null;
  lastTestAccuracy: number | null;
  /** Dev-set confusion matrix after the latest epoch ([true][predicted]). */
  confusion: number[][];
  /** Why it failed / diverged, in words. */
  error: string | null;
  /** Something to know that is not a failure: its test set was not open when it continued (no test accuracy). */
  notice?: string | null;
  /** Why its last save failed (a data folder that cannot be written, a full disk): it is kept only in memory. Of
   *  this session alone: never written to its record. */
  saveError?: string | null;
  /** Epoch of the last checkpoint on disk (0 = none yet). */
  checkpointEpoch: number;
  /** Position in the queue when queued (1 = next), else null. */
  queuePosition: number | null;
  /** Threads this run trains on (data-parallel when above 1); it waits for that many free. */
  threads: number;
  /** A paused run whose threads went to queued runs (its state kept in memory): Resume queues it again. */
  parked?: boolean;
  /** A run made by importing a model file (runs.importModel): what the file says of the images it reads and its
   *  classes, since the run has no data set of its own; and the labelled data set it was last measured on
   *  (runs.evaluateImported: every row of it, the run's `confusion`), found again by fingerprint after a restart. */
  imported?: { fileName: string; width: number; height: number; labels: string[]; evaluatedOn?: { fingerprint: string; name: string; rows: number } };
}

/** The dev examples in one cell of a run's confusion matrix (runs.cellExamples). */
export interface CellExamples {
  /** The loaded data set whose rows these are (datasets.examples shows their images). */
  datasetId: string;
  /** Where in training they were evaluated, in epochs (the matrix's; fractional when the run ended inside one). */
  epoch: number;
  /** How many dev examples the cell holds. */
  total: number;
  /** Data-set rows of the first of them, most confident prediction first. */
  rows: number[];
  /** The probability the model gave its prediction, per row. */
  confidence: number[];
}

/** A run folder the app found and could not read (runs.unreadable): it is not listed, and its files are left as
 *  they are. */
export interface UnreadableRun {
  /** The file that could not be read (its run.json), or the folder. */
  path: string;
  /** What is wrong with it: "summary.progress: Invalid key …", "Unexpected end of JSON input", "permission denied". */
  reason: string;
}

export interface RunHistory {
  id: string;
  steps: StepPoint[];
  epochs: EpochPoint[];
}

const RunId = v.pipe(v.string(), v.regex(/^[a-z0-9-]{4,64}$/, 'a run id'));
const Name = v.pipe(v.string(), v.trim(), v.maxLength(120));

export const StartRunSchema = v.object({
  datasetId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  config: TrainConfigSchema,
  name: v.optional(Name),
  /** A separate labelled test set, evaluated after every epoch. */
  testDatasetId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200)))),
  /** Train this one run on several threads, each taking part of every batch (capped at the pool size). */
  threads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64))),
});
export type StartRunRequest = v.InferOutput<typeof StartRunSchema>;

export const CompareRunsSchema = v.object({
  datasetId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** Two to eight configs that differ only in optimizer and its hyper-parameters (checked by the service). */
  configs: v.pipe(v.array(TrainConfigSchema), v.minLength(2, 'compare needs at least 2 runs'), v.maxLength(8, 'compare takes at most 8 runs')),
  names: v.optional(v.array(Name)),
  testDatasetId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200)))),
});
export type CompareRunsRequest = v.InferOutput<typeof CompareRunsSchema>;

const ClassIndex = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255));
export const CellQuerySchema = v.object({
  id: RunId,
  truth: ClassIndex,
  predicted: ClassIndex,
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
});

export const PredictSchema = v.object({
  id: RunId,
  /** One image, row-major grey levels 0–255 (ink high, as in MNIST), of the run's input size. */
  pixels: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))), v.minLength(1), v.maxLength(65536)),
});

/** A run's model as a file (runs.modelFile, runs.saveModel): its latest saved weights in a format of
 *  src/shared/model-file.ts, with the class names the UI shows for it (one per class). */
const ModelFileFields = {
  id: RunId,
  format: v.picklist(MODEL_FORMATS),
  /** The class names, one per class (absent: the class numbers). */
  labels: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.minLength(2), v.maxLength(256))),
};
export const ModelFileSchema = v.object(ModelFileFields);
export const SaveModelSchema = v.object({
  ...ModelFileFields,
  /** Where to write it (the save dialog's answer): an absolute path in an existing folder. */
  path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
});

/** A run's predictions for a loaded data set as CSV (runs.predictionsFile, runs.savePredictions). */
const PredictionsFields = {
  id: RunId,
  datasetId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  labels: ModelFileFields.labels,
};
export const PredictionsFileSchema = v.object(PredictionsFields);
export const EvaluateImportedSchema = v.object({ id: RunId, datasetId: PredictionsFields.datasetId });
export const SavePredictionsSchema = v.object({ ...PredictionsFields, path: SaveModelSchema.entries.path });

/** An exported file's name and bytes (runs.modelFile, runs.predictionsFile: browser mode downloads them). */
export interface ExportedFile {
  name: string;
  data: Uint8Array;
}

/** How many images of a labelled data set a run's predictions got right (null for an unlabelled one): what the
 *  Models view tells beside the predictions it saves. */
export interface PredictionsScore {
  correct: number | null;
  rows: number;
  /** Images the model gave no answer for (its outputs not numbers: prediction-summary.ts). */
  noAnswer: number;
}

/** A run's answer for one image (runs.predict). */
export interface Prediction {
  /** Probability of each class. */
  probabilities: number[];
  /** The epochs its weights were trained for (fractional for a run stopped inside an epoch: 1.47). */
  epoch: number;
}

/** A run's first layer (runs.firstLayer): what each hidden unit looks for in an image. */
export interface FirstLayer {
  /** The images' size: weights[p·units + u] is unit u's weight on pixel p = y·width + x. */
  width: number;
  height: number;
  units: number;
  /** W1 as trained, [width·height, units] row-major. */
  weights: Float32Array;
  /** W1 as the run started (drawn again from its seed), same layout: weights − initial is what it learned. */
  initial: Float32Array;
  /** The epochs its weights were trained for (fractional for a run stopped inside an epoch: 1.47). */
  epoch: number;
}

export const runsMethods = {
  /** Starts (or queues) one run. */
  start: method(v.tuple([StartRunSchema]), returns<RunSummary>()),
  /** Starts N runs from identical initial weights and batch order, differing only in optimizer settings. */
  compare: method(v.tuple([CompareRunsSchema]), returns<RunSummary[]>()),
  pause: method(v.tuple([RunId]), returns<RunSummary>()),
  resume: method(v.tuple([RunId]), returns<RunSummary>()),
  /** Stops after the current step; the weights reached so far are kept as a usable model. */
  stop: method(v.tuple([RunId]), returns<RunSummary>()),
  /** Continues an interrupted/stopped run from its last checkpoint. */
  continue: method(v.tuple([RunId]), returns<RunSummary>()),
  /** Deletes a finished run and its checkpoint. */
  remove: method(v.tuple([RunId]), returns<void>()),
  list: method(v.tuple([]), returns<RunSummary[]>()),
  /** The run folders found in the data folder at start that could not be read, and why (they are not listed). */
  unreadable: method(v.tuple([]), returns<UnreadableRun[]>()),
  history: method(v.tuple([RunId]), returns<RunHistory>()),
  /** The dev examples of true class `truth` predicted as `predicted` after the run's latest epoch (kept while
   *  the app runs; a run from before a restart has them again after its next epoch). */
  cellExamples: method(v.tuple([CellQuerySchema]), returns<CellExamples>()),
  /** The class probabilities a run's latest saved weights give one image (the Draw view's pad). */
  predict: method(v.tuple([PredictSchema]), returns<Prediction>()),
  /** The run's first-layer weights from its latest saved weights, to draw each hidden unit as an image. */
  firstLayer: method(v.tuple([RunId]), returns<FirstLayer>()),
  /** The run's latest saved weights as a model file (.json or .npz), to download. */
  modelFile: method(v.tuple([ModelFileSchema]), returns<ExportedFile>()),
  /** Writes the run's model file to `path` (atomically); answers the bytes written. */
  saveModel: method(v.tuple([SaveModelSchema]), returns<{ path: string; bytes: number }>()),
  /** Reads a model file (MLP Studio's .json) and lists it as a completed run; says what is wrong with a file it refuses. */
  importModel: method(v.tuple([FileRefSchema]), returns<RunSummary>()),
  /** An imported model measured on every image of a loaded labelled data set: its confusion matrix becomes the
   *  run's (Evaluate shows it, and the images behind each cell). Only an imported run: one trained here has its dev set. */
  evaluateImported: method(v.tuple([EvaluateImportedSchema]), returns<RunSummary>()),
  /** The run's predictions for every image of a loaded data set (labelled or not), as CSV, to download. */
  predictionsFile: method(v.tuple([PredictionsFileSchema]), returns<ExportedFile & PredictionsScore>()),
  /** Writes those predictions to `path` (atomically); answers the bytes written. */
  savePredictions: method(v.tuple([SavePredictionsSchema]), returns<{ path: string; bytes: number } & PredictionsScore>()),
};

export interface RunsEvents {
  /** A run's status or summary changed (also sent with each epoch). */
  'runs.changed': RunSummary;
  /** A run was removed. */
  'runs.removed': { id: string };
  /** Throttled step progress (≤ 20/s per run). */
  'runs.step': { id: string; point: StepPoint; progress: RunProgress; elapsedSeconds: number };
  /** An epoch ended. */
  'runs.epoch': { id: string; point: EpochPoint };
}

export function describeConfig(config: TrainConfig): string {
  const layers = config.hidden.map((h) => `${h.units} ${h.activation}`).join(', ') || 'no hidden layer';
  return `${config.optimizer} ${config.learningRate} · ${layers}`;
}

/** What a new run's summary is made from (the RunManager's start; tests' summaries). */
export interface NewRun {
  id: string;
  config: TrainConfig;
  /** The dev rows of the arranged data (overrides config.devRows). */
  devRows: number;
  datasetId: string;
  datasetName: string;
  dataset?: RunDataset;
  name?: string;
  groupId: string | null;
  colorIndex: number;
  createdAt: number;
  threads: number;
}

/** A new run's summary: queued, nothing trained yet. */
export function newSummary(run: NewRun): RunSummary {
  return {
    id: run.id,
    name: run.name?.trim() || describeConfig(run.config),
    status: 'queued',
    config: { ...run.config, devRows: run.devRows },
    datasetId: run.datasetId,
    datasetName: run.datasetName,
    ...(run.dataset ? { dataset: run.dataset } : {}),
    groupId: run.groupId,
    colorIndex: run.colorIndex,
    createdAt: run.createdAt,
    elapsedSeconds: 0,
    progress: { step: 0, totalSteps: 0, epoch: 0, samplesPerSecond: 0, etaSeconds: null, loss: null },
    epochsDone: 0,
    bestDevAccuracy: null,
    lastDevAccuracy: null,
    lastTestAccuracy: null,
    confusion: [],
    error: null,
    checkpointEpoch: 0,
    queuePosition: null,
    threads: run.threads,
  };
}
