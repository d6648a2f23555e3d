// The parallel CSV reader gives exactly what the sequential parser gives — data, header, label column, 0–1
// scaling, skipped rows and errors with their line numbers — however the file is cut into ranges: inside a
// row, right after a newline, on a CR, next to a bad row, with the last line lacking its newline. The cut
// sweeps read ranges in-process (readRange, the worker's code); the last tests run real worker threads.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedCsv } from './csv-parser';
import { readRange } from './csv-range';
import { csvHeader, csvRow, formatCsv } from './csv-writer';
import { LoadCancelled, ParseError } from './errors';
import { readDataset } from './read';
import { idleReaderThreads, readCsvInParallel, startReaderThreads, workerRunner, type RangeRunner } from './read-parallel';
import { buildCsvWorkerForTests, bytesOf, makeData, parseCsv } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'mlp-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function write(bytes: Uint8Array | string): string {
  const path = join(dir, `f${fileCount++}.csv`);
  writeFileSync(path, bytes);
  return path;
}

/** Range readers on this thread, reading `chunk` bytes at a time (small chunks grow the line buffer). */
function inProcess(path: string, chunk: number): RangeRunner & { close: () => void } {
  const fd = openSync(path, 'r');
  return {
    run: async (task) => readRange({ ...task, chunkBytes: chunk }, (into, position) => readSync(fd, into, 0, into.length, position)),
    progress: () => ({ bytes: 0, rows: 0 }),
    stop: () => {},
    close: () => closeSync(fd),
  };
}

type Outcome = { ok: true; rows: number; pixels: number[]; labels: number[] | null; rest: Omit<ParsedCsv, 'data'>; classes: number } | { ok: false; messages: string[]; truncated: boolean };

function outcomeOf(result: ParsedCsv): Outcome {
  const { data, ...rest } = result;
  return { ok: true, rows: data.rows, pixels: [...data.pixels], labels: data.labels ? [...data.labels] : null, rest, classes: data.classes };
}

function failure(error: unknown): Outcome {
  if (!(error instanceof ParseError)) throw error;
  return { ok: false, messages: error.problems.map((p) => p.message), truncated: error.truncated };
}

function sequential(bytes: Uint8Array, skipBadRows: boolean): Outcome {
  try {
    return outcomeOf(parseCsv(bytes, { skipBadRows, file: 'p.csv' }));
  } catch (error) {
    return failure(error);
  }
}

async function parallel(path: string, size: number, cuts: number[], skipBadRows: boolean, chunk = 64): Promise<Outcome> {
  const runner = inProcess(path, chunk);
  try {
    return outcomeOf(await readCsvInParallel(path, 'p.csv', size, { runner, ranges: cuts.length + 1, cuts, skipBadRows, headBytes: 4200 }));
  } catch (error) {
    return failure(error);
  } finally {
    runner.close();
  }
}

/**
 * Cuts the file after its head at every byte of its first rows (inside a row, on a CR, right after a newline)
 * and around the offsets `fineAround`, and every `step`-th byte elsewhere, one cut at a time, then at random triples with random chunk sizes: every
 * outcome equals the sequential parse.
 */
async function sweep(text: string | Uint8Array, skipBadRows = false, fineAround: number[] = [], step = 53, triples = 30): Promise<Outcome> {
  const bytes = typeof text === 'string' ? bytesOf(text) : text;
  const path = write(bytes);
  const expected = sequential(bytes, skipBadRows);
  const head = bytes.subarray(0, 4200).lastIndexOf(10) + 1;
  expect(head).toBeGreaterThan(4096); // the tests' files must be long enough to be cut
  const fine = (cut: number) => cut < head + 150 || fineAround.some((at) => Math.abs(cut - at) < 45);
  for (let cut = head; cut <= bytes.length; cut += fine(cut) ? 1 : step) {
    expect(await parallel(path, bytes.length, [cut], skipBadRows)).toEqual(expected);
  }
  let s = 12345;
  const rand = (n: number) => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n;
  for (let k = 0; k < triples; k++) {
    const cuts = [0, 1, 2].map(() => head + rand(bytes.length - head + 1)).sort((a, b) => a - b);
    expect(await parallel(path, bytes.length, cuts, skipBadRows, 1 + rand(300))).toEqual(expected);
  }
  return expected;
}

/** `rows` rows of side×side (labeled or not), header or not, '\n' or '\r\n', with `edit` applied to the lines. */
function fileOf(rows: number, options: { side?: number; labeled?: boolean; header?: boolean; crlf?: boolean; finalNewline?: boolean; edit?: (lines: string[]) => void } = {}): string {
  const { side = 4, labeled = true, header = true, crlf = false, finalNewline = true } = options;
  const data = makeData(rows, side, 10, labeled, rows);
  const lines = header ? [csvHeader(side, side, labeled)] : [];
  for (let r = 0; r < rows; r++) lines.push(csvRow(data, r));
  options.edit?.(lines);
  const eol = crlf ? '\r\n' : '\n';
  return lines.join(eol) + (finalNewline ? eol : '');
}

