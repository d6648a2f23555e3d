// The entry of a data-parallel shard thread (a worker_threads Worker that a run's task starts, see
// ./task.ts and ./parallel/). It serves runs one after another, so its compiled code stays warm: for each
// run (its data arrives as workerData for the first, then as a message), it attaches its kernels to the
// run's shared memory (allocating only in its own arena), builds its network on the shared parameters,
// says 'ready', takes its part of every step until the leader stops the run, then says 'done' and waits
// for the next. Failures are reported through the run's channel, so the leader fails the run with this
// shard's message instead of waiting for it.
import { parentPort, workerData } from 'node:worker_threads';
import type { KernelName } from '../shared/training';
import type { Channel, ChannelBuffers } from './parallel/channel';
import { openChannel, reportFailure, STATUS_EXITED, STATUS_FAILED } from './parallel/channel';
import { threadBackend } from './parallel/memory';
import { createShard, type ShardSetup } from './parallel/shard';
import { yieldToTheUi } from './thread-priority';

export interface ShardTaskData {
  channel: ChannelBuffers;
  setup: ShardSetup;
  kernels: KernelName;
}

/** What the thread says to its run's task. 'done': the run is over for this thread; failed: it reported
 *  a failure (the task then ends the thread instead of keeping it for another run). */
export type ShardMessage = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'done'; failed: boolean };

/** The run this thread is serving (for the exit report). */
let serving: { ch: Channel; index: number } | null = null;
process.on('exit', (code) => serving && reportFailure(serving.ch, serving.index, STATUS_EXITED, `the thread exited (code ${code}) while the run needed it`));

/** The shared memory of this thread's last run, by its id (channel.ts memoryId). */
let lastMemory: { id: string; memory: WebAssembly.Memory } | null = null;

/** The run's channel, on the WebAssembly.Memory object of this thread's last run when it is the same memory
 *  (the leader keeps its run's memory for its next run): each run's message brings a new object for it, and
 *  on the same object this thread's backend from the last run can serve this one (wasm/backend.ts
 *  keptBackend), so V8 keeps the step's optimized code. */
function onLastMemory(channel: ChannelBuffers): ChannelBuffers {
  const { memory, memoryId } = channel;
  if (!(memory instanceof WebAssembly.Memory) || memoryId === null) return channel;
  if (lastMemory?.id === memoryId) return { ...channel, memory: lastMemory.memory };
  lastMemory = { id: memoryId, memory };
  return channel;
}

function serve(input: ShardTaskData): void {
  yieldToTheUi();
  const channel = onLastMemory(input.channel);
  const ch = openChannel(channel);
  const index = input.setup.index;
  const say = (m: ShardMessage) => parentPort!.postMessage(m);
  serving = { ch, index };
  let failed: boolean;
  try {
    const backend = threadBackend(input.kernels, channel.memory, channel.layout, index);
    const loop = createShard(ch, input.setup, backend.kernels, backend.allocator);
    say({ type: 'ready' });
    failed = !loop();
    backend.release();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reportFailure(ch, index, STATUS_FAILED, message);
    say({ type: 'failed', message });
    failed = true;
  }
  serving = null;
  say({ type: 'done', failed });
}

if (workerData) serve(workerData as ShardTaskData);
parentPort!.on('message', (input: ShardTaskData) => serve(input));
