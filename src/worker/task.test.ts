// The training task, called in-process with a real MessageChannel and control flag (as Piscina would
// call it in a worker thread): the messages it posts, pause/stop, divergence, and input checks.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CONTROL, type EpochMessage, type KernelName, type StepMessage, type TrainMessage } from '../shared/training';
import { plainKernels } from './core/kernels-plain';
import { runTraining } from './core/run';
import { preferredKernels } from './task';
import { asTraining, config, run, synthetic } from './test-support';

/**
 * Another thread plays the main thread: once the run's control flag says pause, it waits `ms`, then sets the
 * flag to `then` (run: resume; stop) and notes in control[1] that it did.
 */
function afterPause(ms: number, then: number): { control: Int32Array; helper: Worker } {
  const sab = new SharedArrayBuffer(8);
  const helper = new Worker(
    `const { workerData } = require('node:worker_threads');
     const c = new Int32Array(workerData.sab);
     while (Atomics.load(c, 0) !== ${CONTROL.pause}) Atomics.wait(c, 0, ${CONTROL.run}, 10);
     Atomics.wait(c, 0, ${CONTROL.pause}, workerData.ms);
     Atomics.store(c, 1, 1); Atomics.store(c, 0, workerData.then); Atomics.notify(c, 0);`,
    { eval: true, workerData: { sab, ms, then } },
  );
  return { control: new Int32Array(sab), helper };
}

