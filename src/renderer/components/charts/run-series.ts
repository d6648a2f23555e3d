// The chart's data, per run: smoothed step loss, dev loss and dev accuracy as {x: step, y} points in
// plain arrays (never proxied — thousands of points), appended in O(1) as events arrive. Listeners hear
// "something changed" and decide themselves when to redraw (the chart throttles to ~10×/s).
import type { EpochPoint, RunHistory, StepPoint } from '../../../shared/api/runs';

export interface XY {
  x: number;
  y: number;
}

export interface RunSeries {
  /** Smoothed training loss after each reported step. */
  loss: XY[];
  /** Dev loss and dev accuracy (0–1) at the end of each epoch, x = global step. */
  devLoss: XY[];
  devAccuracy: XY[];
}

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

export class RunSeriesStore {
  private readonly series = new Map<string, RunSeries>();
  private readonly listeners = new Set<() => void>();

  /** The run's series (created empty on first use). The arrays are live: read, never mutate. */
  get(id: string): RunSeries {
    let s = this.series.get(id);
    if (!s) this.series.set(id, (s = { loss: [], devLoss: [], devAccuracy: [] }));
    return s;
  }

  addStep(id: string, point: StepPoint): void {
    append(this.get(id).loss, point.step, point.loss);
    this.changed();
  }

  /** `asStepLoss`: also plot the epoch's training loss on the step-loss line (full-batch runs, whose every
   * step ends an epoch, report no separate step points). */
  addEpoch(id: string, point: EpochPoint, asStepLoss = false): void {
    const s = this.get(id);
    if (asStepLoss) append(s.loss, point.step, point.trainLoss);
    if (point.devLoss !== null) append(s.devLoss, point.step, point.devLoss);
    if (point.devAccuracy !== null) append(s.devAccuracy, point.step, point.devAccuracy);
    this.changed();
  }

  /** Fills a run from runs.history, keeping live points that arrived after the history's last step. */
  setHistory(history: RunHistory, epochsAsStepLoss = false): void {
    const old = this.get(history.id);
    const next: RunSeries = { loss: [], devLoss: [], devAccuracy: [] };
    for (const p of history.steps) append(next.loss, p.step, p.loss);
    for (const p of history.epochs) {
      if (epochsAsStepLoss && (next.loss.at(-1)?.x ?? -Infinity) < p.step) append(next.loss, p.step, p.trainLoss);
      if (p.devLoss !== null) append(next.devLoss, p.step, p.devLoss);
      if (p.devAccuracy !== null) append(next.devAccuracy, p.step, p.devAccuracy);
    }
    for (const key of ['loss', 'devLoss', 'devAccuracy'] as const) {
      const last = next[key].at(-1)?.x ?? -Infinity;
      for (const p of old[key]) if (p.x > last) next[key].push(p);
    }
    this.series.set(history.id, next);
    this.changed();
  }

  delete(id: string): void {
    if (this.series.delete(id)) this.changed();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
