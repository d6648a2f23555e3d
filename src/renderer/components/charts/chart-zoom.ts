// The chart's zoom arithmetic, in x values: a drag across the plot turned into a range, and the keys' zoom
// (around the range's centre) and pan steps. zoom-control.svelte.ts feeds it pointer and key events.
import type { XRange } from './chart-host';

export interface PlotArea {
  left: number;
  right: number;
}

/** How much narrower one press of + makes the range (− makes it this much wider). */
export const KEY_ZOOM_FACTOR = 2;
/** One press of ← or → moves the range by this share of its width. */
export const KEY_PAN_SHARE = 1 / 4;
/** Zooming in by keys stops at this share of everything. */
const MIN_SHARE = 1e-3;

/** The x value under pixel column `px` of a plot spanning `area` and showing `shown` (clamped to the plot). */
export function xAtPixel(px: number, area: PlotArea, shown: XRange): number {
  const t = (Math.min(area.right, Math.max(area.left, px)) - area.left) / Math.max(1, area.right - area.left);
  return shown.min + t * (shown.max - shown.min);
}

/** The rounding unit of a range `width` wide (a twentieth of it, down to a power of ten, at least `minUnit`)
 *  and its decimals. */
function unitOf(width: number, minUnit: number): { unit: number; digits: number } {
  const unit = Math.max(minUnit, 10 ** Math.floor(Math.log10(width / 20)));
  return { unit, digits: Math.max(0, -Math.floor(Math.log10(unit))) };
}

/** The range from `a` to `b` (either order) rounded outwards to a twentieth of its width's power of ten, not
 *  below 0: a drag over steps 130.41–1,826.95 zooms to 130–1,830, over epochs 0.27–3.38 to 0.2–3.4. The
 *  unit is at least `minUnit` (1 for steps: a zoom into a short run's steps 7.46–22.5 goes to 7–23). */
export function zoomRange(a: number, b: number, minUnit = 0): XRange | null {
  const min = Math.min(a, b);
  const max = Math.max(a, b);
  if (!(max > min) || !Number.isFinite(max - min)) return null;
  const { unit, digits } = unitOf(max - min, minUnit);
  // Rounded to the unit's decimals so that 3 × 0.1 reads 0.3, not 0.30000000000000004.
  const lo = Number(Math.max(0, Math.floor(min / unit) * unit).toFixed(digits));
  const hi = Number((Math.ceil(max / unit) * unit).toFixed(digits));
  return { min: lo, max: hi };
}

/**
 * `shown` made `factor` times as wide around its centre (0.5: zoomed in to half), moved back inside `all`
 * (everything, what 'Show all' shows) where it sticks out, rounded outwards as a drag's range is. Null when
 * it would cover all of `all`: zoomed all the way out. Zooming in stops at a thousandth of `all`.
 */
export function zoomAround(shown: XRange, factor: number, all: XRange, minUnit = 0): XRange | null {
  const allWidth = all.max - all.min;
  const width = Math.max((shown.max - shown.min) * factor, allWidth * MIN_SHARE);
  if (!(allWidth > 0) || !(width < allWidth)) return null;
  const centre = (shown.min + shown.max) / 2;
  const min = Math.min(Math.max(all.min, centre - width / 2), all.max - width);
  const range = zoomRange(min, min + width, minUnit);
  return range && (range.min > all.min || range.max < all.max) ? range : null;
}

/**
 * `shown` moved by `quarters` quarters of its width (negative: left), in whole rounding units of its width so
 * its edges stay round numbers, and stopped at the edges of `all` (a range already past an edge does not move
 * further out). Its width does not change.
 */
export function panRange(shown: XRange, quarters: number, all: XRange, minUnit = 0): XRange {
  const width = shown.max - shown.min;
  if (!(width > 0)) return shown;
  const { unit, digits } = unitOf(width, minUnit);
  const step = Math.max(1, Math.round((width * KEY_PAN_SHARE) / unit)) * unit;
  const lowest = Math.min(all.min, shown.min);
  const highest = Math.max(all.max, shown.max) - width;
  const min = Math.min(highest, Math.max(lowest, shown.min + quarters * step));
  return { min: Number(min.toFixed(digits)), max: Number((min + width).toFixed(digits)) };
}

/** What a key does to the chart's zoom. */
export type ZoomKey = 'in' | 'out' | 'left' | 'right' | 'all';

/** The zoom key `key` (a KeyboardEvent's key) is, or null: + or = zooms in, − or - zooms out, ← and → pan,
 *  0 and Escape show all. */
export function zoomKey(key: string): ZoomKey | null {
  switch (key) {
    case '+':
    case '=':
      return 'in';
    case '-':
    case '\u2212':
    case '_':
      return 'out';
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case '0':
    case 'Escape':
      return 'all';
    default:
      return null;
  }
}

/**
 * The zoom after a key is pressed, with the chart at `zoom` (null: everything) and everything being `all`
 * (`minUnit`: as zoomRange's):
 * `{ zoom }` with the new range (null: show all), or null when the key does nothing here — it is not a zoom
 * key, or it zooms out, pans or shows all while everything is shown already (the key then stays the page's:
 * Escape closes what it closes).
 */
export function zoomByKey(key: string, zoom: XRange | null, all: XRange, minUnit = 0): { zoom: XRange | null } | null {
  const action = zoomKey(key);
  if (!action || !(all.max > all.min)) return null;
  if (action === 'in') {
    const next = zoomAround(zoom ?? all, 1 / KEY_ZOOM_FACTOR, all, minUnit);
    return next ? { zoom: next } : null;
  }
  if (!zoom) return null;
  if (action === 'out') return { zoom: zoomAround(zoom, KEY_ZOOM_FACTOR, all, minUnit) };
  if (action === 'all') return { zoom: null };
  return { zoom: panRange(zoom, action === 'left' ? -1 : 1, all, minUnit) };
}