describe('train task', () => {
  it('posts epoch messages with checkpoints, then a final done message equal to its result', async () => {
    const { result, messages } = await run({ test: synthetic(90, 2) });
    const epochs = messages.filter((m): m is EpochMessage => m.type === 'epoch');
    expect(epochs.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(epochs.every((m) => m.complete && m.testAccuracy !== null && m.devAccuracy !== null)).toBe(true);
    expect(epochs[2].step).toBe(3 * 15); // 240 training rows / 16
    expect(epochs[2].state.epoch).toBe(3);
    expect(epochs[2].confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(epochs[2].trainLoss).toBeLessThan(epochs[0].trainLoss);
    expect(messages.at(-1)).toEqual({ type: 'done', ...result });
    expect(result.outcome).toBe('completed');
    expect(result.error).toBeNull();
    expect(result.dev!.accuracy).toBeGreaterThan(0.9);
    expect(result.test!.rows).toBe(90);
  });

  it('resuming from an epoch checkpoint ends with the same weights as the uninterrupted run', async () => {
    const whole = await run({});
    const { messages } = await run({ onMessage: (m, control) => m.type === 'epoch' && m.epoch === 1 && Atomics.store(control, 0, CONTROL.stop) });
    const checkpoint = messages.find((m): m is EpochMessage => m.type === 'epoch')!.state;
    const resumed = await run({ state: checkpoint });
    expect(resumed.result.outcome).toBe('completed');
    expect(resumed.messages.filter((m) => m.type === 'epoch').map((m) => (m as EpochMessage).epoch)).toEqual([2, 3]);
    expect(Buffer.from(resumed.result.state.params.buffer)).toEqual(Buffer.from(whole.result.state.params.buffer));
  });

  it('stops between steps when the flag says stop, keeping the weights reached', async () => {
    const { result, messages } = await run({ onMessage: (m, control) => m.type === 'epoch' && Atomics.store(control, 0, CONTROL.stop) });
    expect(result.outcome).toBe('stopped');
    expect(result.epoch).toBe(1);
    expect(result.steps).toBe(15);
    expect(result.dev).not.toBeNull();
    expect(messages.filter((m) => m.type === 'epoch')).toHaveLength(1);
    expect(messages.at(-1)!.type).toBe('done');
  });

  it('waits while paused and carries on when resumed', async () => {
    const { control, helper } = afterPause(100, CONTROL.run);
    const posted: TrainMessage[] = [];
    const result = runTraining(
      { config: config(), train: asTraining(synthetic(300, 1)), test: null, kernels: plainKernels },
      {
        control,
        now: () => performance.now(),
        post: (m) => {
          posted.push(m);
          if (m.type === 'epoch' && m.epoch === 1) Atomics.store(control, 0, CONTROL.pause);
        },
      },
    );
    await helper.terminate();
    expect(Atomics.load(control, 1)).toBe(1); // the helper saw the pause and lifted it
    expect(result.outcome).toBe('completed');
    expect(posted.filter((m) => m.type === 'epoch')).toHaveLength(3);
  });

  it('reports the step it paused at, though step messages are throttled', async () => {
    // Pause comes between two step messages (1 ms a clock reading: one message per ~25 steps); another
    // thread then stops the run, so that nothing waits for a message that never comes.
    const { control, helper } = afterPause(200, CONTROL.stop);
    let clock = 0;
    const posted: TrainMessage[] = [];
    const result = runTraining(
      { config: config(), train: asTraining(synthetic(300, 1)), test: null, kernels: plainKernels },
      {
        control,
        now: () => {
          if (++clock === 41) Atomics.store(control, 0, CONTROL.pause); // the user presses Pause
          return clock;
        },
        post: (m) => posted.push(m),
      },
    );
    await helper.terminate();
    expect(result.outcome).toBe('stopped');
    const steps = posted.filter((m): m is StepMessage => m.type === 'step').map((m) => m.step);
    expect(steps.at(-1)).toBe(result.steps);
    expect(steps.at(-2)).toBeLessThan(result.steps); // the throttle had held the last few back
  });

  it('throttles step messages to one per 50 ms of its clock, except the step that ends an epoch', () => {
    let clock = 0;
    const posted: TrainMessage[] = [];
    const stepTimes: Array<{ at: number; endsEpoch: boolean }> = [];
    runTraining(
      { config: config({ batchSize: 4, duration: { unit: 'epochs', count: 2 } }), train: asTraining(synthetic(300, 1)), test: null, kernels: plainKernels },
      {
        control: null,
        now: () => (clock += 7), // every reading advances the fake clock 7 ms
        post: (m) => {
          posted.push(m);
          if (m.type === 'step') stepTimes.push({ at: clock, endsEpoch: false });
          if (m.type === 'epoch') stepTimes[stepTimes.length - 1].endsEpoch = true;
        },
      },
    );
    const steps = posted.filter((m): m is StepMessage => m.type === 'step');
    expect(steps.length).toBeGreaterThan(5);
    const throttled = stepTimes.filter((t) => !t.endsEpoch);
    for (let i = 1; i < throttled.length; i++) expect(throttled[i].at - throttled[i - 1].at).toBeGreaterThanOrEqual(50);
    expect(stepTimes.filter((t) => t.endsEpoch)).toHaveLength(2); // each epoch's last step reports, right before its epoch
    expect(steps.every((m) => m.etaSeconds !== null && m.samplesPerSecond > 0 && m.totalSteps === 120)).toBe(true);
    expect(posted.filter((m) => m.type === 'epoch')).toHaveLength(2); // epochs are never throttled
  });

  it('reports every step of a full-batch run (each one ends an epoch)', async () => {
    const { messages } = await run({ config: config({ batchSize: 'full', duration: { unit: 'iterations', count: 5 } }) });
    expect(messages.filter((m) => m.type === 'step').map((m) => (m as StepMessage).step)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports a final partial epoch for a run measured in iterations', async () => {
    const { result, messages } = await run({ config: config({ duration: { unit: 'iterations', count: 20 } }) });
    const epochs = messages.filter((m): m is EpochMessage => m.type === 'epoch');
    expect(epochs.map((m) => [m.epoch, m.complete])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(result.steps).toBe(20);
    expect(result.state.stepInEpoch).toBe(5);
  });

  it('stops with a clear message when the loss diverges', () => {
    const posted: TrainMessage[] = [];
    // 1e30 is past what the schema accepts; runTraining trusts its caller
    const result = runTraining(
      { config: config({ optimizer: 'gd', learningRate: 1e30, hidden: [{ units: 8, activation: 'relu' }] }), train: asTraining(synthetic(300, 1)), test: null, kernels: plainKernels },
      { control: null, now: () => performance.now(), post: (m) => posted.push(m) },
    );
    expect(result.outcome).toBe('diverged');
    expect(result.error).toMatch(/^diverged at epoch 1, step \d+ — try a lower learning rate$/);
    expect(result.dev).toBeNull();
    expect(posted.at(-1)).toMatchObject({ type: 'done', outcome: 'diverged' });
  });

  it('rejects bad input with a message that names it', async () => {
    await expect(run({ config: config({ learningRate: -1 }) })).rejects.toThrow('invalid training config: learningRate: must be above 0');
    await expect(run({ train: { ...synthetic(50, 1), labels: null } })).rejects.toThrow('The training data has no labels');
    await expect(run({ test: { ...synthetic(50, 1), width: 2, height: 8 } })).rejects.toThrow('The test images are 2×8, the training images 4×4');
    await expect(run({ kernels: 'gpu' as KernelName })).rejects.toThrow("unknown kernels 'gpu' (have: wasm, plain, naive)");
  });

  it('trains on the WASM SIMD kernels (the default here) to the plain kernels\' result within float32 tolerance', async () => {
    expect(preferredKernels()).toBe('wasm');
    const wasm = await run({ kernels: 'wasm' });
    const plain = await run({ kernels: 'plain' });
    expect(wasm.result.outcome).toBe('completed');
    expect(wasm.result.dev!.loss).toBeCloseTo(plain.result.dev!.loss, 3);
    const diff = Math.max(...Array.from(wasm.result.state.params, (p, i) => Math.abs(p - plain.result.state.params[i])));
    expect(diff).toBeLessThan(1e-3);
  });
});

