// What a training run is: its configuration (validated by one valibot schema everywhere — UI form, CLI,
// API), the notebook's presets, the state a run can be checkpointed to and resumed from, the metrics it
// reports, and the messages a training task posts while it runs.
import * as v from 'valibot';

export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** 'cross-entropy' (softmax + cross-entropy) or 'squared-error' (softmax + Σ(p − y)², per example). */
export const LOSSES = ['cross-entropy', 'squared-error'] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['gd', 'momentum', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface HiddenLayer {
  units: number;
  activation: Activation;
}

export interface TrainConfig {
  /** Hidden dense layers, input side first; input size and class count come from the data. */
  hidden: HiddenLayer[];
  loss: LossName;
  optimizer: OptimizerName;
  learningRate: number;
  /** Momentum's and Adam's first-moment decay. */
  beta1: number;
  /** RMSprop's and Adam's second-moment decay. */
  beta2: number;
  /** RMSprop's and Adam's ε in the denominator. */
  epsilon: number;
  /** Examples per step, or 'full' for full-batch gradient descent (one step per epoch). */
  batchSize: number | 'full';
  /** How long to train: whole epochs, or a number of steps (iterations). */
  duration: { unit: 'epochs' | 'iterations'; count: number };
  /** Dev set = the first devRows rows of the training data, evaluated after every epoch (0 = none). */
  devRows: number;
  /** Seeds the weight initialisation and the shuffling (two separate streams). */
  seed: number;
}

const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));
const unitInterval = v.pipe(v.number(), v.minValue(0), v.maxValue(0.999999999));

/** The one schema every boundary validates a TrainConfig with. */
export const TrainConfigSchema = v.object({
  hidden: v.pipe(
    v.array(v.object({ units: positiveInt(4096), activation: v.picklist(ACTIVATIONS) })),
    v.maxLength(8, 'at most 8 hidden layers'),
  ),
  loss: v.picklist(LOSSES),
  optimizer: v.picklist(OPTIMIZERS),
  learningRate: v.pipe(v.number(), v.gtValue(0, 'must be above 0'), v.maxValue(100)),
  beta1: unitInterval,
  beta2: unitInterval,
  epsilon: v.pipe(v.number(), v.gtValue(0, 'must be above 0'), v.maxValue(1)),
  batchSize: v.union([positiveInt(1_000_000), v.literal('full')]),
  duration: v.object({ unit: v.picklist(['epochs', 'iterations']), count: positiveInt(10_000_000) }),
  devRows: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)),
  seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
});

// Compile-time check that the schema and the interface agree.
type SchemaOutput = v.InferOutput<typeof TrainConfigSchema>;
const _schemaMatches: [SchemaOutput extends TrainConfig ? true : false, TrainConfig extends SchemaOutput ? true : false] = [true, true];
void _schemaMatches;

