// Reads the first lines of a CSV and decides the layout: header or not, where the label is, how many pixels
// and the image side. Pure TS. Formats (DESIGN §2):
//   label,1x1,…,28x28          MNIST-in-CSV (the notebook's file)
//   label,pixel0,…,pixel783    Kaggle Digit Recognizer train.csv; its test.csv has no label column
//   5,0,0,…                    headerless, label first (1 + side² columns)
//   0,0,0,…                    headerless, unlabeled (side² columns)
//   pixel0,…,label,…           a `label` column anywhere in a header
// Values are separated by commas, or — in a file whose first line has a layout with them and none with commas —
// by semicolons (a spreadsheet's CSV where the comma is the decimal mark) or tabs. In those files a comma in a
// number is its decimal mark: 0,5 is 0.5 (0.5 too).
import type { CsvSeparator } from '../../shared/datasets';
import { ParseError, problem, showBytes } from './errors';

export interface CsvLayout {
  /** Whether line 1 is a header (then data starts on the next line). */
  header: boolean;
  /** Header names (trimmed, unquoted), or null without a header. */
  names: string[] | null;
  columns: number;
  /** The byte between values: COMMA, SEMICOLON or TAB. */
  separator: number;
  /** 0-based label column, or -1 for an unlabeled file. */
  labelColumn: number;
  width: number;
  height: number;
}

export const COMMA = 44;
export const SEMICOLON = 59;
export const TAB = 9;

/** The separator byte's name, as a data set's summary gives it, with whether values were read with a decimal comma. */
export function separatorName(separator: number, decimalCommas: boolean): CsvSeparator {
  if (separator === COMMA) return 'comma';
  const name = separator === SEMICOLON ? 'semicolon' : 'tab';
  return decimalCommas ? `${name}, decimal commas` : name;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LABEL_NAMES = /^(label|labels|class|target)$/i;

/** Strips spaces and one pair of surrounding double quotes. */
export function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** The number a field (already unquoted) holds — signs, decimals, exponents; with `decimalComma` (a file
 *  separated by semicolons or tabs) a comma as the decimal mark too ('0,5') — or NaN. */
function numberIn(field: string, decimalComma: boolean): number {
  const t = decimalComma ? field.replaceAll(',', '.') : field;
  return NUMBER.test(t) ? Number(t) : NaN;
}

/** Parses one CSV value as a number, or returns NaN. Accepts spaces and quotes around it, then what numberIn does. */
export function parseNumber(text: string, decimalComma = false): number {
  return numberIn(unquote(text), decimalComma);
}

/** Whether a first line's field (unquoted) is a number, a comma its decimal mark with `decimalComma`. */
export function isNumber(field: string, decimalComma: boolean): boolean {
  return !Number.isNaN(numberIn(field, decimalComma));
}

function squareSide(n: number): number {
  const side = Math.round(Math.sqrt(n));
  return side > 0 && side * side === n ? side : 0;
}

/** The image shape a header's pixel column names spell out, MNIST-in-CSV's way ("1x1", "1x2", …, "28x28": row x
 *  column, the column counting fastest), or null when they are other names: a 14×56 file's last column is "14x56". */
function shapeOfNames(names: readonly string[]): { width: number; height: number } | null {
  const last = /^(\d+)x(\d+)$/i.exec(names[names.length - 1] ?? '');
  if (!last) return null;
  const height = Number(last[1]);
  const width = Number(last[2]);
  if (width * height !== names.length) return null;
  for (let k = 0; k < names.length; k++) {
    if (names[k].toLowerCase() !== `${Math.floor(k / width) + 1}x${(k % width) + 1}`) return null;
  }
  return { width, height };
}

/** A first line's number of values separated by `separator` fits some layout: side² or 1 + side² (at least 2). */
function fitsLayout(text: string, separator: string): boolean {
  const n = text.split(separator).length;
  return n > 1 && (squareSide(n) > 0 || squareSide(n - 1) > 0);
}

/**
 * The separator of a file whose first line is `text`: commas, unless they give no layout and semicolons or tabs
 * do — or unless, splitting a line of numbers, commas give fields that are not numbers and semicolons (tabs)
 * give numbers: '5;0;0,5;0;0' is 2 values split at its commas (a 1×1 layout), 5 split at its semicolons.
 */
function separatorOf(text: string): number {
  const fitting = [COMMA, SEMICOLON, TAB].filter((s) => fitsLayout(text, String.fromCharCode(s)));
  const numbers = fitting.find((s) => text.split(String.fromCharCode(s)).every((f) => isNumber(unquote(f), s !== COMMA)));
  return numbers ?? fitting[0] ?? COMMA; // no layout: the layout's message then tells what a line should hold
}

/** A line of the file read before the layout is decided: its bytes (without its end) and its number. */
export interface FirstLine {
  bytes: Uint8Array;
  line: number;
}

/** How many non-blank lines the layout is decided from: the first, and three more to tell a damaged first row
 *  from a header (a first row one value short, or with a stray letter, was taken for the file's layout or header,
 *  and every row after it became a problem — skipped, 59,999 rows were dropped and the damaged one kept). */
export const LAYOUT_LINES = 4;

/** A line's values, split at the separator its text suggests. */
function fieldsOf(bytes: Uint8Array): { separator: number; fields: string[]; numbers: number } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const separator = separatorOf(text);
  const fields = text.split(String.fromCharCode(separator)).map(unquote);
  return { separator, fields, numbers: fields.filter((f) => isNumber(f, separator !== COMMA)).length };
}

