// Streaming, byte-level CSV parser for MNIST-style files. Pure TS (no node imports): feed it Uint8Array chunks
// with push(), then call finish(). It never turns the file into one string: numbers are read byte by byte
// straight into the pixel and label arrays (SharedArrayBuffers). This file holds the streaming part: the held
// back start of the file, lines cut by chunk boundaries (they wait in `carry` for the rest of their line), and
// the choice of path per row. Two paths read a row: the fast one (csv-fast-row.ts) takes rows of plain digits
// and commas; the general one (csv-general-row.ts) takes everything else (files separated by semicolons or tabs
// too), names every problem, and is the plain twin the fast one is tested against. Rows are stored by csv-rows.ts, problems kept by csv-problems.ts.
//
// Values: pixels are whole numbers 0–255; a file of 0–1 floats is detected at its first fraction (every value
// before it must be 0 or 1) and scaled to 0–255. Labels are whole numbers 0–255. CRLF, a BOM, spaces around
// values, blank lines and a missing final newline are fine. Every problem is positioned (line, column).
import type { CsvSeparator, SkippedRows } from '../../shared/datasets';
import type { DatasetData } from '../../shared/dataset';
import { chooseLayout, COMMA, type CsvLayout, type FirstLine, LAYOUT_LINES, separatorName } from './csv-layout';
import { scanPlainRow } from './csv-fast-row';
import { readGeneralRow } from './csv-general-row';
import { checkTextHead, lineTooLong, nothingToRead, RowProblems } from './csv-problems';
import { RowBuffers, type RowsPart } from './csv-rows';
import { PixelScale, type Fail } from './csv-values';

export interface CsvParseOptions {
  /** The file's name for messages. */
  file: string;
  /** Leave out rows with problems (reported exactly) instead of failing. */
  skipBadRows?: boolean;
  /** Expected decompressed size, for allocating the pixels once; null if unknown. */
  expectedBytes?: number | null;
  /** Use the plain-digits fast path (csv-fast-row.ts); false runs only the general path (for tests). */
  fastPath?: boolean;
}

/** The shape of the rows the fast path reads: label first (or none), then perRow pixels. */
export interface PlainRows {
  readonly labeled: boolean;
  readonly perRow: number;
}

export interface ParsedCsv {
  data: DatasetData;
  header: boolean;
  /** 1-based label column, or null for an unlabeled file. */
  labelColumn: number | null;
  scaledFromUnit: boolean;
  separator: CsvSeparator;
  skipped: SkippedRows;
  bytes: number;
}

/** Longest line accepted (a 28×28 row is ~2–4 KB; a 256×256 float row ~1 MB). */
export const MAX_LINE_BYTES = 64 << 20;
/** How much of the start of a file is checked for binary bytes. */
const SNIFF_BYTES = 4096;

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;

export class CsvParser {
  private readonly file: string;
  private readonly fastPath: boolean;
  private layout: CsvLayout | null = null;
  /** The first non-blank lines, held until the layout is decided from them (chooseLayout), then read. */
  private firstLines: FirstLine[] = [];
  private readonly out: RowBuffers;
  private readonly problems: RowProblems;
  private carry = new Uint8Array(0);
  private carryLength = 0;
  /** Number of the line being read (1-based); 0 before the first. */
  private line = 0;
  private bytesSeen = 0;
  /** Bytes up to the end of the line being read. */
  private consumed = 0;
  /** The start of the file, held back until it is checked (null once released). */
  private head: Uint8Array | null = new Uint8Array(SNIFF_BYTES);
  private headLength = 0;
  /** Whole numbers 0–255, or 0–1 floats once detected. */
  private readonly scale = new PixelScale();
  /**
   * The rows the fast path reads, or null when it does not apply: set when the first row starts the buffers, for
   * a file of commas with its label first or none, and dropped for good when the file turns out to hold 0–1
   * floats. The one place that condition is written (the loops read this field).
   */
  private plain: PlainRows | null = null;

  constructor(options: CsvParseOptions) {
    this.file = options.file;
    this.fastPath = options.fastPath ?? true;
    this.out = new RowBuffers(options.expectedBytes ?? null);
    this.problems = new RowProblems(options.file, options.skipBadRows ?? false, (count) => this.scale.offScaleLead(options.file, count, this.out.rows));
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.bytesSeen;
  }

  /** Rows accepted so far. */
  get rows(): number {
    return this.out.rows;
  }

