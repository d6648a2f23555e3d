// A run's epoch point as the main side keeps it (run.json, runs.history, runs.epoch): where the epoch ended,
// in epochs, carried from the worker's message.
import { describe, expect, it } from 'vitest';
import type { EpochPoint, RunSummary } from '../../shared/api/runs';
import type { EpochMessage, StepMessage, TrainerState, TrainResult } from '../../shared/training';
import { addNotice, afterEpoch, afterResult, epochPart, epochPoint, noticeAdded, stepPoint, withEarlierPart } from './summary';

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

describe('stepPoint', () => {
  it("carries a multi-thread run's 'on one thread for now' into its progress, only when it is", () => {
    const step: StepMessage = { type: 'step', step: 40, totalSteps: 100, epoch: 0.4, loss: 0.7, samplesPerSecond: 900, etaSeconds: 3 };
    expect(stepPoint(step).progress).toEqual({ step: 40, totalSteps: 100, epoch: 0.4, samplesPerSecond: 900, etaSeconds: 3, loss: 0.7 });
    expect(stepPoint({ ...step, onOneThread: false }).progress).not.toHaveProperty('onOneThread');
    expect(stepPoint({ ...step, onOneThread: true }).progress).toMatchObject({ onOneThread: true });
  });
});

describe('epochPoint', () => {
  it('keeps where the epoch ended: its number when complete, the fraction reached when cut short', () => {
    expect(epochPoint(message(1, true, 1, 15))).toEqual({ epoch: 1, step: 15, atEpoch: 1, trainLoss: 0.9, devLoss: 0.8, devAccuracy: 0.7, testAccuracy: null, seconds: 2, samplesPerSecond: 120 });
    expect(epochPoint(message(2, false, 1 + 5 / 15, 20))).toMatchObject({ epoch: 2, step: 20, atEpoch: 1 + 5 / 15 });
  });
});

describe('afterEpoch', () => {
  const summary = { config: { batchSize: 16 }, epochsDone: 1, bestDevAccuracy: 0.6, checkpointEpoch: 1, progress: { step: 18, totalSteps: 45, epoch: 1.2, samplesPerSecond: 100, etaSeconds: 3, loss: 0.5 } } as RunSummary;

  it('a complete epoch: epochs done and the checkpoint move on; the progress is the step messages\'', () => {
    const patch = afterEpoch(summary, { ...message(2, true, 2, 30), state: { steps: 30, epoch: 2 } as TrainerState });
    expect(patch).toMatchObject({ epochsDone: 2, checkpointEpoch: 2, lastDevAccuracy: 0.7, bestDevAccuracy: 0.7 });
    expect(patch.progress).toBeUndefined();
  });

  it('a partial epoch (the run ended inside it): the matrix is its, the progress says exactly where, epochs done stay', () => {
    const patch = afterEpoch(summary, message(2, false, 1 + 7 / 15, 22));
    expect(patch).toMatchObject({ epochsDone: 1, checkpointEpoch: 1, lastDevAccuracy: 0.7 });
    expect(patch.progress).toEqual({ ...summary.progress, step: 22, epoch: 1 + 7 / 15 });
  });

  it('a full-batch run\'s epoch (its every step): the progress shows its exact training loss, as its chart does', () => {
    const fullBatch = { ...summary, config: { batchSize: 'full' } } as RunSummary;
    const patch = afterEpoch(fullBatch, { ...message(2, true, 2, 2), state: { steps: 2, epoch: 2 } as TrainerState });
    expect(patch.progress).toEqual({ ...summary.progress, loss: 0.9 });
  });
});

describe('afterResult', () => {
  const diverged = { outcome: 'diverged', error: 'diverged at epoch 1, step 5 — try a lower learning rate', epoch: 0, steps: 5, dev: null, test: null, seconds: 0.3, state: { steps: 0 } as TrainerState } as TrainResult;
  const summary = (checkpointEpoch: number) => ({ checkpointEpoch, lastDevAccuracy: null, lastTestAccuracy: null, confusion: [], progress: { step: 5, totalSteps: 423, epoch: 0.04, samplesPerSecond: 100, etaSeconds: 3, loss: 2.3 } }) as unknown as RunSummary;

  it('a diverged run is rolled back to its last checkpoint, named by its epoch', () => {
    expect(afterResult(summary(2), diverged).error).toBe('diverged at epoch 1, step 5 — try a lower learning rate; the weights were rolled back to the last good checkpoint (epoch 2)');
  });
  it('one that diverged in its first epoch had no checkpoint to go back to, and says so (not "checkpoint (epoch 0)")', () => {
    expect(afterResult(summary(0), diverged)).toMatchObject({
      status: 'diverged',
      error: 'diverged at epoch 1, step 5 — try a lower learning rate; it had no checkpoint yet, so it has no weights to keep',
    });
  });
});

describe('addNotice', () => {
  it('keeps the earlier notice first, each a sentence, and adds a notice only once', () => {
    const quit = 'Stopped when the app closed; Continue goes on from where it stopped.';
    expect(addNotice(null, quit)).toBe(quit);
    expect(addNotice(undefined, quit)).toBe(quit);
    expect(addNotice('', quit)).toBe(quit);
    expect(addNotice('no test accuracy from epoch 2 on: t.csv (9 rows), … (open it, then continue)', quit)).toBe(`no test accuracy from epoch 2 on: t.csv (9 rows), … (open it, then continue). ${quit}`);
    expect(addNotice('Its test set was not open.', quit)).toBe(`Its test set was not open. ${quit}`);
    expect(addNotice(quit, quit)).toBe(quit);
    expect(addNotice(`Its test set was not open. ${quit}`, quit)).toBe(`Its test set was not open. ${quit}`);
  });
});

describe('noticeAdded', () => {
  it('is the notice addNotice added, without the period it put after the earlier one', () => {
    const added = 'The loss did not go down (2.29 at the start, 17.5 at the end) and …';
    for (const earlier of [null, undefined, '', 'no test accuracy from epoch 2 on: t.csv (9 rows), … (open it, then continue)', 'Its test set was not open.']) {
      expect(noticeAdded(earlier, addNotice(earlier, added))).toBe(added);
    }
    expect(noticeAdded('Its test set was not open.', 'Its test set was not open.')).toBeNull();
    expect(noticeAdded(null, null)).toBeNull();
    expect(noticeAdded('Its test set was not open.', 'Another notice.')).toBe('Another notice.');
  });
});

describe('withEarlierPart', () => {
  it('adds the part of the epoch earlier tasks trained: the whole time, samples/s from all the samples', () => {
    const earlier = epochPart({ epoch: 2, seconds: 1, samplesPerSecond: 60 })!; // 60 samples
    const later = message(2, true, 2, 30); // 2 s at 120/s: 240 samples
    expect(withEarlierPart(later, earlier)).toEqual({ ...later, seconds: 3, samplesPerSecond: 100 });
    expect(withEarlierPart(later, null)).toBe(later);
    expect(withEarlierPart(message(3, true, 3, 45), earlier)).toEqual(message(3, true, 3, 45)); // another epoch's
    expect(withEarlierPart({ ...later, seconds: 0, samplesPerSecond: 0 }, epochPart({ epoch: 2, seconds: 0, samplesPerSecond: 0 }))).toMatchObject({ seconds: 0, samplesPerSecond: 0 });
    expect(epochPart({ epoch: 2 } as EpochPoint)).toBeNull(); // a record without its time
  });
});
