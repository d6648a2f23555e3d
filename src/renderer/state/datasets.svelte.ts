// The Data view's state: the loaded data sets and which one is shown, the load in progress (upload, then
// parse, with cancel), the last error with its positioned problems, the recent files, and a cache of
// thumbnail pages. Summaries and pages are $state.raw and replaced, never deeply proxied.
import type { FileRef } from '../../shared/api/files';
import type { DatasetErrorInfo, DatasetSummary, ExamplePage, LoadProgress, OpenResult, RecentDataset, RowSubset, SplitOptions } from '../../shared/datasets';
import { DIGIT_NAMES, FASHION_NAMES } from '../../shared/datasets';
import { api } from '../lib/api';
import { chooseFiles, toFileRef } from '../lib/files';
import { sentenceCase } from '../lib/format';
import { announcer } from './announcer.svelte';

/** What the progress bar shows. */
export interface LoadingState {
  jobId: string;
  file: string;
  phase: 'uploading' | LoadProgress['phase'];
  /** 0–1, or null when unknown. */
  fraction: number | null;
  rows: number;
}

export const FILE_FILTERS = [
  { name: 'Data sets (CSV, IDX, gzip)', extensions: ['csv', 'gz', 'idx', 'ubyte', 'idx1-ubyte', 'idx3-ubyte', 'txt'] },
  { name: 'All files', extensions: ['*'] },
];

export const PAGE_SIZE = 256;
const MAX_CACHED_PAGES = 48;

let jobCounter = 0;
const newJobId = () => `ui-${Date.now().toString(36)}-${++jobCounter}`;

export class DatasetsState {
  /** Every loaded data set, oldest first (as the service lists them). */
  list = $state.raw<DatasetSummary[]>([]);
  /** Id of the data set the Data view shows. */
  currentId = $state<string | null>(null);
  loading = $state.raw<LoadingState | null>(null);
  /** The last failed load (the data sets loaded before stay). */
  error = $state.raw<DatasetErrorInfo | null>(null);
  /** A one-line message for problems outside parsing (split, class names, upload). */
  notice = $state<string | null>(null);
  recent = $state.raw<RecentDataset[]>([]);
  /** The toolbar's "Skip bad rows", for every load while ticked (the error panel's retry skips for that load only). */
  skipBadRows = $state(false);
  /** Files of the last failed load, to retry with "skip bad rows". */
  private lastRefs: FileRef[] | null = null;
  // A plain cache, not UI state: nothing renders from it directly.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private pages = new Map<string, Promise<ExamplePage>>();
  private started = false;

  current = $derived(this.list.find((d) => d.id === this.currentId) ?? null);

