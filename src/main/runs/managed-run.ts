// One run as the RunManager holds it — summary, history, the control flag its task polls, its writer, the
// clock of its training time — and how its task's step and epoch messages change it. The manager decides
// when these happen and what is emitted and saved; the bookkeeping itself lives here.
import type { EpochPoint, RunSummary, StepPoint } from '../../shared/api/runs';
import { CONTROL, type EpochMessage, type StepMessage, type TrainerState, type TrainResult } from '../../shared/training';
import type { DevExamples } from './dev-examples';
import type { Predictor } from './predictor';
import type { RunData } from './manager-deps';
import { continuedRunDataset } from './run-dataset';
import { hasEnded } from './run-rules';
import type { ProcessPresence } from './process-presence';
import { RunWriter } from './run-writer';
import type { RunStore } from './store';
import { afterEpoch, type EpochPart, epochPart, epochPoint, stepPoint, withEarlierPart } from './summary';

export interface ManagedRun {
  summary: RunSummary;
  steps: StepPoint[];
  epochs: EpochPoint[];
  /** One Int32 shared with the run's task: CONTROL.run, pause or stop. */
  control: Int32Array;
  /** Set while queued or running; released when the run ends. */
  runData: RunData | null;
  /** Where to start from when launched (a checkpoint), or null for fresh weights. */
  startState: TrainerState | null;
  testDatasetId: string | null;
  /** ms timestamp since when the run has been training unpaused, or null. */
  activeSince: number | null;
  /** Saves the run's states and record, newest first. */
  writer: RunWriter;
  /** The dev set's predictions after the latest epoch, in memory only (null before one, and after a restart). */
  devExamples: DevExamples | null;
  /** The network of the run's latest saved weights, for single images (built, or being built): `asked` names the
   *  weights asked for, `weights` those read (a newer checkpoint than asked, or null until read). */
  predictor: { asked: string; weights: string | null; ready: Promise<{ epoch: number; predict: Predictor }> } | null;
  /** Set while a paused run gives its threads to queued runs (see Parking); null otherwise. */
  parking: Parking | null;
  /** The part of the epoch it is in that its earlier tasks trained — before it parked, or was stopped and
   *  continued — until its task reports that epoch (which then tells the whole epoch's time); else null. */
  earlierPart: EpochPart | null;
  /** Its record as this process found it on disk ("stopped@1480"), until this process saves the run: a record that
   *  says otherwise then was written by another process (the CLI) meanwhile. Null for a run made here. */
  listedFrom: string | null;
}

/**
 * A paused run gives its threads to queued runs: the manager stops its task (which saves nothing and keeps
 * the run 'paused'), holds the state it stopped at, and Resume queues the run again from there — the same
 * weights, moments and batch order, so it ends as it would have without the pause. Stop applies the held
 * result as if the run had stopped when it parked.
 */
export interface Parking {
  /** 'stopping': told to stop, its task not yet ended; 'parked': ended, its result held. */
  stage: 'stopping' | 'parked';
  /** Its task's result (result.state is where it continues from), once parked. */
  result: TrainResult | null;
  /** Its task's report of the partial epoch it stopped in, held back (a pause is not the end of an epoch). */
  partialEpoch: EpochMessage | null;
  /** Resume was asked while it was stopping: queue it again as soon as it has parked. */
  resumeWhenParked: boolean;
}

/** Step points kept per run; beyond this the history is thinned by half (bounded memory, shape preserved). */
const MAX_STEP_POINTS = 20_000;
/** Epoch points kept per run, the same way but keeping the first and the last (the not-learning check compares
 *  them; Continue and epochOfWeights read the last). A full-batch run has a point per step: without a bound,
 *  its run.json, rewritten with every checkpoint, grew to 53 MB at 300,000 epochs (~1.8 s to stringify). */
export const MAX_EPOCH_POINTS = 20_000;

/** A run with this summary and history, not queued, with its own control flag and writer; its record names
 *  `presence`'s process while it has not ended; `onSaved` is told how each of the writer's turns went (the error
 *  that kept the run off the disk, or null). */
export function createManagedRun(summary: RunSummary, steps: StepPoint[], epochs: EpochPoint[], store: RunStore, presence: Pick<ProcessPresence, 'claim'>, log: (line: string) => void, onSaved?: (error: Error | null) => void): ManagedRun {
  const control = new Int32Array(new SharedArrayBuffer(4));
  // The writer reads the run as it is when its turn comes: the newest summary (without a save's own error, which
  // is of this session) and history.
  const record = () => {
    const { saveError: _saveError, ...saved } = run.summary;
    void _saveError;
    return { version: 1 as const, summary: saved, steps: run.steps, epochs: run.epochs, ...(hasEnded(saved.status) ? {} : { trainedBy: presence.claim() }) };
  };
  const writer = new RunWriter(summary.id, store, record, log, undefined, (error) => {
    if (!error) run.listedFrom = null; // on disk as this process has it
    onSaved?.(error);
  });
  const run: ManagedRun = { summary, steps, epochs, control, runData: null, startState: null, testDatasetId: null, activeSince: null, writer, devExamples: null, predictor: null, parking: null, earlierPart: null, listedFrom: null };
  return run;
}

