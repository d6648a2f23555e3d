// A shard's wait for the next step (channel.ts: waitForNextStep) and the leader's publishing of it
// (leader.ts: publishStep): a shard that fell asleep in that wait is woken by the step, not left to look
// again later. Each side is checked against a stand-in thread written in plain JavaScript, which plays
// the other side by the protocol's slots.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ASLEEP_FOR_STEP, GEN, waitForNextStep } from './channel';
import { publishStep } from './leader';

/** A control array as large as a 2-thread channel's (the slots used here are all below 16). */
const newControl = () => new Int32Array(new SharedArrayBuffer(4 * 32));

let worker: Worker | null = null;
afterEach(async () => {
  await worker?.terminate();
  worker = null;
});

/** Runs `code` (CommonJS, with `control`, `slots` and `post` in scope) in a thread; resolves with what it posts. */
function standIn(code: string, control: Int32Array): Promise<unknown> {
  const source = `
    const { workerData: { control, slots }, parentPort } = require('node:worker_threads');
    const post = (x) => parentPort.postMessage(x);
    ${code}`;
  worker = new Worker(source, { eval: true, workerData: { control, slots: { GEN, ASLEEP_FOR_STEP } } });
  return new Promise((resolve, reject) => {
    worker!.once('message', resolve);
    worker!.once('error', reject);
  });
}

describe('the wait for the next step', () => {
  it('a shard asleep in it is woken by the step the leader publishes (it would sleep its 20 s otherwise)', async () => {
    const control = newControl();
    // the stand-in shard: counts itself asleep, then sleeps on GEN for up to 20 s
    const woke = standIn(
      `Atomics.add(control, slots.ASLEEP_FOR_STEP, 1);
       const how = Atomics.wait(control, slots.GEN, 0, 20000);
       Atomics.sub(control, slots.ASLEEP_FOR_STEP, 1);
       post(how);`,
      control,
    );
    while (Atomics.load(control, ASLEEP_FOR_STEP) === 0) await new Promise((r) => setTimeout(r, 1));
    publishStep({ control, rowLists: [new Uint32Array(1), new Uint32Array(1)] }, { order: null, start: 0, count: 64 }, 1, 1);
    // 'ok': woken by the notify; 'not-equal': the step came between its count and its sleep (also woken)
    expect(['ok', 'not-equal']).toContain(await woke);
    expect(Atomics.load(control, GEN)).toBe(1);
  });

  it('counts a sleeping shard, so that the leader knows to wake it, and returns the new generation', async () => {
    const control = newControl();
    // the stand-in leader: publishes (bumps GEN and notifies) once a shard is counted asleep, or after 10 s
    const leader = standIn(
      `const deadline = Date.now() + 10000;
       let sawSleeper = false;
       while (Date.now() < deadline && !(sawSleeper = Atomics.load(control, slots.ASLEEP_FOR_STEP) > 0)) Atomics.wait(control, 31, 0, 1);
       Atomics.add(control, slots.GEN, 1);
       Atomics.notify(control, slots.GEN);
       post(sawSleeper);`,
      control,
    );
    expect(waitForNextStep(control, 0, 60_000)).toBe(1);
    expect(await leader).toBe(true);
    expect(Atomics.load(control, ASLEEP_FOR_STEP)).toBe(0);
  });

  it('returns at once when the step has already moved on', () => {
    const control = newControl();
    Atomics.store(control, GEN, 7);
    expect(waitForNextStep(control, 6)).toBe(7);
    expect(Atomics.load(control, ASLEEP_FOR_STEP)).toBe(0);
  });
});
