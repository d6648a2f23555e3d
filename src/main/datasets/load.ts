// From files (or the built-in sample) to a loaded data set: parse, compute the stats, apply the default split,
// and describe it all in a DatasetSummary. Shared by the datasets service, `cli inspect` and `cli train`.
import type { DatasetData } from '../../shared/dataset';
import { DEFAULT_SPLIT, defaultClassNames, type DatasetFormat, type DatasetSummary, type SplitOptions, type SplitSummary } from '../../shared/datasets';
import { LoadCancelled } from './errors';
import { dataFingerprint } from './fingerprint';
import { notCsv, readDataset, type FileInput, type ReadProgress, type ReadResult } from './read';
import { loadSample, SAMPLE_NAME } from './sample';
import { computeSplit, type SplitIndices } from './split';
import { computeStats } from './summary';

/** A data set in memory: its pixels and labels, what we know about it, and how it is split. */
export interface LoadedDataset {
  id: string;
  data: DatasetData;
  summary: DatasetSummary;
  /** Train/dev row indices (ascending, SharedArrayBuffer-backed). */
  split: SplitIndices;
  /** The separate test data set, if one is attached to the split. */
  test: DatasetData | null;
  /** Row indices per class, ascending (empty for unlabeled data). */
  rowsByClass: Uint32Array[];
}

export interface LoadOptions {
  id: string;
  skipBadRows?: boolean;
  signal?: AbortSignal;
  onProgress?: (phase: 'reading' | 'summarizing', progress: ReadProgress) => void;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The default split: the notebook's first 1000 rows, or a tenth of a small file. */
export function defaultSplit(rows: number): SplitOptions {
  return { ...DEFAULT_SPLIT, devRows: Math.min(1000, Math.floor(rows / 10)) } as SplitOptions;
}

/** Describes a split for the UI: sizes and the dev set's class counts. */
export function splitSummary(options: SplitOptions, split: SplitIndices, data: DatasetData, test: DatasetData | null): SplitSummary {
  const devClassCounts = new Array<number>(data.labels ? data.classes : 0).fill(0);
  if (data.labels) for (const r of split.dev) devClassCounts[data.labels[r]]++;
  return {
    options,
    trainRows: split.train.length,
    devRows: split.dev.length,
    devClassCounts,
    testId: options.testId ?? null,
    testRows: test ? test.rows : 0,
  };
}

/** What describe() needs besides the pixels: the reader's facts, for files or the built-in sample. */
interface ReadMeta extends Omit<ReadResult, 'data' | 'format'> {
  name: string;
  format: DatasetFormat;
  parseMs: number;
}

async function describe(id: string, data: DatasetData, meta: ReadMeta, options: LoadOptions): Promise<LoadedDataset> {
  const pause = async () => {
    await yieldToLoop();
    if (options.signal?.aborted) throw new LoadCancelled();
  };
  const stats = await computeStats(data, pause);
  const fingerprint = await dataFingerprint(data, pause);
  const splitOptions = defaultSplit(data.rows);
  const split = computeSplit(splitOptions, data.rows, data.labels, data.classes);
  const summary: DatasetSummary = {
    id,
    fingerprint,
    ...meta,
    rows: data.rows,
    width: data.width,
    height: data.height,
    classes: data.classes,
    labeled: data.labels !== null,
    classNames: defaultClassNames(data.classes, meta.files.join(' ')),
    classCounts: stats.classCounts,
    pixelMean: stats.pixelMean,
    pixelStd: stats.pixelStd,
    emptyImages: stats.emptyImages,
    duplicates: stats.duplicates,
    duplicateExamples: stats.duplicateExamples,
    meanImages: stats.meanImages,
    split: splitSummary(splitOptions, split, data, null),
  };
  return { id, data, summary, split, test: null, rowsByClass: stats.rowsByClass };
}

/** Loads a CSV, an IDX file (its partner found by name) or an IDX pair. Throws ParseError / LoadCancelled. */
export async function loadFromFiles(inputs: FileInput[], options: LoadOptions): Promise<LoadedDataset> {
  const started = performance.now();
  const read = await readDataset(inputs, {
    skipBadRows: options.skipBadRows,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.('reading', p),
  });
  const parseMs = performance.now() - started;
  const name = read.files.join(' + ');
  options.onProgress?.('summarizing', { bytes: read.bytes, totalBytes: read.bytes, rows: read.data.rows });
  const { data, format, files, header, labelColumn, scaledFromUnit, separator, stretchedFrom, skipped, bytes } = read;
  return describe(options.id, data, { name, format, files, header, labelColumn, scaledFromUnit, separator, stretchedFrom, skipped, bytes, parseMs }, options);
}

/** Loads the 10,000 built-in MNIST digits. */
export async function loadBuiltInSample(options: LoadOptions): Promise<LoadedDataset> {
  const started = performance.now();
  const data = await loadSample();
  const meta: ReadMeta = {
    name: SAMPLE_NAME,
    format: 'sample',
    files: [SAMPLE_NAME],
    ...notCsv(),
    bytes: data.pixels.length + data.rows,
    parseMs: performance.now() - started,
  };
  return describe(options.id, data, meta, options);
}
