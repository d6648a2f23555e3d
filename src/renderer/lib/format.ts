// How every view (and the chart's tooltip) writes a share, a loss and an epoch.
// Shares: one convention, English style, no space before the sign ("85.0%"). Digits per use: an accuracy
// that is the figure a view is about has two ("85.00%"); shares beside other numbers (per-class precision,
// a cell's share of its row, a probability) have one; captions under small images and axis ticks none.

/** A fraction 0–1 as a percentage: 0.85 → "85.0%" (`digits` decimals, 1 by default); "—" when unknown. A share
 *  that is not 0 or 1 never reads as one: 0.9996 → ">99.9%", 0.0004 → "<0.1%" (a recall of 2,499 of 2,500 read
 *  "100.0%", a probability of 0.0004 "0.0%"). */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const text = (fraction * 100).toFixed(digits);
  const step = 10 ** -digits;
  if (fraction > 0 && Number(text) === 0) return `<${step.toFixed(digits)}%`;
  if (fraction < 1 && Number(text) === 100) return `>${(100 - step).toFixed(digits)}%`;
  // -0.0 (a tiny negative rounding) reads as 0.
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** A loss: four significant digits ("0.3856"), one decimal from 100 up, powers of ten from a million up
 *  ("1.396e+26", a run on its way to diverging; toFixed wrote all of its 22 digits); "—" when unknown. */
export function formatLoss(loss: number | null): string {
  if (loss === null || !Number.isFinite(loss)) return '—';
  const size = Math.abs(loss);
  return size >= 1e6 ? loss.toExponential(3) : size >= 100 ? loss.toFixed(1) : loss.toPrecision(4);
}

/** An accuracy as a headline figure: 0.8512 → "85.12%"; "—" when unknown. */
export function formatAccuracy(fraction: number | null): string {
  return formatPercent(fraction, 2);
}

/** An epoch, whole or part-way through: "5" for a whole epoch, else two decimals ("17.15", "2.50"). */
export function formatEpoch(epoch: number): string {
  const fixed = epoch.toFixed(2);
  return fixed.endsWith('.00') ? fixed.slice(0, -3) : fixed;
}

/** A message as the start of a sentence: its first letter capital ("server stopping" → "Server stopping"), unless
 *  it starts with a name, spelt as it is: a file's ("fashion_train.csv (60,000 rows), the data run … is not open"
 *  read "Fashion_train.csv …") or a quoted one. Its first word is a plain word when it is lowercase letters only. */
export function sentenceCase(text: string): string {
  const first = /^\S*/.exec(text)?.[0].replace(/[.,:;!?]+$/, '') ?? '';
  return /^[a-z]+$/.test(first) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

export { formatBytes } from '../../shared/format-bytes';

/** A file name cut into pieces after each '_', '.' and '-', for a heading to break a long name at those
 *  (with <wbr>) rather than anywhere ('fashion_semicolon_bad.' / 'csv'): 'a_b.csv' → ['a_', 'b.', 'csv']. */
export function namePieces(name: string): string[] {
  return name.match(/[^_.-]*[_.-]+|[^_.-]+$/g) ?? [name];
}
