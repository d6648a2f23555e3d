import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatPercent } from './format';

describe('formatPercent', () => {
  it('writes a fraction as a percentage with one decimal and no space before the sign', () => {
    expect(formatPercent(0.75)).toBe('75.0%');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('takes the number of decimals', () => {
    expect(formatPercent(0.4567, 0)).toBe('46%');
    expect(formatPercent(0.4567, 2)).toBe('45.67%');
    expect(formatPercent(0.2, 0)).toBe('20%');
  });

  it('writes a tiny negative rounding as 0, not -0', () => {
    expect(formatPercent(-1e-9)).toBe('0.0%');
    expect(formatPercent(-1e-9, 0)).toBe('0%');
  });

  it('writes an unknown share as a dash', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatAccuracy', () => {
  it('has two decimals', () => {
    expect(formatAccuracy(0.85)).toBe('85.00%');
    expect(formatAccuracy(0.98766)).toBe('98.77%');
    expect(formatAccuracy(null)).toBe('—');
  });
});
