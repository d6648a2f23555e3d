// The Piscina task entry: runs one training run in a worker thread. Thin on purpose — the logic is in
// ./core/run.ts; this file adapts it to Node (the MessagePort, the clock) and checks its input.
import { type MessagePort, Worker } from 'node:worker_threads';
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
import { threadBackend } from './parallel/memory';
import { chooseSplit, planParallelRun } from './parallel/plan';
import type { ShardMessage, ShardTaskData } from './shard-task';
import { createWasmSimdBackend, sharedMemorySupported, wasmFloatsFor, wasmSimdSupported } from './wasm';

export interface TrainTaskInput {
  config: TrainConfig;
  /** The training file; its first config.devRows rows are the dev set. Labels required. */
  train: DatasetData;
  /** A separate labelled test set, evaluated after every epoch. */
  test?: DatasetData | null;
  /** Receives TrainMessage objects ('step', 'epoch', then 'done'); the caller closes it after 'done'. */
  port: MessagePort;
  /** Int32Array on a SharedArrayBuffer: [0] = 0 run, 1 pause, 2 stop (see CONTROL). */
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
}

/** The kernels to use when none are named: WebAssembly SIMD where this runtime has it, else plain TS. */
export function preferredKernels(): KernelName {
  return wasmSimdSupported() ? 'wasm' : 'plain';
}

/**
 * Kernels and the allocator that goes with them. The WASM backend needs every buffer in its linear memory,
 * sized up front for this config and data (trainerFloat32Lengths), so it is made per run.
 */
export function backendFor(name: KernelName, config: TrainConfig, data: Pick<TrainingData, 'rows' | 'inputSize' | 'classes'>): { kernels: Kernels; allocator?: Allocator } {
  if (name === 'plain') return { kernels: plainKernels };
  if (name === 'naive') return { kernels: naiveKernels };
  if (name !== 'wasm') throw new TypeError(`unknown kernels '${String(name)}' (have: wasm, plain, naive)`);
  if (!wasmSimdSupported()) throw new Error('WebAssembly SIMD is not available in this runtime; use the plain kernels');
  const backend = createWasmSimdBackend({ maxFloats: wasmFloatsFor(trainerFloat32Lengths(config, data)) });
  return { kernels: backend.kernels, allocator: backend.allocator };
}

export default async function trainTask(input: TrainTaskInput): Promise<TrainResult> {
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
  const parallel = threads > 1 ? await startShards(threads, config, trainingData, kernels, input.split ?? chooseSplit(config, trainingData, threads), input.shardFailAtStep) : null;
  // data-parallel: the leader's kernels and allocator are thread 0's, on the run's shared memory
  const backend = parallel ? parallel.backend : backendFor(kernels, config, trainingData);
  try {
    return runTraining(
      {
        config,
        train: trainingData,
        test: test?.labels ? { pixels: test.pixels, labels: test.labels, rows: test.rows } : null,
        state: input.state ?? null,
        ...backend,
        ...(parallel ? { parallel: parallel.leader.parallel } : {}),
      },
      {
        post: (message) => input.port.postMessage(message),
        control: input.control,
        now: () => performance.now(),
      },
    );
  } finally {
    await parallel?.close();
  }
}

const MAX_THREADS = 64;

/**
 * Lays out and creates the run's shared memory (./parallel/memory.ts), then gives it to threads−1 shard
 * threads (./shard-task.ts, built beside this file) and waits until each has built its network. They are
 * this thread's own workers, not pool tasks, so they can never queue behind other runs; after the run
 * they wait for this thread's next one (see shardThread).
 */
