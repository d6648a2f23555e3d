// Small fixtures for the datasets tests: data sets made in memory, and their CSV/IDX bytes. Not shipped code.
import { join } from 'node:path';
import type { DatasetData } from '../../shared/dataset';
import { buildEntriesForTests } from '../test-support';
import { CsvParser, type ParsedCsv } from './csv-parser';
import { ParseError } from './errors';

/** A deterministic labeled (or unlabeled) data set of `rows` images of side×side. */
export function makeData(rows: number, side: number, classes = 10, labeled = true, seed = 1): DatasetData {
  const size = side * side;
  const pixels = new Uint8Array(new SharedArrayBuffer(rows * size));
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s >>> 24);
  for (let i = 0; i < pixels.length; i++) pixels[i] = next() % 3 === 0 ? next() : 0;
  const labels = labeled ? new Uint8Array(new SharedArrayBuffer(rows)) : null;
  if (labels) for (let r = 0; r < rows; r++) labels[r] = r % classes;
  return { pixels, labels, rows, width: side, height: side, classes: labeled ? Math.min(rows, classes) : 0 };
}

const encoder = new TextEncoder();

export function bytesOf(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Parses `input` fed in chunks of `chunk` bytes (every chunking must give the same result). */
export function parseCsv(
  input: string | Uint8Array,
  options: { chunk?: number; skipBadRows?: boolean; file?: string; expectedBytes?: number | null; fastPath?: boolean } = {},
): ParsedCsv {
  const bytes = typeof input === 'string' ? bytesOf(input) : input;
  const parser = new CsvParser({ file: options.file ?? 't.csv', skipBadRows: options.skipBadRows, fastPath: options.fastPath, expectedBytes: options.expectedBytes === undefined ? bytes.length : options.expectedBytes });
  const chunk = options.chunk ?? 1 << 16;
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
  return parser.finish();
}

/** The problems of a failing CSV parse (fails the test if it parses). */
export function problemsOf(input: string | Uint8Array, options: { skipBadRows?: boolean; chunk?: number; fastPath?: boolean } = {}) {
  try {
    parseCsv(input, options);
  } catch (error) {
    if (error instanceof ParseError) return { problems: error.problems, truncated: error.truncated, skippable: error.skippable, message: error.message };
    throw error;
  }
  throw new Error('expected a ParseError');
}

/** An IDX file of unsigned bytes with the given dims. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Builds the parallel reader's worker entry (csv-task.ts) to a temp folder, as the app's build does; returns its path. */
export async function buildCsvWorkerForTests(): Promise<string> {
  return join(await buildEntriesForTests('mlp-csv-task-', { 'csv-task': 'src/main/datasets/csv-task.ts' }), 'csv-task.js');
}
