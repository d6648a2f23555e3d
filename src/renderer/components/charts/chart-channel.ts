// The page's end of the chart worker: one worker for the page's lifetime (the chart is rebuilt in it each
// time the Train view is shown, its series copies stay), and what the worker already holds of each series,
// so only new points are sent. Where a worker cannot draw (no OffscreenCanvas, or the worker fails to
// load) the same ChartHost runs on the page instead, each message in a task of its own.
import { ChartHost, type FromChart, type ToChart } from './chart-host';
import type { SentMark } from './series-sync';

export interface ChartChannel {
  /** True when the chart draws in the worker: the canvas is handed over with transferControlToOffscreen. */
  readonly offscreen: boolean;
  send(message: ToChart, transfer?: Transferable[]): void;
  /** Calls `listener` with the chart's replies; returns the unsubscribe function. */
  listen(listener: (message: FromChart | { type: 'restart' }) => void): () => void;
  /** What the drawing side holds of each series, by `seriesKey`. */
  readonly sent: Map<string, SentMark>;
}

type Listener = (message: FromChart | { type: 'restart' }) => void;

let channel: ChartChannel | null = null;
const listeners = new Set<Listener>();

/** The page's chart channel (the worker is started on first use). */
export function chartChannel(): ChartChannel {
  return (channel ??= canDrawOffscreen() ? workerChannel() : localChannel());
}

function canDrawOffscreen(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype;
}

const notify: Listener = (message) => {
  for (const listener of listeners) listener(message);
};
const listen = (listener: Listener) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

function workerChannel(): ChartChannel {
  const worker = new Worker(new URL('./chart-worker.ts', import.meta.url), { type: 'module', name: 'chart' });
  let loaded = false;
  worker.onmessage = (event: MessageEvent<FromChart>) => {
    if (event.data.type === 'ready') loaded = true;
    else notify(event.data);
  };
  // A worker that cannot load (e.g. a policy forbids it) fails before it says it is ready: draw on the page.
  worker.onerror = (event) => {
    if (loaded) return;
    event.preventDefault();
    console.warn(`The chart worker did not start (${event.message || 'no reason given'}); the chart draws on the page instead.`);
    worker.terminate();
    channel = localChannel();
    notify({ type: 'restart' });
  };
  return { offscreen: true, send: (message, transfer = []) => worker.postMessage(message, transfer), listen, sent: new Map() };
}

function localChannel(): ChartChannel {
  const host = new ChartHost(notify);
  const queue: ToChart[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const next = () => {
    timer = null;
    const message = queue.shift();
    if (message) host.handle(message);
    if (queue.length) timer = setTimeout(next, 0);
  };
  return {
    offscreen: false,
    send: (message) => {
      queue.push(message);
      timer ??= setTimeout(next, 0);
    },
    listen,
    sent: new Map(),
  };
}
