// Overlapping input-split steps under chosen interleavings: drives a run's parts by hand in one thread,
// suspending one thread inside a backward item (a hook in its optimizer kernel call) while the others go
// on into the next step until they would block; then lets the first one finish. Each overlapped run must
// give the bits of the same steps taken by the leader's part alone. (Dropping the forward item's wait for
// its backward item, or the middle's wait for the previous step, or moving b1's update away from item 0,
// makes cases fail.)
import { describe, expect, it } from 'vitest';
import { bandsDataset } from '../../main/runs/test-support';
import { presetConfig, type TrainConfig } from '../../shared/training';
import type { Kernels } from '../core/kernels';
import { createNetwork } from '../core/network';
import { openChannel, type Channel } from './channel';
import { publishStep } from './leader';
import { threadBackend } from './memory';
import { stepPartFor } from './part';
import { planParallelRun } from './plan';
import type { StepPart, Waiter } from './step';

const data = bandsDataset(200, 6, 3, 4);
const d = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: data.width * data.height, classes: data.classes };
const base: TrainConfig = { ...presetConfig('standard'), hidden: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], batchSize: 32, devRows: 20, duration: { unit: 'epochs', count: 1 }, seed: 3 };

interface Hook {
  thread: number;
  n: number;
  fn: () => void;
}

class Blocked extends Error {
  constructor(readonly at: number, readonly target: number) {
    super(`would wait for control[${at}] ≥ ${target}`);
  }
}

/** Steps: (order or null, start, count): counts vary (the last batch of an epoch), ordered and not. */
const order = Uint32Array.from({ length: 180 }, (_, i) => 20 + ((i * 67) % 180));
const steps: { ordered: boolean; start: number; count: number }[] = [
  { ordered: true, start: 0, count: 32 }, { ordered: true, start: 32, count: 17 }, { ordered: false, start: 20, count: 32 },
  { ordered: true, start: 64, count: 5 }, { ordered: true, start: 96, count: 1 }, { ordered: false, start: 100, count: 2 },
  { ordered: true, start: 120, count: 32 }, { ordered: true, start: 0, count: 32 }, { ordered: false, start: 40, count: 31 },
  { ordered: true, start: 10, count: 3 },
];

function makeRun(threads: number, kernelsName: 'plain' | 'wasm', config: TrainConfig) {
  const plan = planParallelRun(threads, config, d, kernelsName, 'inputs');
  const ch = openChannel(plan.channel);
  /** hook: called before thread `thread`'s n-th optimizer call (counted from the last reset of calls). */
  const state: { hook: Hook | null; calls: number[] } = { hook: null, calls: new Array<number>(threads).fill(0) };
  const parts: StepPart[] = [];
  for (let t = 0; t < threads; t++) {
    const b = threadBackend(kernelsName, plan.channel.memory, plan.channel.layout, t);
    const before = () => {
      state.calls[t]++;
      const h = state.hook;
      if (h && h.thread === t && h.n === state.calls[t]) {
        state.hook = null;
        h.fn();
      }
    };
    const k: Kernels = {
      ...b.kernels,
      adamStep: (...a) => (before(), b.kernels.adamStep(...a)),
      sgdStep: (...a) => (a[2] !== -1 && before(), b.kernels.sgdStep(...a)),
      momentumStep: (...a) => (before(), b.kernels.momentumStep(...a)),
      rmspropStep: (...a) => (before(), b.kernels.rmspropStep(...a)),
    };
    const net = createNetwork(plan.spec, plan.maxRows, k, b.allocator, { params: ch.views.params, grads: ch.views.grads[0] });
    parts.push(stepPartFor(ch, d, k, plan.optimizer, net, t));
  }
  // deterministic initial parameters
  let s = 12345;
  const p = ch.views.params;
  for (let i = 0; i < p.length; i++) p[i] = ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.5;
  return { ch, parts, state };
}

/** A waiter that never waits: it throws Blocked where a thread would wait. */
const strict = (ch: Channel): Waiter => ({
  waitAtLeast(at, target) {
    if (Atomics.load(ch.control, at) < target) throw new Blocked(at, target);
  },
});

function publish(ch: Channel, K: number): void {
  const st = steps[(K - 1) % steps.length];
  publishStep(ch, st.ordered ? order : null, st.start, st.count, K, K);
}

function snapshot(ch: Channel, losses: number[]) {
  return { params: Array.from(ch.views.params), m: Array.from(ch.views.m ?? []), v: Array.from(ch.views.v ?? []), losses };
}

function reference(threads: number, kernelsName: 'plain' | 'wasm', config: TrainConfig, N: number) {
  const { ch, parts } = makeRun(threads, kernelsName, config);
  const losses: number[] = [];
  for (let K = 1; K <= N; K++) {
    publish(ch, K);
    parts[0].take(K, strict(ch));
    losses.push(parts[0].loss());
  }
  return snapshot(ch, losses);
}

/**
 * Step K (odd) is done by `holder` alone; before its n-th optimizer call of the step, `others` (in turn)
 * finish step K (the leader, 0, among them, so it publishes K+1) and go into K+1 until each would block.
 * Then the holder finishes K, and every thread finishes K+1 (holder first). Returns where each blocked.
 */
