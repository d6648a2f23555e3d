import { describe, expect, it } from 'vitest';
import { toModelImage, type Ink } from './preprocess';

/** A W×H drawing with ink 1 where fill(x, y) is true. */
function drawing(W: number, H: number, fill: (x: number, y: number) => boolean): Ink {
  const ink = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (fill(x, y)) ink[y * W + x] = 1;
  return { ink, width: W, height: H };
}

/** The rows and columns of a side×side image that hold ink. */
function extent(img: Uint8Array, side = 28) {
  const xs: number[] = [], ys: number[] = [];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (img[y * side + x] > 0) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

describe('toModelImage', () => {
  it('nothing drawn: null', () => {
    expect(toModelImage(drawing(50, 50, () => false))).toBeNull();
  });

  it('a filled square anywhere becomes a 20×20 block of full ink in the middle of 28×28', () => {
    const img = toModelImage(drawing(280, 280, (x, y) => x >= 200 && x < 260 && y >= 10 && y < 70))!;
    expect(extent(img)).toEqual({ x0: 4, x1: 23, y0: 4, y1: 23 });
    for (let y = 4; y < 24; y++) for (let x = 4; x < 24; x++) expect(img[y * 28 + x]).toBe(255);
    expect(img.reduce((a, b) => a + b, 0)).toBe(400 * 255);
  });

  it('keeps the aspect: the longer side becomes 20 px', () => {
    const img = toModelImage(drawing(280, 280, (x, y) => x >= 100 && x < 130 && y >= 20 && y < 260))!; // 30 × 240
    const e = extent(img);
    expect(e.y1 - e.y0 + 1).toBe(20);
    expect(e.x1 - e.x0 + 1).toBe(Math.round((30 * 20) / 240)); // 3 (2.5 rounded)
    expect(Math.abs((e.x0 + e.x1 + 1) / 2 - 14)).toBeLessThanOrEqual(0.5); // 3 px wide: as centred as it can be
  });

  it('averages areas: a cell half covered by ink is mid grey', () => {
    // a 40×40 checkerboard: each output pixel covers 2×2 source pixels, two of them inked
    const img = toModelImage(drawing(40, 40, (x, y) => (x + y) % 2 === 0))!;
    const values = new Set(Array.from(img).filter((v) => v > 0));
    expect([...values]).toEqual([128]);
    expect(img.filter((v) => v > 0)).toHaveLength(400);
  });

  it('centres the mass, clamping the shift so the image stays inside', () => {
    // an L: a heavy foot on the right pulls the centre of mass right, so the image shifts left, but not past 0
    const img = toModelImage(drawing(200, 200, (x, y) => (x < 10 && y < 200) || (y >= 180 && x < 200)))!;
    const e = extent(img);
    expect(e.x0).toBeGreaterThanOrEqual(0);
    expect(e.x1).toBeLessThan(28);
    let mass = 0, mx = 0;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        mass += img[y * 28 + x];
        mx += img[y * 28 + x] * (x + 0.5);
      }
    }
    expect(Math.abs(mx / mass - 14)).toBeLessThanOrEqual(0.5 + 1e-9);
  });
});
