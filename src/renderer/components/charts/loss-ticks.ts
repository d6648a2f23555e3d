// The loss axis' labels on a log scale: 1, 2 and 5 times a power of ten, each written as short as it is
// ("0.05"). Chart.js' own formatter wrote every label with the smallest one's decimals ("1.000", "0.050").
import { Ticks, type Scale, type Tick } from 'chart.js';

/** The label of a log-scale loss tick: "0.05" for 0.05, "" for a tick between the round ones (and for ≤ 0). */
export function logLossTick(value: number): string {
  if (!(value > 0)) return '';
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  const round = [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6);
  return round ? String(Number(value.toPrecision(1))) : '';
}

/** The loss axis' tick callback: the labels above on a log scale, Chart.js' usual ones on a linear scale (set
 *  either way: the axis' options keep the callback they were last given). */
export function lossTickLabels(logScale: boolean): (this: Scale, value: number | string, index: number, ticks: Tick[]) => string {
  if (logScale) return (value) => logLossTick(Number(value));
  return function (value, index, ticks) {
    return Ticks.formatters.numeric.call(this, Number(value), index, ticks);
  };
}
