import { describe, expect, it } from 'vitest';
import type { EpochPoint, RunHistory } from '../../../shared/api/runs';
import { MAX_POINTS, RunSeriesStore, append, epochX, type XY } from './run-series';

const epoch = (n: number, step: number, devLoss: number | null, devAccuracy: number | null, trainLoss = 1): EpochPoint => ({
  epoch: n, step, trainLoss, devLoss, devAccuracy, testAccuracy: null, seconds: 1, samplesPerSecond: 100,
});

describe('append', () => {
  it('keeps points in step order and drops what a resumed run redoes', () => {
    const s: XY[] = [];
    for (const x of [1, 2, 3, 4, 5]) append(s, x, x * 10);
    append(s, 3, 99); // resumed from the checkpoint at step 2
    expect(s).toEqual([{ x: 1, y: 10 }, { x: 2, y: 20 }, { x: 3, y: 99 }]);
  });

  it('skips NaN and infinite values (a diverged step)', () => {
    const s: XY[] = [];
    append(s, 1, 1);
    append(s, 2, NaN);
    append(s, 3, Infinity);
    expect(s).toEqual([{ x: 1, y: 1 }]);
  });

  it('halves a series past MAX_POINTS, keeping the first and last points', () => {
    const s: XY[] = [];
    for (let x = 0; x <= MAX_POINTS; x++) append(s, x, x);
    expect(s.length).toBeLessThanOrEqual(MAX_POINTS / 2 + 1);
    expect(s[0].x).toBe(0);
    expect(s.at(-1)!.x).toBe(MAX_POINTS);
    for (let i = 1; i < s.length; i++) expect(s[i].x).toBeGreaterThan(s[i - 1].x);
  });
});

describe('RunSeriesStore', () => {
  it('puts step loss, dev loss and dev accuracy on the step axis and tells listeners', () => {
    const store = new RunSeriesStore();
    let calls = 0;
    const off = store.onChange(() => calls++);
    store.addStep('a', { step: 10, epoch: 0.5, loss: 2 });
    store.addEpoch('a', epoch(1, 20, 1.5, 0.6));
    store.addEpoch('a', epoch(2, 40, null, null));
    off();
    store.addStep('a', { step: 50, epoch: 2.5, loss: 1 });
    expect(calls).toBe(3);
    expect(store.get('a')).toEqual({ loss: [{ x: 10, y: 2 }, { x: 50, y: 1 }], devLoss: [{ x: 20, y: 1.5 }], devAccuracy: [{ x: 20, y: 0.6 }] });
  });

  it('plots a full-batch run’s epoch training loss as its step loss', () => {
    const store = new RunSeriesStore();
    store.addEpoch('a', epoch(1, 1, 2.2, 0.1, 2.3), true);
    store.addEpoch('a', epoch(2, 2, 2.0, 0.2, 2.1), true);
    expect(store.get('a').loss).toEqual([{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }]);
  });

  it('merges a late history with the live points that arrived before it', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 30, epoch: 1.5, loss: 0.5 });
    store.addStep('a', { step: 40, epoch: 2, loss: 0.4 });
    const history: RunHistory = {
      id: 'a',
      steps: [{ step: 10, epoch: 0.5, loss: 1 }, { step: 30, epoch: 1.5, loss: 0.5 }],
      epochs: [epoch(1, 20, 0.9, 0.7)],
    };
    store.setHistory(history);
    expect(store.get('a').loss.map((p) => p.x)).toEqual([10, 30, 40]);
    expect(store.get('a').devAccuracy).toEqual([{ x: 20, y: 0.7 }]);
  });

  it('draws a full-batch run’s loss line the same live and from its history: its epochs’ training loss, not the smoothed step loss', () => {
    // the worker reports each full-batch step (smoothed loss, lagging) and then its epoch (exact training loss)
    const steps = [{ step: 1, epoch: 1, loss: 2.36 }, { step: 2, epoch: 2, loss: 2.25 }, { step: 3, epoch: 3, loss: 2.16 }];
    const epochs = [epoch(1, 1, 2.2, 0.3, 2.36), epoch(2, 2, 2.0, 0.4, 2.05), epoch(3, 3, 1.9, 0.5, 1.89)];
    const live = new RunSeriesStore();
    for (let i = 0; i < 3; i++) {
      live.addStep('a', steps[i]);
      live.addEpoch('a', epochs[i], true);
    }
    const loaded = new RunSeriesStore();
    loaded.setHistory({ id: 'a', steps, epochs }, true);
    for (const axis of ['steps', 'epochs'] as const) {
      expect(loaded.get('a', axis)).toEqual(live.get('a', axis));
      expect(loaded.get('a', axis).loss.map((p) => p.y)).toEqual([2.36, 2.05, 1.89]);
    }
  });

  it('builds a full-batch run’s loss line from its history’s epochs', () => {
    const store = new RunSeriesStore();
    store.setHistory({ id: 'a', steps: [], epochs: [epoch(1, 1, 2, 0.1, 2.3), epoch(2, 2, 1.9, 0.2, 2.1)] }, true);
    expect(store.get('a').loss).toEqual([{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }]);
  });

  it('a run stopped inside epoch 9 and continued: the whole epoch 9 replaces the partial one, live or after a reload', () => {
    // 141 steps per epoch: stopped at step 1181 (epoch 8.38), its partial epoch 9 reported there; continued, epoch 9
    // ends at step 1269.
    const partial: EpochPoint = { ...epoch(9, 1181, 0.31, 0.91), atEpoch: 1181 / 141 };
    const whole: EpochPoint = { ...epoch(9, 1269, 0.3, 0.92), atEpoch: 9 };
    const live = new RunSeriesStore();
    live.addEpoch('a', { ...epoch(8, 1128, 0.32, 0.9), atEpoch: 8 });
    live.addEpoch('a', partial);
    live.addStep('a', { step: 1200, epoch: 1200 / 141, loss: 0.2 });
    live.addEpoch('a', whole);
    const reloaded = new RunSeriesStore();
    reloaded.setHistory({ id: 'a', steps: [], epochs: [{ ...epoch(8, 1128, 0.32, 0.9), atEpoch: 8 }, partial] });
    reloaded.addEpoch('a', whole);
    for (const store of [live, reloaded]) {
      expect(store.get('a').devLoss).toEqual([{ x: 1128, y: 0.32 }, { x: 1269, y: 0.3 }]);
      expect(store.get('a', 'epochs').devAccuracy).toEqual([{ x: 8, y: 0.9 }, { x: 9, y: 0.92 }]);
    }
    // Stopped twice inside the same epoch: the later partial point replaces the earlier one.
    live.addEpoch('a', { ...epoch(10, 1300, 0.29, 0.93), atEpoch: 1300 / 141 });
    live.addEpoch('a', { ...epoch(10, 1350, 0.28, 0.94), atEpoch: 1350 / 141 });
    expect(live.get('a').devLoss.map((p) => p.x)).toEqual([1128, 1269, 1350]);
  });

  it('forgets a removed run', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 1, epoch: 0, loss: 1 });
    store.delete('a');
    expect(store.get('a').loss).toEqual([]);
  });
});

