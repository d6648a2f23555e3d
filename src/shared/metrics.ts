// Classification metrics from a confusion matrix (confusion[true][predicted] = count), and the class a row of
// probabilities predicts. Shared: the core computes them after every epoch, the renderer's Evaluate view from a
// run's matrix, the services and the CLI from a run's predictions.
import type { ClassMetrics } from './training';

export function emptyConfusion(classes: number): number[][] {
  return Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
}

/**
 * Per class: precision = TP / predicted as the class, recall = TP / truly the class,
 * F1 = 2PR / (P + R); each is 0 where its denominator is 0 (no such predictions or examples).
 */
export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  const K = confusion.length;
  return confusion.map((row, k) => {
    const tp = row[k];
    let predicted = 0;
    for (let t = 0; t < K; t++) predicted += confusion[t][k];
    const support = row.reduce((a, b) => a + b, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** Index of the largest of row[start…start+K) (the first one on ties). */
export function argmax(row: Float32Array, start: number, K: number): number {
  let best = 0;
  let bestValue = row[start];
  for (let k = 1; k < K; k++) {
    if (row[start + k] > bestValue) {
      bestValue = row[start + k];
      best = k;
    }
  }
  return best;
}

/** Whether row[start … start+K) are all numbers: a model whose outputs overflow float32 gives NaN probabilities
 *  (Inf − Inf in its softmax), which argmax would call class 0. */
export function isAnswer(row: Float32Array, start: number, K: number): boolean {
  for (let k = 0; k < K; k++) if (Number.isNaN(row[start + k])) return false;
  return true;
}

/** One kind of mistake: examples of class `truth` predicted as `predicted`. */
export interface Mistake {
  truth: number;
  predicted: number;
  count: number;
  /** count ÷ the examples of `truth`. */
  shareOfTruth: number;
}

/** Every non-zero cell of confusion[true][predicted] off the diagonal, most examples first; equal counts, the larger
 *  share of its true class first (1 of 2 is a worse mistake than 1 of 40), then by true, then predicted class, so
 *  the order means something and stays the same from one epoch to the next. Evaluate and the CLI's predict list them. */
export function mistakesOf(confusion: number[][]): Mistake[] {
  const mistakes: Mistake[] = [];
  confusion.forEach((row, t) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (p !== t && count > 0) mistakes.push({ truth: t, predicted: p, count, shareOfTruth: count / rowTotal });
    });
  });
  return mistakes.sort((a, b) => b.count - a.count || b.shareOfTruth - a.shareOfTruth || a.truth - b.truth || a.predicted - b.predicted);
}
