// The datasets service as the UI drives it: open, fail without losing what was loaded, pages, split, cancel,
// recent files, class names, and getDataset for the training pool.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ApiEvents } from '../../shared/api';
import type { FileRef } from '../../shared/api/files';
import type { OpenResult } from '../../shared/datasets';
import type { ServiceContext } from '../services/context';
import { formatCsv } from './csv-writer';
import { createDatasetService, MAX_LOADED } from './service';
import { makeData } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'mlp-svc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const events: Array<{ name: string; payload: unknown }> = [];
  const ctx: ServiceContext = {
    dataDir: join(dir, 'user'),
    emit: <K extends keyof ApiEvents & string>(name: K, payload: ApiEvents[K]) => void events.push({ name, payload }),
    resolveFile: (ref: FileRef) => {
      if (ref.kind === 'path') return { path: ref.path, displayName: ref.path };
      return { path: join(dir, ref.id), displayName: ref.name };
    },
  };
  return { service: createDatasetService(ctx), events };
}

function file(name: string, text: string): FileRef {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { kind: 'path', path };
}

function loaded(result: OpenResult) {
  if (result.kind !== 'loaded') throw new Error(`expected a loaded data set, got ${JSON.stringify(result)}`);
  return result.summary;
}

const digits = makeData(200, 28, 10);
const good = file('digits.csv', formatCsv(digits));

