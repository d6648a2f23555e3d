import { describe, expect, it } from 'vitest';
import type { EpochPoint, RunHistory } from '../../../shared/api/runs';
import { MAX_POINTS, RunSeriesStore, append, type XY } from './run-series';

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

  it('builds a full-batch run’s loss line from its history’s epochs', () => {
    const store = new RunSeriesStore();
    store.setHistory({ id: 'a', steps: [], epochs: [epoch(1, 1, 2, 0.1, 2.3), epoch(2, 2, 1.9, 0.2, 2.1)] }, true);
    expect(store.get('a').loss).toEqual([{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }]);
  });

  it('forgets a removed run', () => {
    const store = new RunSeriesStore();
    store.addStep('a', { step: 1, epoch: 0, loss: 1 });
    store.delete('a');
    expect(store.get('a').loss).toEqual([]);
  });
});
