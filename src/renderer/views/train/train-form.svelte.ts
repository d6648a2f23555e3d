// The training form's model: every field of a TrainConfig as the user types it (numbers are null while a
// field is empty), checked by the one valibot schema, with a message per field in plain words.
import * as v from 'valibot';
import {
  PRESET_NAMES,
  PRESETS,
  TrainConfigSchema,
  presetConfig,
  type Activation,
  type HiddenLayer,
  type LossName,
  type OptimizerName,
  type PresetName,
  type TrainConfig,
} from '../../../shared/training';
import { learningRateAfterSwitch } from './learning-rate';

export type DurationUnit = TrainConfig['duration']['unit'];

/** A valibot issue in the words of the form (the field's label is already next to it). */
function issueText(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid')) return issue.message; // the schema's own wording
  const req = issue.requirement;
  const n = typeof req === 'number' ? (req === 0.999999999 ? '1' : req.toLocaleString('en-US')) : '';
  switch (issue.type) {
    case 'number': return 'enter a number';
    // The batch size is a number or 'full' (the Full batch box): an empty field matches neither.
    case 'union': return issue.input === null ? 'enter a number' : issue.message;
    case 'integer': return 'must be a whole number';
    case 'min_value': return `must be at least ${n}`;
    case 'max_value': return req === 0.999999999 ? 'must be below 1' : `must be at most ${n}`;
    case 'gt_value': return `must be above ${n}`;
    case 'picklist': return 'choose one of the options';
    default: return issue.message;
  }
}

/** The hyper-parameter form: numbers are null while a field is empty; `config` is set only when valid. */
export class TrainForm {
  hidden = $state<HiddenLayer[]>([]);
  loss = $state<LossName>('cross-entropy');
  optimizer = $state<OptimizerName>('adam');
  learningRate = $state<number | null>(null);
  beta1 = $state<number | null>(null);
  beta2 = $state<number | null>(null);
  epsilon = $state<number | null>(null);
  fullBatch = $state(false);
  batchSize = $state<number | null>(64);
  durationUnit = $state<DurationUnit>('epochs');
  durationCount = $state<number | null>(null);
  seed = $state<number | null>(null);
  /** Dev-set size as typed; written through to the data set's split (the service reads it from there). */
  devRows = $state<number | null>(1000);
  /** Name of the data set a reused run trained on while it is not loaded (shown next to the data set). */
  missingDataset = $state<string | null>(null);

  constructor() {
    this.fill(presetConfig('standard'));
  }

  /** What the form holds, TrainConfig-shaped (plain data, may be invalid). */
  readonly draft = $derived({
    hidden: $state.snapshot(this.hidden),
    loss: this.loss,
    optimizer: this.optimizer,
    learningRate: this.learningRate,
    beta1: this.beta1,
    beta2: this.beta2,
    epsilon: this.epsilon,
    batchSize: this.fullBatch ? 'full' : this.batchSize,
    duration: { unit: this.durationUnit, count: this.durationCount },
    devRows: this.devRows,
    seed: this.seed,
  });

  readonly #parsed = $derived(v.safeParse(TrainConfigSchema, this.draft));
  /** Message per field, keyed by dot path: "learningRate", "hidden.0.units", "duration.count", … */
  readonly issues: Readonly<Record<string, string>> = $derived.by(() => {
    const out: Record<string, string> = {};
    if (!this.#parsed.success) {
      for (const issue of this.#parsed.issues) {
        const path = v.getDotPath(issue) ?? 'config';
        out[path] ??= issueText(issue);
      }
    }
    return out;
  });
  readonly config: TrainConfig | null = $derived(this.#parsed.success ? this.#parsed.output : null);

  /** The preset the form equals (dev size aside), or 'custom'. */
  readonly preset: PresetName | 'custom' = $derived.by(() => {
    const key = (c: unknown) => JSON.stringify({ ...(c as object), devRows: 0 });
    const mine = key(this.draft);
    return PRESET_NAMES.find((name) => key(PRESETS[name].config) === mine) ?? 'custom';
  });

  /** Fills every field from a config (a preset's, or a run's to train it again); the dev size stays. */
  fill(config: TrainConfig): void {
    this.hidden = config.hidden.map((h) => ({ ...h }));
    this.loss = config.loss;
    this.optimizer = config.optimizer;
    this.learningRate = config.learningRate;
    this.beta1 = config.beta1;
    this.beta2 = config.beta2;
    this.epsilon = config.epsilon;
    this.fullBatch = config.batchSize === 'full';
    if (config.batchSize !== 'full') this.batchSize = config.batchSize;
    this.durationUnit = config.duration.unit;
    this.durationCount = config.duration.count;
    this.seed = config.seed;
  }

  /** Another optimizer; a learning rate left at the old one's preset value becomes the new one's default. */
  setOptimizer(optimizer: OptimizerName): void {
    this.learningRate = learningRateAfterSwitch(this.learningRate, this.optimizer, optimizer);
    this.optimizer = optimizer;
  }

  addLayer(): void {
    const last = this.hidden.at(-1);
    this.hidden.push({ units: last?.units ?? 64, activation: (last?.activation ?? 'relu') as Activation });
  }

  removeLayer(index: number): void {
    this.hidden.splice(index, 1);
  }
}

/** The notebook's learning rate and moment settings for each optimizer (used by "compare optimizers"). */
export function notebookOptimizerSettings(optimizer: OptimizerName): Pick<TrainConfig, 'optimizer' | 'learningRate' | 'beta1' | 'beta2' | 'epsilon'> {
  const c = PRESETS[`notebook-${optimizer}`].config;
  return { optimizer, learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon };
}
