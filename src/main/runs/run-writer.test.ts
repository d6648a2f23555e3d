// The run writer's promise for "the newest checkpoint asked for is on disk": kept while the writer stays busy
// (saves asked for faster than it writes), where idle never comes.
import { describe, expect, it } from 'vitest';
import type { TrainerState } from '../../shared/training';
import { RunWriter } from './run-writer';
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
