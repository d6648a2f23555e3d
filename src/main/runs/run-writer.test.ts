// The run writer's promise for "the newest checkpoint asked for is on disk": kept while the writer stays busy
// (saves asked for faster than it writes), where idle never comes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainerState } from '../../shared/training';
import { PACING, RunWriter } from './run-writer';
import type { RunRecord, RunStore } from './store';

const state = (epoch: number): TrainerState => ({ version: 1, layerSizes: [1, 1], params: new Float32Array(2), m: null, v: null, steps: 10 * epoch, epoch, stepInEpoch: 0, shuffleRng: [1, 2, 3, 4], epochLossSum: 0, epochRows: 0 });

/** A store whose every write waits until `next()` lets it through; `onDisk` is the checkpoint epoch written. */
function gatedStore(failCheckpoints = false) {
  const gates: Array<() => void> = [];
  const disk = { checkpoint: 0, writes: 0 };
  const gate = () => new Promise<void>((resolve) => gates.push(resolve));
  const store = {
    async saveState(_id: string, kind: string, s: TrainerState) {
      await gate();
      if (kind === 'checkpoint' && failCheckpoints) throw new Error('disk full');
      if (kind === 'checkpoint') disk.checkpoint = s.epoch;
      disk.writes++;
    },
    async saveRecord(_record: RunRecord) {
      await gate();
      disk.writes++;
    },
  } as unknown as RunStore;
  /** Lets the waiting write through, and the microtasks after it run. */
  const next = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 1));
  };
  return { store, disk, next };
}

const record = () => ({}) as RunRecord;

describe('RunWriter.checkpointSaved', () => {
  it('resolves once the checkpoint asked for is on disk, though saves asked for after it keep the writer busy', async () => {
    const { store, disk, next } = gatedStore();
    const writer = new RunWriter('r', store, record, () => {});
    let idle = false;
    writer.save({ checkpoint: state(1) }); // written now: checkpoint, then record
    void writer.idle.then(() => (idle = true));
    writer.save({ checkpoint: state(2) }); // waits its turn
    let saved = false;
    void writer.checkpointSaved().then(() => (saved = true));
    await next(); // epoch 1's checkpoint
    await next(); // record; epoch 2's turn begins
    expect(saved).toBe(false);
    writer.save({ checkpoint: state(3) }); // asked for after: not waited for
    await next(); // epoch 2's checkpoint
    await next(); // record; epoch 3's turn begins
    expect(disk.checkpoint).toBe(2);
    expect(saved).toBe(true);
    expect(idle).toBe(false);
    await next();
    await next();
    expect(disk.checkpoint).toBe(3);
    expect(idle).toBe(true);
  });

  it('called between turns, waits for a checkpoint asked for during the turn that just ended: it is written in the next', async () => {
    const { store, disk, next } = gatedStore();
    const writer = new RunWriter('r', store, record, () => {});
    writer.save({ checkpoint: state(1) });
    writer.save({ checkpoint: state(2) }); // asked for while epoch 1's turn writes
    await next(); // epoch 1's checkpoint
    await next(); // record: epoch 1's turn has ended (not epoch 2's, which the summary now names)
    let saved = false;
    void writer.checkpointSaved().then(() => (saved = true));
    await new Promise((r) => setTimeout(r, 1));
    expect(saved).toBe(false);
    await next(); // epoch 2's checkpoint
    await next(); // record
    expect(disk.checkpoint).toBe(2);
    expect(saved).toBe(true);
  });

  it('resolves at once when no checkpoint is waiting to be written, whatever else is', async () => {
    const { store, next } = gatedStore();
    const writer = new RunWriter('r', store, record, () => {});
    await writer.checkpointSaved();
    writer.save({ checkpoint: state(1) });
    await next();
    await next();
    writer.save({ final: state(1) }); // a record and a final state on their way
    await writer.checkpointSaved();
    await next();
    await next();
    await writer.idle;
  });

  it('resolves when the checkpoint\'s write failed (logged): the answers go on from what is on disk', async () => {
    const { store, next } = gatedStore(true);
    const logged: string[] = [];
    const writer = new RunWriter('r', store, record, (line) => logged.push(line));
    writer.save({ checkpoint: state(1) });
    const saved = writer.checkpointSaved();
    await next();
    await saved;
    expect(logged).toEqual(['saving run r failed: Error: disk full']);
  });
});