describe('epochX: an epoch point on the epoch axis', () => {
  it('at the fractional epoch the worker recorded, whatever the step points say', () => {
    const ref = { step: 400, epoch: 0.5, loss: 1 }; // a step point that would say 800 steps per epoch
    expect(epochX({ ...epoch(3, 2 * 844 + 211, 1, 0.5), atEpoch: 2.25 }, ref)).toBe(2.25);
    expect(epochX({ ...epoch(2, 1000, 1, 0.5), atEpoch: 1 + 156 / 844 }, null)).toBe(1 + 156 / 844); // no step point to guess from
    expect(epochX({ ...epoch(3, 3 * 844, 1, 0.5), atEpoch: 3 }, { step: 1000, epoch: 1000 / 844 + 1e-3, loss: 1 })).toBe(3);
  });

  it('a complete epoch sits at its whole epoch, even when the step ratio is inexact in floating point', () => {
    const ref = { step: 1000, epoch: 1000 / 844, loss: 1 }; // 844 steps per epoch
    expect(epochX(epoch(3, 3 * 844, 1, 0.5), ref)).toBe(3);
    expect(epochX(epoch(1, 844, 1, 0.5), null)).toBe(1);
  });

  it('recorded without it (older runs): a last epoch cut short (a duration in iterations) sits at the fraction reached', () => {
    const ref = { step: 422, epoch: 0.5, loss: 1 }; // 844 steps per epoch
    expect(epochX(epoch(1, 500, 1, 0.5), ref)).toBeCloseTo(500 / 844, 12);
    expect(epochX(epoch(3, 2 * 844 + 211, 1, 0.5), ref)).toBeCloseTo(2.25, 12);
  });
});

