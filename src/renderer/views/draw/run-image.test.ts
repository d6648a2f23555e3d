import { describe, expect, it } from 'vitest';
import { runSummary } from '../../state/test-support';
import { datasetsItReads, penWidth, previewScale, runClassCount, runImageSize, runsWithWeights } from './run-image';

const split = { kind: 'first', devRows: 1 } as const;

describe('runImageSize', () => {
  const open = [{ id: 'd1', width: 16, height: 16 }];
  it("the run's own record of its data first", () => {
    expect(runImageSize(runSummary({ dataset: { fingerprint: 'f', rows: 10, width: 32, height: 20, split } }), open)).toEqual({ width: 32, height: 20 });
  });
  it('else the open data set it was started on, else 28×28', () => {
    expect(runImageSize(runSummary({ datasetId: 'd1' }), open)).toEqual({ width: 16, height: 16 });
    expect(runImageSize(runSummary({ datasetId: 'gone' }), open)).toEqual({ width: 28, height: 28 });
  });
  it('an imported model: the size its file gives, and its classes (it has no data set and no matrix)', () => {
    const imported = runSummary({ datasetId: '', imported: { fileName: 'm.json', width: 8, height: 8, labels: ['a', 'b'] } });
    expect(runImageSize(imported, open)).toEqual({ width: 8, height: 8 });
    expect(runClassCount(imported, [])).toBe(2);
  });
});

describe('datasetsItReads', () => {
  it('the loaded data sets of the shape the model reads (not another shape of as many pixels: 16×4 is not 8×8)', () => {
    const imported = runSummary({ datasetId: '', imported: { fileName: 'm.json', width: 8, height: 8, labels: ['a', 'b'] } });
    const loaded = [{ id: 'a', width: 8, height: 8 }, { id: 'b', width: 28, height: 28 }, { id: 'c', width: 16, height: 4 }];
    expect(datasetsItReads(imported, loaded).map((d) => d.id)).toEqual(['a']);
  });
});

describe('previewScale', () => {
  it('whole image pixels up to 112 px, the 28×28 preview as before', () => {
    expect([28, 8, 16, 32, 112, 5].map((s) => previewScale({ width: s, height: s }))).toEqual([4, 14, 7, 3, 1, 22]);
    expect(previewScale({ width: 20, height: 32 })).toBe(3);
  });
  it('images larger than the preview shrink to it', () => {
    expect(previewScale({ width: 224, height: 100 })).toBe(0.5);
  });
});

describe('penWidth', () => {
  it("MNIST's pen at 28×28 and up, thicker for small images, within limits", () => {
    expect(penWidth({ width: 28, height: 28 })).toBe(1 / 13);
    expect(penWidth({ width: 64, height: 64 })).toBe(1 / 13);
    expect(penWidth({ width: 8, height: 8 })).toBeCloseTo(0.15, 2);
    expect(penWidth({ width: 16, height: 16 })).toBeGreaterThan(1 / 13);
    expect(penWidth({ width: 2, height: 2 })).toBe(1 / 6);
  });
});

describe('runsWithWeights', () => {
  const progress = (step: number) => ({ step, totalSteps: 10, epoch: step / 10, samplesPerSecond: 0, etaSeconds: null, loss: null });
  it('a run trained without a dev set has weights to draw with, though no matrix', () => {
    const noDev = runSummary({ id: 'no-dev', status: 'completed', checkpointEpoch: 3, epochsDone: 3, confusion: [], progress: progress(30) });
    expect(runsWithWeights([noDev]).map((r) => r.id)).toEqual(['no-dev']);
  });
  it("a run stopped inside its first epoch answers with the weights it stopped with; one stopped before its first step, or still in it, has none", () => {
    const runs = [
      runSummary({ id: 'stopped-at-3', status: 'stopped', checkpointEpoch: 0, progress: progress(3) }),
      runSummary({ id: 'stopped-at-0', status: 'stopped', checkpointEpoch: 0, progress: progress(0), confusion: [[1, 0], [0, 1]] }),
      runSummary({ id: 'first-epoch', status: 'running', checkpointEpoch: 0, progress: progress(5) }),
      runSummary({ id: 'epoch-2', status: 'running', checkpointEpoch: 1, progress: progress(15) }),
      runSummary({ id: 'diverged', status: 'diverged', checkpointEpoch: 0, progress: progress(4) }),
    ];
    expect(runsWithWeights(runs).map((r) => r.id)).toEqual(['stopped-at-3', 'epoch-2']);
  });
});

describe('runClassCount', () => {
  const open = [{ id: 'd1', fingerprint: 'f1', classes: 6 }];
  it("its matrix's size, else its open data set's classes, else unknown", () => {
    expect(runClassCount(runSummary({ confusion: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }), open)).toBe(3);
    expect(runClassCount(runSummary({ confusion: [], datasetId: 'd1' }), open)).toBe(6);
    expect(runClassCount(runSummary({ confusion: [], datasetId: 'gone' }), open)).toBeNull();
  });
  it('its data opened again under a new id: found by fingerprint', () => {
    const dataset = { fingerprint: 'f1', rows: 10, width: 28, height: 28, split };
    expect(runClassCount(runSummary({ confusion: [], datasetId: 'gone', dataset }), open)).toBe(6);
    expect(runClassCount(runSummary({ confusion: [], datasetId: 'gone', dataset: { ...dataset, fingerprint: 'f2' } }), open)).toBeNull();
  });
});
