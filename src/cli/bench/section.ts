// One part of `npm run bench` (training speed, parsing speed, …). Each section measures itself and the
// NumPy reference in the same run and returns rows for the table and for --json.

export interface BenchOptions {
  /** Folder holding fashion_train.csv etc. (--data, or $MLP_DATA, default .data). */
  dataDir: string;
  /** Print progress lines to stderr as the bench goes. */
  log: (line: string) => void;
  /** Interleaved rounds of ours and the reference, where a section repeats them (--rounds). */
  rounds?: number;
  /** Epochs of each training run in a round (--epochs). */
  epochs?: number;
}

export interface BenchRow {
  /** What was measured, e.g. "epoch (784-128-10, Adam, batch 64)". */
  name: string;
  /** Our figure and its unit. */
  ours: number;
  unit: string;
  /** The NumPy reference's figure in the same unit, or null when python3/numpy is missing. */
  numpy: number | null;
  /** ours / numpy, or null. */
  ratio: number | null;
  /** Speed in GFLOP/s where the row is a whole training epoch (its GEMMs' work / its time), ours and NumPy's. */
  gflops?: { ours: number; numpy: number | null };
  /** Extra facts (accuracy, memory, …). */
  notes?: Record<string, number | string>;
}

export interface BenchSection {
  name: string;
  run: (options: BenchOptions) => Promise<BenchRow[]>;
}
