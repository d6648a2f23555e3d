import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api/runs';
import type { DatasetSummary } from '../../../shared/datasets';
import { presetConfig } from '../../../shared/training';
import { datasetForRun } from './reuse';
import { runSummary } from '../../state/test-support';

// A 5-epoch Standard run on fashion_test.csv: 10,000 rows, 1,000 dev → 141 steps per epoch, 705 in all.
function run(over: Partial<RunSummary> = {}): RunSummary {
  return runSummary({
    datasetId: 'old-id',
    progress: { step: 705, totalSteps: 705, epoch: 5, samplesPerSecond: 0, etaSeconds: 0, loss: 0.4 },
    epochsDone: 5,
    confusion: Array.from({ length: 10 }, () => Array<number>(10).fill(0)),
    ...over,
  });
}

function dataset(id: string, name: string, rows: number, classes = 10, labeled = true, side = 28, fingerprint = `fp-${name}-${rows}-${classes}-${side}`): DatasetSummary {
  return {
    id,
    fingerprint,
    name,
    format: 'csv',
    files: [name],
    rows,
    width: side,
    height: side,
    classes,
    labeled,
    classNames: Array.from({ length: classes }, (_, k) => String(k)),
    classCounts: Array<number>(classes).fill(rows / classes),
    header: true,
    labelColumn: 1,
    scaledFromUnit: false,
    stretchedFrom: null,
    separator: null,
    pixelMean: 72,
    pixelStd: 90,
    emptyImages: 0,
    duplicates: 0,
    duplicateExamples: [],
    meanImages: new Uint8Array(0),
    skipped: { count: 0, lines: [], rows: [], problems: [] },
    bytes: 0,
    parseMs: 0,
    split: { options: { kind: 'first', devRows: 1000 }, trainRows: rows - 1000, devRows: 1000, devClassCounts: [], testId: null, testRows: 0 },
  };
}

describe('datasetForRun: the data set "Reuse settings" selects', () => {
  const other = dataset('d-other', 'dropped-base.csv', 5);

  it('the run\'s own data set by id while it is loaded, even if another is newer', () => {
    const own = dataset('old-id', 'fashion_test.csv', 10_000);
    expect(datasetForRun(run(), [own, other])?.id).toBe('old-id');
  });

  it('after a restart (new ids): the set with the same name whose rows give the run\'s steps', () => {
    const reopened = dataset('new-id', 'fashion_test.csv', 10_000);
    expect(datasetForRun(run(), [reopened, other])?.id).toBe('new-id');
  });

  it('not a set of the same name with other rows or other classes', () => {
    expect(datasetForRun(run(), [dataset('x', 'fashion_test.csv', 20_000), other])).toBeNull();
    expect(datasetForRun(run(), [dataset('y', 'fashion_test.csv', 10_000, 5)])).toBeNull();
    expect(datasetForRun(run(), [dataset('z', 'fashion_test.csv', 10_000, 10, false)])).toBeNull();
  });

  it('not loaded at all: null (never another data set)', () => {
    expect(datasetForRun(run(), [other])).toBeNull();
    expect(datasetForRun(run(), [])).toBeNull();
  });

  it('of look-alikes, the newest', () => {
    const a = dataset('a', 'fashion_test.csv', 10_000);
    const b = dataset('b', 'fashion_test.csv', 10_000);
    expect(datasetForRun(run(), [a, b])?.id).toBe('b');
  });

  it('a run whose steps say nothing of the rows (iterations) matches by name, classes and a dev set that fits', () => {
    const iterations = run({ config: { ...presetConfig('standard'), duration: { unit: 'iterations', count: 500 } }, progress: { ...run().progress, totalSteps: 500 } });
    expect(datasetForRun(iterations, [dataset('n', 'fashion_test.csv', 20_000)])?.id).toBe('n');
    expect(datasetForRun(iterations, [dataset('m', 'fashion_test.csv', 800)])).toBeNull();
  });

  it('a run that recorded its data: the loaded set with its fingerprint, whatever its name; none without it', () => {
    const recorded = run({ dataset: { fingerprint: 'f'.repeat(32), rows: 10_000, width: 28, height: 28, split: { kind: 'first', devRows: 1000 } } });
    const renamed = dataset('n', 'fashion_test copy.csv', 10_000, 10, true, 28, 'f'.repeat(32));
    expect(datasetForRun(recorded, [renamed, other])?.id).toBe('n');
    // same name, rows and size, other content: not the run's data
    expect(datasetForRun(recorded, [dataset('s', 'fashion_test.csv', 10_000)])).toBeNull();
  });
});