describe('RunSeriesStore on the epoch axis', () => {
  it('step loss at each point’s fractional epoch, dev points at whole epochs, same points as the step axis', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 10, epoch: 0.5, loss: 2 });
    store.addStep('a', { step: 20, epoch: 1, loss: 1.8 });
    store.addEpoch('a', epoch(1, 20, 1.5, 0.6));
    store.addStep('a', { step: 30, epoch: 1.5, loss: 1.2 });
    expect(store.get('a', 'epochs')).toEqual({
      loss: [{ x: 0.5, y: 2 }, { x: 1, y: 1.8 }, { x: 1.5, y: 1.2 }],
      devLoss: [{ x: 1, y: 1.5 }],
      devAccuracy: [{ x: 1, y: 0.6 }],
    });
    expect(store.get('a', 'steps').loss.map((p) => p.x)).toEqual([10, 20, 30]);
    expect(store.get('a')).toBe(store.get('a', 'steps'));
  });

  it('a run stopped mid-epoch puts its last dev point where its loss line ends, not at the next whole epoch', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 50, epoch: 0.5, loss: 2 }); // 100 steps per epoch
    store.addEpoch('a', epoch(1, 60, 1.5, 0.6)); // the iterations ran out at step 60
    expect(store.get('a', 'epochs').devAccuracy).toEqual([{ x: 0.6, y: 0.6 }]);
    expect(store.get('a', 'steps').devAccuracy).toEqual([{ x: 60, y: 0.6 }]);
  });

  it('a history whose partial last epoch recorded where it ended puts it there, with or without step points', () => {
    const store = new RunSeriesStore();
    const cut = { ...epoch(2, 120, 1.2, 0.7), atEpoch: 1.2 }; // 100 steps per epoch; the iterations ran out at step 120
    store.setHistory({ id: 'a', steps: [], epochs: [{ ...epoch(1, 100, 1.5, 0.6), atEpoch: 1 }, cut] });
    expect(store.get('a', 'epochs').devAccuracy).toEqual([{ x: 1, y: 0.6 }, { x: 1.2, y: 0.7 }]);
    store.addEpoch('b', cut);
    expect(store.get('b', 'epochs').devLoss).toEqual([{ x: 1.2, y: 1.2 }]);
  });

  it('a full-batch run’s epoch training loss lines up with its epochs; a resumed run redoes them on both axes', () => {
    const store = new RunSeriesStore();
    for (let n = 1; n <= 4; n++) store.addEpoch('a', epoch(n, n, 2 - n / 10, n / 10, 2.5 - n / 10), true);
    store.addEpoch('a', epoch(3, 3, 1, 0.9, 0.5), true); // resumed from the checkpoint at epoch 2
    for (const axis of ['steps', 'epochs'] as const) {
      expect(store.get('a', axis).loss.map((p) => [p.x, p.y])).toEqual([[1, 2.4], [2, 2.3], [3, 0.5]]);
      expect(store.get('a', axis).devAccuracy.map((p) => p.x)).toEqual([1, 2, 3]);
    }
  });

  it('a history fills both axes and keeps the live points after it on each', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 40, epoch: 2, loss: 0.4 });
    store.addStep('a', { step: 50, epoch: 2.5, loss: 0.3 });
    store.setHistory({ id: 'a', steps: [{ step: 10, epoch: 0.5, loss: 1 }, { step: 40, epoch: 2, loss: 0.4 }], epochs: [epoch(1, 20, 0.9, 0.7), epoch(2, 40, 0.8, 0.75)] });
    expect(store.get('a', 'epochs').loss.map((p) => p.x)).toEqual([0.5, 2, 2.5]);
    expect(store.get('a', 'epochs').devAccuracy).toEqual([{ x: 1, y: 0.7 }, { x: 2, y: 0.75 }]);
    expect(store.get('a', 'steps').loss.map((p) => p.x)).toEqual([10, 40, 50]);
  });

  it('a full-batch history’s epoch losses fill the epoch axis too', () => {
    const store = new RunSeriesStore();
    store.setHistory({ id: 'a', steps: [], epochs: [epoch(1, 1, 2, 0.1, 2.3), epoch(2, 2, 1.9, 0.2, 2.1)] }, true);
    expect(store.get('a', 'epochs').loss).toEqual([{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }]);
  });

  it('forgets a removed run on both axes', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 1, epoch: 0.5, loss: 1 });
    store.delete('a');
    expect(store.get('a', 'epochs').loss).toEqual([]);
    expect(store.get('a', 'steps').loss).toEqual([]);
  });
});