/** What `listedFrom` compares: a record's status and step. */
export function recordMark(summary: Pick<RunSummary, 'status' | 'progress'>): string {
  return `${summary.status}@${summary.progress.step}`;
}

/** Sets the run's control flag (a CONTROL value) and wakes its task if it waits on it (paused). */
export function setControl(run: ManagedRun, flag: number): void {
  Atomics.store(run.control, 0, flag);
  Atomics.notify(run.control, 0);
}

/** Adds the training time since activeSince to the summary; the clock keeps running if it was. */
export function accrueTime(run: ManagedRun, now: () => number): void {
  const base = run.summary.elapsedSeconds;
  const elapsedSeconds = run.activeSince === null ? base : base + (now() - run.activeSince) / 1000;
  run.summary = { ...run.summary, elapsedSeconds };
  if (run.activeSince !== null) run.activeSince = now();
}

/** The run's history up to step `step` alone: what came after it is trained again (or was lost with the app). */
export function forgetAfter(run: ManagedRun, step: number): void {
  run.steps = run.steps.filter((p) => p.step <= step);
  run.epochs = run.epochs.filter((p) => p.step <= step);
}

/** Before a stopped or interrupted run continues from `state` (null: from the start) on `runData`: the history
 *  past that point is forgotten (those steps are trained again) and the summary says where it stands. */
export function prepareToContinue(run: ManagedRun, state: TrainerState | null, runData: RunData): void {
  run.runData = runData;
  run.startState = state;
  run.predictor = null; // its weights move on (stopped again before its next epoch, it has a new final.bin)
  const fromStep = state?.steps ?? 0;
  forgetAfter(run, fromStep);
  // From inside an epoch (stopped there): the point of that partial epoch tells the part trained before.
  const before = state && state.stepInEpoch > 0 ? run.epochs.find((p) => p.step === fromStep && p.epoch === state.epoch + 1) : undefined;
  run.earlierPart = before ? epochPart(before) : null;
  setControl(run, CONTROL.run);
  run.summary = {
    ...run.summary,
    error: null,
    epochsDone: state?.epoch ?? 0,
    datasetId: runData.datasetId ?? run.summary.datasetId,
    dataset: continuedRunDataset(run.summary.dataset, runData.dataset), // an older run records its data from now on
    notice: runData.notice ?? null,
  };
}

/** A task's epoch message as the run reports it: for the epoch its earlier tasks began (see earlierPart), with
 *  their part added. */
export function wholeEpoch(run: ManagedRun, message: EpochMessage): EpochMessage {
  const whole = withEarlierPart(message, run.earlierPart);
  run.earlierPart = null; // the task's later messages are of later epochs
  return whole;
}

/** A step message: its point joins the (thinned) history, the progress and training time move on. */
export function recordStep(run: ManagedRun, message: StepMessage, now: () => number): StepPoint {
  const { point, progress } = stepPoint(message);
  run.steps.push(point);
  if (run.steps.length > MAX_STEP_POINTS) run.steps = run.steps.filter((_, i) => i % 2 === 1);
  accrueTime(run, now);
  run.summary = { ...run.summary, progress };
  return point;
}

/**
 * An epoch message: its point replaces any earlier one of that epoch (a continued run trains it again) and
 * the training time moves on. Returns the point and the summary fields the epoch changes.
 */
export function recordEpoch(run: ManagedRun, message: EpochMessage, now: () => number): { point: EpochPoint; patch: Partial<RunSummary> } {
  const point = epochPoint(message);
  const data = run.runData;
  if (message.devPredictions && data?.devIndices && data.data.labels && data.devIndices.length === message.devPredictions.predicted.length) {
    const n = data.devIndices.length;
    // The labels are copied: the arranged data (tens of MB) is released when the run ends.
    run.devExamples = { ...message.devPredictions, epoch: message.atEpoch, datasetId: data.datasetId ?? run.summary.datasetId, rows: data.devIndices, labels: data.data.labels.slice(0, n) };
  }
  // Appended in place: a full-batch run has a point per epoch (hundreds of thousands; thinned past
  // MAX_EPOCH_POINTS), and a new list each epoch made its run O(epochs²) — 40,000 epochs took minutes. An epoch trained again (the
  // partial last one of a stopped run, continued) replaces its point.
  const last = run.epochs.at(-1);
  if (!last || last.epoch < point.epoch) run.epochs.push(point);
  else run.epochs = [...run.epochs.filter((p) => p.epoch !== point.epoch), point];
  if (run.epochs.length > MAX_EPOCH_POINTS) run.epochs = run.epochs.filter((_, i, all) => i % 2 === 0 || i === all.length - 1);
  accrueTime(run, now);
  return { point, patch: afterEpoch(run.summary, message) };
}
