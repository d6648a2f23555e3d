import { describe, expect, it } from 'vitest';
import { mosaicCell, paintGrey } from './images';

/** The plain twin: pixel (r, c) of image k lands at (y + r, x + c) as four bytes. */
function paintPlain(rgbaWidth: number, rgbaHeight: number, placements: { x: number; y: number; k: number }[], pixels: Uint8Array, w: number, h: number, dark: boolean): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgbaWidth * rgbaHeight * 4);
  for (const { x, y, k } of placements) {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const v = pixels[k * w * h + r * w + c];
        const grey = dark ? v : 255 - v;
        out.set([grey, grey, grey, 255], ((y + r) * rgbaWidth + x + c) * 4);
      }
    }
  }
  return out;
}

describe('paintGrey', () => {
  const w = 3;
  const h = 2;
  const count = 5;
  const pixels = Uint8Array.from({ length: count * w * h }, (_, i) => (i * 37 + 11) % 256);

  for (const dark of [false, true]) {
    it(`places each image of a page in a mosaic as the plain twin does (${dark ? 'dark' : 'light'} theme)`, () => {
      const columns = 2;
      const width = columns * w;
      const height = Math.ceil(count / columns) * h;
      const rgba = new Uint8ClampedArray(width * height * 4);
      const placements = Array.from({ length: count }, (_, k) => ({ ...mosaicCell(k, columns, w, h), k }));
      for (const { x, y, k } of placements) paintGrey(rgba, width, x, y, pixels, k, w, h, dark);
      expect(rgba).toEqual(paintPlain(width, height, placements, pixels, w, h, dark));
    });
  }

  it('inks dark on light in the light theme, light on dark in the dark one', () => {
    const rgba = new Uint8ClampedArray(w * h * 4);
    const ink = new Uint8Array(w * h).fill(255);
    paintGrey(rgba, w, 0, 0, ink, 0, w, h, false);
    expect([...rgba.slice(0, 4)]).toEqual([0, 0, 0, 255]);
    paintGrey(rgba, w, 0, 0, ink, 0, w, h, true);
    expect([...rgba.slice(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('mosaicCell: image k sits k mod columns across and k div columns down', () => {
    expect(mosaicCell(0, 16, 28, 28)).toEqual({ x: 0, y: 0 });
    expect(mosaicCell(17, 16, 28, 28)).toEqual({ x: 28, y: 28 });
    expect(mosaicCell(255, 16, 28, 28)).toEqual({ x: 15 * 28, y: 15 * 28 });
  });
});
