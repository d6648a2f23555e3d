// A paused run gives its threads to queued runs (it parks: managed-run.ts), against real worker threads,
// and the races around it (stop or resume while it is still stopping) against a pool that takes its time.
import { describe, expect, it } from 'vitest';
import { CONTROL, type EpochMessage, type TrainerState, type TrainMessage, type TrainResult } from '../../shared/training';
import { config, runData, sleep, slowData, until, useRunManagers } from './manager-harness';
import { type RunData, type RunManager, STOPPED_ON_QUIT } from './manager';
import type { TrainingPool } from './pool';
import { RunStore } from './store';
import { bandsDataset } from './test-support';


const { setup } = useRunManagers();

const long = config({ seed: 5, hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'epochs', count: 3 } });
const summaryOf = (manager: RunManager, id: string) => manager.list().find((r) => r.id === id)!;
const longEpochs: RunData = { ...slowData, data: bandsDataset(12_000, 20) };

describe('a paused run and the queue', () => {
  it('gives its threads to the queued run, and once resumed ends with the weights of an uninterrupted run', async () => {
    const reference = setup(1, undefined, undefined, slowData);
    const a0 = reference.manager.start({ datasetId: 'x', config: long });
    expect((await reference.manager.whenEnded(a0.id)).status).toBe('completed');
    const expected = (await reference.manager.weights(a0.id))!.params;

    const { manager, events } = setup(1, undefined, undefined, slowData);
    const a = manager.start({ datasetId: 'x', config: long });
    const b = manager.start({ datasetId: 'x', config: config({ seed: 6, duration: { unit: 'epochs', count: 1 } }) });
    expect(summaryOf(manager, b.id)).toMatchObject({ status: 'queued', queuePosition: 1 });
    await until(() => summaryOf(manager, a.id).progress.step > 5, 'the first steps');
    manager.pause(a.id);
    await until(() => summaryOf(manager, b.id).status !== 'queued', 'the queued run to start');
    expect(summaryOf(manager, a.id)).toMatchObject({ status: 'paused', parked: true });
    const parkedAt = summaryOf(manager, a.id).progress.step;
    expect((await manager.whenEnded(b.id)).status).toBe('completed');
    // Paused it stays, however long, until resumed — and its answers still come from its checkpoint.
    await sleep(100);
    expect(summaryOf(manager, a.id)).toMatchObject({ status: 'paused', parked: true });
    expect(summaryOf(manager, a.id).progress.step).toBe(parkedAt);
    const resumedAt = events.length;
    expect(manager.resume(a.id).status).toBe('running'); // the pool is free: straight from the queue onto it
    expect(summaryOf(manager, a.id).parked).toBe(false);
    expect((await manager.whenEnded(a.id)).status).toBe('completed');
    expect((await manager.weights(a.id))!.params).toEqual(expected);
    // It went on from where it parked (a fresh start would end with the same weights).
    const stepsAfter = events.slice(resumedAt).filter((e) => e.type === 'step' && e.id === a.id).map((e) => e.step!);
    expect(Math.min(...stepsAfter)).toBeGreaterThan(parkedAt);
  });

  it('a data-parallel run parked mid-epoch also ends with the weights of an uninterrupted run', async () => {
    const reference = setup(2, undefined, undefined, slowData);
    const wide = config({ seed: 5, hidden: [{ units: 32, activation: 'relu' }], duration: { unit: 'epochs', count: 2 } });
    const w0 = reference.manager.start({ datasetId: 'x', config: wide, threads: 2 });
    expect((await reference.manager.whenEnded(w0.id)).status).toBe('completed');
    const expected = (await reference.manager.weights(w0.id))!.params;

    const { manager, events } = setup(2, undefined, undefined, slowData);
    const w = manager.start({ datasetId: 'x', config: wide, threads: 2 });
    const b = manager.start({ datasetId: 'x', config: config({ seed: 6, duration: { unit: 'iterations', count: 20 } }) });
    await until(() => summaryOf(manager, w.id).progress.step > 5, 'the first steps');
    manager.pause(w.id);
    expect((await manager.whenEnded(b.id)).status).toBe('completed');
    expect(summaryOf(manager, w.id)).toMatchObject({ status: 'paused', parked: true });
    const [parkedAt, resumedAt] = [summaryOf(manager, w.id).progress.step, events.length];
    expect(manager.resume(w.id).status).toBe('running');
    expect((await manager.whenEnded(w.id)).status).toBe('completed');
    expect((await manager.weights(w.id))!.params).toEqual(expected);
    const stepsAfter = events.slice(resumedAt).filter((e) => e.type === 'step' && e.id === w.id).map((e) => e.step!);
    expect(Math.min(...stepsAfter)).toBeGreaterThan(parkedAt);
  });

  it('parked, resumed and paused again, it parks again from where it is now, and Stop ends it there', async () => {
    const { manager } = setup(1);
    const endless = config({ duration: { unit: 'iterations', count: 5_000_000 } });
    const a = manager.start({ datasetId: 'x', config: endless });
    const b = manager.start({ datasetId: 'x', config: endless });
    await until(() => summaryOf(manager, a.id).progress.step > 0, 'the first steps');
    manager.pause(a.id);
    await until(() => summaryOf(manager, a.id).parked === true, 'the park');
    const parkedAt = summaryOf(manager, a.id).progress.step;
    manager.resume(a.id);
    manager.stop(b.id);
    await until(() => summaryOf(manager, a.id).status === 'running' && summaryOf(manager, a.id).progress.step > parkedAt, 'a to go on');
    const c = manager.start({ datasetId: 'x', config: endless });
    manager.pause(a.id);
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to take the thread', 5000);
    expect(summaryOf(manager, a.id)).toMatchObject({ status: 'paused', parked: true });
    const step = summaryOf(manager, a.id).progress.step;
    expect(step).toBeGreaterThan(parkedAt);
    manager.stop(a.id);
    await manager.whenEnded(a.id);
    expect((await manager.weights(a.id))!.steps).toBe(step);
    manager.stop(c.id);
    await manager.whenEnded(c.id);
  });

  it('keeps its task when parking would not let the queued run start', async () => {
    const { manager } = setup(2);
    const endless = config({ duration: { unit: 'iterations', count: 5_000_000 } });
    const a = manager.start({ datasetId: 'x', config: endless });
    const b = manager.start({ datasetId: 'x', config: endless });
    const wide = manager.start({ datasetId: 'x', config: endless, threads: 2 });
    await until(() => summaryOf(manager, a.id).progress.step > 0, 'the first steps');
    manager.pause(a.id); // b still holds a thread: the wide run could not start anyway
    await sleep(200);
    expect(summaryOf(manager, a.id).parked).toBeFalsy();
    expect(summaryOf(manager, wide.id).status).toBe('queued');
    manager.stop(b.id); // now parking a lets it start
    await until(() => summaryOf(manager, wide.id).status === 'running', 'the wide run to start');
    expect(summaryOf(manager, a.id)).toMatchObject({ status: 'paused', parked: true });
    expect(manager.resume(a.id)).toMatchObject({ status: 'queued', queuePosition: 1 });
    // Stopped in the queue, it ends where it parked: its weights are the ones it stopped at.
    const step = summaryOf(manager, a.id).progress.step;
    expect(manager.stop(a.id).status).toBe('stopped');
    await manager.whenEnded(a.id); // its weights written
    expect((await manager.weights(a.id))!.steps).toBe(step);
    manager.stop(wide.id);
    await manager.whenEnded(wide.id);
  });

  it('stopped while parked, ends where it paused, with that partial epoch on record', async () => {
    // Epochs of ~750 steps, so that the pause lands inside the first one even when the test's polls come late (a
    // busy CI machine: with slowData's 72-step epochs the run once finished its first epoch before the pause).
    const { manager, folder } = setup(1, undefined, undefined, longEpochs);
    const a = manager.start({ datasetId: 'x', config: long });
    const b = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => summaryOf(manager, a.id).progress.step > 5, 'the first steps');
    manager.pause(a.id);
    await until(() => summaryOf(manager, a.id).parked === true, 'the park');
    const step = summaryOf(manager, a.id).progress.step;
    expect(manager.history(a.id).epochs).toHaveLength(0); // the pause is not the end of an epoch
    expect(manager.stop(a.id)).toMatchObject({ status: 'stopped', parked: false });
    expect(manager.history(a.id).epochs.map((p) => p.step)).toEqual([step]);
    expect((await manager.whenEnded(a.id)).confusion.length).toBe(3);
    expect((await manager.weights(a.id))!.steps).toBe(step);
    // On quit the running one stops too; next time both are listed as stopped.
    await manager.shutdown();
    const next = setup(1, folder, undefined, longEpochs);
    await next.manager.init();
    expect(next.manager.list().map((r) => r.status)).toEqual(['stopped', 'stopped']);
    expect(b.id).not.toBe(a.id);
  });
});

