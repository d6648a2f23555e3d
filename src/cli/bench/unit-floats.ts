// The 0–1 float CSV for the parse section's float row: fashion_test.csv with every pixel p written as p/255,
// so the parser's general path (decimals) is measured on real data. Written by the bench into a temp folder.
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Decimals per value: 4, trailing zeros dropped (128 → "0.502", 1 → "0.0039", 0 → "0", 255 → "1").
 * Four decimals still give every byte back (the error ≤ 0.00005·255 ≈ 0.013 of a level, far under the 0.5
 * that Math.round allows), so the parse can be checked pixel for pixel; they make the same 34.5 MB file the
 * general path was tuned on. (The shortest float32 decimal, "0.5019608", makes 48.5 MB; String(Math.fround(p/255))
 * gives the float64 digits of the float32, "0.501960813999176", 82 MB.)
 */
export const UNIT_DECIMALS = 4;

/** The text of byte p as a 0–1 float, for p = 0 … 255. */
export const unitDecimal = (p: number): string => String(Number((p / 255).toFixed(UNIT_DECIMALS)));

export interface UnitFloatFile {
  /** Bytes written. */
  bytes: number;
  rows: number;
  columns: number;
  /** The source's pixels (rows × (columns − 1), 0–255) and labels, which the float file must read back as. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/**
 * Writes `target` from the labeled integer CSV `source` (a header line, the label first): the header and labels
 * unchanged, each pixel p as unitDecimal(p). Plain string splitting, independent of the parser it checks.
 */
export function writeUnitFloatCsv(source: string, target: string): UnitFloatFile {
  const table = Array.from({ length: 256 }, (_, p) => unitDecimal(p));
  const lines = readFileSync(source, 'latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const columns = lines[0].split(',').length;
  const rows = lines.length - 1;
  const pixels = new Uint8Array(rows * (columns - 1));
  const labels = new Uint8Array(rows);
  const out: string[] = [lines[0]];
  for (let r = 0; r < rows; r++) {
    const fields = lines[r + 1].split(',');
    if (fields.length !== columns) throw new Error(`${source} line ${r + 2}: ${fields.length} values, expected ${columns}`);
    labels[r] = Number(fields[0]);
    for (let c = 1; c < columns; c++) {
      const p = Number(fields[c]);
      if (!(p >= 0 && p <= 255 && Number.isInteger(p))) throw new Error(`${source} line ${r + 2} column ${c + 1}: '${fields[c]}' is not a whole number 0–255`);
      pixels[r * (columns - 1) + c - 1] = p;
      fields[c] = table[p];
    }
    out.push(fields.join(','));
  }
  const text = out.join('\n') + '\n';
  writeFileSync(target, text, 'latin1');
  return { bytes: text.length, rows, columns, pixels, labels }; // latin1: one byte per character
}
