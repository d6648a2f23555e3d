// The chart's data, per run: smoothed step loss, dev loss and dev accuracy as {x, y} points in plain arrays
// (never proxied — thousands of points), appended in O(1) as events arrive, once per x axis: x = global step,
// and x = fractional epoch (runs of other batch sizes or data sets compare by epoch, not by step). Listeners
// hear "something changed" and decide themselves when to redraw (the chart throttles to ~10×/s).
import type { EpochPoint, RunHistory, StepPoint } from '../../../shared/api/runs';

export interface XY {
  x: number;
  y: number;
}

/** What x means: the global step, or the fractional epoch (dev points sit at whole epochs). */
export type XAxis = 'steps' | 'epochs';
export const X_AXES: readonly XAxis[] = ['steps', 'epochs'];

export interface RunSeries {
  /** Smoothed training loss after each reported step. */
  loss: XY[];
  /** Dev loss and dev accuracy (0–1) at the end of each epoch. */
  devLoss: XY[];
  devAccuracy: XY[];
}

/** A run's series on each x axis: the same points in the same order, only x differs. */
type RunPlots = Record<XAxis, RunSeries>;

const emptySeries = (): RunSeries => ({ loss: [], devLoss: [], devAccuracy: [] });
const emptyPlots = (): RunPlots => ({ steps: emptySeries(), epochs: emptySeries() });

/** Points kept per series; past it every other point goes (first and last stay), as the service does. */
export const MAX_POINTS = 20_000;

/** Halves a series in place, keeping the first and the last point. */
function thin(series: XY[]): void {
  const last = series[series.length - 1];
  let kept = 0;
  for (let i = 0; i < series.length - 1; i += 2) series[kept++] = series[i];
  series[kept++] = last;
  series.length = kept;
}

/** Keeps a series sorted by x: a point at or before the last one means the run went back (resumed from a
 * checkpoint), so the points from there on are dropped before appending. Non-finite values are skipped. */
export function append(series: XY[], x: number, y: number): void {
  if (!Number.isFinite(y)) return;
  let end = series.length;
  while (end > 0 && series[end - 1].x >= x) end--;
  if (end < series.length) series.length = end;
  series.push({ x, y });
  if (series.length > MAX_POINTS) thin(series);
}

/**
 * Where an epoch's point sits on the epoch axis: at the fractional epoch the worker recorded (`atEpoch`: its
 * whole epoch when complete, the fraction reached by the last epoch of a run that stopped mid-epoch). Runs
 * recorded before that was kept work it out from any step point of the run (epoch / step = 1 / stepsPerEpoch
 * throughout), a complete epoch rounded to its whole epoch.
 */
export function epochX(point: EpochPoint, ref: StepPoint | null): number {
  if (point.atEpoch !== undefined) return point.atEpoch;
  if (!ref || ref.step <= 0) return point.epoch;
  const x = (point.step * ref.epoch) / ref.step;
  return Math.abs(x - point.epoch) < 1e-6 ? point.epoch : x;
}

/** Appends an epoch's points to a run's plots, on both axes; `asStepLoss`: its training loss joins the loss
 *  line too (a full-batch run's, in place of the step point reported for the same step). */
function appendEpoch(plots: RunPlots, point: EpochPoint, ref: StepPoint | null, asStepLoss: boolean): Record<XAxis, number> {
  const xs: Record<XAxis, number> = { steps: point.step, epochs: epochX(point, ref) };
  for (const axis of X_AXES) {
    const s = plots[axis];
    const x = xs[axis];
    if (asStepLoss) append(s.loss, x, point.trainLoss);
    if (point.devLoss !== null) append(s.devLoss, x, point.devLoss);
    if (point.devAccuracy !== null) append(s.devAccuracy, x, point.devAccuracy);
  }
  return xs;
}

/** A run's last epoch point on the chart: its number and x on each axis. */
type LastEpoch = { epoch: number; xs: Record<XAxis, number> };

/** Takes the dev points of an epoch `last` off the chart (they are the last of their series). */
function dropEpoch(plots: RunPlots, last: LastEpoch): void {
  for (const axis of X_AXES) {
    for (const series of [plots[axis].devLoss, plots[axis].devAccuracy]) if (series.at(-1)?.x === last.xs[axis]) series.pop();
  }
}

export class RunSeriesStore {
  private readonly plots = new Map<string, RunPlots>();
  /** Each run's latest step point with step > 0: what places a partial last epoch recorded without its
   *  `atEpoch` (older runs) on the epoch axis. */
  private readonly refs = new Map<string, StepPoint>();
  /** Each run's last epoch point. A run stopped inside an epoch reports that partial epoch; continued, it reports
   *  the whole epoch under the same number, which replaces it (as in the service's history: the partial point
   *  stayed beside it, a few steps earlier, until the page was reloaded). */
  private readonly lastEpochs = new Map<string, LastEpoch>();
  private readonly listeners = new Set<() => void>();

  /** The run's series on one x axis (created empty on first use). The arrays are live: read, never mutate. */
  get(id: string, axis: XAxis = 'steps'): RunSeries {
    return this.plotsOf(id)[axis];
  }

  addStep(id: string, point: StepPoint): void {
    const plots = this.plotsOf(id);
    append(plots.steps.loss, point.step, point.loss);
    append(plots.epochs.loss, point.epoch, point.loss);
    if (point.step > 0) this.refs.set(id, point);
    this.changed();
  }

  /** `asStepLoss`: plot the epoch's training loss on the step-loss line, in place of the step point just
   * reported for the same step (full-batch runs: every step ends an epoch, and its exact training loss beats
   * the smoothed one). */
  addEpoch(id: string, point: EpochPoint, asStepLoss = false): void {
    const plots = this.plotsOf(id);
    const last = this.lastEpochs.get(id);
    if (last?.epoch === point.epoch) dropEpoch(plots, last);
    this.lastEpochs.set(id, { epoch: point.epoch, xs: appendEpoch(plots, point, this.refs.get(id) ?? null, asStepLoss) });
    this.changed();
  }

  /** Fills a run from runs.history, keeping live points that arrived after the history's last step. */
  setHistory(history: RunHistory, epochsAsStepLoss = false): void {
    const old = this.plotsOf(history.id);
    const next = emptyPlots();
    let ref = this.refs.get(history.id) ?? null;
    for (const p of history.steps) {
      // A full-batch run's loss line is its epochs' training loss, as live (its step points, one per epoch,
      // hold the smoothed loss, which lags: 0.82 against 0.63 after 30 steps of Adam)
      if (!epochsAsStepLoss) {
        append(next.steps.loss, p.step, p.loss);
        append(next.epochs.loss, p.epoch, p.loss);
      }
      if (!ref && p.step > 0) ref = p;
    }
    if (ref) this.refs.set(history.id, ref);
    for (const p of history.epochs) this.lastEpochs.set(history.id, { epoch: p.epoch, xs: appendEpoch(next, p, ref, epochsAsStepLoss) });
    for (const axis of X_AXES) {
      for (const key of ['loss', 'devLoss', 'devAccuracy'] as const) {
        const last = next[axis][key].at(-1)?.x ?? -Infinity;
        for (const p of old[axis][key]) if (p.x > last) next[axis][key].push(p);
      }
    }
    this.plots.set(history.id, next);
    this.changed();
  }

  delete(id: string): void {
    this.refs.delete(id);
    this.lastEpochs.delete(id);
    if (this.plots.delete(id)) this.changed();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private plotsOf(id: string): RunPlots {
    let plots = this.plots.get(id);
    if (!plots) this.plots.set(id, (plots = emptyPlots()));
    return plots;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
