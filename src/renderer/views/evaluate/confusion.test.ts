import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../../shared/training';
import { runSummary } from '../../state/test-support';
import type { RunSummary } from '../../../shared/api/runs';
import { aClass, cellShade, classLabels, isNumberedClass, isConfusionMatrix, matrixWhen, runClassLabels, runsWithMatrix, summarizeConfusion } from './confusion';

// 3 classes, 20 examples: class 0 (8) has 6 right, 2 taken for class 2; class 1 (5) all right; class 2
// (7) has 4 right, 3 taken for class 0.
const m = [
  [6, 0, 2],
  [0, 5, 0],
  [3, 0, 4],
];

describe('summarizeConfusion', () => {
  it('counts the examples, the correct ones and the accuracy from the diagonal', () => {
    const s = summarizeConfusion(m);
    expect(s.classes).toBe(3);
    expect(s.total).toBe(20);
    expect(s.correct).toBe(15);
    expect(s.accuracy).toBe(0.75);
    expect(s.rowTotals).toEqual([8, 5, 7]);
  });

  it('gives precision (of a column) and recall (of a row) per class', () => {
    const { perClass } = summarizeConfusion(m);
    expect(perClass[0].precision).toBeCloseTo(6 / 9, 12); // 9 predicted as class 0
    expect(perClass[0].recall).toBeCloseTo(6 / 8, 12);
    expect(perClass[1]).toEqual({ precision: 1, recall: 1, f1: 1, support: 5 });
    expect(perClass[2].precision).toBeCloseTo(4 / 6, 12);
    expect(perClass[2].recall).toBeCloseTo(4 / 7, 12);
    expect(perClass[2].support).toBe(7);
  });

  it('counts the examples predicted as each class: a class never predicted has no precision to show', () => {
    expect(summarizeConfusion(m).predictedTotals).toEqual([9, 5, 6]);
    const never = summarizeConfusion([[3, 0], [2, 0]]); // nothing predicted as class 1
    expect(never.predictedTotals).toEqual([5, 0]);
    expect(never.perClass[1].precision).toBe(0); // the metric's convention; the table shows '—' for it
  });

  it('lists the mistakes, most frequent first, each with its share of the true class', () => {
    expect(summarizeConfusion(m).mistakes).toEqual([
      { truth: 2, predicted: 0, count: 3, shareOfTruth: 3 / 7 },
      { truth: 0, predicted: 2, count: 2, shareOfTruth: 2 / 8 },
    ]);
  });

  it('orders equal counts by their share of the true class, larger first, then by true class, then predicted class', () => {
    // One example each: 1 of class 1's 2 (50%), 1 of class 0's 4 (25%) twice, 1 of class 2's 4 (25%).
    const ties = summarizeConfusion([
      [2, 1, 1],
      [1, 1, 0],
      [0, 1, 3],
    ]).mistakes.map((x) => [x.truth, x.predicted]);
    expect(ties).toEqual([[1, 0], [0, 1], [0, 2], [2, 1]]);
  });

  it('has no accuracy for an empty matrix, and refuses tables that are not a square of counts', () => {
    expect(summarizeConfusion([[0, 0], [0, 0]]).accuracy).toBeNull();
    for (const bad of [[], [[1, 2]], [[1, 2], [3]], [[1, -1], [0, 0]], [[1.5, 0], [0, 0]]]) {
      expect(isConfusionMatrix(bad)).toBe(false);
      expect(() => summarizeConfusion(bad)).toThrow('square table');
    }
  });
});

describe('cellShade', () => {
  it('is the square root of the share of the row, so small mistakes stay visible', () => {
    expect(cellShade(25, 100)).toBeCloseTo(0.5, 12);
    expect(cellShade(1, 100)).toBeCloseTo(0.1, 12);
    expect(cellShade(100, 100)).toBe(1);
  });

  it('is 0 for an empty cell or row', () => {
    expect(cellShade(0, 100)).toBe(0);
    expect(cellShade(0, 0)).toBe(0);
  });
});

