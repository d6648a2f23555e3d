// Data-parallel training of one run on 2 and 3 threads, through the real built task and shard entries in
// a real training pool: it matches single-thread training of the same seed within float32 tolerance, is
// deterministic (two runs give the same bits), a failing shard fails the run with its message, and
// stop/pause/continue from a checkpoint still work.
//
// Tolerance: the threads each sum their part of the batch, and the parts are added in thread order — a
// different order of float32 additions than one pass over the whole batch (and the WASM kernels may pick
// a different tile/zero-skipping path for a half batch). Gradients then differ by a few ulps (~1e-7
// relative); Adam divides by √v, which can magnify such noise for parameters with tiny gradients, and
// the runs compound it over their steps. Measured here: |Δparam| ≤ 6.7e-8 (a few ulps of weights ~0.3),
// epoch losses within 7e-9. Asserted: |Δparam| ≤ 1e-6 and losses within 1e-6 relative — ~15× the
// measured noise, and far below what a wrong scale (each half divided by its own rows, tried: losses
// off by 5e-4 after one epoch), a wrong slice or a missed shard gives. Split by inputs, the first layer's
// output is summed from the threads' column blocks instead: the same order of magnitude (≤ 2.2e-7 on
// these cases, 9.5e-7 on 784 sparse inputs through two hidden layers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandsDataset, buildWorkerForTests } from '../../main/runs/test-support';
import { createTrainingPool, type TaskInput, type TrainingPool } from '../../main/runs/pool';
import { CONTROL, presetConfig, type EpochMessage, type StepMessage, type TrainConfig, type TrainMessage } from '../../shared/training';
import type { DatasetData } from '../../shared/dataset';
import { createNetwork } from '../core/network';
import type { ParallelTraining } from '../core/parallel-training';
import { Trainer } from '../core/trainer';
import { openChannel } from './channel';
import { Leader, publishStep } from './leader';
import { stepPartFor } from './part';
import { threadBackend } from './memory';
import { chooseSplit, planParallelRun } from './plan';
import type { Waiter } from './step';

let pool: TrainingPool;

beforeAll(async () => {
  pool = createTrainingPool(await buildWorkerForTests(), 1);
}, 120_000);

afterAll(async () => {
  await pool?.destroy();
});

const data = bandsDataset(400, 6, 3, 11);
/** 28×28 images of bands, black (0) outside the band: 784 mostly-zero inputs, where the first layer does
 *  nearly all the work and the WASM kernels skip zeros. */
const images = blackOutsideBands(bandsDataset(300, 28, 4, 3));

function blackOutsideBands(d: DatasetData): DatasetData {
  for (let i = 0; i < d.pixels.length; i++) if (d.pixels[i] < 100) d.pixels[i] = 0; // the band is 180–240, the rest 20–80
  return d;
}
const SPLITS = ['inputs', 'batch'] as const;

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  ...presetConfig('standard'),
  hidden: [{ units: 16, activation: 'relu' }],
  learningRate: 0.01,
  batchSize: 64,
  devRows: 40,
  duration: { unit: 'epochs', count: 2 },
  seed: 5,
  ...overrides,
});

