// Training runs: a queue in front of the pool, pause/resume/stop through each run's shared control flag
// (a paused run gives its threads to queued runs: it parks, see managed-run.ts),
// progress forwarded as events, a checkpoint after every epoch, and the record of every run on disk so
// that after a crash or quit runs are listed with their last checkpoint and can be continued. This file holds
// the operations and the orchestration (queue, launch, emit); the pieces it leans on are managed-run.ts (one
// run's bookkeeping), run-task.ts (a run's task on the pool: its messages, result and saves), run-queue.ts
// (order and threads) and run-rules.ts (what is allowed); what it is given is in manager-deps.ts.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type CellExamples, type EpochPoint, type FirstLayer, newSummary, type Prediction, type RunSummary, type StepPoint, type UnreadableRun } from '../../shared/api/runs';
import type { DatasetData } from '../../shared/dataset';
import type { ModelSource } from '../../shared/model-file';
import { CONTROL, type TrainConfig, type TrainerState } from '../../shared/training';
import { accrueTime, createManagedRun, forgetAfter, prepareToContinue, recordMark, setControl, type ManagedRun } from './managed-run';
import type { RunData, RunManagerDeps } from './manager-deps';
import { firstLayer, latestWeights, matrixCell, measureImported, modelSource, predictImage, predictionsOf } from './run-answers';
import { RunQueue } from './run-queue';
import { checkComparable, hasEnded, restoredSummary, saveErrorText } from './run-rules';
import { everyRow } from './predict-dev';
import { checkSameData } from './run-dataset';
import { cancelParking, runTask, type RunTaskContext, stopParked } from './run-task';
import { loadCurrentWeights } from './run-weights';
import { otherProcess, type Trainer, trainedElsewhere } from './run-owner';
import type { RunRecord } from './store';
import { addNotice } from './summary';
import { wasmTrainingProblem } from '../../worker/run-memory';
import { plannedSteps } from '../../worker/core/sizing';
import { preferredKernels } from '../../worker/task';

export type { RunData, RunManagerDeps }; // what a RunManager is given (manager-deps.ts)

/** The notice of a run the app stopped as it quit (listed as stopped next time). */
export const STOPPED_ON_QUIT = 'Stopped when the app closed; Continue goes on from where it stopped.';

export class RunManager {
  private readonly runs = new Map<string, ManagedRun>();
  private readonly queue: RunQueue;
  private readonly now: () => number;
  private readonly task: RunTaskContext;
  /** Called once when a run's status next becomes an ended one (whenEnded's waits), by run id. */
  private readonly endWaiters = new Map<string, (() => void)[]>();
  /** Per imported run, how many times it was asked to be measured (evaluateImported): only the latest is kept. */
  /** Per imported run: the number of the last measurement asked for, and of the last one whose result was kept. */
  private readonly measureRequests = new WeakMap<ManagedRun, { asked: number; kept: number }>();

  constructor(private readonly deps: RunManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.queue = new RunQueue(deps.pool.threads, (id) => this.runs.get(id)?.summary.threads ?? 1);
    this.task = { deps, now: this.now, isListed: (id) => this.runs.has(id), update: (run, patch) => this.update(run, patch) };
  }

  /** Runs this process is removing: their folders, still on disk a moment, are not new runs to list. */
  private readonly removing = new Set<string>();

  /** The run folders init found and could not read: the Train view says so (they were said on stderr alone). */
  readonly unreadable: UnreadableRun[] = [];

  /** Reads the runs on disk; runs that were training when the app stopped become 'interrupted'. */
  async init(): Promise<void> {
    const records = await this.deps.store.loadAll((path, reason) => {
      this.unreadable.push({ path, reason });
      this.deps.log(`skipping unreadable run ${path}: ${reason}`);
    });
    const owners = this.deps.presence.check(); // one look per process, however many runs it trains
    for (const record of records) {
      const elsewhere = await trainedElsewhere(record, owners);
      // A leftover is told by its writer's pid, which names no process here when that one trains the run on another
      // machine (a shared folder): its save in progress would be removed. Its leftovers wait until it is free.
      if (elsewhere === null) await this.deps.store.removeLeftovers(record.summary.id);
      const run = await this.listed(record, elsewhere, ' when this one started: listed as it was then');
      this.runs.set(run.summary.id, run);
    }
  }

