// The one rule for which saved weights describe a run now, in every state a run can be in, and read from disk.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RUN_STATUSES, type RunStatus } from '../../shared/api/runs';
import type { TrainerState } from '../../shared/training';
import { currentWeights, loadCurrentWeights, savedSteps } from './run-weights';
import { RunStore } from './store';

const TRAINING: RunStatus[] = ['queued', 'running', 'paused'];
const ENDED_WITHOUT_FINAL: RunStatus[] = ['interrupted', 'diverged', 'failed'];
const ENDED_WITH_FINAL: RunStatus[] = ['completed', 'stopped'];

describe('currentWeights', () => {
  it('every status is covered by the cases below', () => {
    expect([...TRAINING, ...ENDED_WITHOUT_FINAL, ...ENDED_WITH_FINAL].sort()).toEqual([...RUN_STATUSES].sort());
  });

  it('no saved state: none, whatever the status', () => {
    for (const status of RUN_STATUSES) expect(currentWeights(status, { checkpoint: null, final: null })).toBeNull();
  });

  it('completed or stopped: the final weights when they are at least as new as the checkpoint', () => {
    for (const status of ENDED_WITH_FINAL) {
      expect(currentWeights(status, { checkpoint: 100, final: 150 })).toBe('final'); // stopped mid-epoch 2
      expect(currentWeights(status, { checkpoint: 300, final: 300 })).toBe('final'); // ended on an epoch
      expect(currentWeights(status, { checkpoint: null, final: 30 })).toBe('final'); // stopped in epoch 1
      expect(currentWeights(status, { checkpoint: 100, final: null })).toBe('checkpoint'); // final.bin lost
    }
  });

  it('completed or stopped, continued after a stop with a newer checkpoint than the final: the checkpoint', () => {
    // stopped at step 150 (final.bin), continued, checkpointed at 300, and its new final.bin never written
    // (a failed write, or stopped while queued after continuing an interrupted run)
    for (const status of ENDED_WITH_FINAL) expect(currentWeights(status, { checkpoint: 300, final: 150 })).toBe('checkpoint');
  });

  it('queued, running or paused: the checkpoint, even when a final.bin from an earlier stop is newer or older', () => {
    for (const status of TRAINING) {
      expect(currentWeights(status, { checkpoint: 300, final: 150 })).toBe('checkpoint'); // continued after stop: the stale read
      expect(currentWeights(status, { checkpoint: 100, final: 150 })).toBe('checkpoint'); // continued, no new epoch yet
      expect(currentWeights(status, { checkpoint: null, final: 150 })).toBeNull(); // stopped in epoch 1, continued
      expect(currentWeights(status, { checkpoint: 100, final: null })).toBe('checkpoint');
    }
  });

  it('interrupted, diverged or failed: the checkpoint (a diverged run was rolled back to it)', () => {
    for (const status of ENDED_WITHOUT_FINAL) {
      expect(currentWeights(status, { checkpoint: 300, final: 150 })).toBe('checkpoint');
      expect(currentWeights(status, { checkpoint: 100, final: 150 })).toBe('checkpoint');
      expect(currentWeights(status, { checkpoint: null, final: 150 })).toBeNull();
    }
  });
});

