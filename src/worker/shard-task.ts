// The entry of a data-parallel shard thread (a worker_threads Worker that a run's task starts, see
// ./task.ts and ./parallel/): attaches its kernels to the run's shared memory (allocating only in its own
// arena), builds its network on the shared parameters, says 'ready', then takes its part of every step
// until the leader stops it. Failures are reported through the shared channel, so the leader fails the
// run with this shard's message instead of waiting for it.
import { parentPort, workerData } from 'node:worker_threads';
import type { KernelName } from '../shared/training';
import type { ChannelBuffers } from './parallel/channel';
import { openChannel, reportFailure, STATUS_EXITED, STATUS_FAILED } from './parallel/channel';
import { threadBackend } from './parallel/memory';
import { createShard, type ShardSetup } from './parallel/shard';

export interface ShardTaskData {
  channel: ChannelBuffers;
  setup: ShardSetup;
  kernels: KernelName;
}

const input = workerData as ShardTaskData;
const ch = openChannel(input.channel);
const index = input.setup.index;
process.on('exit', (code) => reportFailure(ch, index, STATUS_EXITED, `the thread exited (code ${code}) while the run needed it`));
try {
  const { kernels, allocator } = threadBackend(input.kernels, input.channel.memory, input.channel.layout, index);
  const loop = createShard(ch, input.setup, kernels, allocator);
  parentPort!.postMessage({ type: 'ready' });
  loop();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  reportFailure(ch, index, STATUS_FAILED, message);
  parentPort!.postMessage({ type: 'failed', message });
}