  /**
   * Lists the runs another process (the CLI beside the app) started in the data folder since this one listed its
   * runs: they were not seen until a restart. Each as init lists it, saying which process trains it while one does.
   * Folders of runs this process removes, or whose record is not written yet or cannot be read, are left for later.
   * Answers how many it listed.
   */
  async listNewRuns(): Promise<number> {
    let listed = 0;
    const owners = this.deps.presence.check();
    const known = (id: string) => this.runs.has(id) || this.removing.has(id);
    for (const id of await this.deps.store.ids()) {
      if (known(id)) continue;
      const record = await this.deps.store.loadRecord(id).catch(() => null);
      if (!record || record.summary.id !== id || known(id)) continue;
      const elsewhere = await trainedElsewhere(record, owners, this.deps.presence.owner);
      const run = await this.listed(record, elsewhere, ': listed as it was when this one found it');
      if (known(id)) continue; // came meanwhile
      this.runs.set(id, run);
      this.deps.emit.changed(run.summary);
      listed++;
    }
    return listed;
  }

  /** A run as its record on disk has it: one that was cut short (its process ended while it trained) is
   *  'interrupted', back at its checkpoint. `elsewhere`: the process that trains it now, if one does: its row says
   *  so, and how it was listed (`how`). */
  private async listed(record: RunRecord, elsewhere: Trainer | null = null, how = ''): Promise<ManagedRun> {
    const cutShort = !hasEnded(record.summary.status);
    const listedFrom = recordMark(record.summary); // (restoredSummary changes the record's summary)
    const run = this.managedRun(restoredSummary(record.summary), record.steps, record.epochs);
    run.listedFrom = listedFrom;
    if (cutShort) await this.backToCheckpoint(run);
    if (elsewhere !== null) run.summary.error = `being trained by ${otherProcess(elsewhere)}${how}; Continue and Remove wait until that one has stopped it`;
    return run;
  }

  /** A run the app's end cut short has what its checkpoint has (it continues from there): its row and chart said the
   *  step it had reached ("Interrupted · step 7,024" where Continue went on from 6,454). */
  private async backToCheckpoint(run: ManagedRun): Promise<void> {
    const { id, checkpointEpoch, progress } = run.summary;
    const header = checkpointEpoch > 0 ? await this.deps.store.loadStateHeader(id, 'checkpoint').catch(() => null) : null;
    if (checkpointEpoch > 0 && !header) return; // unreadable: Continue says why
    const step = header?.steps ?? 0;
    if (step >= progress.step) return;
    forgetAfter(run, step);
    const epoch = header?.epoch ?? 0;
    // Its figures are those of the epochs kept (an epoch reported but not yet saved when the app ended is gone), and
    // a matrix of a later epoch than its weights' is dropped: its next epoch brings one.
    const last = run.epochs.at(-1);
    const devAccuracies = run.epochs.map((p) => p.devAccuracy).filter((a): a is number => a !== null);
    const matrixOfLaterEpoch = run.summary.checkpointEpoch > epoch;
    run.summary = {
      ...run.summary,
      epochsDone: epoch,
      checkpointEpoch: epoch,
      lastDevAccuracy: last?.devAccuracy ?? null,
      bestDevAccuracy: devAccuracies.length > 0 ? Math.max(...devAccuracies) : null,
      lastTestAccuracy: last?.testAccuracy ?? null,
      ...(matrixOfLaterEpoch ? { confusion: [] } : {}),
      progress: { ...progress, step, epoch, loss: run.steps.at(-1)?.loss ?? null, etaSeconds: null, samplesPerSecond: 0 },
    };
  }

  list(): RunSummary[] {
    return [...this.runs.values()].map((r) => r.summary);
  }

  history(id: string): { id: string; steps: StepPoint[]; epochs: EpochPoint[] } {
    const run = this.get(id);
    return { id, steps: run.steps, epochs: run.epochs };
  }

