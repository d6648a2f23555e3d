// `npm run cli -- train [FILE]`: trains a network on a labelled CSV/IDX file (or the built-in MNIST sample)
// in a worker thread, with the same core and task the app uses. Human output: a progress bar per epoch
// and one line per epoch; --json: one JSON object per line and nothing else on stdout.
import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { makeFolder } from '../../main/make-folder';
import {
  ACTIVATIONS, CONTROL, type Activation, type KernelName, OPTIMIZERS, type OptimizerName, parseTrainConfig, PRESET_NAMES, type PresetName, type SplitName,
  presetConfig, type TrainConfig, type TrainMessage, type TrainResult,
} from '../../shared/training';
import { decimal, formatOptions, numberOption, parseArgs, type ParsedArgs, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { fileErrorText } from '../../shared/file-error';
import { defaultClassNames } from '../../shared/datasets';
import type { ModelFormat } from '../../shared/model-file';
import { cliModelSource } from './train-model';
import { writeFileAtomic } from '../../main/runs/atomic-file';
import { modelFile } from '../../main/runs/model-export';
import { formatDone, formatEpoch, jsonDone, jsonEpoch, ProgressBar } from './train-output';
import { checkFits, checkOutFile, checkResumedData, InputError, type InputFile, loadInput, missingTestNotice, type ResumedData, resumedRun, skippedNotice } from './train-input';
import { fileDataset, type ManagedRun, managedRunner, type TaskRunner } from './train-runner';
import { preferredKernels } from '../../worker/task';
import { wasmTrainingProblem } from '../../worker/run-memory';
import { plannedSteps } from '../../worker/core/sizing';
import type { RunDataset, RunSummary } from '../../shared/api/runs';
import { defaultDataDir } from '../../main/data-dir';

const optionSpecs = {
  test: { kind: 'string', value: 'FILE', help: 'a labelled test file, evaluated after every epoch (the run records it: --resume takes it again)' },
  'skip-bad-rows': { kind: 'boolean', help: 'leave out rows with problems in FILE and --test (a note lists their lines) instead of stopping at them' },
  preset: { kind: 'string', value: 'NAME', help: `start from a preset: ${PRESET_NAMES.join(', ')} (default standard)` },
  hidden: { kind: 'string', value: 'N,N…', help: "hidden layer sizes, e.g. 128,64 ('none' for no hidden layer)" },
  activation: { kind: 'string', value: 'NAME', help: `${ACTIVATIONS.join('|')}, one for all hidden layers or one per layer (relu,tanh)` },
  loss: { kind: 'string', value: 'ce|mse', help: 'cross-entropy (ce) or squared error (mse), both after a softmax' },
  optimizer: { kind: 'string', value: 'NAME', help: OPTIMIZERS.join('|') },
  lr: { kind: 'string', value: 'X', help: 'learning rate' },
  beta1: { kind: 'string', value: 'X', help: "momentum's and Adam's β1" },
  beta2: { kind: 'string', value: 'X', help: "RMSprop's and Adam's β2" },
  eps: { kind: 'string', value: 'X', help: "RMSprop's and Adam's ε" },
  batch: { kind: 'string', value: 'N|full', help: 'examples per step, or full for full-batch gradient descent' },
  epochs: { kind: 'string', value: 'N', help: 'train for N epochs' },
  iterations: { kind: 'string', value: 'N', help: 'train for N steps instead' },
  dev: { kind: 'string', value: 'N', help: 'dev set = the first N rows of FILE (default 1000, or a tenth of a smaller file; 0 = none)' },
  seed: { kind: 'string', value: 'N', help: 'seed of the weight initialisation and shuffling' },
  kernels: { kind: 'string', value: 'NAME', help: 'wasm (WebAssembly SIMD; the default where available), plain (TypeScript) or naive (the slow reference)' },
  threads: { kind: 'string', value: 'N', help: `train this one run on N threads, each taking part of every step (1–${availableParallelism()}, default 1)` },
  split: { kind: 'string', value: 'HOW', help: "with --threads: inputs (each thread a block of the first layer's input columns; the default where that layer does most of the work) or batch (each thread part of every batch)" },
  out: { kind: 'string', value: 'FILE', help: 'save the trained model: FILE.json (MLP Studio\'s model file, which predict and the app read), FILE.npz or FILE.onnx' },
  resume: { kind: 'string', value: 'RUN_ID', help: 'continue a stopped or interrupted run from its last checkpoint (give the same FILE, and the same --test FILE to go on measuring it)' },
  'data-dir': { kind: 'string', value: 'DIR', help: 'where runs and checkpoints are kept (default: the app data folder, shared with the app)' },
  json: { kind: 'boolean', help: 'one JSON object per line on stdout, nothing else' },
} as const;

const LOSS_NAMES: Record<string, TrainConfig['loss']> = { ce: 'cross-entropy', 'cross-entropy': 'cross-entropy', mse: 'squared-error', 'squared-error': 'squared-error' };

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** β1 or β2: from 0 up to, not including, 1 (at most 0.999999999, the shared schema's bound). */
function decayOption(args: ParsedArgs, name: string): number | undefined {
  const value = numberOption(args, name, { min: 0 });
  if (value !== undefined && value > 0.999999999) throw new UsageError(`--${name} must be below 1 (at most 0.999999999), got ${args.options.get(name)}`);
  return value;
}

/** The run's configuration: the preset, then each option given on top of it, validated by the shared schema. */

export function configFromArgs(args: ParsedArgs): TrainConfig {
  const o = args.options;
  const config = presetConfig(oneOf<PresetName>('preset', o.get('preset') ?? 'standard', PRESET_NAMES));
  const hiddenText = o.get('hidden');
  if (hiddenText !== undefined) {
    const units = hiddenText === 'none' ? [] : hiddenText.split(',').map((s) => decimal(s.trim()));
    if (units.some((u) => !Number.isInteger(u) || u < 1)) throw new UsageError(`--hidden expects layer sizes like 128,64, got '${hiddenText}'`);
    // The schema's bounds, in the option's words (they read "hidden.0.units: Invalid value: Expected <=4096 …").
    if (units.length > 8) throw new UsageError(`--hidden allows at most 8 hidden layers, got ${units.length}`);
    const big = units.find((u) => u > 4096);
    if (big !== undefined) throw new UsageError(`--hidden layer sizes must be at most 4096, got ${big}`);
    const keep: Activation = config.hidden[0]?.activation ?? 'relu';
    config.hidden = units.map((u) => ({ units: u, activation: keep }));
  }
  const act = o.get('activation');
  if (act !== undefined) {
    const names = act.split(',').map((s) => oneOf<Activation>('activation', s.trim(), ACTIVATIONS));
    if (names.length !== 1 && names.length !== config.hidden.length) {
      throw new UsageError(`--activation lists ${names.length} activations for ${config.hidden.length} hidden layers`);
    }
    config.hidden.forEach((h, i) => (h.activation = names[names.length === 1 ? 0 : i]));
  }
  const loss = o.get('loss');
  if (loss !== undefined) config.loss = LOSS_NAMES[loss] ?? oneOf('loss', loss, ['ce', 'mse']);
  const optimizer = o.get('optimizer');
  if (optimizer !== undefined) config.optimizer = oneOf<OptimizerName>('optimizer', optimizer, OPTIMIZERS);
  config.learningRate = numberOption(args, 'lr', { above: 0, max: 100 }) ?? config.learningRate; // the schema's bounds, in the option's words
  config.beta1 = decayOption(args, 'beta1') ?? config.beta1;
  config.beta2 = decayOption(args, 'beta2') ?? config.beta2;
  config.epsilon = numberOption(args, 'eps', { above: 0, max: 1 }) ?? config.epsilon;
  const batch = o.get('batch');
  if (batch !== undefined) config.batchSize = batch === 'full' ? 'full' : numberOption(args, 'batch', { min: 1, max: 1_000_000, integer: true })!;
  if (o.has('epochs') && o.has('iterations')) throw new UsageError('give --epochs or --iterations, not both');
  const epochs = numberOption(args, 'epochs', { min: 1, max: 10_000_000, integer: true });
  if (epochs !== undefined) config.duration = { unit: 'epochs', count: epochs };
  const iterations = numberOption(args, 'iterations', { min: 1, max: 10_000_000, integer: true });
  if (iterations !== undefined) config.duration = { unit: 'iterations', count: iterations };
  config.devRows = numberOption(args, 'dev', { min: 0, max: 10_000_000, integer: true }) ?? config.devRows;
  config.seed = numberOption(args, 'seed', { min: 0, max: 0xffffffff, integer: true }) ?? config.seed;
  try {
    return parseTrainConfig(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function runTrain(argv: string[], io: CliIO, runnerFor: (options: ManagedRun) => TaskRunner = managedRunner): Promise<number> {
  const args = parseArgs(argv, optionSpecs);
  if (args.positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
  const dataDir = resolve(args.options.get('data-dir') ?? defaultDataDir());
  const resumeId = args.options.get('resume') ?? null;
  let resumed: RunSummary | null = null;
  try {
    resumed = resumeId ? await resumedRun(args, dataDir, resumeId) : null;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  const config = resumed ? parseTrainConfig(resumed.config) : configFromArgs(args);
  const kernels = oneOf<KernelName>('kernels', args.options.get('kernels') ?? preferredKernels(), ['wasm', 'plain', 'naive']);
  const threads = numberOption(args, 'threads', { min: 1, max: availableParallelism(), integer: true }) ?? 1;
  const splitText = args.options.get('split');
  const split = splitText === undefined ? undefined : oneOf<SplitName>('split', splitText, ['inputs', 'batch']);
  if (split !== undefined && threads < 2) throw new UsageError('--split says how a run is divided between threads: give it with --threads 2 or more');
  const json = args.options.has('json');
  let train: InputFile;
  let test: InputFile | null = null;
  let dataset: RunDataset;
  let missingTest: ResumedData['missingTest'] = null;
  try {
    const skipBadRows = args.options.has('skip-bad-rows');
    train = await loadInput(args.positionals[0] ?? null, 'training', skipBadRows);
    // Without --dev, a small file keeps a tenth of its rows for dev, as the app's default split does (load.ts).
    if (!resumed && !args.options.has('dev')) config.devRows = Math.min(config.devRows, Math.floor(train.data.rows / 10));
    const testPath = args.options.get('test');
    if (testPath !== undefined) test = await loadInput(testPath, 'test', skipBadRows);
    // A resumed run on other data is said first: its settings (its dev rows) say little of a file it did not train on.
    const checked = resumed ? await checkResumedData(resumed, train, test, config.devRows) : null;
    checkFits(config, train, test);
    const tooLarge = kernels === 'wasm' ? wasmTrainingProblem(config, { rows: train.data.rows, inputSize: train.data.width * train.data.height, classes: train.data.classes }, threads) : null;
    if (tooLarge) throw new InputError(tooLarge);
    await checkWritable(dataDir, args.options.get('out'), [args.positionals[0], testPath]);
    missingTest = checked?.missingTest ?? null;
    dataset = checked?.dataset ?? (await fileDataset(train.data, config.devRows, test));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }

  const { trainRows, batchSize: batch, stepsPerEpoch } = plannedSteps(config, train.data.rows);
  const totalEpochs = config.duration.unit === 'epochs' ? config.duration.count : Math.ceil(config.duration.count / stepsPerEpoch);
  const say = (line: string) => (json ? io.stderr(line) : io.stdout(line));
  for (const file of [train, test]) {
    const notice = file && skippedNotice(file);
    if (notice) say(`note: ${notice}\n`);
  }
  if (!json) {
    const layers = [train.data.width * train.data.height, ...config.hidden.map((h) => `${h.units} ${h.activation}`), train.data.classes].join(' → ');
    io.stdout(`training ${layers} on ${train.name}: ${trainRows} rows (dev ${config.devRows}${test ? `, test ${test.data.rows} from ${test.name}` : ''}), ${config.optimizer} lr ${config.learningRate}, batch ${batch}, ${totalEpochs} epoch${totalEpochs === 1 ? '' : 's'}\n`);
  }

  const control = new Int32Array(new SharedArrayBuffer(4));
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    Atomics.store(control, 0, CONTROL.stop);
    Atomics.notify(control, 0); // wakes the managed runner's wait for it
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGHUP', onInterrupt); // a closed terminal: stopped and saved as Ctrl-C does, not lost mid-epoch
  const bar = !json && io.isTTY ? new ProgressBar(io, totalEpochs) : null;
  // The model file's best dev accuracy: over this command's epochs and, for --resume, the run's before them; the run's own
  // figure when the run manager reports it (onEnded: the epochs a crash rolled back are not in it).
  let bestDevAccuracy = resumed?.bestDevAccuracy ?? null;
  const onMessage = (m: TrainMessage) => {
    if (m.type === 'step') bar?.update(m);
    else if (m.type === 'epoch') {
      if (m.devAccuracy !== null) bestDevAccuracy = Math.max(bestDevAccuracy ?? 0, m.devAccuracy);
      bar?.clear();
      io.stdout((json ? JSON.stringify(jsonEpoch(m)) : formatEpoch(m, totalEpochs)) + '\n');
    }
  };
  let endNotice: string | null = null;
  const runner = runnerFor({
    dataDir,
    datasetName: train.name,
    resumeId,
    dataset,
    ...(resumed && missingTest ? { continueNotice: (state) => missingTestNotice(resumed, missingTest, state) } : {}),
    onRunId: (id, notice) => {
      say(`${resumeId ? 'continuing' : 'run'} ${id} — checkpoints in ${join(dataDir, 'runs', id)}; after a stop, continue with --resume ${id}\n`);
      if (notice) say(`note: ${notice}\n`);
    },
    onEndNotice: (notice) => (endNotice = notice),
    onEnded: (run) => (bestDevAccuracy = run.bestDevAccuracy), // the run's own figure, after any rollback
  });
  let result: TrainResult;
  try {
    result = await runner({ config, train: train.data, test: test?.data ?? null, control, kernels, ...(threads > 1 ? { threads } : {}), ...(split ? { split } : {}) }, onMessage);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGHUP', onInterrupt);
    bar?.clear();
  }
  io.stdout((json ? JSON.stringify(jsonDone(result)) : formatDone(result, stepsPerEpoch, defaultClassNames(train.data.classes, train.name))) + '\n');
  if (endNotice) say(`note: ${endNotice}\n`);
  if (result.outcome === 'diverged') {
    io.stderr(`error: ${result.error}\n`);
    return 1;
  }
  const out = args.options.get('out');
  if (out !== undefined) {
    try {
      await writeFileAtomic(out, modelFile(cliModelSource(config, train, result, stepsPerEpoch, bestDevAccuracy), modelFormatOf(out)).data);
    } catch (error) {
      const text = fileErrorText(error, out, 'model file', 'write');
      if (!text) throw error;
      io.stderr(`error: ${text}\n`);
      return 2;
    }
    if (!json) io.stdout(`model saved to ${out}\n`);
  }
  // Stopped by Ctrl-C: the result is reported and kept, but the command did not finish what it was asked, so
  // `train … && next` does not go on (128 + SIGINT, as shells report a command ended by Ctrl-C).
  return interrupted && result.outcome === 'stopped' ? EXIT_INTERRUPTED : 0;
}

/** The model file --out writes, by its extension: .npz (NumPy), .onnx, else (.json, or none) MLP Studio's .json. */
function modelFormatOf(out: string): ModelFormat {
  const extension = extname(out).toLowerCase();
  return extension === '.npz' ? 'npz' : extension === '.onnx' ? 'onnx' : 'json';
}

/** --out names its format by its extension: another one (m.txt) is refused before training, not written as .json. */
function checkModelExtension(out: string): void {
  const extension = extname(out).toLowerCase();
  if (!['', '.json', '.npz', '.onnx'].includes(extension)) throw new InputError(`--out ${out}: a model file is .json, .npz or .onnx (its extension names the format), not ${extension}`);
}

/** The exit code after a Ctrl-C stop. */
export const EXIT_INTERRUPTED = 130;

/** Before training: the data folder can hold the run's checkpoints (else every epoch's save failed, the run went on
 *  with none, and --resume had nothing to continue), and --out names a file in an existing folder. */
async function checkWritable(dataDir: string, out: string | undefined, inputs: readonly (string | undefined)[]): Promise<void> {
  try {
    await makeFolder(join(dataDir, 'runs'));
  } catch (error) {
    throw new InputError(fileErrorText(error, dataDir, 'data folder', 'use') ?? `cannot use data folder ${dataDir}: ${(error as Error).message}`);
  }
  if (out !== undefined) {
    await checkOutFile(out, 'model file', inputs);
    checkModelExtension(out);
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a network on a labelled CSV or IDX file (or the built-in MNIST sample)',
  help: () =>
    [
      'Usage: npm run cli -- train [FILE] [options]',
      '',
      'Trains a multilayer perceptron on FILE (label-first CSV, with or without a header, or IDX), or on the',
      'built-in MNIST sample when FILE is left out. The first --dev rows are the dev set. Ctrl-C stops after',
      'the current step and still reports the result. Runs go through the app\'s run manager: a checkpoint',
      'after every epoch in the data folder, so a stopped or interrupted run continues with --resume RUN_ID.',
      '',
      formatOptions(optionSpecs),
    ].join('\n'),
  run: (argv, io) => runTrain(argv, io),
};
