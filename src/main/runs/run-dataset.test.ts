// A continued run finds its data again after a restart (new data set ids), on the rows and split it trained
// on, and never on another file; runs recorded before fingerprints match by file name and shape.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRef } from '../../shared/api/files';
import type { RunSummary } from '../../shared/api/runs';
import type { OpenResult } from '../../shared/datasets';
import { presetConfig, type TrainerState } from '../../shared/training';
import { formatCsv } from '../datasets/csv-writer';
import { createDatasetService } from '../datasets/service';
import { makeData } from '../datasets/test-helpers';
import type { ServiceContext } from '../services/context';
import { checkSameData, findRunDataset } from './run-dataset';
import { continueDataFrom, runDataFrom } from './service';
import { newSummary } from '../../shared/api/runs';

const dir = mkdtempSync(join(tmpdir(), 'mlp-run-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, rows: number, seed: number): FileRef {
  const path = join(dir, name);
  writeFileSync(path, formatCsv(makeData(rows, 4, 10, true, seed)));
  return { kind: 'path', path };
}
const digits = file('digits.csv', 200, 1);
const other = file('other.csv', 200, 2);
const digitsTest = file('digits-test.csv', 100, 3);

/** One app session's data sets (ids are new every session). */
function session() {
  const ctx: ServiceContext = { dataDir: join(dir, 'user'), emit: () => {}, resolveFile: (ref) => ({ path: (ref as { path: string }).path, displayName: (ref as { path: string }).path }) };
  const service = createDatasetService(ctx);
  const open = async (ref: FileRef) => {
    const result: OpenResult = await service.open(ref, {});
    if (result.kind !== 'loaded') throw new Error(JSON.stringify(result));
    return result.summary.id;
  };
  const options = { getDataset: service.getDataset, loadedDatasets: service.loadedDatasets };
  return { service, open, options };
}

/** A run started on data set `id` of that session (with test set `testId`), as the run manager records it. */
function runOn(s: ReturnType<typeof session>, id: string, testId: string | null = null): RunSummary {
  const data = runDataFrom(s.service.getDataset, id, testId);
  const config = { ...presetConfig('standard'), devRows: data.devRows };
  return newSummary({ id: 'r1', config, devRows: data.devRows, datasetId: id, datasetName: data.datasetName, dataset: data.dataset, name: 'my run', groupId: null, colorIndex: 0, createdAt: 0, threads: 1 });
}

const state = (inputs: number, classes: number) => ({ layerSizes: [inputs, 128, classes] }) as TrainerState;

describe('starting a run in the app', () => {
  it('refuses a test set the network cannot be measured on, before the run starts, naming both data sets', async () => {
    const s = session();
    writeFileSync(join(dir, 'three-classes.csv'), formatCsv(makeData(60, 4, 3, true, 4)));
    const three = await s.open({ kind: 'path', path: join(dir, 'three-classes.csv') });
    const tenTest = await s.open(digitsTest);
    expect(() => runDataFrom(s.service.getDataset, three, tenTest)).toThrow(
      "the test file 'digits-test.csv' has labels up to 9 but the training file 'three-classes.csv' only up to 2",
    );
    expect(runDataFrom(s.service.getDataset, await s.open(digits), tenTest).test?.rows).toBe(100);
  });
});

describe('continuing a run on its own data', () => {
  it('finds the same file under its new id after a restart, and names the file when it is not open', async () => {
    const first = session();
    const run = runOn(first, await first.open(digits));
    expect(run.dataset).toMatchObject({ rows: 200, width: 4, height: 4, split: { kind: 'first', devRows: 20, testId: null } });

    const second = session();
    const otherId = await second.open(other);
    expect(() => continueDataFrom(second.options, run, null, null)).toThrow(
      "digits.csv (200 rows), the data run 'my run' trained on, is not open: open that file in the Data view first",
    );
    // The built-in sample is no file to open: the way to load it is named instead.
    expect(() => continueDataFrom(second.options, { ...run, datasetName: 'Built-in MNIST sample' }, null, null)).toThrow(
      "Built-in MNIST sample (200 rows), the data run 'my run' trained on, is not open: load it with 'Use the built-in MNIST sample' first",
    );
    const digitsId = await second.open(digits);
    expect(digitsId).not.toBe(run.datasetId);
    const found = continueDataFrom(second.options, run, null, null);
    expect(found.datasetId).toBe(digitsId);
    expect(found.data.pixels).toEqual(first.service.getDataset(run.datasetId)?.data.pixels);
    expect(found.dataset).toEqual(run.dataset);
    expect(findRunDataset(second.service.loadedDatasets(), run, null).id).not.toBe(otherId);
  });

  it('continues with the split the run recorded, whatever the data set is split as now', async () => {
    const first = session();
    const id = await first.open(digits);
    first.service.setSplit(id, { kind: 'random', devFraction: 0.25, seed: 9, stratified: true });
    const run = runOn(first, id);
    const original = runDataFrom(first.service.getDataset, id, null);
    const second = session();
    second.service.setSplit(await second.open(digits), { kind: 'first', devRows: 50 });
    const continued = continueDataFrom(second.options, run, null, null);
    expect(continued.devRows).toBe(50);
    expect(continued.data.pixels).toEqual(original.data.pixels);
    expect(continued.data.labels).toEqual(original.data.labels);
  });

  it('a run recorded before fingerprints continues on a data set with its name and shape, with its dev rows', async () => {
    const first = session();
    const { dataset: _dropped, ...legacy } = runOn(first, await first.open(digits));
    void _dropped;
    const second = session();
    await second.open(other);
    expect(() => continueDataFrom(second.options, legacy, null, state(16, 10))).toThrow("digits.csv, the data run 'my run' trained on, is not open");
    const id = await second.open(digits);
    expect(() => continueDataFrom(second.options, legacy, null, state(25, 10))).toThrow('digits.csv, the data run');
    expect(continueDataFrom(second.options, legacy, null, state(16, 10)).datasetId).toBe(id);
    second.service.setSplit(id, { kind: 'first', devRows: 30 });
    expect(() => continueDataFrom(second.options, legacy, null, state(16, 10))).toThrow(
      "run 'my run' used 20 dev rows, and digits.csv's dev set is now 30: set it back in the Data view first",
    );
  });

  it('checkSameData refuses other data or another split, naming the run and both files', async () => {
    const s = session();
    const run = runOn(s, await s.open(digits));
    const wanted = run.dataset!;
    expect(() => checkSameData(run, wanted, 'digits.csv')).not.toThrow();
    expect(() => checkSameData(run, { ...wanted, fingerprint: '0'.repeat(32) }, 'other.csv')).toThrow(
      "run 'my run' trained on digits.csv (200 rows); other.csv is other data, so the run cannot continue on it",
    );
    expect(() => checkSameData(run, { ...wanted, split: { kind: 'random', devFraction: 0.1, seed: 1, stratified: false } }, 'digits.csv')).toThrow(
      "run 'my run' trained on digits.csv (200 rows) with the first 20 rows as the dev set; it cannot continue with a random dev set (0.1 of the rows, seed 1)",
    );
  });
});

describe('continuing a run with its own test set', () => {
  it('records the test set attached to its data set, or the one it was given', async () => {
    const s = session();
    const id = await s.open(digits);
    const testId = await s.open(digitsTest);
    const fingerprint = s.service.getDataset(testId)!.summary.fingerprint;
    expect(runOn(s, id).dataset?.test).toBeNull();
    expect(runOn(s, id, testId).dataset?.test).toEqual({ fingerprint, name: 'digits-test.csv', rows: 100 });
    s.service.setSplit(id, { kind: 'first', devRows: 20, testId });
    const run = runOn(s, id);
    expect(run.dataset?.test).toEqual({ fingerprint, name: 'digits-test.csv', rows: 100 });
    expect(run.dataset?.split).toEqual({ kind: 'first', devRows: 20, testId: null });
  });

  it('after a restart, is measured on its test set found by fingerprint, not on the one its data set has now', async () => {
    const first = session();
    const id = await first.open(digits);
    first.service.setSplit(id, { kind: 'first', devRows: 20, testId: await first.open(digitsTest) });
    const run = runOn(first, id);

    const second = session();
    const digitsId = await second.open(digits);
    second.service.setSplit(digitsId, { kind: 'first', devRows: 20, testId: await second.open(other) }); // another test set now
    const testId = await second.open(digitsTest);
    const continued = continueDataFrom(second.options, run, null, state(16, 10));
    expect(continued.test?.pixels).toEqual(second.service.getDataset(testId)!.data.pixels);
    expect(continued.notice).toBeNull();
    expect(continued.dataset).toEqual(run.dataset);
  });

  it('when its test set is not open, continues without one, and the notice names the file and the epoch', async () => {
    const first = session();
    const run = runOn(first, await first.open(digits), await first.open(digitsTest));
    const second = session();
    const digitsId = await second.open(digits);
    second.service.setSplit(digitsId, { kind: 'first', devRows: 20, testId: await second.open(other) });
    const continued = continueDataFrom(second.options, run, null, { ...state(16, 10), epoch: 3 });
    expect(continued.test).toBeNull();
    expect(continued.notice).toBe(
      "no test accuracy from epoch 4 on: digits-test.csv (100 rows), the test set of run 'my run', was not open when the run continued (to measure it again while the run trains, open it in the Data view, then stop and continue the run)",
    );
    expect(continueDataFrom(second.options, run, null, null).notice).toMatch(/^no test accuracy from epoch 1 on: digits-test\.csv/);
  });

  it('a run recorded without a test set continues without one; a run recorded before test sets were kept, as before', async () => {
    const first = session();
    const run = runOn(first, await first.open(digits));
    expect(run.dataset?.test).toBeNull();
    const second = session();
    const digitsId = await second.open(digits);
    const testId = await second.open(digitsTest);
    second.service.setSplit(digitsId, { kind: 'first', devRows: 20, testId });
    expect(continueDataFrom(second.options, run, null, null)).toMatchObject({ test: null, notice: null });
    const { test: _dropped, ...olderDataset } = run.dataset!;
    void _dropped;
    const older = { ...run, dataset: olderDataset };
    const continued = continueDataFrom(second.options, older, null, null);
    expect(continued.test?.pixels).toEqual(second.service.getDataset(testId)!.data.pixels);
    expect(continued.notice).toBeNull();
    expect(continued.dataset?.test?.name).toBe('digits-test.csv'); // recorded from now on (RunManager.continue)
  });
});
