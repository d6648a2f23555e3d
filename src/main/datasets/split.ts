// Which rows train and which rows measure (the dev set). The notebook's way is the first N rows (default 1000);
// a seeded random fraction, optionally stratified by class, is the other. Index arrays are ascending and live on
// SharedArrayBuffers so the training pool takes them without copying. Pure TS.
import type { SplitOptions } from '../../shared/datasets';

export interface SplitIndices {
  /** Row indices of the training set, ascending. */
  train: Uint32Array;
  /** Row indices of the dev set, ascending. */
  dev: Uint32Array;
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shared(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * 4));
}

/** Checks the options against the data; returns the problem in words, or null. */
export function splitProblem(options: SplitOptions, rows: number): string | null {
  if (options.kind === 'first') {
    if (!Number.isInteger(options.devRows) || options.devRows < 0) return `dev rows must be a whole number ≥ 0, got ${options.devRows}`;
    if (options.devRows >= rows) return `dev rows (${options.devRows}) must leave at least one training row (the data set has ${rows})`;
    return null;
  }
  if (!(options.devFraction >= 0 && options.devFraction < 1)) return `the dev fraction must be at least 0 and below 1, got ${options.devFraction}`;
  if (!Number.isInteger(options.seed)) return `the seed must be a whole number, got ${options.seed}`;
  return null;
}

/** Picks `take` of `pool` at random (partial Fisher–Yates) and marks them in `isDev`. */
function pick(pool: number[], take: number, random: () => number, isDev: Uint8Array): void {
  for (let k = 0; k < take; k++) {
    const j = k + Math.floor(random() * (pool.length - k));
    const t = pool[k];
    pool[k] = pool[j];
    pool[j] = t;
    isDev[pool[k]] = 1;
  }
}

/** Splits `rows` rows. `labels`/`classes` are needed for a stratified split. Throws on invalid options. */
export function computeSplit(options: SplitOptions, rows: number, labels: Uint8Array | null, classes: number): SplitIndices {
  const problem = splitProblem(options, rows);
  if (problem) throw new Error(problem);
  const isDev = new Uint8Array(rows);
  if (options.kind === 'first') {
    isDev.fill(1, 0, options.devRows);
  } else {
    const random = mulberry32(options.seed);
    if (options.stratified && labels) {
      const byClass: number[][] = Array.from({ length: classes }, () => []);
      for (let r = 0; r < rows; r++) byClass[labels[r]].push(r);
      for (const pool of byClass) pick(pool, Math.round(pool.length * options.devFraction), random, isDev);
    } else {
      pick(Array.from({ length: rows }, (_, r) => r), Math.round(rows * options.devFraction), random, isDev);
    }
  }
  let devCount = 0;
  for (let r = 0; r < rows; r++) devCount += isDev[r];
  if (devCount >= rows) throw new Error(`this split leaves no training rows (dev would be all ${rows} rows)`);
  const train = shared(rows - devCount);
  const dev = shared(devCount);
  for (let r = 0, t = 0, d = 0; r < rows; r++) {
    if (isDev[r]) dev[d++] = r;
    else train[t++] = r;
  }
  return { train, dev };
}
