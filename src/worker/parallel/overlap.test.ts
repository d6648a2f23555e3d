// Overlapping steps of an input-split run (./input-step.ts): the leader's step returns once every item is
// claimed, so another thread may still be finishing a backward item; whatever reads the parameters
// between steps (an evaluation, a checkpoint) waits for it first.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bandsDataset } from '../../main/runs/test-support';
import { presetConfig, type TrainConfig } from '../../shared/training';
import { Trainer } from '../core/trainer';
import { openChannel, RANGES_DONE } from './channel';
import { Leader } from './leader';
import { threadBackend } from './memory';
import { planParallelRun } from './plan';

const data = bandsDataset(200, 6, 3, 4);
const d = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
const config: TrainConfig = { ...presetConfig('standard'), hidden: [{ units: 16, activation: 'relu' }], batchSize: 32, devRows: 20, duration: { unit: 'epochs', count: 1 }, seed: 3 };

/** A trainer on a leader whose shard never starts (the leader takes every item), after `steps` steps. */
function leaderAlone(steps: number) {
  const plan = planParallelRun(2, config, d, 'plain', 'inputs');
  const ch = openChannel(plan.channel);
  const backend = threadBackend('plain', plan.channel.memory, plan.channel.layout, 0);
  const leader = new Leader(ch, d, backend.kernels, config);
  const trainer = new Trainer(config, d, { ...backend, parallel: leader.parallel });
  for (let s = 0; s < steps; s++) trainer.step();
  return { ch, leader, trainer };
}

/** Starts a thread that, after `ms`, sets flag[0] = 1 and then adds 1 to control[RANGES_DONE]. */
function finishLater(control: Int32Array, flag: Int32Array, ms: number): Worker {
  const code = `
    const { workerData: { control, flag, at, ms } } = require('node:worker_threads');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    Atomics.store(flag, 0, 1);
    Atomics.add(control, at, 1);`;
  return new Worker(code, { eval: true, workerData: { control, flag, at: RANGES_DONE, ms } });
}

describe('overlapping input-split steps', () => {
  for (const [name, read] of [
    ['a checkpoint (getState)', (t: Trainer) => t.getState()],
    ['an evaluation', (t: Trainer) => t.evaluateDev()],
    ['predictions', (t: Trainer) => t.predict(d.pixels, 4)],
  ] as const) {
    it(`${name} waits until the last step's every backward item has finished`, async () => {
      const { ch, leader, trainer } = leaderAlone(3);
      // As if another thread were still in one of step 3's backward items.
      Atomics.sub(ch.control, RANGES_DONE, 1);
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const worker = finishLater(ch.control, flag, 150);
      read(trainer);
      // The item's end (the flag, set just before the counter) happened before the read returned.
      expect(Atomics.load(flag, 0)).toBe(1);
      await worker.terminate();
      leader.stop();
    });
  }
});
