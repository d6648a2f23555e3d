// The entry of a data-parallel shard thread (a worker_threads Worker that a run's task starts, see
// ./task.ts and ./parallel/): builds its kernels and network, says 'ready', then computes its slice of
// every batch until the leader stops it. Failures are reported through the shared channel, so the
// leader fails the run with this shard's message instead of waiting for it.
import { parentPort, workerData } from 'node:worker_threads';
import type { KernelName, TrainConfig } from '../shared/training';
import type { ChannelBuffers } from './parallel/channel';
import { openChannel, reportFailure, STATUS_EXITED, STATUS_FAILED } from './parallel/channel';
import { defaultAllocator } from './core/buffers';
import { createShard, type ShardSetup } from './parallel/shard';
import { backendFor } from './task';

export interface ShardTaskData {
  channel: ChannelBuffers;
  setup: ShardSetup;
  kernels: KernelName;
  /** The config and data shape the shard's backend is sized for (its own batch slice). */
  sizing: { config: TrainConfig; rows: number; inputSize: number; classes: number };
}

const input = workerData as ShardTaskData;
const ch = openChannel(input.channel);
const index = input.setup.index;
process.on('exit', (code) => reportFailure(ch, index, STATUS_EXITED, `the thread exited (code ${code}) while the run needed it`));
try {
  const { config, ...data } = input.sizing;
  const { kernels, allocator } = backendFor(input.kernels, config, data);
  const loop = createShard(ch, input.setup, kernels, allocator ?? defaultAllocator);
  parentPort!.postMessage({ type: 'ready' });
  loop();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  reportFailure(ch, index, STATUS_FAILED, message);
  parentPort!.postMessage({ type: 'failed', message });
}
