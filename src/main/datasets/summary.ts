// The facts the Data view and `cli inspect` show about a data set: class counts, pixel mean/std, empty images,
// exact duplicates (FNV-1a hash per image, confirmed byte by byte), and the mean image per class.
// Pure TS; works in slices of rows so the caller can yield to the event loop in between.
import type { DatasetData } from '../../shared/dataset';
import type { DatasetSummary, DuplicatePair } from '../../shared/datasets';

/** The summary's statistics (documented on DatasetSummary), plus each class's rows for filtered pages. */
export interface DatasetStats
  extends Pick<DatasetSummary, 'classCounts' | 'pixelMean' | 'pixelStd' | 'emptyImages' | 'duplicates' | 'duplicateExamples' | 'meanImages'> {
  /** Row indices of each class, in file order (for filtered thumbnail pages). */
  rowsByClass: Uint32Array[];
}

const MAX_DUPLICATE_EXAMPLES = 20;
/** Longest stretch of work between two pauses, and how often the clock is read (rows). */
const SLICE_MS = 10;
const ROWS_PER_CHECK = 64;

/** FNV-1a over one image's bytes (the plain hash; used when the image is not 4-byte aligned). */
export function imageHash(pixels: Uint8Array, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let k = start, end = start + length; k < end; k++) h = Math.imul(h ^ pixels[k], 0x01000193);
  return h >>> 0;
}

/** FNV-1a-style over 32-bit words: four pixels per step. Equal images hash equal; collisions are checked. */
export function imageHashWords(words: Uint32Array, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let k = start, end = start + length; k < end; k++) h = Math.imul(h ^ words[k], 0x01000193) ^ (h >>> 15);
  return h >>> 0;
}

function sameImage(pixels: Uint8Array, a: number, b: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (pixels[a + k] !== pixels[b + k]) return false;
  return true;
}

/** Computes the stats; awaits `pause()` about every 10 ms of work (pass a no-op to run straight through). */
export async function computeStats(data: DatasetData, pause: () => Promise<void> = async () => {}, sliceMs = SLICE_MS): Promise<DatasetStats> {
  const { pixels, labels, rows } = data;
  const size = data.width * data.height;
  const groups = labels ? Math.max(1, data.classes) : 1;
  const sums = new Uint32Array(groups * size); // groups × size; ≤ rows·255 fits in 32 bits
  const classCounts = new Array<number>(labels ? data.classes : 0).fill(0);
  const seen = new Map<number, number[]>(); // hash → rows with that hash
  const duplicateExamples: DuplicatePair[] = [];
  const aligned = size % 4 === 0 && pixels.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(pixels.buffer, pixels.byteOffset, (rows * size) >> 2) : null;
  let duplicates = 0;
  let emptyImages = 0;
  let total = 0;
  let totalSq = 0;
  let sliceStart = performance.now();
  for (let r = 0; r < rows; r++) {
    if (r % ROWS_PER_CHECK === 0 && r > 0 && performance.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
    const base = r * size;
    const group = labels ? labels[r] : 0;
    if (labels) classCounts[group]++;
    const sumBase = group * size;
    let s = 0;
    let sq = 0;
    for (let k = 0; k < size; k++) {
      const v = pixels[base + k];
      s += v;
      sq += v * v;
      sums[sumBase + k] += v;
    }
    total += s;
    totalSq += sq;
    if (s === 0) emptyImages++;
    const h = words ? imageHashWords(words, base >> 2, size >> 2) : imageHash(pixels, base, size);
    const same = seen.get(h);
    if (!same) {
      seen.set(h, [r]);
      continue;
    }
    const first = same.find((other) => sameImage(pixels, other * size, base, size));
    if (first === undefined) {
      same.push(r);
    } else {
      duplicates++;
      if (duplicateExamples.length < MAX_DUPLICATE_EXAMPLES) duplicateExamples.push({ first, duplicate: r });
    }
  }
  const n = rows * size;
  const pixelMean = n > 0 ? total / n : 0;
  const pixelStd = n > 0 ? Math.sqrt(Math.max(0, totalSq / n - pixelMean * pixelMean)) : 0;
  const meanImages = new Uint8Array(groups * size);
  for (let g = 0; g < groups; g++) {
    const count = labels ? classCounts[g] : rows;
    if (!count) continue;
    for (let k = 0; k < size; k++) meanImages[g * size + k] = Math.round(sums[g * size + k] / count);
  }
  const rowsByClass = classCounts.map((count) => new Uint32Array(count));
  if (labels) {
    const fill = new Array<number>(classCounts.length).fill(0);
    for (let r = 0; r < rows; r++) rowsByClass[labels[r]][fill[labels[r]]++] = r;
  }
  return { classCounts, pixelMean, pixelStd, emptyImages, duplicates, duplicateExamples, meanImages, rowsByClass };
}