/** A store that writes at once (or after `recordMs` of fake time): the checkpoints' epochs and the records, in order. */
function instantStore(recordMs = 0) {
  const written: string[] = [];
  const store = {
    async saveState(_id: string, kind: string, s: TrainerState) {
      written.push(`${kind} ${s.epoch}`);
    },
    async saveRecord(_record: RunRecord) {
      if (recordMs > 0) await new Promise((r) => setTimeout(r, recordMs));
      written.push('record');
    },
  } as unknown as RunStore;
  return { store, written };
}

describe('RunWriter pacing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const paced = (store: RunStore) => new RunWriter('r', store, record, () => {}, { ...PACING, now: () => Date.now() });

  it('saves the checkpoints of epochs shorter than a second once a second: the newest, with the record', async () => {
    const { store, written } = instantStore();
    const writer = paced(store);
    writer.save({ checkpoint: state(1) });
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['checkpoint 1', 'record']);
    for (let epoch = 2; epoch <= 50; epoch++) {
      await vi.advanceTimersByTimeAsync(10); // an epoch every 10 ms
      writer.save({ checkpoint: state(epoch) });
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(2); // 490 ms on: epochs 2–50 wait (each was written at once before: fails before)
    await vi.advanceTimersByTimeAsync(509);
    expect(written).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // a second after the first turn began
    expect(written).toEqual(['checkpoint 1', 'record', 'checkpoint 50', 'record']);
    await writer.idle;
  });

  it('saves epochs longer than a second at once, each', async () => {
    const { store, written } = instantStore();
    const writer = paced(store);
    for (let epoch = 1; epoch <= 3; epoch++) {
      writer.save({ checkpoint: state(epoch) });
      await vi.advanceTimersByTimeAsync(0);
      expect(written.at(-2)).toBe(`checkpoint ${epoch}`);
      await vi.advanceTimersByTimeAsync(1500);
    }
    expect(written).toHaveLength(6);
  });

  it('does not wait for the pace with the final weights, a change of status, or an answer waiting for the checkpoint', async () => {
    const { store, written } = instantStore();
    const writer = paced(store);
    writer.save({ checkpoint: state(1) });
    await vi.advanceTimersByTimeAsync(100);
    writer.save({ checkpoint: state(2) });
    await vi.advanceTimersByTimeAsync(100);
    expect(written).toHaveLength(2);
    let saved = false;
    void writer.checkpointSaved().then(() => (saved = true)); // Evaluate asks for epoch 2's weights
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toBe(true);
    expect(written.slice(2)).toEqual(['checkpoint 2', 'record']);
    writer.save({ checkpoint: state(3) });
    writer.save(); // a change of status: no states, so at once
    await vi.advanceTimersByTimeAsync(0);
    expect(written.slice(4)).toEqual(['checkpoint 3', 'record']);
    writer.save({ checkpoint: state(4) });
    await vi.advanceTimersByTimeAsync(10);
    writer.save({ final: state(4) }); // the run ends: its checkpoint and final weights go now
    await writer.idle;
    expect(written.slice(6)).toEqual(['checkpoint 4', 'final 4', 'record']);
    // One state a save: a checkpoint and final weights together (which would have to skip the pace) do not type-check.
    // @ts-expect-error — `final` beside `checkpoint`
    const both: Parameters<RunWriter['save']>[0] = { checkpoint: state(5), final: state(5) };
    void both; // checked by the type checker (npm run typecheck), not at run time
  });

  it('spaces turns by five times their length when that is more than a second (a long record)', async () => {
    const { store, written } = instantStore(400);
    const writer = paced(store);
    writer.save({ checkpoint: state(1) });
    await vi.advanceTimersByTimeAsync(400);
    writer.save({ checkpoint: state(2) });
    await vi.advanceTimersByTimeAsync(1599); // 1,999 ms after the first turn began
    expect(written).toEqual(['checkpoint 1', 'record']);
    await vi.advanceTimersByTimeAsync(1);
    expect(written.at(-1)).toBe('checkpoint 2');
    await vi.advanceTimersByTimeAsync(400);
    await writer.idle;
  });
});