describe('the parallel reader equals the sequential parser, cut anywhere', () => {
  it('a headed, labeled file with an odd row count', async () => {
    const r = await sweep(fileOf(301));
    expect(r).toMatchObject({ ok: true, rows: 301, rest: { header: true, labelColumn: 1 } });
  });

  it('CRLF endings, no header, no final newline', async () => {
    expect(await sweep(fileOf(257, { crlf: true, header: false, finalNewline: false }))).toMatchObject({ ok: true, rows: 257, rest: { header: false } });
  });

  it('an unlabeled file whose last line has no newline', async () => {
    expect(await sweep(fileOf(263, { labeled: false, finalNewline: false }))).toMatchObject({ ok: true, rows: 263, labels: null });
  });

  it('blank lines and whitespace-only lines between rows: counted in the line numbers after them', async () => {
    const edit = (lines: string[]) => {
      lines[235] = lines[235].replace(/,\d+$/, ',x'); // a bad row after the blank lines
      [150, 151, 200, 230].forEach((at) => lines.splice(at, 0, at % 2 ? '  \t' : ''));
    };
    const text = fileOf(240, { edit });
    expect(await sweep(text, true)).toMatchObject({ ok: true, rows: 239, rest: { skipped: { lines: [240] } } });
    expect(await sweep(text, false)).toMatchObject({ ok: false, messages: [expect.stringMatching(/^p\.csv:240:17 /)] });
  });

  it('bad rows after the head: skipped with their line numbers, or the error lists them', async () => {
    const edit = (lines: string[]) => {
      lines[160] = lines[160].replace(/,\d+$/, ',x'); // not a number
      lines[161] = lines[161] + ',0'; // an extra column
      lines[230] = lines[230].replace(/^\d+/, '300'); // a bad label
      lines[299] = ' ' + lines[299]; // a plain row the fast path does not take (a space)
    };
    const text = fileOf(301, { edit });
    const near = [161, 231, 300].map((line) => text.split('\n').slice(0, line - 1).join('\n').length + 1); // where the bad lines start
    const skipped = await sweep(text, true, near);
    expect(skipped).toMatchObject({ ok: true, rows: 298, rest: { skipped: { count: 3, lines: [161, 162, 231] } } });
    const failed = await sweep(text, false, near);
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.messages[0]).toMatch(/^p\.csv:161:17 \(column "4x4"\): expected a number, found "x"/);
  });

  it('more than ten bad rows: the error stops at the tenth, as the sequential parser does', async () => {
    const text = fileOf(300, { edit: (lines) => lines.forEach((_, k) => k > 150 && k % 9 === 0 && (lines[k] = '1,2,3')) });
    const r = await sweep(text, false);
    expect(r).toMatchObject({ ok: false, truncated: true });
  });

  it('a file of 0–1 floats (its first fraction after the head): scaled as the sequential parser scales it', async () => {
    const unit = (lines: string[]) =>
      lines.forEach((line, k) => {
        if (k === 0) return; // the header
        const [label, ...pixels] = line.split(',');
        lines[k] = [label, ...pixels.map((v, j) => (k === 201 && j === 3 ? '0.25' : v === '0' ? '0' : '1'))].join(',');
      });
    expect(await sweep(fileOf(250, { edit: unit }))).toMatchObject({ ok: true, rows: 250, rest: { scaledFromUnit: true } });
  });

  it('a semicolon-separated file: read by this thread (range readers take comma files), the same data', async () => {
    const text = fileOf(120).replaceAll(',', ';');
    const path = write(text);
    const bytes = bytesOf(text);
    const expected = sequential(bytes, false);
    expect(expected).toMatchObject({ ok: true, rows: 120 });
    expect(await parallel(path, bytes.length, [Math.floor(bytes.length / 2)], false)).toEqual(expected);
  });

  it('a semicolon file with decimal commas (0–1 floats, the first fraction and a bad row after the head): the same data, skipped rows and errors', async () => {
    const unit = (lines: string[]) =>
      lines.forEach((line, k) => {
        if (k === 0) {
          lines[0] = line.replaceAll(',', ';'); // the header
          return;
        }
        const [label, ...pixels] = line.split(',');
        lines[k] = [label, ...pixels.map((v, j) => (k === 201 && j === 3 ? '0,25' : k === 230 && j === 5 ? '1,5' : v === '0' ? '0' : j % 2 ? '1' : '1,0'))].join(';');
      });
    const text = fileOf(250, { edit: unit });
    const bytes = bytesOf(text);
    const path = write(text);
    const cuts = [0.3, 0.5, 0.7, 0.9].map((f) => Math.floor(bytes.length * f));
    const skipped = sequential(bytes, true);
    expect(skipped).toMatchObject({ ok: true, rows: 249, rest: { scaledFromUnit: true, separator: 'semicolon, decimal commas', skipped: { lines: [231] } } });
    expect(await parallel(path, bytes.length, cuts, true)).toEqual(skipped);
    const failed = sequential(bytes, false);
    expect(failed).toMatchObject({ ok: false, messages: ['p.csv:231:7 (column "2x2"): expected a value 0–1 (this file holds 0–1 floats since line 202), found "1,5" (out of range)'] });
    expect(await parallel(path, bytes.length, cuts, false)).toEqual(failed);
  });

  it('a row longer than the buffer and a range with no line start in it', async () => {
    const side = 60; // 3600 pixels, rows of ~10 KB: longer than the 64-byte chunks and than some ranges
    const data = makeData(12, side, 10, true, 3);
    const text = formatCsv(data);
    const path = write(text);
    const bytes = bytesOf(text);
    const expected = sequential(bytes, false);
    const head = bytes.subarray(0, 4200).lastIndexOf(10) + 1;
    for (let cut = head; cut < bytes.length; cut += 1999) {
      expect(await parallel(path, bytes.length, [cut, cut + 50, cut + 100], false)).toEqual(expected);
    }
  });
});

