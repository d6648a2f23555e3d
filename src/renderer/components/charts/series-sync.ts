// Keeping a copy of a series in step with the original across a message channel (the chart draws in a
// worker; the series store lives on the page). Each update carries only what the copy lacks: the points
// from index `from` on. The store's series only ever grow by new point objects, are cut back (a resumed
// run) or halved in place (past MAX_POINTS), or are replaced by a new array (a run's history): if the array
// is the same and the last point sent is still where it was, every point before it is unchanged too, so
// only the tail goes; anything else sends the whole series again.
import type { XY } from './run-series';

/** The points `xy` (x0, y0, x1, y1, …) replace the copy's points from index `from` on. */
export interface SeriesUpdate {
  from: number;
  xy: Float64Array;
}

/** What the copy holds of a series: which array it was taken from, how many points, the last one. */
export interface SentMark {
  array: readonly XY[];
  length: number;
  last: XY | undefined;
}

/** The mark of `series` as it is now. */
export function markOf(series: readonly XY[]): SentMark {
  return { array: series, length: series.length, last: series.at(-1) };
}

/** How many of the series' first points are still those the copy at `sent` holds — all it held, when the series
 *  only grew since — or null when the series changed otherwise (or nothing was sent) and goes again whole. */
export function keptPoints(series: readonly XY[], sent: SentMark | undefined): number | null {
  const same = sent && sent.array === series && sent.length <= series.length && (sent.length === 0 || series[sent.length - 1] === sent.last);
  return same ? sent.length : null;
}

/** The update that brings a copy at `sent` up to `series` (null: already equal), and the new mark. */
export function diffSeries(series: readonly XY[], sent: SentMark | undefined): { update: SeriesUpdate | null; mark: SentMark } {
  const mark = markOf(series);
  const kept = keptPoints(series, sent);
  if (kept === series.length) return { update: null, mark };
  const from = kept ?? 0;
  const xy = new Float64Array(2 * (series.length - from));
  for (let i = from, k = 0; i < series.length; i++, k += 2) {
    xy[k] = series[i].x;
    xy[k + 1] = series[i].y;
  }
  return { update: { from, xy }, mark };
}

/**
 * Applies an update to the copy, in place. Points are set by index, not pushed: Chart.js wraps push on the
 * arrays it draws and would lay out new elements on every push — and a dataset just removed still listens
 * until the chart's next update, when such a push throws. Chart.js finds the new length at its next update.
 */
export function applySeries(copy: XY[], update: SeriesUpdate): void {
  if (update.from > copy.length) throw new Error(`series update starts at point ${update.from} but the copy has only ${copy.length}`);
  const n = update.xy.length / 2;
  copy.length = update.from;
  for (let i = 0; i < n; i++) copy[update.from + i] = { x: update.xy[2 * i], y: update.xy[2 * i + 1] };
}
