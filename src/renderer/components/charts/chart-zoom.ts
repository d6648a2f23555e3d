// Turning a drag across the chart into the x range to zoom to.
import type { XRange } from './chart-host';

export interface PlotArea {
  left: number;
  right: number;
}

/** The x value under pixel column `px` of a plot spanning `area` and showing `shown` (clamped to the plot). */
export function xAtPixel(px: number, area: PlotArea, shown: XRange): number {
  const t = (Math.min(area.right, Math.max(area.left, px)) - area.left) / Math.max(1, area.right - area.left);
  return shown.min + t * (shown.max - shown.min);
}

/** The range from `a` to `b` (either order) rounded outwards to a twentieth of its width's power of ten, not
 *  below 0: a drag over steps 130.41–1,826.95 zooms to 130–1,830, over epochs 0.27–3.38 to 0.2–3.4. */
export function zoomRange(a: number, b: number): XRange | null {
  const min = Math.min(a, b);
  const max = Math.max(a, b);
  if (!(max > min) || !Number.isFinite(max - min)) return null;
  const unit = 10 ** Math.floor(Math.log10((max - min) / 20));
  const digits = Math.max(0, -Math.floor(Math.log10(unit)));
  // Rounded to the unit's decimals so that 3 × 0.1 reads 0.3, not 0.30000000000000004.
  const lo = Number(Math.max(0, Math.floor(min / unit) * unit).toFixed(digits));
  const hi = Number((Math.ceil(max / unit) * unit).toFixed(digits));
  return { min: lo, max: hi };
}
