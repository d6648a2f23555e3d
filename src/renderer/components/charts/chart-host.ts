// The training chart's drawing side: one Chart.js instance on a canvas — an OffscreenCanvas in the chart
// worker (chart-worker.ts), or the page's own canvas where a worker cannot draw — and its copies of the
// runs' series, kept up to date by the page's messages (series-sync.ts). Building the chart, laying out
// its axes and drawing thousands of points then never run on the page's main thread. The copies outlive
// the chart: when the Train view is shown again only points that arrived meanwhile are sent.
import type { ChartConfiguration, ChartEvent, TooltipItem } from 'chart.js';
import { type RunSeries, type XAxis, type XY } from './run-series';
import { applySeries, type SeriesUpdate } from './series-sync';
import { Chart, type ThemeColors } from './setup';
import { formatAccuracy, formatLoss, formatPercent } from '../../lib/format';
import { X_TITLES, xTitle } from './x-axis';
import { lossTickLabels } from './loss-ticks';
import { datasetStyle } from './chart-style';

export type SeriesKey = keyof RunSeries;
export const SERIES_KEYS: readonly SeriesKey[] = ['loss', 'devLoss', 'devAccuracy'];

/** One line on the chart: which run's which series, its legend label and colour. */
export interface Slot {
  id: string;
  key: SeriesKey;
  label: string;
  color: string;
  hidden: boolean;
}

/** A range of the x axis (steps or epochs). */
export interface XRange {
  min: number;
  max: number;
}

/** How the chart looks: what x is, the loss axis' scale, the x range zoomed to (null: everything). */
export interface ChartView {
  xAxis: XAxis;
  logScale: boolean;
  zoom: XRange | null;
  theme: ThemeColors;
}

/** The canvas' size in CSS pixels and the device pixels per CSS pixel. */
export interface ChartSize {
  width: number;
  height: number;
  dpr: number;
}

export type ToChart =
  | { type: 'open'; canvas: HTMLCanvasElement | OffscreenCanvas; size: ChartSize; view: ChartView }
  | { type: 'size'; size: ChartSize }
  | { type: 'view'; view: ChartView }
  | { type: 'slots'; slots: Slot[] }
  | { type: 'data'; xAxis: XAxis; updates: { id: string; key: SeriesKey; update: SeriesUpdate }[]; forget: string[] }
  | { type: 'pointer'; kind: 'mousemove' | 'mouseout'; x: number; y: number }
  | { type: 'close' };

/** A series' name across the channel: run, x axis, series. */
export function seriesKey(id: string, axis: XAxis, key: SeriesKey): string {
  return `${id}\u0001${axis}\u0001${key}`;
}

/** 'ready': the worker has loaded. 'drawn', after each draw: the plot area (CSS pixels) and the x range
 *  shown — what turns a drag into a zoom range —, the largest x on the lines shown (0 with none: what
 *  'Show all' shows, the bound of a zoom by keys), how many points the lines hold, how many runs have a
 *  step-loss line with points. 'lost': series (by seriesKey) whose update did not fit the copy; the copy
 *  is emptied and the page sends them whole again. */
export type FromChart =
  | { type: 'ready' }
  | { type: 'lost'; keys: string[] }
  | { type: 'drawn'; area: { left: number; right: number; top: number; bottom: number }; x: XRange; xMax: number; points: number; curves: number };


function emptyRun(): Record<XAxis, RunSeries> {
  const series = (): RunSeries => ({ loss: [], devLoss: [], devAccuracy: [] });
  return { steps: series(), epochs: series() };
}