describe('loadCurrentWeights', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mlp-weights-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const state = (steps: number, epoch: number): TrainerState => ({
    version: 1,
    layerSizes: [1, 1],
    params: Float32Array.of(steps, epoch),
    m: null,
    v: null,
    steps,
    epoch,
    stepInEpoch: 0,
    shuffleRng: [1, 2, 3, 4],
    epochLossSum: 0,
    epochRows: 0,
  });

  it('reads the state the rule picks from the run folder', async () => {
    const store = new RunStore(folder);
    expect(await loadCurrentWeights(store, 'r1', 'stopped')).toBeNull();
    await store.saveState('r1', 'checkpoint', state(100, 1));
    await store.saveState('r1', 'final', state(150, 1));
    expect((await loadCurrentWeights(store, 'r1', 'stopped'))?.steps).toBe(150);
    expect((await loadCurrentWeights(store, 'r1', 'running'))?.steps).toBe(100);
    await store.saveState('r1', 'checkpoint', state(300, 3));
    for (const status of RUN_STATUSES) expect((await loadCurrentWeights(store, 'r1', status))?.steps).toBe(300);
    expect(Array.from((await loadCurrentWeights(store, 'r1', 'paused'))!.params)).toEqual([300, 3]);
  });

  it('reads only the chosen file whole: the other one is told apart by its header', async () => {
    const store = new RunStore(folder);
    await store.saveState('r2', 'checkpoint', state(100, 1));
    await store.saveState('r2', 'final', state(150, 1));
    const loaded = vi.spyOn(store, 'loadState');
    expect((await loadCurrentWeights(store, 'r2', 'completed'))?.steps).toBe(150);
    expect(loaded.mock.calls).toEqual([['r2', 'final']]);
    loaded.mockClear();
    await store.saveState('r2', 'checkpoint', state(300, 3));
    expect((await loadCurrentWeights(store, 'r2', 'stopped'))?.steps).toBe(300);
    expect(loaded.mock.calls).toEqual([['r2', 'checkpoint']]);
    loaded.mockClear();
    expect((await loadCurrentWeights(store, 'r2', 'interrupted'))?.steps).toBe(300);
    expect(loaded.mock.calls).toEqual([['r2', 'checkpoint']]);
    expect(await savedSteps(store, 'r2', 'final')).toBe(150);
    expect(await savedSteps(store, 'none', 'final')).toBeNull();
  });

  it('a damaged file says what is wrong and where, as the full read does; a run that ended has its final weights still', async () => {
    const store = new RunStore(folder);
    await store.saveState('r3', 'checkpoint', state(100, 1));
    await store.saveState('r3', 'final', state(150, 1));
    const path = join(folder, 'r3', 'checkpoint.bin');
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, 20));
    const cut = `${path} is not a valid checkpoint: the file ends inside its header`;
    await expect(store.loadState('r3', 'checkpoint')).rejects.toThrow(cut);
    await expect(loadCurrentWeights(store, 'r3', 'running')).rejects.toThrow(cut);
    // Completed or stopped: the sound final.bin is what it ended with (Draw, export and predictions all failed on
    // the checkpoint, read only to see whether it was newer).
    expect((await loadCurrentWeights(store, 'r3', 'completed'))?.steps).toBe(150);
    writeFileSync(path, whole.subarray(0, whole.length - 4));
    await expect(loadCurrentWeights(store, 'r3', 'interrupted')).rejects.toThrow(`${path} is not a valid checkpoint: its params array lies outside the file (truncated?)`);
    const header = JSON.stringify({ state: { version: 1, layerSizes: [1, 1] }, arrays: { params: { offset: 0, length: 0 }, m: null, v: null } });
    const prefix = Buffer.alloc(12);
    prefix.write('MLPSTATE', 0, 'latin1');
    prefix.writeUInt32LE(header.length, 8);
    writeFileSync(path, Buffer.concat([prefix, Buffer.from(header)]));
    await expect(savedSteps(store, 'r3', 'checkpoint')).rejects.toThrow(`${path} is not a valid checkpoint: its header has no step count`);
    await expect(loadCurrentWeights(store, 'r3', 'diverged')).rejects.toThrow(`${path} is not a valid checkpoint: `);
    // A header without its state is a damaged file too, not a missing one (that would quietly start over).
    const stateless = JSON.stringify({ arrays: { params: { offset: 0, length: 0 }, m: null, v: null } }).padEnd(80); // (12 + 80: no padding)
    prefix.writeUInt32LE(stateless.length, 8);
    writeFileSync(path, Buffer.concat([prefix, Buffer.from(stateless)]));
    await expect(savedSteps(store, 'r3', 'checkpoint')).rejects.toThrow(`${path} is not a valid checkpoint: its header has no step count`);
    await expect(loadCurrentWeights(store, 'r3', 'paused')).rejects.toThrow(`${path} is not a valid checkpoint: `);
    // Without a final.bin, a stopped run's damaged checkpoint is said as before.
    await store.saveState('r4', 'checkpoint', state(100, 1));
    writeFileSync(join(folder, 'r4', 'checkpoint.bin'), whole.subarray(0, 20));
    await expect(loadCurrentWeights(store, 'r4', 'stopped')).rejects.toThrow(`${join(folder, 'r4', 'checkpoint.bin')} is not a valid checkpoint: the file ends inside its header`);
  });
});
