// Values the fast path does not take, read one at a time for the CSV parser's general path: numbers in any
// notation (a decimal comma too in files separated by semicolons or tabs), labels, and the file's pixel scale
// (whole numbers 0–255, or 0–1 floats detected at the first fraction). Each problem goes to `fail` with its
// column. Pure TS.
import { parseNumber } from './csv-layout';
import { showBytes } from './errors';

/** Records a problem in the current row: 1-based column, what was expected, what was found, a detail. */
export type Fail = (column: number, expected: string, found: string, detail?: string) => void;

/** Longer fields are not numbers we accept (and are not decoded). */
const MAX_FIELD = 64;

/** The number in one field (spaces, quotes, signs, decimals, exponents allowed; with `decimalComma` a comma as
 *  the decimal mark too), or NaN after `fail`. */
export function fieldNumber(bytes: Uint8Array, column: number, fail: Fail, decimalComma = false): number {
  let text = '';
  for (let k = 0; k < bytes.length && k < MAX_FIELD; k++) text += String.fromCharCode(bytes[k]);
  const value = bytes.length > MAX_FIELD ? NaN : parseNumber(text, decimalComma);
  if (Number.isNaN(value)) {
    const blank = text.trim() === '' || text.trim() === '""';
    fail(column, 'a number', blank ? 'an empty value' : showBytes(bytes), blank ? '' : 'not a number');
  }
  return value;
}

/** A field's bytes buf[from, to): where a value came from, decoded only for a problem's message (the
 *  general path reads hundreds of values a row; a subarray each would cost more than the parsing). */
export interface FieldBytes {
  buf: Uint8Array;
  from: number;
  to: number;
}

function shown(f: FieldBytes): string {
  return showBytes(f.buf.subarray(f.from, f.to));
}

/** Whether `value` is a class label (a whole number 0–255); fails with "bad label" if not. */
export function isLabel(value: number, found: FieldBytes, column: number, fail: Fail): boolean {
  if (value <= 255 && value >= 0 && Number.isInteger(value)) return true;
  fail(column, 'a whole-number class label 0–255', shown(found), 'bad label');
  return false;
}

/** The number of values on a line whose values are separated by the byte `separator`, for "found N values". */
export function countValues(buf: Uint8Array, start: number, end: number, separator: number): number {
  let count = 1;
  for (let k = start; k < end; k++) if (buf[k] === separator) count++;
  return count;
}

/** The pixel scale of a file: whole numbers 0–255, until a fraction in a file of 0s and 1s makes it 0–1 floats. */
export class PixelScale {
  /** True once the file is known to hold 0–1 floats (scaled ×255 on the way in). */
  unit = false;
  /** The line of the first fraction. */
  unitSince = 0;
  /** True once a value written with a decimal comma (0,5) was read (files separated by semicolons or tabs). */
  decimalCommas = false;

  /** Values refused as off the scale: below 0, above 255, or fractions where whole numbers are read. */
  offScale = 0;
  /** The first of them that was a negative fraction, as written ("-0.922"): a sign of standardized data. */
  firstNegativeFraction: string | null = null;

  /** Stores `value` as px[p] in the file's scale, switching to 0–1 floats when it can; false after `fail`. */
  store(px: Uint8Array, p: number, value: number, found: FieldBytes, column: number, line: number, fail: Fail): boolean {
    if (!this.unit && value >= 0 && value <= 255 && Number.isInteger(value)) {
      px[p] = value;
      return true;
    }
    if (this.unit) {
      if (value >= 0 && value <= 1) {
        px[p] = Math.round(value * 255);
        return true;
      }
      return this.refuse(value, found, () => fail(column, `a value 0–1 (this file holds 0–1 floats since line ${this.unitSince})`, shown(found), 'out of range'));
    }
    if (value > 0 && value < 1) {
      // First fraction: a 0–1 file if every pixel so far (px[0…p)) was 0 or 1. Rescale those.
      let max = 0;
      for (let k = 0; k < p; k++) if (px[k] > max) max = px[k];
      if (max <= 1) {
        for (let k = 0; k < p; k++) px[k] *= 255;
        this.unit = true;
        this.unitSince = line;
        px[p] = Math.round(value * 255);
        return true;
      }
      return this.refuse(value, found, () => fail(column, 'a whole number 0–255', shown(found), `earlier values go up to ${max}, so this is not a 0–1 file`));
    }
    return this.refuse(value, found, () => fail(column, 'a whole number 0–255', shown(found), value < 0 || value > 255 ? 'out of range' : 'not a whole number'));
  }

  /**
   * What the problems add up to when the file's values, not a few damaged rows, are the cause: no row read yet,
   * every problem (`problems` of them) a value off the scale, and among them negative fractions — the z-scores
   * of standardized data, which are not grey levels. Null otherwise.
   */
  offScaleLead(file: string, problems: number, rowsRead: number): string | null {
    if (rowsRead > 0 || problems === 0 || this.offScale !== problems || this.firstNegativeFraction === null) return null;
    return (
      `the values of ${file} look standardized (negative fractions such as ${this.firstNegativeFraction}), not grey levels: ` +
      'MLP Studio reads whole numbers 0–255 or fractions 0–1, so save the images as they were before standardizing, or rescale them to 0–255'
    );
  }

  /** Reports a value off the scale through `report` (the caller's `fail`), counting it; false. */
  private refuse(value: number, found: FieldBytes, report: () => void): false {
    this.offScale++;
    if (this.firstNegativeFraction === null && value < 0 && !Number.isInteger(value)) this.firstNegativeFraction = shown(found);
    report();
    return false;
  }
}
