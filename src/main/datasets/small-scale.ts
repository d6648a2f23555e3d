// Whole-number pixels on a small scale: a CSV whose largest value is 1 (black-and-white images written as 0s
// and 1s) or at most 16 (scikit-learn's 8×8 digits run 0–16) would show as nearly black thumbnails and train
// on inputs 16–255 times smaller than the app's 0–255 grey levels. Such a file is stretched to 0–255 once it
// is read, and its summary says so, as a file of 0–1 floats is scaled (csv-values.ts PixelScale). A file
// with any value above 16 is left as it is: 0–255 grey levels whose images happen to be dark stay dark.
// Pure TS.

/** The small scales a file is stretched from: its values were 0–1 or 0–16. */
export type SmallScale = 1 | 16;

/** The small scale of pixels[] (the largest value is 1, or 2–16), or null (all 0, or a value above 16).
 *  Stops at the first value above 16: a 0–255 file costs a few rows' scan, not a pass over its pixels. */
export function smallScaleOf(pixels: Uint8Array): SmallScale | null {
  let max = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (v > 16) return null;
    if (v > max) max = v;
  }
  return max === 0 ? null : max === 1 ? 1 : 16;
}

/** Stretches pixels[] in place from 0–scale to 0–255, rounding to nearest: 0 → 0, scale → 255 (16 levels: 8 → 128). */
export function stretchToFullScale(pixels: Uint8Array, scale: SmallScale): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor((pixels[i] * 255 + (scale >> 1)) / scale);
}
