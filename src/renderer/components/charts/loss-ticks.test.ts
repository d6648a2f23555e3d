import { describe, expect, it } from 'vitest';
import { logLossTick, lossTickLabels } from './loss-ticks';

describe('the log-scale loss axis labels', () => {
  it('label 1, 2 and 5 times a power of ten, written short (Chart.js wrote "1.000", "0.050", "0.001")', () => {
    expect([1, 0.5, 0.1, 0.05, 0.01, 0.001].map(logLossTick)).toEqual(['1', '0.5', '0.1', '0.05', '0.01', '0.001']);
    expect([2, 5, 10, 20, 0.2, 0.002, 0.0002].map(logLossTick)).toEqual(['2', '5', '10', '20', '0.2', '0.002', '0.0002']);
  });
  it('leave the ticks between them unlabeled, and any that is not above 0', () => {
    expect([3, 4, 0.03, 0.007, 0.9, 0, -1, NaN].map(logLossTick)).toEqual(['', '', '', '', '', '', '', '']);
  });
  it('the decimal steps Chart.js makes (0.1 × 3 is 0.30000000000000004) count as round', () => {
    expect(logLossTick(0.1 * 2)).toBe('0.2');
    expect(logLossTick(0.001 * 5)).toBe('0.005');
  });
});

describe('the loss axis callback', () => {
  it('writes log ticks short, and linear ticks as Chart.js does', () => {
    const scale = { chart: { options: { locale: 'en-US' } }, options: { ticks: {} } } as never;
    expect(lossTickLabels(true).call(scale, 0.05, 0, [])).toBe('0.05');
    const ticks = [0, 0.5, 1, 1.5].map((value) => ({ value }));
    expect(ticks.map((t, i) => lossTickLabels(false).call(scale, t.value, i, ticks))).toEqual(['0', '0.5', '1.0', '1.5']);
  });
});