/** The values that are whole numbers, if they (at least 5, most of the line) count up by one from 0 or 1: pandas'
 *  default column names (`0,1,…,784`, or `y,0,1,…,783`); else null. */
function countingNumbers(fields: readonly string[]): number[] | null {
  const numbers = fields.filter((f) => /^\d+$/.test(f)).map(Number);
  if (numbers.length < 5 || numbers.length * 2 <= fields.length) return null;
  return (numbers[0] === 0 || numbers[0] === 1) && numbers.every((n, i) => n === numbers[0] + i) ? numbers : null;
}

/** The largest number in the lines' values (0 when none). */
function largestIn(lines: readonly { fields: string[]; separator: number }[]): number {
  let largest = 0;
  for (const { fields, separator } of lines) for (const f of fields) if (isNumber(f, separator !== COMMA)) largest = Math.max(largest, numberIn(f, separator !== COMMA));
  return largest;
}

/**
 * Decides the layout from the file's first non-blank lines (up to LAYOUT_LINES; BOM already removed; each line's
 * bytes without its end), and whether the first of them is a header. The first line alone decides, as readLayout,
 * unless the lines after it say otherwise:
 * - numbers counting 0, 1, 2, … up to one that is no grey level (784), or larger than any value of the next lines,
 *   are a header (pandas' column names), not an image;
 * - a first line of mostly numbers (no "label" name) with a value that is not one, or empty, where the next line has
 *   as many values and they make a layout, is a damaged data row, or a file of text labels;
 * - a first line of numbers (or empty values) whose count differs from the next three lines', which agree and make
 *   a layout, is a data row with a value too many or too few.
 * A damaged first row is then read as a row under the others' layout: its problem named, and left out with "skip
 * bad rows" (taken for the layout or header, it made every row after it a problem).
 */
