// The `train` command with the task run in-process (the Piscina path is the same task in a thread):
// options → config, --json output, human output, and exit code 2 with one line for bad input.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, presetConfig, type TrainConfig } from '../../shared/training';
import trainTask from '../../worker/task';
import { Rng } from '../../worker/core/rng';
import { parseArgs, UsageError } from '../args';
import { configFromArgs, EXIT_INTERRUPTED, runTrain } from './train';
import { listenUntilDone } from '../../main/runs/pool';
import { managedRunner, type TaskRunner } from './train-runner';
import { buildWorkerForTests } from '../../main/runs/test-support';
import { readDataset } from '../../main/datasets/read';
import { dataFingerprint } from '../../main/datasets/fingerprint';
import { processesFolder, type RunOwner, STALE_MS } from '../../main/runs/process-presence';
import { newSummary, type RunDataset, type RunSummary } from '../../shared/api/runs';

const inProcess: TaskRunner = async (request, onMessage) => {
  const { port1, port2 } = new MessageChannel();
  const listener = listenUntilDone(port2, onMessage);
  try {
    const result = await trainTask({ ...request, port: port1 });
    await listener.waitForDone();
    return result;
  } finally {
    listener.close();
  }
};

/** A label-first CSV with a header: 4×4 images, class k lights up row k. */
function csv(rows: number, seed: number, classes = 3): string {
  const rng = new Rng(seed);
  const header = ['label', ...Array.from({ length: 16 }, (_, i) => `px${i}`)].join(',');
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    const k = rng.below(classes);
    lines.push([k, ...Array.from({ length: 16 }, (_, i) => Math.floor(rng.uniform() * 60) + (Math.floor(i / 4) === k ? 180 : 0))].join(','));
  }
  return lines.join('\n') + '\n';
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'train-cli-'));
  writeFileSync(join(dir, 'train.csv'), csv(400, 1));
  writeFileSync(join(dir, 'test.csv'), csv(100, 2));
  writeFileSync(join(dir, 'same-test.csv'), csv(100, 2));
  writeFileSync(join(dir, 'other-test.csv'), csv(100, 3));
  writeFileSync(join(dir, 'wide-test.csv'), 'label,a,b,c,d\n1,0,0,0,0\n');
  writeFileSync(join(dir, 'bad.csv'), 'label,a,b,c,d\n1,0,0,x,0\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runTrain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false }, () => inProcess).catch((error: unknown) => {
    if (error instanceof UsageError) return { usage: error.message };
    throw error;
  });
  return { code, stdout, stderr };
}

const base = ['--hidden', '8', '--activation', 'tanh', '--lr', '0.01', '--batch', '16', '--dev', '50'];

