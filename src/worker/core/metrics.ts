// The core's metric helpers: the confusion-matrix metrics live in src/shared/metrics.ts (the renderer uses
// them too); argmax picks a row's predicted class.
export { emptyConfusion, perClassMetrics } from '../../shared/metrics';

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
