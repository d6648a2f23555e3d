// What the Evaluate view reads off a run's confusion matrix (confusion[true][predicted] = count, the dev
// set after the run's latest epoch): totals and accuracy, per-class precision and recall, the most
// frequent mistakes, and how dark each cell is drawn. Pure, so the numbers are tested without a page.
import { endsWithFinal, type RunSummary } from '../../../shared/api/runs';
import { formatEpoch } from '../../lib/format';
import { type Mistake, mistakesOf, perClassMetrics } from '../../../shared/metrics';
import { defaultClassNames } from '../../../shared/datasets';
import type { ClassMetrics } from '../../../shared/training';

export interface ConfusionSummary {
  classes: number;
  /** Examples in the matrix (the dev set's size). */
  total: number;
  correct: number;
  /** correct ÷ total; null for an empty matrix. */
  accuracy: number | null;
  /** Examples of each true class (row sums). */
  rowTotals: number[];
  /** Examples predicted as each class (column sums): 0 means its precision is undefined (nothing to be right about). */
  predictedTotals: number[];
  perClass: ClassMetrics[];
  /** Every non-zero cell off the diagonal, most examples first (ties: the larger share of the true class first, then
   *  by true, then predicted class). */
  mistakes: Mistake[];
}

/** True when m is a non-empty square matrix of whole, non-negative counts. */
export function isConfusionMatrix(m: unknown): m is number[][] {
  if (!Array.isArray(m) || m.length === 0) return false;
  return m.every((row) => Array.isArray(row) && row.length === m.length && row.every((x) => Number.isInteger(x) && x >= 0));
}

export function summarizeConfusion(confusion: number[][]): ConfusionSummary {
  if (!isConfusionMatrix(confusion)) throw new RangeError('a confusion matrix is a square table of whole, non-negative counts');
  const K = confusion.length;
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  let correct = 0;
  for (let t = 0; t < K; t++) correct += confusion[t][t];
  const mistakes = mistakesOf(confusion);
  const predictedTotals = confusion[0].map((_, p) => confusion.reduce((sum, row) => sum + row[p], 0));
  return { classes: K, total, correct, accuracy: total > 0 ? correct / total : null, rowTotals, predictedTotals, perClass: perClassMetrics(confusion), mistakes };
}

/**
 * How strongly a cell is tinted, 0–1: its share of its row (the true class), on a square-root scale so
 * that mistakes of a few percent are visible next to a diagonal of 90%. 0 for an empty row.
 */
export function cellShade(count: number, rowTotal: number): number {
  if (!(rowTotal > 0) || !(count > 0)) return 0;
  return Math.min(1, Math.sqrt(count / rowTotal));
}

/** The runs that have a confusion matrix to show (at least one epoch evaluated on a dev set), in the given order. */
export function runsWithMatrix(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => isConfusionMatrix(r.confusion) && r.confusion.some((row) => row.some((x) => x > 0)));
}

/** Class names for a matrix of K classes: the data set's when it has K of them, else the class numbers. */
export function classLabels(K: number, names: readonly string[] | null | undefined): string[] {
  return names && names.length === K ? [...names] : Array.from({ length: K }, (_, k) => String(k));
}

/** A run's class names for K classes: its open data set's; when that is not open (closed, or after a restart), the
 *  names the user saved for its data (`saved`, by fingerprint); an imported model's, from its file; else the
 *  defaults for its file's name (Fashion-MNIST's for a 'fashion' file of 10 classes). */
export function runClassLabels(
  K: number, run: RunOfData, datasets: readonly (OpenData & { classNames: readonly string[] })[], saved?: (fingerprint: string) => readonly string[] | undefined,
): string[] {
  const fingerprint = run.dataset?.fingerprint;
  // the saved names are looked up (and fetched, the first time) only for a run whose data is not open
  const names = openDataOfRun(run, datasets)?.classNames ?? (fingerprint ? saved?.(fingerprint) : undefined) ?? run.imported?.labels;
  return classLabels(K, names ?? defaultClassNames(K, run.datasetName));
}

/** What a run's summary says of its data: the data set's id when it started, its file's name, its fingerprint. */
export type RunOfData = Pick<RunSummary, 'datasetId' | 'datasetName' | 'imported'> & { dataset?: { fingerprint: string } };
/** An open data set, as far as finding a run's is concerned. */
export interface OpenData {
  id: string;
  fingerprint: string;
}

/** The open data set a run trained on: the one it started with, else the same data opened again (its file closed
 *  and dropped again, or opened after a restart: a new id, the same fingerprint); undefined when not open. */
export function openDataOfRun<D extends OpenData>(run: RunOfData, datasets: readonly D[]): D | undefined {
  const fingerprint = run.dataset?.fingerprint;
  return datasets.find((d) => d.id === run.datasetId) ?? (fingerprint ? [...datasets].reverse().find((d) => d.fingerprint === fingerprint) : undefined);
}

/** True for a class named by its number ("7"): a digit data set's, or one without names. */
export function isNumberedClass(name: string): boolean {
  return /^\d+$/.test(name);
}

/** True when the classes are the numbers 0…n−1 in order (MNIST's digits, or classes without names). */
export function classesAreNumbers(names: readonly string[]): boolean {
  return names.every((name, k) => isNumberedClass(name) && Number(name) === k);
}

/**
 * A class with its article, for "It looks like …": "a 7", "an 8", "an 11", "a Trouser", "an Ankle boot",
 * "an F" (a letter by the sound of its name). A guess from the spelling: "a unicorn" would read "an unicorn".
 */
export function aClass(name: string): string {
  return `${startsWithVowelSound(name) ? 'an' : 'a'} ${name}`;
}

function startsWithVowelSound(name: string): boolean {
  if (isNumberedClass(name)) {
    // Read aloud, a number starts with its leading group of up to three digits: 8…, 11 and 18 ("eleven
    // thousand", "eighteen") start with a vowel sound.
    const digits = name.replace(/^0+(?=\d)/, '');
    const lead = digits.slice(0, digits.length % 3 || 3);
    return lead.startsWith('8') || lead === '11' || lead === '18';
  }
  if (/^[A-Za-z]$/.test(name)) return 'AEFHILMNORSX'.includes(name.toUpperCase());
  return /^[aeiou]/i.test(name);
}

/** When a run's matrix was made, for the Evaluate view's header: "After epoch 3 of 5", "After epoch 1.47 (500 steps
 *  in all)"; a run that ended inside an epoch has the matrix of the weights it ended with (its partial epoch's), and
 *  one stopped before its first step the matrix of its untrained, initial weights. */
export function matrixWhen(run: RunSummary): string {
  if (endsWithFinal(run.status) && run.progress.step === 0 && run.epochsDone === 0) return 'Its initial, untrained weights (stopped before its first step)';
  const { unit, count } = run.config.duration;
  const at = formatEpoch(endsWithFinal(run.status) ? Math.max(run.epochsDone, run.progress.epoch) : run.epochsDone);
  return unit === 'epochs' ? `After epoch ${at} of ${count}` : `After epoch ${at} (${count.toLocaleString('en-US')} steps in all)`;
}