/** A pool of `threads` threads whose runs take `stopMs` to end after being told to stop (as a run in a long step
 *  would). With `partial`, a run told to stop first reports the partial epoch it stopped in (step 7), as the
 *  real task does (with `complete`, the epoch it ended as it stopped); `outcome` is what it then ends with
 *  ('completed': its last step was under way). */
function slowToStop(stopMs: number, { threads = 1, partial = false, complete = false, outcome = 'stopped' as TrainResult['outcome'] } = {}): TrainingPool {
  const state: TrainerState = { version: 1, layerSizes: [2, 1], params: new Float32Array(3), m: null, v: null, steps: 7, epoch: 0, stepInEpoch: 7, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 };
  return {
    threads,
    async run(input, onMessage) {
      while (Atomics.load(input.control!, 0) !== CONTROL.stop) await sleep(5);
      const at = complete ? { complete, atEpoch: 1, state: { ...state, epoch: 1, stepInEpoch: 0 } } : { complete, atEpoch: 0.5, state };
      if (partial || complete) onMessage({ type: 'epoch', epoch: 1, step: 7, trainLoss: 1, devLoss: 1, devAccuracy: 0.5, testAccuracy: null, confusion: [[1]], devPredictions: null, seconds: 1, samplesPerSecond: 1, ...at });
      await sleep(stopMs);
      const result: TrainResult = { outcome, error: null, epoch: 0, steps: 7, dev: null, test: null, seconds: 1, state };
      return result;
    },
    destroy: async () => {},
  };
}

