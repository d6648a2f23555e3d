// The parallel CSV reader for large raw files: the main thread parses the first MiB itself (binary check,
// header, layout, BOM — CsvParser as always), cuts the rest into byte ranges, and worker threads read the
// plain rows of each range (csv-range.ts, csv-task.ts) straight into the parser's SharedArrayBuffers, each
// range into its own stretch. The main thread then appends the ranges in order to the same CsvParser, moving
// each range's rows down to where the rows before end; a range's first irregular line (a bad row, a decimal,
// spaces…) and the rest of that range go through the parser itself, with the right line numbers. So the
// result — pixels, labels, skipped rows, errors — is exactly the sequential parser's, and the event loop only
// coordinates, in slices of a few ms.
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CsvParser, type ParsedCsv } from './csv-parser';
import { maxRowsIn, type RangeResult, type RangeTask } from './csv-range';
import type { CsvTaskData } from './csv-task';
import { builtEntryFile } from '../built-entry';
import { LoadCancelled } from './errors';
import { pushRange, yieldToLoop } from './read-stream';

/** Bytes the main thread parses itself before cutting the rest into ranges. */
const HEAD_BYTES = 1 << 20;
const PROGRESS_MS = 100;
/** Bytes parsed, or moved into place, between two returns to the event loop (a few ms). */
const SLICE_BYTES = 1 << 16;
const MOVE_BYTES = 4 << 20;

/** Runs range readers: worker threads (workerRunner), or in-process for tests. */
export interface RangeRunner {
  run: (task: RangeTask, index: number) => Promise<RangeResult>;
  /** Bytes and rows read so far over all ranges. */
  progress: () => { bytes: number; rows: number };
  /** Stops every range still running; their promises reject with LoadCancelled. */
  stop: () => void;
}

export interface ParallelCsvOptions {
  skipBadRows?: boolean;
  signal?: AbortSignal;
  /** Bytes of the file read so far and rows accepted, now and then. */
  onProgress?: (bytes: number, rows: number) => void;
  runner: RangeRunner;
  /** How many ranges the file is cut into (after the head). */
  ranges: number;
  /** Exact cut offsets instead (tests): the ranges are [head end, cuts[0]), [cuts[0], cuts[1]), … */
  cuts?: number[];
  /** Bytes read for the head (tests): HEAD_BYTES by default. */
  headBytes?: number;
}

/** The built worker entry (out/main/csv-task.js), or null (then read sequentially). */
export function csvWorkerFile(): string | null {
  return builtEntryFile('csv-task.js');
}

/** Idle reader threads per worker file, kept IDLE_MS for the next file. Starting them costs the first large
 *  file ~0.2 s (fashion_train.csv: 0.52 s instead of 0.29 in the bench); keeping two costs ~21 MB of memory
 *  (measured: RSS of 2 idle threads). Five minutes covers a user choosing or dropping the next file. */
const idleThreads = new Map<string, Set<Worker>>();
const IDLE_MS = 5 * 60_000;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/** Reader threads started earlier and idle now. */
export function idleReaderThreads(workerFile: string): number {
  return idleThreads.get(workerFile)?.size ?? 0;
}

function takeThread(workerFile: string): Worker {
  const idle = idleThreads.get(workerFile);
  for (const worker of idle ?? []) {
    idle?.delete(worker);
    worker.ref();
    return worker;
  }
  return spawnThread(workerFile);
}

function spawnThread(workerFile: string): Worker {
  const worker = new Worker(workerFile);
  worker.once('exit', () => idleThreads.get(workerFile)?.delete(worker));
  // An idle thread that fails (its file does not load, it runs out of memory) just ends: 'exit' drops it. Without
  // a listener its 'error' would be thrown in this process. A task's failure is its runner's to report (onError).
  worker.on('error', () => {});
  return worker;
}

