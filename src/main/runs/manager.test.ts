// The RunManager against real worker threads: queueing, pause/resume/stop, checkpoints and resuming,
// divergence, and a failing worker.
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainingPool } from './pool';
import { type RunManager, STOPPED_ON_QUIT } from './manager';
import { config, runData, sleep, slowData, until, useRunManagers } from './manager-harness';
import { PresenceCheck, type RunOwner, STALE_MS } from './process-presence';
import { trainedElsewhere } from './run-owner';
import { RunStore } from './store';

const { setup, pool, tempFolder, processesFolderOf } = useRunManagers();

/** How this process's manager names itself in its runs' records. */
const thisProcess = { pid: process.pid, host: hostname(), role: 'app' };

/** Stops the run at its first epoch message (it is still running then). */
function stopOnce(manager: RunManager, id: string): void {
  if (manager.list().find((r) => r.id === id)?.status === 'running') manager.stop(id);
}

/** A run this process trained and stopped, on a fresh folder (`whileRunning` is shown its record as it trains): its
 *  manager's setup, the run, its record's path and the record it ended with. */
async function stoppedRun(whileRunning: (record: { trainedBy?: unknown }) => void = () => {}) {
  const first = setup(1);
  const run = first.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
  const recordPath = join(first.folder, run.id, 'run.json');
  const onDisk = () => (existsSync(recordPath) ? JSON.parse(readFileSync(recordPath, 'utf8')) : null);
  await until(() => onDisk()?.summary.status === 'running', 'the running record saved');
  whileRunning(onDisk());
  first.manager.stop(run.id);
  await first.manager.whenEnded(run.id);
  await until(() => onDisk()?.summary.status === 'stopped', 'the stopped record saved');
  return { first, run, recordPath, record: onDisk() };
}

