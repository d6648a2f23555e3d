import { describe, expect, it } from 'vitest';
import { contrast, distance, RUN_PALETTE, runColor, toOklab } from './palette';

const colors = (n: number) => Array.from({ length: n }, (_, i) => runColor(i));

/** The smallest OKLab distance between two of the colours. */
function closest(list: string[]): number {
  let min = Infinity;
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) min = Math.min(min, distance(toOklab(list[i]), toOklab(list[j])));
  return min;
}

describe('runColor', () => {
  it('the first ten are the hand-picked palette, as before', () => {
    expect(colors(10)).toEqual([...RUN_PALETTE]);
  });

  it('the first 40 runs get 40 different colours, each clearly unlike the others', () => {
    const first = colors(40);
    expect(new Set(first).size).toBe(40);
    for (const c of first) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    // ≈ 0.02 is just noticeable; the hand-picked ten are 0.077 apart at the closest
    expect(closest(first)).toBeGreaterThan(0.05);
  });

  it('no colour repeats for the first 150 runs', () => {
    expect(new Set(colors(150)).size).toBe(150);
  });

  it('the colours after the tenth read on the light and the dark background as well as the first ten', () => {
    for (const c of colors(60).slice(10)) {
      expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(2.2); // amber, the palest of the ten: 2.09
      expect(contrast(c, '#1e2025')).toBeGreaterThanOrEqual(2.8); // purple, the darkest: 2.80
    }
  });

  it('the same index always gives the same colour, whatever order they are asked in', () => {
    const later = runColor(37);
    expect(colors(40)[37]).toBe(later);
    expect(runColor(10)).toBe(colors(11)[10]);
  });

  it('indices past the wheel come round again rather than failing', () => {
    const c = runColor(5000);
    expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('colour maths', () => {
  it('OKLab of white, black and a known colour; WCAG contrast of black on white', () => {
    const white = toOklab('#ffffff');
    expect(white[0]).toBeCloseTo(1, 3);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(1e-3);
    expect(toOklab('#000000')).toEqual([0, 0, 0]);
    const red = toOklab('#ff0000'); // oklab(0.628 0.225 0.126)
    expect(red[0]).toBeCloseTo(0.628, 3);
    expect(red[1]).toBeCloseTo(0.225, 3);
    expect(red[2]).toBeCloseTo(0.126, 3);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
  });
});