describe('the parallel reader in worker threads', () => {
  let workerFile = '';
  beforeAll(async () => {
    workerFile = await buildCsvWorkerForTests();
  }, 60_000);

  const big = makeData(3001, 28, 10, true, 5);
  const text = formatCsv(big).replace(/\n/g, (m, at: number) => (at % 7 === 0 ? '\r\n' : m));

  it('reads the same data as this thread does, from 1 to 5 threads', async () => {
    const path = write(text);
    const plain = await readDataset([{ path, name: 'w.csv' }], { parallel: { threads: 0 } });
    expect(Buffer.compare(Buffer.from(plain.data.pixels), Buffer.from(big.pixels))).toBe(0);
    for (const threads of [1, 2, 5]) {
      const seen: number[] = [];
      const r = await readDataset([{ path, name: 'w.csv' }], { parallel: { workerFile, threads, minBytes: 0 }, onProgress: (p) => seen.push(p.bytes) });
      expect(r.data.rows).toBe(3001);
      expect(Buffer.compare(Buffer.from(r.data.pixels), Buffer.from(big.pixels))).toBe(0);
      expect(Buffer.compare(Buffer.from(r.data.labels as Uint8Array), Buffer.from(big.labels as Uint8Array))).toBe(0);
      expect(r.data.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect({ ...r, data: null }).toEqual({ ...plain, data: null });
      expect(seen.at(-1)).toBe(bytesOf(text).length);
      expect(seen).toEqual([...seen].sort((a, b) => a - b)); // never back
    }
  });

  it('names a bad row in the second half with its line number', async () => {
    const lines = text.split('\n');
    lines[2500] = lines[2500].replace(/,(\d+),/, ',$1.5,');
    const path = write(lines.join('\n'));
    const run = (threads: number) => readDataset([{ path, name: 'w.csv' }], { parallel: { workerFile, threads, minBytes: 0 } }).then(
      () => [],
      (e: unknown) => (e as ParseError).problems.map((p) => p.message),
    );
    const messages = await run(2);
    expect(messages).toEqual(await run(0));
    expect(messages[0]).toMatch(/^w\.csv:2501:/);
  });

  it('threads started ahead are used, and stay for the next file', async () => {
    const idle = startReaderThreads(2, workerFile);
    expect(idle).toBeGreaterThanOrEqual(2);
    const path = write(text);
    const r = await readDataset([{ path, name: 'w.csv' }], { parallel: { workerFile, threads: 2, minBytes: 0 } });
    expect(r.data.rows).toBe(3001);
    expect(idleReaderThreads(workerFile)).toBe(idle); // the two were taken and given back; none started
  });

  it('cancel stops the worker threads', async () => {
    const bytes = bytesOf(text.repeat(4).replace(/\nlabel[^\n]*/g, '')); // 12,004 rows, one header
    const path = write(bytes);
    const controller = new AbortController();
    const runner = workerRunner(workerFile, path, 2);
    const idleBefore = idleReaderThreads(workerFile);
    const promise = readCsvInParallel(path, 'w.csv', bytes.length, { runner, ranges: 2, signal: controller.signal });
    for (let k = 0; k < 2000 && runner.live() === 0; k++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(runner.live()).toBe(2);
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(LoadCancelled);
    for (let k = 0; k < 200 && runner.live() > 0; k++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runner.live()).toBe(0);
    expect(idleReaderThreads(workerFile)).toBe(Math.max(0, idleBefore - 2)); // stopped threads are not kept
  });
});
