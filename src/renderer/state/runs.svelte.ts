// The Train view's state: the training form, the loaded data sets to train on, the runs and their live
// progress, and the chart series. This module alone subscribes to the runs.* and datasets.* events.
// Big things are $state.raw and replaced; step events (≤20/s per run) are batched into one update per 100 ms.
// The list's rules (which summary wins, order, distinct names, applying a flush) are plain functions in run-list.ts.
import { SvelteMap } from 'svelte/reactivity';
import type { DatasetSummary } from '../../shared/datasets';
import type { RunSummary, UnreadableRun } from '../../shared/api/runs';
import { OPTIMIZERS, presetConfig, type TrainConfig } from '../../shared/training';
import { api } from '../lib/api';
import { RunSeriesStore, type XAxis } from '../components/charts/run-series';
import { TrainForm, notebookOptimizerSettings } from '../views/train/train-form.svelte';
import { applyPending, mergeSummary, namedAsShown, sortRuns, withDistinctNames, type PendingUpdate } from './run-list';
import { datasetToTrainOn, trainChoiceAfter } from './train-dataset';
import { sentenceCase } from '../lib/format';
import { announcer } from './announcer.svelte';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RunsState {
  runs = $state.raw<RunSummary[]>([]);
  datasets = $state.raw<DatasetSummary[]>([]);
  datasetId = $state<string | null>(null);
  /** Actions under way: 'start', 'compare', 'sample', or a run id. */
  busy = $state.raw<readonly string[]>([]);
  /** The last action that failed, in words. */
  error = $state<string | null>(null);
  splitError = $state<string | null>(null);
  /** True once the first lists have arrived (or failed). */
  loaded = $state(false);
  /** Run folders the services found at start and could not read (not listed): the Train view says which and why. */
  unreadable = $state.raw<UnreadableRun[]>([]);
  /** The chart's loss axis. */
  logScale = $state(false);
  /** The chart's x axis: steps, or epochs (runs of other batch sizes or data sets compare by epoch). */
  xAxis = $state<XAxis>('steps');
  /** The run picked in Evaluate or Draw: both show it (kept while you visit other views); until a pick, or once
   *  the run is removed or is not one a view can show, each shows the best finished run of the newest compared
   *  group, or the newest run (run-list.ts: runToShow). */
  pickedRunId = $state<string | null>(null);

  /** Each run's step when it last began to train (started, continued, or out of the queue; not back from a plain
   *  pause, which goes on at once). A large network takes seconds to start (its threads, weights, first step). */
  readonly #launchedAt = new SvelteMap<string, number>();

  /** A running run that has made no step since it began to train: its row says it is starting (it read Running,
   *  its numbers frozen, for ~6 s with hidden 1024,1024 on the sample). */
  starting(run: RunSummary): boolean {
    return run.status === 'running' && (run.progress.step === 0 || run.progress.step === this.#launchedAt.get(run.id));
  }

  /** The runs as shown: a name several runs share gets their data set, seed or a number to tell them apart. */
  readonly shown: RunSummary[] = $derived(withDistinctNames(this.runs));

  readonly form = new TrainForm();
  readonly series = new RunSeriesStore();
  readonly dataset: DatasetSummary | null = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  /** The dev size checked against the chosen data set. */
  readonly devRowsIssue: string | null = $derived.by(() => {
    const own = this.form.issues.devRows;
    if (own) return own;
    const rows = this.dataset?.rows;
    const dev = this.form.devRows ?? 0;
    if (rows !== undefined && dev >= rows) return `must be below ${rows.toLocaleString('en-US')}, the data set's size`;
    return null;
  });
  /** The chosen data set can be trained on: it has labels, of at least 2 classes. */
  readonly trainable = $derived(this.dataset !== null && this.dataset.labeled && this.dataset.classes >= 2);
  readonly canStart = $derived(this.trainable && this.form.config !== null && this.devRowsIssue === null);

  /** Class names saved for data that may not be open, by fingerprint (savedClassNames): fetched once each, and
   *  kept up to date from every data set loaded or renamed. */
  readonly #savedNames = new SvelteMap<string, readonly string[]>();

  #started = false;
  // Bookkeeping, not state: nothing renders from these.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #namesAsked = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #historyRequested = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Map<string, PendingUpdate>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Subscribes to the events and loads the lists; later calls do nothing. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('runs.changed', (summary) => {
      // A new status shows at once; the same status with new numbers (an epoch) waits for the next flush.
      const known = this.runs.find((r) => r.id === summary.id);
      if (known && known.status === summary.status) this.#queue(summary.id, { summary });
      else {
        this.#pending.delete(summary.id);
        this.#upsert(summary);
        if (known) announcer.runStatus(this.shown.find((r) => r.id === summary.id)?.name ?? summary.name, known.status, summary.status);
      }
      void this.#loadHistory(summary.id);
    });
    api.on('runs.removed', ({ id }) => this.#forget(id));
    api.on('runs.step', (e) => {
      this.series.addStep(e.id, e.point);
      this.#queue(e.id, { step: e });
    });
    api.on('runs.epoch', ({ id, point }) => {
      const run = this.runs.find((r) => r.id === id);
      const fullBatch = run?.config.batchSize === 'full';
      this.series.addEpoch(id, point, fullBatch);
      // Every full-batch step ends an epoch: the row follows the epoch, with its exact training loss (not the smoothed one).
      if (run && fullBatch && point.step > run.progress.step) {
        const left = Math.max(0, run.config.duration.count - point.step); // one step per epoch
        const progress = { ...run.progress, step: point.step, epoch: point.epoch, loss: point.trainLoss, samplesPerSecond: point.samplesPerSecond, etaSeconds: left * point.seconds };
        this.#queue(id, { step: { progress, elapsedSeconds: run.elapsedSeconds } });
      }
    });
    api.on('datasets.changed', (summary) => this.#upsertDataset(summary));
    api.on('datasets.closed', ({ id }) => {
      this.datasets = this.datasets.filter((d) => d.id !== id);
      if (this.datasetId === id) this.selectDataset(datasetToTrainOn(this.datasets));
    });
    void this.#load();
  }

  async #load(): Promise<void> {
    const [runs, datasets] = await Promise.allSettled([api.runs.list(), api.datasets.list()]);
    if (datasets.status === 'fulfilled') {
      this.datasets = datasets.value;
      if (!this.dataset) this.selectDataset(datasetToTrainOn(datasets.value));
    } else this.error = `Could not list the data sets: ${errorText(datasets.reason)}`;
    if (runs.status === 'fulfilled') {
      for (const run of runs.value) this.#upsert(run);
      for (const run of runs.value) void this.#loadHistory(run.id);
    } else this.error = `Could not list the runs: ${errorText(runs.reason)}`;
    this.loaded = true;
    this.unreadable = await api.runs.unreadable().catch(() => []);
  }

  selectDataset(id: string | null): void {
    this.datasetId = id;
    this.splitError = null;
    const ds = this.dataset;
    if (ds) this.form.devRows = ds.split.devRows;
  }

  async openSample(): Promise<void> {
    await this.#act('sample', async () => {
      const result = await api.datasets.openSample({});
      if (result.kind === 'loaded') {
        this.#upsertDataset(result.summary);
        this.selectDataset(result.summary.id);
      } else if (result.kind === 'failed') this.error = result.error.message;
    });
  }

  /** Writes the dev size through to the data set's split ("first N rows"), if it changed. */
  async applyDevRows(): Promise<boolean> {
    const ds = this.dataset;
    const devRows = this.form.devRows;
    if (!ds || devRows === null || this.devRowsIssue) return false;
    if (ds.split.devRows === devRows) return true; // unchanged: a random split from the Data view stays
    this.splitError = null;
    try {
      const split = await api.datasets.setSplit(ds.id, { kind: 'first', devRows, testId: ds.split.testId });
      this.datasets = this.datasets.map((d) => (d.id === ds.id ? { ...d, split } : d));
      return true;
    } catch (error) {
      this.splitError = errorText(error);
      return false;
    }
  }

  /** Threads the next Start trains on (data-parallel above 1); compared runs take one each. */
  runThreads = $state(1);

  /** Starts one run with the form's config. */
  /** The run the last Start (or the first of the last Compare) started, while this window has not started another
   *  since; null when that call started none. */
  lastStarted: string | null = null;

  async startRun(): Promise<void> {
    const ds = this.dataset;
    const config = this.form.config;
    this.lastStarted = null;
    if (!ds || !config || !this.canStart) return;
    await this.#act('start', async () => {
      if (!(await this.applyDevRows())) return;
      const run = await api.runs.start({ datasetId: ds.id, config, threads: this.runThreads });
      this.#upsert(run, true);
      this.lastStarted = run.id;
    });
  }

  /** Starts runs from identical weights and batch order that differ only in optimizer settings. */
  async compare(configs: TrainConfig[]): Promise<void> {
    const ds = this.dataset;
    this.lastStarted = null;
    if (!ds || !ds.labeled || this.devRowsIssue) return;
    await this.#act('compare', async () => {
      if (!(await this.applyDevRows())) return;
      const devRows = this.form.devRows ?? 0;
      const runs = await api.runs.compare({ datasetId: ds.id, configs: configs.map((c) => ({ ...c, devRows })) });
      for (const run of runs) this.#upsert(run, true);
      this.lastStarted = runs[0]?.id ?? null;
    });
  }

  /** The notebook's four experiments, one click. */
  compareNotebook(): Promise<void> {
    return this.compare(OPTIMIZERS.map((o) => presetConfig(`notebook-${o}`)));
  }

  /** The form's network, once per optimizer, each with the notebook's settings for it. */
  compareOptimizers(): Promise<void> {
    const base = this.form.config;
    if (!base) return Promise.resolve();
    return this.compare(OPTIMIZERS.map((o) => ({ ...base, hidden: base.hidden.map((h) => ({ ...h })), ...notebookOptimizerSettings(o) })));
  }

  pause(id: string): Promise<void> {
    return this.#control(id, () => api.runs.pause(id));
  }
  resume(id: string): Promise<void> {
    return this.#control(id, () => api.runs.resume(id));
  }
  stop(id: string): Promise<void> {
    return this.#control(id, () => api.runs.stop(id));
  }
  continueRun(id: string): Promise<void> {
    return this.#control(id, () => api.runs.continue(id));
  }
  async remove(id: string): Promise<void> {
    await this.#act(id, async () => {
      await api.runs.remove(id);
      this.#forget(id);
    });
  }

  isBusy(key: string): boolean {
    return this.busy.includes(key);
  }

  async #control(id: string, call: () => Promise<RunSummary>): Promise<void> {
    await this.#act(id, async () => {
      this.#pending.delete(id);
      this.#upsert(await call());
    }, (text) => namedAsShown(text, id, this.runs, this.shown));
  }

  async #act(key: string, fn: () => Promise<void>, explain: (text: string) => string = (text) => text): Promise<void> {
    if (this.busy.includes(key)) return;
    this.busy = [...this.busy, key];
    this.error = null;
    try {
      await fn();
    } catch (error) {
      this.error = sentenceCase(explain(errorText(error)));
    } finally {
      this.busy = this.busy.filter((k) => k !== key);
    }
  }

  /** Adds or replaces a run; `onlyIfNew` for replies that events may already have overtaken. */
  #upsert(summary: RunSummary, onlyIfNew = false): void {
    const index = this.runs.findIndex((r) => r.id === summary.id);
    if (index >= 0 && onlyIfNew) return;
    if (index < 0) {
      this.runs = sortRuns([...this.runs, summary]);
      return;
    }
    const before = this.runs[index].status;
    if (summary.status === 'running' && before !== 'running' && before !== 'paused') this.#launchedAt.set(summary.id, summary.progress.step);
    const next = [...this.runs];
    next[index] = mergeSummary(this.runs[index], summary);
    this.runs = next;
  }

  #forget(id: string): void {
    this.#pending.delete(id);
    this.runs = this.runs.filter((r) => r.id !== id);
    this.series.delete(id);
    this.#historyRequested.delete(id);
    this.#launchedAt.delete(id);
  }

  /** The class names the user saved for the data of this fingerprint (K of them), for a run whose data is not open;
   *  undefined until the first answer comes (the view then shows the defaults, and updates). */
  savedClassNames(fingerprint: string, K: number): readonly string[] | undefined {
    if (!this.#namesAsked.has(fingerprint)) {
      this.#namesAsked.add(fingerprint);
      api.datasets
        .savedClassNames(fingerprint, K)
        .then((names) => {
          if (names && !this.#savedNames.has(fingerprint)) this.#savedNames.set(fingerprint, names);
        })
        .catch(() => this.#namesAsked.delete(fingerprint)); // asked again at the next look
    }
    return this.#savedNames.get(fingerprint);
  }

  #upsertDataset(summary: DatasetSummary): void {
    this.#savedNames.set(summary.fingerprint, summary.classNames); // what the service keeps for it, once named
    const known = this.datasets.some((d) => d.id === summary.id);
    this.datasets = known ? this.datasets.map((d) => (d.id === summary.id ? summary : d)) : [...this.datasets, summary];
    // A newly loaded data set becomes the one to train on, unless it is opened as another's test set; a changed
    // split shows in the form.
    const next = trainChoiceAfter(this.datasetId, summary, !known, this.datasets);
    if (next !== this.datasetId || summary.id === next) this.selectDataset(next);
  }

  /** Once per run: what it did before this window saw it. Live points that arrive meanwhile are kept. */
  async #loadHistory(id: string): Promise<void> {
    if (this.#historyRequested.has(id)) return;
    this.#historyRequested.add(id);
    try {
      const history = await api.runs.history(id);
      const run = this.runs.find((r) => r.id === id);
      if (run) this.series.setHistory(history, run.config.batchSize === 'full');
    } catch {
      this.#historyRequested.delete(id);
    }
  }

  /** Keeps the latest summary and the latest progress of a run until the next flush (≤ 10 per second). */
  #queue(id: string, update: Partial<PendingUpdate>): void {
    const pending = this.#pending.get(id) ?? { summary: null, step: null };
    if (update.summary) pending.summary = update.summary;
    if (update.step) pending.step = update.step;
    this.#pending.set(id, pending);
    if (this.#flushTimer === null) this.#flushTimer = setTimeout(() => this.#flush(), 100);
  }

  #flush(): void {
    this.#flushTimer = null;
    if (this.#pending.size === 0) return;
    const pending = this.#pending;
    this.#pending = new Map(); // eslint-disable-line svelte/prefer-svelte-reactivity
    this.runs = applyPending(this.runs, pending);
  }
}

export const runsState = new RunsState();