  /** The dev examples in one cell of the run's latest confusion matrix (./run-answers.ts). */
  cellExamples(id: string, truth: number, predicted: number, limit = 100): Promise<CellExamples> {
    return matrixCell(this.get(id), this.deps, truth, predicted, limit);
  }

  /** The class probabilities one image gets from the run's latest saved weights (./run-answers.ts). */
  predict(id: string, pixels: Uint8Array): Promise<Prediction> {
    return predictImage(this.get(id), this.deps, pixels);
  }

  /** What a model file of the run is made from: its latest saved weights and what it knows of them (./run-answers.ts). */
  modelSource(id: string, labels?: readonly string[]): Promise<ModelSource> {
    return modelSource(this.get(id), this.deps, labels);
  }

  /** A model file read back (src/shared/model-file.ts parseModelJson) becomes a run of its own: completed, its
   *  weights the final ones. It is listed, drawn with, predicted with and exported again; with no data set and no
   *  history it has no matrix in Evaluate and cannot continue. `fileName` goes into its notice. */
  async importModel(source: ModelSource, fileName: string): Promise<RunSummary> {
    const { trained, metrics } = source;
    const epochs = Math.floor(trained.epochs);
    const summary: RunSummary = {
      ...newSummary({
        id: randomUUID(),
        config: source.config,
        devRows: source.config.devRows,
        datasetId: '',
        datasetName: trained.dataset || fileName,
        name: `${source.name || fileName} (imported)`.slice(0, 120),
        groupId: null,
        colorIndex: this.freeColorIndex(),
        createdAt: this.now(),
        threads: 1,
      }),
      status: 'completed',
      progress: { step: trained.steps, totalSteps: trained.steps, epoch: epochs, samplesPerSecond: 0, etaSeconds: null, loss: null },
      epochsDone: epochs,
      bestDevAccuracy: metrics.bestDevAccuracy ?? metrics.devAccuracy,
      lastDevAccuracy: metrics.devAccuracy,
      lastTestAccuracy: metrics.testAccuracy,
      notice: `Imported from ${fileName}: its weights, without the data or the history it was trained with.`,
      imported: { fileName, width: source.image.width, height: source.image.height, labels: [...source.labels] },
    };
    const state: TrainerState = {
      version: 1,
      layerSizes: [...source.layerSizes],
      params: source.params,
      m: null,
      v: null,
      steps: trained.steps,
      epoch: epochs,
      stepInEpoch: 0,
      shuffleRng: [0, 0, 0, 0],
      epochLossSum: 0,
      epochRows: 0,
    };
    const run = this.managedRun(summary, [], []);
    this.runs.set(summary.id, run);
    run.writer.save({ final: state });
    await run.writer.idle; // on disk before it is listed: Draw and Models read its final weights from there
    this.deps.emit.changed(run.summary);
    return run.summary;
  }

  /** An imported run measured on every row of a loaded labelled data set: its confusion matrix becomes the run's,
   *  kept in its record with the data set (found again by fingerprint after a restart, for the matrix's images). */
  async evaluateImported(id: string, dataset: { id: string; name: string; fingerprint: string; data: DatasetData }): Promise<RunSummary> {
    const run = this.get(id);
    const { imported, name } = run.summary;
    if (!imported) throw new Error(`run '${name}' was trained here: Evaluate shows it on its own dev set (only an imported model is measured on a data set you choose)`);
    const requests = this.measureRequests.get(run) ?? { asked: 0, kept: 0 };
    this.measureRequests.set(run, requests);
    const request = ++requests.asked;
    // Removed meanwhile: nothing to keep (a save would make its folder again), whatever the measuring said (its weights
    // gone with its folder). Asked to measure again meanwhile: the later request's result is kept, whichever ends last;
    // a later request that fails leaves the earlier one's result standing.
    const removed = () => (this.runs.get(id) === run ? null : new Error(`run '${name}' was removed while it was being measured`));
    const { confusion, examples } = await measureImported(run, this.deps, everyRow(dataset.name, dataset.id, dataset.data)).catch((error: unknown) => {
      throw removed() ?? error;
    });
    const gone = removed();
    if (gone) throw gone;
    if (request < requests.kept) return run.summary;
    requests.kept = request;
    run.devExamples = examples;
    const evaluatedOn = { fingerprint: dataset.fingerprint, name: dataset.name, rows: dataset.data.rows };
    const summary = this.update(run, { confusion, imported: { ...(run.summary.imported ?? imported), evaluatedOn } });
    run.writer.save(); // the record, with its matrix
    return summary;
  }

