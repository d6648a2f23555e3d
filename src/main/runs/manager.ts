// Training runs: a queue in front of the pool, pause/resume/stop through each run's shared control flag,
// progress forwarded as events, a checkpoint after every epoch, and the record of every run on disk so
// that after a crash or quit runs are listed with their last checkpoint and can be continued.
import { randomUUID } from 'node:crypto';
import type { DatasetData } from '../../shared/dataset';
import type { EpochPoint, RunSummary, StepPoint } from '../../shared/api/runs';
import { CONTROL, type KernelName, type TrainConfig, type TrainerState, type TrainMessage, type TrainResult } from '../../shared/training';
import type { TrainingPool } from './pool';
import { RunWriter } from './run-writer';
import type { RunStore } from './store';
import { afterEpoch, afterResult, epochPoint, newSummary, stepPoint } from './summary';

/** What a run needs from a loaded data set: rows arranged dev-first (see run-data.ts) and its test set. */
export interface RunData {
  datasetName: string;
  data: DatasetData;
  devRows: number;
  test: DatasetData | null;
}

export interface RunManagerDeps {
  pool: TrainingPool;
  store: RunStore;
  /** Resolves a data set id (and optional separate test set id) to arranged rows; throws a clear Error if unknown. */
  dataFor: (datasetId: string, testDatasetId: string | null) => RunData;
  emit: {
    changed: (summary: RunSummary) => void;
    removed: (id: string) => void;
    step: (payload: { id: string; point: StepPoint; progress: RunSummary['progress']; elapsedSeconds: number }) => void;
    epoch: (payload: { id: string; point: EpochPoint }) => void;
  };
  log: (line: string) => void;
  /** Every raw message of a run's task (the CLI prints from these). */
  onTaskMessage?: (id: string, message: TrainMessage) => void;
  kernels?: KernelName;
  /** Threads a run trains on when its request names none (data-parallel above 1); default 1. */
  threads?: number;
  now?: () => number;
}

interface Run {
  summary: RunSummary;
  steps: StepPoint[];
  epochs: EpochPoint[];
  control: Int32Array;
  /** Set while queued or running; released when the run ends. */
  runData: RunData | null;
  /** Where to start from when launched (a checkpoint), or null for fresh weights. */
  startState: TrainerState | null;
  testDatasetId: string | null;
  /** ms timestamp since when the run has been training unpaused, or null. */
  activeSince: number | null;
  /** Saves the run's states and record, newest first. */
  writer: RunWriter;
}

/** Step points kept per run; beyond this the history is thinned by half (bounded memory, shape preserved). */
const MAX_STEP_POINTS = 20_000;
const ENDED = new Set(['completed', 'stopped', 'diverged', 'failed', 'interrupted']);

export class RunManager {
  private readonly runs = new Map<string, Run>();
  private readonly queue: string[] = [];
  private readonly active = new Set<string>();
  private nextColor = 0;
  private readonly now: () => number;

