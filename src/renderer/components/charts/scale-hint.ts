// When one run's loss dwarfs every other's — a learning rate far too high beside runs that learn — the linear
// loss axis stretches to that run's peak and the other curves lie flat along its floor. The chart then offers
// the log scale, naming the run. Decided from each shown run's highest plotted loss (smoothed step loss and
// dev loss: what the axis has to fit), kept from sync to sync (ScaleCheck).
import { formatLoss } from '../../lib/format';
import type { RunSeries, RunSeriesStore, XAxis, XY } from './run-series';
import { keptPoints, markOf, type SentMark } from './series-sync';

/** A run's loss is out of scale when its peak is at least this many times every other run's. */
export const OUT_OF_SCALE = 20;

export interface RunPeak {
  name: string;
  /** The highest loss the chart plots for the run (NaN or -Infinity when it has none yet). */
  peak: number;
}

/** The highest y of some series (-Infinity when they are empty): the plain twin of ScaleCheck's kept peaks. */
export function highest(...series: readonly (readonly XY[])[]): number {
  let top = -Infinity;
  for (const points of series) for (const p of points) if (p.y > top) top = p.y;
  return top;
}

/** A run out of scale: its name and peak, and the highest of the other runs' peaks. */
export interface OutOfScale {
  name: string;
  peak: number;
  others: number;
}

/** The run whose peak is OUT_OF_SCALE × or more above every other run's, with the others' highest; null when
 *  fewer than two runs have a loss, or none stands out. */
export function outOfScale(peaks: readonly RunPeak[]): OutOfScale | null {
  const shown = peaks.filter((p) => Number.isFinite(p.peak) && p.peak > 0);
  if (shown.length < 2) return null;
  let top = shown[0];
  for (const p of shown) if (p.peak > top.peak) top = p;
  let others = -Infinity;
  for (const p of shown) if (p !== top && p.peak > others) others = p.peak;
  return top.peak >= OUT_OF_SCALE * others ? { name: top.name, peak: top.peak, others } : null;
}

/** The hint's words: "adam 50 · 128 relu reaches a loss of 99,347; beside it the others (at most 2.289) lie flat." */
export function scaleHintText(out: OutOfScale): string {
  const peak = out.peak >= 1000 && out.peak < 1e15 ? Math.round(out.peak).toLocaleString('en-US') : formatLoss(out.peak);
  return `${out.name} reaches a loss of ${peak}; beside it the others (at most ${formatLoss(out.others)}) lie flat.`;
}

/** The series a run's peak is taken from: its step-loss and dev-loss lines. */
const PEAK_SERIES = ['loss', 'devLoss'] as const satisfies readonly (keyof RunSeries)[];

/** A series' highest y, and the series as it was when taken (series-sync's mark). */
interface KeptPeak {
  mark: SentMark;
  peak: number;
}

/**
 * The out-of-scale check, run on every sync (at most every 200 ms) with each run's peak kept between checks:
 * a series that only grew since is read from its new points alone; one replaced (a history), cut back (a
 * resumed run) or halved (past MAX_POINTS) is read whole again — the test series-sync makes of what to send.
 */
export class ScaleCheck {
  /** Per run, per x axis and series ('steps loss', …). */
  private readonly kept = new Map<string, Map<string, KeptPeak>>();

  /** The shown run (`runs` but the `hidden`) whose loss on the axis `axis` is out of scale, or null. Forgets the
   *  peaks of runs no longer in `runs`. */
  check(runs: readonly { id: string; name: string }[], hidden: readonly string[], store: Pick<RunSeriesStore, 'get'>, axis: XAxis): OutOfScale | null {
    const ids = new Set(runs.map((run) => run.id));
    for (const id of this.kept.keys()) if (!ids.has(id)) this.kept.delete(id);
    const peaks: RunPeak[] = [];
    for (const run of runs) if (!hidden.includes(run.id)) peaks.push({ name: run.name, peak: this.peak(run.id, axis, store.get(run.id, axis)) });
    return outOfScale(peaks);
  }

  /** The run's highest plotted loss on the axis `axis`, whose series are `series` (-Infinity with none yet):
   *  highest(series.loss, series.devLoss), reading only the points added since the last call where it can. */
  peak(id: string, axis: XAxis, series: RunSeries): number {
    let peak = -Infinity;
    for (const key of PEAK_SERIES) peak = Math.max(peak, this.seriesPeak(id, `${axis} ${key}`, series[key]));
    return peak;
  }

  /** The highest y of one of a run's series, from the points added since it was last taken when it only grew. */
  private seriesPeak(id: string, key: string, series: readonly XY[]): number {
    let run = this.kept.get(id);
    if (!run) this.kept.set(id, (run = new Map()));
    const before = run.get(key);
    const kept = keptPoints(series, before?.mark);
    let peak = kept === null || !before ? -Infinity : before.peak;
    for (let i = kept ?? 0; i < series.length; i++) {
      const y = series[i].y;
      if (y > peak) peak = y;
    }
    run.set(key, { mark: markOf(series), peak });
    return peak;
  }
}
