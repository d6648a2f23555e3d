// What the UI, the CLI and the services say about data sets: summaries, positioned parse problems, the split,
// pages of thumbnails. The pixels themselves travel as DatasetData (./dataset.ts) inside src/main only.

/** How a file was read. */
export type DatasetFormat = 'csv' | 'idx' | 'sample';

/** One thing wrong with an input file, with where it is. */
export interface ParseProblem {
  /** The file's name as the user knows it (not a temp upload path). */
  file: string;
  /** 1-based text line, or null for binary files (IDX) and whole-file problems. */
  line: number | null;
  /** 1-based column (CSV field number), or null. */
  column: number | null;
  /** 0-based byte offset for binary files, or null. */
  byteOffset: number | null;
  /** What was there, quoted/escaped and shortened for display. */
  found: string;
  /** What should have been there. */
  expected: string;
  /** One line: `mnist.csv:12:5 (column "1x4"): expected a whole number 0–255, found "abc"`. */
  message: string;
}

/** Why a load failed: up to the first 10 problems. */
export interface DatasetErrorInfo {
  message: string;
  problems: ParseProblem[];
  /** True when more problems were found than are listed. */
  truncated: boolean;
  /** True when the load failed on rows with bad values that "skip bad rows" leaves out, so opening the file
   *  again that way can succeed; false for a whole-file problem (an empty or header-only file, a layout or
   *  format that cannot be read, binary data, a missing file, or every row bad even when skipping). */
  skippable: boolean;
  /** What the problems add up to, said before them ("every row of x.csv has a problem …"). */
  lead?: string;
}

/** Rows left out because the user chose "skip bad rows": exactly how many, and which lines. */
export interface SkippedRows {
  count: number;
  /** 1-based line numbers, ascending; complete (never capped). */
  lines: number[];
  /** Their places among the file's data rows (0-based; the header and blank lines are not rows), ascending;
   *  complete. What fileRowNumber counts them with. */
  rows: number[];
  /** What was wrong with the first few of them. */
  problems: ParseProblem[];
}

/**
 * The 1-based number in its file of a data set's row `index` (0-based, as the data set holds its rows): the file's
 * data rows counted from 1, so that the rows "skip bad rows" left out keep their numbers and the numbers after
 * them skip them. `skippedRows`: SkippedRows.rows. The Data view, Evaluate's examples and the predictions CSV all
 * number rows so.
 */
export function fileRowNumber(index: number, skippedRows: readonly number[]): number {
  // The rows left out before it: the first j, where j counts the k with skippedRows[k] − k ≤ index (that difference
  // does not fall as k grows, the places being distinct and ascending).
  let lo = 0;
  let hi = skippedRows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (skippedRows[mid] - mid <= index) lo = mid + 1;
    else hi = mid;
  }
  return index + lo + 1;
}

/** A pair of image indices with byte-identical pixels. */
export interface DuplicatePair {
  first: number;
  duplicate: number;
}

/** What separates a CSV's values; semicolons or tabs with ', decimal commas' when values were written so (0,5). */
export type CsvSeparator = 'comma' | 'semicolon' | 'tab' | 'semicolon, decimal commas' | 'tab, decimal commas';

/** ' (values separated by semicolons)' or by tabs (', decimal commas'), for a data set's format line; '' for commas and other formats. */
export function separatorNote(separator: CsvSeparator | null): string {
  return separator && separator !== 'comma' ? ` (values separated by ${separator.replace(/^\w+/, (name) => `${name}s`)})` : '';
}