describe('RunManager', () => {
  it('queues runs beyond the pool size, with visible positions, and runs them all', async () => {
    const { manager } = setup(1);
    const runs = [0, 1, 2].map(() => manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) }));
    expect(manager.list().map((r) => [r.status, r.queuePosition])).toEqual([['running', null], ['queued', 1], ['queued', 2]]);
    for (const run of runs) expect((await manager.whenEnded(run.id)).status).toBe('completed');
  });

  it('a data-parallel run holds as many threads as it trains on; the next run waits for one to be free', async () => {
    const { manager } = setup(2);
    const wide = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 2 } }), threads: 2 });
    const narrow = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    expect(manager.list().map((r) => [r.threads, r.status, r.queuePosition])).toEqual([[2, 'running', null], [1, 'queued', 1]]);
    expect((await manager.whenEnded(wide.id)).status).toBe('completed');
    expect((await manager.whenEnded(narrow.id)).status).toBe('completed');
    // Asking for more threads than the pool has gets the pool's size.
    expect(manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 1 } }), threads: 8 }).threads).toBe(2);
  });

  it("a run its data folder cannot take says so in its row, rather than 'Completed' and gone after a restart", async () => {
    const parent = tempFolder();
    writeFileSync(join(parent, 'a-file'), '');
    const { manager } = setup(1, join(parent, 'a-file', 'runs')); // every save: ENOTDIR
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    const ended = await manager.whenEnded(id);
    await until(() => manager.list().find((r) => r.id === id)?.saveError != null, 'the failed save said');
    expect(ended.status).toBe('completed');
    expect(manager.list().find((r) => r.id === id)?.saveError).toBe(
      `Not saved — cannot write to the runs folder ${join(parent, 'a-file', 'runs')}: a part of its path is a file, not a folder. The run is kept only while the app is open: it will be gone after a restart.`,
    );
    // A folder that takes it: nothing to say, and nothing of the kind written into its record.
    const good = setup(1);
    const fine = good.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    await good.manager.whenEnded(fine.id);
    expect(good.manager.list().find((r) => r.id === fine.id)?.saveError ?? null).toBeNull();
  });

  it('a run this process stopped, whose stop could not be saved, still continues and removes here (its record names this process)', async () => {
    const folder = tempFolder();
    const store = new RunStore(folder);
    const { manager } = setup(1, folder, undefined, runData, undefined, { store });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => (manager.list().find((r) => r.id === id)?.progress.step ?? 0) > 0, 'the first steps');
    while ((await store.loadRecord(id).catch(() => null))?.summary.status !== 'running') await sleep(10); // saved as running
    store.saveRecord = () => Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    manager.stop(id);
    await manager.whenEnded(id);
    await until(() => manager.list().find((r) => r.id === id)?.saveError != null, 'the failed save said');
    expect((await store.loadRecord(id))?.summary.status).toBe('running'); // on disk: still this process's
    // It was refused as "being trained by another MLP Studio process (the app, pid <this one>)".
    expect((await manager.continue(id)).status).toBe('running');
    manager.stop(id);
    await manager.whenEnded(id);
  });

  it('whenEnded wakes every wait on a run when it ends, and answers at once for a run that has ended', async () => {
    const { manager } = setup(1);
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    const waits = [manager.whenEnded(id), manager.whenEnded(id)];
    await until(() => manager.list().find((r) => r.id === id)!.progress.step > 0, 'the first steps');
    manager.stop(id);
    expect((await Promise.all(waits)).map((s) => s.status)).toEqual(['stopped', 'stopped']);
    expect((await manager.whenEnded(id)).status).toBe('stopped');
    await expect(manager.whenEnded('no-such-run')).rejects.toThrow("no run with id 'no-such-run'");
  });

  it('pause holds every step, resume continues, stop keeps the weights reached', async () => {
    const { manager, events } = setup(1);
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    const lastStep = () => manager.list().find((r) => r.id === id)!.progress.step;
    await until(() => lastStep() > 0, 'the first steps');
    manager.pause(id);
    await sleep(150); // a step in flight may still report
    const held = lastStep();
    const stepEvents = events.filter((e) => e.type === 'step').length;
    await sleep(600);
    expect(lastStep()).toBe(held);
    expect(events.filter((e) => e.type === 'step').length).toBe(stepEvents);
    manager.resume(id);
    await until(() => lastStep() > held, 'progress after resume');
    manager.stop(id);
    const ended = await manager.whenEnded(id);
    expect(ended.status).toBe('stopped');
    const weights = await manager.weights(id);
    expect(weights?.steps).toBeGreaterThan(held);
    expect(weights?.params.length).toBe(36 * 8 + 8 + 8 * 3 + 3);
  });

  it('resuming from a checkpoint after a crash gives the same weights as an uninterrupted run', async () => {
    const long = config({ hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'epochs', count: 8 } });
    const reference = setup(1, undefined, undefined, slowData);
    const a = reference.manager.start({ datasetId: 'x', config: long });
    expect((await reference.manager.whenEnded(a.id)).status).toBe('completed');
    const expected = (await reference.manager.weights(a.id))!.params;

    // Stop as soon as the first epoch's checkpoint is on its way (the stop lands a few steps later).
    const first = setup(1, undefined, undefined, slowData, (id) => first.manager.list()[0].status === 'running' && first.manager.stop(id));
    const b = first.manager.start({ datasetId: 'x', config: long });
    expect((await first.manager.whenEnded(b.id)).status).toBe('stopped');
    // Simulate a crash mid-run: no final weights, the record still says "running", past its checkpoint (the stop
    // lands a few steps after it, or — under load, once in a while — on it: then the record says a few more).
    rmSync(join(first.folder, b.id, 'final.bin'));
    const checkpoint = (await new RunStore(first.folder).loadStateHeader(b.id, 'checkpoint'))!;
    const recordPath = join(first.folder, b.id, 'run.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    record.summary.status = 'running';
    record.summary.checkpointEpoch = 2; // its second epoch reported, the app gone before that checkpoint was written
    record.summary.progress.step = Math.max(record.summary.progress.step, checkpoint.steps + 3);
    writeFileSync(recordPath, JSON.stringify(record));

    const restarted = setup(1, first.folder, undefined, slowData);
    await restarted.manager.init();
    // Listed with what its checkpoint has (its row said the step it had reached, and Continue went on from the checkpoint's).
    expect(restarted.manager.list()[0]).toMatchObject({ id: b.id, status: 'interrupted', checkpointEpoch: 1, epochsDone: 1, progress: { step: checkpoint.steps, epoch: 1 }, confusion: [] });
    expect(restarted.manager.history(b.id).steps.at(-1)!.step).toBeLessThanOrEqual(checkpoint.steps);
    const keptEpochs = restarted.manager.history(b.id).epochs;
    expect(restarted.manager.list()[0]).toMatchObject({ lastDevAccuracy: keptEpochs.at(-1)!.devAccuracy, bestDevAccuracy: Math.max(...keptEpochs.map((p) => p.devAccuracy!)) });
    await restarted.manager.continue(b.id);
    expect((await restarted.manager.whenEnded(b.id)).status).toBe('completed');
    expect((await restarted.manager.weights(b.id))!.params).toEqual(expected);
  });

  it('an interrupted run whose checkpoint file is gone does not quietly start over: Continue says why', async () => {
    const first = setup(1, undefined, undefined, slowData, (id) => first.manager.list()[0].status === 'running' && first.manager.stop(id));
    const run = first.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 8 } }) });
    expect((await first.manager.whenEnded(run.id)).status).toBe('stopped');
    for (const file of ['final.bin', 'checkpoint.bin']) rmSync(join(first.folder, run.id, file), { force: true });
    const recordPath = join(first.folder, run.id, 'run.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    record.summary.status = 'running'; // as after a crash
    writeFileSync(recordPath, JSON.stringify(record));
    const restarted = setup(1, first.folder, undefined, slowData);
    await restarted.manager.init();
    const listed = restarted.manager.list()[0];
    expect(listed.status).toBe('interrupted');
    await expect(restarted.manager.continue(run.id)).rejects.toThrow(
      `run '${listed.name}' has no saved weights in ${join(first.folder, run.id)} (its record says they were saved there, at step ${listed.progress.step.toLocaleString('en-US')}): it cannot continue; Reuse starts a new run with its settings`,
    );
    expect(restarted.manager.list()[0].status).toBe('interrupted'); // nothing trained, its history kept
    expect(restarted.manager.history(run.id).epochs.length).toBeGreaterThan(0);
    // Stopped inside its first epoch (no checkpoint yet), its final.bin gone: the same.
    const early = restarted.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => restarted.manager.list().find((r) => r.id === early.id)!.progress.step > 0, 'its first steps');
    restarted.manager.stop(early.id);
    const stopped = await restarted.manager.whenEnded(early.id);
    expect([stopped.status, stopped.checkpointEpoch]).toEqual(['stopped', 0]);
    rmSync(join(first.folder, early.id, 'final.bin'));
    await expect(restarted.manager.continue(early.id)).rejects.toThrow(`run '${stopped.name}' has no saved weights in ${join(first.folder, early.id)}`);
  });

  it('continuing a stopped run from its mid-epoch weights also matches the uninterrupted run', async () => {
    const long = config({ seed: 3, hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'epochs', count: 8 } });
    const reference = setup(1, undefined, undefined, slowData);
    const a = reference.manager.start({ datasetId: 'x', config: long });
    await reference.manager.whenEnded(a.id);
    const expected = (await reference.manager.weights(a.id))!.params;
    // Stopped right after the first epoch's message: the stop lands a few steps into epoch 2.
    let stopped = false;
    const { manager } = setup(1, undefined, undefined, slowData, (id) => {
      if (!stopped) manager.stop(id);
      stopped = true;
    });
    const b = manager.start({ datasetId: 'x', config: long });
    expect((await manager.whenEnded(b.id)).status).toBe('stopped');
    await manager.continue(b.id);
    expect((await manager.whenEnded(b.id)).status).toBe('completed');
    expect((await manager.weights(b.id))!.params).toEqual(expected);
  });

  it('a stopped run that continues is described by its new checkpoints, not by the final.bin of its stop', async () => {
    let continued = false;
    const pauseOnce = (id: string) => manager.list()[0].status === 'running' && manager.pause(id);
    const { manager, folder } = setup(1, undefined, undefined, runData, (id) => (continued ? pauseOnce(id) : stopOnce(manager, id)));
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    expect((await manager.whenEnded(id)).status).toBe('stopped');
    const atStop = (await manager.weights(id))!;
    continued = true;
    await manager.continue(id);
    // Paused at the first epoch after continuing: its checkpoint, past the stop, is on its way to disk.
    await until(() => manager.list()[0].status === 'paused', 'the pause');
    const store = new RunStore(folder);
    let checkpoint = await store.loadState(id, 'checkpoint');
    for (let tries = 0; !(checkpoint && checkpoint.steps > atStop.steps) && tries < 500; tries++) {
      await sleep(10);
      checkpoint = await store.loadState(id, 'checkpoint');
    }
    expect(checkpoint!.steps).toBeGreaterThan(atStop.steps);
    expect((await store.loadState(id, 'final'))!.steps).toBe(atStop.steps); // the stop's final.bin is still there
    const now = await manager.weights(id);
    expect(now!.steps).toBe(checkpoint!.steps);
    expect(now!.params).toEqual(checkpoint!.params);
    manager.stop(id);
    expect((await manager.whenEnded(id)).status).toBe('stopped');
    expect((await manager.weights(id))!.steps).toBeGreaterThanOrEqual(checkpoint!.steps);
  });

  it('marks a diverged run with the epoch and step, keeping the last good checkpoint as its weights', async () => {
    // The worker's NaN guard itself is tested in src/worker/core; here a pool reports what it does on NaN.
    const real = pool(1);
    const diverging: TrainingPool = {
      threads: 1,
      run: async (input, onMessage) => {
        const good = await real.run({ ...input, config: { ...input.config, duration: { unit: 'epochs', count: 1 } } }, onMessage);
        const nan = { ...good.state, params: good.state.params.map(() => NaN) };
        const result = { ...good, outcome: 'diverged' as const, error: 'diverged at epoch 2, step 7 — try a lower learning rate', state: nan };
        onMessage({ type: 'done', ...result });
        return result;
      },
      destroy: () => real.destroy(),
    };
    const { manager, folder } = setup(1, undefined, diverging);
    const { id } = manager.start({ datasetId: 'x', config: config() });
    const ended = await manager.whenEnded(id);
    expect(ended.status).toBe('diverged');
    expect(ended.error).toBe('diverged at epoch 2, step 7 — try a lower learning rate; the weights were rolled back to the last good checkpoint (epoch 1)');
    expect(existsSync(join(folder, id, 'final.bin'))).toBe(false);
    const weights = await manager.weights(id);
    expect(weights?.epoch).toBe(1);
    expect(weights?.params.every(Number.isFinite)).toBe(true);
  });

  it('tells a run that completes at chance level with its loss gone up that its learning rate is likely too high; a run that learns is told nothing', async () => {
    const { manager, folder } = setup(1);
    const huge = manager.start({ datasetId: 'x', config: config({ optimizer: 'gd', learningRate: 50 }) });
    const normal = manager.start({ datasetId: 'x', config: config({ optimizer: 'gd', learningRate: 0.1 }) });
    const ended = await manager.whenEnded(huge.id);
    // Finite losses all along: not diverged, "completed" — at chance (3 classes, 20 dev examples each).
    expect(ended).toMatchObject({ status: 'completed', error: null, lastDevAccuracy: 1 / 3 });
    expect(ended.notice).toMatch(/^The loss did not go down \(1\.\d\d at the start, \d+\.\d in the last epoch(, \d+\.\d at its highest)?\) and the dev accuracy ends at chance level \(33\.3%, 3 classes(; best \d+\.\d%)?\): the learning rate \(50\) is probably too high — try 10× lower \(5\)\.$/);
    const learned = await manager.whenEnded(normal.id);
    expect(learned.status).toBe('completed');
    expect(learned.lastDevAccuracy).toBeGreaterThan(0.9);
    expect(learned.notice ?? null).toBeNull();
    // The notice is in the run's record (whenEnded waits for it to be written): listed again after a restart.
    const restarted = setup(1, folder);
    await restarted.manager.init();
    expect(restarted.manager.list().find((r) => r.id === huge.id)?.notice).toBe(ended.notice);
  });

  it('marks a run failed when its worker dies, and the others go on', async () => {
    const real = pool(2);
    let calls = 0;
    const flaky: TrainingPool = {
      threads: 2,
      run: (input, onMessage) => (++calls === 1 ? Promise.reject(new Error('worker exited with code 1')) : real.run(input, onMessage)),
      destroy: () => real.destroy(),
    };
    const { manager } = setup(2, undefined, flaky);
    const bad = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    const good = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    expect(await manager.whenEnded(bad.id)).toMatchObject({ status: 'failed', error: 'the training worker failed: worker exited with code 1' });
    expect((await manager.whenEnded(good.id)).status).toBe('completed');
  });

  it('marks a run failed when ending it goes wrong (a result it cannot read), instead of leaving it running', async () => {
    const real = pool(1);
    const unreadable = new Proxy({}, {
      get: (_, key) => {
        if (key === 'then') return undefined; // not a promise: it resolves as itself
        throw new Error('the result cannot be read');
      },
    });
    const broken: TrainingPool = { threads: 1, run: () => Promise.resolve(unreadable as never), destroy: () => real.destroy() };
    const { manager } = setup(1, undefined, broken);
    const run = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'epochs', count: 1 } }) });
    expect(await manager.whenEnded(run.id)).toMatchObject({ status: 'failed', error: 'ending the run failed: the result cannot be read' });
  });

  it('compare starts runs that share initial weights and batch order, and refuses configs that differ in more', async () => {
    const { manager } = setup(2);
    const configs = (['gd', 'adam'] as const).map((optimizer) => config({ optimizer, learningRate: optimizer === 'gd' ? 0.1 : 0.01, duration: { unit: 'iterations', count: 1 } }));
    const runs = manager.compare({ datasetId: 'x', configs });
    expect(new Set(runs.map((r) => r.groupId)).size).toBe(1);
    for (const run of runs) await manager.whenEnded(run.id);
    expect(() => manager.compare({ datasetId: 'x', configs: [config(), config({ seed: 9 })] })).toThrow(/run 2 differs from run 1 in more than the optimizer/);
  });

  it('continues at once after a stop from the weights it stopped with, though they are still being written', async () => {
    // A slow disk (every file written takes 100 ms): the stop's final.bin is not on disk yet when Continue comes.
    const folder = tempFolder();
    const slowDisk = new RunStore(folder, { beforeRename: async () => { await sleep(100); } });
    const { manager } = setup(1, folder, undefined, runData, undefined, { store: slowDisk });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    const summary = () => manager.list().find((r) => r.id === id)!;
    await until(() => summary().progress.step > 50, 'some steps');
    manager.stop(id);
    await until(() => summary().status === 'stopped', 'the stop'); // not whenEnded: its final.bin is on its way
    const stoppedAt = manager.history(id).epochs.at(-1)!.step;
    await manager.continue(id);
    // The history is kept up to the step it goes on from: the partial epoch it stopped in (not cut back to the last checkpoint).
    expect(manager.history(id).epochs.at(-1)!.step).toBe(stoppedAt);
    manager.stop(id);
    await manager.whenEnded(id);
  });

  it('continues a run once when Continue comes twice while its weights are read', async () => {
    const { manager } = setup(1);
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => manager.list()[0].progress.step > 50, 'some steps');
    manager.stop(id);
    await manager.whenEnded(id);
    // whichever reads its weights first continues it (the two reads may finish in either order)
    const both = await Promise.allSettled([manager.continue(id), manager.continue(id)]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { message: expect.stringMatching(/is (queued|running) now/) } });
    manager.stop(id);
    expect((await manager.whenEnded(id)).status).toBe('stopped');
  });

  it('answers with the weights its status names as soon as it has ended, not older ones still on disk', async () => {
    const { manager } = setup(1);
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 40 } }) });
    await until(() => manager.list()[0].status === 'completed', 'the end'); // not whenEnded: its final.bin may still be on its way
    expect((await manager.weights(id))!.steps).toBe(40);
  });

  it('a run another process trains now (the CLI beside the app) is listed as such, and is neither continued nor removed here', async () => {
    // While this process trains it, its record says so; once it has ended, it does not.
    const { first, run, recordPath, record } = await stoppedRun((running) => expect(running.trainedBy).toMatchObject(thisProcess));
    expect(record.trainedBy).toBeUndefined();
    // Its record as another process writes it while it trains the run: running, trained by that process.
    writeFileSync(recordPath, JSON.stringify({ ...record, summary: { ...record.summary, status: 'running' }, trainedBy: process.ppid }));
    const here = setup(1, first.folder);
    await here.manager.init();
    const listed = here.manager.list()[0];
    expect(listed.error).toBe(`being trained by another MLP Studio process (pid ${process.ppid}: the app, or the command line) when this one started: listed as it was then; Continue and Remove wait until that one has stopped it`);
    const busy = `run '${listed.name}' is being trained by another MLP Studio process (pid ${process.ppid}: the app, or the command line): it cannot`;
    await expect(here.manager.continue(run.id)).rejects.toThrow(`${busy} continue until that one has stopped it`);
    await expect(here.manager.remove(run.id)).rejects.toThrow(`${busy} be removed until that one has stopped it`);
    expect(existsSync(recordPath)).toBe(true);
    // Once that one has ended it (here: completed it further on), what this one listed is out of date (Continue
    // went on from the state listed at start, and a newer final.bin was ignored; it said "restart the app"): the run
    // is listed again from its record, the views told, and a completed run has nothing to continue …
    const further = record.summary.progress.step + 7;
    writeFileSync(recordPath, JSON.stringify({ ...record, summary: { ...record.summary, status: 'completed', progress: { ...record.summary.progress, step: further } } }));
    here.events.length = 0;
    await expect(here.manager.continue(run.id)).rejects.toThrow(`run '${listed.name}' was trained by another MLP Studio process since this one started, and is completed now: it is listed as it is, and has nothing to continue`);
    expect(here.manager.list()[0]).toMatchObject({ status: 'completed', progress: { step: further } });
    expect(here.manager.list()[0].error ?? null).toBeNull();
    expect(here.events.map((e) => e.type)).toEqual(['removed', 'changed']);
    expect(here.manager.history(run.id).steps).toHaveLength(record.steps.length);
    // … and it is this one's to remove, without a restart.
    await here.manager.remove(run.id);
    expect(existsSync(recordPath)).toBe(false);
  });

  it('lists a run another process started since it listed its runs (the CLI beside the app), saying which process trains it, and not a run it removes itself', async () => {
    const folder = tempFolder();
    const store = new RunStore(folder);
    let letRemove = () => {};
    const removes = new Promise<void>((resolve) => (letRemove = resolve));
    store.remove = async (id) => removes.then(() => RunStore.prototype.remove.call(store, id)); // held, to look meanwhile
    const here = setup(1, folder, undefined, runData, undefined, { store });
    await here.manager.init();
    const ownRun = here.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 20 } }) });
    await here.manager.whenEnded(ownRun.id);
    expect(await here.manager.listNewRuns()).toBe(0); // its own
    const other = setup(1, here.folder); // another process on the folder: a presence of its own
    const { id } = other.manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => (other.manager.list().find((r) => r.id === id)?.progress.step ?? 0) > 0, 'its first steps');
    while (!existsSync(join(here.folder, id, 'run.json'))) await sleep(10); // its record written
    here.events.length = 0;
    expect(await here.manager.listNewRuns()).toBe(1);
    const found = here.manager.list().find((r) => r.id === id);
    expect(found?.error).toMatch(/^being trained by another MLP Studio process \(the app, pid \d+\): listed as it was when this one found it; Continue and Remove wait until that one has stopped it$/);
    expect(here.events.map((e) => [e.type, e.id])).toEqual([['changed', id]]);
    expect(await here.manager.listNewRuns()).toBe(0); // once
    other.manager.stop(id);
    await other.manager.whenEnded(id);
    // Removed here: its folder, while it goes, is not a new run.
    const removing = here.manager.remove(ownRun.id);
    await until(() => !here.manager.list().some((r) => r.id === ownRun.id), 'dropped from the list');
    expect(existsSync(join(folder, ownRun.id, 'run.json'))).toBe(true);
    expect(await here.manager.listNewRuns()).toBe(0);
    letRemove();
    await removing;
    expect(here.manager.list().map((r) => r.id)).toEqual([id]);
  });

  it('a run whose trainer crashed is continued and removed here, whatever program has its pid now; one a live process on another machine trains is not', async () => {
    const { first, run, recordPath, record } = await stoppedRun();
    // Its record as `owner` left it training the run, and owner's presence file, last touched `ago` ms ago.
    const trainedBy = (owner: RunOwner, ago: number) => {
      writeFileSync(recordPath, JSON.stringify({ ...record, summary: { ...record.summary, status: 'running' }, trainedBy: owner }));
      const presence = join(processesFolderOf(first.folder), `${owner.token}.json`);
      writeFileSync(presence, JSON.stringify(owner));
      const touched = new Date(Date.now() - ago);
      utimesSync(presence, touched, touched);
    };
    // Trained on another machine that shares the folder, alive there: its pid names no process here, and it still trains it.
    const there: RunOwner = { token: '6f1c2a4e-0d3b-4e5f-8a9b-1c2d3e4f5a6b', pid: 2 ** 22 + 12345, host: 'lab-pc', role: 'cli' };
    trainedBy(there, 1000);
    const saving = join(first.folder, run.id, `checkpoint.bin.tmp-${there.pid}-0a1b2c3d`); // its save in progress
    writeFileSync(saving, 'x');
    const beside = setup(1, first.folder);
    await beside.manager.init();
    expect(existsSync(saving)).toBe(true);
    const elsewhere = `another MLP Studio process (the command line, pid ${there.pid} on lab-pc)`;
    expect(beside.manager.list()[0].error).toBe(`being trained by ${elsewhere} when this one started: listed as it was then; Continue and Remove wait until that one has stopped it`);
    await expect(beside.manager.continue(run.id)).rejects.toThrow(`run '${record.summary.name}' is being trained by ${elsewhere}: it cannot continue until that one has stopped it`);
    await expect(beside.manager.remove(run.id)).rejects.toThrow(`run '${record.summary.name}' is being trained by ${elsewhere}: it cannot be removed until that one has stopped it`);
    // Trained by a process of this machine that crashed: its presence is stale, and its pid is another program's now
    // (this one's: the test's own). Listed as interrupted, continued, and removed.
    trainedBy({ token: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d', pid: process.pid, host: hostname(), role: 'app' }, STALE_MS + 1000);
    const after = setup(1, first.folder);
    await after.manager.init();
    expect(existsSync(saving)).toBe(false); // a crash's leftover now
    expect(after.manager.list()[0]).toMatchObject({ status: 'interrupted', error: expect.not.stringMatching(/being trained/) });
    expect((await after.manager.continue(run.id)).status).toMatch(/queued|running/);
    after.manager.stop(run.id);
    expect((await after.manager.whenEnded(run.id)).status).toBe('stopped');
    await after.manager.remove(run.id);
    expect(existsSync(join(first.folder, run.id))).toBe(false);
  });

  it('a quit frees the runs it had queued: their records still name this process, gone from the folder', async () => {
    const { manager, folder } = setup(1);
    const long = config({ duration: { unit: 'iterations', count: 5_000_000 } });
    manager.start({ datasetId: 'x', config: long });
    const waiting = manager.start({ datasetId: 'x', config: long });
    const recordPath = join(folder, waiting.id, 'run.json');
    await until(() => existsSync(recordPath), 'the queued record saved');
    await manager.shutdown();
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    expect(record).toMatchObject({ summary: { status: 'queued' }, trainedBy: thisProcess });
    expect(await trainedElsewhere(record, new PresenceCheck(processesFolderOf(folder)))).toBeNull(); // not while its pid is taken
    expect(readdirSync(processesFolderOf(folder))).toEqual([]);
  });

  it("a continued run waiting in the queue is on disk as this process's too (a CLI --resume found it free)", async () => {
    const { manager, folder } = setup(1);
    const long = config({ duration: { unit: 'iterations', count: 5_000_000 } });
    const waiting = manager.start({ datasetId: 'x', config: long });
    await until(() => manager.list().find((r) => r.id === waiting.id)!.progress.step > 0, 'its first steps');
    manager.stop(waiting.id);
    expect((await manager.whenEnded(waiting.id)).status).toBe('stopped');
    const busy = manager.start({ datasetId: 'x', config: long });
    await until(() => manager.list().find((r) => r.id === busy.id)?.status === 'running', 'the pool busy');
    expect((await manager.continue(waiting.id)).status).toBe('queued');
    const onDisk = () => JSON.parse(readFileSync(join(folder, waiting.id, 'run.json'), 'utf8'));
    await until(() => onDisk().summary.status === 'queued', 'the queued record saved');
    expect(onDisk().trainedBy).toMatchObject(thisProcess);
    manager.stop(busy.id);
    await manager.whenEnded(busy.id);
    manager.stop(waiting.id);
    await manager.whenEnded(waiting.id);
  });

  it('a Remove that cannot delete the run folder keeps the run listed (it was dropped, and answered "no run with id" after)', async () => {
    const folder = tempFolder();
    const store = new RunStore(folder);
    const { manager, events } = setup(1, folder, undefined, undefined, undefined, { store });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 3 } }) });
    await manager.whenEnded(id);
    store.remove = () => Promise.reject(new Error(`EACCES: permission denied, rmdir '${join(folder, id)}'`));
    await expect(manager.remove(id)).rejects.toThrow('EACCES');
    expect(manager.list().map((r) => r.id)).toEqual([id]);
    expect(events.some((e) => e.type === 'removed')).toBe(false);
    expect(await manager.weights(id)).not.toBeNull(); // answers as before
  });

  it('gives a new run the first colour no listed run has, so colours come round again after runs are removed', async () => {
    const { manager } = setup(1);
    const quick = () => manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 1 } }) });
    const [a, b, c] = [quick(), quick(), quick()];
    expect([a, b, c].map((r) => r.colorIndex)).toEqual([0, 1, 2]);
    for (const run of [a, b, c]) await manager.whenEnded(run.id);
    await manager.remove(b.id);
    expect(quick().colorIndex).toBe(1);
    expect(quick().colorIndex).toBe(3);
  });

  it('refuses controls that do not fit the run state, naming the run', async () => {
    const { manager } = setup(1);
    const { id, name } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 1 } }) });
    await manager.whenEnded(id);
    expect(() => manager.pause(id)).toThrow(`run '${name}' is completed, not running`);
    expect(() => manager.stop(id)).toThrow('only a running or paused run can be stopped');
    expect(() => manager.pause('nope')).toThrow("no run with id 'nope'");
    await manager.remove(id);
    expect(manager.list()).toHaveLength(0);
  });
});

