// The RunManager continuing runs on their recorded data after a restart: the data set found by its
// fingerprint, older records without it, and the run's separate test set (found, or missing with a notice).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunData, RunManager, RunManagerDeps } from './manager';
import { config, runData as harnessRunData, useRunManagers } from './manager-harness';
import { bandsDataset } from './test-support';

const { setup } = useRunManagers();

/** These runs' data: 30,000 rows of 6×6 (the harness's bands), so that their epochs end ~30 ms apart and a
 *  stop sent at an epoch's message lands inside the next epoch. With the harness's 600 rows the epochs'
 *  messages came 0.1 ms apart, and once (CI, a busy machine) a continued run finished before its stop. */
const ROWS = 30_000;
const runData: RunData = { ...harnessRunData, data: bandsDataset(ROWS) };

/** Stops the run at its first epoch message (it is still running then). */
function stopOnce(manager: RunManager, id: string): void {
  if (manager.list().find((r) => r.id === id)?.status === 'running') manager.stop(id);
}

describe('RunManager continuing on recorded data', () => {
  it('a run continues after a restart on the data found by its fingerprint (under its new id), never on other data', async () => {
    const split = { kind: 'first', devRows: 60, testId: null } as const;
    const identity = { fingerprint: 'a'.repeat(32), rows: ROWS, width: 6, height: 6, split };
    const first = setup(1, undefined, undefined, { ...runData, dataset: identity }, (id) => stopOnce(first.manager, id));
    const run = first.manager.start({ datasetId: 'ds-1-old', config: config() });
    expect(run.dataset).toEqual(identity);
    expect((await first.manager.whenEnded(run.id)).status).toBe('stopped');

    const asked: string[] = [];
    const found = (fingerprint: string): RunManagerDeps['dataToContinue'] => (summary) => {
      asked.push(summary.datasetId);
      return { ...runData, dataset: { ...identity, fingerprint }, datasetId: 'ds-1-new' };
    };
    const wrong = setup(1, first.folder, undefined, runData, undefined, { dataToContinue: found('b'.repeat(32)) });
    await wrong.manager.init();
    await expect(wrong.manager.continue(run.id)).rejects.toThrow(`run '${run.name}' trained on bands (30,000 rows); bands is other data, so the run cannot continue on it`);
    expect(wrong.manager.list()[0].status).toBe('stopped');

    const right = setup(1, first.folder, undefined, runData, undefined, { dataToContinue: found('a'.repeat(32)) });
    await right.manager.init();
    const continued = await right.manager.continue(run.id);
    expect(asked).toEqual(['ds-1-old', 'ds-1-old']);
    expect(continued).toMatchObject({ datasetId: 'ds-1-new', dataset: identity });
    expect((await right.manager.whenEnded(run.id)).status).toBe('completed');
  });

  it('a run recorded without its data (older versions) records it when it continues', async () => {
    const first = setup(1, undefined, undefined, runData, (id) => stopOnce(first.manager, id));
    const run = first.manager.start({ datasetId: 'x', config: config() });
    expect(run.dataset).toBeUndefined();
    expect((await first.manager.whenEnded(run.id)).status).toBe('stopped');
    const identity = { fingerprint: 'c'.repeat(32), rows: ROWS, width: 6, height: 6, split: { kind: 'first', devRows: 60, testId: null } as const };
    const next = setup(1, first.folder, undefined, { ...runData, dataset: identity });
    await next.manager.init();
    expect((await next.manager.continue(run.id)).dataset).toEqual(identity);
    await next.manager.whenEnded(run.id);
    expect(JSON.parse(readFileSync(join(first.folder, run.id, 'run.json'), 'utf8')).summary.dataset).toEqual(identity);
  });

  it('a continued run is measured on the test set it recorded; when that is not open, without one, and its notice names it', async () => {
    const testSet = { fingerprint: 'd'.repeat(32), name: 'bands-test.csv', rows: 90 };
    const identity = { fingerprint: 'a'.repeat(32), rows: ROWS, width: 6, height: 6, split: { kind: 'first', devRows: 60, testId: null } as const, test: testSet };
    const withTest = { ...runData, test: bandsDataset(90, 6, 3, 11), dataset: identity };
    const long = config({ duration: { unit: 'epochs', count: 6 } });
    const first = setup(1, undefined, undefined, withTest, (id) => stopOnce(first.manager, id));
    const run = first.manager.start({ datasetId: 'x', config: long });
    expect(run.dataset).toEqual(identity);
    expect((await first.manager.whenEnded(run.id)).lastTestAccuracy).not.toBeNull();

    // After a restart its test set is not open (the service finds none): no test accuracy, and the notice says whose.
    const notice = "no test accuracy from epoch 2 on: bands-test.csv (90 rows), the test set of run '…', was not open when the run continued";
    const notOpen = { ...runData, dataset: { ...identity, test: null }, notice };
    const missing = setup(1, first.folder, undefined, runData, (id) => stopOnce(missing.manager, id), { dataToContinue: () => notOpen });
    await missing.manager.init();
    expect(await missing.manager.continue(run.id)).toMatchObject({ notice, dataset: identity });
    expect(await missing.manager.whenEnded(run.id)).toMatchObject({ status: 'stopped', notice, lastTestAccuracy: null, dataset: identity });
    expect(JSON.parse(readFileSync(join(first.folder, run.id, 'run.json'), 'utf8')).summary).toMatchObject({ notice, dataset: identity });

    // Open again: measured on it, and the notice is gone.
    const found = setup(1, first.folder, undefined, runData, undefined, { dataToContinue: () => withTest });
    await found.manager.init();
    expect((await found.manager.continue(run.id)).notice).toBeNull();
    const ended = await found.manager.whenEnded(run.id);
    expect(ended).toMatchObject({ status: 'completed', notice: null, dataset: identity });
    expect(ended.lastTestAccuracy).not.toBeNull();
    expect(found.manager.history(run.id).epochs.map((e) => e.testAccuracy === null)).toEqual([false, true, false, false, false, false]);
  });

  it('a run recorded before it kept its test set records the one it continues with', async () => {
    const older = { fingerprint: 'a'.repeat(32), rows: ROWS, width: 6, height: 6, split: { kind: 'first', devRows: 60, testId: null } as const }; // no `test`
    const first = setup(1, undefined, undefined, { ...runData, dataset: older }, (id) => stopOnce(first.manager, id));
    const run = first.manager.start({ datasetId: 'x', config: config() });
    expect((await first.manager.whenEnded(run.id)).dataset).toEqual(older);
    const testSet = { fingerprint: 'd'.repeat(32), name: 'bands-test.csv', rows: 90 };
    const next = setup(1, first.folder, undefined, runData, undefined, { dataToContinue: () => ({ ...runData, test: bandsDataset(90, 6, 3, 11), dataset: { ...older, test: testSet } }) });
    await next.manager.init();
    expect((await next.manager.continue(run.id)).dataset).toEqual({ ...older, test: testSet });
    await next.manager.whenEnded(run.id);
  });
});