/** Run a started on a one-thread `pool`, run b queued behind it, then a paused: a starts stopping to park (with
 *  a slowToStop pool, it is still stopping when the test goes on). */
function startParking(pool: TrainingPool, aConfig = config()) {
  const { manager, folder } = setup(1, undefined, pool);
  const a = manager.start({ datasetId: 'x', config: aConfig });
  const b = manager.start({ datasetId: 'x', config: config() });
  manager.pause(a.id);
  return { manager, folder, a, b };
}

describe('parking races', () => {
  it('a resume while it is still stopping takes its thread back once it has parked, ahead of the queue', async () => {
    const { manager, a, b } = startParking(slowToStop(150));
    expect(manager.resume(a.id).status).toBe('paused'); // still stopping: noted, not yet done
    await until(() => summaryOf(manager, a.id).status === 'running', 'the resumed run to start again');
    expect(summaryOf(manager, a.id).parked).toBe(false);
    expect(summaryOf(manager, b.id)).toMatchObject({ status: 'queued', queuePosition: 1 });
    manager.stop(a.id);
    expect((await manager.whenEnded(a.id)).status).toBe('stopped');
    await until(() => summaryOf(manager, b.id).status === 'running', 'the queued run to start');
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });


  it('a stop while it is still stopping to park just stops it', async () => {
    const { manager, a, b } = startParking(slowToStop(150));
    manager.stop(a.id);
    expect((await manager.whenEnded(a.id))).toMatchObject({ status: 'stopped' });
    expect(summaryOf(manager, a.id).parked).toBeFalsy();
    await until(() => summaryOf(manager, b.id).status === 'running', 'the queued run to start');
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });

  it('a parked run resumed goes to the head of the queue: a pause does not cost it its place', async () => {
    const { manager } = setup(1, undefined, slowToStop(20));
    const [a, b, c] = [1, 2, 3].map(() => manager.start({ datasetId: 'x', config: config() }));
    manager.pause(a.id);
    await until(() => summaryOf(manager, b.id).status === 'running', 'b to take the thread');
    expect(summaryOf(manager, c.id).queuePosition).toBe(1);
    expect(manager.resume(a.id)).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(summaryOf(manager, c.id).queuePosition).toBe(2);
    manager.stop(b.id);
    await until(() => summaryOf(manager, a.id).status === 'running', 'a to take the thread back');
    expect(summaryOf(manager, c.id).queuePosition).toBe(1);
    await manager.shutdown();
  });

  it('parked runs resumed one after the other keep that order at the head of the queue', async () => {
    const { manager } = setup(2, undefined, slowToStop(20, { threads: 2 }));
    const [a, b, , d] = [1, 2, 3, 4].map(() => manager.start({ datasetId: 'x', config: config() })); // a, b run; c, d wait
    manager.pause(a.id);
    manager.pause(b.id);
    await until(() => summaryOf(manager, d.id).status === 'running', 'c and d to take the threads');
    manager.resume(a.id);
    manager.resume(b.id);
    expect([a, b].map((r) => summaryOf(manager, r.id).queuePosition)).toEqual([1, 2]);
    await manager.shutdown();
  });

  it('on quit, a parked run and one waiting in the queue again both end stopped where they parked, and say why', async () => {
    const { manager } = setup(1, undefined, slowToStop(20));
    const [a, b, c] = [1, 2, 3].map(() => manager.start({ datasetId: 'x', config: config() }));
    manager.pause(a.id);
    await until(() => summaryOf(manager, b.id).status === 'running', 'b to take the thread');
    manager.pause(b.id);
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to take the thread');
    manager.resume(a.id); // back in the queue
    expect([a, b, c].map((r) => summaryOf(manager, r.id).status)).toEqual(['queued', 'paused', 'running']);
    await manager.shutdown();
    expect([a, b, c].map((r) => summaryOf(manager, r.id))).toMatchObject([1, 2, 3].map(() => ({ status: 'stopped', progress: { step: 7 } })));
    // the user stopped none of them: each says it stopped when the app closed (a parked run's task was told to
    // stop by its parking, not by the user)
    expect([a, b, c].map((r) => summaryOf(manager, r.id).notice)).toEqual([STOPPED_ON_QUIT, STOPPED_ON_QUIT, STOPPED_ON_QUIT]);
  });

  it('a run told to stop while paused is not parked by a run queued before its task has ended', async () => {
    const { manager } = setup(1, undefined, slowToStop(150));
    const a = manager.start({ datasetId: 'x', config: config() });
    manager.pause(a.id); // nothing waits: it keeps its task
    manager.stop(a.id);
    const b = manager.start({ datasetId: 'x', config: config() }); // waits for a's thread
    await until(() => summaryOf(manager, a.id).status !== 'paused', 'a to end', 3000);
    expect(summaryOf(manager, a.id)).toMatchObject({ status: 'stopped' });
    expect(summaryOf(manager, a.id).parked).toBeFalsy();
    // The same for a Stop that came while it was stopping to park.
    await until(() => summaryOf(manager, b.id).status === 'running', 'b to start');
    const c = manager.start({ datasetId: 'x', config: config() });
    manager.pause(b.id); // parks: c starts once b has left
    manager.stop(b.id);
    const d = manager.start({ datasetId: 'x', config: config() });
    await until(() => summaryOf(manager, b.id).status !== 'paused', 'b to end', 3000);
    expect(summaryOf(manager, b.id)).toMatchObject({ status: 'stopped' });
    expect(summaryOf(manager, b.id).parked).toBeFalsy();
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to start');
    for (const run of [c, d]) manager.stop(run.id);
    await manager.whenEnded(d.id);
  });

  it('only as many paused runs park as let the queued run start', async () => {
    const { manager } = setup(2, undefined, slowToStop(20, { threads: 2 }));
    const [a, b] = [1, 2].map(() => manager.start({ datasetId: 'x', config: config() }));
    manager.pause(a.id);
    manager.pause(b.id); // nothing waits: both keep their tasks
    const c = manager.start({ datasetId: 'x', config: config() });
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to start');
    await sleep(50);
    expect([a, b].map((r) => summaryOf(manager, r.id).parked ?? false)).toEqual([true, false]);
    expect(manager.resume(b.id).status).toBe('running'); // it kept its thread
    for (const run of [a, b, c]) manager.stop(run.id);
    await Promise.all([b, c].map((r) => manager.whenEnded(r.id)));
  });

  it('a wide paused run parks before narrower ones when parking it alone lets the queued run start', async () => {
    const { manager } = setup(4, undefined, slowToStop(20, { threads: 4 }));
    const [r, a] = [1, 2].map(() => manager.start({ datasetId: 'x', config: config() }));
    const w = manager.start({ datasetId: 'x', config: config(), threads: 2 });
    manager.pause(a.id);
    manager.pause(w.id); // nothing waits: both keep their threads, the pool's 4 are taken
    const c = manager.start({ datasetId: 'x', config: config(), threads: 2 });
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to start');
    await sleep(50);
    expect([a, w].map((run) => summaryOf(manager, run.id).parked ?? false)).toEqual([false, true]);
    for (const run of [r, a, w, c]) manager.stop(run.id);
    await Promise.all([r, a, c].map((run) => manager.whenEnded(run.id)));
  });

  it('a paused run is not parked for a queued run that a run already stopping will make room for', async () => {
    const { manager } = setup(2, undefined, slowToStop(150, { threads: 2 }));
    const [a, b] = [1, 2].map(() => manager.start({ datasetId: 'x', config: config() }));
    manager.pause(a.id);
    manager.stop(b.id); // b leaves the pool once its task has ended
    const c = manager.start({ datasetId: 'x', config: config() });
    await until(() => summaryOf(manager, c.id).status === 'running', 'c to start');
    expect(summaryOf(manager, b.id).status).toBe('stopped');
    expect(summaryOf(manager, a.id).parked).toBeFalsy();
    expect(manager.resume(a.id).status).toBe('running'); // it kept its thread
    for (const run of [a, c]) manager.stop(run.id);
    await Promise.all([a, c].map((r) => manager.whenEnded(r.id)));
  });

  it('a run that completes while parking (its last step under way) keeps the partial epoch it ended in', async () => {
    const { manager, a, b } = startParking(slowToStop(20, { partial: true, outcome: 'completed' }), config({ duration: { unit: 'iterations', count: 7 } }));
    expect(await manager.whenEnded(a.id)).toMatchObject({ status: 'completed', progress: { step: 7, epoch: 0.5 }, lastDevAccuracy: 0.5 });
    expect(manager.history(a.id).epochs.map((p) => p.step)).toEqual([7]);
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });

  it('an epoch that ends as it stops to park is on record at once: its checkpoint is the paused run\'s weights', async () => {
    const { manager, a, b } = startParking(slowToStop(20, { complete: true }));
    await until(() => summaryOf(manager, a.id).parked === true, 'the park');
    expect(summaryOf(manager, a.id)).toMatchObject({ epochsDone: 1, checkpointEpoch: 1, lastDevAccuracy: 0.5 });
    expect(manager.history(a.id).epochs.map((p) => p.step)).toEqual([7]);
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });

  it('a stop after the partial epoch came in, while it is still stopping to park, keeps that epoch', async () => {
    const { manager, a, b } = startParking(slowToStop(200, { partial: true }));
    await sleep(60); // the partial epoch is in, held back; the task has not ended
    expect(summaryOf(manager, a.id).parked).toBeFalsy();
    manager.stop(a.id);
    expect(await manager.whenEnded(a.id)).toMatchObject({ status: 'stopped', progress: { step: 7, epoch: 0.5 } });
    expect(manager.history(a.id).epochs.map((p) => p.step)).toEqual([7]);
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });

  it('a record saved while parked is listed next time as interrupted, not parked', async () => {
    const { manager, folder, a, b } = startParking(slowToStop(20));
    await until(() => summaryOf(manager, a.id).parked === true, 'the park');
    await new RunStore(folder).saveRecord({ version: 1, summary: summaryOf(manager, a.id), steps: [], epochs: [] });
    const next = setup(1, folder, slowToStop(20));
    await next.manager.init();
    const listed = summaryOf(next.manager, a.id);
    expect(listed.status).toBe('interrupted');
    expect('parked' in listed).toBe(false);
    manager.stop(b.id);
    await manager.whenEnded(b.id);
  });
});

