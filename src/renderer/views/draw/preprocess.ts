// From a drawing to the image the model sees, the way MNIST's digits were made: crop to the ink, scale the
// longer side to 20 px keeping the aspect (area averaging: each output pixel is the mean ink over the part
// of the drawing it covers, so strokes turn into grey levels), and place that in a 28×28 frame so that its
// centre of mass is at the centre (the shift clamped to keep the image inside). Other image sizes keep the
// same proportions: a W×H frame holds a box of 20/28 of its smaller side. Pure, so it is tested.

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
  const { ink, width: W, height: H } = drawing;
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
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const scale = box / Math.max(bw, bh);
  const tw = Math.min(box, Math.max(1, Math.round(bw * scale))), th = Math.min(box, Math.max(1, Math.round(bh * scale)));
  const small = areaAverage(ink, W, x0, y0, bw, bh, tw, th);
  // centre of mass of the small image (pixel centres), placed at the frame's centre
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = clamp(Math.round(width / 2 - mx / mass), 0, width - tw);
  const oy = clamp(Math.round(height / 2 - my / mass), 0, height - th);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(oy + y) * width + ox + x] = Math.round(255 * Math.min(1, small[y * tw + x]));
  }
  return out;
}

function isSize(n: number): boolean {
  return Number.isInteger(n) && n >= 1;
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