describe('runsWithMatrix and classLabels', () => {
  const run = (id: string, confusion: number[][]) => ({ id, confusion }) as RunSummary;

  it('keeps the runs that evaluated a dev set, in order', () => {
    const runs = [run('a', []), run('b', [[0, 0], [0, 0]]), run('c', [[3, 1], [0, 2]]), run('d', [[1]])];
    expect(runsWithMatrix(runs).map((r) => r.id)).toEqual(['c', 'd']);
  });

  it('uses the data set’s class names when there is one per class, else the class numbers', () => {
    expect(classLabels(2, ['cat', 'dog'])).toEqual(['cat', 'dog']);
    expect(classLabels(3, ['cat', 'dog'])).toEqual(['0', '1', '2']);
    expect(classLabels(2, null)).toEqual(['0', '1']);
  });

  it('a run’s names: its open data set’s, else those its file’s name gives (the data set closed, or the app restarted)', () => {
    const fashion = { datasetId: 'ds-1', datasetName: 'fashion_train.csv' };
    const open = [{ id: 'ds-1', fingerprint: 'f1', classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] }];
    expect(runClassLabels(10, fashion, open)[0]).toBe('a');
    expect(runClassLabels(10, fashion, [])).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(runClassLabels(10, { datasetId: 'ds-closed', datasetName: 'digits.csv' }, open)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // an imported model: the names its file gives
    const imported = { datasetId: '', datasetName: 'fashion_train.csv', imported: { fileName: 'm.json', width: 28, height: 28, labels: ['x', 'y'] } };
    expect(runClassLabels(2, imported, open)).toEqual(['x', 'y']);
  });

  it('a run’s names when its file is open again under a new id (closed and dropped again, or after a restart): by its fingerprint', () => {
    const named = (id: string, fingerprint: string, first: string) => ({ id, fingerprint, classNames: [first, 'b', 'c'] });
    const run = { datasetId: 'ds-1', datasetName: 'bars.csv', dataset: { fingerprint: 'f1' } };
    expect(runClassLabels(3, run, [named('ds-7', 'f2', 'other'), named('ds-8', 'f1', 'again')])[0]).toBe('again');
    // the one it started with first; of several opened again, the newest
    expect(runClassLabels(3, run, [named('ds-1', 'f1', 'first'), named('ds-8', 'f1', 'again')])[0]).toBe('first');
    expect(runClassLabels(3, run, [named('ds-8', 'f1', 'again'), named('ds-9', 'f1', 'newest')])[0]).toBe('newest');
    // not the same data: the defaults
    expect(runClassLabels(3, run, [named('ds-7', 'f2', 'other')])).toEqual(['0', '1', '2']);
    expect(runClassLabels(3, { datasetId: 'ds-1', datasetName: 'bars.csv' }, [named('ds-7', 'f1', 'other')])).toEqual(['0', '1', '2']);
  });

  it('a run whose data is not open takes the names saved for its data (by fingerprint), before the defaults', () => {
    const run = { datasetId: 'ds-1', datasetName: 'fashion_bars.csv', dataset: { fingerprint: 'f1' } };
    const saved = (fingerprint: string) => (fingerprint === 'f1' ? ['Tee', 'Pants', 'Coat'] : undefined);
    expect(runClassLabels(3, run, [], saved)).toEqual(['Tee', 'Pants', 'Coat']); // it read 0, 1, 2 once the file was closed
    // open data still comes first; saved names of another count are not taken; no fingerprint, no lookup
    expect(runClassLabels(3, run, [{ id: 'ds-1', fingerprint: 'f1', classNames: ['a', 'b', 'c'] }], saved)[0]).toBe('a');
    expect(runClassLabels(4, run, [], saved)).toEqual(['0', '1', '2', '3']);
    expect(runClassLabels(3, { datasetId: 'ds-1', datasetName: 'bars.csv' }, [], saved)).toEqual(['0', '1', '2']);
  });

  it('tells a numbered class from a named one', () => {
    expect(isNumberedClass('7')).toBe(true);
    expect(isNumberedClass('10')).toBe(true);
    expect(isNumberedClass('Shirt')).toBe(false);
    expect(isNumberedClass('7a')).toBe(false);
    expect(isNumberedClass('')).toBe(false);
  });

  it('puts "a" or "an" before a class as it is read aloud', () => {
    expect(aClass('7')).toBe('a 7');
    expect(aClass('0')).toBe('a 0');
    expect(aClass('8')).toBe('an 8');
    expect(aClass('11')).toBe('an 11');
    expect(aClass('18')).toBe('an 18');
    expect(aClass('80')).toBe('an 80');
    expect(aClass('800')).toBe('an 800');
    expect(aClass('8000')).toBe('an 8000');
    expect(aClass('11000')).toBe('an 11000');
    expect(aClass('110')).toBe('a 110');
    expect(aClass('1')).toBe('a 1');
    expect(aClass('Trouser')).toBe('a Trouser');
    expect(aClass('T-shirt/top')).toBe('a T-shirt/top');
    expect(aClass('Ankle boot')).toBe('an Ankle boot');
    expect(aClass('F')).toBe('an F');
    expect(aClass('B')).toBe('a B');
    expect(aClass('u')).toBe('a u');
  });

});

describe('matrixWhen', () => {
  const progress = (step: number, epoch: number) => ({ step, totalSteps: 705, epoch, samplesPerSecond: 0, etaSeconds: null, loss: null });
  it('after which epoch: whole epochs while it trains, the fraction it ended at once stopped', () => {
    expect(matrixWhen(runSummary({ status: 'running', epochsDone: 2, progress: progress(300, 2.1) }))).toBe('After epoch 2 of 5');
    expect(matrixWhen(runSummary({ status: 'stopped', epochsDone: 1, progress: progress(207, 1.47) }))).toBe('After epoch 1.47 of 5');
    const iterations = { ...presetConfig('standard'), duration: { unit: 'iterations', count: 1500 } } as const;
    expect(matrixWhen(runSummary({ status: 'completed', epochsDone: 10, config: iterations, progress: progress(1500, 10.6) }))).toBe('After epoch 10.60 (1,500 steps in all)');
  });
  it('a run stopped before its first step: its initial weights, not "After epoch 0"', () => {
    expect(matrixWhen(runSummary({ status: 'stopped', epochsDone: 0, progress: progress(0, 0) }))).toBe('Its initial, untrained weights (stopped before its first step)');
  });
});
