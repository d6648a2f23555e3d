// Error factories for bad input: every problem names the file, the line and column (or byte), what was found
// and what was expected. Pure TS (no node imports): used by the parsers wherever they run.
import type { DatasetErrorInfo, ParseProblem } from '../../shared/datasets';

/** How many problems a failed load lists before it stops looking. */
export const MAX_PROBLEMS = 10;

/** Shows a field or byte run to the user: printable ASCII as is, anything else as \xNN, at most `max` chars. */
export function showBytes(bytes: Uint8Array, max = 40): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (out.length >= max) return `"${out}…"`;
    const b = bytes[i];
    out += b >= 32 && b < 127 && b !== 34 && b !== 92 ? String.fromCharCode(b) : b === 34 ? '\\"' : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

export interface ProblemWhere {
  file: string;
  line?: number | null;
  column?: number | null;
  /** Header name of the column, shown after the position. */
  columnName?: string | null;
  byteOffset?: number | null;
}

/** Builds a problem and its one-line message: `file:line:column (column "1x4"): expected …, found …`. */
export function problem(where: ProblemWhere, expected: string, found: string, detail = ''): ParseProblem {
  const line = where.line ?? null;
  const column = where.column ?? null;
  const byteOffset = where.byteOffset ?? null;
  let position = where.file;
  if (line !== null) position += `:${line}`;
  if (line !== null && column !== null) position += `:${column}`;
  if (where.columnName) position += ` (column "${where.columnName}")`;
  if (byteOffset !== null) position += ` (byte ${byteOffset})`;
  const message = `${position}: expected ${expected}, found ${found}${detail ? ` (${detail})` : ''}`;
  return { file: where.file, line, column, byteOffset, found, expected, message };
}

/** How a ParseError came about, beyond its problems. */
export interface ParseErrorOptions {
  /** More problems were found than are listed. */
  truncated?: boolean;
  /** The problems are rows with bad values that "skip bad rows" leaves out, so opening the file again that way
   *  can succeed; false (the default) for a whole-file problem: no rows, a layout or format that cannot be
   *  read, binary data, or every row bad even when skipping. */
  skippable?: boolean;
  /** What the problems add up to, said before them ("every row of x.csv has a problem …"). */
  lead?: string;
}

/** Thrown when input cannot be loaded. Holds up to MAX_PROBLEMS positioned problems. */
export class ParseError extends Error {
  override name = 'ParseError';
  readonly truncated: boolean;
  readonly skippable: boolean;
  readonly lead: string | null;

  constructor(
    readonly problems: ParseProblem[],
    options: ParseErrorOptions = {},
  ) {
    const truncated = options.truncated ?? false;
    const described = ParseError.describe(problems, truncated);
    super(options.lead ? `${options.lead}: ${described}` : described);
    this.truncated = truncated;
    this.skippable = options.skippable ?? false;
    this.lead = options.lead ?? null;
  }

  static describe(problems: ParseProblem[], truncated: boolean): string {
    if (problems.length === 0) return 'the file could not be read';
    if (problems.length === 1) return problems[0].message;
    const more = truncated ? `\n(stopped after the first ${problems.length} problems)` : '';
    return `${problems.length} problems:\n${problems.map((p) => `  ${p.message}`).join('\n')}${more}`;
  }

  toInfo(): DatasetErrorInfo {
    return { message: this.message, problems: this.problems, truncated: this.truncated, skippable: this.skippable, ...(this.lead ? { lead: this.lead } : {}) };
  }
}

/** Thrown when a load is cancelled through its AbortSignal. */
export class LoadCancelled extends Error {
  override name = 'LoadCancelled';
  constructor() {
    super('loading was cancelled');
  }
}

/** Any error → the info the UI shows; plain errors (file not found, …) become a single unpositioned problem. */
export function errorInfo(error: unknown, file: string): DatasetErrorInfo {
  if (error instanceof ParseError) return error.toInfo();
  const text = error instanceof Error ? error.message : String(error);
  const p: ParseProblem = { file, line: null, column: null, byteOffset: null, found: '', expected: '', message: `${file}: ${text}` };
  return { message: p.message, problems: [p], truncated: false, skippable: false };
}
