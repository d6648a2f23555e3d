// The rules the RunManager applies to runs, as plain functions: which statuses mean a run has ended, how a run
// found on disk is listed after a crash or quit, and which runs may be compared side by side.
import type { RunSummary } from '../../shared/api/runs';
import { fileErrorText } from '../../shared/file-error';
import type { TrainConfig } from '../../shared/training';

const ENDED = new Set<RunSummary['status']>(['completed', 'stopped', 'diverged', 'failed', 'interrupted']);

/** Whether a run with this status has ended (it may be removed, and no task is training it). */
export function hasEnded(status: RunSummary['status']): boolean {
  return ENDED.has(status);
}

/** A run read from disk as it is listed: one that was training when the app stopped becomes 'interrupted'. */
export function restoredSummary(summary: RunSummary): RunSummary {
  summary.threads ??= 1; // records written before runs had a thread count
  if (!hasEnded(summary.status)) {
    summary.status = 'interrupted';
    summary.error = summary.checkpointEpoch > 0 ? null : 'the app closed before the first checkpoint';
    summary.queuePosition = null;
    delete summary.parked; // its held state went with the app; it continues from its checkpoint
  }
  return summary;
}

/**
 * Throws unless the configs differ only in the optimizer's settings: compared runs share initial weights and
 * batch order, so layers, loss, batch size, duration and seed must match.
 */
export function checkComparable(configs: TrainConfig[]): void {
  const [first, ...rest] = configs;
  const shared = (c: TrainConfig) => JSON.stringify({ h: c.hidden, l: c.loss, b: c.batchSize, d: c.duration, s: c.seed });
  rest.forEach((c, i) => {
    if (shared(c) !== shared(first)) {
      throw new Error(`compare: run ${i + 2} differs from run 1 in more than the optimizer (layers, loss, batch, duration and seed must match)`);
    }
  });
}

/** What a run's row says while its saves fail (to `folder`, the runs' folder): why, and what it means for the run. */
export function saveErrorText(folder: string, error: Error): string {
  const why = fileErrorText(error, folder, 'the runs folder', 'write to') ?? `cannot save it to ${folder}: ${error.message}`;
  return `Not saved — ${why}. The run is kept only while the app is open: it will be gone after a restart.`;
}
