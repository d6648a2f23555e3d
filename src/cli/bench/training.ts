// Bench section "training": the standard network (784-128-10 ReLU, Adam 1e-3, batch 64) on fashion_train.csv
// with our core — one run on one thread (WASM SIMD kernels, the default), one run on every core
// (data-parallel, through the app's training pool), one run per core at once, the plain TS kernels — and the
// NumPy reference (../shared/bench/numpy_ref.py) on the same file in the same run.
//
// This machine's speed drifts by ±30% over minutes (a shared VM), so the reference and every figure of ours
// but the plain kernels' run in interleaved rounds (numpy, ours on 1 thread, ours on all cores by inputs and
// by batch, one run of ours per core at once; again …), each run as long as the standard preset's (5 epochs;
// --epochs; 3 until 2026-11-30, which counted a 2-thread run's slower first epochs more), and each ratio is
// the median of our epochs over the median of NumPy's from the same rounds; each round's own ratio is noted.
//
// Each pool figure is a run's first in a new pool: a new training thread and new shard threads, whose
// JavaScript V8 compiles while they train (measured 2026-11-30: ~350 ms of optimizing compiles on V8's
// helper threads in a fresh process's first second, sharing the 2 vCPUs with the run's two threads). One more
// figure runs on threads that trained before — a pool kept from an untimed warm-up run, as the app keeps its
// threads for five minutes after a run: the speed of a user's later runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from '../../main/datasets/read';
import { createTrainingPool, type TrainingPool } from '../../main/runs/pool';
import type { DatasetData } from '../../shared/dataset';
import { presetConfig, type KernelName, type SplitName, type TrainConfig } from '../../shared/training';
import { Trainer } from '../../worker/core/trainer';
import { backendFor } from '../../worker/task';
import { wasmSimdSupported } from '../../worker/wasm';
import type { BenchOptions, BenchRow, BenchSection } from './section';
import { epochGemmFlops, median } from './stats';

/** Epochs per measurement in a round, by default: the standard preset's run. */
const DEFAULT_EPOCHS = presetConfig('standard').duration.count;
const NUMPY_REF = '../shared/bench/numpy_ref.py';
const LAYERS = [784, 128, 10];

interface EpochFigures {
  seconds: number[];
  /** CPU seconds of this process per epoch (one thread only): a check on the wall clock when the machine is busy. */
  cpuSeconds?: number[];
  testAccuracyAfter1?: number | null;
  /** One run on several threads: steps per epoch its first thread took alone (the others made them slower). */
  stepsOnOneThread?: number[];
}

type Fashion = { train: DatasetData; test: DatasetData | null };

const epochsOf = (options: BenchOptions): number => options.epochs ?? DEFAULT_EPOCHS;
const standard = (epochs: number): TrainConfig => ({ ...presetConfig('standard'), duration: { unit: 'epochs', count: epochs } });

async function loadFashion(options: BenchOptions): Promise<Fashion> {
  const testPath = resolve(options.dataDir, 'fashion_test.csv');
  const { data } = await readDataset([{ path: resolve(options.dataDir, 'fashion_train.csv'), name: 'fashion_train.csv' }]);
  const test = existsSync(testPath) ? (await readDataset([{ path: testPath, name: 'fashion_test.csv' }])).data : null;
  return { train: { ...data, pixels: toShared(data.pixels), labels: toShared(data.labels!) }, test };
}

/** One run on this thread, timed per epoch (wall and CPU); the test accuracy after its first epoch. */
function trainOnThisThread(options: BenchOptions, fashion: Fashion, kernels: KernelName, epochs: number): EpochFigures {
  const { train: data, test } = fashion;
  const config = standard(epochs);
  const trainingData = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
  const trainer = new Trainer(config, trainingData, backendFor(kernels, config, trainingData));
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let testAccuracyAfter1: number | null = null;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    do trainer.step();
    while (trainer.stepInEpoch !== 0);
    seconds.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    const dev = trainer.evaluateDev();
    let line = `ours (${kernels}, 1 thread): epoch ${e + 1} ${seconds[e].toFixed(3)}s (cpu ${cpuSeconds[e].toFixed(3)}s) loss ${trainer.lastEpochTrainLoss!.toFixed(4)} dev ${dev?.accuracy.toFixed(4)}`;
    if (e === 0 && test?.labels) {
      testAccuracyAfter1 = trainer.evaluate(test.pixels, test.labels, test.rows).accuracy;
      line += ` test ${testAccuracyAfter1.toFixed(4)}`;
    }
    options.log(line);
  }
  return { seconds, cpuSeconds, testAccuracyAfter1 };
}

const workerFile = () => join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
const control = () => new Int32Array(new SharedArrayBuffer(4));

/** One run on `threads` threads (data-parallel, split by `split`) through the app's training pool: its epoch
 *  times. In a new pool (a fresh training thread and shard threads, as a run's first in the app), or in
 *  `warm`, a pool whose threads have trained before (kept, as the app keeps them for five minutes after a run);
 *  `label` names it in the log. */
