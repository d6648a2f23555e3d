import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EpochPoint, StepPoint } from '../../../shared/api/runs';
import { MAX_POINTS, RunSeriesStore, X_AXES, type RunSeries, type XY } from './run-series';
import { highest, OUT_OF_SCALE, outOfScale, ScaleCheck, scaleHintText } from './scale-hint';

describe('out-of-scale run', () => {
  it('names the run whose loss peaks far above every other run', () => {
    const peaks = [{ name: 'gd 0.1', peak: 2.3 }, { name: 'adam 50', peak: 38_093 }, { name: 'adam 0.001', peak: 2.4 }];
    expect(outOfScale(peaks)).toEqual({ name: 'adam 50', peak: 38_093, others: 2.4 });
  });

  it('says nothing when the peaks are within the factor, for one run alone, or with no loss yet', () => {
    expect(outOfScale([{ name: 'a', peak: 2.3 }, { name: 'b', peak: 2.3 * OUT_OF_SCALE * 0.99 }])).toBeNull();
    expect(outOfScale([{ name: 'a', peak: 2.3 }, { name: 'b', peak: 2.3 * OUT_OF_SCALE }])).not.toBeNull();
    expect(outOfScale([{ name: 'diverging alone', peak: 1e6 }])).toBeNull();
    expect(outOfScale([{ name: 'a', peak: 1e6 }, { name: 'no points yet', peak: -Infinity }, { name: 'c', peak: NaN }])).toBeNull();
  });

  it('two runs far above a third: neither stands out from the other', () => {
    expect(outOfScale([{ name: 'a', peak: 2 }, { name: 'b', peak: 5_000 }, { name: 'c', peak: 9_000 }])).toBeNull();
  });

  it('takes the highest point of every series it is given', () => {
    expect(highest([{ x: 0, y: 1 }, { x: 1, y: 7 }], [], [{ x: 2, y: 3 }])).toBe(7);
    expect(highest([])).toBe(-Infinity);
  });

  it('writes a large peak in whole thousands, the others as the chart does', () => {
    expect(scaleHintText({ name: 'adam 50 · 128 relu', peak: 99_347.12, others: 2.2893 })).toBe('adam 50 · 128 relu reaches a loss of 99,347; beside it the others (at most 2.289) lie flat.');
    expect(scaleHintText({ name: 'gd 3', peak: 412.5, others: 0.31 })).toBe('gd 3 reaches a loss of 412.5; beside it the others (at most 0.3100) lie flat.');
  });
});

const step = (n: number, loss: number): StepPoint => ({ step: n, epoch: n / 10, loss });
const epoch = (n: number, devLoss: number): EpochPoint => ({ epoch: n, step: 10 * n, trainLoss: devLoss, devLoss, devAccuracy: 0.5, testAccuracy: null, seconds: 1, samplesPerSecond: 1, atEpoch: n });
/** The plain twin: every plotted point of the run read again. */
const rescan = (store: RunSeriesStore, id: string, axis: 'steps' | 'epochs' = 'steps') => highest(store.get(id, axis).loss, store.get(id, axis).devLoss);