async function train(input: Partial<TaskInput>, onMessage?: (m: TrainMessage, control: Int32Array) => void) {
  const control = new Int32Array(new SharedArrayBuffer(4));
  const messages: TrainMessage[] = [];
  const result = await pool.run({ config: config(), train: data, test: null, control, ...input }, (m) => {
    messages.push(m);
    onMessage?.(m, control);
  });
  return { result, epochs: messages.filter((m): m is EpochMessage => m.type === 'epoch'), steps: messages.filter((m): m is StepMessage => m.type === 'step') };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('data-parallel training on 2 and 3 threads', () => {
  it('splits by inputs by default where the first layer dominates and the batch is one pass', () => {
    const d = { rows: 400, inputSize: 784, classes: 10 };
    expect(chooseSplit(config({ hidden: [{ units: 128, activation: 'relu' }] }), d, 2)).toBe('inputs');
    expect(chooseSplit(config({ batchSize: 'full' }), d, 2)).toBe('inputs'); // 360 rows fit one pass …
    expect(chooseSplit(config({ batchSize: 'full' }), { ...d, rows: 5000 }, 2)).toBe('batch'); // … 4960 do not
    expect(chooseSplit(config({ hidden: [{ units: 16, activation: 'relu' }, { units: 1000, activation: 'relu' }] }), d, 2)).toBe('batch');
    expect(chooseSplit(config(), { ...d, inputSize: 1 }, 2)).toBe('batch');
  });

  it('refuses a run too long for its threads\' 32-bit step counters, saying to train on one thread', () => {
    const d = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
    // 400 rows, 40 for dev, batch 1: 360 steps an epoch; 3 million epochs = 1.08e9 steps
    const long = config({ batchSize: 1, duration: { unit: 'epochs', count: 3_000_000 } });
    expect(() => planParallelRun(2, long, d, 'plain', 'inputs')).toThrow('a run of 1080000000 steps is too long to share across 2 threads (they count its steps in 32 bits); train it on one thread or for fewer steps');
    expect(() => planParallelRun(2, long, d, 'plain', 'batch')).toThrow('too long to share across 2 threads');
    expect(() => planParallelRun(2, config({ batchSize: 1, duration: { unit: 'epochs', count: 1_000_000 } }), d, 'plain', 'inputs')).not.toThrow();
  });

  const cases: [string, Partial<TrainConfig>, 'wasm' | 'plain', number][] = [
    ['batch 64 (even), wasm kernels', { batchSize: 64 }, 'wasm', 2],
    ['batch 33 (odd: slices of 16 and 17), wasm kernels', { batchSize: 33 }, 'wasm', 2],
    ['full batch, wasm kernels', { batchSize: 'full', duration: { unit: 'epochs', count: 20 } }, 'wasm', 2],
    ['batch 33, plain kernels, momentum', { batchSize: 33, optimizer: 'momentum' }, 'plain', 2],
    ['batch 64, 3 threads (slices of 21, 21, 22), wasm kernels', { batchSize: 64 }, 'wasm', 3],
    ['batch 50, 3 threads, plain kernels, rmsprop', { batchSize: 50, optimizer: 'rmsprop' }, 'plain', 3],
    ['batch 40, 3 threads, wasm kernels, gradient descent', { batchSize: 40, optimizer: 'gd', learningRate: 0.1 }, 'wasm', 3],
    ['no hidden layer (softmax regression), wasm kernels', { hidden: [] }, 'wasm', 2],
    ['two hidden layers (tanh, sigmoid), 3 threads, plain kernels', { hidden: [{ units: 16, activation: 'tanh' }, { units: 8, activation: 'sigmoid' }] }, 'plain', 3],
  ];
  for (const [name, overrides, kernels, threads] of cases) for (const split of SPLITS) {
    it(`matches single-thread training of the same seed, split by ${split}: ${name}`, async () => {
      const one = await train({ config: config(overrides), kernels });
      const two = await train({ config: config(overrides), kernels, threads, split });
      expect(two.result.outcome).toBe('completed');
      expect(two.result.steps).toBe(one.result.steps);
      expect(two.epochs.length).toBe(one.epochs.length);
      for (let e = 0; e < one.epochs.length; e++) {
        expect(two.epochs[e].step).toBe(one.epochs[e].step);
        expect(Math.abs(two.epochs[e].trainLoss - one.epochs[e].trainLoss)).toBeLessThanOrEqual(1e-6 * one.epochs[e].trainLoss);
        expect(Math.abs(two.epochs[e].devLoss! - one.epochs[e].devLoss!)).toBeLessThanOrEqual(1e-6 * one.epochs[e].devLoss!);
      }
      const diff = maxAbsDiff(two.result.state.params, one.result.state.params);
      expect(diff).toBeLessThanOrEqual(1e-6);
      // and training did something: the weights moved from the initial ones and the loss fell
      expect(one.epochs.at(-1)!.trainLoss).toBeLessThan(one.epochs[0].trainLoss);
      expect(two.result.dev!.accuracy).toBeCloseTo(one.result.dev!.accuracy, 1);
    });
  }

  for (const [kernels, threads] of [['wasm', 2], ['plain', 3]] as const) for (const split of SPLITS) {
    it(`is deterministic: two runs on ${threads} threads (${kernels} kernels, split by ${split}) give the same bits`, async () => {
      const c = config({ batchSize: 37 });
      const a = await train({ config: c, kernels, threads, split });
      const b = await train({ config: c, kernels, threads, split });
      expect(Array.from(b.result.state.params)).toEqual(Array.from(a.result.state.params));
      expect(Array.from(b.result.state.m!)).toEqual(Array.from(a.result.state.m!));
      expect(b.epochs.map((e) => e.trainLoss)).toEqual(a.epochs.map((e) => e.trainLoss));
    });
  }

  for (const split of SPLITS) {
    it(`a leader whose shards never wake does every item itself, to the same bits (split by ${split})`, async () => {
      const c = config({ batchSize: 37, duration: { unit: 'epochs', count: 1 } });
      const two = await train({ config: c, threads: 2, split });
      // In this thread, with a channel for 2 threads but no shard thread started.
      const d = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
      const plan = planParallelRun(2, c, d, 'wasm', split);
      const ch = openChannel(plan.channel);
      const backend = threadBackend('wasm', plan.channel.memory, plan.channel.layout, 0);
      const leader = new Leader(ch, d, backend.kernels, c);
      const trainer = new Trainer(c, d, { ...backend, parallel: leader.parallel });
      while (!trainer.done) trainer.step();
      leader.stop();
      expect(Array.from(trainer.getState().params)).toEqual(Array.from(two.result.state.params));
    });
  }

  for (const split of SPLITS) {
    it(`a leader that leaves its shard out every other few steps gets the same bits as one that never does (split by ${split})`, async () => {
      const c = config({ batchSize: 37, duration: { unit: 'epochs', count: 6 } });
      const always = await train({ config: c, threads: 2, split, threadChoice: null });
      // every window of 3 steps is "slow" and every probe "wins": the mode flips every 3 steps, so in the
      // run's 60 steps (10 an epoch) the shard is left out and let back in 10 times. (Margins of −Infinity: a
      // probe wins whatever its steps took; with −100, a probe that took 101 times its reference — one step
      // behind a descheduled thread on a busy machine — lost, and the flips went out of step.)
      const flipping = { window: 3, probeWindow: 3, settle: 0, firstProbeAfter: 1, aloneProbeEvery: 1, slowdown: 0, marginToAlone: -Infinity, marginToAll: -Infinity };
      const flipped = await train({ config: c, threads: 2, split, threadChoice: flipping });
      expect(flipped.result.outcome).toBe('completed');
      expect(Array.from(flipped.result.state.params)).toEqual(Array.from(always.result.state.params));
      expect(flipped.epochs.map((e) => e.trainLoss)).toEqual(always.epochs.map((e) => e.trainLoss));
      // each epoch says how many of its steps the leader took alone: 6 in every 12 (a probe of 3 steps, then
      // a window of 3 as its mode), steps 4–9, 16–21, … of the 10-step epochs
      expect(flipped.epochs.map((e) => e.stepsOnOneThread)).toEqual([6, 5, 4, 4, 5, 6]);
      expect(always.epochs.map((e) => e.stepsOnOneThread)).toEqual([0, 0, 0, 0, 0, 0]);
      // the step messages say whether it keeps the steps to itself for now (its probes do not count): at the
      // epochs' ends (steps the messages always come at), steps 10, 20 and 30 fall in such stretches
      const atEpochEnds = (steps: StepMessage[]) => steps.filter((m) => m.step % 10 === 0).map((m) => [m.step, m.onOneThread]);
      expect(atEpochEnds(flipped.steps)).toEqual([[10, true], [20, true], [30, true], [40, false], [50, false], [60, false]]);
      expect(always.steps.every((m) => m.onOneThread === false)).toBe(true);
    });
  }

  it("a shard's part (thread 1: its item order, its own network) doing every item gives the leader-alone bits", async () => {
    const c = config({ batchSize: 37, hidden: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], duration: { unit: 'epochs', count: 1 } });
    const d = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
    const trainWith = (part: 0 | 1) => {
      const plan = planParallelRun(2, c, d, 'wasm', 'inputs');
      const ch = openChannel(plan.channel);
      const backends = [0, 1].map((t) => threadBackend('wasm', plan.channel.memory, plan.channel.layout, t));
      if (part === 0) {
        const leader = new Leader(ch, d, backends[0].kernels, c);
        const trainer = new Trainer(c, d, { ...backends[0], parallel: leader.parallel });
        while (!trainer.done) trainer.step();
        leader.stop();
        return trainer.getState().params;
      }
      const net = createNetwork(plan.spec, plan.maxRows, backends[1].kernels, backends[1].allocator, { params: ch.views.params, grads: ch.views.grads[0] });
      const shardPart = stepPartFor(ch, d, backends[1].kernels, plan.optimizer, net, 1);
      let K = 0;
      const neverWait: Waiter = { waitAtLeast: (at, target) => expect(Atomics.load(ch.control, at)).toBeGreaterThanOrEqual(target) };
      const parallel: ParallelTraining = {
        ...ch.views,
        grads: ch.views.grads[0],
        step(_net, order, start, count, t, next) {
          publishStep(ch, { order, start, count }, t, ++K, next ? { order, ...next } : null);
          shardPart.take(K, neverWait);
          const done = shardPart.done(K);
          neverWait.waitAtLeast(done.at, done.target);
          return shardPart.loss();
        },
        settle() {},
        stepsAlone: () => 0,
        onOneThread: () => false,
      };
      const trainer = new Trainer(c, d, { ...backends[0], parallel });
      while (!trainer.done) trainer.step();
      return trainer.getState().params;
    };
    expect(Array.from(trainWith(1))).toEqual(Array.from(trainWith(0)));
  });

  it('a batch smaller than the threads: the shard takes the one row, the result is bit-identical (split by batch)', async () => {
    const c = config({ batchSize: 1, duration: { unit: 'iterations', count: 30 } });
    const one = await train({ config: c });
    const two = await train({ config: c, threads: 2, split: 'batch' });
    // thread 0's slice of 1 row is empty; 0 + the shard's gradient is exact
    expect(Array.from(two.result.state.params)).toEqual(Array.from(one.result.state.params));
    // split by inputs, a batch of 1 row is still the whole batch for every item: same result within float32
    const inputs = await train({ config: c, threads: 2, split: 'inputs' });
    expect(maxAbsDiff(inputs.result.state.params, one.result.state.params)).toBeLessThanOrEqual(1e-6);
  });

  it('splits 3 threads by inputs on 784-pixel images like one thread (zero-skipping kernels, 128 hidden units)', async () => {
    const c = config({ batchSize: 64, hidden: [{ units: 128, activation: 'relu' }], duration: { unit: 'iterations', count: 40 } });
    const one = await train({ config: c, train: images });
    const three = await train({ config: c, train: images, threads: 3, split: 'inputs' });
    expect(maxAbsDiff(three.result.state.params, one.result.state.params)).toBeLessThanOrEqual(1e-6);
  });

  for (const split of SPLITS) {
    it(`continues from a checkpoint to the same weights as an uninterrupted run (split by ${split})`, async () => {
      const c = config({ duration: { unit: 'epochs', count: 3 } });
      const whole = await train({ config: c, threads: 2, split });
      // The checkpoint after epoch 1, as a run interrupted there would have left it.
      const rest = await train({ config: c, threads: 2, split, state: whole.epochs[0].state });
      expect(rest.result.steps).toBe(whole.result.steps);
      expect(Array.from(rest.result.state.params)).toEqual(Array.from(whole.result.state.params));
    });
  }

  it('continues from a checkpoint identically on 3 threads with the plain kernels', async () => {
    const c = config({ duration: { unit: 'epochs', count: 2 }, batchSize: 50 });
    const whole = await train({ config: c, threads: 3, kernels: 'plain' });
    const rest = await train({ config: c, threads: 3, kernels: 'plain', state: whole.epochs[0].state });
    expect(Array.from(rest.result.state.params)).toEqual(Array.from(whole.result.state.params));
    expect(Array.from(rest.result.state.v!)).toEqual(Array.from(whole.result.state.v!));
  });

  for (const split of SPLITS) {
    it(`a shard that throws fails the run with its message (split by ${split})`, async () => {
      // Long runs: the other threads take a late shard's work, so a short run may end before it wakes to fail.
      const long = config({ duration: { unit: 'epochs', count: 5000 } });
      await expect(train({ config: long, threads: 2, split, shardFailAtStep: 3 })).rejects.toThrow(/shard thread 1 of 2: injected failure at step 3/);
      await expect(train({ config: long, threads: 3, split, kernels: 'plain', shardFailAtStep: 1 })).rejects.toThrow(/shard thread 1 of 3: injected failure at step 1/);
    });
  }

  it('stops between steps when told to', async () => {
    const { result, epochs } = await train({ threads: 2, config: config({ duration: { unit: 'epochs', count: 5000 } }) }, (m, control) => {
      if (m.type === 'epoch' && m.epoch === 2) Atomics.store(control, 0, CONTROL.stop);
    });
    expect(result.outcome).toBe('stopped');
    expect(result.epoch).toBeLessThan(5000);
    expect(epochs.length).toBeGreaterThanOrEqual(2);
  });

  it('pauses and continues to the same result as an uninterrupted run', async () => {
    const plain = await train({ threads: 2 });
    let paused = false;
    const { result } = await train({ threads: 2 }, (m, control) => {
      if (m.type === 'epoch' && m.epoch === 1 && !paused) {
        paused = true;
        Atomics.store(control, 0, CONTROL.pause);
        setTimeout(() => {
          Atomics.store(control, 0, CONTROL.run);
          Atomics.notify(control, 0);
        }, 300);
      }
    });
    expect(paused).toBe(true);
    expect(result.outcome).toBe('completed');
    expect(Array.from(result.state.params)).toEqual(Array.from(plain.result.state.params));
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(train({ threads: 0 })).rejects.toThrow(/threads must be an integer from 1 to 64, got 0/);
  });
});
