// How the Train view writes numbers: durations, speeds, a run's settings in one line (losses, accuracies
// and epochs: lib/format).
import { describeConfig, type RunSummary } from '../../../shared/api/runs';
import type { TrainConfig } from '../../../shared/training';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return int.format(n);
}

/** 7 s · 1:05 · 1:02:05 */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  // A run that trained for less than half a second: "<1 s", as its time left reads, not "0 s" (a 1-epoch run of
  // 9,000 rows finished with 'elapsed 0 s').
  if (seconds > 0 && seconds < 0.5) return '<1 s';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Time left while steps remain: "<1 s" below half a second, "—" while unknown (null, or a stale 0 such as a
 * stopped run's, carried into its continuation until the first step reports); null when nothing is left. */
export function formatEta(etaSeconds: number | null, stepsLeft: number | null): string | null {
  if (stepsLeft !== null && stepsLeft <= 0) return null;
  if (etaSeconds === null || !Number.isFinite(etaSeconds) || etaSeconds <= 0) return '—';
  return formatSeconds(etaSeconds);
}

/** 850 / 12.3k / 1.2M samples/s */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e4) return `${Math.round(perSecond / 1e3)}k`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return int.format(perSecond);
}

/** "adam 0.001 · 128 relu · batch 64 · 5 epochs" */
export function configSummary(config: TrainConfig): string {
  const batch = config.batchSize === 'full' ? 'full batch' : `batch ${config.batchSize}`;
  const { unit, count } = config.duration;
  const duration = `${formatCount(count)} ${count === 1 ? unit.replace(/s$/, '') : unit}`;
  const loss = config.loss === 'squared-error' ? ' · squared error' : '';
  return `${describeConfig(config)} · ${batch} · ${duration}${loss} · seed ${config.seed}`;
}

export const STATUS_LABELS: Record<RunSummary['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  stopped: 'Stopped',
  diverged: 'Diverged',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

/** The run's total steps: from its progress, else worked out from its config (a run that has not
 * reported a step yet, or a full-batch run, whose steps are reported as epochs); null if unknown. */
export function totalSteps(run: RunSummary, trainRows: number | null): number | null {
  if (run.progress.totalSteps > 0) return run.progress.totalSteps;
  const { unit, count } = run.config.duration;
  if (unit === 'iterations') return count;
  if (run.config.batchSize === 'full') return count;
  return trainRows && trainRows > 0 ? count * Math.ceil(trainRows / run.config.batchSize) : null;
}

/** Steps in one epoch of the run: 1 for full batch, else from its total (an epoch-long run) or from the
 * rows it trains on; null if unknown. */
export function stepsPerEpoch(run: RunSummary, trainRows: number | null): number | null {
  const { batchSize, duration } = run.config;
  if (batchSize === 'full') return 1;
  if (duration.unit === 'epochs' && run.progress.totalSteps > 0) return run.progress.totalSteps / duration.count;
  return trainRows && trainRows > 0 ? Math.ceil(trainRows / batchSize) : null;
}

/** The fractional epoch the run's step count is at: step / steps per epoch. The progress's own epoch comes
 * from the last step message, which can be older than the step (a stop between two messages sets the step
 * only), so it is the fallback when the steps per epoch are unknown. */
export function runEpoch(run: RunSummary, trainRows: number | null): number {
  const perEpoch = stepsPerEpoch(run, trainRows);
  return perEpoch ? run.progress.step / perEpoch : Math.max(run.progress.epoch, run.epochsDone);
}

/** 0–1 through the run's steps. */
export function progressFraction(run: RunSummary, total: number | null): number {
  if (run.status === 'completed') return 1;
  return total ? Math.min(1, run.progress.step / total) : 0;
}

/** What Continue goes on from, as its button's tooltip says; null when the run cannot continue (the row shows no
 *  Continue). A stopped run goes on from the weights it stopped with (final.bin, even inside its first epoch); an
 *  interrupted one from its last checkpoint; one with no weights yet (stopped while queued, or the app closed
 *  before its first checkpoint or before it started) from the start, with its own seed. */
export function continueFrom(run: RunSummary): string | null {
  const { status, checkpointEpoch, progress } = run;
  if (status !== 'stopped' && status !== 'interrupted') return null;
  if (status === 'stopped' && progress.step > 0) return `Continue from where it stopped (step ${formatCount(progress.step)})`;
  if (checkpointEpoch > 0) return `Continue from the checkpoint after epoch ${checkpointEpoch}`;
  return 'Continue from the start (it has no saved weights yet)';
}

/** Why a parked run (paused, its threads given to queued runs) waits, and what Resume does. */
export function parkedWhy(threads: number): string {
  const held = threads > 1 ? 'Its threads' : 'Its thread';
  return `${held} went to a queued run. Resume puts it first in the queue; it goes on from where it paused.`;
}

/** A data set in the Train form's menu: its name, which fits the settings column (with its size, 'Built-in MNIST
 *  sample · 10,000 rows' lost its 'rows' at 1024 px; the split below tells the rows), and its size as well where
 *  another open data set has the same name; `title` names it in full. */
export function datasetChoice(d: { id: string; name: string; rows: number }, open: readonly { id: string; name: string }[]): { label: string; title: string } {
  const title = `${d.name} · ${formatCount(d.rows)} rows`;
  return { label: open.some((o) => o.id !== d.id && o.name === d.name) ? title : d.name, title };
}

/** The threads part of a run's settings line: '' on one thread, ' · 2 threads', and while its first thread
 *  trains alone for now (another program keeps a core busy: the run is then no faster than on one thread),
 *  ' · 2 threads (on 1 for now: a core is busy)'. */
export function threadsText(run: Pick<RunSummary, 'threads' | 'status' | 'progress'>): string {
  const threads = run.threads ?? 1;
  if (threads <= 1) return '';
  const alone = run.status === 'running' && run.progress.onOneThread === true;
  return ` · ${threads} threads${alone ? ' (on 1 for now: a core is busy)' : ''}`;
}
