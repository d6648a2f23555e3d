// The Piscina task entry: runs one training run in a worker thread. Thin on purpose — the logic is in
// ./core/run.ts; this file adapts it to Node (the MessagePort, the clock) and checks its input.
import type { MessagePort } from 'node:worker_threads';
import type { DatasetData } from '../shared/dataset';
import { type KernelName, parseTrainConfig, type SplitName, type TrainConfig, type TrainerState, type TrainResult } from '../shared/training';
import type { Allocator } from './core/buffers';
import { naiveKernels, type Kernels } from './core/kernels';
import { plainKernels } from './core/kernels-plain';
import { runTraining } from './core/run';
import type { TrainingData } from './core/trainer';
import { trainerFloat32Lengths } from './core/sizing';
import { openChannel } from './parallel/channel';
import { Leader } from './parallel/leader';
import { ThreadChoice, type ThreadChoiceOptions } from './parallel/thread-choice';
import { threadBackend } from './parallel/memory';
import { chooseSplit, planParallelRun } from './parallel/plan';
import { type ShardThread, shardThread } from './shard-threads';
import { yieldToTheUi } from './thread-priority';
import { createWasmSimdBackend, returnSpareMemory, sharedMemorySupported, wasmFloatsFor, wasmSimdSupported } from './wasm';

export interface TrainTaskInput {
  config: TrainConfig;
  /** The training file; its first config.devRows rows are the dev set. Labels required. */
  train: DatasetData;
  /** A separate labelled test set, evaluated after every epoch. */
  test?: DatasetData | null;
  /** Receives TrainMessage objects ('step', 'epoch', then 'done'); the caller closes it after 'done'. */
  port: MessagePort;
  /** Int32Array on a SharedArrayBuffer: [0] = 0 run, 1 pause, 2 stop (see CONTROL). The training thread reads it
   *  between steps; whoever changes it also calls Atomics.notify on [0] (the CLI's managed runner waits on it). */
  control: Int32Array;
  /** Resume from a checkpoint (an 'epoch' message's state). */
  state?: TrainerState | null;
  /** Default: preferredKernels() (WASM SIMD where available). */
  kernels?: KernelName;
  /** Threads this one run trains on (data-parallel, see ./parallel/); default 1 = this thread alone. */
  threads?: number;
  /** How a run on several threads divides a step (default: chooseSplit's choice): 'inputs' = the first
   *  layer's input columns (./parallel/input-split.ts), 'batch' = the batch's rows (./parallel/step.ts). */
  split?: SplitName;
  /** Tests only: shard thread 1 throws at its step `failAtStep`. */
  shardFailAtStep?: number;
  /** How the leader of a run on several threads decides whether its shards take part in a step
   *  (./parallel/thread-choice.ts; default: its defaults); null: they always do. Tests set short windows. */
  threadChoice?: ThreadChoiceOptions | null;
}

/** The kernels to use when none are named: WebAssembly SIMD where this runtime has it, else plain TS. */
export function preferredKernels(): KernelName {
  return wasmSimdSupported() ? 'wasm' : 'plain';
}

/** Kernels, the allocator that goes with them, and what to call when the run is over. */
export interface RunBackend {
  kernels: Kernels;
  allocator?: Allocator;
  /** The run is over: nothing uses the kernels, the allocator or their arrays any more (a data-parallel run's
   *  shard threads are let go; the WASM memory goes back to the thread). */
  release: () => void | Promise<void>;
}

/**
 * The kernels a run trains with. The WASM backend needs every buffer in its linear memory, sized up front
 * for this config and data (trainerFloat32Lengths), so it is made per run — on the memory the thread's
 * previous run gave back when it is large enough (./wasm/spare-memory.ts).
 */
export function backendFor(name: KernelName, config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>): RunBackend {
  const nothing = () => {};
  if (name === 'plain') return { kernels: plainKernels, release: nothing };
  if (name === 'naive') return { kernels: naiveKernels, release: nothing };
  if (name !== 'wasm') throw new TypeError(`unknown kernels '${String(name)}' (have: wasm, plain, naive)`);
  if (!wasmSimdSupported()) throw new Error('WebAssembly SIMD is not available in this runtime; use the plain kernels');
  const backend = createWasmSimdBackend({ maxFloats: wasmFloatsFor(trainerFloat32Lengths(config, data)) });
  return { kernels: backend.kernels, allocator: backend.allocator, release: backend.release };
}