/**
 * Starts reader threads ahead of a load (when the app opens, or a file is being chosen), so that the first
 * large CSV does not wait for them and files from PARALLEL_WARM_MIN_BYTES use them; unused, they go after
 * IDLE_MS. Returns how many are idle now (0 without a built worker file).
 */
export function startReaderThreads(threads = availableParallelism(), workerFile = csvWorkerFile()): number {
  if (!workerFile) return 0;
  for (let k = idleReaderThreads(workerFile); k < threads; k++) giveBack(workerFile, spawnThread(workerFile));
  return idleReaderThreads(workerFile);
}

/** Keeps a thread for the next task; unref'd, so it never keeps the process alive. */
function giveBack(workerFile: string, worker: Worker): void {
  worker.unref();
  const idle = idleThreads.get(workerFile) ?? new Set<Worker>();
  idleThreads.set(workerFile, idle.add(worker));
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    for (const threads of idleThreads.values()) for (const w of threads) void w.terminate();
    idleThreads.clear();
  }, IDLE_MS).unref();
}

/** Range readers in worker threads running `workerFile` (csv-task.ts) on the file at `path`. */
export function workerRunner(workerFile: string, path: string, ranges: number): RangeRunner & { live: () => number } {
  const progress = new Float64Array(new SharedArrayBuffer(16 * Math.max(1, ranges)));
  const running = new Set<{ worker: Worker; reject: (error: unknown) => void; stopped: boolean }>();
  let live = 0; // threads taken by this runner and not yet given back or gone
  return {
    live: () => live,
    run: (task, index) =>
      new Promise<RangeResult>((resolve, reject) => {
        const worker = takeThread(workerFile);
        live++;
        const entry = { worker, reject, stopped: false };
        running.add(entry);
        const onMessage = (result: RangeResult) => {
          if (entry.stopped) return; // terminating: 'exit' follows
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          running.delete(entry);
          live--;
          giveBack(workerFile, worker);
          resolve(result);
        };
        const onError = (error: unknown) => {
          running.delete(entry);
          reject(error);
          void worker.terminate();
        };
        const onExit = (code: number) => {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          running.delete(entry);
          live--;
          reject(new Error(`the CSV reader thread stopped (exit code ${code})`));
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        const data: CsvTaskData = { path, task, index, progress };
        worker.postMessage(data);
      }),
    progress: () => {
      let bytes = 0;
      let rows = 0;
      for (let k = 0; k < progress.length; k += 2) {
        bytes += progress[k];
        rows += progress[k + 1];
      }
      return { bytes, rows };
    },
    stop: () => {
      for (const entry of running) {
        entry.stopped = true;
        entry.reject(new LoadCancelled());
        void entry.worker.terminate();
      }
      running.clear();
    },
  };
}

/** Even cuts of [from, to) into `ranges` ranges. */
function evenCuts(from: number, to: number, ranges: number): number[] {
  const cuts: number[] = [];
  for (let k = 1; k < ranges; k++) cuts.push(Math.round(from + ((to - from) * k) / ranges));
  return cuts;
}

/** Reads a raw CSV file of `size` bytes (see the top of this file). Throws ParseError / LoadCancelled. */
export async function readCsvInParallel(path: string, file: string, size: number, options: ParallelCsvOptions): Promise<ParsedCsv> {
  const { signal, runner } = options;
  // Progress never goes back: the threads' counts run ahead of the parser's while the ranges are appended.
  let shown = { bytes: 0, rows: 0 };
  const show = (bytes: number, rows: number) => {
    shown = { bytes: Math.max(shown.bytes, bytes), rows: Math.max(shown.rows, rows) };
    options.onProgress?.(shown.bytes, shown.rows);
  };
  const report = () => show(parser.bytes, parser.rows);
  const parser = new CsvParser({ file, skipBadRows: options.skipBadRows, expectedBytes: size });

  // The head: up to the last newline of the first MiB, on this thread.
  const head = new Uint8Array(Math.min(size, options.headBytes ?? HEAD_BYTES));
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const headEnd = head.lastIndexOf(10) + 1;
  for (let from = 0; from < headEnd; from += SLICE_BYTES) {
    parser.push(head.subarray(from, Math.min(headEnd, from + SLICE_BYTES)));
    await yieldToLoop();
  }
  const shape = parser.plainRows;
  if (!shape || headEnd >= size) {
    await pushRange(parser, path, headEnd, size, signal, report);
    return parser.finish();
  }

  // The ranges, in worker threads, each writing into its own stretch of the parser's buffers: room for the
  // most rows its bytes can hold. Pages never written cost no memory.
  const bounds = [headEnd, ...(options.cuts ?? evenCuts(headEnd, size, options.ranges)), size];
  const columns = shape.perRow + (shape.labeled ? 1 : 0);
  const rooms = bounds.slice(1).map((end, k) => maxRowsIn(end - bounds[k], columns));
  const space = parser.roomFor(rooms.reduce((a, b) => a + b, 0));
  const tasks: RangeTask[] = [];
  for (let k = 0, at = space.at; k < rooms.length; at += rooms[k], k++) {
    tasks.push({ start: bounds[k], end: bounds[k + 1], labeled: shape.labeled, perRow: shape.perRow, pixels: space.pixels, labels: space.labels, at, room: rooms[k] });
  }
  const stop = () => runner.stop();
  signal?.addEventListener('abort', stop);
  const timer = setInterval(() => {
    const p = runner.progress();
    show(headEnd + p.bytes, parser.rows + p.rows);
  }, PROGRESS_MS);
  let results: RangeResult[];
  try {
    if (signal?.aborted) throw new LoadCancelled();
    results = await Promise.all(tasks.map((task, k) => runner.run(task, k)));
  } catch (error) {
    runner.stop();
    throw error;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', stop);
  }

  // In order: each range's plain rows, then its first irregular line and the rest of it through the parser.
  const starts = results.map((r) => r.lineStart);
  const nextStart = (k: number) => starts.slice(k + 1).find((s) => s >= 0) ?? size;
  for (let k = 0; k < results.length; k++) {
    const r = results[k];
    if (r.lineStart < 0) continue;
    if (r.lineStart !== parser.bytes) throw new Error(`parallel CSV reader: range ${k} starts at byte ${r.lineStart}, the parser is at ${parser.bytes}`);
    if (!parser.plainRows) {
      // The file turned out to hold 0–1 floats: the fast path does not apply to the rest.
      await pushRange(parser, path, r.lineStart, size, signal, report);
      break;
    }
    // The rows as views of this thread's buffers (a worker's views arrive as other objects on the same memory),
    // moved down to where the rows before end, a few MB at a time (moving down, ascending pieces are safe).
    const { pixels, labels, perRow } = tasks[k];
    let at = tasks[k].at;
    if (at > parser.rows) {
      const from = at * perRow;
      const to = parser.rows * perRow;
      for (let done = 0; done < r.rows * perRow; done += MOVE_BYTES) {
        pixels.copyWithin(to + done, from + done, from + Math.min(r.rows * perRow, done + MOVE_BYTES));
        await yieldToLoop();
      }
      labels?.copyWithin(parser.rows, at, at + r.rows);
      at = parser.rows;
    }
    const part = { ...r, pixels: pixels.subarray(at * perRow, (at + r.rows) * perRow), labels: labels ? labels.subarray(at, at + r.rows) : null };
    parser.appendRows(part, r.stoppedAt >= 0 ? r.stoppedAt : nextStart(k));
    report();
    if (r.stoppedAt >= 0) await pushRange(parser, path, r.stoppedAt, nextStart(k), signal, report);
    await yieldToLoop();
    if (signal?.aborted) throw new LoadCancelled();
  }
  return parser.finish();
}