  /** Reads a chunk; throws ParseError once MAX_PROBLEMS problems are found (or at once for fatal ones). */
  push(chunk: Uint8Array): void {
    if (this.head) {
      // The first SNIFF_BYTES are held back and checked for binary data before any line is read, so the
      // outcome does not depend on how the input is cut into chunks.
      const take = Math.min(chunk.length, SNIFF_BYTES - this.headLength);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
      if (this.headLength < SNIFF_BYTES) return;
      this.releaseHead();
      chunk = chunk.subarray(take);
    }
    this.readChunk(chunk);
  }

  private releaseHead(): void {
    const head = (this.head as Uint8Array).subarray(0, this.headLength);
    this.head = null;
    checkTextHead(head, this.file);
    this.readChunk(head);
  }

  private readChunk(chunk: Uint8Array): void {
    this.bytesSeen += chunk.length;
    let pos = 0;
    if (this.carryLength > 0) {
      const nl = chunk.indexOf(NEWLINE);
      this.appendCarry(chunk.subarray(0, nl < 0 ? chunk.length : nl));
      if (nl < 0) return;
      this.consumed = this.bytesSeen - chunk.length + nl + 1;
      this.readLine(this.carry, 0, this.carryLength);
      this.carryLength = 0;
      pos = nl + 1;
    }
    const base = this.bytesSeen - chunk.length + 1;
    const out = this.out;
    // Every row up to the chunk's last newline is complete, and that newline stops every scan: plain rows are
    // read straight through without looking for their end first (indexOf is a byte loop, not memchr).
    const last = chunk.lastIndexOf(NEWLINE);
    while (pos <= last) {
      const plain = this.plain;
      if (plain) {
        if (!out.hasRoomForRow()) {
          this.consumed = base + pos - 1;
          out.makeRoom(this.consumed);
        }
        const found = scanPlainRow(chunk, pos, plain.labeled, out.pixels.bytes, out.rows * plain.perRow, plain.perRow);
        if (found >= 0) {
          const end = Math.floor(found / 256);
          this.line++;
          out.accept(found - end * 256);
          pos = end + 1;
          continue;
        }
      }
      const nl = chunk.indexOf(NEWLINE, pos);
      this.consumed = base + nl;
      this.readLine(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.appendCarry(chunk.subarray(pos));
  }

  /**
   * The shape of the rows a range reader (csv-range.ts) may read for this parser, or null when it cannot: the
   * layout must be known, the fast path must apply (label first or none, whole numbers 0–255, commas), and nothing
   * be pending (head released, no partial line).
   */
  get plainRows(): PlainRows | null {
    return this.head || this.carryLength > 0 ? null : this.plain;
  }

  /**
   * Room for `rows` more rows at once, for range readers to write into place: the buffers (rows × perRow
   * pixels, rows labels) and the row the room starts at. The room is kept as it is by finish(): pages of
   * it never written cost no memory.
   */
  roomFor(rows: number): { pixels: Uint8Array; labels: Uint8Array | null; at: number } {
    return this.out.roomFor(rows);
  }

  /**
   * Appends rows read elsewhere from bytes [this.bytes, upTo) of the file: `lines` lines, every one a plain
   * row (as the fast path reads it) or blank — so the result is what push() of those bytes would give. Rows
   * already in this parser's buffers (written through roomFor) are moved into place, others copied.
   */
  appendRows(part: RowsPart, upTo: number): void {
    const shape = this.plainRows;
    if (!shape || upTo < this.bytesSeen || part.pixels.length !== part.rows * shape.perRow || shape.labeled !== (part.labels !== null)) {
      throw new Error('CsvParser.appendRows: rows that do not fit this parser');
    }
    this.out.append(part);
    this.line += part.lines;
    this.bytesSeen = upTo;
    this.consumed = upTo;
  }

  /** Ends the input: reads a last line without newline, checks the whole, returns the data. */
  finish(): ParsedCsv {
    if (this.head) this.releaseHead();
    if (this.carryLength > 0) {
      this.consumed = this.bytesSeen;
      this.readLine(this.carry, 0, this.carryLength);
      this.carryLength = 0;
    }
    if (!this.layout && this.firstLines.length > 0) this.readFirstLines(); // a file of fewer than LAYOUT_LINES lines
    const layout = this.layout;
    if (!layout) throw nothingToRead(this.file, this.bytesSeen);
    this.problems.check(this.out.rows, this.line);
    return {
      data: this.out.finish(layout.width, layout.height),
      header: layout.header,
      labelColumn: layout.labelColumn >= 0 ? layout.labelColumn + 1 : null,
      scaledFromUnit: this.scale.unit,
      separator: separatorName(layout.separator, this.scale.decimalCommas),
      skipped: this.problems.skipped(),
      bytes: this.bytesSeen,
    };
  }

  private appendCarry(bytes: Uint8Array): void {
    const needed = this.carryLength + bytes.length;
    if (needed > MAX_LINE_BYTES) throw lineTooLong(this.file, this.line + 1, MAX_LINE_BYTES);
    if (needed + 1 > this.carry.length) {
      const next = new Uint8Array(Math.max(needed + 1, this.carry.length * 2, 4096));
      next.set(this.carry.subarray(0, this.carryLength));
      this.carry = next;
    }
    this.carry.set(bytes, this.carryLength);
    this.carryLength = needed;
    this.carry[needed] = NEWLINE; // the sentinel readRow relies on
  }

  /** Reads one line, buf[start, end), without its '\n'; buf[end] must exist and not be a digit (a sentinel). */
  private readLine(buf: Uint8Array, start: number, end: number): void {
    this.line++;
    if (this.line === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB || buf[i] === CR)) i++;
    if (i === end) return; // blank line: no data, nothing dropped
    if (!this.layout) {
      // A copy in a buffer of its own, with the sentinel readDataLine needs; what the layout reads ends before a CR.
      const copy = new Uint8Array(end - start + 1);
      copy.set(buf.subarray(start, end));
      copy[end - start] = NEWLINE;
      const text = end - start - (buf[end - 1] === CR ? 1 : 0);
      this.firstLines.push({ bytes: copy.subarray(0, text), line: this.line });
      if (this.firstLines.length === LAYOUT_LINES) this.readFirstLines();
      return;
    }
    this.readDataLine(buf, start, end);
  }

  /** Decides the layout from the lines held back, then reads them (all but a header) under their own numbers. */
  private readFirstLines(): void {
    const lines = this.firstLines;
    this.firstLines = [];
    const layout = chooseLayout(lines, this.file);
    this.layout = layout;
    const current = this.line;
    lines.forEach(({ bytes, line }, i) => {
      if (i === 0 && layout.header) return;
      this.line = line;
      this.readDataLine(new Uint8Array(bytes.buffer), 0, bytes.buffer.byteLength - 1); // the whole copy: CR and sentinel
    });
    this.line = current;
  }

  /** Reads one non-blank line that is not the header into the buffers, once the layout is known. */
  private readDataLine(buf: Uint8Array, start: number, end: number): void {
    const layout = this.layout as CsvLayout;
    const out = this.out;
    if (!out.started) {
      out.start(layout.width * layout.height, layout.labelColumn >= 0, end - start + 1);
      const fast = this.fastPath && layout.labelColumn <= 0 && layout.separator === COMMA;
      this.plain = fast ? { labeled: layout.labelColumn === 0, perRow: layout.width * layout.height } : null;
    }
    if (!out.hasRoomForRow()) out.makeRoom(this.consumed);
    const plain = this.plain;
    if (plain) {
      const found = scanPlainRow(buf, start, plain.labeled, out.pixels.bytes, out.rows * plain.perRow, plain.perRow);
      if (found >= 0 && Math.floor(found / 256) === end) return out.accept(found % 256);
    }
    this.readRow(buf, start, end);
    if (this.scale.unit) this.plain = null; // 0–1 floats: the fast path reads whole numbers only
  }

  /** Records a problem with the current row; throws when enough have been seen. */
  private readonly failInRow: Fail = (column, expected, found, detail = '') => {
    const names = this.layout?.names;
    this.problems.add(this.line, this.out.rows, column, names ? names[column - 1] : null, expected, found, detail);
  };

  /** The general path (csv-general-row.ts): one row of any notation into the buffers, or its problem. */
  private readRow(buf: Uint8Array, start: number, end: number): void {
    const layout = this.layout as CsvLayout;
    const perRow = layout.width * layout.height;
    const out = this.out;
    out.pixels.ensure((out.rows + 1) * perRow);
    const label = readGeneralRow(buf, start, end, layout, out.pixels.bytes, out.rows * perRow, this.scale, this.line, this.failInRow);
    if (label >= 0) out.accept(label);
  }
}
