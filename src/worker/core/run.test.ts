// One training run as the worker task runs it: where each epoch message says the epoch ended, in epochs.
// (The task's other messages, pause/stop and divergence are tested through the task: src/worker/task.test.ts.)
import { describe, expect, it } from 'vitest';
import { CONTROL, presetConfig, type DoneMessage, type EpochMessage, type StepMessage, type TrainConfig, type TrainMessage } from '../../shared/training';
import { plainKernels } from './kernels-plain';
import { Rng } from './rng';
import { runTraining } from './run';

/** `rows` 4×4 images of 3 classes (class k lights up row k, plus noise). */
function train(rows: number) {
  const rng = new Rng(7);
  const pixels = new Uint8Array(rows * 16);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = rng.below(3);
    for (let i = 0; i < 16; i++) pixels[r * 16 + i] = Math.floor(rng.uniform() * 60) + (Math.floor(i / 4) === labels[r] ? 180 : 0);
  }
  return { pixels, labels, rows, inputSize: 16, classes: 3 };
}

// 300 rows, 60 of them dev: 240 training rows in batches of 16 = 15 steps per epoch.
const config = (duration: TrainConfig['duration']): TrainConfig => ({
  ...presetConfig('standard'),
  hidden: [{ units: 8, activation: 'tanh' }],
  batchSize: 16,
  devRows: 60,
  duration,
});

function messagesOf(duration: TrainConfig['duration']) {
  const posted: TrainMessage[] = [];
  let clock = 0; // 100 ms a reading: every step reports
  runTraining({ config: config(duration), train: train(300), test: null, kernels: plainKernels }, { control: null, now: () => (clock += 100), post: (m) => posted.push(m) });
  return { epochs: posted.filter((m): m is EpochMessage => m.type === 'epoch'), steps: posted.filter((m): m is StepMessage => m.type === 'step') };
}

describe('runTraining: epoch messages say where the epoch ended, in epochs', () => {
  it('a complete epoch at its number exactly', () => {
    const { epochs } = messagesOf({ unit: 'epochs', count: 3 });
    expect(epochs.map((m) => [m.epoch, m.complete, m.atEpoch])).toEqual([
      [1, true, 1],
      [2, true, 2],
      [3, true, 3],
    ]);
    for (const m of epochs) expect(m).not.toHaveProperty('stepsOnOneThread'); // a run on one thread
    for (const m of messagesOf({ unit: 'epochs', count: 3 }).steps) expect(m).not.toHaveProperty('onOneThread');
  });

  it('a last partial epoch (a duration in iterations) at the fraction it reached, as its last step message', () => {
    const { epochs, steps } = messagesOf({ unit: 'iterations', count: 20 });
    expect(epochs.map((m) => [m.epoch, m.complete, m.step])).toEqual([
      [1, true, 15],
      [2, false, 20],
    ]);
    expect(epochs.map((m) => m.atEpoch)).toEqual([1, 1 + 5 / 15]);
    expect(steps.at(-1)).toMatchObject({ step: 20, epoch: 1 + 5 / 15 });
  });

  it('a run stopped inside an epoch reports that partial epoch, with the matrix and predictions of the weights it ends with', () => {
    const posted: TrainMessage[] = [];
    const control = new Int32Array(new SharedArrayBuffer(4));
    let clock = 0;
    const post = (m: TrainMessage) => {
      posted.push(m);
      if (m.type === 'step' && m.step === 22) Atomics.store(control, 0, CONTROL.stop); // the user presses Stop
    };
    runTraining({ config: config({ unit: 'epochs', count: 3 }), train: train(300), test: null, kernels: plainKernels }, { control, now: () => (clock += 100), post });
    const epochs = posted.filter((m): m is EpochMessage => m.type === 'epoch');
    const done = posted.find((m): m is DoneMessage => m.type === 'done')!;
    expect(done.outcome).toBe('stopped');
    expect(epochs.map((m) => [m.epoch, m.complete, m.step, m.atEpoch])).toEqual([
      [1, true, 15, 1],
      [2, false, 22, 1 + 7 / 15],
    ]);
    const last = epochs[1];
    expect(last.confusion).toEqual(done.dev!.confusion);
    expect(last.devAccuracy).toBe(done.dev!.accuracy);
    expect(last.devPredictions!.predicted).toHaveLength(60);
  });
});
