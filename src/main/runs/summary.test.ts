// A run's epoch point as the main side keeps it (run.json, runs.history, runs.epoch): where the epoch ended,
// in epochs, carried from the worker's message.
import { describe, expect, it } from 'vitest';
import type { EpochMessage, TrainerState } from '../../shared/training';
import { epochPoint } from './summary';

const message = (epoch: number, complete: boolean, atEpoch: number, steps: number): EpochMessage => ({
  type: 'epoch',
  epoch,
  complete,
  atEpoch,
  step: steps,
  trainLoss: 0.9,
  devLoss: 0.8,
  devAccuracy: 0.7,
  testAccuracy: null,
  confusion: [],
  devPredictions: null,
  seconds: 2,
  samplesPerSecond: 120,
  state: { steps } as TrainerState,
});

describe('epochPoint', () => {
  it('keeps where the epoch ended: its number when complete, the fraction reached when cut short', () => {
    expect(epochPoint(message(1, true, 1, 15))).toEqual({ epoch: 1, step: 15, atEpoch: 1, trainLoss: 0.9, devLoss: 0.8, devAccuracy: 0.7, testAccuracy: null, seconds: 2, samplesPerSecond: 120 });
    expect(epochPoint(message(2, false, 1 + 5 / 15, 20))).toMatchObject({ epoch: 2, step: 20, atEpoch: 1 + 5 / 15 });
  });
});