async function trainOnThreads(options: BenchOptions, train: DatasetData, threads: number, split: SplitName, warm?: { pool: TrainingPool; label: string }): Promise<EpochFigures | { error: string }> {
  if (!existsSync(workerFile())) return { error: `${workerFile()} not found (run the built bench: npm run bench)` };
  const pool = warm?.pool ?? createTrainingPool(workerFile(), 1);
  const seconds: number[] = [];
  const stepsOnOneThread: number[] = [];
  try {
    await pool.run({ config: standard(epochsOf(options)), train, test: null, control: control(), threads, split }, (m) => {
      if (m.type !== 'epoch') return;
      seconds.push(m.seconds);
      stepsOnOneThread.push(m.stepsOnOneThread ?? 0);
      const alone = m.stepsOnOneThread ? ` (${m.stepsOnOneThread} steps on one thread)` : '';
      options.log(`ours (${threads} threads, split by ${split}${warm ? `, ${warm.label}` : ''}): epoch ${m.epoch} ${m.seconds.toFixed(3)}s loss ${m.trainLoss.toFixed(4)} dev ${m.devAccuracy?.toFixed(4)}${alone}`);
    });
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    if (!warm) await pool.destroy();
  }
  return { seconds, stepsOnOneThread };
}

/** One run per core at once through the app's training pool (a new pool, as the other pool figures): every
 *  epoch of every run, epochsOf(options) each. */
async function trainOnePerCore(options: BenchOptions, train: DatasetData, runs: number): Promise<EpochFigures | { error: string }> {
  if (!existsSync(workerFile())) return { error: `${workerFile()} not found (run the built bench: npm run bench)` };
  const pool = createTrainingPool(workerFile(), runs);
  try {
    const t0 = performance.now();
    const perRun = await Promise.all(
      Array.from({ length: runs }, (_, i) => {
        const epochs: number[] = [];
        return pool
          .run({ config: { ...standard(epochsOf(options)), seed: i + 1 }, train, test: null, control: control() }, (m) => {
            if (m.type === 'epoch') epochs.push(m.seconds);
          })
          .then(() => epochs);
      }),
    );
    perRun.forEach((epochs, i) => options.log(`ours (${runs} runs at once, run ${i + 1}): epochs ${epochs.map((x) => x.toFixed(3)).join('s, ')}s`));
    options.log(`ours (${runs} runs at once): ${((performance.now() - t0) / 1000).toFixed(2)}s wall in all`);
    return { seconds: perRun.flat() };
  } finally {
    await pool.destroy();
  }
}

function toShared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

/** Runs numpy_ref.py on the same files, or says why it could not. */
async function trainNumpy(options: BenchOptions): Promise<EpochFigures | { error: string }> {
  const script = resolve(NUMPY_REF);
  if (!existsSync(script)) return { error: `${NUMPY_REF} not found (run from the project root, with ../shared beside it)` };
  const args = [script, resolve(options.dataDir, 'fashion_train.csv'), '--epochs', String(epochsOf(options))];
  const testPath = resolve(options.dataDir, 'fashion_test.csv');
  if (existsSync(testPath)) args.push('--test', testPath);
  // These two slow OpenBLAS down on this machine; unset them for the reference only.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const output = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn('python3', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of d.toString().trim().split('\n')) if (line) options.log(`numpy: ${line}`);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => done({ code: null, out, err: e.message }));
    child.on('close', (code) => done({ code, out, err }));
  });
  if (output.code !== 0) return { error: `numpy reference failed: ${output.err.trim().split('\n').at(-1) ?? `exit ${output.code}`}` };
  const epochs = [...output.out.matchAll(/^epoch (\d+) ([\d.]+)s loss [\d.]+ dev [\d.]+(?: test ([\d.]+))?/gm)];
  if (epochs.length === 0) return { error: 'could not read the numpy reference output' };
  return { seconds: epochs.map((m) => Number(m[2])), testAccuracyAfter1: epochs[0][3] ? Number(epochs[0][3]) : null };
}

/** Appends one round's figures (or logs its error) to a series. */
function collect(series: EpochFigures[], what: string, figures: EpochFigures | { error: string }, log: (line: string) => void): void {
  if ('error' in figures) log(`${what}: ${figures.error}`);
  else series.push(figures);
}

const allSeconds = (series: EpochFigures[]) => series.flatMap((f) => f.seconds);

