// The fast path of the CSV parser: one row that is nothing but plain digits and commas — a label first (or
// none), then `count` pixel values 0–255 — the shape of every row of MNIST-in-CSV and Kaggle files. Anything
// else (spaces, quotes, decimals, a wrong count, a value out of range) returns -1 and the general path
// (readGeneralRow in csv-general-row.ts, its plain twin, tested against it) reads the row again and names the problem.
// Pure TS.

const COMMA = 44;
const CR = 13;
const NEWLINE = 10;

/**
 * Reads the row starting at buf[start] into px[p … p+count) and returns `end · 256 + label` (label 0 when
 * `labeled` is false), where buf[end] is the '\n' that ends the row; or -1 if the row is anything else.
 * There must be a '\n' somewhere at or after the row (the chunk's last newline, or the parser's sentinel):
 * every scan stops at it, so no index check is needed in the loops.
 */
export function scanPlainRow(buf: Uint8Array, start: number, labeled: boolean, px: Uint8Array, p: number, count: number): number {
  let i = start;
  let label = 0;
  if (labeled) {
    let d = buf[i] - 48;
    if (d >>> 0 > 9) return -1;
    label = d;
    while ((d = buf[++i] - 48) >>> 0 <= 9) label = label * 10 + d;
    if (label > 255 || buf[i] !== COMMA) return -1;
    i++;
  }
  const last = p + count - 1;
  for (let q = p; q <= last; q++) {
    // One to three digits, unrolled (a fourth digit means out of range). buf[i + 1] always exists (a newline
    // follows), and buf[i + 2] exists whenever buf[i + 1] is a digit.
    const d0 = buf[i] - 48;
    if (d0 >>> 0 > 9) return -1;
    const d1 = buf[i + 1] - 48;
    let v: number;
    if (d1 >>> 0 > 9) {
      v = d0;
      i += 1;
    } else {
      const d2 = buf[i + 2] - 48;
      if (d2 >>> 0 > 9) {
        v = d0 * 10 + d1;
        i += 2;
      } else {
        v = d0 * 100 + d1 * 10 + d2;
        i += 3;
        if (v > 255 || (buf[i] - 48) >>> 0 <= 9) return -1;
      }
    }
    px[q] = v;
    if (q < last) {
      if (buf[i] !== COMMA) return -1;
      i++;
    }
  }
  if (buf[i] === NEWLINE) return i * 256 + label;
  if (buf[i] === CR && buf[i + 1] === NEWLINE) return (i + 1) * 256 + label;
  return -1;
}
