// Overlapping input-split steps under chosen interleavings: drives a run's parts by hand in one thread,
// suspending one thread inside a backward item (a hook in its optimizer kernel call) while the others go
// on into the next step until they would block; then lets the first one finish. Each overlapped run must
// give the bits of the same steps taken by the leader's part alone. (Dropping the forward item's wait for
// its backward item, or the middle's wait for the previous step, or moving b1's update away from item 0,
// makes cases fail.) The gathers ahead of the next step's pixel columns are driven the same way, with hooks
// in the forward GEMM and the batch gather (claiming step K+1 before K, or one done slot for both parities,
// makes cases fail).
import { describe, expect, it } from 'vitest';
import { bandsDataset } from '../../main/runs/test-support';
import { presetConfig, type TrainConfig } from '../../shared/training';
import type { Kernels } from '../core/kernels';
import { createNetwork } from '../core/network';
import { type Batch, gatherClaimSlot, gatheredSlot, itemSlot, openChannel, type Channel } from './channel';
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

/** Called once, when thread `thread` next makes the hooked kernel call (before it). */
interface OneHook {
  thread: number;
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
  const state: { hook: Hook | null; calls: number[]; forwardHook: OneHook | null; gatherHook: (OneHook & { skip: number }) | null } = { hook: null, calls: new Array<number>(threads).fill(0), forwardHook: null, gatherHook: null };
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
      matmulForward: (...a) => {
        const h = state.forwardHook;
        if (h?.thread === t) {
          state.forwardHook = null;
          h.fn();
        }
        b.kernels.matmulForward(...a);
      },
    };
    const gatherBatch = b.kernels.gatherBatch;
    if (gatherBatch) {
      k.gatherBatch = (...a) => {
        const h = state.gatherHook;
        if (h?.thread === t && h.skip-- === 0) {
          state.gatherHook = null;
          h.fn();
        }
        gatherBatch(...a);
      };
    }
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

/** Step K's batch. */
function batchAt(K: number): Batch {
  const st = steps[(K - 1) % steps.length];
  return { order: st.ordered ? order : null, start: st.start, count: st.count };
}

/** Publishes step K, and step K+1's batch with it (as the Trainer does within an epoch). */
function publish(ch: Channel, K: number): void {
  publishStep(ch, batchAt(K), K, K, batchAt(K + 1));
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

/** Steps 1…N: each published, then begun by `before` (the shards' part, driven by hand), then ended by the
 *  leader; the run must give the bits of the leader's part alone. */
function againstReference(threads: number, kernelsName: 'plain' | 'wasm', N: number, before: (run: ReturnType<typeof makeRun>, K: number) => void): void {
  const config = { ...base, learningRate: 0.01 };
  const ref = reference(threads, kernelsName, config, N);
  const run = makeRun(threads, kernelsName, config);
  const losses: number[] = [];
  for (let K = 1; K <= N; K++) {
    publish(run.ch, K);
    before(run, K);
    run.parts[0].take(K, strict(run.ch));
    losses.push(run.parts[0].loss());
  }
  expect(snapshot(run.ch, losses)).toEqual(ref);
}

describe('gathering ahead: a thread about to wait inside step K gathers its own pixel columns of step K+1', () => {
  for (const [threads, kernelsName] of [[2, 'plain'], [2, 'wasm'], [3, 'wasm']] as const) {
    it(`${threads} threads, ${kernelsName}: the next step uses the columns a shard gathered, and gives the same bits`, () => {
      let hooked = 0;
      againstReference(threads, kernelsName, 10, ({ ch, parts, state }, K) => {
        if (K % 2 === 1) {
          // once the leader has gathered its columns of step K: shard 1 does its forward item (and, with 3
          // threads, shard 2's), then — before it would wait for the leader's — gathers its own columns of
          // step K+1 (only its own), and blocks
          state.forwardHook = {
            thread: 0,
            fn: () => {
              hooked++;
              expect(() => parts[1].take(K, strict(ch))).toThrow(Blocked);
              for (let i = 0; i < threads; i++) expect(Atomics.load(ch.control, gatherClaimSlot(threads, i))).toBe(i === 1 ? K + 1 : K);
              expect(Atomics.load(ch.control, gatheredSlot(threads, 1, (K + 1) & 1))).toBe(K + 1);
            },
          };
        } else {
          // shard 1 takes the whole step before the leader comes, then gathers its columns of step K+1 (it
          // would wait for the leader to publish that step)
          parts[1].take(K, strict(ch));
          expect(Atomics.load(ch.control, gatheredSlot(threads, 1, (K + 1) & 1))).toBe(K + 1);
        }
      });
      expect(hooked).toBe(5);
    });
  }

  for (const kernelsName of ['plain', 'wasm'] as const) {
    it(`${kernelsName}: not ahead of its own item taken over by another thread that has not claimed its gather yet`, () => {
      againstReference(2, kernelsName, 6, ({ ch, parts }, K) => {
        // the leader has claimed both forward items (not yet their gathers) when shard 1 takes the step:
        // shard 1 finds nothing to do, must not gather its columns of step K+1, and blocks
        const before = [0, 1].map((i) => Atomics.exchange(ch.control, itemSlot(2, i), K));
        expect(() => parts[1].take(K, strict(ch))).toThrow(Blocked);
        expect(Atomics.load(ch.control, gatherClaimSlot(2, 1))).toBe(K - 1);
        [0, 1].forEach((i) => Atomics.store(ch.control, itemSlot(2, i), before[i])); // the leader takes the step from the start
      });
    });
  }

  it('wasm: gathers of steps K and K+1 that end in the other order (the leader still gathering K while a shard gathers K+1 ahead)', () => {
    let hooked = 0;
    againstReference(2, 'wasm', 6, ({ ch, parts, state }, K) => {
      if (K % 2 === 0) return; // in step K+1, no wait for a gather that is done
      // inside the leader's gather of shard 1's columns of step K (its second gather: it took shard 1's forward
      // item too): shard 1 finds both items taken, gathers its columns of step K+1, and blocks; the leader's
      // gather of step K ends after that
      state.gatherHook = {
        thread: 0,
        skip: 1,
        fn: () => {
          hooked++;
          expect(() => parts[1].take(K, strict(ch))).toThrow(Blocked);
          expect(Atomics.load(ch.control, gatheredSlot(2, 1, (K + 1) & 1))).toBe(K + 1);
        },
      };
    });
    expect(hooked).toBe(3);
  });

  it('publishing a step other than the next batch announced with the one before throws', () => {
    const { ch } = makeRun(2, 'plain', base);
    publish(ch, 1); // announces batchAt(2)
    expect(() => publishStep(ch, batchAt(3), 2, 2)).toThrow(/not the batch published as the next one/);
  });
});