  constructor(private readonly deps: RunManagerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Reads the runs on disk; runs that were training when the app stopped become 'interrupted'. */
  async init(): Promise<void> {
    const records = await this.deps.store.loadAll((path, reason) => this.deps.log(`skipping unreadable run ${path}: ${reason}`));
    for (const record of records) {
      const summary = record.summary;
      summary.threads ??= 1; // records written before runs had a thread count
      if (!ENDED.has(summary.status)) {
        summary.status = 'interrupted';
        summary.error = summary.checkpointEpoch > 0 ? null : 'the app closed before the first checkpoint';
        summary.queuePosition = null;
      }
      this.runs.set(summary.id, this.newRun(summary, record.steps, record.epochs));
      this.nextColor = Math.max(this.nextColor, summary.colorIndex + 1);
    }
  }

  list(): RunSummary[] {
    return [...this.runs.values()].map((r) => r.summary);
  }

  history(id: string): { id: string; steps: StepPoint[]; epochs: EpochPoint[] } {
    const run = this.get(id);
    return { id, steps: run.steps, epochs: run.epochs };
  }

  start(request: { datasetId: string; config: TrainConfig; name?: string; testDatasetId?: string | null; threads?: number }): RunSummary {
    const runData = this.deps.dataFor(request.datasetId, request.testDatasetId ?? null);
    const threads = Math.min(this.deps.pool.threads, request.threads ?? this.deps.threads ?? 1);
    return this.enqueue(this.create(request.config, runData, request.datasetId, request.name, null, request.testDatasetId ?? null, threads));
  }

  /** N runs sharing initial weights and batch order: their configs may differ only in the optimizer's settings. */
  compare(request: { datasetId: string; configs: TrainConfig[]; names?: string[]; testDatasetId?: string | null }): RunSummary[] {
    const [first, ...rest] = request.configs;
    const shared = (c: TrainConfig) => JSON.stringify({ h: c.hidden, l: c.loss, b: c.batchSize, d: c.duration, s: c.seed });
    rest.forEach((c, i) => {
      if (shared(c) !== shared(first)) {
        throw new Error(`compare: run ${i + 2} differs from run 1 in more than the optimizer (layers, loss, batch, duration and seed must match)`);
      }
    });
    const runData = this.deps.dataFor(request.datasetId, request.testDatasetId ?? null);
    const groupId = randomUUID();
    const created = request.configs.map((config, i) =>
      this.create(config, runData, request.datasetId, request.names?.[i], groupId, request.testDatasetId ?? null, 1),
    );
    return created.map((run) => this.enqueue(run));
  }

  pause(id: string): RunSummary {
    const run = this.get(id);
    if (run.summary.status !== 'running') throw new Error(`run '${run.summary.name}' is ${run.summary.status}, not running`);
    Atomics.store(run.control, 0, CONTROL.pause);
    this.accrue(run);
    run.activeSince = null;
    return this.update(run, { status: 'paused' });
  }

  resume(id: string): RunSummary {
    const run = this.get(id);
    if (run.summary.status !== 'paused') throw new Error(`run '${run.summary.name}' is ${run.summary.status}, not paused`);
    Atomics.store(run.control, 0, CONTROL.run);
    Atomics.notify(run.control, 0);
    run.activeSince = this.now();
    return this.update(run, { status: 'running' });
  }

  /** Stops after the current step; the weights reached so far are kept (final.bin). A queued run just leaves the queue. */
  stop(id: string): RunSummary {
    const run = this.get(id);
    const status = run.summary.status;
    if (status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      run.runData = null;
      this.refreshQueuePositions();
      return this.update(run, { status: 'stopped', queuePosition: null });
    }
    if (status !== 'running' && status !== 'paused') throw new Error(`run '${run.summary.name}' is ${status}; only a running or paused run can be stopped`);
    Atomics.store(run.control, 0, CONTROL.stop);
    Atomics.notify(run.control, 0);
    return run.summary;
  }

  /** Continues a stopped or interrupted run from its saved state (the data set must be loaded). */
  async continue(id: string, datasetId?: string): Promise<RunSummary> {
    const run = this.get(id);
    const { status } = run.summary;
    if (status !== 'stopped' && status !== 'interrupted' && status !== 'diverged') {
      throw new Error(`run '${run.summary.name}' is ${status}; only stopped, interrupted or diverged runs can continue`);
    }
    const state = (status === 'stopped' ? await this.deps.store.loadState(id, 'final') : null) ?? (await this.deps.store.loadState(id, 'checkpoint'));
    const runData = this.deps.dataFor(datasetId ?? run.summary.datasetId, run.testDatasetId);
    run.runData = runData;
    run.startState = state;
    // Forget the history past the point we continue from: those steps are trained again.
    const fromStep = state?.steps ?? 0;
    run.steps = run.steps.filter((p) => p.step <= fromStep);
    run.epochs = run.epochs.filter((p) => p.step <= fromStep);
    Atomics.store(run.control, 0, CONTROL.run);
    run.summary = { ...run.summary, error: null, epochsDone: state?.epoch ?? 0 };
    return this.enqueue(run);
  }

  async remove(id: string): Promise<void> {
    const run = this.get(id);
    if (!ENDED.has(run.summary.status)) throw new Error(`run '${run.summary.name}' is ${run.summary.status}; stop it before removing it`);
    this.runs.delete(id);
    await run.writer.idle;
    await this.deps.store.remove(id);
    this.deps.emit.removed(id);
  }

  /** The weights a finished run can be used with: final state, else last checkpoint. */
  async weights(id: string): Promise<TrainerState | null> {
    this.get(id);
    return (await this.deps.store.loadState(id, 'final')) ?? (await this.deps.store.loadState(id, 'checkpoint'));
  }

  /**
   * On quit: stops every run after its current step, waits (up to `graceMs`) for them to report and for
   * their weights to be written. A run still going after that keeps its last epoch checkpoint and is
   * listed as interrupted next time.
   */
  async shutdown(graceMs = 5000): Promise<void> {
    this.queue.length = 0;
    for (const run of this.runs.values()) {
      if (run.summary.status === 'running' || run.summary.status === 'paused') {
        Atomics.store(run.control, 0, CONTROL.stop);
        Atomics.notify(run.control, 0);
      }
    }
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([...this.runs.values()].map((r) => r.writer.idle));
  }

  /** Resolves when the run has ended (tests and the CLI). */
  async whenEnded(id: string): Promise<RunSummary> {
    for (;;) {
      const run = this.get(id);
      if (ENDED.has(run.summary.status)) {
        await run.writer.idle;
        return run.summary;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // ——— internals ———

  private get(id: string): Run {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run with id '${id}'`);
    return run;
  }

  private newRun(summary: RunSummary, steps: StepPoint[], epochs: EpochPoint[]): Run {
    const control = new Int32Array(new SharedArrayBuffer(4));
    // The writer reads the run as it is when its turn comes: the newest summary and history.
    const record = () => ({ version: 1 as const, summary: run.summary, steps: run.steps, epochs: run.epochs });
    const writer = new RunWriter(summary.id, this.deps.store, record, this.deps.log);
    const run: Run = { summary, steps, epochs, control, runData: null, startState: null, testDatasetId: null, activeSince: null, writer };
    return run;
  }

  private create(config: TrainConfig, runData: RunData, datasetId: string, name: string | undefined, groupId: string | null, testDatasetId: string | null, threads: number): Run {
    const summary = newSummary({
      id: randomUUID(),
      config,
      devRows: runData.devRows,
      datasetId,
      datasetName: runData.datasetName,
      name,
      groupId,
      colorIndex: this.nextColor++,
      createdAt: this.now(),
      threads,
    });
    const run = this.newRun(summary, [], []);
    run.runData = runData;
    run.testDatasetId = testDatasetId;
    this.runs.set(summary.id, run);
    return run;
  }

  private enqueue(run: Run): RunSummary {
    this.queue.push(run.summary.id);
    run.summary = { ...run.summary, status: 'queued' };
    this.pump(); // starts it if its threads are free, and numbers the queue
    return run.summary;
  }

  private refreshQueuePositions(): void {
    this.queue.forEach((id, index) => {
      const run = this.runs.get(id);
      if (run && run.summary.queuePosition !== index + 1) this.update(run, { queuePosition: index + 1 });
    });
  }

  /** Threads in use by the runs on the pool (a data-parallel run uses several). */
  private busyThreads(): number {
    let busy = 0;
    for (const id of this.active) busy += this.runs.get(id)?.summary.threads ?? 1;
    return busy;
  }

  /** Starts queued runs in order while their threads are free (first in, first out: none jumps the queue). */
  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.get(this.queue[0]);
      const wanted = Math.min(next.summary.threads ?? 1, this.deps.pool.threads);
      if (this.active.size > 0 && this.busyThreads() + wanted > this.deps.pool.threads) break;
      this.queue.shift();
      this.launch(next);
    }
    this.refreshQueuePositions();
  }

  private launch(run: Run): void {
    const id = run.summary.id;
    const runData = run.runData!;
    this.active.add(id);
    run.activeSince = this.now();
    this.update(run, { status: 'running', queuePosition: null });
    run.writer.save();
    this.deps.pool
      .run(
        {
          config: run.summary.config,
          train: runData.data,
          test: runData.test,
          control: run.control,
          state: run.startState,
          kernels: this.deps.kernels, // undefined: the task picks WASM SIMD where available
          ...(run.summary.threads > 1 ? { threads: run.summary.threads } : {}),
        },
        (message) => this.onMessage(run, message),
      )
      .then(
        (result) => this.finish(run, result),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.deps.log(`run ${id} failed: ${reason}`);
          this.accrue(run);
          this.update(run, { status: 'failed', error: `the training worker failed: ${reason}` });
          run.writer.save();
        },
      )
      .finally(() => {
        this.active.delete(id);
        run.runData = null;
        run.startState = null;
        run.activeSince = null;
        this.pump();
      });
  }

  private onMessage(run: Run, message: TrainMessage): void {
    if (!this.runs.has(run.summary.id)) return;
    this.deps.onTaskMessage?.(run.summary.id, message);
    if (message.type === 'step') {
      const { point, progress } = stepPoint(message);
      this.pushStep(run, point);
      this.accrue(run);
      run.summary = { ...run.summary, progress };
      this.deps.emit.step({ id: run.summary.id, point, progress, elapsedSeconds: run.summary.elapsedSeconds });
    } else if (message.type === 'epoch') {
      const point = epochPoint(message);
      run.epochs = [...run.epochs.filter((p) => p.epoch !== point.epoch), point];
      this.accrue(run);
      this.update(run, afterEpoch(run.summary, message));
      this.deps.emit.epoch({ id: run.summary.id, point });
      // The checkpoint (atomic; a failure is logged) for the epoch the summary now names.
      if (message.complete) run.writer.save({ checkpoint: message.state });
    }
  }

  private finish(run: Run, result: TrainResult): void {
    this.accrue(run);
    run.activeSince = null;
    this.update(run, afterResult(run.summary, result));
    // A diverged run keeps its last good checkpoint as its weights; the NaN state is never written.
    if (run.summary.status !== 'diverged') run.writer.save({ final: result.state });
    else run.writer.save();
  }

  private pushStep(run: Run, point: StepPoint): void {
    run.steps.push(point);
    if (run.steps.length > MAX_STEP_POINTS) run.steps = run.steps.filter((_, i) => i % 2 === 1);
  }

  private accrue(run: Run): void {
    run.summary = { ...run.summary, elapsedSeconds: this.elapsed(run) };
    if (run.activeSince !== null) run.activeSince = this.now();
  }

  private elapsed(run: Run): number {
    const base = run.summary.elapsedSeconds;
    return run.activeSince === null ? base : base + (this.now() - run.activeSince) / 1000;
  }

  private update(run: Run, patch: Partial<RunSummary>): RunSummary {
    run.summary = { ...run.summary, ...patch };
    this.deps.emit.changed(run.summary);
    return run.summary;
  }

}
