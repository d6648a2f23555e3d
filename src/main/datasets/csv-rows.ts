// Where the rows a CSV parser accepts go: pixels (rows × perRow bytes) and labels (rows bytes) on growable
// SharedArrayBuffers, sized from the file size so that a 60,000-row file is allocated about once, and the
// room range readers (csv-range.ts) write into in place. Apart from the parser because how rows are stored
// and grown is a question of memory, not of reading text. Pure TS.
import type { DatasetData } from '../../shared/dataset';
import { GrowableBytes } from './growable';

/** Rows read elsewhere (a range reader) to append: `lines` lines of the file, each a plain row or blank. */
export interface RowsPart {
  pixels: Uint8Array;
  labels: Uint8Array | null;
  rows: number;
  lines: number;
  maxLabel: number;
}

export class RowBuffers {
  pixels = new GrowableBytes(0);
  labels: GrowableBytes | null = null;
  /** Rows accepted so far. */
  rows = 0;
  private maxLabel = -1;
  /** Pixels per row; 0 until the first row starts the buffers. */
  private perRow = 0;
  /** Whether finish() keeps the capacity (see roomFor). */
  private keepRoom = false;

  /** `expectedBytes`: the file's size, for sizing the buffers once; null if unknown. */
  constructor(private readonly expectedBytes: number | null) {}

  /** Whether the first row has started the buffers. */
  get started(): boolean {
    return this.perRow > 0;
  }

  /** Allocates for the rows to come, from the size of the first row (`rowBytes`, with its newline) and the file size. */
  start(perRow: number, labeled: boolean, rowBytes: number): void {
    this.perRow = perRow;
    // A few thousand rows first; makeRoom then sizes for the whole file from their mean length.
    const guess = this.expectedBytes ? Math.ceil(this.expectedBytes / rowBytes) : 1024;
    const first = Math.min(guess, 4096) + 1;
    this.pixels = new GrowableBytes(first * perRow);
    if (labeled) this.labels = new GrowableBytes(first);
  }

  /** Whether the pixels have room for one more row. */
  hasRoomForRow(): boolean {
    return (this.rows + 1) * this.perRow <= this.pixels.capacity;
  }

  /**
   * Grows pixels and labels for the rows still to come, `consumed` bytes into the file: from the mean size of
   * the rows so far and the file size (+3%) when it is known, so a 60,000-row file is copied once, early; by
   * half otherwise, and once the file has gone past the size it was said to have (a .gz of several members
   * declares only its last member's size: trusted, the rows were copied again every 64 rows).
   */
  makeRoom(consumed: number): void {
    let rows = Math.ceil(this.rows * 1.5) + 64;
    if (this.expectedBytes && consumed > 0 && consumed < this.expectedBytes && this.rows > 0) {
      rows = Math.max(this.rows + 64, Math.ceil((this.rows * this.expectedBytes * 1.03) / consumed) + 16);
    }
    this.pixels.reserve(rows * this.perRow);
    this.labels?.reserve(rows);
  }

  /** Counts the row whose pixels were just written at pixels[rows · perRow …], with its label. */
  accept(label: number): void {
    if (this.labels) {
      this.labels.ensure(this.rows + 1);
      this.labels.bytes[this.rows] = label;
      if (label > this.maxLabel) this.maxLabel = label;
    }
    this.rows++;
  }

  /**
   * Room for `rows` more rows at once, for range readers to write into place: the buffers (rows × perRow
   * pixels, rows labels) and the row the room starts at. The room is kept as it is by finish(): pages of
   * it never written cost no memory.
   */
  roomFor(rows: number): { pixels: Uint8Array; labels: Uint8Array | null; at: number } {
    this.pixels.reserve((this.rows + rows) * this.perRow);
    this.labels?.reserve(this.rows + rows);
    this.keepRoom = true;
    return { pixels: this.pixels.bytes, labels: this.labels ? this.labels.bytes : null, at: this.rows };
  }

  /** Appends `part` after the rows so far: moved into place when a range reader wrote it in these buffers, copied otherwise. */
  append(part: RowsPart): void {
    this.pixels.ensure((this.rows + part.rows) * this.perRow);
    place(this.pixels.bytes, this.rows * this.perRow, part.pixels);
    if (this.labels && part.labels) {
      this.labels.ensure(this.rows + part.rows);
      place(this.labels.bytes, this.rows, part.labels);
      if (part.maxLabel > this.maxLabel) this.maxLabel = part.maxLabel;
    }
    this.rows += part.rows;
  }

  /** The rows as a data set of width × height images (classes: the largest label + 1, 0 unlabeled). */
  finish(width: number, height: number): DatasetData {
    this.pixels.length = this.rows * width * height;
    const labels = this.labels;
    if (labels) labels.length = this.rows;
    return {
      pixels: this.pixels.finish(!this.keepRoom),
      labels: labels ? labels.finish(!this.keepRoom) : null,
      rows: this.rows,
      width,
      height,
      classes: labels ? this.maxLabel + 1 : 0,
    };
  }
}

/** Puts `part` at to[at…]: moved within the buffer when it is already there (a range reader wrote it), copied otherwise. */
function place(to: Uint8Array, at: number, part: Uint8Array): void {
  if (part.buffer !== to.buffer) to.set(part, at);
  else if (part.byteOffset !== to.byteOffset + at) to.copyWithin(at, part.byteOffset - to.byteOffset, part.byteOffset - to.byteOffset + part.length);
}
