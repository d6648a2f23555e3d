// What goes wrong in a CSV file, in the user's words: the problems a parse meets row by row (at most
// MAX_PROBLEMS kept, with the lines left out when bad rows are skipped), the checks at the end that turn them
// into a ParseError, and the errors that stop a parse at once (binary data, an endless line, nothing to read).
// Kept apart from the parser so that its loops read as the happy path. Pure TS.
import type { ParseProblem, SkippedRows } from '../../shared/datasets';
import { MAX_PROBLEMS, ParseError, problem } from './errors';

const TAB = 9;
const NEWLINE = 10;
const FORM_FEED = 12;
const CR = 13;

/** Files a learner may drop by mistake, told by their first bytes (signatures). */
const KNOWN_BINARIES: { signature: number[]; kind: string }[] = [
  { signature: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { signature: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { signature: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { signature: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive (an Excel .xlsx workbook is one: save it as CSV from Excel)' },
  { signature: [0xd0, 0xcf, 0x11, 0xe0], kind: 'an old Excel (.xls) or Word file (save it as CSV)' },
  { signature: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], kind: 'a NumPy array (.npy; write it out with numpy.savetxt)' },
  { signature: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
];

/** What a binary file is, when its first bytes say so; else null. */
export function knownBinary(head: Uint8Array): string | null {
  return KNOWN_BINARIES.find(({ signature }) => signature.length <= head.length && signature.every((b, i) => head[i] === b))?.kind ?? null;
}

/** Throws if the start of a file holds control bytes no CSV text has (an image, an archive, …), naming what
 *  the file looks like when its first bytes say. */
export function checkTextHead(head: Uint8Array, file: string): void {
  for (let k = 0; k < head.length; k++) {
    const b = head[k];
    if (b < 32 && b !== TAB && b !== NEWLINE && b !== CR && b !== FORM_FEED) {
      const kind = knownBinary(head);
      const found = kind ? `${kind}, binary data` : `binary data (byte 0x${b.toString(16).padStart(2, '0')})`;
      throw new ParseError([problem(kind ? { file, byteOffset: 0 } : { file, byteOffset: k }, 'a CSV text file (or an IDX file)', found)]);
    }
  }
}

/** A line (1-based `line`) longer than `maxBytes`: not a text file, or not one we can read. */
export function lineTooLong(file: string, line: number, maxBytes: number): ParseError {
  return new ParseError([problem({ file, line, column: null }, `lines shorter than ${maxBytes >> 20} MB`, 'a longer line (is this a text file?)')]);
}

/** A file without a single non-blank line. */
export function nothingToRead(file: string, bytes: number): ParseError {
  const found = bytes === 0 ? 'an empty file (0 bytes)' : 'only blank lines';
  return new ParseError([problem({ file, line: 1, column: 1 }, 'a header or data rows', found)]);
}

/** The problems met in the rows of one file. */
export class RowProblems {
  private readonly problems: ParseProblem[] = [];
  private readonly skippedLines: number[] = [];
  /** The places of the rows left out among the file's data rows (SkippedRows.rows). */
  private readonly skippedRows: number[] = [];
  /** Problems met so far, listed or not. */
  private count = 0;

  constructor(
    private readonly file: string,
    /** Leave out rows with problems (reported exactly) instead of failing. */
    private readonly skipBadRows: boolean,
    /** When the file as a whole is the cause (its values are on another scale), says so given the number of
     *  problems met; null when they are bad rows. Such an error is not skippable: leaving rows out cannot help. */
    private readonly wholeFileCause: (problems: number) => string | null = () => null,
  ) {}

  /** Records a problem in row `line`, the file's data row after `rowsRead` good ones (and those left out before it);
   *  throws once MAX_PROBLEMS are found, unless bad rows are skipped. */
  add(line: number, rowsRead: number, column: number, columnName: string | null, expected: string, found: string, detail: string): void {
    this.count++;
    if (this.problems.length < MAX_PROBLEMS) {
      this.problems.push(problem({ file: this.file, line, column, columnName }, expected, found, detail));
    }
    if (this.skipBadRows) {
      this.skippedRows.push(rowsRead + this.skippedLines.length);
      this.skippedLines.push(line);
    } else if (this.problems.length >= MAX_PROBLEMS) {
      throw this.rowsError(true);
    }
  }

  /** The error for the problems listed: of a whole file when `wholeFileCause` says so, else of skippable rows. */
  private rowsError(truncated: boolean): ParseError {
    const cause = this.wholeFileCause(this.count);
    return new ParseError(this.problems.slice(0, MAX_PROBLEMS), cause ? { truncated, lead: cause } : { truncated, skippable: true });
  }

  /**
   * At the end of the file, after `rows` good rows and `lines` lines: throws if any row was bad (unless bad
   * rows are skipped: then the error is skippable), or if no row is left (a whole-file problem, even when every
   * row was bad: skipping them is what left none).
   */
  check(rows: number, lines: number): void {
    if (this.problems.length > 0 && !this.skipBadRows) throw this.rowsError(false);
    if (rows > 0) return;
    if (this.problems.length > 0) {
      // Said first: skipping cannot help (the same list came back, and the button went, without a word).
      const count = this.skippedLines.length;
      const everyRow = `every row of ${this.file} has a problem (${count.toLocaleString('en-US')} row${count === 1 ? '' : 's'}), so leaving them out leaves nothing to read`;
      throw new ParseError(this.problems.slice(0, MAX_PROBLEMS), { truncated: count > MAX_PROBLEMS, lead: this.wholeFileCause(this.count) ?? everyRow });
    }
    throw new ParseError([problem({ file: this.file, line: lines + 1, column: 1 }, 'data rows after the header', 'nothing (the file has a header only)')]);
  }

  /** The rows left out (with skipBadRows; none otherwise, since a bad row fails the parse). */
  skipped(): SkippedRows {
    return { count: this.skippedLines.length, lines: this.skippedLines, rows: this.skippedRows, problems: this.skipBadRows ? this.problems.slice(0, MAX_PROBLEMS) : [] };
  }
}
