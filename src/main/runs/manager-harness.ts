// The RunManager test harness, shared by manager.test.ts and run-answers.test.ts: the real worker task built
// once per file, small data sets, and managers on fresh folders, all cleaned up after the file's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { RunSummary } from '../../shared/api/runs';
import { presetConfig, type TrainConfig } from '../../shared/training';
import { RunManager, type RunData, type RunManagerDeps } from './manager';
import { createTrainingPool, type TrainingPool } from './pool';
import { ProcessPresence } from './process-presence';
import { RunStore } from './store';
import { bandsDataset, buildWorkerForTests } from './test-support';

export const data = bandsDataset(600);
export const runData: RunData = { datasetName: 'bands', data, devRows: 60, test: null };
/** Heavier (20×20 images, more rows), so that a run lasts long enough to be interrupted mid-way. */
export const slowData: RunData = { datasetName: 'bands-20', data: bandsDataset(1200, 20), devRows: 60, test: null };

export function config(patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...presetConfig('standard'), hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, duration: { unit: 'epochs', count: 3 }, devRows: 60, ...patch };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Registers the file's build and clean-up hooks; returns what its tests make managers, pools and folders with. */
export function useRunManagers() {
  let workerFile = '';
  const pools: TrainingPool[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    workerFile = await buildWorkerForTests();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh folder, removed after the file's tests. */
  function tempFolder(prefix = 'mlp-runs-'): string {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(folder);
    return folder;
  }

  /** A pool on the built worker, destroyed after the file's tests. */
  function pool(threads: number): TrainingPool {
    const created = createTrainingPool(workerFile, threads);
    pools.push(created);
    return created;
  }

  /** The presence folder of managers on this runs folder (beside it: managers on one folder share it, as the
   *  processes sharing a data folder do). */
  function processesFolderOf(folder: string): string {
    const processes = `${folder}-processes`;
    if (!dirs.includes(processes)) dirs.push(processes);
    return processes;
  }

  /** A manager on `folder` (default a fresh one) as one process has it: its own presence there. */
  function setup(threads = 1, folder = tempFolder(), thePool?: TrainingPool, rows: RunData = runData, onEpoch?: (id: string) => void, more: Partial<RunManagerDeps> = {}) {
    if (thePool) pools.push(thePool);
    const events: Array<{ type: string; id: string; summary?: RunSummary; step?: number }> = [];
    const manager = new RunManager({
      pool: thePool ?? pool(threads),
      store: new RunStore(folder),
      presence: new ProcessPresence(processesFolderOf(folder), 'app'),
      dataFor: () => rows,
      emit: {
        changed: (summary) => events.push({ type: 'changed', id: summary.id, summary }),
        removed: (id) => events.push({ type: 'removed', id }),
        step: (p) => events.push({ type: 'step', id: p.id, step: p.progress.step }),
        epoch: (p) => {
          events.push({ type: 'epoch', id: p.id });
          onEpoch?.(p.id);
        },
      },
      log: () => {},
      // The plain kernels: slower, so the stops these tests send land well before a run would end anyway.
      kernels: 'plain',
      ...more,
    });
    return { manager, events, folder };
  }

  return { setup, pool, tempFolder, processesFolderOf };
}
