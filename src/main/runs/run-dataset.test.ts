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
import { newSummary } from './summary';

const dir = mkdtempSync(join(tmpdir(), 'mlp-run-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, rows: number, seed: number): FileRef {
  const path = join(dir, name);
  writeFileSync(path, formatCsv(makeData(rows, 4, 10, true, seed)));
  return { kind: 'path', path };
}
const digits = file('digits.csv', 200, 1);
const other = file('other.csv', 200, 2);

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

/** A run started on data set `id` of that session, as the run manager records it. */
function runOn(s: ReturnType<typeof session>, id: string): RunSummary {
  const data = runDataFrom(s.service.getDataset, id, null);
  const config = { ...presetConfig('standard'), devRows: data.devRows };
  return newSummary({ id: 'r1', config, devRows: data.devRows, datasetId: id, datasetName: data.datasetName, dataset: data.dataset, name: 'my run', groupId: null, colorIndex: 0, createdAt: 0, threads: 1 });
}

const state = (inputs: number, classes: number) => ({ layerSizes: [inputs, 128, classes] }) as TrainerState;

describe('continuing a run on its own data', () => {
  it('finds the same file under its new id after a restart, and names the file when it is not open', async () => {
    const first = session();
    const run = runOn(first, await first.open(digits));
    expect(run.dataset).toMatchObject({ rows: 200, width: 4, height: 4, split: { kind: 'first', devRows: 20, testId: null } });

    const second = session();
    const otherId = await second.open(other);
    expect(() => continueDataFrom(second.options, run, null, null)).toThrow(
      "digits.csv (200 rows), the data run 'my run' trained on, is not open: open that file in the Data view, then continue the run",
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
      "run 'my run' used 20 dev rows, and digits.csv's dev set is now 30: set it back in the Data view, then continue the run",
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
