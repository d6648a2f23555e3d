// Which uploads browser mode keeps, through the services as the UI drives them: an upload opened as data stays
// while that data is open or a saved run trained on it (by the data's fingerprint, which is all a run records),
// in the session and after a restart; everything else goes, with a line saying how much was freed.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRef } from '../../shared/api/files';
import type { RunSummary } from '../../shared/api/runs';
import { formatCsv } from '../datasets/csv-writer';
import { createDatasetService } from '../datasets/service';
import { makeData } from '../datasets/test-helpers';
import type { ServiceContext } from '../services/context';
import { runFingerprints, UploadStore } from './upload-store';
import { PENDING_UPLOADS, uploadCleanup } from './upload-cleanup';

const dir = mkdtempSync(join(tmpdir(), 'mlp-upload-cleanup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run as far as the cleanup looks at it: the fingerprints of its data. */
function runOn(fingerprint: string, test?: string): RunSummary {
  return { dataset: { fingerprint, rows: 1, width: 28, height: 28, split: { kind: 'first', devRows: 1, testId: null }, test: test ? { fingerprint: test, name: 't.csv', rows: 1 } : null } } as RunSummary;
}

/** Browser mode's wiring (src/main/web.ts), over its own data folder. */
async function app(dataDir: string, runs: RunSummary[] = [], unreadableRuns = 0) {
  const uploads = new UploadStore(join(dataDir, 'uploads'));
  await uploads.load();
  const lines: string[] = [];
  let tidy = () => {};
  const noted: Promise<void>[] = [];
  const ctx: ServiceContext = {
    dataDir,
    emit: (name) => {
      if (name === 'datasets.closed' || name === 'runs.removed') tidy();
    },
    resolveFile: (ref) => uploads.resolve(ref),
    opened: (refs, fingerprint) => void noted.push(uploads.noteOpened(refs, fingerprint).then(() => tidy())),
  };
  const datasets = createDatasetService(ctx, { startReaderThreads: () => 0, log: () => {} });
  const cleanup = uploadCleanup(uploads, { runs: () => runs, open: () => datasets.loadedDatasets().map((d) => d.summary.fingerprint), unreadableRuns: () => unreadableRuns }, (line) => lines.push(line));
  await cleanup.atStart();
  tidy = cleanup.soon;
  const upload = async (name: string, text: string): Promise<FileRef> => ({ kind: 'upload', id: (await uploads.receive(Readable.from([text]), name)).id, name });
  const open = async (ref: FileRef) => {
    const result = await datasets.open(ref, {});
    if (result.kind !== 'loaded') throw new Error(JSON.stringify(result));
    await Promise.all(noted);
    return result.summary;
  };
  const settled = async () => {
    await Promise.all(noted);
    await cleanup.idle();
  };
  const stored = () => readdirSync(uploads.folder).filter((n) => n !== 'index.json').sort();
  return { uploads, datasets, runs, lines, upload, open, settled, stored };
}

const csv = (seed: number) => formatCsv(makeData(30 + seed, 28, 10));

describe('browser-mode uploads on disk', () => {
  it('keeps an upload while its data is open or a saved run trained on it, in the session and after a restart', async () => {
    const dataDir = join(dir, 'a');
    const first = await app(dataDir);
    const trained = await first.upload('train.csv', csv(1));
    const other = await first.upload('other.csv', csv(2));
    const trainedData = await first.open(trained);
    const otherData = await first.open(other);
    first.runs.push(runOn(trainedData.fingerprint));
    expect(first.stored()).toEqual([trained.kind === 'upload' && trained.id, other.kind === 'upload' && other.id].sort());

    first.datasets.close(otherData.id); // nothing needs it any more: it goes now
    first.datasets.close(trainedData.id); // a run trained on it: it stays
    await first.settled();
    expect(first.stored()).toEqual([trained.kind === 'upload' && trained.id]);
    expect(first.lines.at(-1)).toMatch(/^uploads: removed 1 file no longer needed \([\d.]+ kB freed\)$/);

    // After a restart the run's upload is still there under the same ref, and opens as the same data.
    const again = await app(dataDir, [runOn(trainedData.fingerprint)]);
    expect(again.stored()).toEqual([trained.kind === 'upload' && trained.id]);
    expect(again.lines).toEqual([expect.stringMatching(/^uploads: kept 1 file \([\d.]+ kB\): the data of saved runs$/)]);
    expect((await again.open(trained)).fingerprint).toBe(trainedData.fingerprint);
    // ... and the Recent list offers it to be opened again
    expect((await again.datasets.recent()).find((r) => r.name === 'train.csv')).toMatchObject({ path: null, upload: trained.kind === 'upload' && trained.id });

    // Once no saved run trained on it, the next start removes it and says how much that freed.
    const third = await app(dataDir, []);
    expect(third.stored()).toEqual([]);
    expect(third.lines).toEqual([expect.stringMatching(/^uploads: removed 1 file no saved run needs \([\d.]+ kB freed\)$/)]);
    expect((await third.datasets.recent()).find((r) => r.name === 'train.csv')).toEqual(expect.objectContaining({ path: null, upload: undefined }));
  });

  it('keeps the newest uploads not opened yet in the session (a load to come or to retry), none at the next start', async () => {
    const dataDir = join(dir, 'b');
    const session = await app(dataDir);
    const refs: FileRef[] = [];
    for (let i = 0; i < PENDING_UPLOADS + 2; i++) refs.push(await session.upload(`bad-${i}.csv`, `not,a,data,set,${i}\n`));
    const opened = await session.open(await session.upload('good.csv', csv(3)));
    await session.settled();
    const ids = refs.map((r) => (r.kind === 'upload' ? r.id : ''));
    expect(session.stored()).toHaveLength(PENDING_UPLOADS + 1); // the open data's, and the newest ones not opened
    for (const id of ids.slice(2)) expect(session.stored()).toContain(id);
    session.datasets.close(opened.id);
    await session.settled();
    expect(session.stored()).toHaveLength(PENDING_UPLOADS);

    const restarted = await app(dataDir);
    expect(restarted.stored()).toEqual([]);
    expect(restarted.lines).toEqual([expect.stringMatching(/^uploads: removed 4 files no saved run needs /)]);
  });

  it('keeps a file uploaded again until it is opened again, though the data it was opened as before is closed', async () => {
    const session = await app(join(dir, 'e'));
    const ref = await session.upload('x.csv', csv(6));
    const data = await session.open(ref);
    const again = await session.upload('x-again.csv', csv(6));
    expect(again.kind === 'upload' && again.id).toBe(ref.kind === 'upload' && ref.id);
    session.datasets.close(data.id);
    await session.settled();
    expect(session.stored()).toEqual([ref.kind === 'upload' && ref.id]);
    expect((await session.open(again)).fingerprint).toBe(data.fingerprint);
  });

  it('at startup removes partial files of processes gone, uploads the index does not know and the random-named ones of earlier versions, and leaves other files alone', async () => {
    const dataDir = join(dir, 'c');
    const folder = join(dataDir, 'uploads');
    const first = await app(dataDir);
    const x = await first.upload('x.csv', csv(4));
    writeFileSync(join(folder, '.partial-99999999-0a1b2c'), 'half');
    writeFileSync(join(folder, `.partial-${process.pid}-0a1b2c`), 'being written'); // this process's: an upload in progress
    writeFileSync(join(folder, '0b7c1c51-7a0e-4c39-a9b8-2c4f0f9e8d11'), 'old upload');
    writeFileSync(join(folder, 'notes.txt'), 'the user’s');
    writeFileSync(join(folder, `.partial-${process.ppid}-0a1b2c`), 'another process is writing it');
    const unknown = 'f'.repeat(64); // stored by another process sharing the folder, or by one that crashed
    writeFileSync(join(folder, unknown), 'not in the index');
    await first.uploads.prune({ fingerprints: new Set(), newestUnopened: PENDING_UPLOADS }); // in the session: the unknown one is left alone
    expect(first.stored()).toEqual([`.partial-${process.pid}-0a1b2c`, `.partial-${process.ppid}-0a1b2c`, 'notes.txt', unknown, x.kind === 'upload' && x.id].sort());
    const restarted = await app(dataDir);
    expect(restarted.stored()).toEqual([`.partial-${process.pid}-0a1b2c`, `.partial-${process.ppid}-0a1b2c`, 'notes.txt'].sort());
    expect(restarted.lines).toEqual([expect.stringMatching(/^uploads: removed 2 files no saved run needs /)]); // x.csv, never opened, and the unknown one
  });

  it('removes nothing opened before when it cannot tell what runs need (a run unreadable, the index damaged)', async () => {
    const dataDir = join(dir, 'd');
    const first = await app(dataDir);
    const ref = await first.upload('x.csv', csv(5));
    await first.open(ref);
    const id = ref.kind === 'upload' ? ref.id : '';
    expect((await app(dataDir, [], 1)).stored()).toEqual([id]);
    writeFileSync(join(dataDir, 'uploads', 'index.json'), '{"torn');
    const damaged = await app(dataDir, []);
    expect(damaged.stored()).toEqual([id]);
    expect(existsSync(join(dataDir, 'uploads', id))).toBe(true);
    // That session writes a new index (another upload): the one opened before is in it, still kept at the next
    // starts, until it is opened again and its data is known.
    const other = await damaged.upload('y.csv', csv(6));
    expect((await app(dataDir, [])).stored()).toEqual([id]);
    const later = await app(dataDir, []);
    expect(later.stored()).toEqual([id]);
    await later.open(ref);
    await later.settled();
    expect((await app(dataDir, [])).stored()).toEqual([]); // known now, and no run needs it
    expect(other.kind).toBe('upload');
  });

  it('a pass reads what is open when its turn comes: data opened while it waited is kept', async () => {
    const uploads = new UploadStore(join(dir, 'turns', 'uploads'));
    await uploads.load();
    const { id } = await uploads.receive(Readable.from([csv(7)]), 'z.csv'); // not opened yet: kept as pending
    const open = new Set<string>();
    const openNow = () => ({ fingerprints: new Set(open), newestUnopened: PENDING_UPLOADS });
    const busy = uploads.prune(openNow); // holds the turn
    const pass = uploads.prune(openNow); // waits for it
    open.add('G'); // its load ends meanwhile: open now, and no longer pending
    await uploads.noteOpened([{ kind: 'upload', id, name: 'z.csv' }], 'G');
    await Promise.all([busy, pass]);
    expect(existsSync(join(uploads.folder, id))).toBe(true);
  });

  it('two servers on one data folder: each keeps what the other noted in the index, and removes in the session only its own', async () => {
    const folder = join(dir, 'two', 'uploads');
    const a = new UploadStore(folder);
    await a.load();
    const b = new UploadStore(folder);
    await b.load();
    const { id } = await a.receive(Readable.from([csv(8)]), 'a.csv');
    await a.noteOpened([{ kind: 'upload', id, name: 'a.csv' }], 'F'); // A trains a run on it
    await b.receive(Readable.from([csv(9)]), 'b.csv'); // B writes the index from its memory, A's entry merged in
    await b.prune({ fingerprints: new Set(), newestUnopened: PENDING_UPLOADS }); // B's pass: A's open upload stays
    expect(existsSync(join(folder, id))).toBe(true);
    const next = new UploadStore(folder); // a restart, alone: the run on F is listed
    await next.load();
    await next.prune({ fingerprints: new Set(['F']), newestUnopened: 0, startup: true });
    expect(existsSync(join(folder, id))).toBe(true);
  });

  it('a server that starts beside another on the data folder leaves the uploads as they are', async () => {
    const dataDir = join(dir, 'beside');
    const first = await app(dataDir);
    const ref = await first.upload('open-there.csv', csv(10));
    await first.open(ref); // open in the first server's page; no run on it
    const uploads = new UploadStore(join(dataDir, 'uploads'));
    await uploads.load();
    const lines: string[] = [];
    const other = { token: 'f'.repeat(36), pid: 4242, host: 'here', role: 'app' as const };
    await uploadCleanup(uploads, { runs: () => [], open: () => [], unreadableRuns: () => 0, otherServer: () => Promise.resolve(other) }, (line) => lines.push(line)).atStart();
    expect(first.stored()).toHaveLength(1);
    expect(lines).toEqual(['uploads: left as they are: another browser-mode server (pid 4242) uses this data folder, and may have them open']);
  });

  it('a run needs the data it trained on, its test set and what an imported model was evaluated on', () => {
    const imported = { imported: { fileName: 'm.onnx', width: 28, height: 28, labels: [], evaluatedOn: { fingerprint: 'e', name: 'e.csv', rows: 1 } } } as unknown as RunSummary;
    expect(runFingerprints([runOn('a', 't'), runOn('b'), imported, {} as RunSummary])).toEqual(['a', 't', 'b', 'e']);
  });
});
