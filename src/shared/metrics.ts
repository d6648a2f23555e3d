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
