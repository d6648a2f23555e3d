// Reads the first line of a CSV and decides the layout: header or not, where the label is, how many pixels
// and the image side. Pure TS. Formats (DESIGN §2):
//   label,1x1,…,28x28          MNIST-in-CSV (the notebook's file)
//   label,pixel0,…,pixel783    Kaggle Digit Recognizer train.csv; its test.csv has no label column
//   5,0,0,…                    headerless, label first (1 + side² columns)
//   0,0,0,…                    headerless, unlabeled (side² columns)
//   pixel0,…,label,…           a `label` column anywhere in a header
import { ParseError, problem, showBytes } from './errors';

export interface CsvLayout {
  /** Whether line 1 is a header (then data starts on the next line). */
  header: boolean;
  /** Header names (trimmed, unquoted), or null without a header. */
  names: string[] | null;
  columns: number;
  /** 0-based label column, or -1 for an unlabeled file. */
  labelColumn: number;
  width: number;
  height: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LABEL_NAMES = /^(label|labels|class|target)$/i;

/** Strips spaces and one pair of surrounding double quotes. */
export function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Parses one CSV value as a number, or returns NaN. Accepts spaces, quotes, signs, decimals, exponents. */
export function parseNumber(text: string): number {
  const t = unquote(text);
  return NUMBER.test(t) ? Number(t) : NaN;
}

function squareSide(n: number): number {
  const side = Math.round(Math.sqrt(n));
  return side > 0 && side * side === n ? side : 0;
}

/** Decides the layout from the first non-blank line `bytes` (BOM already removed), found on line `line`. */
export function readLayout(bytes: Uint8Array, file: string, line: number): CsvLayout {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const fields = text.split(',').map(unquote);
  const header = fields.some((f) => !NUMBER.test(f));
  const columns = fields.length;
  const where = { file, line, column: 1 };
  if (header) {
    const empty = fields.findIndex((f) => f === '');
    if (empty >= 0 && fields.every((f) => f === '' || NUMBER.test(f))) {
      throw new ParseError([problem({ file, line, column: empty + 1 }, 'a number', 'an empty value')]);
    }
    const labelColumn = fields.findIndex((f) => LABEL_NAMES.test(f));
    const pixels = columns - (labelColumn >= 0 ? 1 : 0);
    const side = squareSide(pixels);
    if (side === 0) {
      throw new ParseError([
        problem(where, 'a header with side×side pixel columns (784 = 28×28, 64 = 8×8, …) and an optional "label" column', `${pixels} pixel columns`, labelColumn >= 0 ? `label in column ${labelColumn + 1}` : 'no "label" column'),
      ]);
    }
    return { header: true, names: fields, columns, labelColumn, width: side, height: side };
  }
  const labeledSide = columns > 1 ? squareSide(columns - 1) : 0;
  if (labeledSide > 0) return { header: false, names: null, columns, labelColumn: 0, width: labeledSide, height: labeledSide };
  const side = squareSide(columns);
  if (side > 0) return { header: false, names: null, columns, labelColumn: -1, width: side, height: side };
  throw new ParseError([
    problem(where, 'a label then side×side pixels (785 = 1 + 28×28 values), or side×side pixels for an unlabeled file', `${columns} values (${showBytes(bytes, 30)})`),
  ]);
}
