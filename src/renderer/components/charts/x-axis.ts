// What the chart's x axis is called and how its values are written: in the tooltip's title, the zoomed
// range, the hints. Epochs as every view writes them (lib/format's formatEpoch), steps as whole counts.
import { formatEpoch } from '../../lib/format';
import type { XAxis } from './run-series';

/** What one unit of the x axis is called. */
export const X_TITLES: Record<XAxis, string> = { steps: 'step', epochs: 'epoch' };

/** An x value: a step "1,234" (a zoomed range's edge can fall between steps: "12.5"), an epoch "1.50", "3". */
export function formatX(x: number, axis: XAxis): string {
  return axis === 'epochs' ? formatEpoch(x) : x.toLocaleString('en-US');
}

/** The tooltip's title for the points at `x`: "step 1,234", "epoch 1.50". */
export function xTitle(x: number, axis: XAxis): string {
  return `${X_TITLES[axis]} ${formatX(x, axis)}`;
}

/** A zoomed range: "steps 130–1,830", "epochs 0.20–3.40", "epochs 2–5"; both edges alike, so a range from a whole
 *  epoch to a part-way one is "epochs 8.00–19.10" (it read "epochs 8–19.10"). */
export function xRangeText(min: number, max: number, axis: XAxis): string {
  const [lo, hi] = [formatX(min, axis), formatX(max, axis)];
  const partWay = axis === 'epochs' && (lo.includes('.') || hi.includes('.'));
  return `${X_TITLES[axis]}s ${partWay ? min.toFixed(2) : lo}–${partWay ? max.toFixed(2) : hi}`;
}
