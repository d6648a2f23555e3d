// One colour per run, indexed by RunSummary.colorIndex: the chart's lines and the runs list's swatches agree.
// Mid-tone hues that read on both the light and the dark background. The first ten are chosen by hand; the
// runs after them get colours picked one at a time from a wheel of mid-tone OKLCH colours (as readable on
// both backgrounds as the first ten), each the one farthest, in OKLab, from every colour given before it —
// so the 11th, 12th, … runs look unlike all the runs before them, and no colour repeats until the wheel's
// 150-odd are used up (then they come round again).
export const RUN_PALETTE = [
  '#4c6ef5', // blue
  '#f76707', // orange
  '#2f9e44', // green
  '#e03131', // red
  '#9c36b5', // purple
  '#1098ad', // teal
  '#e8a800', // amber
  '#d6336c', // pink
  '#74b816', // lime
  '#868e96', // grey
] as const;

export function runColor(colorIndex: number): string {
  const i = Math.max(0, Math.trunc(colorIndex) || 0);
  if (i < RUN_PALETTE.length) return RUN_PALETTE[i];
  const more = (picked ??= startPicking());
  while (more.colors.length <= i - RUN_PALETTE.length) if (!pickNext(more)) break;
  return more.colors[(i - RUN_PALETTE.length) % more.colors.length];
}

type Lab = [number, number, number];

/** The colours after the first ten, picked so far from the wheel; for each wheel colour, its distance to the
 *  nearest given one. Built on the first run past the tenth, not at start-up (building the wheel takes ~10 ms). */
interface Picked {
  wheel: string[];
  labs: Lab[];
  nearest: number[];
  colors: string[];
}
let picked: Picked | null = null;

function startPicking(): Picked {
  // The wheel: OKLCH lightness 0.55–0.76, chroma 0.15 (less where sRGB cannot show it), every 8° of hue;
  // kept where the contrast with white and with the dark theme's surface is at least the first ten's.
  const colors = new Set<string>();
  for (const L of [0.55, 0.62, 0.69, 0.76]) for (let h = 0; h < 360; h += 8) colors.add(oklch(L, 0.15, h));
  const wheel = [...colors].filter((c) => contrast(c, '#ffffff') >= 2.2 && contrast(c, '#1e2025') >= 2.8);
  const labs = wheel.map(toOklab);
  const given = RUN_PALETTE.map(toOklab);
  return { wheel, labs, nearest: labs.map((p) => Math.min(...given.map((q) => distance(p, q)))), colors: [] };
}

/** Adds the wheel colour farthest from all given so far; false once every one is given. */
function pickNext(more: Picked): boolean {
  const { labs, nearest } = more;
  let best = 0;
  for (let k = 1; k < labs.length; k++) if (nearest[k] > nearest[best]) best = k;
  if (!(nearest[best] > 0)) return false;
  more.colors.push(more.wheel[best]);
  for (let k = 0; k < labs.length; k++) nearest[k] = Math.min(nearest[k], distance(labs[k], labs[best]));
  return true;
}

/** Euclidean distance in OKLab (≈ 0.02 is just noticeable). */
export function distance(p: Lab, q: Lab): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** '#rrggbb' in OKLab (Björn Ottosson's matrices). */
export function toOklab(hex: string): Lab {
  const [r, g, b] = linearOf(hex);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s];
}

/** An OKLCH colour as '#rrggbb', its chroma lowered until sRGB can show it. */
function oklch(L: number, C: number, hueDegrees: number): string {
  const cos = Math.cos((hueDegrees * Math.PI) / 180), sin = Math.sin((hueDegrees * Math.PI) / 180);
  let rgb = linearRgb(L, C * cos, C * sin);
  for (let c = C; c > 0 && !rgb.every((v) => v >= 0 && v <= 1); c -= 0.005) rgb = linearRgb(L, c * cos, c * sin);
  return '#' + rgb.map((v) => fromLinear(v).toString(16).padStart(2, '0')).join('');
}

function linearRgb(L: number, a: number, b: number): number[] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s];
}

/** WCAG contrast ratio of two '#rrggbb' colours (1–21). */
export function contrast(x: string, y: string): number {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = linearOf(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** '#rrggbb' as linear-light r, g, b 0–1. */
function linearOf(hex: string): number[] {
  return [1, 3, 5].map((k) => toLinear(Number.parseInt(hex.slice(k, k + 2), 16)));
}

function toLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(v: number): number {
  const c = Math.min(1, Math.max(0, v));
  return Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
}