function overlapped(threads: number, kernelsName: 'plain' | 'wasm', config: TrainConfig, N: number, holder: number, n: number, lateReadsNext = false) {
  const { ch, parts, state } = makeRun(threads, kernelsName, config);
  const losses: number[] = [];
  const blocks: string[] = [];
  const others = Array.from({ length: threads }, (_, t) => t).filter((t) => t !== holder);
  const tryTake = (t: number, K: number) => {
    try {
      parts[t].take(K, strict(ch));
    } catch (e) {
      if (!(e instanceof Blocked)) throw e;
      blocks.push(`step ${K} thread ${t}: ${e.message}`);
    }
  };
  for (let K = 1; K <= N; K += 2) {
    publish(ch, K);
    if (holder === 0) throw new Error('the holder is a shard here');
    state.calls.fill(0);
    state.hook = {
      thread: holder,
      n,
      fn: () => {
        parts[0].take(K, strict(ch)); // the leader's rest of step K (must not block: every wait is met)
        losses.push(parts[0].loss());
        if (K + 1 > N) return;
        publish(ch, K + 1);
        for (const t of others) if (!(lateReadsNext && t !== 0)) tryTake(t, K + 1);
      },
    };
    parts[holder].take(K, strict(ch));
    expect(state.hook).toBeNull(); // the hook ran
    if (lateReadsNext) for (const t of others) if (t !== 0) parts[t].take(K, strict(ch)); // read K+1's inputs for step K: must claim nothing
    if (K + 1 > N) break;
    parts[holder].take(K + 1, strict(ch));
    for (const t of others) parts[t].take(K + 1, strict(ch));
    losses.push(parts[0].loss());
  }
  return { ...snapshot(ch, losses), blocks };
}

describe('H15: overlapped input-split steps driven by hand', () => {
  for (const [threads, kernelsName] of [[2, 'plain'], [3, 'plain'], [2, 'wasm'], [3, 'wasm']] as const) {
    for (const optimizer of ['adam', 'gd'] as const) {
      const config = { ...base, optimizer, learningRate: optimizer === 'gd' ? 0.1 : 0.01 };
      const N = 10;
      const ref = reference(threads, kernelsName, config, N);
      // optimizer calls per step: T W1 blocks + b1 + the rest
      for (let holder = 1; holder < threads; holder++) {
        for (let n = 1; n <= threads + 2; n++) {
          for (const late of threads > 2 ? [false, true] : [false]) {
            it(`${threads} threads, ${kernelsName}, ${optimizer}: shard ${holder} suspended before its optimizer call ${n}${late ? ', late shard reads the next step' : ''}`, () => {
              const run = overlapped(threads, kernelsName, config, N, holder, n, late);
              expect(run.losses).toEqual(ref.losses);
              expect(run.params).toEqual(ref.params);
              expect(run.m).toEqual(ref.m);
              expect(run.v).toEqual(ref.v);
              expect(run.blocks.length).toBeGreaterThan(0);
            });
          }
        }
      }
    }
  }
});

describe('H15: two shards each hold a backward item of step K while the leader goes into K+1', () => {
  for (const kernelsName of ['plain', 'wasm'] as const) {
    const config = { ...base, learningRate: 0.01 };
    const N = 10;
    const ref = reference(3, kernelsName, config, N);
    for (let n1 = 1; n1 <= 5; n1++) for (let n2 = 1; n2 <= 5; n2++) {
      it(`${kernelsName}: shard 1 before its call ${n1}, shard 2 before its call ${n2}`, () => {
        const { ch, parts, state } = makeRun(3, kernelsName, config);
        const losses: number[] = [];
        const tryTake = (t: number, K: number) => {
          try {
            parts[t].take(K, strict(ch));
          } catch (e) {
            if (!(e instanceof Blocked)) throw e;
          }
        };
        for (let K = 1; K <= N; K += 2) {
          publish(ch, K);
          state.calls.fill(0);
          // shard 1 starts step K; at its n1-th optimizer call shard 2 takes what is left, and at its n2-th
          // the leader finishes step K and goes into K+1
          const inner = { thread: 2, n: n2, fn: () => {
            parts[0].take(K, strict(ch));
            losses.push(parts[0].loss());
            publish(ch, K + 1);
            tryTake(0, K + 1);
          } };
          state.hook = { thread: 1, n: n1, fn: () => {
            state.hook = inner;
            parts[2].take(K, strict(ch));
            if (state.hook === inner) { state.hook = null; inner.fn(); } // shard 2 had no n2-th call
            tryTake(2, K + 1);
          } };
          parts[1].take(K, strict(ch));
          if (state.hook) { const h = state.hook; state.hook = null; h.fn(); } // shard 1 had no n1-th call
          for (const t of [1, 2, 0]) parts[t].take(K + 1, strict(ch));
          losses.push(parts[0].loss());
        }
        const run = snapshot(ch, losses);
        expect(run.losses).toEqual(ref.losses);
        expect(run.params).toEqual(ref.params);
        expect(run.m).toEqual(ref.m);
        expect(run.v).toEqual(ref.v);
      });
    }
  }
});
