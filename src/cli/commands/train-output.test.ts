import { describe, expect, it } from 'vitest';
import type { EpochMessage, StepMessage, TrainResult } from '../../shared/training';
import { formatDone, formatEpoch, formatProgress, jsonEpoch, ProgressBar } from './train-output';

const step = (epoch: number): StepMessage => ({ type: 'step', step: 0, totalSteps: 0, epoch, loss: 0.5, samplesPerSecond: 1, etaSeconds: null });

describe('ProgressBar', () => {
  it('shows the epoch a step is in, and the step that ends an epoch as that epoch at 100%', () => {
    let shown = '';
    const bar = new ProgressBar({ stdout: (t) => (shown = t), stderr: () => {}, isTTY: true }, 3);
    const at = (epoch: number) => {
      bar.update(step(epoch));
      return /epoch (\d\/3) \[([#-]+)\] +(\d+)%/.exec(shown)!.slice(1);
    };
    expect(at(0)).toEqual(['1/3', '-'.repeat(30), '0']);
    expect(at(0.5)).toEqual(['1/3', '#'.repeat(15) + '-'.repeat(15), '50']);
    expect(at(1)).toEqual(['1/3', '#'.repeat(30), '100']); // it read 'epoch 2/3 … 0%'
    expect(at(2.25)).toEqual(['3/3', '#'.repeat(8) + '-'.repeat(22), '25']);
    expect(at(3)).toEqual(['3/3', '#'.repeat(30), '100']); // it read 'epoch 3/3 … 0%'
  });
});

describe('an epoch of a run on several threads', () => {
  const epoch = (stepsOnOneThread?: number): EpochMessage => ({
    type: 'epoch', epoch: 2, complete: true, atEpoch: 2, step: 1844, trainLoss: 0.4, devLoss: null, devAccuracy: null, testAccuracy: null,
    confusion: [], devPredictions: null, seconds: 0.5, samplesPerSecond: 116_000, state: null as unknown as EpochMessage['state'],
    ...(stepsOnOneThread === undefined ? {} : { stepsOnOneThread }),
  });

  it('says how many steps its first thread took alone, when any, in the line and in --json', () => {
    expect(formatEpoch(epoch(), 5)).toBe('epoch 2/5  train loss 0.4000  116,000 samples/s  0.5 s');
    expect(formatEpoch(epoch(0), 5)).toBe('epoch 2/5  train loss 0.4000  116,000 samples/s  0.5 s');
    expect(formatEpoch(epoch(1), 5)).toBe('epoch 2/5  train loss 0.4000  116,000 samples/s  0.5 s  (1 step on one thread)');
    expect(formatEpoch(epoch(417), 5)).toMatch(/ {2}\(417 steps on one thread\)$/);
    expect(jsonEpoch(epoch())).not.toHaveProperty('stepsOnOneThread'); // a run on one thread
    expect(jsonEpoch(epoch(0))).toMatchObject({ stepsOnOneThread: 0 });
    expect(jsonEpoch(epoch(417))).toMatchObject({ stepsOnOneThread: 417 });
  });
});

describe('formatProgress', () => {
  it('counts whole epochs, and names the epoch a run ended inside (it read "stopped after 5 epochs" after an "epoch 6 (partial)" line)', () => {
    expect(formatProgress({ epoch: 3, steps: 2766 }, 922)).toBe('3 epochs (2766 steps)');
    expect(formatProgress({ epoch: 1, steps: 141 }, 141)).toBe('1 epoch (141 steps)');
    expect(formatProgress({ epoch: 5, steps: 719 }, 128)).toBe('719 steps (5 epochs and 79 steps of epoch 6)');
    expect(formatProgress({ epoch: 1, steps: 23 }, 22)).toBe('23 steps (1 epoch and 1 step of epoch 2)');
    expect(formatProgress({ epoch: 0, steps: 7 }, 22)).toBe('7 steps (7 steps of epoch 1)');
    expect(formatProgress({ epoch: 0, steps: 0 }, 22)).toBe('0 epochs (0 steps)');
  });
});

describe('formatDone', () => {
  const result = (confusion: number[][]): TrainResult => ({
    outcome: 'completed', error: null, epoch: 2, steps: 20, seconds: 1.5, test: null, state: null as unknown as TrainResult['state'],
    dev: { loss: 0.5, accuracy: 0.75, rows: 12, confusion, perClass: [] },
  });

  it("ends each row of the confusion matrix with the share of the class predicted right, and the class's name when it has one", () => {
    const text = formatDone(result([[3, 1, 0], [0, 4, 0], [2, 0, 2]]), 10, ['T-shirt/top', 'Trouser', 'Pullover']);
    expect(text.split('\n')).toEqual([
      'done after 2 epochs (20 steps) in 1.5 s — dev accuracy 75.00%',
      'confusion (dev; rows = true class, columns = predicted; then the share of the class predicted right):',
      '  0 |   3   1   0   75%  T-shirt/top',
      '  1 |   0   4   0  100%  Trouser',
      '  2 |   2   0   2   50%  Pullover',
    ]);
    // numbered classes are not named twice; a class with no examples has no share
    expect(formatDone(result([[1, 0], [0, 0]]), 10, ['0', '1']).split('\n').slice(2)).toEqual(['  0 |   1   0  100%', '  1 |   0   0     –']);
  });
});