  /** The run's class probabilities for every image of `data`, by its latest saved weights (./run-answers.ts). */
  predictions(id: string, data: DatasetData, labels?: readonly string[]): Promise<{ probs: Float32Array; labels: readonly string[] }> {
    return predictionsOf(this.get(id), this.deps, data, labels);
  }

  /** The first layer of the run's latest saved weights, each hidden unit's weights as an image (./run-answers.ts). */
  firstLayer(id: string): Promise<FirstLayer> {
    return firstLayer(this.get(id), this.deps);
  }

  start(request: { datasetId: string; config: TrainConfig; name?: string; testDatasetId?: string | null; threads?: number }): RunSummary {
    const runData = this.deps.dataFor(request.datasetId, request.testDatasetId ?? null);
    const threads = Math.min(this.deps.pool.threads, request.threads ?? this.deps.threads ?? 1);
    return this.enqueue(this.create(request.config, runData, request.datasetId, request.name, null, request.testDatasetId ?? null, threads));
  }

  /** N runs sharing initial weights and batch order: their configs may differ only in the optimizer's settings. */
  compare(request: { datasetId: string; configs: TrainConfig[]; names?: string[]; testDatasetId?: string | null }): RunSummary[] {
    checkComparable(request.configs);
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
    setControl(run, CONTROL.pause);
    accrueTime(run, this.now);
    run.activeSince = null;
    this.update(run, { status: 'paused' });
    this.pump(); // runs waiting for threads take its threads
    return run.summary;
  }

  /** A paused run goes on; a parked one (its threads given to queued runs) joins the queue again. */
  resume(id: string): RunSummary {
    const run = this.get(id);
    if (run.summary.status !== 'paused') throw new Error(`run '${run.summary.name}' is ${run.summary.status}, not paused`);
    if (run.parking?.stage === 'stopping') {
      run.parking.resumeWhenParked = true;
      return run.summary;
    }
    if (run.parking) return this.unpark(run);
    setControl(run, CONTROL.run);
    run.activeSince = this.now();
    return this.update(run, { status: 'running' });
  }

  /** Stops after the current step; the weights reached so far are kept (final.bin). A queued run just leaves
   *  the queue (one that parked ends where it parked). */
  stop(id: string): RunSummary {
    const run = this.get(id);
    const status = run.summary.status;
    if (status === 'queued') {
      this.queue.remove(id);
      if (run.parking) stopParked(run, this.task);
      this.release(run);
      this.refreshQueuePositions();
      this.update(run, { status: 'stopped', queuePosition: null });
      run.writer.save();
      return run.summary;
    }
    if (status !== 'running' && status !== 'paused') throw new Error(`run '${run.summary.name}' is ${status}; only a running or paused run can be stopped`);
    if (run.parking?.stage === 'parked') {
      stopParked(run, this.task);
      this.release(run);
      return run.summary;
    }
    if (run.parking) cancelParking(run, this.task); // stopping to park, it now just stops
    setControl(run, CONTROL.stop);
    return run.summary;
  }

