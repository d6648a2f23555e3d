import { describe, expect, it } from 'vitest';
import { formatEpoch } from '../../lib/format';
import { formatX, xRangeText, xTitle } from './x-axis';

describe('xTitle (the chart tooltip’s title)', () => {
  it('writes epochs as every view does: two decimals unless whole', () => {
    expect(xTitle(1.5, 'epochs')).toBe('epoch 1.50');
    expect(xTitle(3, 'epochs')).toBe('epoch 3');
    expect(xTitle(17.1489, 'epochs')).toBe('epoch 17.15');
  });

  it('writes steps as counts with thousands separators', () => {
    expect(xTitle(1234, 'steps')).toBe('step 1,234');
    expect(xTitle(7, 'steps')).toBe('step 7');
  });

  it('is formatEpoch’s text for every epoch (one formatter)', () => {
    for (const x of [0, 0.1, 0.25, 1 / 3, 2.5, 16.999, 99.995]) expect(formatX(x, 'epochs')).toBe(formatEpoch(x));
  });
});

describe('xRangeText (the zoomed range)', () => {
  it('names the unit in the plural and writes both edges as the tooltip does', () => {
    expect(xRangeText(130, 1830, 'steps')).toBe('steps 130–1,830');
    expect(xRangeText(0.2, 3.4, 'epochs')).toBe('epochs 0.20–3.40');
  });

  it('writes both edges of a range of epochs alike: two decimals when either is part-way, none when both are whole', () => {
    expect(xRangeText(8, 19.1, 'epochs')).toBe('epochs 8.00–19.10');
    expect(xRangeText(0.5, 3, 'epochs')).toBe('epochs 0.50–3.00');
    expect(xRangeText(2, 5, 'epochs')).toBe('epochs 2–5');
    expect(xRangeText(7.5, 23, 'steps')).toBe('steps 7.5–23');
  });
});
