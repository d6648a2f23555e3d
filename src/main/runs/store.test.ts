// Run records on disk: older records (without the fields added since) still load; a damaged one is skipped,
// saying which field of which file is wrong.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../shared/training';
import { newSummary } from '../../shared/api/runs';
import { RunStore } from './store';

const folder = mkdtempSync(join(tmpdir(), 'mlp-records-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const dataset = { fingerprint: 'a'.repeat(32), rows: 200, width: 4, height: 4, split: { kind: 'first', devRows: 20, testId: null } as const };
function record(id: string, createdAt: number, summaryPatch: Record<string, unknown>) {
  const summary = newSummary({ id, config: presetConfig('standard'), devRows: 20, datasetId: 'ds-1', datasetName: 'digits.csv', dataset, groupId: null, colorIndex: 0, createdAt, threads: 1 });
  return { version: 1, summary: { ...summary, ...summaryPatch }, steps: [], epochs: [] };
}
function write(id: string, value: unknown): void {
  mkdirSync(join(folder, id), { recursive: true });
  writeFileSync(join(folder, id, 'run.json'), JSON.stringify(value));
}

describe('RunStore records', () => {
  it('loads records with and without a test set and notice, and skips a damaged test set naming the field', async () => {
    const test = { fingerprint: 'b'.repeat(32), name: 'digits-test.csv', rows: 100 };
    write('older', record('older', 1, {})); // before runs kept their test set: no dataset.test, no notice
    write('none', record('none', 2, { dataset: { ...dataset, test: null }, notice: null }));
    write('kept', record('kept', 3, { dataset: { ...dataset, test }, notice: 'no test accuracy from epoch 2 on: …' }));
    write('damaged', record('damaged', 4, { dataset: { ...dataset, test: { ...test, rows: '100' } } }));
    const bad: string[] = [];
    const store = new RunStore(folder);
    const records = await store.loadAll((path, reason) => bad.push(`${path}: ${reason}`));
    expect(records.map((r) => r.summary.id)).toEqual(['older', 'none', 'kept']);
    expect(records[0].summary.dataset).toEqual(dataset);
    expect(records[0].summary.notice).toBeUndefined();
    expect(records[1].summary.dataset?.test).toBeNull();
    expect(records[2].summary).toMatchObject({ dataset: { test }, notice: 'no test accuracy from epoch 2 on: …' });
    expect(bad).toEqual([`${join(folder, 'damaged', 'run.json')}: summary.dataset.test.rows: Invalid type: Expected number but received "100"`]);
    await expect(store.loadRecord('damaged')).rejects.toThrow('run.json is not a valid run record: summary.dataset.test.rows: Invalid type');
    expect((await store.loadRecord('older'))?.summary.dataset).toEqual(dataset);
    // a torn file: JSON's message alone ("Unexpected end of JSON input") named no file
    writeFileSync(join(folder, 'damaged', 'run.json'), '{"summary": {');
    await expect(store.loadRecord('damaged')).rejects.toThrow(`${join(folder, 'damaged', 'run.json')} is not a valid run record: `);
  });

  it('loads epoch points with and without where each epoch ended (atEpoch: not kept before)', async () => {
    const epochs = [
      { epoch: 1, step: 15, trainLoss: 1, devLoss: 1, devAccuracy: 0.5, testAccuracy: null, seconds: 1, samplesPerSecond: 240 }, // older
      { epoch: 2, step: 20, atEpoch: 1 + 5 / 15, trainLoss: 0.9, devLoss: 0.9, devAccuracy: 0.6, testAccuracy: null, seconds: 1, samplesPerSecond: 240 },
    ];
    write('epochs', { ...record('epochs', 5, {}), epochs });
    expect((await new RunStore(folder).loadRecord('epochs'))?.epochs).toEqual(epochs);
  });

  it('an imported model keeps its image size and class names; a record with them damaged is skipped, naming the field', async () => {
    const imported = { fileName: 'model.json', width: 8, height: 8, labels: ['a', 'b'] };
    write('imported', record('imported', 1, { imported }));
    write('imported-bad', record('imported-bad', 1, { imported: { ...imported, width: 0 } }));
    const reasons: string[] = [];
    const records = await new RunStore(folder).loadAll((_path, reason) => reasons.push(reason));
    expect(records.find((r) => r.summary.id === 'imported')?.summary.imported).toEqual(imported);
    expect(records.some((r) => r.summary.id === 'imported-bad')).toBe(false);
    expect(reasons).toContain('summary.imported.width: Invalid value: Expected >=1 but received 0');
  });

  it("skips a record that lacks what the views read of a run, naming the field (a missing progress stopped the app at start)", async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'mlp-records-'));
    try {
      const cases: [string, (summary: Record<string, unknown>) => void, string][] = [
        ['no-progress', (s) => delete s.progress, 'summary.progress: Invalid key: Expected "progress" but received undefined'],
        ['no-name', (s) => delete s.name, 'summary.name: Invalid key: Expected "name" but received undefined'],
        ['text-step', (s) => (s.progress = { ...(s.progress as object), step: 'x' }), 'summary.progress.step: Invalid type: Expected number but received "x"'],
        ['no-confusion', (s) => delete s.confusion, 'summary.confusion: Invalid key: Expected "confusion" but received undefined'],
      ];
      for (const [id, damage] of cases) {
        const bad = record(id, 1, {});
        damage(bad.summary as unknown as Record<string, unknown>);
        mkdirSync(join(damaged, id), { recursive: true });
        writeFileSync(join(damaged, id, 'run.json'), JSON.stringify(bad));
      }
      mkdirSync(join(damaged, 'good'), { recursive: true });
      writeFileSync(join(damaged, 'good', 'run.json'), JSON.stringify(record('good', 1, {})));
      const reasons = new Map<string, string>();
      const records = await new RunStore(damaged).loadAll((path, reason) => reasons.set(path, reason));
      expect(records.map((r) => r.summary.id)).toEqual(['good']);
      for (const [id, , reason] of cases) expect(reasons.get(join(damaged, id, 'run.json'))).toBe(reason);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it("loads who trains a run: a process's presence token, or an earlier version's pid; a token that is no file name is refused", async () => {
    const owner = { token: '0b5d7c1e-6a8f-4c2e-9d1a-3f4e5b6c7d8e', pid: 4242, host: 'lab-pc', role: 'cli' };
    const trainers = new RunStore(join(folder, 'trainers'));
    const cases: Array<[string, unknown]> = [['by-owner', owner], ['by-pid', 4242], ['by-path', { ...owner, token: '../../settings' }]];
    for (const [id, trainedBy] of cases) {
      mkdirSync(join(trainers.folder, id), { recursive: true });
      writeFileSync(join(trainers.folder, id, 'run.json'), JSON.stringify({ ...record(id, 1, { status: 'running' }), trainedBy }));
    }
    const bad: string[] = [];
    const records = await trainers.loadAll((path, reason) => bad.push(`${path}: ${reason}`));
    expect(Object.fromEntries(records.map((r) => [r.summary.id, r.trainedBy]))).toEqual({ 'by-owner': owner, 'by-pid': 4242 });
    expect(bad).toEqual([expect.stringMatching(/by-path.run\.json: trainedBy/)]);
  });

  it("removes what a crash mid-save left (checkpoint.bin.tmp-<pid>-…), but not a running process's write", async () => {
    const store = new RunStore(folder);
    write('leftovers', record('leftovers', 1, {}));
    const dead = 2 ** 22 + 12345; // above Linux's largest pid
    const names = [`checkpoint.bin.tmp-${dead}-0a1b2c3d`, `run.json.tmp-${dead}-ffff0000`, `final.bin.tmp-${process.pid}-12345678`];
    for (const name of names) writeFileSync(join(folder, 'leftovers', name), 'x');
    expect(await store.removeLeftovers('leftovers')).toBe(2);
    expect(readdirSync(join(folder, 'leftovers')).sort()).toEqual([`final.bin.tmp-${process.pid}-12345678`, 'run.json']);
    expect(await store.removeLeftovers('no-such-run')).toBe(0);
  });

  it('reports a run folder whose record is gone but whose weights are there; other files are not runs', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'mlp-records-'));
    try {
      mkdirSync(join(damaged, 'no-record'));
      writeFileSync(join(damaged, 'no-record', 'final.bin'), 'x');
      mkdirSync(join(damaged, 'empty-folder'));
      writeFileSync(join(damaged, 'notes.txt'), 'my runs');
      writeFileSync(join(damaged, '.DS_Store'), '');
      const reasons = new Map<string, string>();
      expect(await new RunStore(damaged).loadAll((path, reason) => reasons.set(path, reason))).toEqual([]);
      expect([...reasons]).toEqual([[join(damaged, 'no-record', 'run.json'), "missing: the run's weights are there, its record is not"]]);
      // The runs folder itself unreadable (a file where it should be): said, not an empty list without a word.
      const reasonsOfFile: string[] = [];
      expect(await new RunStore(join(damaged, 'notes.txt')).loadAll((path, reason) => reasonsOfFile.push(`${path}: ${reason}`))).toEqual([]);
      expect(reasonsOfFile).toEqual([`${join(damaged, 'notes.txt')}: cannot read the runs folder ${join(damaged, 'notes.txt')}: a part of its path is a file, not a folder`]);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it('skips a record whose data has no usable image size or split, naming the field (Draw makes images of that size)', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'mlp-records-'));
    try {
      const { split: _split, ...noSplit } = dataset;
      void _split;
      const cases: [string, unknown, string][] = [
        ['text-width', { ...dataset, width: '8' }, 'summary.dataset.width: Invalid type: Expected number but received "8"'],
        ['zero-height', { ...dataset, height: 0 }, 'summary.dataset.height: Invalid value: Expected >=1 but received 0'],
        ['half-rows', { ...dataset, rows: 2.5 }, 'summary.dataset.rows: Invalid integer: Received 2.5'],
        ['no-split', noSplit, 'summary.dataset.split: Invalid key: Expected "split" but received undefined'],
      ];
      for (const [id, bad] of cases) {
        mkdirSync(join(damaged, id), { recursive: true });
        writeFileSync(join(damaged, id, 'run.json'), JSON.stringify(record(id, 1, { dataset: bad })));
      }
      const reasons = new Map<string, string>();
      const records = await new RunStore(damaged).loadAll((path, reason) => reasons.set(path, reason));
      expect(records).toEqual([]);
      for (const [id, , reason] of cases) expect(reasons.get(join(damaged, id, 'run.json'))).toBe(reason);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });
});
