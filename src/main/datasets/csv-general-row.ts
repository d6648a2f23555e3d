// The general path of the CSV parser: one row in any notation we accept (spaces, quotes, signs, decimals,
// exponents, 0–1 floats, decimal commas where values are separated by semicolons or tabs), or the exact problem
// with it. It is the plain twin the fast path (csv-fast-row.ts, plain digits and commas only) is tested against,
// and it reads every row the fast path turns down. Pure TS.
import { COMMA, type CsvLayout } from './csv-layout';
import { countValues, type FieldBytes, fieldNumber, isLabel, type Fail, type PixelScale } from './csv-values';

const DOT = 46;

/**
 * Reads the row buf[start, end) — buf[end] must exist and not be a digit (a sentinel) — its pixels into
 * px[p … p + width·height) in the file's `scale`. Returns its label (0 for an unlabeled file), or -1 once
 * `fail` has been told its problem (column, expected, found). `line` is the row's line, for the scale's messages.
 */
export function readGeneralRow(buf: Uint8Array, start: number, end: number, layout: CsvLayout, px: Uint8Array, p: number, scale: PixelScale, line: number, fail: Fail): number {
  const { columns, labelColumn, separator } = layout;
  // The byte read as a decimal mark besides the dot: the comma where it does not separate values ('0,5').
  const decimalComma = separator !== COMMA;
  const mark = decimalComma ? COMMA : DOT;
  let label = 0;
  let commas = false; // some value of the row was written with a decimal comma
  let field = 0;
  let i = start;
  const found: FieldBytes = { buf, from: start, to: start }; // the current field, for problems' messages
  for (;;) {
    // A field runs to the next separator or the end of the line (buf[end] is a non-digit sentinel).
    const fieldStart = i;
    let value = buf[i] - 48;
    let plain = false;
    let comma = false; // written with a decimal comma
    if (value >>> 0 <= 9) {
      let digits = 1;
      let d = buf[++i] - 48;
      while (d >>> 0 <= 9) {
        value = value * 10 + d;
        digits++;
        d = buf[++i] - 48;
      }
      if (d === DOT - 48 || d === mark - 48) {
        // A decimal such as 0.1234: mantissa / 10^fraction digits. Both are exact for ≤ 15 digits, so the
        // division rounds once, exactly as Number('0.1234') does (fieldNumber, the plain twin, is tested against it).
        comma = d !== DOT - 48;
        let tens = 1;
        d = buf[++i] - 48;
        while (d >>> 0 <= 9) {
          value = value * 10 + d;
          tens *= 10;
          digits++;
          d = buf[++i] - 48;
        }
        value /= tens;
      }
      plain = (d === separator - 48 || i === end) && digits <= 15;
    }
    if (!plain) {
      i = buf.indexOf(separator, fieldStart);
      if (i < 0 || i > end) i = end;
      comma = decimalComma && buf.subarray(fieldStart, i).includes(COMMA);
    }
    found.from = fieldStart;
    found.to = i;
    if (field >= columns) {
      fail(field + 1, `${columns} values`, `${countValues(buf, start, end, separator).toLocaleString('en-US')} values`, `column ${field + 1} is extra`);
      return -1;
    }
    if (!plain) value = fieldNumber(buf.subarray(fieldStart, i), field + 1, fail, decimalComma);
    if (Number.isNaN(value)) return -1;
    if (field === labelColumn) {
      if (!isLabel(value, found, field + 1, fail)) return -1;
      label = value;
    } else if (!scale.store(px, p++, value, found, field + 1, line, fail)) {
      return -1;
    }
    if (comma) commas = true;
    field++;
    if (i >= end) break;
    i++; // the separator
  }
  if (field < columns) {
    fail(field + 1, `${columns} values`, `${field.toLocaleString('en-US')} values`, 'the row ends early');
    return -1;
  }
  if (commas) scale.decimalCommas = true;
  return label;
}
