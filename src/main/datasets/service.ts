// datasets.*: the service behind the Data view. Keeps the loaded data sets by id (a failed or cancelled load
// leaves them all intact), streams progress events, serves pages of thumbnails, and hands the training pool
// its data through getDataset(id) — pixels, labels and split indices on SharedArrayBuffers, never copied.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { ApiHandlers } from '../../shared/api';
import type { OpenOptions } from '../../shared/api/datasets';
import type { FileRef } from '../../shared/api/files';
import type { DatasetSummary, OpenResult, SplitOptions } from '../../shared/datasets';
import type { ServiceContext } from '../services/context';
import { SavedClassNames } from './class-names';
import { errorInfo, LoadCancelled } from './errors';
import { loadBuiltInSample, loadFromFiles, splitSummary, type LoadedDataset, type LoadOptions } from './load';
import { examplePage, listRows, pageOf } from './pages';
import { RecentList } from './recent';
import type { FileInput } from './read';
import { startReaderThreads } from './read-parallel';
import { computeSplit } from './split';
import { testSetProblem } from '../../shared/run-data-checks';

export type { LoadedDataset } from './load';

/** How many data sets stay in memory; opening one more forgets the oldest. */
export const MAX_LOADED = 8;

/** The `datasets` handlers, plus what other main-side code (the training pool, the CLI) needs. */
export type DatasetService = ApiHandlers['datasets'] & {
  /** The loaded data set with its split applied, or undefined if unknown or closed. */
  getDataset: (id: string) => LoadedDataset | undefined;
  /** Every loaded data set, oldest first (a continued run looks for its data among them by fingerprint). */
  loadedDatasets: () => LoadedDataset[];
  /**
   * Starts the parallel CSV reader's threads, so that the next large file does not wait ~0.2 s for them:
   * call it when a load is likely soon (the app idle after start, a file being chosen). Idempotent: threads
   * already idle are kept and none added; none are started while a load runs. Never throws (a failure is
   * logged). The threads never keep the process alive, and end after 5 minutes unused (read-parallel.ts).
   */
  warmReaders: () => void;
};

export interface DatasetServiceOptions {
  /** Starts the reader threads and returns how many are idle (default: read-parallel.ts's, one per core). */
  startReaderThreads?: () => number;
  log?: (line: string) => void;
}

