// Streaming, byte-level CSV parser for MNIST-style files. Pure TS (no node imports): feed it Uint8Array chunks
// with push(), then call finish(). It never turns the file into one string: numbers are read byte by byte
// straight into the pixel and label arrays (SharedArrayBuffers). Two paths read a row: the fast one
// (csv-fast-row.ts) takes rows of plain digits and commas; the general one (readRow) takes everything else,
// names every problem, and is the plain twin the fast one is tested against. A row cut by a chunk boundary
// waits in `carry` for the rest of its line.
//
// Values: pixels are whole numbers 0–255; a file of 0–1 floats is detected at its first fraction (every value
// before it must be 0 or 1) and scaled to 0–255. Labels are whole numbers 0–255. CRLF, a BOM, spaces around
// values, blank lines and a missing final newline are fine. Every problem is positioned (line, column).
import type { DatasetData } from '../../shared/dataset';
import type { ParseProblem, SkippedRows } from '../../shared/datasets';
import { readLayout, type CsvLayout } from './csv-layout';
import { MAX_PROBLEMS, ParseError, problem } from './errors';
import { countValues, fieldNumber, isLabel, PixelScale, type Fail } from './csv-values';
import { scanPlainRow } from './csv-fast-row';
import { GrowableBytes } from './growable';

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

export interface ParsedCsv {
  data: DatasetData;
  header: boolean;
  /** 1-based label column, or null for an unlabeled file. */
  labelColumn: number | null;
  scaledFromUnit: boolean;
  skipped: SkippedRows;
  bytes: number;
}

/** Longest line accepted (a 28×28 row is ~2–4 KB; a 256×256 float row ~1 MB). */
export const MAX_LINE_BYTES = 64 << 20;
/** How much of the start of a file is checked for binary bytes. */
const SNIFF_BYTES = 4096;

const COMMA = 44;
const DOT = 46;
const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;

export class CsvParser {
  private readonly file: string;
  private readonly skipBadRows: boolean;
  private readonly expectedBytes: number | null;
  private readonly fastPath: boolean;
  private layout: CsvLayout | null = null;
  private pixels = new GrowableBytes(0);
  private labels: GrowableBytes | null = null;
  private carry = new Uint8Array(0);
  private carryLength = 0;
  /** Number of the line being read (1-based); 0 before the first. */
  private line = 0;
  private bytesSeen = 0;
  /** Bytes up to the end of the line being read. */
  private consumed = 0;
  private firstRowBytes = 0;
  /** The start of the file, held back until it is checked (null once released). */
  private head: Uint8Array | null = new Uint8Array(SNIFF_BYTES);
  private headLength = 0;
  private maxLabel = -1;
  /** Whole numbers 0–255, or 0–1 floats once detected. */
  private readonly scale = new PixelScale();
  private readonly problems: ParseProblem[] = [];
  private readonly skippedLines: number[] = [];
  /** Whether finish() keeps the capacity (see roomFor). */
  private keepRoom = false;
  /** Rows accepted so far. */
  rows = 0;

