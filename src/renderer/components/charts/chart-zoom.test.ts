import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { panRange, xAtPixel, zoomAround, zoomByKey, zoomKey, zoomRange } from './chart-zoom';

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

  it('rounds to whole steps with a unit of 1', () => {
    expect(zoomRange(7.46, 22.5, 1)).toEqual({ min: 7, max: 23 });
    expect(zoomRange(10.3, 10.8, 1)).toEqual({ min: 10, max: 11 });
    expect(zoomRange(130.41, 1826.95, 1)).toEqual({ min: 130, max: 1830 });
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

describe('zoomAround (+ and − on the focused chart)', () => {
  const all = { min: 0, max: 2000 };

  it('halves or doubles the width around the centre', () => {
    expect(zoomAround(all, 0.5, all)).toEqual({ min: 500, max: 1500 });
    expect(zoomAround({ min: 500, max: 1500 }, 0.5, all)).toEqual({ min: 750, max: 1250 });
    expect(zoomAround({ min: 750, max: 1250 }, 2, all)).toEqual({ min: 500, max: 1500 });
  });

  it('moves a range that would stick out back inside everything', () => {
    expect(zoomAround({ min: 1600, max: 2000 }, 2, all)).toEqual({ min: 1200, max: 2000 });
    expect(zoomAround({ min: 0, max: 200 }, 2, all)).toEqual({ min: 0, max: 400 });
  });

  it('is null (show all) once the range would cover everything', () => {
    expect(zoomAround({ min: 500, max: 1500 }, 2, all)).toBeNull();
    expect(zoomAround({ min: 200, max: 1300 }, 2, all)).toBeNull();
  });

  it('stops zooming in at a thousandth of everything', () => {
    expect(zoomAround({ min: 1000, max: 1002 }, 0.5, all)).toEqual({ min: 1000, max: 1002 });
  });

  it('keeps whole steps with a unit of 1: a 30-step run zooms to 7–23, then no narrower than 1 step', () => {
    expect(zoomAround({ min: 0, max: 30 }, 0.5, { min: 0, max: 30 }, 1)).toEqual({ min: 7, max: 23 });
    expect(zoomAround({ min: 10, max: 12 }, 0.5, { min: 0, max: 30 }, 1)).toEqual({ min: 10, max: 12 });
    expect(panRange({ min: 7, max: 23 }, 1, { min: 0, max: 30 }, 1)).toEqual({ min: 11, max: 27 });
    expect(panRange({ min: 10, max: 12 }, 1, { min: 0, max: 30 }, 1)).toEqual({ min: 11, max: 13 });
  });

  it('rounds epochs to round numbers', () => {
    expect(zoomAround({ min: 0, max: 3 }, 0.5, { min: 0, max: 3 })).toEqual({ min: 0.75, max: 2.25 });
  });

  it('in then out comes back to a range at least as wide; a zoom in is always narrower and inside everything', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (end, at, share) => {
        const everything = { min: 0, max: end };
        const width = end * share;
        const shown = { min: at * (end - width), max: at * (end - width) + width };
        const r = zoomAround(shown, 0.5, everything);
        if (!r) return; // rounded out to everything: nothing to zoom into
        expect(r.max - r.min).toBeLessThan(width);
        expect(r.min).toBeGreaterThanOrEqual(0);
        expect(r.max).toBeLessThanOrEqual(end + (r.max - r.min) / 10);
        const back = zoomAround(r, 2, everything);
        if (back) expect(back.max - back.min).toBeGreaterThanOrEqual((r.max - r.min) * 2 * (1 - 1e-9));
      }),
    );
  });
});

describe('panRange (← and → on the focused chart)', () => {
  const all = { min: 0, max: 2000 };

  it('moves by a quarter of the width, keeping the width', () => {
    expect(panRange({ min: 500, max: 1500 }, 1, all)).toEqual({ min: 750, max: 1750 });
    expect(panRange({ min: 500, max: 1500 }, -1, all)).toEqual({ min: 250, max: 1250 });
    expect(panRange({ min: 0.4, max: 1.2 }, 1, { min: 0, max: 3 })).toEqual({ min: 0.6, max: 1.4 });
  });

  it('stops at either end', () => {
    expect(panRange({ min: 100, max: 1100 }, -1, all)).toEqual({ min: 0, max: 1000 });
    expect(panRange({ min: 0, max: 1000 }, -1, all)).toEqual({ min: 0, max: 1000 });
    expect(panRange({ min: 900, max: 1900 }, 1, all)).toEqual({ min: 1000, max: 2000 });
  });

  it('does not push a range already past the end further out, but moves it back in', () => {
    expect(panRange({ min: 1500, max: 2500 }, 1, all)).toEqual({ min: 1500, max: 2500 });
    expect(panRange({ min: 1500, max: 2500 }, -1, all)).toEqual({ min: 1250, max: 2250 });
  });

  it('right then left is where it started, away from the ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 20, max: 500 }), (min, width) => {
        const everything = { min: 0, max: 100_000 };
        const shown = { min, max: min + width };
        const there = panRange(shown, 1, everything);
        expect(there.max - there.min).toBeCloseTo(width, 9);
        expect(there.min).toBeGreaterThan(min);
        expect(panRange(there, -1, everything)).toEqual(shown);
      }),
    );
  });
});

describe('zoomKey / zoomByKey', () => {
  const all = { min: 0, max: 2000 };

  it('knows + = − - ← → 0 Escape and nothing else', () => {
    expect(['+', '=', '-', '\u2212', 'ArrowLeft', 'ArrowRight', '0', 'Escape'].map(zoomKey)).toEqual(['in', 'in', 'out', 'out', 'left', 'right', 'all', 'all']);
    expect(zoomKey('a')).toBeNull();
    expect(zoomKey('ArrowUp')).toBeNull();
    expect(zoomKey('1')).toBeNull();
  });

  it('zooms in from everything, pans, zooms out, shows all', () => {
    expect(zoomByKey('+', null, all)).toEqual({ zoom: { min: 500, max: 1500 } });
    expect(zoomByKey('ArrowRight', { min: 500, max: 1500 }, all)).toEqual({ zoom: { min: 750, max: 1750 } });
    expect(zoomByKey('-', { min: 750, max: 1250 }, all)).toEqual({ zoom: { min: 500, max: 1500 } });
    expect(zoomByKey('-', { min: 500, max: 1500 }, all)).toEqual({ zoom: null });
    expect(zoomByKey('Escape', { min: 500, max: 1500 }, all)).toEqual({ zoom: null });
    expect(zoomByKey('0', { min: 500, max: 1500 }, all)).toEqual({ zoom: null });
  });

  it('leaves keys that have nothing to do to the page: not zoomed, or no points yet', () => {
    for (const key of ['-', 'ArrowLeft', 'ArrowRight', 'Escape', '0', 'x']) expect(zoomByKey(key, null, all)).toBeNull();
    expect(zoomByKey('+', null, { min: 0, max: 0 })).toBeNull();
  });
});
