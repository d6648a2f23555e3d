// Zooming the chart's x axis by hand. With the mouse: a drag across the plot picks a range; a double-click or
// 'Show all' shows everything. With the keyboard, the chart focused: + and − zoom in and out around the
// centre, ← and → pan, 0 or Escape show everything. The chart component passes the events on and tells it
// each draw; `zoom` is the range the chart is to show. The arithmetic is chart-zoom.ts's.
import { xAtPixel, zoomByKey, zoomRange } from './chart-zoom';
import type { FromChart, XRange } from './chart-host';
import type { XAxis } from './run-series';

type Drawn = Extract<FromChart, { type: 'drawn' }>;

/** A drag narrower than this is a click, not a zoom. */
const MIN_DRAG_PX = 8;

export class ZoomControl {
  /** `axis`: what x is now; a zoom into steps has whole steps at its edges. */
  constructor(private readonly axis: () => XAxis) {}

  /** The x range zoomed to, null for everything. */
  zoom = $state.raw<XRange | null>(null);
  /** A zoom drag under way, in CSS pixels from the canvas' left edge. */
  drag = $state.raw<{ from: number; to: number } | null>(null);
  /** The latest draw's plot area, x range and largest x (what turns pixels and keys into x). */
  drawn = $state.raw<Drawn | null>(null);

  showAll(): void {
    this.zoom = null;
  }

  /** A press at (x, y) CSS pixels: starts a drag if it is the main button inside the plot; true if it did. */
  press(button: number, x: number, y: number): boolean {
    const a = this.drawn?.area;
    if (button !== 0 || !a || x < a.left || x > a.right || y < a.top || y > a.bottom) return false;
    this.drag = { from: x, to: x };
    return true;
  }

  /** Follows a drag to column `x`; false when no drag is under way (the move is the tooltip's). */
  move(x: number): boolean {
    if (!this.drag) return false;
    this.drag = { from: this.drag.from, to: x };
    return true;
  }

  /** Ends a drag: zooms to the range dragged over, unless it was a click. */
  release(): void {
    const d = this.drag;
    const drawn = this.drawn;
    this.drag = null;
    if (!d || !drawn || Math.abs(d.to - d.from) < MIN_DRAG_PX) return;
    const a = xAtPixel(Math.min(d.from, d.to), drawn.area, drawn.x);
    const b = xAtPixel(Math.max(d.from, d.to), drawn.area, drawn.x);
    this.zoom = zoomRange(a, b, this.minUnit()) ?? this.zoom;
  }

  cancel(): void {
    this.drag = null;
  }

  /** A key pressed on the focused chart: true if it zoomed or panned (the caller then prevents its default). */
  key(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey || !this.drawn) return false;
    if (this.drag) {
      if (event.key !== 'Escape') return false;
      this.drag = null; // Escape drops a drag under way
      return true;
    }
    const next = zoomByKey(event.key, this.zoom, { min: 0, max: this.drawn.xMax }, this.minUnit());
    if (!next) return false;
    this.zoom = next.zoom;
    return true;
  }

  private minUnit(): number {
    return this.axis() === 'steps' ? 1 : 0;
  }
}