  /** Subscribes to the service's events and reads what is already loaded. Safe to call more than once. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    api.on('datasets.progress', (p) => {
      if (!this.loading || this.loading.jobId !== p.jobId) return;
      this.loading = { ...this.loading, phase: p.phase, file: p.file, rows: p.rows, fraction: p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : null };
    });
    api.on('datasets.changed', (summary) => this.upsert(summary));
    api.on('datasets.closed', ({ id, notice }) => {
      if (notice) this.notice = notice; // the oldest data set was closed to make room
      this.list = this.list.filter((d) => d.id !== id);
      if (this.currentId === id) this.currentId = this.list.at(-1)?.id ?? null;
      this.forgetPages(id);
    });
    api.on('datasets.recentChanged', () => void this.refreshRecent());
    try {
      this.list = await api.datasets.list();
      this.currentId ??= this.list.at(-1)?.id ?? null;
      this.recent = await api.datasets.recent();
    } catch (error) {
      this.notice = messageOf(error);
    }
  }

  private upsert(summary: DatasetSummary): void {
    const known = this.list.some((d) => d.id === summary.id);
    this.list = known ? this.list.map((d) => (d.id === summary.id ? summary : d)) : [...this.list, summary];
    this.currentId ??= summary.id; // e.g. the built-in sample the services load at start
    this.forgetPages(summary.id); // the split may have changed which rows a page lists
  }

  select(id: string): void {
    this.currentId = id;
  }

  /** Files dropped on the window or picked: one CSV / IDX file, or an IDX images + labels pair. */
  async openFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    if (files.length > 2) {
      this.notice = `Drop one file, or an IDX images file with its labels file (got ${files.length} files).`;
      return;
    }
    const jobId = newJobId();
    const file = files.map((f) => f.name).join(' + ');
    this.loading = { jobId, file, phase: 'uploading', fraction: 0, rows: 0 };
    this.notice = null;
    let refs: FileRef[];
    try {
      refs = [];
      for (const f of files) {
        refs.push(await toFileRef(f, (fraction) => {
          if (this.loading?.jobId === jobId) this.loading = { ...this.loading, fraction };
        }));
      }
    } catch (error) {
      this.loading = null;
      this.notice = messageOf(error);
      return;
    }
    await this.openRefs(refs, jobId, file);
  }

  /** The Open button: native dialog (Electron) or a file input (browser mode). */
  async pickFiles(): Promise<void> {
    try {
      const jobId = newJobId();
      const refs = await chooseFiles('Open a data set', FILE_FILTERS, (fraction, name) => {
        this.loading = { jobId, file: name, phase: 'uploading', fraction, rows: 0 };
      });
      if (refs.length === 0) {
        this.loading = null;
        return;
      }
      const names = refs.map((r) => (r.kind === 'path' ? r.path.split(/[\\/]/).pop() : r.name)).join(' + ');
      await this.openRefs(refs, jobId, names ?? 'file');
    } catch (error) {
      this.loading = null;
      this.notice = messageOf(error);
    }
  }

  /** Opens a file and attaches it as the separate test set of the data set shown (which stays shown). */
  async pickTestFile(): Promise<void> {
    const trainId = this.currentId;
    const before = this.currentId && this.current ? this.current.split.options : null;
    await this.pickFiles();
    const testId = this.currentId;
    if (!trainId || !before || !testId || testId === trainId) return;
    this.currentId = trainId;
    await this.setSplit({ ...before, testId });
  }

  async openRefs(refs: FileRef[], jobId = newJobId(), file = 'file', skipBadRows = this.skipBadRows): Promise<void> {
    this.lastRefs = refs;
    this.loading = { jobId, file, phase: 'reading', fraction: 0, rows: 0 };
    await this.finish(api.datasets.open(refs.length === 1 ? refs[0] : refs, { jobId, skipBadRows }), jobId);
  }

  async openSample(): Promise<void> {
    const jobId = newJobId();
    this.lastRefs = null;
    this.loading = { jobId, file: 'Built-in MNIST sample', phase: 'reading', fraction: null, rows: 0 };
    await this.finish(api.datasets.openSample({ jobId }), jobId);
  }

  async openRecent(entry: RecentDataset): Promise<void> {
    if (entry.path) await this.openRefs([{ kind: 'path', path: entry.path }], newJobId(), entry.name);
    else if (entry.upload) await this.openRefs([{ kind: 'upload', id: entry.upload, name: entry.name }], newJobId(), entry.name);
  }

  private async refreshRecent(): Promise<void> {
    try {
      this.recent = await api.datasets.recent();
    } catch {
      // the list stays as it was; opening an entry no longer stored says so
    }
  }

  /** Loads the last failed file(s) again, skipping bad rows this once (the toolbar's option stays as it is). */
  async retrySkippingBadRows(): Promise<void> {
    if (!this.lastRefs) return;
    await this.openRefs(this.lastRefs, newJobId(), this.error?.problems[0]?.file ?? 'file', true);
  }

  private async finish(pending: Promise<OpenResult>, jobId: string): Promise<void> {
    try {
      const result = await pending;
      if (result.kind === 'loaded') {
        this.upsert(result.summary);
        this.currentId = result.summary.id;
        this.error = null;
        announcer.say(`${result.summary.name} loaded: ${result.summary.rows.toLocaleString('en-US')} rows`);
        this.recent = await api.datasets.recent();
      } else if (result.kind === 'failed') {
        this.error = result.error;
      }
    } catch (error) {
      this.notice = messageOf(error);
    } finally {
      if (this.loading?.jobId === jobId) this.loading = null;
    }
  }

  async cancel(): Promise<void> {
    const job = this.loading;
    if (!job) return;
    if (job.phase === 'uploading') return; // uploads finish quickly; the parse that follows can be cancelled
    await api.datasets.cancel(job.jobId);
  }

  async setSplit(options: SplitOptions): Promise<boolean> {
    const id = this.currentId;
    if (!id) return false;
    try {
      await api.datasets.setSplit(id, options);
      this.notice = null;
      return true;
    } catch (error) {
      this.notice = messageOf(error);
      return false;
    }
  }

  async setClassNames(names: string[]): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    try {
      this.upsert(await api.datasets.setClassNames(id, names));
      this.notice = null;
    } catch (error) {
      this.notice = messageOf(error);
    }
  }

  async close(id: string): Promise<void> {
    await api.datasets.close(id);
  }

  /** The page of PAGE_SIZE images holding list position `position` (cached; the oldest pages are dropped). */
  page(id: string, subset: RowSubset, classFilter: number | null, pageIndex: number): Promise<ExamplePage> {
    const key = `${id}|${subset}|${classFilter ?? '*'}|${pageIndex}`;
    let page = this.pages.get(key);
    if (!page) {
      page = api.datasets.thumbnails(id, { start: pageIndex * PAGE_SIZE, count: PAGE_SIZE, classFilter, subset });
      page.catch(() => this.pages.delete(key));
      this.pages.set(key, page);
      if (this.pages.size > MAX_CACHED_PAGES) this.pages.delete(this.pages.keys().next().value as string);
    }
    return page;
  }

  private forgetPages(id: string): void {
    for (const key of [...this.pages.keys()]) if (key.startsWith(`${id}|`)) this.pages.delete(key);
  }
}

/** Class-name presets the user can pick. */
export const NAME_PRESETS: Record<string, string[]> = { Digits: DIGIT_NAMES, 'Fashion-MNIST': FASHION_NAMES };

/** An error as the notice line shows it: a sentence ("The connection … is closed", not "the connection …"). */
function messageOf(error: unknown): string {
  return sentenceCase(error instanceof Error ? error.message : String(error));
}

export const datasetsState = new DatasetsState();