export class ChartHost {
  private chart: Chart<'line', XY[]> | null = null;
  private view: ChartView | null = null;
  private slots: Slot[] = [];
  /** Each run's series on both x axes, as the page last sent them. */
  private readonly copies = new Map<string, Record<XAxis, RunSeries>>();
  private drawTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly reply: (message: FromChart) => void) {}

  handle(message: ToChart): void {
    switch (message.type) {
      case 'open':
        this.close();
        this.view = message.view;
        this.chart = this.make(message.canvas, message.size);
        this.setDatasets();
        break;
      case 'size':
        if (!this.chart) return;
        this.chart.options.devicePixelRatio = message.size.dpr;
        this.chart.resize(message.size.width, message.size.height); // draws at once
        this.report();
        return;
      case 'view':
        this.view = message.view;
        if (this.chart) this.applyView(this.chart, message.view);
        this.setDatasets(); // the other axis' arrays
        break;
      case 'slots':
        this.slots = message.slots;
        this.setDatasets();
        break;
      case 'data': {
        for (const id of message.forget) this.copies.delete(id);
        const lost: string[] = [];
        for (const { id, key, update } of message.updates) {
          const copy = this.copyOf(id)[message.xAxis][key];
          try {
            applySeries(copy, update);
          } catch {
            copy.length = 0; // out of step (it should not happen): start again from nothing
            lost.push(seriesKey(id, message.xAxis, key));
          }
        }
        if (lost.length) {
          console.warn(`chart: ${lost.length} series out of step with the page, asked for again`);
          this.reply({ type: 'lost', keys: lost });
        }
        break;
      }
      case 'pointer':
        this.pointer(message.kind, message.x, message.y);
        return;
      case 'close':
        this.close();
        return;
    }
    this.scheduleDraw();
  }

  private copyOf(id: string): Record<XAxis, RunSeries> {
    let copy = this.copies.get(id);
    if (!copy) this.copies.set(id, (copy = emptyRun()));
    return copy;
  }

  /** Several messages in a row (open, slots, data) draw once, in a task of its own. */
  private scheduleDraw(): void {
    if (this.drawTimer !== null || !this.chart) return;
    this.drawTimer = setTimeout(() => {
      this.drawTimer = null;
      this.draw();
    }, 0);
  }

  private draw(): void {
    const chart = this.chart;
    if (!chart || !this.view) return;
    const axis = this.view.xAxis;
    chart.data.datasets.forEach((dataset, i) => {
      const slot = this.slots[i];
      dataset.data = this.copyOf(slot.id)[axis][slot.key]; // through the decimation plugin's setter when it is active
    });
    chart.update('none');
    this.report();
  }

  private report(): void {
    const chart = this.chart;
    const x = chart?.scales.x;
    if (!chart || !x) return;
    const { left, right, top, bottom } = chart.chartArea;
    let points = 0;
    let curves = 0;
    let xMax = 0;
    for (const slot of this.slots) {
      const series = this.copyOf(slot.id)[this.view?.xAxis ?? 'steps'][slot.key];
      points += series.length;
      if (slot.key === 'loss' && series.length > 0) curves++;
      if (!slot.hidden && series.length > 0) xMax = Math.max(xMax, series[series.length - 1].x); // x only grows along a series
    }
    this.reply({ type: 'drawn', area: { left, right, top, bottom }, x: { min: x.min, max: x.max }, xMax, points, curves });
  }

  private pointer(kind: 'mousemove' | 'mouseout', x: number, y: number): void {
    if (!this.chart) return;
    // What Chart.js's DOM platform makes of a native event; the chart then shows or hides its tooltip.
    const event = { type: kind, chart: this.chart, native: { type: kind }, x, y } as unknown as ChartEvent;
    (this.chart as unknown as { _eventHandler(e: ChartEvent): void })._eventHandler(event);
  }

  private close(): void {
    if (this.drawTimer !== null) clearTimeout(this.drawTimer);
    this.drawTimer = null;
    this.chart?.destroy();
    this.chart = null;
  }

  /** The datasets for the slots, each drawing the copy of its series on the current x axis. */
  private setDatasets(): void {
    const chart = this.chart;
    if (!chart || !this.view) return;
    const axis = this.view.xAxis;
    // A tooltip or hover left on a line that goes would point past the new datasets: cleared first.
    chart.setActiveElements([]);
    chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
    chart.data.datasets = this.slots.map((slot) => ({ ...datasetStyle(slot), data: this.copyOf(slot.id)[axis][slot.key] }));
  }

  private make(canvas: HTMLCanvasElement | OffscreenCanvas, size: ChartSize): Chart<'line', XY[]> {
    if (typeof OffscreenCanvas !== 'undefined' && canvas instanceof OffscreenCanvas) {
      canvas.width = Math.max(1, Math.round(size.width * size.dpr));
      canvas.height = Math.max(1, Math.round(size.height * size.dpr));
    }
    const slots = () => this.slots;
    const view = () => this.view;
    const config: ChartConfiguration<'line', XY[]> = {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        spanGaps: true,
        // Sized by the page (it watches the canvas' box), in a worker as on the page; the box's shape, not 2:1.
        responsive: false,
        maintainAspectRatio: false,
        devicePixelRatio: size.dpr,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 8, maxRotation: 0 } },
          y: { type: 'linear', title: { display: true, text: 'loss' }, ticks: { maxTicksLimit: 7 } },
          y1: {
            type: 'linear',
            position: 'right',
            min: 0,
            max: 1,
            title: { display: true, text: 'dev accuracy' },
            grid: { drawOnChartArea: false },
            ticks: { callback: (v) => formatPercent(Number(v), 0), stepSize: 0.2 },
          },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' },
          tooltip: {
            borderWidth: 1,
            padding: 8,
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => (items.length ? xTitle(Number(items[0].parsed.x), view()?.xAxis ?? 'steps') : ''),
              label: (item: TooltipItem<'line'>) => {
                const y = Number(item.parsed.y);
                const value = slots()[item.datasetIndex]?.key === 'devAccuracy' ? formatAccuracy(y) : formatLoss(y);
                return `${item.dataset.label}: ${value}`;
              },
            },
          },
        },
      },
    };
    // Chart.js draws on an OffscreenCanvas (its BasicPlatform) though its types name only DOM items.
    const chart = new Chart(canvas as HTMLCanvasElement, config);
    chart.resize(size.width, size.height);
    if (this.view) this.applyView(chart, this.view);
    return chart;
  }

  /** Axis types, titles, the zoomed range and the theme's colours. */
  private applyView(chart: Chart<'line', XY[]>, view: ChartView): void {
    // The options as given, not chart.options: those are Chart.js's resolving proxies, and spreading them copied its
    // scriptable options into the config — a second view before the chart's update then threw ("name.startsWith is
    // not a function", "Recursion detected"), with zoom keys pressed quickly.
    const scales = chart.config.options?.scales;
    const x = scales?.x, y = scales?.y, y1 = scales?.y1;
    if (!x || !y || !y1) return;
    x.min = view.zoom?.min ?? 0;
    x.max = view.zoom?.max;
    if (x.title) x.title.text = X_TITLES[view.xAxis];
    y.type = view.logScale ? 'logarithmic' : 'linear';
    if (y.title) y.title.text = view.logScale ? 'loss (log)' : 'loss';
    const t = view.theme;
    for (const axis of [x, y, y1]) {
      axis.ticks = { ...axis.ticks, color: t.muted };
      if (axis === y) axis.ticks.callback = lossTickLabels(view.logScale);
      axis.grid = { ...axis.grid, color: t.grid };
      if ('title' in axis && axis.title) axis.title.color = t.muted;
      if ('border' in axis) axis.border = { ...axis.border, color: t.border };
    }
    const tooltip = chart.config.options?.plugins?.tooltip;
    if (tooltip) Object.assign(tooltip, { backgroundColor: t.surface, titleColor: t.fg, bodyColor: t.fg, borderColor: t.border });
  }
}