export function createDatasetService(ctx: ServiceContext, options: DatasetServiceOptions = {}): DatasetService {
  const startThreads = options.startReaderThreads ?? (() => startReaderThreads());
  const log = options.log ?? ((line: string) => console.error(line));
  const loaded = new Map<string, LoadedDataset>();
  const jobs = new Map<string, AbortController>();
  /** Filtered row lists per data set, keyed "subset:class"; cleared when the split changes. */
  const lists = new Map<string, Map<string, Uint32Array | null>>();
  const recent = new RecentList(ctx.dataDir);
  const savedNames = new SavedClassNames(ctx.dataDir);
  let counter = 0;

  const newId = () => `ds-${++counter}-${randomBytes(3).toString('hex')}`;

  function get(id: string): LoadedDataset {
    const entry = loaded.get(id);
    if (!entry) throw new Error(`no data set '${id}' is loaded (it was closed, or the app restarted); open the file again`);
    return entry;
  }

  function keep(entry: LoadedDataset): void {
    loaded.set(entry.id, entry);
    while (loaded.size > MAX_LOADED) {
      const oldest = loaded.values().next().value as LoadedDataset;
      forget(oldest.id, `${oldest.summary.name} was closed to make room: at most ${MAX_LOADED} data sets stay open.`);
    }
    ctx.emit('datasets.changed', entry.summary);
  }

  /** Closes a data set, and detaches it from every data set that had it as its separate test set. */
  function forget(id: string, notice?: string): boolean {
    if (!loaded.delete(id)) return false;
    lists.delete(id);
    ctx.emit('datasets.closed', notice ? { id, notice } : { id });
    for (const other of loaded.values()) {
      const options = other.summary.split.options;
      if (options.testId !== id) continue;
      const withoutTest = { ...options, testId: null };
      other.test = null;
      other.summary = { ...other.summary, split: splitSummary(withoutTest, other.split, other.data, null) };
      changed(other);
    }
    return true;
  }

  /** Runs one load as a cancellable job; failures and cancellation come back as values. */
  async function run(jobId: string | undefined, fileLabel: string, load: (options: LoadOptions) => Promise<LoadedDataset>, skipBadRows?: boolean): Promise<{ result: OpenResult; entry?: LoadedDataset }> {
    const job = jobId ?? `job-${randomBytes(4).toString('hex')}`;
    jobs.get(job)?.abort();
    const controller = new AbortController();
    jobs.set(job, controller);
    try {
      const entry = await load({
        id: newId(),
        skipBadRows,
        signal: controller.signal,
        onProgress: (phase, p) => ctx.emit('datasets.progress', { jobId: job, file: fileLabel, phase, bytes: p.bytes, totalBytes: p.totalBytes, rows: p.rows }),
      });
      if (controller.signal.aborted) return { result: { kind: 'cancelled' } };
      await withSavedNames(entry);
      keep(entry);
      return { result: { kind: 'loaded', summary: entry.summary }, entry };
    } catch (error) {
      if (error instanceof LoadCancelled) return { result: { kind: 'cancelled' } };
      return { result: { kind: 'failed', error: errorInfo(error, fileLabel) } };
    } finally {
      if (jobs.get(job) === controller) jobs.delete(job);
    }
  }

  /** The names the user gave this data before (by its fingerprint), in place of the defaults. */
  async function withSavedNames(entry: LoadedDataset): Promise<void> {
    const names = await savedNames.get(entry.summary.fingerprint, entry.data.classes);
    if (names) entry.summary = { ...entry.summary, classNames: names };
  }

  function rowList(entry: LoadedDataset, subset: 'all' | 'train' | 'dev', classFilter: number | null): Uint32Array | null {
    let cache = lists.get(entry.id);
    if (!cache) lists.set(entry.id, (cache = new Map()));
    const key = `${subset}:${classFilter ?? '*'}`;
    if (!cache.has(key)) {
      const classRows = classFilter === null ? null : (entry.rowsByClass[classFilter] ?? new Uint32Array(0));
      cache.set(key, listRows(subset, entry.split, classRows));
    }
    return cache.get(key) ?? null;
  }

  function warmReaders(): void {
    if (jobs.size > 0) return; // a load's threads are busy, not gone: more would only sit idle
    try {
      startThreads();
    } catch (error) {
      log(`the CSV reader threads did not start ahead (a large file will start them): ${String(error)}`);
    }
  }

  function stillStored(id: string, name: string): boolean {
    try {
      ctx.resolveFile({ kind: 'upload', id, name });
      return true;
    } catch {
      return false;
    }
  }

  function changed(entry: LoadedDataset): DatasetSummary {
    ctx.emit('datasets.changed', entry.summary);
    return entry.summary;
  }

  return {
    async open(files: FileRef | FileRef[], options?: OpenOptions) {
      const refs = Array.isArray(files) ? files : [files];
      let inputs: FileInput[];
      try {
        inputs = refs.map((ref) => {
          const { path, displayName } = ctx.resolveFile(ref);
          return { path, name: basename(displayName) };
        });
      } catch (error) {
        const name = refs.map((r) => (r.kind === 'path' ? basename(r.path) : r.name)).join(' + ');
        return { kind: 'failed', error: errorInfo(error, name) };
      }
      const label = inputs.map((i) => i.name).join(' + ');
      const { result, entry } = await run(options?.jobId, label, (o) => loadFromFiles(inputs, o), options?.skipBadRows);
      if (entry) {
        const s = entry.summary;
        ctx.opened?.(refs, s.fingerprint);
        const ref = refs.length === 1 ? refs[0] : null;
        const path = ref?.kind === 'path' ? ref.path : null;
        const upload = ref?.kind === 'upload' ? { upload: ref.id } : {};
        await recent
          .remember({ name: s.name, path, ...upload, rows: s.rows, width: s.width, height: s.height, classes: s.classes, openedAt: new Date().toISOString() })
          .catch(() => undefined); // a read-only data folder must not fail the load
      }
      return result;
    },

    /** Loads the built-in sample, or, when it is loaded already, answers with that one (no second copy). */
    async openSample(options?: OpenOptions) {
      const open = [...loaded.values()].find((e) => e.summary.format === 'sample');
      if (open) {
        // it becomes the newest: the last to be closed to make room
        loaded.delete(open.id);
        loaded.set(open.id, open);
        return { kind: 'loaded', summary: open.summary } as const;
      }
      return (await run(options?.jobId, 'Built-in MNIST sample', loadBuiltInSample)).result;
    },

    cancel(jobId: string | null) {
      const targets = jobId === null ? [...jobs.values()] : [jobs.get(jobId)].filter((c) => c !== undefined);
      for (const controller of targets) controller.abort();
      return targets.length > 0;
    },

    list: () => [...loaded.values()].map((e) => e.summary),

    summary: (id: string) => get(id).summary,

    close(id: string) {
      forget(id);
    },

    thumbnails(id, query) {
      const entry = get(id);
      if (query.classFilter !== null && query.classFilter >= entry.data.classes) {
        throw new Error(`class ${query.classFilter} does not exist (the data set has ${entry.data.classes} classes)`);
      }
      return pageOf(entry.data, rowList(entry, query.subset, query.classFilter), query.start, query.count);
    },

    examples(id: string, indices: number[]) {
      const entry = get(id);
      return examplePage(entry.data, indices, indices.length, 0);
    },

    setSplit(id: string, options: SplitOptions) {
      const entry = get(id);
      let test = null;
      if (options.testId) {
        const testEntry = get(options.testId);
        if (options.testId === id) throw new Error('the test set must be a different file from the training data');
        const t = testEntry.data;
        if (t.width !== entry.data.width || t.height !== entry.data.height) {
          throw new Error(`the test set's images are ${t.width}×${t.height}, the training data's are ${entry.data.width}×${entry.data.height}`);
        }
        // Said here, when the test file is chosen, not by Start (which refused it with these words).
        if (!entry.data.labels) throw new Error(`'${entry.summary.name}' has no labels: a test set measures a network trained on a labelled file`);
        const problem = testSetProblem({ name: `'${entry.summary.name}'`, data: entry.data }, { name: `'${testEntry.summary.name}'`, data: t });
        if (problem) throw new Error(problem);
        test = t;
      }
      const split = computeSplit(options, entry.data.rows, entry.data.labels, entry.data.classes);
      entry.split = split;
      entry.test = test;
      entry.summary = { ...entry.summary, split: splitSummary(options, split, entry.data, test) };
      lists.delete(id);
      changed(entry);
      return entry.summary.split;
    },

    setClassNames(id: string, names: string[]) {
      const entry = get(id);
      if (names.length !== entry.data.classes) throw new Error(`expected ${entry.data.classes} class names, got ${names.length}`);
      entry.summary = { ...entry.summary, classNames: [...names] };
      // kept for the next time this data is opened (a read-only data folder keeps them for this session only)
      savedNames.save(entry.summary.fingerprint, names).catch((error: unknown) => log(`the class names of ${entry.summary.name} were not saved: ${String(error)}`));
      return changed(entry);
    },

    // An upload no longer stored is listed without its id: it is picked again to be opened.
    recent: async () => (await recent.read()).map((e) => (e.upload === undefined || stillStored(e.upload, e.name) ? e : { ...e, upload: undefined })),

    savedClassNames: (fingerprint: string, classes: number) => savedNames.get(fingerprint, classes),

    getDataset: (id: string) => loaded.get(id),

    loadedDatasets: () => [...loaded.values()],

    warmReaders,
  };
}