describe('ScaleCheck: each run\'s peak kept from check to check', () => {
  it('equals a rescan of every point after any appends, resumes, history replacements and epochs, on both axes', () => {
    type Op = { kind: 'step'; dx: number; y: number } | { kind: 'back'; by: number; y: number } | { kind: 'history'; n: number; y: number } | { kind: 'epoch'; y: number } | { kind: 'check' };
    const y = fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 1e6 });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('step' as const), dx: fc.integer({ min: 1, max: 3 }), y }),
      fc.record({ kind: fc.constant('back' as const), by: fc.integer({ min: 0, max: 6 }), y }),
      fc.record({ kind: fc.constant('history' as const), n: fc.integer({ min: 0, max: 5 }), y }),
      fc.record({ kind: fc.constant('epoch' as const), y }),
      fc.record({ kind: fc.constant('check' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 60 }), (ops) => {
        const store = new RunSeriesStore();
        const scale = new ScaleCheck();
        let last = 0;
        for (const o of ops) {
          if (o.kind === 'step') store.addStep('a', step((last += o.dx), o.y));
          else if (o.kind === 'back') store.addStep('a', step((last = Math.max(0, last - o.by)), o.y)); // a resume
          else if (o.kind === 'history') store.setHistory({ id: 'a', steps: Array.from({ length: o.n }, (_, i) => step(i, o.y / (i + 1))), epochs: [] });
          else if (o.kind === 'epoch') store.addEpoch('a', epoch(Math.floor(last / 10) + 1, o.y));
          else for (const axis of X_AXES) expect(scale.peak('a', axis, store.get('a', axis))).toBe(rescan(store, 'a', axis));
        }
        for (const axis of X_AXES) expect(scale.peak('a', axis, store.get('a', axis))).toBe(rescan(store, 'a', axis));
      }),
    );
  });

  it('reads only the points added since the last check while a run\'s series grow', () => {
    const plain: RunSeries = { loss: [], devLoss: [], devAccuracy: [] };
    let reads = 0;
    const counted = (points: XY[]) => new Proxy(points, { get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && reads++, Reflect.get(target, key, receiver)) });
    const series: RunSeries = { loss: counted(plain.loss), devLoss: counted(plain.devLoss), devAccuracy: plain.devAccuracy };
    const scale = new ScaleCheck();
    for (let x = 0; x < 1000; x++) plain.loss.push({ x, y: 2 + Math.sin(x) });
    plain.devLoss.push({ x: 999, y: 2.5 });
    expect(scale.peak('a', 'steps', series)).toBe(highest(plain.loss, plain.devLoss));
    reads = 0;
    for (let x = 1000; x < 1003; x++) plain.loss.push({ x, y: 7 });
    expect(scale.peak('a', 'steps', series)).toBe(7);
    expect(reads).toBeLessThanOrEqual(3 + 2 * 2); // the 3 new points; of each series, its last point then and now
    reads = 0;
    expect(scale.peak('a', 'steps', series)).toBe(7);
    expect(reads).toBeLessThanOrEqual(2 * 2);
  });

  it('a series halved past MAX_POINTS is read again: a peak thinned away is no longer the peak', () => {
    const store = new RunSeriesStore();
    const scale = new ScaleCheck();
    store.addStep('a', step(0, 1));
    store.addStep('a', step(1, 500)); // an odd index: halving drops it
    for (let n = 2; n < MAX_POINTS; n++) store.addStep('a', step(n, 1 + (n % 3)));
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(500);
    store.addStep('a', step(MAX_POINTS, 2)); // the point past MAX_POINTS: halved
    expect(store.get('a').loss.length).toBeLessThan(MAX_POINTS);
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(rescan(store, 'a'));
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(3);
  });

  it('a run resumed from before its peak, or given a history without it, peaks at what is plotted now', () => {
    const store = new RunSeriesStore();
    const scale = new ScaleCheck();
    for (let n = 0; n < 10; n++) store.addStep('a', step(n, n === 8 ? 900 : 2));
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(900);
    store.addStep('a', step(5, 3)); // resumed at step 5: steps 5… go
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(3);
    store.addStep('a', step(6, 40));
    store.setHistory({ id: 'a', steps: [step(0, 2.3), step(1, 2.1)], epochs: [] }); // a new array
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(40); // the live point after the history's last step stays
    store.setHistory({ id: 'a', steps: [step(0, 2.3), step(7, 2.1)], epochs: [] });
    expect(scale.peak('a', 'steps', store.get('a'))).toBe(2.3);
  });

  it('names the out-of-scale run; hiding it, or removing it, takes the note away, showing it again brings it back', () => {
    const store = new RunSeriesStore();
    const scale = new ScaleCheck();
    const runs = [{ id: 'a', name: 'gd 0.1' }, { id: 'b', name: 'adam 50' }, { id: 'c', name: 'adam 0.001' }];
    for (let n = 0; n < 50; n++) {
      store.addStep('a', step(n, 2.3 - n / 100));
      store.addStep('b', step(n, n === 20 ? 38_093 : 30));
      store.addStep('c', step(n, 2.4 - n / 100));
    }
    expect(scale.check(runs, [], store, 'steps')).toEqual({ name: 'adam 50', peak: 38_093, others: 2.4 });
    expect(scale.check(runs, ['b'], store, 'steps')).toBeNull();
    store.addEpoch('b', epoch(1, 50_000)); // while hidden
    expect(scale.check(runs, [], store, 'steps')).toEqual({ name: 'adam 50', peak: 50_000, others: 2.4 });
    expect(scale.check(runs.filter((r) => r.id !== 'b'), [], store, 'steps')).toBeNull();
    expect(scale.check(runs, ['a'], store, 'epochs')).toEqual({ name: 'adam 50', peak: 50_000, others: 2.4 });
  });
});