describe('datasets service', () => {
  it('opens a CSV: summary, progress events, recent list, getDataset for the pool', async () => {
    const { service, events } = setup();
    const s = loaded(await service.open(good, { jobId: 'j1' }));
    expect(s).toMatchObject({ name: 'digits.csv', format: 'csv', rows: 200, width: 28, height: 28, classes: 10, labeled: true, header: true, labelColumn: 1 });
    expect(s.classCounts).toEqual(new Array(10).fill(20));
    expect(s.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(s.split).toMatchObject({ trainRows: 180, devRows: 20, testId: null });
    expect(events.some((e) => e.name === 'datasets.progress' && (e.payload as { jobId: string }).jobId === 'j1')).toBe(true);
    expect(events.some((e) => e.name === 'datasets.changed')).toBe(true);
    const pool = service.getDataset(s.id);
    expect(pool?.data.pixels).toEqual(digits.pixels);
    expect(pool?.data.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(pool?.split.dev.length).toBe(20);
    const recent = await service.recent();
    expect(recent[0]).toMatchObject({ name: 'digits.csv', path: (good as { path: string }).path, rows: 200 });
    expect(await service.list()).toHaveLength(1);
  });

  it('a failed load returns the positioned error and keeps what was loaded', async () => {
    const { service } = setup();
    const first = loaded(await service.open(good, {}));
    const bad = file('bad.csv', `${formatCsv(makeData(3, 2, 2))}1,2,x,4,5\n`);
    const result = await service.open(bad, {});
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    expect(result.error.problems[0]).toMatchObject({ file: 'bad.csv', line: 5, column: 3 });
    expect(result.error.message).toBe('bad.csv:5:3 (column "1x2"): expected a number, found "x" (not a number)');
    expect(result.error.skippable).toBe(true);
    expect((await service.list()).map((d) => d.id)).toEqual([first.id]);
    expect(service.getDataset(first.id)?.data.rows).toBe(200);
    const missing = await service.open({ kind: 'path', path: join(dir, 'missing.csv') }, {});
    expect(missing.kind === 'failed' && missing.error.message).toMatch(/^missing\.csv: ENOENT/);
    expect(missing.kind === 'failed' && missing.error.skippable).toBe(false);
    const headerOnly = await service.open(file('header-only.csv', 'label,1x1,1x2,2x1,2x2\n'), {});
    expect(headerOnly.kind === 'failed' && headerOnly.error.skippable).toBe(false);
  });

  it('skip bad rows on request, and says which lines', async () => {
    const { service } = setup();
    const bad = file('some-bad.csv', `${formatCsv(makeData(3, 2, 2))}1,2,x,4,5\n`);
    const s = loaded(await service.open(bad, { skipBadRows: true }));
    expect(s.rows).toBe(3);
    expect(s.skipped).toMatchObject({ count: 1, lines: [5] });
  });

  it('serves thumbnail pages, filtered by class and by split part, and the examples behind indices', async () => {
    const { service } = setup();
    const s = loaded(await service.open(good, {}));
    const page = await service.thumbnails(s.id, { start: 190, count: 50, classFilter: null, subset: 'all' });
    expect(page).toMatchObject({ total: 200, start: 190, width: 28, height: 28 });
    expect(page.indices).toEqual([190, 191, 192, 193, 194, 195, 196, 197, 198, 199]);
    expect(page.pixels).toEqual(digits.pixels.subarray(190 * 784));
    const threes = await service.thumbnails(s.id, { start: 0, count: 100, classFilter: 3, subset: 'all' });
    expect(threes.total).toBe(20);
    expect(threes.labels?.every((l) => l === 3)).toBe(true);
    const devThrees = await service.thumbnails(s.id, { start: 0, count: 100, classFilter: 3, subset: 'dev' });
    expect(devThrees.indices).toEqual([3, 13]);
    const ex = await service.examples(s.id, [5, 0]);
    expect(ex.indices).toEqual([5, 0]);
    expect(ex.labels).toEqual([5, 0]);
    expect(ex.pixels.subarray(784)).toEqual(digits.pixels.subarray(0, 784));
    expect(() => service.examples(s.id, [200])).toThrow('row 200 is out of range (the data set has rows 0–199)');
    expect(() => service.thumbnails(s.id, { start: 0, count: 1, classFilter: 10, subset: 'all' })).toThrow('class 10 does not exist');
  });

  it('sets the split (random, stratified, with a test file) and the class names', async () => {
    const { service } = setup();
    const s = loaded(await service.open(good, {}));
    const split = await service.setSplit(s.id, { kind: 'random', devFraction: 0.1, seed: 5, stratified: true });
    expect(split).toMatchObject({ trainRows: 180, devRows: 20, devClassCounts: new Array(10).fill(2) });
    expect(service.getDataset(s.id)?.split.dev.length).toBe(20);
    const test = loaded(await service.open(file('test.csv', formatCsv(makeData(30, 28, 10, true, 9))), {}));
    const withTest = await service.setSplit(s.id, { kind: 'first', devRows: 50, testId: test.id });
    expect(withTest).toMatchObject({ devRows: 50, testId: test.id, testRows: 30 });
    expect(service.getDataset(s.id)?.test?.rows).toBe(30);
    expect(() => service.setSplit(s.id, { kind: 'first', devRows: 200 })).toThrow('must leave at least one training row');
    const small = loaded(await service.open(file('small.csv', formatCsv(makeData(5, 3, 2))), {}));
    expect(() => service.setSplit(s.id, { kind: 'first', devRows: 1, testId: small.id })).toThrow("the test set's images are 3×3, the training data's are 28×28");
    // Labels the training data lacks, or none: refused when chosen (Start refused it, after Apply had taken it).
    const twoClasses = loaded(await service.open(file('two.csv', formatCsv(makeData(40, 28, 2, true, 3))), {}));
    expect(() => service.setSplit(twoClasses.id, { kind: 'first', devRows: 4, testId: test.id })).toThrow("the test file 'test.csv' has labels up to 9 but the training file 'two.csv' only up to 1");
    const unlabelled = loaded(await service.open(file('unlabelled.csv', formatCsv(makeData(5, 28, 10, false, 4))), {}));
    expect(() => service.setSplit(s.id, { kind: 'first', devRows: 1, testId: unlabelled.id })).toThrow("the test file 'unlabelled.csv' has no labels");
    expect(() => service.setSplit(unlabelled.id, { kind: 'first', devRows: 1, testId: s.id })).toThrow("'unlabelled.csv' has no labels: a test set measures a network trained on a labelled file");
    const named = await service.setClassNames(s.id, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(named.classNames[9]).toBe('Ankle boot');
    expect(() => service.setClassNames(s.id, ['a'])).toThrow('expected 10 class names, got 1');
  });

  it('gives the same data its class names again when it is opened after a restart, under any file name', async () => {
    const dataDir = join(dir, 'names-user');
    const service = () => createDatasetService({ dataDir, emit: () => {}, resolveFile: (ref) => ({ path: (ref as { path: string }).path, displayName: (ref as { path: string }).path }) });
    const letters = makeData(40, 4, 3, true, 7);
    const first = service();
    const s = loaded(await first.open(file('letters.csv', formatCsv(letters)), {}));
    expect(s.classNames).toEqual(['0', '1', '2']);
    first.setClassNames(s.id, ['A', 'B', 'C']);
    // saved in the background (the call answers at once): a restart comes after the file is written
    await vi.waitFor(() => expect(readFileSync(join(dataDir, 'class-names.json'), 'utf8')).toContain('"C"'));
    // a restart: a new service on the same data folder; the same rows in a file of another name (before: 0, 1, 2)
    const second = service();
    expect(loaded(await second.open(file('letters-copy.csv', formatCsv(letters)), {})).classNames).toEqual(['A', 'B', 'C']);
    // other data keeps its defaults
    expect(loaded(await second.open(file('other.csv', formatCsv(makeData(40, 4, 3, true, 8))), {})).classNames).toEqual(['0', '1', '2']);
    // and a view asks for them by fingerprint, for a run whose data is not open
    expect(await service().savedClassNames(s.fingerprint, 3)).toEqual(['A', 'B', 'C']);
    expect(await service().savedClassNames(s.fingerprint, 4)).toBeNull();
  });

  it('uses the Fashion-MNIST names for a fashion file', async () => {
    const { service } = setup();
    const s = loaded(await service.open(file('fashion_small.csv', formatCsv(makeData(20, 2, 10))), {}));
    expect(s.classNames[0]).toBe('T-shirt/top');
  });

  it('cancels a load by job id; nothing is added', async () => {
    const { service } = setup();
    const big = file('big.csv', formatCsv(makeData(4000, 28, 10)));
    const pending = service.open(big, { jobId: 'big-1' });
    expect(service.cancel('big-1')).toBe(true);
    expect((await pending).kind).toBe('cancelled');
    expect(await service.list()).toEqual([]);
    expect(service.cancel('big-1')).toBe(false);
  });

  it('closes data sets', async () => {
    const { service, events } = setup();
    const s = loaded(await service.open(good, {}));
    await service.close(s.id);
    expect(service.getDataset(s.id)).toBeUndefined();
    expect(events.some((e) => e.name === 'datasets.closed')).toBe(true);
    expect(() => service.summary(s.id)).toThrow(`no data set '${s.id}' is loaded`);
  });

  it('closing a test file detaches it from the data set it was the test set of (its summary is sent again)', async () => {
    const { service, events } = setup();
    const s = loaded(await service.open(good, {}));
    const test = loaded(await service.open(file('held-out.csv', formatCsv(makeData(30, 28, 10, true, 9))), {}));
    await service.setSplit(s.id, { kind: 'first', devRows: 50, testId: test.id });
    events.length = 0;
    await service.close(test.id);
    expect(service.getDataset(s.id)?.test).toBeNull();
    const after = await service.summary(s.id);
    expect(after.split).toMatchObject({ testId: null, testRows: 0, devRows: 50, options: { kind: 'first', devRows: 50, testId: null } });
    expect(events.map((e) => e.name)).toEqual(['datasets.closed', 'datasets.changed']);
    expect(events[1].payload).toBe(after);
  });

  it('the built-in sample pressed again answers with the one loaded, not a second copy', async () => {
    // a tiny stand-in for the sample: its format (sample.ts), 20 rows of 2×2
    const rows = 20;
    const header = Buffer.alloc(24);
    header.write('MLPSMPL1', 0, 'latin1');
    [rows, 2, 2, 2].forEach((n, k) => header.writeUInt32LE(n, 8 + 4 * k));
    const body = Buffer.alloc(rows * 5);
    for (let r = 0; r < rows; r++) body[r] = r % 2;
    const samplePath = join(dir, 'sample.bin');
    writeFileSync(samplePath, gzipSync(Buffer.concat([header, body])));
    const before = process.env.MLP_SAMPLE;
    process.env.MLP_SAMPLE = samplePath;
    try {
      const { service } = setup();
      const first = loaded(await service.openSample({}));
      const other = loaded(await service.open(good, {}));
      const again = loaded(await service.openSample({}));
      expect(again.id).toBe(first.id);
      expect((await service.list()).map((d) => d.id)).toEqual([other.id, first.id]); // the sample is now the newest
    } finally {
      if (before === undefined) delete process.env.MLP_SAMPLE;
      else process.env.MLP_SAMPLE = before;
    }
  });

  it(`past ${MAX_LOADED} data sets the oldest is closed, with a notice that names it`, async () => {
    const { service, events } = setup();
    const ids: string[] = [];
    for (let k = 0; k <= MAX_LOADED; k++) ids.push(loaded(await service.open(file(`set-${k}.csv`, formatCsv(makeData(4, 2, 2, true, k + 1))), {})).id);
    expect((await service.list()).map((d) => d.id)).toEqual(ids.slice(1));
    const closed = events.filter((e) => e.name === 'datasets.closed').map((e) => e.payload);
    expect(closed).toEqual([{ id: ids[0], notice: `set-0.csv was closed to make room: at most ${MAX_LOADED} data sets stay open.` }]);
  });

  it('fingerprints what it loads: the same file loaded twice has one fingerprint under two ids', async () => {
    const { service } = setup();
    const a = loaded(await service.open(good, {}));
    const b = loaded(await service.open(good, {}));
    const other = loaded(await service.open(file('other.csv', formatCsv(makeData(200, 28, 10, true, 2))), {}));
    const [fa, fb, fo] = [a, b, other].map((s) => service.getDataset(s.id)?.summary.fingerprint);
    expect(a.id).not.toBe(b.id);
    expect(fa).toMatch(/^[0-9a-f]{32}$/);
    expect(fb).toBe(fa);
    expect(fo).not.toBe(fa);
    expect(service.loadedDatasets().map((e) => e.id)).toEqual([a.id, b.id, other.id]);
  });
});