  /** Continues a stopped or interrupted run from its saved state, on the data it trained on (which must be loaded). */
  async continue(id: string): Promise<RunSummary> {
    const run = this.get(id);
    const { status } = run.summary;
    if (status !== 'stopped' && status !== 'interrupted' && status !== 'diverged') {
      throw new Error(`run '${run.summary.name}' is ${status}; only stopped, interrupted or diverged runs can continue`);
    }
    await run.writer.idle; // its last stop's weights on disk
    if ((await this.asOnDisk(run, 'continue')) !== run) return this.continue(id); // listed again: as it is now
    const state = await loadCurrentWeights(this.deps.store, id, status);
    // A stopped run ends with its final.bin, in its first epoch too: without one it has lost its weights as well.
    if (!state && (run.summary.checkpointEpoch > 0 || (status === 'stopped' && run.summary.progress.step > 0))) {
      // Its record has a checkpoint the folder does not (deleted, or moved away): it would start over, its history gone.
      throw new Error(`run '${run.summary.name}' has no saved weights in ${join(this.deps.store.folder, id)} (its record says they were saved there, at step ${run.summary.progress.step.toLocaleString('en-US')}): it cannot continue; Reuse starts a new run with its settings`);
    }
    // Another Continue (or a Remove) came while its weights were read: that one has it.
    if (this.runs.get(id) !== run || run.summary.status !== status) throw new Error(`run '${run.summary.name}' is ${this.runs.has(id) ? run.summary.status : 'removed'} now; it continues only once`);
    const runData = this.deps.dataToContinue?.(run.summary, run.testDatasetId, state) ?? this.deps.dataFor(run.summary.datasetId, run.testDatasetId);
    checkSameData(run.summary, runData.dataset, runData.datasetName);
    prepareToContinue(run, state, runData);
    return this.enqueue(run);
  }

  async remove(id: string): Promise<void> {
    let run = this.get(id);
    if (!hasEnded(run.summary.status)) throw new Error(`run '${run.summary.name}' is ${run.summary.status}; stop it before removing it`);
    run = await this.asOnDisk(run, 'remove');
    this.runs.delete(id);
    this.removing.add(id); // its folder, while it goes, is not a new run's (listNewRuns)
    await run.writer.idle;
    try {
      await this.deps.store.remove(id);
    } catch (error) {
      // Its folder is still there (a read-only data folder): so is the run, listed as before (it was dropped, and
      // a second Remove or a Draw answered 'no run with id …' until a restart listed it again).
      this.runs.set(id, run);
      throw error;
    } finally {
      this.removing.delete(id);
    }
    this.deps.emit.removed(id);
  }

  /** The saved weights that describe the run now (./run-weights.ts), or null before its first checkpoint. */
  async weights(id: string): Promise<TrainerState | null> {
    return latestWeights(this.get(id), this.deps);
  }

