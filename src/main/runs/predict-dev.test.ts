// A finished run's dev predictions from its saved weights — the network's forward pass over the dev rows where
// they are in the loaded data set — against its plain twin: a Trainer built on the rows arranged for training
// (what was done before), evaluating its dev set.
import { describe, expect, it } from 'vitest';
import { newSummary, type RunSummary } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { SplitOptions } from '../../shared/datasets';
import { presetConfig, type KernelName, type TrainConfig, type TrainerState } from '../../shared/training';
import { Trainer } from '../../worker/core/trainer';
import { spareMemoryStats } from '../../worker/wasm/spare-memory';
import type { LoadedDataset } from '../datasets/load';
import { computeSplit } from '../datasets/split';
import { arrangedDevRows, predictDev, predictPassRows } from './predict-dev';
import { continueDataFrom, devRowsFrom } from './service';
import { bandsDataset } from './test-support';

const KERNELS: KernelName[] = ['plain', 'wasm'];
const data = bandsDataset(1500);

function config(devRows: number): TrainConfig {
  return { ...presetConfig('standard'), hidden: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], batchSize: 32, duration: { unit: 'epochs', count: 50 }, devRows };
}

/** A loaded data set (what the datasets service holds), split as the Data view has it now. */
function loadedDataset(id: string, split: SplitOptions): LoadedDataset {
  const summary = { name: 'bands.csv', fingerprint: 'b'.repeat(32), split: { options: split, testId: null } };
  return { id, data, summary, split: computeSplit(split, data.rows, data.labels, data.classes), test: null, rowsByClass: [] } as unknown as LoadedDataset;
}

/** The run's weights after `steps` steps, and what its Trainer (on the rows arranged dev-first) records for its dev set. */
function trained(run: RunSummary, arranged: DatasetData, steps: number): { state: TrainerState; expected: { predicted: Uint8Array; confidence: Float32Array } } {
  const train = { pixels: arranged.pixels, labels: arranged.labels!, rows: arranged.rows, inputSize: 36, classes: 3 };
  const trainer = new Trainer(run.config, train);
  for (let i = 0; i < steps; i++) trainer.step();
  const devRows = run.config.devRows;
  const expected = { predicted: new Uint8Array(devRows), confidence: new Float32Array(devRows) };
  trainer.evaluateDev(expected);
  return { state: trainer.getState(), expected };
}