describe('RunManager on quit', () => {
  it('stops running runs, waits for their weights, and lists them as stopped next time', async () => {
    const { manager, folder } = setup(1, undefined, undefined, slowData);
    const { id } = manager.start({ datasetId: 'x', config: config({ hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => manager.list()[0].progress.step > 5, 'some steps');
    await manager.shutdown();
    expect(existsSync(join(folder, id, 'final.bin'))).toBe(true);
    const next = setup(1, folder, undefined, slowData);
    await next.manager.init();
    expect(next.manager.list()[0]).toMatchObject({ id, status: 'stopped', notice: STOPPED_ON_QUIT });
  });

  it('a run the user stopped just before the quit is not said to have been stopped by it', async () => {
    const { manager } = setup(1, undefined, undefined, slowData);
    const { id } = manager.start({ datasetId: 'x', config: config({ hidden: [{ units: 64, activation: 'relu' }], duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => manager.list()[0].progress.step > 5, 'some steps');
    manager.stop(id); // still 'running' until its task ends
    await manager.shutdown();
    expect(manager.list()[0].status).toBe('stopped');
    expect(manager.list()[0].notice ?? null).toBeNull();
  });

  it('a run with a notice keeps it when the quit stops it: the earlier notice, then the quit\'s', async () => {
    const notice = "no test accuracy from epoch 1 on: bands-test.csv (90 rows), the test set of run '…', was not open when the run continued (open it, then stop and continue the run)";
    const { manager, folder } = setup(1, undefined, undefined, runData, undefined, { dataToContinue: () => ({ ...runData, notice }) });
    const { id } = manager.start({ datasetId: 'x', config: config({ duration: { unit: 'iterations', count: 5_000_000 } }) });
    await until(() => manager.list()[0].progress.step > 5, 'some steps');
    manager.stop(id);
    await manager.whenEnded(id);
    expect((await manager.continue(id)).notice).toBe(notice);
    await until(() => manager.list()[0].status === 'running', 'the continued run to start');
    await manager.shutdown();
    const both = `${notice}. ${STOPPED_ON_QUIT}`;
    expect(manager.list()[0]).toMatchObject({ status: 'stopped', notice: both });
    const next = setup(1, folder);
    await next.manager.init();
    expect(next.manager.list()[0]).toMatchObject({ status: 'stopped', notice: both });
  });

  it('lists again the runs that never started: one waiting in the queue as interrupted, one stopped there as stopped', async () => {
    const { manager, folder } = setup(1);
    const endless = config({ duration: { unit: 'iterations', count: 5_000_000 } });
    const running = manager.start({ datasetId: 'x', config: endless, name: 'running' });
    const waiting = manager.start({ datasetId: 'x', config: endless, name: 'waiting' });
    const stopped = manager.start({ datasetId: 'x', config: endless, name: 'stopped in the queue' });
    manager.stop(stopped.id);
    await until(() => manager.list()[0].progress.step > 0, 'some steps');
    await manager.shutdown();
    const next = setup(1, folder);
    await next.manager.init();
    const byId = new Map(next.manager.list().map((r) => [r.id, r]));
    expect(byId.get(running.id)).toMatchObject({ status: 'stopped', notice: STOPPED_ON_QUIT });
    expect(waiting.progress).toMatchObject({ step: 0, totalSteps: 5_000_000 }); // known while it waits ("step 0 / ?" was shown)
    expect(byId.get(waiting.id)).toMatchObject({ status: 'interrupted', error: 'the app closed before the first checkpoint', progress: { step: 0, totalSteps: 5_000_000 } });
    expect(byId.get(stopped.id)!.status).toBe('stopped');
    expect(byId.get(stopped.id)!.notice ?? null).toBeNull(); // the user stopped this one
    // The one that never started continues from the start.
    await next.manager.continue(waiting.id);
    next.manager.stop(waiting.id);
    expect((await next.manager.whenEnded(waiting.id)).status).toBe('stopped');
  });
});

describe('RunStore checkpoints', () => {
  it('a crash between write and rename leaves the previous checkpoint valid', async () => {
    const folder = tempFolder('mlp-store-');
    const good = { version: 1 as const, layerSizes: [2, 2], params: new Float32Array([1, 2, 3, 4, 5, 6]), m: null, v: null, steps: 10, epoch: 1, stepInEpoch: 0, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 };
    await new RunStore(folder).saveState('run-1', 'checkpoint', good);
    const crashing = new RunStore(folder, {
      beforeRename: (temp) => {
        expect(existsSync(temp)).toBe(true);
        throw new Error('simulated crash');
      },
    });
    await expect(crashing.saveState('run-1', 'checkpoint', { ...good, steps: 20, params: new Float32Array(6) })).rejects.toThrow('simulated crash');
    // A real crash leaves the temp file behind; it must not matter.
    writeFileSync(join(folder, 'run-1', 'checkpoint.bin.tmp-1-dead'), '{"torn":');
    const loaded = await new RunStore(folder).loadState('run-1', 'checkpoint');
    expect(loaded?.steps).toBe(10);
    expect(Array.from(loaded!.params)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readdirSync(join(folder, 'run-1')).filter((f) => f.includes('.tmp-')).length).toBe(1);
  });

  it('says which checkpoint file is broken', async () => {
    const folder = tempFolder('mlp-store-');
    const store = new RunStore(folder);
    await store.saveState('run-2', 'final', { version: 1, layerSizes: [1, 1], params: new Float32Array(2), m: null, v: null, steps: 1, epoch: 0, stepInEpoch: 1, shuffleRng: [0, 0, 0, 1], epochLossSum: 0, epochRows: 0 });
    const path = join(folder, 'run-2', 'final.bin');
    const good = readFileSync(path);
    writeFileSync(path, good.subarray(0, good.length - 4));
    await expect(store.loadState('run-2', 'final')).rejects.toThrow(/final\.bin is not a valid checkpoint: its params array lies outside the file \(truncated\?\)/);
    writeFileSync(path, JSON.stringify({ version: 1 }));
    await expect(store.loadState('run-2', 'final')).rejects.toThrow(/final\.bin is not a valid checkpoint: not an MLP Studio state file/);
  });
});
