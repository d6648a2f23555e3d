// Drawing grey-level images (0–255, row-major) onto canvases: ink dark on light in the light theme, light on
// dark in the dark theme, scaled with crisp pixels.

export const prefersDark = (): boolean => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/**
 * Copies image `index` of `pixels` (count × w·h grey levels) into `rgba` (an RGBA buffer `rgbaWidth` pixels
 * wide) with its top-left corner at (x, y): grey v as (v, v, v, 255) in the dark theme, (255−v, …) in the light.
 */
export function paintGrey(rgba: Uint8ClampedArray, rgbaWidth: number, x: number, y: number, pixels: Uint8Array, index: number, w: number, h: number, dark: boolean): void {
  const base = index * w * h;
  for (let r = 0; r < h; r++) {
    let out = 4 * ((y + r) * rgbaWidth + x);
    let src = base + r * w;
    for (let c = 0; c < w; c++, out += 4, src++) {
      const v = dark ? pixels[src] : 255 - pixels[src];
      rgba[out] = v;
      rgba[out + 1] = v;
      rgba[out + 2] = v;
      rgba[out + 3] = 255;
    }
  }
}

/** Where image k sits in a mosaic `columns` images wide: its top-left pixel. */
export function mosaicCell(k: number, columns: number, w: number, h: number): { x: number; y: number } {
  return { x: (k % columns) * w, y: Math.floor(k / columns) * h };
}

/** Draws image `index` of `pixels` (count × w·h) into ctx at (x, y), `size` CSS pixels square. */
export class GreyPainter {
  private readonly scratch: HTMLCanvasElement;
  private readonly scratchCtx: CanvasRenderingContext2D;
  private readonly image: ImageData;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.scratch = document.createElement('canvas');
    this.scratch.width = width;
    this.scratch.height = height;
    this.scratchCtx = this.scratch.getContext('2d') as CanvasRenderingContext2D;
    this.image = this.scratchCtx.createImageData(width, height);
  }

  draw(ctx: CanvasRenderingContext2D, pixels: Uint8Array, index: number, x: number, y: number, w: number, h: number, dark: boolean): void {
    paintGrey(this.image.data, this.width, 0, 0, pixels, index, this.width, this.height, dark);
    this.scratchCtx.putImageData(this.image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.scratch, x, y, w, h);
  }

  /** A thin frame around a drawn image, so white-background images stand out from the page. */
  frame(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  }
}

/** Every image of a page side by side in one canvas at its own size, so a grid draws each with one drawImage. */
export interface Mosaic {
  canvas: HTMLCanvasElement;
  columns: number;
  dark: boolean;
}

// One mosaic per page of pixels, kept as long as the page is (the data set's page cache outlives the view, so
// showing the Data view again draws from mosaics already made).
const mosaics = new WeakMap<Uint8Array, Mosaic>();

/** The mosaic of `count` images w×h in `pixels`, in the theme's colours (made once per page and theme). */
export function mosaicOf(pixels: Uint8Array, count: number, w: number, h: number, dark: boolean): Mosaic {
  const cached = mosaics.get(pixels);
  if (cached && cached.dark === dark) return cached;
  const columns = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count))));
  const rows = Math.max(1, Math.ceil(count / columns));
  const canvas = cached?.canvas ?? document.createElement('canvas');
  canvas.width = columns * w;
  canvas.height = rows * h;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const image = ctx.createImageData(canvas.width, canvas.height);
  for (let k = 0; k < count; k++) {
    const { x, y } = mosaicCell(k, columns, w, h);
    paintGrey(image.data, canvas.width, x, y, pixels, k, w, h, dark);
  }
  ctx.putImageData(image, 0, 0);
  const mosaic = { canvas, columns, dark };
  mosaics.set(pixels, mosaic);
  return mosaic;
}
