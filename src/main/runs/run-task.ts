// A run's task on the training pool: the request built from the run, what the task's step and epoch messages
// change, emit and save (a checkpoint after every complete epoch), and how its result or its failure ends the
// run. The RunManager decides when a run launches and what happens once its task has ended (run-queue.ts).
import type { RunSummary } from '../../shared/api/runs';
import type { EpochMessage, TrainMessage, TrainResult } from '../../shared/training';
import type { RunManagerDeps } from './manager-deps';
import { accrueTime, recordEpoch, recordStep, type ManagedRun, wholeEpoch } from './managed-run';
import { notLearningNotice } from './learning-check';
import { addNotice, afterResult, epochPart } from './summary';

/** What a run's task needs from the RunManager. */
export interface RunTaskContext {
  deps: RunManagerDeps;
  now: () => number;
  /** Whether the run is still listed: messages of a removed run are dropped. */
  isListed: (id: string) => boolean;
  /** Sets fields of the run's summary and emits the changed summary. */
  update: (run: ManagedRun, patch: Partial<RunSummary>) => RunSummary;
}

/** Trains the run (it must hold its runData) on the pool; resolves once the run is finished, failed (its save
 *  queued) or parked. */
export function runTask(run: ManagedRun, context: RunTaskContext): Promise<void> {
  const runData = run.runData!;
  return context.deps.pool
    .run(
      {
        config: run.summary.config,
        train: runData.data,
        test: runData.test,
        control: run.control,
        state: run.startState,
        kernels: context.deps.kernels, // undefined: the task picks WASM SIMD where available
        ...(run.summary.threads > 1 ? { threads: run.summary.threads } : {}),
      },
      (message) => onMessage(run, message, context),
    )
    .then(
      (result) => {
        // A fault in ending the run (ours, not the worker's) fails the run with its reason; it never stays
        // 'running' behind an unhandled rejection (which would also end the CLI's process).
        try {
          settle(run, result, context);
        } catch (error) {
          fail(run, error, context, 'ending the run failed');
        }
      },
      (error: unknown) => fail(run, error, context),
    );
}

function onMessage(run: ManagedRun, message: TrainMessage, context: RunTaskContext): void {
  const { deps, now, isListed } = context;
  const id = run.summary.id;
  if (!isListed(id)) return;
  // An epoch an earlier task began (before a park, or a stop and Continue) is reported whole, to the CLI too.
  const reported = message.type === 'epoch' ? wholeEpoch(run, message) : message;
  deps.onTaskMessage?.(id, reported);
  if (reported.type === 'step') {
    const point = recordStep(run, reported, now);
    deps.emit.step({ id, point, progress: run.summary.progress, elapsedSeconds: run.summary.elapsedSeconds });
  } else if (reported.type === 'epoch') {
    if (run.parking && !reported.complete) run.parking.partialEpoch = reported;
    else applyEpoch(run, reported, context);
  }
}

function applyEpoch(run: ManagedRun, message: EpochMessage, { deps, now, update }: RunTaskContext): void {
  const { point, patch } = recordEpoch(run, message, now);
  update(run, patch);
  deps.emit.epoch({ id: run.summary.id, point });
  // The checkpoint (atomic; a failure is logged) for the epoch the summary now names.
  if (message.complete) run.writer.save({ checkpoint: message.state });
}

/** The task's result: a run parking (stopped to free its threads) holds it and stays paused; any other ends. */
function settle(run: ManagedRun, result: TrainResult, context: RunTaskContext): void {
  const parking = run.parking;
  if (parking && result.outcome === 'stopped') {
    parking.stage = 'parked';
    parking.result = result;
    run.startState = result.state;
    run.earlierPart = parking.partialEpoch && epochPart(parking.partialEpoch); // resumed, it goes on in that epoch
    context.update(run, { parked: true, progress: { ...run.summary.progress, step: result.steps } });
    return;
  }
  cancelParking(run, context); // it completed or diverged before it could park: it ends as any run does
  finish(run, result, context);
}

/** The run parks no more (told to just stop, or it ended before it could park): the partial epoch it held back
 *  is applied, so that it ends as any run does. */
export function cancelParking(run: ManagedRun, context: RunTaskContext): void {
  const held = run.parking?.partialEpoch;
  run.parking = null;
  if (held) applyEpoch(run, held, context);
}

/** A parked run is stopped: it ends as it would have had Stop come instead of the pause that parked it. */
export function stopParked(run: ManagedRun, context: RunTaskContext): void {
  const result = run.parking!.result!;
  context.update(run, { parked: false });
  cancelParking(run, context);
  finish(run, result, context);
}

function finish(run: ManagedRun, result: TrainResult, { now, update }: RunTaskContext): void {
  accrueTime(run, now);
  run.activeSince = null;
  const ended = afterResult(run.summary, result);
  // A run that ended at chance level with its loss gone up is told why it likely did not learn.
  const warning = notLearningNotice({ ...run.summary, ...ended }, run.steps, run.epochs);
  update(run, warning ? { ...ended, notice: addNotice(run.summary.notice, warning) } : ended);
  // A diverged run keeps its last good checkpoint as its weights; the NaN state is never written.
  if (run.summary.status !== 'diverged') run.writer.save({ final: result.state });
  else run.writer.save();
}

/** The task threw (or its worker died), or ending the run did (`what`): the run is failed, with the reason, and
 *  its record saved. */
function fail(run: ManagedRun, error: unknown, { deps, now, update }: RunTaskContext, what = 'the training worker failed'): void {
  const reason = error instanceof Error ? error.message : String(error);
  deps.log(`run ${run.summary.id} failed: ${reason}`);
  run.parking = null;
  accrueTime(run, now);
  update(run, { status: 'failed', error: `${what}: ${reason}` });
  run.writer.save();
}