  constructor(options: CsvParseOptions) {
    this.file = options.file;
    this.skipBadRows = options.skipBadRows ?? false;
    this.expectedBytes = options.expectedBytes ?? null;
    this.fastPath = options.fastPath ?? true;
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.bytesSeen;
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
    for (let k = 0; k < head.length; k++) {
      const b = head[k];
      if (b < 32 && b !== TAB && b !== NEWLINE && b !== CR && b !== 12) {
        throw new ParseError([problem({ file: this.file, byteOffset: k }, 'a CSV text file (or an IDX file)', `binary data (byte 0x${b.toString(16).padStart(2, '0')})`)]);
      }
    }
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
    // Every row up to the chunk's last newline is complete, and that newline stops every scan: plain rows are
    // read straight through without looking for their end first (indexOf is a byte loop, not memchr).
    const last = chunk.lastIndexOf(NEWLINE);
    while (pos <= last) {
      const layout = this.layout;
      if (this.fastPath && layout && !this.scale.unit && layout.labelColumn <= 0 && this.firstRowBytes > 0) {
        const perRow = layout.width * layout.height;
        if ((this.rows + 1) * perRow > this.pixels.capacity) {
          this.consumed = base + pos - 1;
          this.makeRoom();
        }
        const found = scanPlainRow(chunk, pos, layout.labelColumn === 0, this.pixels.bytes, this.rows * perRow, perRow);
        if (found >= 0) {
          const end = Math.floor(found / 256);
          this.line++;
          this.acceptRow(found - end * 256);
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
   * layout must be known, the fast path must apply (label first or none, whole numbers 0–255), and nothing be
   * pending (head released, no partial line).
   */
  get plainRows(): { labeled: boolean; perRow: number } | null {
    const layout = this.layout;
    if (!this.fastPath || this.head || this.carryLength > 0 || !layout || layout.labelColumn > 0 || this.firstRowBytes === 0 || this.scale.unit) return null;
    return { labeled: layout.labelColumn === 0, perRow: layout.width * layout.height };
  }

  /**
   * Room for `rows` more rows at once, for range readers to write into place: the buffers (rows × perRow
   * pixels, rows labels) and the row the room starts at. The room is kept as it is by finish(): pages of
   * it never written cost no memory.
   */
  roomFor(rows: number): { pixels: Uint8Array; labels: Uint8Array | null; at: number } {
    const perRow = (this.layout as CsvLayout).width * (this.layout as CsvLayout).height;
    this.pixels.reserve((this.rows + rows) * perRow);
    this.labels?.reserve(this.rows + rows);
    this.keepRoom = true;
    return { pixels: this.pixels.bytes, labels: this.labels ? this.labels.bytes : null, at: this.rows };
  }

  /**
   * Appends rows read elsewhere from bytes [this.bytes, upTo) of the file: `lines` lines, every one a plain
   * row (as the fast path reads it) or blank — so the result is what push() of those bytes would give. Rows
   * already in this parser's buffers (written through roomFor) are moved into place, others copied.
   */
  appendRows(part: { pixels: Uint8Array; labels: Uint8Array | null; rows: number; lines: number; maxLabel: number }, upTo: number): void {
    const shape = this.plainRows;
    if (!shape || upTo < this.bytesSeen || part.pixels.length !== part.rows * shape.perRow || shape.labeled !== (part.labels !== null)) {
      throw new Error('CsvParser.appendRows: rows that do not fit this parser');
    }
    this.pixels.ensure((this.rows + part.rows) * shape.perRow);
    place(this.pixels.bytes, this.rows * shape.perRow, part.pixels);
    if (this.labels && part.labels) {
      this.labels.ensure(this.rows + part.rows);
      place(this.labels.bytes, this.rows, part.labels);
      if (part.maxLabel > this.maxLabel) this.maxLabel = part.maxLabel;
    }
    this.rows += part.rows;
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
    const where = { file: this.file, line: this.line + 1, column: 1 };
    if (!this.layout) {
      const found = this.bytesSeen === 0 ? 'an empty file (0 bytes)' : 'only blank lines';
      throw new ParseError([problem({ file: this.file, line: 1, column: 1 }, 'a header or data rows', found)]);
    }
    if (this.problems.length > 0 && !this.skipBadRows) throw new ParseError(this.problems.slice(0, MAX_PROBLEMS));
    if (this.rows === 0) {
      if (this.problems.length > 0) throw new ParseError(this.problems.slice(0, MAX_PROBLEMS), this.skippedLines.length > MAX_PROBLEMS);
      throw new ParseError([problem(where, 'data rows after the header', 'nothing (the file has a header only)')]);
    }
    const layout = this.layout;
    const pixels = this.pixels;
    pixels.length = this.rows * layout.width * layout.height;
    const labels = this.labels;
    if (labels) labels.length = this.rows;
    return {
      data: {
        pixels: pixels.finish(!this.keepRoom),
        labels: labels ? labels.finish(!this.keepRoom) : null,
        rows: this.rows,
        width: layout.width,
        height: layout.height,
        classes: labels ? this.maxLabel + 1 : 0,
      },
      header: layout.header,
      labelColumn: layout.labelColumn >= 0 ? layout.labelColumn + 1 : null,
      scaledFromUnit: this.scale.unit,
      skipped: { count: this.skippedLines.length, lines: this.skippedLines, problems: this.skipBadRows ? this.problems.slice(0, MAX_PROBLEMS) : [] },
      bytes: this.bytesSeen,
    };
  }

  private appendCarry(bytes: Uint8Array): void {
    const needed = this.carryLength + bytes.length;
    if (needed > MAX_LINE_BYTES) {
      throw new ParseError([
        problem({ file: this.file, line: this.line + 1, column: null }, `lines shorter than ${MAX_LINE_BYTES >> 20} MB`, 'a longer line (is this a text file?)'),
      ]);
    }
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
      this.layout = readLayout(buf.subarray(start, end), this.file, this.line);
      if (this.layout.header) return;
    }
    if (this.rows === 0 && this.firstRowBytes === 0) this.startRows(end - start + 1);
    const layout = this.layout;
    const perRow = layout.width * layout.height;
    if ((this.rows + 1) * perRow > this.pixels.capacity) this.makeRoom();
    if (this.fastPath && !this.scale.unit && layout.labelColumn <= 0) {
      const found = scanPlainRow(buf, start, layout.labelColumn === 0, this.pixels.bytes, this.rows * perRow, perRow);
      if (found >= 0 && Math.floor(found / 256) === end) return this.acceptRow(found % 256);
    }
    this.readRow(buf, start, end);
  }

  private acceptRow(label: number): void {
    if (this.labels) {
      this.labels.ensure(this.rows + 1);
      this.labels.bytes[this.rows] = label;
      if (label > this.maxLabel) this.maxLabel = label;
    }
    this.rows++;
  }

  /** Allocates for the rows to come, from the size of the first row and the file size. */
  private startRows(rowBytes: number): void {
    const layout = this.layout as CsvLayout;
    this.firstRowBytes = rowBytes;
    const perRow = layout.width * layout.height;
    // A few thousand rows first; makeRoom then sizes for the whole file from their mean length.
    const guess = this.expectedBytes ? Math.ceil(this.expectedBytes / rowBytes) : 1024;
    const first = Math.min(guess, 4096) + 1;
    this.pixels = new GrowableBytes(first * perRow);
    if (layout.labelColumn >= 0) this.labels = new GrowableBytes(first);
  }

  /**
   * Grows pixels and labels for the rows still to come: from the mean size of the rows so far and the file
   * size (+3%) when it is known, so a 60,000-row file is copied once, early; by half otherwise.
   */
  private makeRoom(): void {
    const perRow = (this.layout as CsvLayout).width * (this.layout as CsvLayout).height;
    let rows = Math.ceil(this.rows * 1.5) + 64;
    if (this.expectedBytes && this.consumed > 0 && this.rows > 0) {
      rows = Math.max(this.rows + 64, Math.ceil((this.rows * this.expectedBytes * 1.03) / this.consumed) + 16);
    }
    this.pixels.reserve(rows * perRow);
    this.labels?.reserve(rows);
  }

  /** Records a problem with the current row; throws when enough have been seen. */
  private readonly failInRow: Fail = (column, expected, found, detail = '') => {
    const names = this.layout?.names;
    if (this.problems.length < MAX_PROBLEMS) {
      this.problems.push(problem({ file: this.file, line: this.line, column, columnName: names ? names[column - 1] : null }, expected, found, detail));
    }
    if (this.skipBadRows) this.skippedLines.push(this.line);
    else if (this.problems.length >= MAX_PROBLEMS) throw new ParseError(this.problems.slice(), true);
  };

  /** The general path: one row of any notation into pixels[rows·side²…] and labels[rows], or its problem. */
  private readRow(buf: Uint8Array, start: number, end: number): void {
    const layout = this.layout as CsvLayout;
    const perRow = layout.width * layout.height;
    const { columns, labelColumn } = layout;
    const fail = this.failInRow;
    this.pixels.ensure((this.rows + 1) * perRow);
    const px = this.pixels.bytes;
    let p = this.rows * perRow; // write position in px
    let label = 0;
    let field = 0;
    let i = start;
    for (;;) {
      // A field runs to the next comma or the end of the line (buf[end] is a non-digit sentinel).
      const fieldStart = i;
      let value = buf[i] - 48;
      let plain = false;
      if (value >>> 0 <= 9) {
        let digits = 1;
        let d = buf[++i] - 48;
        while (d >>> 0 <= 9) {
          value = value * 10 + d;
          digits++;
          d = buf[++i] - 48;
        }
        if (d === DOT - 48) {
          // A decimal such as 0.1234: mantissa / 10^fraction digits. Both are exact for ≤ 15 digits, so the
          // division rounds once, exactly as Number('0.1234') does (fieldNumber, the plain twin, is tested against it).
          let scale = 1;
          d = buf[++i] - 48;
          while (d >>> 0 <= 9) {
            value = value * 10 + d;
            scale *= 10;
            digits++;
            d = buf[++i] - 48;
          }
          value /= scale;
        }
        plain = (d === COMMA - 48 || i === end) && digits <= 15;
      }
      if (!plain) {
        i = buf.indexOf(COMMA, fieldStart);
        if (i < 0 || i > end) i = end;
      }
      const found = buf.subarray(fieldStart, i);
      if (field >= columns) return fail(field + 1, `${columns} values`, `${countValues(buf, start, end)} values`, `column ${field + 1} is extra`);
      if (!plain) value = fieldNumber(found, field + 1, fail);
      if (Number.isNaN(value)) return;
      if (field === labelColumn) {
        if (!isLabel(value, found, field + 1, fail)) return;
        label = value;
      } else if (!this.scale.store(px, p++, value, found, field + 1, this.line, fail)) {
        return;
      }
      field++;
      if (i >= end) break;
      i++; // the comma
    }
    if (field < columns) return fail(field + 1, `${columns} values`, `${field} values`, 'the row ends early');
    this.acceptRow(label);
  }
}

/** Puts `part` at to[at…]: moved within the buffer when it is already there (a range reader wrote it), copied otherwise. */
function place(to: Uint8Array, at: number, part: Uint8Array): void {
  if (part.buffer !== to.buffer) to.set(part, at);
  else if (part.byteOffset !== to.byteOffset + at) to.copyWithin(at, part.byteOffset - to.byteOffset, part.byteOffset - to.byteOffset + part.length);
}
