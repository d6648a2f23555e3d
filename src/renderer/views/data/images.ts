// Drawing grey-level images (0–255, row-major) onto canvases: ink dark on light in the light theme, light on
// dark in the dark theme, scaled with crisp pixels.

export const prefersDark = (): boolean => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

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
    const size = this.width * this.height;
    const data = this.image.data;
    const base = index * size;
    for (let k = 0; k < size; k++) {
      const v = dark ? pixels[base + k] : 255 - pixels[base + k];
      data[4 * k] = v;
      data[4 * k + 1] = v;
      data[4 * k + 2] = v;
      data[4 * k + 3] = 255;
    }
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