async function startShards(
  threads: number, config: TrainConfig, data: TrainingData, kernels: KernelName, split: SplitName, failAtStep?: number,
): Promise<{ leader: Leader; backend: { kernels: Kernels; allocator: Allocator }; close: () => Promise<void> }> {
  if (!sharedMemorySupported()) throw new Error(`training one run on ${threads} threads needs SharedArrayBuffer and Atomics, which this runtime lacks; train on 1 thread`);
  const { channel, spec, maxRows, optimizer } = planParallelRun(threads, config, data, kernels, split);
  const shards: ShardThread[] = [];
  const close = async () => {
    leader.stop();
    await Promise.all(shards.map((s) => s.release()));
  };
  const ch = openChannel(channel);
  const backend = threadBackend(kernels, channel.memory, channel.layout, 0);
  const leader = new Leader(ch, data, backend.kernels, config);
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

/** A shard thread serving one run: ready once its network is built; release() after the run's stop. */
interface ShardThread {
  ready: Promise<void>;
  release(): Promise<void>;
}

/** Shard threads that served a run without failing, waiting for this thread's next run. Their compiled
 *  code stays optimised: a new thread's first few hundred steps ran slower (e.g. a middle item 94 µs
 *  against 45) and slept more often in its waits. */
const idleShards: Worker[] = [];
/** An idle shard thread ends after this long (ms) without a run. */
const SHARD_IDLE_MS = 60_000;
/** How long a stopped run's shard may take to say it is done (ms) before it is ended instead of kept. */
const SHARD_DONE_MS = 10_000;
const idleTimers = new Map<Worker, ReturnType<typeof setTimeout>>();

function shardThread(data: ShardTaskData): ShardThread {
  const { index } = data.setup;
  let worker = idleShards.pop();
  if (worker) {
    clearTimeout(idleTimers.get(worker));
    idleTimers.delete(worker);
    worker.ref();
    worker.postMessage(data);
  } else {
    const created = new Worker(new URL('./shard-task.js', import.meta.url), { workerData: data });
    created.on('error', () => {}); // reported through the channel (or below, before 'ready')
    created.on('exit', () => forget(created));
    worker = created;
  }
  const w = worker;
  // Listeners for this run only (a kept thread serves many): removed by release().
  const listeners: ['message' | 'error' | 'exit', (...args: unknown[]) => void][] = [];
  const listen = (event: 'message' | 'error' | 'exit', fn: (...args: never[]) => void) => {
    const handler = fn as unknown as (...args: unknown[]) => void;
    w.on(event, handler);
    listeners.push([event, handler]);
  };
  const ready = new Promise<void>((resolve, reject) => {
    listen('message', (m: ShardMessage) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'failed') reject(new Error(`data-parallel shard thread ${index} could not start: ${m.message}`));
    });
    listen('error', (e: Error) => reject(new Error(`data-parallel shard thread ${index} could not start: ${e.message}`)));
    listen('exit', (code: number) => reject(new Error(`data-parallel shard thread ${index} exited (code ${code}) before it was ready`)));
  });
  ready.catch(() => {}); // awaited by startShards
  // 'done' (not failed) within SHARD_DONE_MS of the stop: kept for the next run; else ended.
  const done = new Promise<boolean>((resolve) => {
    listen('message', (m: ShardMessage) => m.type === 'done' && resolve(!m.failed));
    listen('exit', () => resolve(false));
  });
  return {
    ready,
    async release() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), SHARD_DONE_MS);
      });
      const reusable = await Promise.race([done, timeout]);
      clearTimeout(timer);
      for (const [event, handler] of listeners) w.off(event, handler);
      if (reusable) keep(w);
      else await w.terminate();
    },
  };
}

function keep(worker: Worker): void {
  worker.unref();
  idleShards.push(worker);
  const timer = setTimeout(() => {
    forget(worker);
    void worker.terminate();
  }, SHARD_IDLE_MS);
  timer.unref();
  idleTimers.set(worker, timer);
}

function forget(worker: Worker): void {
  const at = idleShards.indexOf(worker);
  if (at >= 0) idleShards.splice(at, 1);
  clearTimeout(idleTimers.get(worker));
  idleTimers.delete(worker);
}