/** One task's part of a run's epochs: the epoch it ends at once (complete), and the partial one it reports when
 *  told to stop — each epoch's number, its training seconds and samples/s, and the step it reaches. */
interface TaskPart {
  complete?: { epoch: number; seconds: number; samplesPerSecond: number; step: number };
  partial?: { epoch: number; seconds: number; samplesPerSecond: number; step: number };
}

/** A pool whose tasks for the run with config seed `seed` play `parts` in turn (the others just wait for their stop). */
function inParts(seed: number, parts: TaskPart[]): TrainingPool {
  const stateAt = (steps: number, epoch: number): TrainerState => ({ version: 1, layerSizes: [2, 1], params: new Float32Array(3), m: null, v: null, steps, epoch, stepInEpoch: steps - 15 * epoch, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 });
  const report = (at: NonNullable<TaskPart['complete']>, complete: boolean): EpochMessage => {
    const state = stateAt(at.step, complete ? at.epoch : at.epoch - 1);
    return { type: 'epoch', ...at, complete, atEpoch: state.epoch + state.stepInEpoch / 15, trainLoss: 1, devLoss: 1, devAccuracy: 0.5, testAccuracy: null, confusion: [[1]], devPredictions: null, state };
  };
  return {
    threads: 1,
    async run(input, onMessage) {
      const part = input.config.seed === seed ? parts.shift()! : {};
      if (part.complete) onMessage(report(part.complete, true));
      while (Atomics.load(input.control!, 0) !== CONTROL.stop) await sleep(5);
      if (part.partial) onMessage(report(part.partial, false));
      const state = part.partial ? stateAt(part.partial.step, part.partial.epoch - 1) : (input.state ?? stateAt(0, 0));
      return { outcome: 'stopped', error: null, epoch: state.epoch, steps: state.steps, dev: null, test: null, seconds: 1, state };
    },
    destroy: async () => {},
  };
}