/** Validates unknown input; throws an Error naming the first bad field, e.g. "learningRate: …". */
export function parseTrainConfig(input: unknown): TrainConfig {
  const result = v.safeParse(TrainConfigSchema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? 'config';
  throw new TypeError(`invalid training config: ${path}: ${issue.message}`);
}

export const PRESET_NAMES = ['standard', 'notebook-gd', 'notebook-momentum', 'notebook-rmsprop', 'notebook-adam'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  label: string;
  description: string;
  config: TrainConfig;
}

const notebook = (optimizer: OptimizerName, learningRate: number): TrainConfig => ({
  hidden: [{ units: 10, activation: 'relu' }],
  loss: 'cross-entropy',
  optimizer,
  learningRate,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  batchSize: 'full',
  duration: { unit: 'iterations', count: 30 },
  devRows: 1000,
  seed: 1,
});

const notebookText = (what: string) =>
  `The original notebook's experiment done right: 784-10-10 ReLU, full batch, 30 iterations, ${what}.`;

export const PRESETS: Record<PresetName, Preset> = {
  standard: {
    name: 'standard',
    label: 'Standard (784-128-10, Adam, batch 64)',
    description: 'A good first network: one hidden layer of 128 ReLU units, Adam at 1e-3, mini-batches of 64, 5 epochs.',
    config: {
      hidden: [{ units: 128, activation: 'relu' }],
      loss: 'cross-entropy',
      optimizer: 'adam',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      batchSize: 64,
      duration: { unit: 'epochs', count: 5 },
      devRows: 1000,
      seed: 1,
    },
  },
  'notebook-gd': {
    name: 'notebook-gd',
    label: 'Notebook: gradient descent',
    description: notebookText('plain gradient descent at learning rate 0.1'),
    config: notebook('gd', 0.1),
  },
  'notebook-momentum': {
    name: 'notebook-momentum',
    label: 'Notebook: momentum',
    description: notebookText('momentum (β1 = 0.9) at learning rate 0.1'),
    config: notebook('momentum', 0.1),
  },
  'notebook-rmsprop': {
    name: 'notebook-rmsprop',
    label: 'Notebook: RMSprop',
    description: notebookText('RMSprop (β2 = 0.999) at learning rate 0.001'),
    config: notebook('rmsprop', 0.001),
  },
  'notebook-adam': {
    name: 'notebook-adam',
    label: 'Notebook: Adam',
    description: notebookText('Adam (β1 = 0.9, β2 = 0.999, bias-corrected) at learning rate 0.01'),
    config: notebook('adam', 0.01),
  },
};

/** A fresh copy of a preset's config (safe to edit). */
export function presetConfig(name: PresetName): TrainConfig {
  const c = PRESETS[name].config;
  return { ...c, hidden: c.hidden.map((h) => ({ ...h })), duration: { ...c.duration } };
}

/**
 * Everything needed to continue a run exactly where it stopped, as plain data (structured-clone safe):
 * resuming from it gives the same weights, bit for bit, as a run that was never interrupted.
 */
export interface TrainerState {
  version: 1;
  /** Layer widths [input, …hidden, classes]; a state only restores into the same architecture. */
  layerSizes: number[];
  /** All weights and biases, in the layout W1, b1, W2, b2, … (W as [inputs, outputs]). */
  params: Float32Array;
  /** Optimizer moments in the same layout; null when the optimizer keeps none. */
  m: Float32Array | null;
  v: Float32Array | null;
  /** Optimizer steps taken so far (Adam's t). */
  steps: number;
  /** Whole epochs completed. */
  epoch: number;
  /** Steps already taken in the current epoch. */
  stepInEpoch: number;
  /** Shuffle PRNG state at the start of the current epoch (the epoch's order is redrawn from it). */
  shuffleRng: number[];
  /** Running sums for the current epoch's mean training loss. */
  epochLossSum: number;
  epochRows: number;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Examples of this class in the set. */
  support: number;
}

export interface Metrics {
  loss: number;
  accuracy: number;
  rows: number;
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  perClass: ClassMetrics[];
}

/** Posted at most ~20 times a second while training. */
export interface StepMessage {
  type: 'step';
  /** Steps taken in the whole run. */
  step: number;
  totalSteps: number;
  /** Progress in epochs, fractional (2.5 = half-way through the third epoch). */
  epoch: number;
  /** Exponential moving average of the batch loss (bias-corrected). */
  loss: number;
  samplesPerSecond: number;
  /** Seconds left at the current speed, or null before it is known. */
  etaSeconds: number | null;
  /** A run on several threads: true while its first thread trains alone, the others left out because they
   *  made the steps slower (another program keeps a core busy). Absent on 1 thread. */
  onOneThread?: boolean;
}

/** Each dev example's prediction, in dev order (dev example i is row i of the run's arranged data). */
export interface DevPredictions {
  /** predicted[i]: the class the model gives dev example i. */
  predicted: Uint8Array;
  /** confidence[i]: the probability it gives that class. */
  confidence: Float32Array;
}

/** Posted after every epoch (and after a final partial epoch), always. */
export interface EpochMessage {
  type: 'epoch';
  /** 1-based number of the epoch that just ended. */
  epoch: number;
  /** False for the last, partial epoch of a run measured in iterations. */
  complete: boolean;
  /** How far the run had got when this epoch ended, in epochs (as StepMessage.epoch counts): `epoch` for a
   *  complete epoch, the fraction reached for a partial one (epoch 2 cut after 5 of its 15 steps: 1 + 5/15). */
  atEpoch: number;
  /** Steps taken in the whole run when this epoch ended. */
  step: number;
  /** Mean loss over the epoch's batches (before each step's update). */
  trainLoss: number;
  devLoss: number | null;
  devAccuracy: number | null;
  testAccuracy: number | null;
  /** Dev-set confusion (confusion[true][predicted]); empty when there is no dev set. */
  confusion: number[][];
  /** The predictions behind that confusion, or null when there is no dev set. */
  devPredictions: DevPredictions | null;
  /** Wall-clock seconds of this epoch's training steps (evaluation excluded). */
  seconds: number;
  samplesPerSecond: number;
  /** A run on several threads: how many of this epoch's steps its first thread took alone, the others
   *  left out — once early in a run to try it, and while it is clearly faster (another program keeps a
   *  core busy): src/worker/parallel/thread-choice.ts. Absent on 1 thread. */
  stepsOnOneThread?: number;
  /** Checkpoint: resume from here with identical results. */
  state: TrainerState;
}

export type TrainOutcome = 'completed' | 'stopped' | 'diverged';

/** The result of a training task: also posted as the last message. */
export interface TrainResult {
  outcome: TrainOutcome;
  /** Why it ended early, for 'diverged' (e.g. "diverged at epoch 2, step 130 — try a lower learning rate"). */
  error: string | null;
  epoch: number;
  steps: number;
  dev: Metrics | null;
  test: Metrics | null;
  /** Wall-clock seconds of the whole run, evaluation included. */
  seconds: number;
  state: TrainerState;
}

export interface DoneMessage extends TrainResult {
  type: 'done';
}

export type TrainMessage = StepMessage | EpochMessage | DoneMessage;

/** How the training task reads its control flag (an Int32Array on a SharedArrayBuffer, index 0). */
export const CONTROL = { run: 0, pause: 1, stop: 2 } as const;

/** How long a training thread (the pool's, or a run's shard thread) is kept idle for the next run (ms).
 *  A kept thread's compiled code is warm: measured 2026-11-30 (`npm run bench`), a run on 2 threads that
 *  trained before took 0.293 s an epoch against 0.321 on new threads (first epochs 0.39 against 0.46 s; means of its 5 rounds).
 *  Five minutes covers a user studying a run's results before training the next; the idle threads hold
 *  what their last run left them (RSS +53 MB after a standard run on 2 threads, the run's own data included). */
export const TRAINING_THREAD_IDLE_MS = 5 * 60_000;

/** Which kernels the training task uses. */
export type KernelName = 'naive' | 'plain' | 'wasm';

/** How a run on several threads divides each step: by the first layer's input columns, or by the batch's rows. */
export type SplitName = 'inputs' | 'batch';