export function chooseLayout(lines: readonly FirstLine[], file: string): CsvLayout {
  const [first, ...next] = lines.map((l) => ({ ...l, ...fieldsOf(l.bytes) }));
  const where = { file, line: first.line, column: 1 };
  const allNumbers = first.numbers === first.fields.length;
  const counting = next.length > 0 ? countingNumbers(first.fields) : null;
  if (counting && (counting[counting.length - 1] > 255 || counting[counting.length - 1] > largestIn(next))) {
    // Names that are all numbers: the label first or none, as without a header; else named as readLayout reads them.
    return allNumbers ? { ...layoutByCount(first.fields.length, first.separator, where, first.bytes), header: true, names: first.fields } : readLayout(first.bytes, file, first.line);
  }
  const [second] = next;
  const mostlyNumbers = first.numbers * 2 > first.fields.length && !first.fields.some((f) => LABEL_NAMES.test(f));
  if (second && !allNumbers && mostlyNumbers && fitsCount(first.fields.length)) {
    // A stray letter or an empty value in a first data row, or text labels: the next line has as many values, mostly numbers.
    if (second.fields.length === first.fields.length && second.numbers * 2 > second.fields.length) {
      return layoutByCount(first.fields.length, first.separator, where, first.bytes);
    }
  }
  const numbersOrEmpty = first.fields.every((f) => f === '' || isNumber(f, first.separator !== COMMA));
  const agreeing = next.length === LAYOUT_LINES - 1 && next.every((l) => l.numbers === l.fields.length && l.fields.length === second.fields.length && l.separator === second.separator);
  if (numbersOrEmpty && agreeing && second.fields.length !== first.fields.length && fitsCount(second.fields.length)) {
    return layoutByCount(second.fields.length, second.separator, { file, line: second.line, column: 1 }, second.bytes);
  }
  return readLayout(first.bytes, file, first.line);
}

/** Decides the layout from the first non-blank line `bytes` (BOM already removed), found on line `line`. */
export function readLayout(bytes: Uint8Array, file: string, line: number): CsvLayout {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const separator = separatorOf(text);
  const fields = text.split(String.fromCharCode(separator)).map(unquote);
  const decimalComma = separator !== COMMA;
  const header = fields.some((f) => !isNumber(f, decimalComma));
  const columns = fields.length;
  const where = { file, line, column: 1 };
  if (header) {
    const empty = fields.findIndex((f) => f === '');
    if (empty >= 0 && fields.every((f) => f === '' || isNumber(f, decimalComma))) {
      throw new ParseError([problem({ file, line, column: empty + 1 }, 'a number', 'an empty value')]);
    }
    const labelColumn = fields.findIndex((f) => LABEL_NAMES.test(f));
    const pixels = columns - (labelColumn >= 0 ? 1 : 0);
    const side = squareSide(pixels);
    // Names of the form row x column give the shape (14×56 has 28×28's count); other names, a square.
    const named = shapeOfNames(labelColumn >= 0 ? fields.filter((_, k) => k !== labelColumn) : fields);
    if ((side === 0 && !named) || columns === 1) { // a header of one column is a line of prose (a text file), not a 1×1 image's
      throw new ParseError([
        problem(where, 'a header with side×side pixel columns (784 = 28×28, 64 = 8×8, …), or columns named row x column (1x1 … 24x32), and an optional "label" column', `${pixels.toLocaleString('en-US')} pixel column${pixels === 1 ? '' : 's'}`, labelColumn >= 0 ? `label in column ${labelColumn + 1}` : 'no "label" column'),
      ]);
    }
    return { header: true, names: fields, separator, columns, labelColumn, width: named?.width ?? side, height: named?.height ?? side };
  }
  return layoutByCount(columns, separator, where, bytes);
}

/** Whether `columns` values make a headerless layout: 1 + side² (label first) or side². */
function fitsCount(columns: number): boolean {
  return (columns > 1 && squareSide(columns - 1) > 0) || squareSide(columns) > 0;
}

/** The headerless layout of lines of `columns` values: a label then side² pixels, else side² pixels. */
function layoutByCount(columns: number, separator: number, where: { file: string; line: number; column: number }, bytes: Uint8Array): CsvLayout {
  const labeledSide = columns > 1 ? squareSide(columns - 1) : 0;
  if (labeledSide > 0) return { header: false, names: null, separator, columns, labelColumn: 0, width: labeledSide, height: labeledSide };
  const side = squareSide(columns);
  if (side > 0) return { header: false, names: null, separator, columns, labelColumn: -1, width: side, height: side };
  throw new ParseError([
    problem(where, 'a label then side×side pixels (785 = 1 + 28×28 values), or side×side pixels for an unlabeled file', `${columns.toLocaleString('en-US')} values (${showBytes(bytes, 30)})`),
  ]);
}
