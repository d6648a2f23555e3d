// How each line of the training chart is drawn: the step loss solid and without points, the dev loss dashed and
// the dev accuracy dotted, their per-epoch points marked where they can be told apart.
import type { ChartDataset } from 'chart.js';
import type { Slot } from './chart-host';
import type { XY } from './run-series';

/** The step loss is a line without points; a series of a single point would then draw nothing (a run that
 *  diverged or ended within its first step messages), so a lone point is drawn as a dot. */
export function stepLossPointRadius(points: number): number {
  return points === 1 ? 3 : 0;
}

/** CSS pixels between a series' points below which its markers (radius 3) merge into a blot. */
export const MIN_MARKER_GAP = 8;

/** An epoch series' markers: drawn while its points lie at least MIN_MARKER_GAP apart on average (`span`: pixels
 *  from its first point to its last), else none — the line alone. A full-batch run's 30 epochs are 30 steps: on
 *  the steps axis beside a run of hundreds of steps they crowded into its first few pixels, where nothing could
 *  be read; alone, or on the epochs axis, they are far enough apart. A lone point is always drawn. */
export function epochPointRadius(points: number, span: number): number {
  return points <= 1 || Math.abs(span) / (points - 1) >= MIN_MARKER_GAP ? 3 : 0;
}

/** What an epoch series' marker size is worked out from: the chart's x axis (laid out before its points are) and the series. */
interface MarkerContext {
  chart: { scales: { x?: { getPixelForValue(value: number): number } } };
  dataset: { data: readonly unknown[] };
}

function epochMarkers(ctx: MarkerContext): number {
  const data = ctx.dataset.data as readonly XY[];
  const x = ctx.chart.scales.x;
  if (data.length <= 1 || !x) return epochPointRadius(data.length, 0);
  return epochPointRadius(data.length, x.getPixelForValue(data[data.length - 1].x) - x.getPixelForValue(data[0].x));
}

/** Step loss: a solid line; dev loss: dashed with points; dev accuracy: dotted squares on the right axis (points
 *  only where they can be told apart: epochPointRadius). */
export function datasetStyle(slot: Slot): Omit<ChartDataset<'line', XY[]>, 'data'> {
  const common = { label: slot.label, borderColor: slot.color, backgroundColor: slot.color, hidden: slot.hidden };
  if (slot.key === 'loss') {
    const pointRadius = (ctx: { dataset: { data: readonly unknown[] } }) => stepLossPointRadius(ctx.dataset.data.length);
    return { ...common, yAxisID: 'y', borderWidth: 1.75, pointRadius, pointHoverRadius: 3, order: 2 };
  }
  if (slot.key === 'devLoss') return { ...common, yAxisID: 'y', borderWidth: 1.5, borderDash: [6, 4], pointRadius: epochMarkers, pointHoverRadius: 5, order: 1 };
  return { ...common, yAxisID: 'y1', borderWidth: 1.25, borderDash: [2, 3], pointRadius: epochMarkers, pointStyle: 'rect', pointHoverRadius: 5, order: 1 };
}
