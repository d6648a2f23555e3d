// Bench section "training": the standard network (784-128-10 ReLU, Adam 1e-3, batch 64) for 2 epochs on
// fashion_train.csv with our core, then the NumPy reference (../shared/bench/numpy_ref.py) on the same file
// in the same run; plus GFLOP/s of each GEMM shape the network runs, plain vs naive kernels.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDataset } from '../../main/datasets/read';
import { presetConfig } from '../../shared/training';
import { naiveKernels, type Kernels } from '../../worker/core/kernels';
import { plainKernels } from '../../worker/core/kernels-plain';
import { Trainer } from '../../worker/core/trainer';
import type { BenchOptions, BenchRow, BenchSection } from './section';

const EPOCHS = 2;
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

async function trainOurs(options: BenchOptions, kernels: Kernels): Promise<EpochFigures & { samplesPerSecond: number; images: Float32Array }> {
  const trainPath = resolve(options.dataDir, 'fashion_train.csv');
  const testPath = resolve(options.dataDir, 'fashion_test.csv');
  const { data } = await readDataset([{ path: trainPath, name: 'fashion_train.csv' }]);
  const test = existsSync(testPath) ? (await readDataset([{ path: testPath, name: 'fashion_test.csv' }])).data : null;
  const config = { ...presetConfig('standard'), duration: { unit: 'epochs' as const, count: EPOCHS } };
  const trainer = new Trainer(config, { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes }, { kernels });
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
    let line = `ours: epoch ${e + 1} ${seconds[e].toFixed(3)}s (cpu ${cpuSeconds[e].toFixed(3)}s) loss ${trainer.lastEpochTrainLoss!.toFixed(4)} dev ${dev?.accuracy.toFixed(4)}`;
    if (e === 0 && test?.labels) {
      testAccuracyAfter1 = trainer.evaluate(test.pixels, test.labels, test.rows).accuracy;
      line += ` test ${testAccuracyAfter1.toFixed(4)}`;
    }
    options.log(line);
  }
  // 64 real images (0…1) for the first layer's GEMM figures: their zeros matter to the plain kernels
  const images = Float32Array.from(data.pixels.subarray(0, 64 * 784), (p) => p / 255);
  return { seconds, cpuSeconds, testAccuracyAfter1, samplesPerSecond: trainer.trainRows / median(seconds), images };
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

function gemmRows(images: Float32Array): BenchRow[] {
  // The shapes of one step of 784-128-10 at batch 64 (the first layer needs no input gradient).
  const shapes: [string, 'forward' | 'weight' | 'input', number, number, number][] = [
    ['forward X·W1', 'forward', 64, 784, 128],
    ['weight grad Xᵀ·dZ1', 'weight', 64, 784, 128],
    ['forward A1·W2', 'forward', 64, 128, 10],
    ['weight grad A1ᵀ·dZ2', 'weight', 64, 128, 10],
    ['input grad dZ2·W2ᵀ', 'input', 64, 128, 10],
  ];
  return shapes.map(([label, kind, B, C, OC]) => {
    const fill = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const realInput = C === 784;
    const inp = realInput ? images : fill(B * C), w = fill(C * OC), bias = fill(OC), out = fill(B * OC), dw = new Float32Array(C * OC), db = new Float32Array(OC), dinp = new Float32Array(B * C);
    const call = (k: Kernels) =>
      kind === 'forward' ? () => k.matmulForward(out, inp, w, bias, B, C, OC)
        : kind === 'weight' ? () => k.matmulBackwardWeight(dw, db, out, inp, B, C, OC)
          : () => k.matmulBackwardInput(dinp, out, w, B, C, OC);
    const flops = 2 * B * C * OC;
    const ours = gflops(call(plainKernels), flops);
    const naive = gflops(call(naiveKernels), flops);
    const zeros = inp.reduce((n, x) => n + (x === 0 ? 1 : 0), 0) / inp.length;
    return { name: `GEMM ${label} [${B}×${C}]·[${C}×${OC}]`, ours, unit: 'GFLOP/s', numpy: null, ratio: null, notes: { naive, inputs: realInput ? `fashion images, ${Math.round(zeros * 100)}% zeros` : 'dense' } };
  });
}

export const trainingBench: BenchSection = {
  name: 'training',
  async run(options) {
    options.log('training 784-128-10 ReLU, Adam 1e-3, batch 64, 2 epochs on fashion_train.csv (plain kernels)…');
    const ours = await trainOurs(options, plainKernels);
    options.log('running the NumPy reference on the same file…');
    const numpy = await trainNumpy(options);
    const ref = 'error' in numpy ? null : numpy;
    if ('error' in numpy) options.log(`numpy: ${numpy.error}`);
    const oursEpoch = median(ours.seconds);
    const numpyEpoch = ref ? median(ref.seconds) : null;
    const rows: BenchRow[] = [
      {
        name: 'epoch (784-128-10, Adam, batch 64), median of 2',
        ours: oursEpoch,
        unit: 's',
        numpy: numpyEpoch,
        ratio: numpyEpoch ? oursEpoch / numpyEpoch : null,
        notes: { kernels: 'plain', samplesPerSecond: ours.samplesPerSecond, cpuSeconds: median(ours.cpuSeconds ?? []), ...('error' in numpy ? { numpy: numpy.error } : {}) },
      },
    ];
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
    return [...rows, ...gemmRows(ours.images)];
  },
};
