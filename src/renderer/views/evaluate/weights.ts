// Drawing a first-layer weight as a colour: white for 0, red for positive (ink there raises the unit), blue
// for negative (ink there lowers it), full colour at ±scale. Pure, so it is tested.

/** [r, g, b] 0–255 of weight w on a scale where ±scale is full colour (0 → white). */
export function weightColor(w: number, scale: number): [number, number, number] {
  const t = scale > 0 ? Math.min(1, Math.abs(w) / scale) : 0;
  const fade = Math.round(255 * (1 - t));
  return w >= 0 ? [255, fade, fade] : [fade, fade, 255];
}

/** The largest |weight| of unit u in weights[inputs, units] (its own colour scale; 0 if all are 0). */
export function unitScale(weights: Float32Array, inputs: number, units: number, u: number): number {
  let max = 0;
  for (let p = 0; p < inputs; p++) max = Math.max(max, Math.abs(weights[p * units + u]));
  return max;
}