  /**
   * On quit: stops every run after its current step, waits (up to `graceMs`) for them to report and for
   * their weights to be written. A run still going after that keeps its last epoch checkpoint and is
   * listed as interrupted next time.
   */
  async shutdown(graceMs = 5000): Promise<void> {
    const closing: ManagedRun[] = [];
    const stopOnQuit = (run: ManagedRun) => {
      // not one the user has just stopped (a parked run's task was told to stop by its parking: not the user)
      if (run.parking || Atomics.load(run.control, 0) !== CONTROL.stop) closing.push(run);
      this.stop(run.summary.id);
    };
    for (const run of this.runs.values()) if (run.summary.status === 'queued' && run.parking) stopOnQuit(run); // keeps where it parked
    this.queue.clear();
    for (const run of this.runs.values()) {
      if (run.summary.status === 'running' || run.summary.status === 'paused') stopOnQuit(run);
    }
    const deadline = Date.now() + graceMs;
    while (this.queue.running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // Listed as stopped next time, though the user never pressed Stop: say so (after any notice it had).
    for (const run of closing) {
      if (run.summary.status !== 'stopped') continue;
      this.update(run, { notice: addNotice(run.summary.notice, STOPPED_ON_QUIT) });
      run.writer.save();
    }
    await Promise.all([...this.runs.values()].map((r) => r.writer.idle));
    // Gone from the folder: the records of runs it still had queued (or could not stop in time) name a process that
    // another one finds no presence of, so they are free at once (not while their pid happens to be taken).
    this.deps.presence.stop();
  }

  /** Resolves when the run has ended and its record is written (tests and the CLI): woken by the status change,
   *  not by polling. */
  async whenEnded(id: string): Promise<RunSummary> {
    const run = this.get(id);
    if (!hasEnded(run.summary.status)) {
      await new Promise<void>((resolve) => this.endWaiters.set(id, [...(this.endWaiters.get(id) ?? []), resolve]));
    }
    await run.writer.idle;
    return run.summary;
  }

  // ——— internals ———

  private get(id: string): ManagedRun {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run with id '${id}'`);
    return run;
  }

  /** The lowest palette index no listed run has: after runs are removed, new ones take the first, most distinct
   *  colours again (a compare after clearing the list is blue, orange, green, red as the first one was). */
  private freeColorIndex(): number {
    const taken = new Set([...this.runs.values()].map((r) => r.summary.colorIndex));
    let index = 0;
    while (taken.has(index)) index++;
    return index;
  }

  private create(config: TrainConfig, runData: RunData, datasetId: string, name: string | undefined, groupId: string | null, testDatasetId: string | null, threads: number): ManagedRun {
    const { rows, width, height, classes } = runData.data;
    const tooLarge = (this.deps.kernels ?? preferredKernels()) === 'wasm' ? wasmTrainingProblem(config, { rows, inputSize: width * height, classes }, threads) : null;
    if (tooLarge) throw new Error(tooLarge); // before the run is made and listed (its thread said it in WebAssembly's words)
    const summary = newSummary({
      id: randomUUID(),
      config,
      devRows: runData.devRows,
      datasetId,
      datasetName: runData.datasetName,
      dataset: runData.dataset,
      name,
      groupId,
      colorIndex: this.freeColorIndex(),
      createdAt: this.now(),
      threads,
    });
    summary.progress = { ...summary.progress, totalSteps: plannedSteps(config, rows).totalSteps }; // before its first step
    const run = this.managedRun(summary, [], []);
    run.runData = runData;
    run.testDatasetId = testDatasetId;
    this.runs.set(summary.id, run);
    run.writer.save(); // listed again after a quit even if it never starts
    return run;
  }

  /** Into the queue: at its end, or first (a parked run resumed: a pause does not cost its place), behind
   *  parked runs resumed before it. */
  private enqueue(run: ManagedRun, place: 'last' | 'first' = 'last'): RunSummary {
    if (place === 'first') this.queue.addAhead(run.summary.id, (id) => this.runs.get(id)?.parking != null);
    else this.queue.add(run.summary.id);
    run.summary = { ...run.summary, status: 'queued' };
    this.pump(); // starts it if its threads are free, and numbers the queue
    run.writer.save(); // on disk as this process's (trainedBy) while it waits too: another process leaves it alone
    return run.summary;
  }

  private refreshQueuePositions(): void {
    for (const { id, position } of this.queue.positions()) {
      const run = this.runs.get(id);
      if (run && run.summary.queuePosition !== position) this.update(run, { queuePosition: position });
    }
  }

  /** Starts queued runs in order while their threads are free (run-queue.ts), and has paused runs give
   *  theirs to the next one when that lets it start. */
  private pump(): void {
    for (let id = this.queue.startNext(); id !== null; id = this.queue.startNext()) this.launch(this.get(id));
    this.parkForQueue();
    this.refreshQueuePositions();
  }

  /** Parks as few of the paused runs on the pool as let the first waiting run start, once they and the runs
   *  already leaving it (parking, or told to stop) have left; none if that would not start it. A run told to
   *  stop is never parked: it ends stopped. */
  private parkForQueue(): void {
    const onPool = [...this.runs.values()].filter((r) => (r.summary.status === 'running' || r.summary.status === 'paused') && r.parking?.stage !== 'parked');
    const isLeaving = (r: ManagedRun) => r.parking !== null || Atomics.load(r.control, 0) === CONTROL.stop;
    const leaving = onPool.filter(isLeaving).map((r) => r.summary.id);
    const toPark: ManagedRun[] = [];
    for (const run of [...onPool].sort((x, y) => y.summary.threads - x.summary.threads)) { // the widest first: fewest parked
      if (this.queue.fitsWithout(leaving)) break;
      if (run.summary.status !== 'paused' || isLeaving(run)) continue;
      leaving.push(run.summary.id);
      toPark.push(run);
    }
    if (this.queue.fitsWithout(leaving)) for (const run of toPark) this.park(run);
  }

  private launch(run: ManagedRun): void {
    const id = run.summary.id;
    run.parking = null; // a parked run continues: what it held is its start state now
    run.activeSince = this.now();
    this.update(run, { status: 'running', queuePosition: null });
    run.writer.save();
    void runTask(run, this.task).finally(() => {
      this.queue.ended(id);
      run.activeSince = null;
      if (run.parking?.stage !== 'parked') this.release(run);
      else if (run.parking.resumeWhenParked) this.unpark(run);
      this.pump();
    });
  }

  /** Stops a paused run's task to free its threads; it stays paused, its state held (managed-run.ts). */
  private park(run: ManagedRun): void {
    run.parking = { stage: 'stopping', result: null, partialEpoch: null, resumeWhenParked: false };
    setControl(run, CONTROL.stop);
  }

  /** A parked run joins the queue again, to continue from the state it parked at (until it starts, it still
   *  holds its parked result: stopped in the queue, it ends where it parked). */
  private unpark(run: ManagedRun): RunSummary {
    setControl(run, CONTROL.run);
    this.update(run, { parked: false });
    return this.enqueue(run, 'first');
  }

  /** A run that has ended lets go of its data and start state. */
  private release(run: ManagedRun): void {
    run.runData = null;
    run.startState = null;
  }

  /** The run to continue or remove, as its record on disk has it. Throws when another process trains it now (its
   *  record says so, of a process alive): the CLI beside the app, or the other way — both trained it at once in one
   *  folder, and an epoch was lost; a Remove was undone by the other's next save. When another process trained it
   *  since this one listed it and has let it go (stopped, completed, or crashed), what is listed here is out of
   *  date (Continue went on from the state listed at start, and ignored a newer final.bin): it is listed again from
   *  its record, as at a restart, and the views told; a run now completed is not continued. */
  private async asOnDisk(run: ManagedRun, action: 'continue' | 'remove'): Promise<ManagedRun> {
    const id = run.summary.id;
    const record = await this.deps.store.loadRecord(id).catch(() => null);
    const trainer = record ? await trainedElsewhere(record, this.deps.presence.check(), this.deps.presence.owner) : null;
    if (trainer !== null) throw new Error(`run '${run.summary.name}' is being trained by ${otherProcess(trainer)}: it cannot ${action === 'continue' ? 'continue' : 'be removed'} until that one has stopped it`);
    if (!record || run.listedFrom === null || recordMark(record.summary) === run.listedFrom) return run;
    const fresh = await this.listed(record);
    if (this.runs.get(id) !== run) throw new Error(`run '${run.summary.name}' is ${this.runs.has(id) ? this.get(id).summary.status : 'removed'} now`); // another call came first
    this.runs.set(id, fresh);
    this.deps.emit.removed(id); // the views drop what they had of it (its chart's points) …
    this.deps.emit.changed(fresh.summary); // … and list it as it is now
    const { status, name } = fresh.summary;
    if (action === 'continue' && status !== 'stopped' && status !== 'interrupted' && status !== 'diverged') {
      throw new Error(`run '${name}' was trained by another MLP Studio process since this one started, and is ${status} now: it is listed as it is, and has nothing to continue`);
    }
    return fresh;
  }

  /** A run of the manager's: when its saves fail (a data folder that cannot be written, a full disk), its row says
   *  so and what it means, until one succeeds (it said "Completed", and was gone after a restart). */
  private managedRun(summary: RunSummary, steps: StepPoint[], epochs: EpochPoint[]): ManagedRun {
    const run = createManagedRun(summary, steps, epochs, this.deps.store, this.deps.presence, this.deps.log, (error) => {
      const saveError = error ? saveErrorText(this.deps.store.folder, error) : null;
      if (this.runs.get(run.summary.id) === run && (run.summary.saveError ?? null) !== saveError) this.update(run, { saveError });
    });
    return run;
  }

  private update(run: ManagedRun, patch: Partial<RunSummary>): RunSummary {
    run.summary = { ...run.summary, ...patch };
    this.deps.emit.changed(run.summary);
    if (hasEnded(run.summary.status)) this.wakeEndWaiters(run.summary.id);
    return run.summary;
  }

  private wakeEndWaiters(id: string): void {
    const waiters = this.endWaiters.get(id);
    if (!waiters) return;
    this.endWaiters.delete(id);
    for (const wake of waiters) wake();
  }
}
