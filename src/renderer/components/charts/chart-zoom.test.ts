import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xAtPixel, zoomRange } from './chart-zoom';

describe('xAtPixel', () => {
  it('maps the plot area linearly onto the x range shown, clamped at its edges', () => {
    const area = { left: 50, right: 550 };
    const shown = { min: 0, max: 1000 };
    expect(xAtPixel(50, area, shown)).toBe(0);
    expect(xAtPixel(300, area, shown)).toBe(500);
    expect(xAtPixel(550, area, shown)).toBe(1000);
    expect(xAtPixel(10, area, shown)).toBe(0);
    expect(xAtPixel(900, area, shown)).toBe(1000);
    expect(xAtPixel(175, area, { min: 2, max: 4 })).toBe(2.5);
  });
});

describe('zoomRange', () => {
  it('rounds outwards to a twentieth of the width', () => {
    expect(zoomRange(130.41, 1826.95)).toEqual({ min: 130, max: 1830 });
    expect(zoomRange(3.38, 0.27)).toEqual({ min: 0.2, max: 3.4 });
    expect(zoomRange(-5, 40)).toEqual({ min: 0, max: 40 });
  });

  it('an empty or reversed-to-nothing range is no zoom', () => {
    expect(zoomRange(5, 5)).toBeNull();
    expect(zoomRange(NaN, 5)).toBeNull();
  });

  it('always covers the range dragged over and widens it by at most a tenth of its width per side', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (min, width) => {
        const r = zoomRange(min, min + width)!;
        expect(r.min).toBeLessThanOrEqual(min + 1e-9 * (min + width));
        expect(r.max).toBeGreaterThanOrEqual((min + width) * (1 - 1e-12));
        expect(min - r.min).toBeLessThanOrEqual(width / 10 + 1e-9);
        expect(r.max - (min + width)).toBeLessThanOrEqual(width / 10 + 1e-9 * (min + width));
      }),
    );
  });
});
