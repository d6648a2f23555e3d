// The chart worker: Chart.js draws the training chart here, on an OffscreenCanvas the page hands over, so
// building the chart and redrawing it as points arrive never hold up the page (see chart-host.ts).
import { ChartHost, type FromChart, type ToChart } from './chart-host';

// This file is type-checked with the DOM's types; a dedicated worker's global needs only these two.
const scope = self as unknown as { onmessage: ((event: MessageEvent<ToChart>) => void) | null; postMessage(message: FromChart): void };
const host = new ChartHost((message) => scope.postMessage(message));
scope.onmessage = (event) => {
  try {
    host.handle(event.data);
  } catch (error) {
    // One bad message must not stop the chart for good: say what failed (with where) and go on.
    console.error(`chart worker: '${event.data.type}' failed:`, error);
  }
};
scope.postMessage({ type: 'ready' });
