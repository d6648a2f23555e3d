// The thin node layer under the parsers: streams a file from disk (through gunzip for .gz), feeds the chunks
// to the CSV or IDX parser, yields to the event loop between chunks (in Electron the main process's loop
// carries the UI's IPC), reports progress and honours cancel. IDX images and labels are paired here. Large raw
// CSV files are read by worker threads instead (read-parallel.ts), with the same results.
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { DatasetData } from '../../shared/dataset';
import type { CsvSeparator, SkippedRows } from '../../shared/datasets';
import { CsvParser } from './csv-parser';
import { LoadCancelled, ParseError, problem } from './errors';
import { IdxParser, looksLikeIdx, type ParsedIdx } from './idx-parser';
import { csvWorkerFile, idleReaderThreads, readCsvInParallel, workerRunner } from './read-parallel';
import { gzipSource, rawSource, SLICE_MS, yieldToLoop } from './read-stream';
import { type SmallScale, smallScaleOf, stretchToFullScale } from './small-scale';

export interface FileInput {
  /** Where to read on this host. */
  path: string;
  /** The name shown in messages (an upload's original name, not its temp path). */
  name: string;
}

export interface ReadProgress {
  /** Bytes read from disk so far (compressed bytes for .gz) over all files, and their total size. */
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ReadOptions {
  skipBadRows?: boolean;
  signal?: AbortSignal;
  /** Called at most every ~100 ms, and once at the end. */
  onProgress?: (progress: ReadProgress) => void;
  /**
   * Worker threads for raw CSV files of `minBytes` or more (read-parallel.ts). Defaults: the built
   * csv-task.js (none found: read on this thread), one thread per core, PARALLEL_MIN_BYTES (or
   * PARALLEL_WARM_MIN_BYTES when threads are idle from an earlier file). threads 0: never.
   */
  parallel?: { workerFile?: string | null; threads?: number; minBytes?: number };
}

export interface ReadResult {
  data: DatasetData;
  format: 'csv' | 'idx';
  /** Display names of the files read (images first for IDX). */
  files: string[];
  header: boolean;
  labelColumn: number | null;
  scaledFromUnit: boolean;
  /** A CSV's separator; null for IDX. */
  separator: CsvSeparator | null;
  /** A CSV of whole numbers 0–1 or 0–16, stretched to 0–255 (small-scale.ts); null for every other file. */
  stretchedFrom: SmallScale | null;
  skipped: SkippedRows;
  /** Decompressed bytes parsed. */
  bytes: number;
}

/** A ReadResult's CSV facts for a file that is not a CSV (IDX, the built-in sample): none of them apply. */
export function notCsv(): Pick<ReadResult, 'header' | 'labelColumn' | 'scaledFromUnit' | 'separator' | 'stretchedFrom' | 'skipped'> {
  return { header: false, labelColumn: null, scaledFromUnit: false, separator: null, stretchedFrom: null, skipped: { count: 0, lines: [], rows: [], problems: [] } };
}

const PROGRESS_MS = 100;
/**
 * Smaller raw CSV files are read on this thread: starting reader threads (~50–150 ms on a busy 2-core machine)
 * would cost more than it saves. Threads already started (kept 5 min) pay from a few MB.
 */
export const PARALLEL_MIN_BYTES = 32 << 20;
export const PARALLEL_WARM_MIN_BYTES = 4 << 20;

/** Reads one data set: a CSV (.csv or .csv.gz), an IDX file (its partner found by the standard names), or an IDX pair. */
export async function readDataset(inputs: FileInput[], options: ReadOptions = {}): Promise<ReadResult> {
  if (inputs.length === 0 || inputs.length > 2) throw new Error(`expected one file, or an IDX images + labels pair; got ${inputs.length} files`);
  const sizes = await Promise.all(inputs.map((f) => stat(f.path).then((s) => s.size)));
  const progress = new ProgressMeter(sizes.reduce((a, b) => a + b, 0), options.onProgress);
  const first = await readFile(inputs[0], options, progress);
  if ('csv' in first) {
    // Bad input, positioned as the parsers' problems are (the CLI exits 2 on it, not 1 as on a fault of its own)
    if (inputs.length === 2) throw new ParseError([problem({ file: inputs[1].name }, `one file (${inputs[0].name} is a CSV: its labels are a column)`, 'a second file')]);
    progress.done();
    const stretchedFrom = first.csv.scaledFromUnit ? null : smallScaleOf(first.csv.data.pixels);
    if (stretchedFrom) stretchToFullScale(first.csv.data.pixels, stretchedFrom);
    return { ...first.csv, stretchedFrom, format: 'csv', files: [inputs[0].name] };
  }
  let second: ParsedIdx;
  let secondInput: FileInput;
  if (inputs.length === 2) {
    secondInput = inputs[1];
    const r = await readFile(secondInput, options, progress);
    if ('csv' in r) throw new ParseError([problem({ file: secondInput.name, byteOffset: 0 }, `the IDX labels or images file of ${inputs[0].name}`, 'a CSV text file')]);
    second = r.idx;
  } else {
    const partner = await findIdxPartner(inputs[0].path);
    if (!partner) {
      if (first.idx.dims.length === 3) {
        progress.done();
        return idxResult(first.idx, null, inputs[0], null);
      }
      throw new ParseError([problem({ file: inputs[0].name }, 'the images file next to this labels file (e.g. train-images-idx3-ubyte.gz)', 'no such file; drop both files together')]);
    }
    secondInput = { path: partner, name: basename(partner) };
    progress.addTotal((await stat(partner)).size);
    const r = await readFile(secondInput, options, progress);
    if ('csv' in r) throw new Error(`${secondInput.name} is not an IDX file`);
    second = r.idx;
  }
  progress.done();
  const [images, labels, imagesInput, labelsInput] = first.idx.dims.length === 3 ? [first.idx, second, inputs[0], secondInput] : [second, first.idx, secondInput, inputs[0]];
  return idxResult(images, labels, imagesInput, labelsInput);
}

function idxResult(images: ParsedIdx, labels: ParsedIdx | null, imagesInput: FileInput, labelsInput: FileInput | null): ReadResult {
  if (images.dims.length !== 3) throw new ParseError([problem({ file: imagesInput.name, byteOffset: 3 }, 'an images file (3 dimensions)', `${images.dims.length} dimension (a labels file); drop the images file too`)]);
  const [rows, height, width] = images.dims;
  let classes = 0;
  if (labels && labelsInput) {
    if (labels.dims.length !== 1) throw new ParseError([problem({ file: labelsInput.name, byteOffset: 3 }, 'a labels file (1 dimension)', `${labels.dims.length} dimensions (another images file)`)]);
    if (labels.dims[0] !== rows) {
      throw new ParseError([problem({ file: labelsInput.name, byteOffset: 4 }, `${rows} labels, one per image in ${imagesInput.name}`, `${labels.dims[0]} labels`, 'the counts do not match')]);
    }
    for (let i = 0; i < labels.data.length; i++) if (labels.data[i] >= classes) classes = labels.data[i] + 1;
  }
  return {
    data: { pixels: images.data, labels: labels ? labels.data : null, rows, width, height, classes },
    format: 'idx',
    files: labelsInput ? [imagesInput.name, labelsInput.name] : [imagesInput.name],
    ...notCsv(),
    bytes: images.data.length + (labels?.data.length ?? 0),
  };
}

/** The other file of an IDX pair by the standard names (images ↔ labels, idx3 ↔ idx1, with or without .gz). */
export async function findIdxPartner(path: string): Promise<string | null> {
  const name = basename(path);
  const swapped = name.replace(/images|labels/g, (m) => (m === 'images' ? 'labels' : 'images')).replace(/idx[13]/g, (m) => (m === 'idx3' ? 'idx1' : 'idx3'));
  if (swapped === name) return null;
  const plain = swapped.replace(/\.gz$/i, '');
  for (const candidate of [swapped, plain, `${plain}.gz`]) {
    const full = join(dirname(path), candidate);
    try {
      if ((await stat(full)).isFile()) return full;
    } catch {
      // not there; try the next name
    }
  }
  return null;
}

class ProgressMeter {
  private readonly settled: number[] = [];
  private current = 0;
  rows = 0;
  private last = 0;
  constructor(
    private total: number,
    private readonly listener?: (p: ReadProgress) => void,
  ) {}
  addTotal(bytes: number): void {
    this.total += bytes;
  }
  /** Bytes read of the file in hand. */
  update(bytes: number, rows: number): void {
    this.current = bytes;
    this.rows = rows;
    const now = performance.now();
    if (this.listener && now - this.last >= PROGRESS_MS) {
      this.last = now;
      this.listener(this.snapshot());
    }
  }
  nextFile(): void {
    this.settled.push(this.current);
    this.current = 0;
  }
  done(): void {
    this.listener?.(this.snapshot());
  }
  private snapshot(): ReadProgress {
    return { bytes: this.settled.reduce((a, b) => a + b, 0) + this.current, totalBytes: this.total, rows: this.rows };
  }
}

/** Size the gzip trailer declares (ISIZE, mod 2³²): a hint for allocation. */
async function gzipSizeHint(path: string, size: number): Promise<number | null> {
  if (size < 18) return null;
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    return tail.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Whether and how to read a raw CSV file of `size` bytes in worker threads. */
function parallelPlan(size: number, options: ReadOptions['parallel'] = {}): { workerFile: string; threads: number } | null {
  const workerFile = options.workerFile === undefined ? csvWorkerFile() : options.workerFile;
  if (!workerFile) return null;
  const minBytes = options.minBytes ?? (idleReaderThreads(workerFile) > 0 ? PARALLEL_WARM_MIN_BYTES : PARALLEL_MIN_BYTES);
  // By default one range per core, of at least PARALLEL_WARM_MIN_BYTES.
  const threads = options.threads ?? Math.min(availableParallelism(), Math.max(1, Math.floor(size / PARALLEL_WARM_MIN_BYTES)));
  return threads >= 1 && size >= minBytes ? { workerFile, threads } : null;
}

/** Streams one file through the right parser (CSV or IDX, decided by its first bytes). */
async function readFile(input: FileInput, options: ReadOptions, progress: ProgressMeter): Promise<{ csv: Omit<ReadResult, 'format' | 'files' | 'stretchedFrom'> } | { idx: ParsedIdx }> {
  const { signal } = options;
  if (signal?.aborted) throw new LoadCancelled();
  const size = (await stat(input.path)).size;
  const head = await readHead(input.path);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const parallel = gzip || looksLikeIdx(head) ? null : parallelPlan(size, options.parallel);
  if (parallel) {
    const csv = await readCsvInParallel(input.path, input.name, size, {
      skipBadRows: options.skipBadRows,
      signal,
      onProgress: (bytes, rows) => progress.update(bytes, rows),
      runner: workerRunner(parallel.workerFile, input.path, parallel.threads),
      ranges: parallel.threads,
    });
    progress.update(size, csv.data.rows);
    progress.nextFile();
    return { csv };
  }
  const expected = gzip ? null : size;
  const hint = gzip ? await gzipSizeHint(input.path, size) : size;
  const source = gzip ? gzipSource(input.path) : rawSource(input.path);
  let parser: CsvParser | IdxParser | null = null;
  let lastYield = performance.now();
  try {
    for await (const bytes of source.chunks) {
      if (!parser) {
        parser = looksLikeIdx(bytes) ? new IdxParser(input.name, expected, hint) : new CsvParser({ file: input.name, skipBadRows: options.skipBadRows, expectedBytes: hint });
      }
      parser.push(bytes);
      progress.update(source.bytesRead(), parser instanceof CsvParser ? parser.rows : parser.items);
      if (performance.now() - lastYield > SLICE_MS) {
        await yieldToLoop();
        lastYield = performance.now();
      }
      if (signal?.aborted) throw new LoadCancelled();
    }
  } catch (error) {
    source.close();
    throw mapStreamError(error, input, source.bytesRead());
  }
  progress.nextFile();
  if (!parser) parser = new CsvParser({ file: input.name });
  if (parser instanceof IdxParser) return { idx: parser.finish() };
  return { csv: parser.finish() };
}

/** zlib's errors, in the user's words and positioned. */
function mapStreamError(error: unknown, input: FileInput, compressedBytes: number): unknown {
  if (error instanceof ParseError || error instanceof LoadCancelled) return error;
  const code = (error as { code?: string }).code;
  if (code === 'Z_BUF_ERROR' || (error instanceof Error && /unexpected end of file/i.test(error.message))) {
    return new ParseError([problem({ file: input.name, byteOffset: compressedBytes }, 'a complete gzip stream', 'the compressed data ends early', 'truncated gzip')]);
  }
  if (code === 'Z_DATA_ERROR') {
    return new ParseError([problem({ file: input.name, byteOffset: null }, 'valid gzip data', `corrupt compressed data (${(error as Error).message})`)]);
  }
  return error;
}