export const trainingBench: BenchSection = {
  name: 'training',
  async run(options) {
    const fashion = await loadFashion(options);
    const fast: KernelName = wasmSimdSupported() ? 'wasm' : 'plain';
    const threads = Math.max(2, cpus().length);
    const rounds = options.rounds ?? 2;
    const trainRows = fashion.train.rows - standard(1).devRows;
    const flops = epochGemmFlops(LAYERS, trainRows);
    options.log(`training 784-128-10 ReLU, Adam 1e-3, batch 64 on fashion_train.csv: ${rounds} rounds of NumPy, ours on 1 thread (${fast} kernels), ours on ${threads} threads split by inputs and by batch, ${Math.max(1, cpus().length)} runs of ours at once; ${epochsOf(options)} epochs each`);
    const numpy: EpochFigures[] = [], single: EpochFigures[] = [], byInputs: EpochFigures[] = [], byBatch: EpochFigures[] = [], perCore: EpochFigures[] = [];
    const byInputsWarm: EpochFigures[] = [];
    const runsAtOnce = Math.max(1, cpus().length);
    // The pool of the warm figure: its threads train once untimed first, then in every round.
    const warm = { pool: createTrainingPool(workerFile(), 1), label: 'threads that trained before' };
    try {
      options.log(`warm-up of the pool for the figure on ${warm.label} (not timed)`);
      const warmUp = await trainOnThreads(options, fashion.train, threads, 'inputs', { ...warm, label: 'warm-up' });
      if ('error' in warmUp) options.log(`warm-up: ${warmUp.error}`);
      for (let round = 1; round <= rounds; round++) {
        options.log(`— round ${round} of ${rounds}`);
        collect(numpy, 'numpy', await trainNumpy(options), options.log);
        collect(single, 'ours on 1 thread', trainOnThisThread(options, fashion, fast, epochsOf(options)), options.log);
        collect(byInputs, `ours on ${threads} threads`, await trainOnThreads(options, fashion.train, threads, 'inputs'), options.log);
        collect(byBatch, `ours on ${threads} threads`, await trainOnThreads(options, fashion.train, threads, 'batch'), options.log);
        collect(perCore, `ours, ${runsAtOnce} runs at once`, await trainOnePerCore(options, fashion.train, runsAtOnce), options.log);
        collect(byInputsWarm, `ours on ${threads} threads, ${warm.label}`, await trainOnThreads(options, fashion.train, threads, 'inputs', warm), options.log);
      }
    } finally {
      await warm.pool.destroy();
    }
    options.log('one epoch on the plain TypeScript kernels (the reference the fast kernels are tested against)');
    const plain = fast === 'plain' ? null : trainOnThisThread(options, fashion, 'plain', 1);

    const numpyEpoch = numpy.length ? median(allSeconds(numpy)) : null;
    const epochRow = (name: string, seconds: number[], kernels: KernelName, series?: EpochFigures[], extra: Record<string, number | string> = {}): BenchRow => {
      const ours = median(seconds);
      const perRound = series && series.length === numpy.length ? series.map((f, i) => (median(f.seconds) / median(numpy[i].seconds)).toFixed(2)).join(', ') : null;
      return {
        name,
        ours,
        unit: 's',
        numpy: numpyEpoch,
        ratio: numpyEpoch ? ours / numpyEpoch : null,
        gflops: { ours: flops / ours / 1e9, numpy: numpyEpoch ? flops / numpyEpoch / 1e9 : null },
        notes: { kernels, samplesPerSecond: Math.round(trainRows / ours), ...(perRound ? { 'ratio per round': perRound } : {}), ...extra },
      };
    };
    const rows: BenchRow[] = [];
    if (single.length) {
      rows.push(epochRow(`epoch, one run on 1 thread (median of ${allSeconds(single).length})`, allSeconds(single), fast, single, { cpuSeconds: median(single.flatMap((f) => f.cpuSeconds ?? [])) }));
    }
    for (const [series, split] of [[byInputs, 'inputs (the default)'], [byBatch, 'batch'], [byInputsWarm, `inputs, on ${warm.label}`]] as const) {
      if (!series.length) continue;
      // how much of it the first thread ran alone, the other threads left out (./worker/parallel/thread-choice.ts)
      const alone = series.flatMap((f) => f.stepsOnOneThread ?? []).reduce((a, b) => a + b, 0);
      const { batchSize } = standard(1);
      const steps = allSeconds(series).length * (batchSize === 'full' ? 1 : Math.ceil(trainRows / batchSize));
      rows.push(epochRow(`epoch, one run on ${threads} threads split by ${split} (median of ${allSeconds(series).length})`, allSeconds(series), fast, series, { 'steps on one thread': `${alone} of ${steps}` }));
    }
    if (perCore.length) {
      const seconds = allSeconds(perCore);
      rows.push(epochRow(`epoch with ${runsAtOnce} runs at once (one per core), each (median of ${seconds.length})`, seconds, fast, perCore, { totalSamplesPerSecond: Math.round((runsAtOnce * trainRows) / median(seconds)) }));
    }
    if (plain) rows.push(epochRow('epoch, plain TS kernels, 1 thread', plain.seconds, 'plain'));
    const ourAccuracy = single[0]?.testAccuracyAfter1 ?? null;
    if (ourAccuracy !== null) {
      const numpyAccuracy = numpy[0]?.testAccuracyAfter1 ?? null;
      rows.push({ name: 'fashion test accuracy after 1 epoch', ours: ourAccuracy, unit: '', numpy: numpyAccuracy, ratio: numpyAccuracy ? ourAccuracy / numpyAccuracy : null, notes: { target: 0.84 } });
    }
    return rows;
  },
};
