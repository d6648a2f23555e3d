// Bench section "training": the standard network (784-128-10 ReLU, Adam 1e-3, batch 64) for 3 epochs on
// fashion_train.csv with our core — on the WASM SIMD kernels (the default), on the plain TS kernels and as one
// run on 2 threads (data-parallel, through the training pool) —
// then the NumPy reference (../shared/bench/numpy_ref.py) on the same file in the same run; the figure
// with one run per core (through the app's training pool); and GFLOP/s of each GEMM shape, per backend.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDataset } from '../../main/datasets/read';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetData } from '../../shared/dataset';
import { presetConfig, type KernelName, type TrainConfig } from '../../shared/training';
import { createTrainingPool } from '../../main/runs/pool';
import { naiveKernels, type Kernels } from '../../worker/core/kernels';
import { plainKernels } from '../../worker/core/kernels-plain';
import { Trainer } from '../../worker/core/trainer';
import { backendFor } from '../../worker/task';
import { createWasmSimdBackend, wasmSimdSupported } from '../../worker/wasm';
import type { BenchOptions, BenchRow, BenchSection } from './section';

/** Epochs per measurement: the median of 3 shrugs off one disturbed epoch on a busy machine. */
const EPOCHS = 3;
const NUMPY_REF = '../shared/bench/numpy_ref.py';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface EpochFigures {
  seconds: number[];
  /** CPU seconds of this process per epoch (ours only): a check on the wall clock when the machine is busy. */
  cpuSeconds?: number[];
  testAccuracyAfter1: number | null;
}

const standard = (): TrainConfig => ({ ...presetConfig('standard'), duration: { unit: 'epochs', count: EPOCHS } });

async function loadFashion(options: BenchOptions): Promise<{ train: DatasetData; test: DatasetData | null }> {
  const testPath = resolve(options.dataDir, 'fashion_test.csv');
  const { data } = await readDataset([{ path: resolve(options.dataDir, 'fashion_train.csv'), name: 'fashion_train.csv' }]);
  const test = existsSync(testPath) ? (await readDataset([{ path: testPath, name: 'fashion_test.csv' }])).data : null;
  return { train: data, test };
}

async function trainOurs(options: BenchOptions, fashion: { train: DatasetData; test: DatasetData | null }, kernels: KernelName): Promise<EpochFigures & { samplesPerSecond: number }> {
  const { train: data, test } = fashion;
  const config = standard();
  const trainingData = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
  const trainer = new Trainer(config, trainingData, backendFor(kernels, config, trainingData));
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let testAccuracyAfter1: number | null = null;
  for (let e = 0; e < EPOCHS; e++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    do trainer.step();
    while (trainer.stepInEpoch !== 0);
    seconds.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    const dev = trainer.evaluateDev();
    let line = `ours (${kernels}): epoch ${e + 1} ${seconds[e].toFixed(3)}s (cpu ${cpuSeconds[e].toFixed(3)}s) loss ${trainer.lastEpochTrainLoss!.toFixed(4)} dev ${dev?.accuracy.toFixed(4)}`;
    if (e === 0 && test?.labels) {
      testAccuracyAfter1 = trainer.evaluate(test.pixels, test.labels, test.rows).accuracy;
      line += ` test ${testAccuracyAfter1.toFixed(4)}`;
    }
    options.log(line);
  }
  return { seconds, cpuSeconds, testAccuracyAfter1, samplesPerSecond: trainer.trainRows / median(seconds) };
}