describe('train command', () => {
  it('maps options onto the preset and validates them', () => {
    const args = (...a: string[]) => configFromArgs(parseArgs(a, {
      preset: { kind: 'string', help: '' }, hidden: { kind: 'string', help: '' }, activation: { kind: 'string', help: '' }, loss: { kind: 'string', help: '' },
      optimizer: { kind: 'string', help: '' }, lr: { kind: 'string', help: '' }, beta1: { kind: 'string', help: '' }, beta2: { kind: 'string', help: '' },
      eps: { kind: 'string', help: '' }, batch: { kind: 'string', help: '' }, epochs: { kind: 'string', help: '' }, iterations: { kind: 'string', help: '' },
      dev: { kind: 'string', help: '' }, seed: { kind: 'string', help: '' },
    }));
    expect(args()).toEqual(presetConfig('standard'));
    expect(args('--preset', 'notebook-rmsprop')).toEqual(presetConfig('notebook-rmsprop'));
    const c = args('--hidden', '128,64', '--activation', 'relu,sigmoid', '--loss', 'mse', '--optimizer', 'momentum', '--lr', '0.05', '--beta1', '0.8', '--batch', 'full', '--iterations', '7', '--dev', '0', '--seed', '9');
    expect(c).toMatchObject({
      hidden: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'sigmoid' }],
      loss: 'squared-error', optimizer: 'momentum', learningRate: 0.05, beta1: 0.8, batchSize: 'full',
      duration: { unit: 'iterations', count: 7 }, devRows: 0, seed: 9,
    });
    expect(args('--hidden', 'none').hidden).toEqual([]);
    expect(() => args('--preset', 'fast')).toThrow("--preset must be one of standard, notebook-gd, notebook-momentum, notebook-rmsprop, notebook-adam, got 'fast'");
    expect(() => args('--hidden', '128,x')).toThrow("--hidden expects layer sizes like 128,64, got '128,x'");
    expect(() => args('--hidden', '0x10')).toThrow("--hidden expects layer sizes like 128,64, got '0x10'");
    expect(args('--hidden', '32, 16').hidden.map((h) => h.units)).toEqual([32, 16]);
    expect(() => args('--hidden', '8,8', '--activation', 'relu,tanh,relu')).toThrow('--activation lists 3 activations for 2 hidden layers');
    expect(() => args('--epochs', '2', '--iterations', '3')).toThrow('give --epochs or --iterations, not both');
    expect(() => args('--lr', '0')).toThrow('--lr must be above 0, got 0');
    expect(() => args('--eps', '-1e-8')).toThrow('--eps must be above 0, got -1e-8');
    expect(() => args('--beta2', '1')).toThrow('--beta2 must be below 1 (at most 0.999999999), got 1');
    expect(() => args('--beta1', '0.9999999995')).toThrow('--beta1 must be below 1 (at most 0.999999999), got 0.9999999995');
    expect(args('--beta2', '0.999999999').beta2).toBe(0.999999999);
    expect(() => args('--batch', 'some')).toThrow("--batch expects a number, got 'some'");
  });

  it('--json prints one object per line: the epochs, then done', async () => {
    const { code, stdout, stderr } = await cli(join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), ...base, '--epochs', '3', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['epoch', 'epoch', 'epoch', 'done']);
    expect(Object.keys(lines[0])).toEqual(['type', 'epoch', 'trainLoss', 'devLoss', 'devAccuracy', 'testAccuracy', 'seconds', 'samplesPerSecond']);
    expect(lines[2]).toMatchObject({ epoch: 3, testAccuracy: expect.any(Number) });
    const done = lines[3] as { devAccuracy: number; testAccuracy: number; confusion: number[][]; seconds: number; outcome: string };
    expect(done.outcome).toBe('completed');
    expect(done.testAccuracy).toBeGreaterThan(0.9);
    expect(done.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100); // the test set's
  });

  it('prints one line per epoch and a summary, and saves the model', async () => {
    const out = join(dir, 'model.json');
    const { code, stdout } = await cli(join(dir, 'train.csv'), ...base, '--iterations', '30', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^training 16 → 8 tanh → 3 on train\.csv: 350 rows \(dev 50\), adam lr 0\.01, batch 16, 2 epochs\n/);
    expect(stdout).toMatch(/\nepoch 1\/2 {2}train loss \d\.\d{4} {2}dev loss \d\.\d{4} {2}dev acc \d+\.\d\d% {2}[\d,]+ samples\/s {2}\d/);
    expect(stdout).toMatch(/\nepoch 2\/2 \(partial\) {2}train loss/);
    expect(stdout).toMatch(/\ndone after 30 steps \(1 epoch and 8 steps of epoch 2\) in .* — dev accuracy \d+\.\d\d%\n/);
    // The app's native model file (src/shared/model-file.ts), as the Models view exports it.
    const model = JSON.parse(readFileSync(out, 'utf8'));
    expect(model).toMatchObject({
      format: 'mlp-studio-model',
      version: 1,
      name: 'train.csv: adam 0.01 · 8 tanh',
      input: { width: 4, height: 4, scale: 1 / 255 },
      layers: [{ inputs: 16, outputs: 8, activation: 'tanh' }, { inputs: 8, outputs: 3, activation: 'softmax' }],
      labels: ['0', '1', '2'],
      training: { steps: 30, dataset: 'train.csv' },
    });
    expect(model.training.epochs).toBeCloseTo(30 / 22, 2); // 350 rows: 22 steps of 16 an epoch
    expect(model.metrics.devAccuracy).toBeGreaterThan(0);
    expect(Buffer.from(model.weights.base64, 'base64').length).toBe(4 * (16 * 8 + 8 + 8 * 3 + 3));
  });

  it("writes the run's best dev accuracy into the model file, as the Models view does (it wrote null)", async () => {
    const out = join(dir, 'best.json');
    const { code, stdout } = await cli(join(dir, 'train.csv'), ...base, '--epochs', '4', '--json', '--out', out);
    expect(code).toBe(0);
    const epochs = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; devAccuracy: number }).filter((l) => l.type === 'epoch');
    const { metrics } = JSON.parse(readFileSync(out, 'utf8'));
    expect(metrics.bestDevAccuracy).toBe(Math.max(...epochs.map((e) => e.devAccuracy)));
    expect(metrics.devAccuracy).toBe(epochs[3].devAccuracy);
  });

  it('--out FILE.npz or FILE.onnx writes that format (the Models view\'s exports), not JSON under its name', async () => {
    for (const [name, magic] of [['model.npz', 'PK'], ['model.onnx', '\x08']] as const) {
      const out = join(dir, name);
      expect((await cli(join(dir, 'train.csv'), ...base, '--iterations', '3', '--out', out)).code).toBe(0);
      expect(readFileSync(out).subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
  });

  it('exits 2 with one line for files it cannot use', async () => {
    const missing = await cli(join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: cannot read training file ${join(dir, 'nope.csv')}: no such file\n`);
    expect(await cli(dir)).toMatchObject({ code: 2, stderr: `error: cannot read training file ${dir}: it is a folder, not a file\n` });
    // A data folder or --out that cannot be written: before training, not after it (or never, for checkpoints)
    const file = join(dir, 'train.csv');
    expect(await cli(file, ...base, '--iterations', '2', '--data-dir', join(file, 'data'))).toMatchObject({
      code: 2, stdout: '', stderr: `error: cannot use data folder ${join(file, 'data')}: a part of its path is a file, not a folder\n`,
    });
    expect(await cli(file, ...base, '--iterations', '2', '--data-dir', dir, '--out', join(dir, 'none', 'model.json'))).toMatchObject({
      code: 2, stdout: '', stderr: `error: cannot write model file ${join(dir, 'none', 'model.json')}: there is no folder ${join(dir, 'none')}\n`,
    });
    expect(await cli(file, ...base, '--iterations', '2', '--data-dir', dir, '--out', join(dir, 'm.txt'))).toMatchObject({
      code: 2, stdout: '', stderr: `error: --out ${join(dir, 'm.txt')}: a model file is .json, .npz or .onnx (its extension names the format), not .txt\n`,
    });
    expect(existsSync(join(dir, 'm.txt'))).toBe(false);
    expect(await cli(file, ...base, '--iterations', '2', '--data-dir', dir, '--out', dir)).toMatchObject({
      code: 2, stdout: '', stderr: `error: cannot write model file ${dir}: it is a folder, not a file\n`,
    });
    // --out naming the file it trains on (also by another spelling of its path) or its --test: refused, the file kept.
    const before = readFileSync(file);
    expect(await cli(file, ...base, '--iterations', '2', '--data-dir', dir, '--out', join(dir, '.', 'train.csv'))).toMatchObject({
      code: 2, stdout: '', stderr: `error: --out ${join(dir, '.', 'train.csv')} is ${file}, which this command reads: writing the model file there would replace it; give another name\n`,
    });
    expect((await cli(file, ...base, '--iterations', '2', '--data-dir', dir, '--test', join(dir, 'test.csv'), '--out', join(dir, 'test.csv'))).stderr).toMatch(/^error: --out .*test\.csv is .*test\.csv, which this command reads/);
    expect(readFileSync(file).equals(before)).toBe(true);
    // A network too large for a run's memory: said before the run starts, not by its thread.
    const bigImages = join(dir, 'big-images.csv');
    writeFileSync(bigImages, [0, 1, 0].map((label) => `${label}${',7'.repeat(257 * 257)}`).join('\n'));
    const huge = await cli(bigImages, '--hidden', '4096', '--iterations', '1', '--dev', '0', '--data-dir', dir);
    expect(huge).toMatchObject({ code: 2, stdout: '' });
    expect(huge.stderr).toMatch(/^error: a 66,049-4,096-2 network needs 4\.\d GB to train, and a run holds at most 4\.2 GB .* \(these have 66,049 pixels\)\n$/);
    const bad = await cli(join(dir, 'bad.csv'), '--dev', '0');
    expect(bad.code).toBe(2);
    // the file named once, by the path given, as a compiler names it (it read "cannot read training file …/bad.csv: bad.csv:2:4: …")
    expect(bad.stderr).toBe(`error: training file ${join(dir, 'bad.csv')}:2:4 (column "c"): expected a number, found "x" (not a number); --skip-bad-rows leaves out the rows with problems\n`);
    const dev = await cli(join(dir, 'train.csv'), '--dev', '400');
    expect(dev).toMatchObject({ code: 2, stderr: 'error: --dev 400 leaves no rows to train on: train.csv has 400 rows\n' });
    const shape = await cli(join(dir, 'train.csv'), '--test', join(dir, 'wide-test.csv'), '--dev', '10');
    expect(shape.code).toBe(2);
    expect(shape.stderr).toBe('error: the test images (wide-test.csv) are 2×2 but the training images (train.csv) are 4×4\n');
    // IDX images with no labels file beside them: the labels are a file, not a column
    const lone = join(dir, 'lone-images-idx3-ubyte');
    writeFileSync(lone, Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8]));
    const unlabeled = await cli(lone, '--dev', '0');
    expect(unlabeled).toMatchObject({ code: 2, stdout: '' });
    expect(unlabeled.stderr).toBe(`error: ${lone} has no labels: the training file needs an IDX labels file beside it, named as the images file with images → labels and idx3 → idx1 (train-labels-idx1-ubyte.gz for train-images-idx3-ubyte.gz)\n`);
    writeFileSync(join(dir, 'one-class.csv'), csv(20, 7, 1));
    expect(await cli(join(dir, 'one-class.csv'), '--dev', '2', '--data-dir', dir)).toMatchObject({
      code: 2, stdout: '', stderr: 'error: every label in one-class.csv is 0: a network learns to tell at least 2 classes apart\n',
    });
    writeFileSync(join(dir, 'five-classes.csv'), csv(20, 6, 5));
    const classes = await cli(join(dir, 'train.csv'), '--test', join(dir, 'five-classes.csv'), '--dev', '10');
    expect(classes).toMatchObject({ code: 2, stderr: 'error: the test file five-classes.csv has labels up to 4 but the training file train.csv only up to 2\n' });
  });

  it('--skip-bad-rows trains on the rows without problems, in FILE and --test, and a note says which were left out', async () => {
    const lines = csv(100, 5).split('\n');
    lines.splice(20, 0, '1,2,3'); // line 21: too few values
    lines.splice(40, 0, lines[40].replace(/^(\d+),\d+/, '$1,x')); // line 41: not a number
    const some = join(dir, 'some-bad.csv');
    writeFileSync(some, lines.join('\n'));
    const refused = await cli(some, ...base, '--iterations', '2', '--data-dir', dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error: training file ${some.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:21:\\d+ .*\\(and 1 more problem\\); --skip-bad-rows leaves out the rows with problems\\n$`));
    const skipped = await cli(some, '--test', some, ...base, '--iterations', '2', '--data-dir', dir, '--skip-bad-rows');
    expect(skipped).toMatchObject({ code: 0, stderr: '' });
    const notes = skipped.stdout.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toHaveLength(2); // FILE's and --test's
    expect(notes[0]).toMatch(/^note: left out 2 bad rows of some-bad\.csv \(lines 21, 41\); the first: .*some-bad\.csv:21:\d+ /);
    expect(skipped.stdout).toMatch(/ on some-bad\.csv: 50 rows \(dev 50, test 100 from some-bad\.csv\)/);
  });

  it('without --dev, a small file keeps a tenth of its rows for dev (as the app does), not 1000 it does not have', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, csv(30, 4));
    const { code, stdout, stderr } = await cli(small, '--hidden', '8', '--iterations', '2', '--data-dir', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ on small\.csv: 27 rows \(dev 3\),/);
    const five = join(dir, 'five.csv');
    writeFileSync(five, csv(5, 5));
    const tiny = await cli(five, '--hidden', '8', '--iterations', '1', '--data-dir', dir);
    expect(tiny).toMatchObject({ code: 0, stderr: '' });
    expect(tiny.stdout).toMatch(/ on five\.csv: 5 rows \(dev 0\),/);
  });

  it('rejects bad arguments as usage errors', async () => {
    expect((await cli('a.csv', 'b.csv')).code).toEqual({ usage: 'expected at most one FILE, got 2: a.csv b.csv' });
    expect((await cli('--optimizer', 'lbfgs')).code).toEqual({ usage: "--optimizer must be one of gd, momentum, rmsprop, adam, got 'lbfgs'" });
    expect((await cli('--kernels', 'gpu')).code).toEqual({ usage: "--kernels must be one of wasm, plain, naive, got 'gpu'" });
    expect((await cli('--threads', '0')).code).toEqual({ usage: `--threads must be between 1 and ${availableParallelism()}, got 0` });
    expect((await cli('--split', 'rows')).code).toEqual({ usage: "--split must be one of inputs, batch, got 'rows'" });
    // a split on one thread divides nothing (it was accepted and ignored)
    expect((await cli('--split', 'batch')).code).toEqual({ usage: '--split says how a run is divided between threads: give it with --threads 2 or more' });
    // the config's bounds in the options' words (they read "learningRate: Invalid value: Expected <=100 but received 1000")
    expect((await cli('--lr', '1000')).code).toEqual({ usage: '--lr must be at most 100, got 1000' });
    expect((await cli('--eps', '2')).code).toEqual({ usage: '--eps must be at most 1, got 2' });
    expect((await cli('--beta1', '1.5')).code).toEqual({ usage: '--beta1 must be below 1 (at most 0.999999999), got 1.5' });
    expect((await cli('--beta2', '1')).code).toEqual({ usage: '--beta2 must be below 1 (at most 0.999999999), got 1' });
    expect((await cli('--epochs', '0')).code).toEqual({ usage: '--epochs must be between 1 and 10000000, got 0' });
    expect((await cli('--hidden', '100000')).code).toEqual({ usage: '--hidden layer sizes must be at most 4096, got 100000' });
    expect((await cli('--hidden', '8,8,8,8,8,8,8,8,8')).code).toEqual({ usage: '--hidden allows at most 8 hidden layers, got 9' });
    expect((await cli('--batch', '1e9')).code).toEqual({ usage: '--batch must be between 1 and 1000000, got 1e9' });
    expect((await cli('--epochs', '1e8')).code).toEqual({ usage: '--epochs must be between 1 and 10000000, got 1e8' });
    expect((await cli('--iterations', '1e12')).code).toEqual({ usage: '--iterations must be between 1 and 10000000, got 1e12' });
    expect((await cli('--dev', '1e8')).code).toEqual({ usage: '--dev must be between 0 and 10000000, got 1e8' });
  });

  it.runIf(availableParallelism() >= 2)('passes --split to the training task, and leaves the choice to it without', async () => {
    const seen: unknown[] = [];
    const capturing: TaskRunner = (request, onMessage) => {
      seen.push(request.split);
      const { threads: _threads, split: _split, ...oneThread } = request; // shard threads need the built worker (see below)
      return inProcess(oneThread, onMessage);
    };
    const io = { stdout: () => {}, stderr: () => {}, isTTY: false };
    const file = join(dir, 'train.csv');
    expect(await runTrain([file, ...base, '--iterations', '2', '--data-dir', dir, '--threads', '2', '--split', 'batch'], io, () => capturing)).toBe(0);
    expect(await runTrain([file, ...base, '--iterations', '2', '--data-dir', dir, '--threads', '2'], io, () => capturing)).toBe(0);
    expect(seen).toEqual(['batch', undefined]);
  });

  it('refuses --resume of an unknown run, and settings that would change a resumed run', async () => {
    expect((await cli('--resume', 'r-1', '--data-dir', dir)).code).toEqual({ usage: `no run 'r-1' in ${join(dir, 'runs')}` });
    expect((await cli('--resume', 'r-1', '--lr', '0.1', '--seed', '2', '--data-dir', dir)).code).toEqual({
      usage: '--resume continues a run with its own settings; drop --lr, --seed',
    });
  });

  it('--resume continues only on the data the run trained on: another FILE is refused, naming both', async () => {
    const file = join(dir, 'train.csv');
    const { data } = await readDataset([{ path: file, name: 'train.csv' }]);
    const config: TrainConfig = { ...presetConfig('standard'), hidden: [{ units: 8, activation: 'tanh' }], batchSize: 16, duration: { unit: 'iterations', count: 2 }, devRows: 50 };
    const dataset: RunDataset = { fingerprint: await dataFingerprint(data), rows: 400, width: 4, height: 4, split: { kind: 'first', devRows: 50, testId: null } };
    const summary = { ...newSummary({ id: 'r-data', name: 'bands', config, devRows: 50, datasetId: 'cli', datasetName: 'train.csv', dataset, groupId: null, colorIndex: 0, createdAt: 1, threads: 1 }), status: 'stopped' };
    mkdirSync(join(dir, 'runs', 'r-data'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'r-data', 'run.json'), JSON.stringify({ version: 1, summary, steps: [], epochs: [] }));
    const other = await cli(join(dir, 'test.csv'), '--resume', 'r-data', '--data-dir', dir);
    expect(other).toMatchObject({ code: 2, stderr: "error: run 'bands' trained on train.csv (400 rows); test.csv is other data, so the run cannot continue on it; give the same FILE\n" });
    // A file smaller than the run's dev set: other data too, said so (it said "--dev 50 leaves no rows to train on").
    writeFileSync(join(dir, 'small.csv'), csv(30, 9));
    expect((await cli(join(dir, 'small.csv'), '--resume', 'r-data', '--data-dir', dir)).stderr).toBe("error: run 'bands' trained on train.csv (400 rows); small.csv is other data, so the run cannot continue on it; give the same FILE\n");
    expect((await cli(file, '--resume', 'r-data', '--data-dir', dir)).code).toBe(0);
  });

  it('--resume of a run whose record is not JSON names the record', async () => {
    mkdirSync(join(dir, 'runs', 'r-torn'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'r-torn', 'run.json'), '{torn');
    await expect(cli(join(dir, 'train.csv'), '--resume', 'r-torn', '--data-dir', dir)).rejects.toThrow(
      new RegExp(`^cannot read run 'r-torn': ${join(dir, 'runs', 'r-torn', 'run.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid run record: .*JSON`),
    );
    expect((await cli(join(dir, 'train.csv'), '--resume', '', '--data-dir', dir)).code).toEqual({ usage: "option '--resume' needs a value (RUN_ID)" });
  });

  it('--resume of a completed run is refused before FILE is read: exit 2, nothing on stdout', async () => {
    const config: TrainConfig = { ...presetConfig('standard'), duration: { unit: 'iterations', count: 2 } };
    const summary = { ...newSummary({ id: 'r-done', name: 'finished', config, devRows: config.devRows, datasetId: 'cli', datasetName: 'train.csv', groupId: null, colorIndex: 0, createdAt: 1, threads: 1 }), status: 'completed' };
    mkdirSync(join(dir, 'runs', 'r-done'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'r-done', 'run.json'), JSON.stringify({ version: 1, summary, steps: [], epochs: [] }));
    const { code, stdout } = await cli(join(dir, 'train.csv'), '--resume', 'r-done', '--data-dir', dir);
    expect(code).toEqual({ usage: "run 'finished' is completed, so there is nothing to continue (only a stopped, interrupted or diverged run continues); start a new run" });
    expect(stdout).toBe('');
    // One another process trains now (the app, or another command): not continued here as well (both trained it).
    writeFileSync(join(dir, 'runs', 'r-done', 'run.json'), JSON.stringify({ version: 1, summary: { ...summary, status: 'running' }, steps: [], epochs: [], trainedBy: process.ppid }));
    expect(await cli(join(dir, 'train.csv'), '--resume', 'r-done', '--data-dir', dir)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `error: run 'finished' is being trained by another MLP Studio process (pid ${process.ppid}: the app, or the command line): it cannot continue until that one has stopped it\n`,
    });
    // Named by its presence (this version's records), last touched `ago` ms ago: refused while that is fresh, on
    // another machine too (its pid names nothing here); a crash's (stale), whatever program has its pid now, is not.
    const trainedBy = (owner: RunOwner, ago: number) => {
      writeFileSync(join(dir, 'runs', 'r-done', 'run.json'), JSON.stringify({ version: 1, summary: { ...summary, status: 'running' }, steps: [], epochs: [], trainedBy: owner }));
      mkdirSync(processesFolder(dir), { recursive: true });
      const presence = join(processesFolder(dir), `${owner.token}.json`);
      writeFileSync(presence, JSON.stringify(owner));
      utimesSync(presence, new Date(Date.now() - ago), new Date(Date.now() - ago));
    };
    trainedBy({ token: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', pid: 2 ** 22 + 12345, host: 'lab-pc', role: 'app' }, 1000);
    expect(await cli(join(dir, 'train.csv'), '--resume', 'r-done', '--data-dir', dir)).toMatchObject({
      code: 2,
      stderr: `error: run 'finished' is being trained by another MLP Studio process (the app, pid ${2 ** 22 + 12345} on lab-pc): it cannot continue until that one has stopped it\n`,
    });
    trainedBy({ token: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', pid: process.ppid, host: hostname(), role: 'cli' }, STALE_MS + 1000);
    // past that check: what stops it now is its data (its dev set is larger than this file)
    expect((await cli(join(dir, 'train.csv'), '--resume', 'r-done', '--data-dir', dir)).stderr).toBe('error: --dev 1000 leaves no rows to train on: train.csv has 400 rows\n');
    writeFileSync(join(dir, 'runs', 'r-done', 'run.json'), JSON.stringify({ version: 1, summary: { ...summary, status: 'failed' }, steps: [], epochs: [] }));
    expect((await cli(join(dir, 'train.csv'), '--resume', 'r-done', '--data-dir', dir)).code).toEqual({
      usage: "run 'finished' failed, so there is nothing to continue (only a stopped, interrupted or diverged run continues); start a new run",
    });
  });
});

describe('train --test through the run manager: the run records its test set, and --resume continues on it', () => {
  let workerFile = '';
  beforeAll(async () => {
    workerFile = await buildWorkerForTests();
  }, 60_000);
  const runsDir = () => join(dir, 'managed', 'runs');
  const record = (id: string) => JSON.parse(readFileSync(join(runsDir(), id, 'run.json'), 'utf8')) as { summary: RunSummary };
  const fingerprintOf = async (name: string) => dataFingerprint((await readDataset([{ path: join(dir, name), name }])).data);

  /** `train` with the app's RunManager on the built worker, the run stopped at its first epoch (as by Ctrl-C);
   *  `tests`: the test set's rows each task was given (null: none). */
  async function managed(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const tests: (number | null)[] = [];
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), isTTY: false };
    const code = await runTrain([...argv, '--data-dir', join(dir, 'managed')], io, (options) => {
      const inner = managedRunner({ ...options, workerFile });
      return (request, onMessage) => {
        tests.push(request.test?.rows ?? null);
        return inner(request, (m) => {
          if (m.type === 'epoch') {
            Atomics.store(request.control, 0, CONTROL.stop);
            Atomics.notify(request.control, 0);
          }
          onMessage(m);
        });
      };
    });
    return { code, stdout, stderr, tests };
  }
  const newRun = async (...argv: string[]) => {
    const started = await managed(join(dir, 'train.csv'), ...base, '--epochs', '1000', ...argv);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const id = /^run (\S+) — checkpoints/m.exec(started.stdout)![1];
    expect(record(id).summary.status).toBe('stopped');
    return { id, tests: started.tests };
  };

  it("--resume --out writes the run's own best dev accuracy, not one its record claimed for an epoch a crash rolled back", async () => {
    // A learning rate so small that the dev accuracy stays far below the 0.999 the record will claim.
    const started = await managed(join(dir, 'train.csv'), '--hidden', '8', '--lr', '0.000001', '--batch', '16', '--dev', '50', '--epochs', '1000');
    const id = /^run (\S+) — checkpoints/m.exec(started.stdout)![1];
    // As after a crash past its checkpoint: the record says running, and names a best of an epoch lost with the app.
    const path = join(dir, 'managed', 'runs', id, 'run.json');
    const crashed = JSON.parse(readFileSync(path, 'utf8'));
    const past = { ...crashed.summary.progress, step: crashed.summary.progress.step + 3 }; // past its checkpoint, wherever the stop landed
    writeFileSync(path, JSON.stringify({ ...crashed, summary: { ...crashed.summary, status: 'running', bestDevAccuracy: 0.999, progress: past } }));
    const out = join(dir, 'resumed-best.json');
    expect((await managed(join(dir, 'train.csv'), '--resume', id, '--out', out)).code).toBe(0);
    const best = JSON.parse(readFileSync(out, 'utf8')).metrics.bestDevAccuracy;
    expect(best).toBe(record(id).summary.bestDevAccuracy);
    expect(best).toBeLessThan(0.9);
  });

  it('Ctrl-C stops the run, still reports its result and saves the model, and exits 130 (it exited 0, as if the command had finished)', async () => {
    const out = join(dir, 'interrupted.json');
    let stdout = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: () => {}, isTTY: false };
    const code = await runTrain([join(dir, 'train.csv'), ...base, '--epochs', '1000', '--data-dir', join(dir, 'managed'), '--out', out], io, (options) => {
      const inner = managedRunner({ ...options, workerFile });
      return (request, onMessage) =>
        inner(request, (m) => {
          if (m.type === 'epoch' && m.epoch === 1) process.emit('SIGINT', 'SIGINT');
          onMessage(m);
        });
    });
    expect(code).toBe(EXIT_INTERRUPTED);
    expect(stdout).toMatch(/\nstopped after \d+ (epochs?|steps) \(/); // "1 epoch (22 steps)" when the stop lands as epoch 2 begins
    expect(existsSync(out)).toBe(true);
  });

  it('--test is recorded; a resumed run takes it again (by content), refuses another, and without it continues naming it', async () => {
    const { id, tests } = await newRun('--test', join(dir, 'test.csv'));
    expect(tests).toEqual([100]);
    const testSet = { fingerprint: await fingerprintOf('test.csv'), name: 'test.csv', rows: 100 };
    expect(record(id).summary.dataset?.test).toEqual(testSet);
    const name = record(id).summary.name;

    const other = await managed(join(dir, 'train.csv'), '--resume', id, '--test', join(dir, 'other-test.csv'));
    expect(other).toMatchObject({ code: 2, stdout: '', tests: [] });
    expect(other.stderr).toBe(`error: run '${name}' was tested on test.csv (100 rows); other-test.csv (100 rows) is other data, so the run cannot continue on it; give the same --test FILE\n`);

    const same = await managed(join(dir, 'train.csv'), '--resume', id, '--test', join(dir, 'same-test.csv'));
    expect(same).toMatchObject({ code: 0, stderr: '', tests: [100] });
    expect(same.stdout).not.toContain('note:');
    expect(record(id).summary).toMatchObject({ status: 'stopped', notice: null, dataset: { test: testSet } });

    const without = await managed(join(dir, 'train.csv'), '--resume', id);
    expect(without).toMatchObject({ code: 0, stderr: '', tests: [null] });
    const notice = record(id).summary.notice;
    expect(notice).toMatch(/^no test accuracy from epoch \d+ on: test\.csv \(100 rows\), the test set of run '(.+)', was not given when the run continued/);
    expect(notice).toContain(`of run '${name}',`);
    expect(without.stdout).toContain(`\nnote: ${notice}\n`);
    expect(record(id).summary.dataset?.test).toEqual(testSet); // still the run's test set, for the next continue
  });

  it.runIf(availableParallelism() >= 2)('--threads 2 trains the run on 2 threads (the pool gives the run the threads asked for)', async () => {
    const { id } = await newRun('--threads', '2');
    expect(record(id).summary.threads).toBe(2);
  });

  it("prints the notice a run gets as it ends: a run at learning rate 50 that learned nothing is told why, after its result", async () => {
    const train = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), isTTY: false };
      const code = await runTrain([join(dir, 'train.csv'), '--hidden', '8', '--batch', '16', '--dev', '50', '--epochs', '3', '--data-dir', join(dir, 'managed'), ...argv], io, (options) => managedRunner({ ...options, workerFile }));
      return { code, stdout, stderr };
    };
    const huge = await train('--optimizer', 'gd', '--lr', '50');
    expect(huge).toMatchObject({ code: 0, stderr: '' });
    const id = /^run (\S+) — checkpoints/m.exec(huge.stdout)![1];
    const notice = record(id).summary.notice!;
    expect(notice).toMatch(/^The loss did not go down \(.*\) and the dev accuracy ends at chance level \(.*, 3 classes(; best \d+\.\d%)?\): the learning rate \(50\) is probably too high — try 10× lower \(5\)\.$/);
    expect(huge.stdout).toMatch(new RegExp(`\\ndone after 3 epochs[^]*\\nnote: ${notice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    // --json: stdout stays JSON lines; the note goes to stderr.
    const json = await train('--optimizer', 'gd', '--lr', '50', '--json');
    expect(json.code).toBe(0);
    expect(json.stderr).toMatch(/note: The loss did not go down .* try 10× lower \(5\)\.\n$/);
    const fine = await train('--optimizer', 'gd', '--lr', '0.5');
    expect(fine).toMatchObject({ code: 0, stderr: '' });
    expect(fine.stdout).not.toContain('note:');
  });

  it('a run trained without --test refuses one when resumed; a run recorded before runs kept their test set takes one and records it', async () => {
    const { id } = await newRun();
    expect(record(id).summary.dataset?.test).toBeNull();
    const refused = await managed(join(dir, 'train.csv'), '--resume', id, '--test', join(dir, 'test.csv'));
    expect(refused).toMatchObject({ code: 2, tests: [] });
    expect(refused.stderr).toBe(`error: run '${record(id).summary.name}' was trained without a test set, so it continues without one; drop --test\n`);

    const older = record(id);
    delete older.summary.dataset!.test;
    writeFileSync(join(runsDir(), id, 'run.json'), JSON.stringify(older));
    const taken = await managed(join(dir, 'train.csv'), '--resume', id, '--test', join(dir, 'test.csv'));
    expect(taken).toMatchObject({ code: 0, stderr: '', tests: [100] });
    expect(record(id).summary.dataset?.test).toEqual({ fingerprint: await fingerprintOf('test.csv'), name: 'test.csv', rows: 100 });
  });
});