describe('the epoch a run parks or stops in', () => {
  const epochTimes = (manager: RunManager, id: string) => manager.history(id).epochs.map((p) => [p.epoch, p.seconds, p.samplesPerSecond]);

  it('is reported whole once resumed: its training time before each park and after, and samples/s from those', async () => {
    // Epoch 1: 2 s at 100/s before the first park, 1 s at 300/s between the parks, 3 s at 200/s after the last.
    const { manager } = setup(1, undefined, inParts(1, [
      { partial: { epoch: 1, seconds: 2, samplesPerSecond: 100, step: 7 } },
      { partial: { epoch: 1, seconds: 1, samplesPerSecond: 300, step: 9 } },
      { complete: { epoch: 1, seconds: 3, samplesPerSecond: 200, step: 15 }, partial: { epoch: 2, seconds: 1, samplesPerSecond: 50, step: 17 } },
    ]));
    const a = manager.start({ datasetId: 'x', config: config({ seed: 1 }) });
    for (const round of [1, 2]) {
      const other = manager.start({ datasetId: 'x', config: config({ seed: 2 }) });
      manager.pause(a.id);
      await until(() => summaryOf(manager, other.id).status === 'running', `the queued run to take the thread (${round})`);
      await sleep(30); // parked: time that is no training time
      manager.resume(a.id);
      manager.stop(other.id);
      await until(() => summaryOf(manager, a.id).status === 'running', `the run to go on (${round})`);
    }
    await until(() => manager.history(a.id).epochs.length === 1, 'epoch 1');
    manager.stop(a.id);
    await manager.whenEnded(a.id);
    expect(epochTimes(manager, a.id)).toEqual([[1, 6, expect.closeTo((200 + 300 + 600) / 6, 9)], [2, 1, 50]]);
  });

  it('stopped while parked, its partial epoch counts the time before each park', async () => {
    const { manager } = setup(1, undefined, inParts(1, [
      { partial: { epoch: 1, seconds: 2, samplesPerSecond: 100, step: 7 } },
      { partial: { epoch: 1, seconds: 1, samplesPerSecond: 300, step: 9 } },
    ]));
    const a = manager.start({ datasetId: 'x', config: config({ seed: 1 }) });
    const b = manager.start({ datasetId: 'x', config: config({ seed: 2 }) });
    manager.pause(a.id);
    await until(() => summaryOf(manager, b.id).status === 'running', 'b to take the thread');
    manager.resume(a.id);
    manager.stop(b.id);
    await until(() => summaryOf(manager, a.id).status === 'running', 'a to go on');
    const c = manager.start({ datasetId: 'x', config: config({ seed: 2 }) });
    manager.pause(a.id);
    await until(() => summaryOf(manager, a.id).parked === true, 'the second park');
    manager.stop(a.id);
    expect(epochTimes(manager, a.id)).toEqual([[1, 3, expect.closeTo(500 / 3, 9)]]);
    manager.stop(c.id);
    await manager.whenEnded(c.id);
  });

  it('stopped and continued, the epoch it stopped in counts its time before the stop too', async () => {
    const { manager } = setup(1, undefined, inParts(1, [
      { partial: { epoch: 1, seconds: 2, samplesPerSecond: 100, step: 7 } },
      { complete: { epoch: 1, seconds: 3, samplesPerSecond: 200, step: 15 } },
    ]));
    const a = manager.start({ datasetId: 'x', config: config({ seed: 1 }) });
    manager.stop(a.id);
    await manager.whenEnded(a.id);
    expect(epochTimes(manager, a.id)).toEqual([[1, 2, 100]]);
    await manager.continue(a.id);
    await until(() => manager.history(a.id).epochs.at(-1)?.step === 15, 'epoch 1 to end');
    expect(epochTimes(manager, a.id)).toEqual([[1, 5, expect.closeTo(160, 9)]]);
    manager.stop(a.id);
    await manager.whenEnded(a.id);
  });

  it('continued after a restart (the CLI\'s --resume), the epoch it stopped in is whole in its history and in the messages the CLI prints', async () => {
    const first = setup(1, undefined, inParts(1, [{ partial: { epoch: 1, seconds: 2, samplesPerSecond: 100, step: 7 } }]));
    const a = first.manager.start({ datasetId: 'x', config: config({ seed: 1 }) });
    first.manager.stop(a.id);
    await first.manager.whenEnded(a.id);
    const printed: number[][] = [];
    const onTaskMessage = (_id: string, m: TrainMessage) => void (m.type === 'epoch' && printed.push([m.epoch, m.seconds, m.samplesPerSecond]));
    const { manager } = setup(1, first.folder, inParts(1, [{ complete: { epoch: 1, seconds: 3, samplesPerSecond: 200, step: 15 } }]), runData, undefined, { onTaskMessage });
    await manager.init();
    await manager.continue(a.id);
    await until(() => manager.history(a.id).epochs.at(-1)?.step === 15, 'epoch 1 to end');
    expect(epochTimes(manager, a.id)).toEqual([[1, 5, expect.closeTo(160, 9)]]);
    expect(printed).toEqual([[1, 5, expect.closeTo(160, 9)]]);
    manager.stop(a.id);
    await manager.whenEnded(a.id);
  });
});
