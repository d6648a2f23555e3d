// How a run's epoch messages join its history: appended in place (a full-batch run has an epoch point per
// step, hundreds of thousands of them), an epoch trained again replacing its point.
import { describe, expect, it } from 'vitest';
import { newSummary } from '../../shared/api/runs';
import { presetConfig, type EpochMessage, type TrainerState } from '../../shared/training';
import { createManagedRun, MAX_EPOCH_POINTS, recordEpoch } from './managed-run';
import type { RunStore } from './store';

const state = (epoch: number, steps: number): TrainerState => ({ version: 1, layerSizes: [1, 1], params: new Float32Array(2), m: null, v: null, steps, epoch, stepInEpoch: 0, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 });

/** Epoch `epoch` of a full-batch run (a step per epoch), or a part of it ending at `step`. */
function epochMessage(epoch: number, step = epoch, complete = true): EpochMessage {
  const atEpoch = complete ? epoch : epoch - 1 + 0.5;
  return { type: 'epoch', epoch, complete, atEpoch, step, trainLoss: 2.3, devLoss: null, devAccuracy: null, testAccuracy: null, confusion: [], devPredictions: null, seconds: 0.01, samplesPerSecond: 100, state: state(complete ? epoch : epoch - 1, step) };
}

function managedRun() {
  const summary = newSummary({ id: 'r', config: { ...presetConfig('notebook-gd') }, devRows: 0, datasetId: 'ds', datasetName: 'digits.csv', groupId: null, colorIndex: 0, createdAt: 0, threads: 1 });
  return createManagedRun(summary, [], [], {} as RunStore, { claim: () => ({ token: 'this-process', pid: process.pid, host: 'here', role: 'app' }) }, () => {});
}

describe('recordEpoch', () => {
  it('appends each new epoch to the same list: no copy of the whole history per epoch (O(epochs²) in a long full-batch run)', () => {
    const run = managedRun();
    const list = run.epochs;
    for (let e = 1; e <= 10_000; e++) recordEpoch(run, epochMessage(e), () => 0);
    expect(run.epochs).toBe(list); // a copy per epoch made a new list each time (fails before)
    expect(run.epochs.map((p) => p.epoch)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
  });

  it('keeps at most MAX_EPOCH_POINTS, thinned by half, the first and the newest always among them', () => {
    const run = managedRun();
    const epochs = 3 * MAX_EPOCH_POINTS + 7;
    for (let e = 1; e <= epochs; e++) {
      recordEpoch(run, epochMessage(e), () => 0);
      if (run.epochs.length > MAX_EPOCH_POINTS) throw new Error(`${run.epochs.length} points after epoch ${e}`);
    }
    const kept = run.epochs.map((p) => p.epoch);
    expect(kept[0]).toBe(1);
    expect(kept.at(-1)).toBe(epochs);
    expect(kept.length).toBeGreaterThan(MAX_EPOCH_POINTS / 2);
    expect(kept.every((e, i) => i === 0 || e > kept[i - 1])).toBe(true); // in order, none twice
  });

  it('replaces the point of an epoch trained again: the partial last epoch of a stopped run, continued', () => {
    const run = managedRun();
    recordEpoch(run, epochMessage(1, 4), () => 0);
    recordEpoch(run, epochMessage(2, 6, false), () => 0); // stopped 2 steps into epoch 2
    recordEpoch(run, epochMessage(2, 8), () => 0); // continued: the whole epoch 2
    recordEpoch(run, epochMessage(3, 12), () => 0);
    expect(run.epochs.map((p) => [p.epoch, p.step, p.atEpoch])).toEqual([[1, 4, 1], [2, 8, 2], [3, 12, 3]]);
  });
});