export default async function trainTask(input: TrainTaskInput): Promise<TrainResult> {
  yieldToTheUi();
  const config = parseTrainConfig(input.config);
  const { train, test } = input;
  if (!train.labels) throw new TypeError('The training data has no labels: a labelled file is needed to train');
  const inputSize = train.width * train.height;
  if (test) {
    if (!test.labels) throw new TypeError('The test data has no labels: a labelled test file is needed to measure accuracy');
    if (test.width !== train.width || test.height !== train.height) {
      throw new TypeError(`The test images are ${test.width}×${test.height}, the training images ${train.width}×${train.height}`);
    }
  }
  const trainingData = { pixels: train.pixels, labels: train.labels, rows: train.rows, inputSize, classes: train.classes };
  const kernels = input.kernels ?? preferredKernels();
  const threads = input.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw new RangeError(`threads must be an integer from 1 to ${MAX_THREADS}, got ${threads}`);
  const parallel = threads > 1 ? await startShards(threads, config, trainingData, kernels, input.split ?? chooseSplit(config, trainingData, threads), input.threadChoice, input.shardFailAtStep) : null;
  // data-parallel: the leader's kernels and allocator are thread 0's, on the run's shared memory
  const backend: RunBackend = parallel ? { ...parallel.backend, release: parallel.close } : backendFor(kernels, config, trainingData);
  try {
    return runTraining(
      {
        config,
        train: trainingData,
        test: test?.labels ? { pixels: test.pixels, labels: test.labels, rows: test.rows } : null,
        state: input.state ?? null,
        kernels: backend.kernels,
        allocator: backend.allocator,
        ...(parallel ? { parallel: parallel.leader.parallel } : {}),
      },
      {
        post: (message) => input.port.postMessage(message),
        control: input.control,
        now: () => performance.now(),
      },
    );
  } finally {
    await backend.release();
  }
}

const MAX_THREADS = 64;

/**
 * Lays out and creates the run's shared memory (./parallel/memory.ts), then gives it to threads−1 shard
 * threads (./shard-task.ts, built beside this file) and waits until each has built its network. They are
 * this thread's own workers, not pool tasks, so they can never queue behind other runs; after the run
 * they wait for this thread's next one (./shard-threads.ts).
 */
async function startShards(
  threads: number, config: TrainConfig, data: TrainingData, kernels: KernelName, split: SplitName, choice: ThreadChoiceOptions | null | undefined, failAtStep?: number,
): Promise<{ leader: Leader; backend: { kernels: Kernels; allocator: Allocator }; close: () => Promise<void> }> {
  if (!sharedMemorySupported()) throw new Error(`training one run on ${threads} threads needs SharedArrayBuffer and Atomics, which this runtime lacks; train on 1 thread`);
  const { channel, spec, maxRows, optimizer } = planParallelRun(threads, config, data, kernels, split);
  const shards: ShardThread[] = [];
  const close = async () => {
    leader.stop();
    await Promise.all(shards.map((s) => s.release()));
    // every thread is done with the run's memory: it becomes this thread's spare for its next run, and this
    // thread's backend on it may serve that run (../wasm/backend.ts keptBackend)
    backend.release();
    if (channel.memory instanceof WebAssembly.Memory) returnSpareMemory(channel.memory);
  };
  const ch = openChannel(channel);
  const backend = threadBackend(kernels, channel.memory, channel.layout, 0);
  const leader = new Leader(ch, data, backend.kernels, config, choice === null ? null : new ThreadChoice(choice));
  try {
    for (let index = 1; index < threads; index++) {
      shards.push(
        shardThread({
          channel,
          setup: { index, spec, maxRows, data: { pixels: data.pixels, labels: data.labels }, optimizer, ...(index === 1 && failAtStep ? { failAtStep } : {}) },
          kernels,
        }),
      );
    }
    await Promise.all(shards.map((s) => s.ready));
  } catch (error) {
    await close();
    throw error;
  }
  return { leader, backend, close };
}
