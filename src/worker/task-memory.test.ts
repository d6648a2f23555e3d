// A thread trains run after run on one WebAssembly memory (./wasm/spare-memory.ts): a run takes the memory the
// previous run gave back, trains exactly as it would on a new one, and nothing a run posts or returns lives in
// that memory (the next run overwrites it).
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkerForTests } from '../main/runs/test-support';
import type { TrainConfig, TrainMessage } from '../shared/training';
import type trainTask from './task';
import { config, run, synthetic } from './test-support';
import { dropSpareMemory, spareMemoryStats } from './wasm/spare-memory';

/** Paths of the typed arrays inside `value` whose buffer is shared memory. */
function sharedArraysIn(value: unknown, path = 'value', found: string[] = []): string[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof SharedArrayBuffer) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => sharedArraysIn(item, `${path}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) sharedArraysIn(item, `${path}.${key}`, found);
  }
  return found;
}

const trainLosses = (messages: TrainMessage[]) => messages.flatMap((m) => (m.type === 'epoch' ? [m.trainLoss] : []));

/** Adam at the highest learning rate there is: it leaves large weights and moments in its memory. */
const wild: Partial<TrainConfig> = { learningRate: 100, hidden: [{ units: 8, activation: 'relu' }], seed: 9 };

/** The task as built (a data-parallel run starts its shard threads from the built shard-task.js beside it). */
let built: typeof trainTask | undefined;
async function builtTask(): Promise<typeof trainTask> {
  built ??= ((await import(pathToFileURL(await buildWorkerForTests()).href)) as { default: typeof trainTask }).default;
  return built;
}

/** WebAssembly memories created in this thread (the built task has its own copy of ./wasm/spare-memory.ts). */
let memoriesCreated = 0;
const NativeMemory = WebAssembly.Memory;
beforeAll(() => {
  WebAssembly.Memory = new Proxy(NativeMemory, {
    construct(target, args: [WebAssembly.MemoryDescriptor]) {
      memoriesCreated++;
      return new target(...args);
    },
  });
});
afterAll(() => {
  WebAssembly.Memory = NativeMemory;
});

describe('one WebAssembly memory per thread, run after run', () => {
  beforeEach(() => dropSpareMemory());

  it('a run takes the memory the previous one gave back and trains exactly as on a new memory', async () => {
    const relu: Partial<TrainConfig> = { hidden: [{ units: 8, activation: 'relu' }], seed: 3 };
    const first = await run({ config: config(relu), kernels: 'wasm' });
    const created = spareMemoryStats.created;
    const reused = spareMemoryStats.reused;
    const wrecked = await run({ config: config(wild), kernels: 'wasm' });
    expect(wrecked.result.state.params.some((w, i) => w !== first.result.state.params[i])).toBe(true);
    const again = await run({ config: config(relu), kernels: 'wasm' });
    expect(spareMemoryStats.created).toBe(created);
    expect(spareMemoryStats.reused).toBe(reused + 2);
    expect(Buffer.from(again.result.state.params.buffer)).toEqual(Buffer.from(first.result.state.params.buffer));
    expect(Buffer.from(again.result.state.m!.buffer)).toEqual(Buffer.from(first.result.state.m!.buffer));
    expect(trainLosses(again.messages)).toEqual(trainLosses(first.messages));
  });

  it('a larger run gets a new memory, which the next smaller run then reuses', async () => {
    await run({ config: config(), kernels: 'wasm' });
    const created = spareMemoryStats.created;
    await run({ config: config({ hidden: [{ units: 64, activation: 'tanh' }] }), train: synthetic(600, 1), kernels: 'wasm' });
    expect(spareMemoryStats.created).toBe(created + 1);
    const reused = spareMemoryStats.reused;
    await run({ config: config(), kernels: 'wasm' });
    expect(spareMemoryStats.reused).toBe(reused + 1);
    expect(spareMemoryStats.created).toBe(created + 1);
  });

  it('a data-parallel run reuses the memory its threads shared (and their kernels on it), with the same weights as on a new one', async () => {
    for (const split of ['batch', 'inputs'] as const) {
      const two = { task: await builtTask(), kernels: 'wasm' as const, threads: 2, split };
      const first = await run({ config: config({ seed: 5 }), ...two });
      const created = memoriesCreated;
      await run({ config: config(wild), ...two });
      const again = await run({ config: config({ seed: 5 }), ...two });
      expect(memoriesCreated, split).toBe(created);
      expect(Buffer.from(again.result.state.params.buffer), split).toEqual(Buffer.from(first.result.state.params.buffer));
    }
  });

  it('nothing a run posts or returns is a view into shared memory', async () => {
    for (const threads of [1, 2]) {
      const { result, messages } = await run({ task: await builtTask(), config: config(), test: synthetic(90, 2), kernels: 'wasm', threads });
      expect(sharedArraysIn(result, 'result')).toEqual([]);
      expect(sharedArraysIn(messages, 'messages')).toEqual([]);
    }
  });
});