describe('predictDev', () => {
  it('predicts the dev rows of a random split where they are in the data set, as a Trainer on the arranged rows does', () => {
    const recorded: SplitOptions = { kind: 'random', devFraction: 0.7, seed: 5, stratified: true };
    // The data set is split otherwise now; the run's own split is the one it recorded.
    const options = { getDataset: () => undefined, loadedDatasets: () => [loadedDataset('ds-now', { kind: 'first', devRows: 1200 })] };
    const dev = computeSplit(recorded, data.rows, data.labels, data.classes).dev;
    expect(dev.length).toBeGreaterThan(1024); // more than one forward pass
    const dataset = { fingerprint: 'b'.repeat(32), rows: data.rows, width: 6, height: 6, split: recorded };
    const run = newSummary({ id: 'r', config: config(dev.length), devRows: dev.length, datasetId: 'ds-then', datasetName: 'bands.csv', dataset, groupId: null, colorIndex: 0, createdAt: 0, threads: 1 });
    const continued = continueDataFrom(options, run, null, null);
    const { state, expected } = trained(run, continued.data, 80);
    expect(new Set(expected.predicted).size).toBe(3); // weights that tell the classes apart (not one answer for all)

    const rows = devRowsFrom(options, run, state);
    expect(rows).toMatchObject({ datasetId: 'ds-now', datasetName: 'bands.csv', dataset, rows: dev, order: dev });
    expect(rows.data).toBe(data); // the loaded rows, not a copy arranged for training
    expect(Array.from(rows.rows)).toEqual(Array.from(continued.devIndices!));
    for (const kernels of KERNELS) {
      for (const from of [rows, arrangedDevRows(continued)!]) {
        const got = predictDev(run.config, state, from, kernels);
        expect(Array.from(got.predicted), kernels).toEqual(Array.from(expected.predicted));
        for (let i = 0; i < dev.length; i++) expect(got.confidence[i]).toBeCloseTo(expected.confidence[i], 5);
      }
    }
  });

  it('says when the saved weights are not for this data', () => {
    const run = config(100);
    const state = { layerSizes: [25, 16, 8, 3], params: new Float32Array(10) } as TrainerState;
    const dev = { datasetName: 'bands.csv', data, order: null, rows: new Uint32Array(100) };
    expect(() => predictDev(run, state, dev, 'plain')).toThrow('the saved weights are for a 25-16-8-3 network, not one for 6×6 images of 3 classes');
    expect(() => predictDev(run, { ...state, layerSizes: [36, 16, 8, 3] }, dev, 'plain')).toThrow('the saved weights hold 10 numbers, the network has 755');
  });

  it('gives its WebAssembly memory back to the thread, after a failed prediction too: the next one makes no new memory', () => {
    const run = config(100);
    const weights = { layerSizes: [36, 16, 8, 3], params: new Float32Array(755) } as TrainerState;
    const dev = { datasetName: 'bands.csv', data, order: null, rows: new Uint32Array(100) };
    predictDev(run, weights, dev, 'wasm');
    const created = spareMemoryStats.created;
    expect(() => predictDev(run, { ...weights, params: new Float32Array(10) }, dev, 'wasm')).toThrow('the saved weights hold 10 numbers');
    expect(predictDev(run, weights, dev, 'wasm').predicted).toHaveLength(100);
    expect(spareMemoryStats.created).toBe(created); // each took the memory the one before gave back
  });

  it("an imported run's rows: every row of the data set it was measured on, found by fingerprint, or why not", () => {
    const options = { loadedDatasets: () => [loadedDataset('ds-now', { kind: 'first', devRows: 100 })] };
    const run = newSummary({ id: 'r', config: config(0), devRows: 0, datasetId: '', datasetName: 'fashion_train.csv', groupId: null, colorIndex: 0, createdAt: 0, threads: 1 });
    const state = { layerSizes: [36, 16, 8, 3], params: new Float32Array(755) } as TrainerState;
    const imported = { fileName: 'm.json', width: 6, height: 6, labels: ['a', 'b', 'c'] };
    expect(() => devRowsFrom(options, { ...run, name: 'm', imported }, state)).toThrow("run 'm' was imported and has not been measured on a data set yet");
    const measured = { ...run, name: 'm', imported: { ...imported, evaluatedOn: { fingerprint: 'b'.repeat(32), name: 'bands-then.csv', rows: data.rows } } };
    const rows = devRowsFrom(options, measured, state);
    expect(rows).toMatchObject({ datasetId: 'ds-now', datasetName: 'bands.csv', order: null });
    expect(rows.data).toBe(data);
    expect(Array.from(rows.rows)).toEqual(Array.from({ length: data.rows }, (_, i) => i));
    const elsewhere = { ...measured, imported: { ...imported, evaluatedOn: { fingerprint: 'c'.repeat(32), name: 'other.csv', rows: 70 } } };
    expect(() => devRowsFrom(options, elsewhere, state)).toThrow("other.csv (70 rows), the data set 'm' was measured on, is not open: open it in the Data view first");
  });

  it('predicts in passes of a training pass\'s height, fewer rows for a big network (at least 64)', () => {
    expect(predictPassRows(60_000, [784, 128, 10])).toBe(1024);
    expect(predictPassRows(100, [784, 128, 10])).toBe(256); // the buffers' height for a small set, as a Trainer's
    expect(predictPassRows(60_000, [784, 1024, 1024, 10])).toBe(268); // 1.86 M weights: 5e8 multiply-adds a pass
    expect(predictPassRows(60_000, [784, 4096, 4096, 4096, 10])).toBe(64);
  });

  it('arrangedDevRows: the first devRows rows, when the data says which data-set rows they are', () => {
    const runData = { datasetName: 'bands.csv', data, devRows: 3, test: null };
    expect(arrangedDevRows(runData)).toBeNull();
    const devIndices = Uint32Array.of(7, 2, 9);
    expect(arrangedDevRows({ ...runData, devIndices })).toEqual({ datasetName: 'bands.csv', data, order: null, rows: devIndices, dataset: undefined, datasetId: undefined });
  });
});
