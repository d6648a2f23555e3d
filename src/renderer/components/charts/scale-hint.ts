// When one run's loss dwarfs every other's — a learning rate far too high beside runs that learn — the linear
// loss axis stretches to that run's peak and the other curves lie flat along its floor. The chart then offers
// the log scale, naming the run. Decided from each shown run's highest plotted loss (smoothed step loss and
// dev loss: what the axis has to fit).
import { formatLoss } from '../../lib/format';
import type { XY } from './run-series';

/** A run's loss is out of scale when its peak is at least this many times every other run's. */
export const OUT_OF_SCALE = 20;

export interface RunPeak {
  name: string;
  /** The highest loss the chart plots for the run (NaN or -Infinity when it has none yet). */
  peak: number;
}

/** The highest y of some series (-Infinity when they are empty). */
export function highest(...series: readonly (readonly XY[])[]): number {
  let top = -Infinity;
  for (const points of series) for (const p of points) if (p.y > top) top = p.y;
  return top;
}

/** The run whose peak is OUT_OF_SCALE × or more above every other run's, with the others' highest; null when
 *  fewer than two runs have a loss, or none stands out. */
export function outOfScale(peaks: readonly RunPeak[]): { name: string; peak: number; others: number } | null {
  const shown = peaks.filter((p) => Number.isFinite(p.peak) && p.peak > 0);
  if (shown.length < 2) return null;
  let top = shown[0];
  for (const p of shown) if (p.peak > top.peak) top = p;
  let others = -Infinity;
  for (const p of shown) if (p !== top && p.peak > others) others = p.peak;
  return top.peak >= OUT_OF_SCALE * others ? { name: top.name, peak: top.peak, others } : null;
}

/** The hint's words: "adam 50 · 128 relu reaches a loss of 99,347; beside it the others (at most 2.289) lie flat." */
export function scaleHintText(out: { name: string; peak: number; others: number }): string {
  const peak = out.peak >= 1000 && out.peak < 1e15 ? Math.round(out.peak).toLocaleString('en-US') : formatLoss(out.peak);
  return `${out.name} reaches a loss of ${peak}; beside it the others (at most ${formatLoss(out.others)}) lie flat.`;
}