export interface DatasetSummary {
  /** Service-side id, valid while the data set is loaded. */
  id: string;
  /** Content fingerprint (same pixels, labels and shape → same value, in any session): how a run's data is
   *  found again after a restart. */
  fingerprint: string;
  /** Shown to the user: file name(s) or "Built-in MNIST sample". */
  name: string;
  format: DatasetFormat;
  /** Files read, by display name (two for an IDX pair). */
  files: string[];
  rows: number;
  width: number;
  height: number;
  /** Number of classes (max label + 1); 0 for an unlabeled file. */
  classes: number;
  labeled: boolean;
  /** One name per class: digits by default, the Fashion-MNIST preset, or the user's. */
  classNames: string[];
  /** Examples per class (length `classes`). */
  classCounts: number[];
  /** CSV only: whether the first line was a header, and the label column (1-based) or null. */
  header: boolean;
  labelColumn: number | null;
  /** CSV only: what separates its values (commas, or a spreadsheet's semicolons or tabs); null for other formats. */
  separator: CsvSeparator | null;
  /** True when the file held 0–1 floats that were scaled to 0–255. */
  scaledFromUnit: boolean;
  /** When the file's whole numbers ran 0–1 or 0–16 (scikit-learn's digits) and were stretched to 0–255: that scale. */
  stretchedFrom: 1 | 16 | null;
  /** Mean and standard deviation of all pixels, on the 0–255 scale. */
  pixelMean: number;
  pixelStd: number;
  /** Images whose pixels are all 0. */
  emptyImages: number;
  /** Images byte-identical to an earlier one (by hash, confirmed by comparison). */
  duplicates: number;
  /** The first few duplicate pairs, to show. */
  duplicateExamples: DuplicatePair[];
  /** Mean image per class (classes × width·height, rounded 0–255), or one mean image for unlabeled data. */
  meanImages: Uint8Array;
  skipped: SkippedRows;
  /** Bytes read (decompressed) and time taken, for the user's curiosity. */
  bytes: number;
  parseMs: number;
  split: SplitSummary;
}

/** Dev set = the first N rows (the notebook's way), or a seeded random fraction, optionally stratified by class. */
export type SplitOptions =
  | { kind: 'first'; devRows: number; testId?: string | null }
  | { kind: 'random'; devFraction: number; seed: number; stratified: boolean; testId?: string | null };

export interface SplitSummary {
  options: SplitOptions;
  trainRows: number;
  devRows: number;
  /** Examples per class in the dev set (empty when unlabeled). */
  devClassCounts: number[];
  /** The separate test data set, if one is attached. */
  testId: string | null;
  testRows: number;
}

export const DEFAULT_SPLIT: SplitOptions = { kind: 'first', devRows: 1000, testId: null };

/** Which rows a thumbnail page is taken from. */
export type RowSubset = 'all' | 'train' | 'dev';

export interface ThumbnailQuery {
  /** Position in the (filtered) list, not the row index. */
  start: number;
  count: number;
  /** Only rows of this class, or null for all. */
  classFilter: number | null;
  subset: RowSubset;
}

/** A block of images: `pixels` is count × width·height grey levels, image k belongs to row `indices[k]`. */
export interface ExamplePage {
  /** Length of the whole (filtered) list this page comes from. */
  total: number;
  start: number;
  width: number;
  height: number;
  indices: number[];
  /** Label per image, or null for unlabeled data. */
  labels: number[] | null;
  pixels: Uint8Array;
}

/** A data set the user opened before; `path` (a file on this host) or `upload` is set when it can be reopened
 *  without picking it again. */
export interface RecentDataset {
  name: string;
  path: string | null;
  /** Browser mode: the id of the upload it was opened from, while that is still stored (src/main/web/upload-store.ts
   *  says which are kept: those of data open or that saved runs need). */
  upload?: string;
  rows: number;
  width: number;
  height: number;
  classes: number;
  /** ISO date. */
  openedAt: string;
}

export interface LoadProgress {
  /** Names one load; pass it to datasets.cancel. */
  jobId: string;
  file: string;
  phase: 'reading' | 'summarizing';
  /** Bytes read from disk (compressed size for .gz) and the total, or null when unknown. */
  bytes: number;
  totalBytes: number | null;
  rows: number;
}

/** What datasets.open returns: errors and cancellation are values, so every transport carries them intact. */
export type OpenResult =
  | { kind: 'loaded'; summary: DatasetSummary }
  | { kind: 'failed'; error: DatasetErrorInfo }
  | { kind: 'cancelled' };

export const DIGIT_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Default class names: the Fashion-MNIST preset when the file name says fashion, else the class numbers. */
export function defaultClassNames(classes: number, fileName = ''): string[] {
  if (classes === 10 && /fashion/i.test(fileName)) return [...FASHION_NAMES];
  return Array.from({ length: classes }, (_, i) => String(i));
}
