// How a run's summary follows its task's messages: pure functions from (summary, message) to the new
// summary, so the RunManager only decides when to call them, emit and persist.
import type { EpochPoint, RunProgress, RunSummary, StepPoint } from '../../shared/api/runs';
import type { EpochMessage, StepMessage, TrainResult } from '../../shared/training';

export function stepPoint(message: StepMessage): { point: StepPoint; progress: RunProgress } {
  return {
    point: { step: message.step, epoch: message.epoch, loss: message.loss },
    progress: {
      step: message.step,
      totalSteps: message.totalSteps,
      epoch: message.epoch,
      samplesPerSecond: message.samplesPerSecond,
      etaSeconds: message.etaSeconds,
      loss: message.loss,
      ...(message.onOneThread ? { onOneThread: true } : {}),
    },
  };
}

export function epochPoint(message: EpochMessage): EpochPoint {
  return {
    epoch: message.epoch,
    step: message.state.steps,
    atEpoch: message.atEpoch,
    trainLoss: message.trainLoss,
    devLoss: message.devLoss,
    devAccuracy: message.devAccuracy,
    testAccuracy: message.testAccuracy,
    seconds: message.seconds,
    samplesPerSecond: message.samplesPerSecond,
  };
}

/** The part of an epoch that one task trained (a run that parks or stops inside an epoch and goes on trains it
 *  in two tasks or more): its training seconds and the samples it took. */
export interface EpochPart {
  epoch: number;
  seconds: number;
  samples: number;
}

/** The part of its epoch a task's report (or the epoch point made of it) covers; null when it tells no time
 *  (a record written without). */
export function epochPart(report: Pick<EpochPoint, 'epoch' | 'seconds' | 'samplesPerSecond'>): EpochPart | null {
  const { epoch, seconds, samplesPerSecond } = report;
  return Number.isFinite(seconds) && Number.isFinite(samplesPerSecond) ? { epoch, seconds, samples: seconds * samplesPerSecond } : null;
}

/** A task's report of an epoch, with the part of that epoch earlier tasks trained added (before a park or a
 *  stop; not the time between): the whole epoch's training time, and samples/s from it. */
export function withEarlierPart(message: EpochMessage, earlier: EpochPart | null): EpochMessage {
  if (!earlier || earlier.epoch !== message.epoch) return message;
  const seconds = earlier.seconds + message.seconds;
  const samples = earlier.samples + message.seconds * message.samplesPerSecond;
  return { ...message, seconds, samplesPerSecond: seconds > 0 ? samples / seconds : 0 };
}

/** After an epoch: accuracies, confusion, and (for a complete epoch) the checkpoint about to be written. */
export function afterEpoch(summary: RunSummary, message: EpochMessage): Partial<RunSummary> {
  const dev = message.devAccuracy;
  return {
    epochsDone: message.complete ? message.epoch : summary.epochsDone,
    bestDevAccuracy: dev === null ? summary.bestDevAccuracy : Math.max(summary.bestDevAccuracy ?? 0, dev),
    lastDevAccuracy: dev,
    lastTestAccuracy: message.testAccuracy,
    confusion: message.confusion,
    checkpointEpoch: message.complete ? message.state.epoch : summary.checkpointEpoch,
    // a partial epoch (the run ended inside it): where exactly, as the last step message may be older
    ...(message.complete ? {} : { progress: { ...summary.progress, step: message.step, epoch: message.atEpoch } }),
    // a full-batch run (every step ends an epoch): the epoch's exact training loss, not the smoothed one
    ...(summary.config.batchSize === 'full' ? { progress: { ...summary.progress, loss: message.trainLoss } } : {}),
  };
}

/** When the task returns: its outcome as a status, with the reason a diverged run was rolled back. */
export function afterResult(summary: RunSummary, result: TrainResult): Partial<RunSummary> {
  const status = result.outcome === 'completed' ? 'completed' : result.outcome === 'stopped' ? 'stopped' : 'diverged';
  return {
    status,
    error:
      status === 'diverged'
        ? `${result.error ?? 'diverged'}; ${summary.checkpointEpoch > 0 ? `the weights were rolled back to the last good checkpoint (epoch ${summary.checkpointEpoch})` : 'it had no checkpoint yet, so it has no weights to keep'}`
        : null,
    lastDevAccuracy: result.dev?.accuracy ?? summary.lastDevAccuracy,
    lastTestAccuracy: result.test?.accuracy ?? summary.lastTestAccuracy,
    confusion: result.dev?.confusion ?? summary.confusion,
    progress: { ...summary.progress, step: result.steps, etaSeconds: null },
  };
}

/** A run's notice with `notice` added after the one it had, which stays true (its test set was not open when it
 *  continued, then the app closed): the earlier first, as they came, each a sentence. */
export function addNotice(earlier: string | null | undefined, notice: string): string {
  if (!earlier || earlier === notice || earlier.endsWith(` ${notice}`)) return earlier || notice;
  return `${asSentence(earlier)} ${notice}`;
}

/** A notice as the first of two: ending with a full stop (or its own ! or ?). */
function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** What addNotice added to `earlier` to make `now` — the notice a run got as it ended, which the CLI prints after
 *  the one it began with — or null when nothing was added. Not a plain slice: addNotice ends `earlier` with a
 *  period when it had none ('… (open it, then continue)'), which a slice would keep ('. The loss did not …'). */
export function noticeAdded(earlier: string | null | undefined, now: string | null | undefined): string | null {
  if (!now || now === earlier) return null;
  if (!earlier) return now;
  const sentence = asSentence(earlier);
  return now.startsWith(`${sentence} `) ? now.slice(sentence.length + 1) : now;
}
