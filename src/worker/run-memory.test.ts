import { describe, expect, it } from 'vitest';
import { bandsDataset } from '../main/runs/test-support';
import { presetConfig, type TrainConfig } from '../shared/training';
import { arenaBytesFor } from './core/buffers';
import { trainerFloat32Lengths } from './core/sizing';
import { planParallelRun } from './parallel/plan';
import { chooseSplit } from './parallel/split-sizing';
import { trainingBytes, wasmTrainingProblem } from './run-memory';

const standard = presetConfig('standard');
const relu = (units: number) => ({ units, activation: 'relu' as const });
const widest: TrainConfig = { ...standard, hidden: Array.from({ length: 8 }, () => relu(4096)) };
const mnist = { rows: 60_000, inputSize: 784, classes: 10 };

describe('the memory a run takes to train', () => {
  it('on one thread: its Trainer\'s buffers and the kernels\' scratch', () => {
    expect(trainingBytes(standard, mnist)).toBe(arenaBytesFor(trainerFloat32Lengths(standard, mnist)) + 1024 * 1024);
    expect(trainingBytes(standard, mnist, 1, 'plain')).toBe(arenaBytesFor(trainerFloat32Lengths(standard, mnist)));
  });

  it('on several: the memory their plan makes, for either split (the sizes of a real plan)', () => {
    const bands = bandsDataset(400);
    const data = { pixels: bands.pixels, labels: bands.labels!, rows: bands.rows, inputSize: bands.width * bands.height, classes: bands.classes };
    for (const config of [{ ...standard, hidden: [relu(32)], batchSize: 16, devRows: 40 }, { ...standard, hidden: [relu(8), relu(200)], batchSize: 'full' as const, devRows: 40 }]) {
      for (const threads of [2, 3]) {
        const split = chooseSplit(config, data, threads);
        expect(trainingBytes(config, data, threads)).toBe(planParallelRun(threads, config, data, 'wasm', split).channel.layout.bytes);
      }
    }
  });
});

describe('a run too large for WebAssembly\'s memory', () => {
  it('is refused in words before it starts: huge images, or the widest network on many threads (a gradient each)', () => {
    expect(wasmTrainingProblem(standard, mnist)).toBeNull();
    expect(wasmTrainingProblem(widest, mnist)).toBeNull(); // the form's largest network on 28×28 images: 1.9 GB
    expect(wasmTrainingProblem(widest, mnist, 2)).toBeNull();
    expect(wasmTrainingProblem(widest, mnist, 6)).toMatch(/^a 784-4,096-4,096-4,096-4,096-4,096-4,096-4,096-4,096-10 network needs 4\.\d GB to train on 6 threads, and a run holds at most 4\.2 GB \(WebAssembly's memory\): use fewer threads, fewer or narrower layers$/);
    expect(wasmTrainingProblem({ ...standard, hidden: [relu(4096)] }, { rows: 100, inputSize: 300 * 300, classes: 10 })).toBe(
      "a 90,000-4,096-10 network needs 6.0 GB to train, and a run holds at most 4.2 GB (WebAssembly's memory): use fewer or narrower layers, or smaller images (these have 90,000 pixels)",
    );
  });
});
