// From a drawing to the image the model sees, framed one of two ways.
//
// As MNIST's digits were made ('digit'): crop to the ink, scale the longer side to 20 px keeping the aspect
// (area averaging: each output pixel is the mean ink over the part of the drawing it covers, so strokes turn
// into grey levels), and place that in a 28×28 frame so that its centre of mass is at the centre of pixel 14, as
// MNIST's is (the shift clamped to keep the image inside). Other image sizes keep the same proportions: a W×H frame holds a box of
// 20/28 of its smaller side.
//
// As Fashion-MNIST's items were made ('item'): crop to the ink, scale it as large as the frame allows keeping
// the aspect (the longer side 28 px in 28×28; in W×H, W or H, whichever binds first), the same area averaging,
// and centre its bounding box, an odd pixel of margin left and above, as Fashion-MNIST's are. The item fills the
// frame. Pure, so it is tested.

/** How a drawing is framed: as MNIST's digits were made, or as Fashion-MNIST's items were. */
export type Framing = 'digit' | 'item';

/** A drawing as ink: ink[y·width + x] from 0 (paper) to 1 (full ink). */
export interface Ink {
  ink: Float32Array;
  width: number;
  height: number;
}

/** The box the ink is scaled into in a width × height frame: 20/28 of the smaller side (20 in 28×28), at least 1. */
export function inkBox(width: number, height: number): number {
  return Math.max(1, Math.round((20 / 28) * Math.min(width, height)));
}

/** width × height grey levels 0–255 (row-major), ink high as the model was trained, or null when nothing is
 *  drawn. The ink's longer side becomes `box` pixels (at most the frame's smaller side). */
export function toModelImage(drawing: Ink, width = 28, height = width, box = inkBox(width, height)): Uint8Array | null {
  if (!isSize(width) || !isSize(height)) throw new RangeError(`the model's image size must be whole pixels, got ${width}×${height}`);
  if (!isSize(box)) throw new RangeError(`the ink's box must be a whole number of pixels, got ${box}`);
  box = Math.min(box, width, height);
  const bounds = inkBounds(drawing);
  if (!bounds) return null;
  const { x0, y0, bw, bh } = bounds;
  const scale = box / Math.max(bw, bh);
  const tw = Math.min(box, Math.max(1, Math.round(bw * scale))), th = Math.min(box, Math.max(1, Math.round(bh * scale)));
  const small = areaAverage(drawing.ink, drawing.width, x0, y0, bw, bh, tw, th);
  // The centre of mass of the small image (pixel x's centre at x + 0.5), placed at the centre of pixel
  // floor(width / 2): MNIST rounded its digits' centres of mass to pixel 14's (all 10,000 of the built-in sample's
  // lie between 14.0 and 15.0 in these coordinates, their mean 14.5); at 14.0 three in four of them came back
  // from the pad a pixel up or left.
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = clamp(shiftTo(Math.floor(width / 2) + 0.5, mx / mass), 0, width - tw);
  const oy = clamp(shiftTo(Math.floor(height / 2) + 0.5, my / mass), 0, height - th);
  return paste(small, tw, th, ox, oy, width, height);
}

/** width × height grey levels 0–255 as Fashion-MNIST's items were made: the ink cropped, scaled as large as
 *  the frame allows keeping its aspect, its bounding box centred (an odd pixel of margin goes left or above, as
 *  in Fashion-MNIST: of its test set's items with an odd margin, 1,556 against 5 across, 890 against 9 down);
 *  null when nothing is drawn. */
export function toItemImage(drawing: Ink, width = 28, height = width): Uint8Array | null {
  if (!isSize(width) || !isSize(height)) throw new RangeError(`the model's image size must be whole pixels, got ${width}×${height}`);
  const bounds = inkBounds(drawing);
  if (!bounds) return null;
  const { x0, y0, bw, bh } = bounds;
  const scale = Math.min(width / bw, height / bh);
  const tw = Math.min(width, Math.max(1, Math.round(bw * scale))), th = Math.min(height, Math.max(1, Math.round(bh * scale)));
  const small = areaAverage(drawing.ink, drawing.width, x0, y0, bw, bh, tw, th);
  return paste(small, tw, th, Math.ceil((width - tw) / 2), Math.ceil((height - th) / 2), width, height);
}

/** The drawing framed the chosen way at width × height (null when nothing is drawn). */
export function frameDrawing(drawing: Ink, framing: Framing, width = 28, height = width): Uint8Array | null {
  return framing === 'item' ? toItemImage(drawing, width, height) : toModelImage(drawing, width, height);
}

/** The smallest box holding all the ink: from (x0, y0), bw × bh pixels; null when there is none. */
function inkBounds({ ink, width: W, height: H }: Ink): { x0: number; y0: number; bw: number; bh: number } | null {
  let x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (ink[y * W + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, bw: x1 - x0 + 1, bh: y1 - y0 + 1 };
}

/** A width × height frame of 0–255 with the tw × th ink image (0–1) placed at (ox, oy). */
function paste(small: Float32Array, tw: number, th: number, ox: number, oy: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(oy + y) * width + ox + x] = Math.round(255 * Math.min(1, small[y * tw + x]));
  }
  return out;
}

function isSize(n: number): boolean {
  return Number.isInteger(n) && n >= 1;
}

/** The whole-pixel shift that brings `at` nearest `target`; halfway, the smaller one (a symmetric drawing's mass, at
 *  the middle of its box, then leaves its box centred in an even frame: a 20-px square at 4…23 of 28). */
function shiftTo(target: number, at: number): number {
  return -Math.round(at - target);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** The box [x0, x0+bw) × [y0, y0+bh) of ink shrunk (or grown) to tw × th by area averaging. */
function areaAverage(ink: Float32Array, W: number, x0: number, y0: number, bw: number, bh: number, tw: number, th: number): Float32Array {
  const xs = coverage(bw, tw), ys = coverage(bh, th);
  const out = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      let sum = 0, area = 0;
      for (const [j, wy] of ys[ty]) {
        for (const [i, wx] of xs[tx]) {
          sum += wx * wy * ink[(y0 + j) * W + x0 + i];
          area += wx * wy;
        }
      }
      out[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** For each of n output cells over a source of `length` pixels: the source pixels it overlaps and by how much. */
function coverage(length: number, n: number): Array<Array<[number, number]>> {
  const step = length / n;
  return Array.from({ length: n }, (_, k) => {
    const a = k * step, b = (k + 1) * step;
    const cells: Array<[number, number]> = [];
    for (let i = Math.floor(a); i < Math.min(length, Math.ceil(b)); i++) {
      const w = Math.min(b, i + 1) - Math.max(a, i);
      if (w > 0) cells.push([i, w]);
    }
    return cells;
  });
}
