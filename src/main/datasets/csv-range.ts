// Reads one byte range of a CSV file for the parallel reader (read-parallel.ts), in a worker thread: the
// plain rows (csv-fast-row.ts) and blank lines of the lines that start in the range, up to the first line
// that is anything else. That line and the rest of the range are left to the sequential parser (CsvParser,
// which names every problem with its line number — known only once the ranges before are counted), so the
// result is exactly what CsvParser gives for the same bytes. Pure TS: the file comes through `readAt`.
import { scanPlainRow } from './csv-fast-row';
import { MAX_LINE_BYTES } from './csv-parser';

export interface RangeTask {
  /** The range [start, end) of the file: it holds the lines that start inside it. */
  start: number;
  end: number;
  /** Label first (true) or no label column. */
  labeled: boolean;
  /** Pixels per row. */
  perRow: number;
  /**
   * Where the rows go: rows `at`, `at + 1`, … of `pixels` (rows × perRow) and `labels` (SharedArrayBuffer-
   * backed, shared with the main thread), at most `room` of them (then the rest is left to the parser).
   */
  pixels: Uint8Array;
  labels: Uint8Array | null;
  at: number;
  room: number;
  /** Bytes read per call of `readAt` (tests use tiny ones). */
  chunkBytes?: number;
}

export interface RangeResult {
  /** Offset of the range's first line, or -1 when no line starts in the range. */
  lineStart: number;
  /** Offset of the first line not read here (left to the sequential parser), or -1 if every line was read. */
  stoppedAt: number;
  /** Rows read and lines read (rows and blank lines) before `stoppedAt`. */
  rows: number;
  lines: number;
  maxLabel: number;
  /** The rows read: views of the task's pixels and labels. */
  pixels: Uint8Array;
  labels: Uint8Array | null;
}

/** Most rows that can start in `bytes` bytes: a row of `columns` values takes at least 2·columns bytes with its newline. */
export function maxRowsIn(bytes: number, columns: number): number {
  return Math.ceil(bytes / (2 * columns)) + 1;
}

/** Reads file bytes at `position` into `into`; returns how many (0 at the end of the file). */
export type ReadAt = (into: Uint8Array, position: number) => number;

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Offset of the first line that starts at or after `start` and before `end`, or -1. */
function firstLineStart(start: number, end: number, readAt: ReadAt, buf: Uint8Array): number {
  if (start === 0) return end > 0 ? 0 : -1;
  // A line starts at p when byte p − 1 is a newline.
  for (let pos = start - 1; pos < end - 1; ) {
    const n = readAt(buf.subarray(0, Math.min(buf.length, end - 1 - pos)), pos);
    if (n === 0) return -1;
    const nl = buf.subarray(0, n).indexOf(NEWLINE);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return -1;
}

/** Reads the range; `onProgress(bytes, rows)` after each chunk. */
export function readRange(task: RangeTask, readAt: ReadAt, onProgress?: (bytes: number, rows: number) => void): RangeResult {
  const { end, labeled, perRow, pixels, labels, at, room } = task;
  const chunkBytes = task.chunkBytes ?? 1 << 20;
  let buf = new Uint8Array(chunkBytes + 1);
  const lineStart = firstLineStart(task.start, end, readAt, buf);
  let rows = 0;
  let lines = 0;
  let maxLabel = -1;
  let stoppedAt = -1;
  const result = (): RangeResult => ({
    lineStart,
    stoppedAt,
    rows,
    lines,
    maxLabel,
    pixels: pixels.subarray(at * perRow, (at + rows) * perRow),
    labels: labels ? labels.subarray(at, at + rows) : null,
  });
  const stop = (offset: number): RangeResult => {
    stoppedAt = offset;
    return result();
  };
  if (lineStart < 0) return result();

  let base = lineStart; // file offset of buf[0]
  let have = 0; // bytes in buf
  let atEof = false;
  for (;;) {
    // Fill the buffer after the partial line it holds; a line longer than the buffer doubles it.
    if (have === buf.length - 1) {
      if (have >= MAX_LINE_BYTES) return stop(base); // CsvParser names the over-long line
      const bigger = new Uint8Array(2 * have + 1);
      bigger.set(buf.subarray(0, have));
      buf = bigger;
    }
    const n = readAt(buf.subarray(have, buf.length - 1), base + have);
    have += n;
    if (n === 0) {
      if (have === 0) return result();
      atEof = true;
      buf[have] = NEWLINE; // the last line has no newline: a sentinel ends it, as in CsvParser.finish
    }
    const last = atEof ? have : buf.subarray(0, have).lastIndexOf(NEWLINE);
    let pos = 0;
    while (pos <= last) {
      if (base + pos >= end) return result(); // the next range's line
      if (rows === room) return stop(base + pos);
      const found = scanPlainRow(buf, pos, labeled, pixels, (at + rows) * perRow, perRow);
      if (found >= 0) {
        const lineEnd = Math.floor(found / 256);
        const label = found - lineEnd * 256;
        if (labels) {
          labels[at + rows] = label;
          if (label > maxLabel) maxLabel = label;
        }
        rows++;
        lines++;
        pos = lineEnd + 1;
        continue;
      }
      let i = pos;
      while (buf[i] === SPACE || buf[i] === TAB || buf[i] === CR) i++;
      if (buf[i] !== NEWLINE) return stop(base + pos);
      lines++; // a blank line
      pos = i + 1;
    }
    onProgress?.(base + pos - lineStart, rows);
    if (atEof) return result();
    buf.copyWithin(0, pos, have);
    have -= pos;
    base += pos;
  }
}
