// The in-memory form of a data set, shared by the parser, the training pool and the UI summary.

/** Images and labels as parsed. Buffers are SharedArrayBuffer-backed so worker threads read them without copying. */
export interface DatasetData {
  /** rows × (width·height) grey levels 0–255, row-major; image i starts at i·width·height. */
  pixels: Uint8Array;
  /** rows class indices 0…classes−1, or null for an unlabeled file (shown, not trained on). */
  labels: Uint8Array | null;
  rows: number;
  width: number;
  height: number;
  /** Number of classes (max label + 1 for labeled data, or as declared). */
  classes: number;
}