/** One run per core at once through the app's training pool (out/main/worker.js): each run's epoch time. */
async function trainOnePerCore(options: BenchOptions, train: DatasetData): Promise<{ runs: number; epochSeconds: number; samplesPerSecond: number } | { error: string }> {
  const workerFile = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
  if (!existsSync(workerFile)) return { error: `${workerFile} not found (run the built bench: npm run bench)` };
  const runs = Math.max(1, cpus().length);
  const pool = createTrainingPool(workerFile, runs);
  const shared = { ...train, pixels: toShared(train.pixels), labels: toShared(train.labels!) };
  const config: TrainConfig = { ...standard(), duration: { unit: 'epochs', count: 1 } };
  const control = () => new Int32Array(new SharedArrayBuffer(4));
  try {
    const t0 = performance.now();
    const seconds = await Promise.all(
      Array.from({ length: runs }, (_, i) => {
        let epochSeconds = NaN;
        return pool
          .run({ config: { ...config, seed: i + 1 }, train: shared, test: null, control: control() }, (m) => {
            if (m.type === 'epoch') epochSeconds = m.seconds;
          })
          .then(() => epochSeconds);
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    options.log(`ours, ${runs} runs at once (one per core): epoch ${seconds.map((x) => x.toFixed(3)).join('s, ')}s; ${wall.toFixed(2)}s wall in all`);
    const trainRows = train.rows - config.devRows;
    return { runs, epochSeconds: median(seconds), samplesPerSecond: seconds.reduce((sum, x) => sum + trainRows / x, 0) };
  } finally {
    await pool.destroy();
  }
}

/** One run on `threads` threads (data-parallel, through the app's training pool): its epoch times. */
async function trainDataParallel(options: BenchOptions, train: DatasetData, threads: number): Promise<EpochFigures & { samplesPerSecond: number } | { error: string }> {
  const workerFile = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
  if (!existsSync(workerFile)) return { error: `${workerFile} not found (run the built bench: npm run bench)` };
  const pool = createTrainingPool(workerFile, 1);
  const shared = { ...train, pixels: toShared(train.pixels), labels: toShared(train.labels!) };
  const seconds: number[] = [];
  try {
    await pool.run({ config: standard(), train: shared, test: null, control: new Int32Array(new SharedArrayBuffer(4)), threads }, (m) => {
      if (m.type !== 'epoch') return;
      seconds.push(m.seconds);
      options.log(`ours (${threads} threads, data-parallel): epoch ${m.epoch} ${m.seconds.toFixed(3)}s loss ${m.trainLoss.toFixed(4)} dev ${m.devAccuracy?.toFixed(4)}`);
    });
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await pool.destroy();
  }
  return { seconds, testAccuracyAfter1: null, samplesPerSecond: (train.rows - standard().devRows) / median(seconds) };
}

function toShared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

/** Runs numpy_ref.py on the same files; null when python3/numpy or the script is missing. */
async function trainNumpy(options: BenchOptions): Promise<(EpochFigures & { note?: string }) | { error: string }> {
  const script = resolve(NUMPY_REF);
  if (!existsSync(script)) return { error: `${NUMPY_REF} not found (run from the project root, with ../shared beside it)` };
  const args = [script, resolve(options.dataDir, 'fashion_train.csv'), '--epochs', String(EPOCHS)];
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

/** GFLOP/s of one kernel call, repeated for ~0.3 s after a warm-up. */
function gflops(run: () => void, flops: number): number {
  for (let i = 0; i < 5; i++) run();
  let reps = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < 300) {
    run();
    reps++;
    elapsed = performance.now() - t0;
  }
  return (flops * reps) / (elapsed / 1000) / 1e9;
}

/** The GEMM shapes of one step of 784-128-10 at batch 64 (the first layer needs no input gradient). */
const SHAPES: [string, 'forward' | 'weight' | 'input', number, number, number][] = [
  ['forward X·W1', 'forward', 64, 784, 128],
  ['weight grad Xᵀ·dZ1', 'weight', 64, 784, 128],
  ['forward A1·W2', 'forward', 64, 128, 10],
  ['weight grad A1ᵀ·dZ2', 'weight', 64, 128, 10],
  ['input grad dZ2·W2ᵀ', 'input', 64, 128, 10],
];

/** GFLOP/s of one shape on one backend; `alloc` places the operands where the kernels need them. */
function gemmFlops(k: Kernels, alloc: (n: number) => Float32Array, images: Float32Array, [, kind, B, C, OC]: (typeof SHAPES)[number]): number {
  const fill = (n: number) => {
    const a = alloc(n);
    for (let i = 0; i < n; i++) a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    return a;
  };
  const inp = alloc(B * C);
  inp.set(C === 784 ? images : fill(B * C));
  const w = fill(C * OC), bias = fill(OC), out = fill(B * OC), dw = alloc(C * OC), db = alloc(OC), dinp = alloc(B * C);
  const run = kind === 'forward' ? () => k.matmulForward(out, inp, w, bias, B, C, OC)
    : kind === 'weight' ? () => k.matmulBackwardWeight(dw, db, out, inp, B, C, OC)
      : () => k.matmulBackwardInput(dinp, out, w, B, C, OC);
  return gflops(run, 2 * B * C * OC);
}

function gemmRows(images: Float32Array): BenchRow[] {
  const plainAlloc = (n: number) => new Float32Array(n);
  const wasm = wasmSimdSupported() ? createWasmSimdBackend({ maxFloats: 1 << 20 }) : null;
  return SHAPES.map((shape) => {
    const [label, , B, C, OC] = shape;
    const zeros = C === 784 ? images.reduce((n, x) => n + (x === 0 ? 1 : 0), 0) / images.length : 0;
    const plain = gemmFlops(plainKernels, plainAlloc, images, shape);
    const naive = gemmFlops(naiveKernels, plainAlloc, images, shape);
    const simd = wasm ? gemmFlops(wasm.kernels, (n) => wasm.allocator.allocFloat32(n), images, shape) : null;
    return {
      name: `GEMM ${label} [${B}×${C}]·[${C}×${OC}]`,
      ours: simd ?? plain,
      unit: 'GFLOP/s',
      numpy: null,
      ratio: null,
      notes: { kernels: simd === null ? 'plain' : 'wasm', plain, naive, inputs: C === 784 ? `fashion images, ${Math.round(zeros * 100)}% zeros` : 'dense' },
    };
  });
}

export const trainingBench: BenchSection = {
  name: 'training',
  async run(options) {
    const fashion = await loadFashion(options);
    const fast: KernelName = wasmSimdSupported() ? 'wasm' : 'plain';
    options.log(`training 784-128-10 ReLU, Adam 1e-3, batch 64, ${EPOCHS} epochs on fashion_train.csv (${fast} kernels)…`);
    const ours = await trainOurs(options, fashion, fast);
    const plain = fast === 'plain' ? ours : (options.log('…and on the plain TypeScript kernels'), await trainOurs(options, fashion, 'plain'));
    options.log('running the NumPy reference on the same file…');
    const numpy = await trainNumpy(options);
    const ref = 'error' in numpy ? null : numpy;
    if ('error' in numpy) options.log(`numpy: ${numpy.error}`);
    const threads = 2; // the brief's figure: one run on both cores of this machine
    options.log(`one run on ${threads} threads (data-parallel), through the training pool…`);
    const parallel = await trainDataParallel(options, fashion.train, threads);
    options.log('one run per core at once, through the training pool…');
    const perCore = await trainOnePerCore(options, fashion.train);
    const numpyEpoch = ref ? median(ref.seconds) : null;
    const epochRow = (name: string, figures: EpochFigures & { samplesPerSecond: number }, kernels: KernelName): BenchRow => {
      const seconds = median(figures.seconds);
      return {
        name,
        ours: seconds,
        unit: 's',
        numpy: numpyEpoch,
        ratio: numpyEpoch ? seconds / numpyEpoch : null,
        notes: { kernels, samplesPerSecond: figures.samplesPerSecond, ...(figures.cpuSeconds ? { cpuSeconds: median(figures.cpuSeconds) } : {}), ...('error' in numpy ? { numpy: numpy.error } : {}) },
      };
    };
    const rows: BenchRow[] = [epochRow(`epoch (784-128-10, Adam, batch 64), median of ${EPOCHS}`, ours, fast)];
    if (plain !== ours) rows.push(epochRow('epoch, plain TS kernels', plain, 'plain'));
    if ('error' in parallel) options.log(`one run on ${threads} threads: ${parallel.error}`);
    else rows.push(epochRow(`epoch, one run on ${threads} threads (data-parallel)`, parallel, fast));
    if ('error' in perCore) options.log(`one run per core: ${perCore.error}`);
    else {
      rows.push({
        name: `epoch with ${perCore.runs} runs at once (one per core), each`,
        ours: perCore.epochSeconds,
        unit: 's',
        numpy: numpyEpoch,
        ratio: numpyEpoch ? perCore.epochSeconds / numpyEpoch : null,
        notes: { kernels: fast, totalSamplesPerSecond: perCore.samplesPerSecond },
      });
    }
    if (ours.testAccuracyAfter1 !== null) {
      const numpyAcc = ref?.testAccuracyAfter1 ?? null;
      rows.push({
        name: 'fashion test accuracy after 1 epoch',
        ours: ours.testAccuracyAfter1,
        unit: '',
        numpy: numpyAcc,
        ratio: numpyAcc ? ours.testAccuracyAfter1 / numpyAcc : null,
        notes: { target: 0.84 },
      });
    }
    // 64 real images (0…1) for the first layer's GEMM figures: their zeros matter to the kernels
    const images = Float32Array.from(fashion.train.pixels.subarray(0, 64 * 784), (p) => p / 255);
    return [...rows, ...gemmRows(images)];
  },
};
