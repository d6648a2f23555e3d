// The training pool: one Piscina pool of worker threads (as many as there are cores), created on first
// use and destroyed on quit. Each task runs one training run (src/worker/task.ts) and reports over its
// own MessagePort; the port is closed only after the task has settled, so the last message is never lost.
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { type TrainMessage, type TrainResult, TRAINING_THREAD_IDLE_MS } from '../../shared/training';
import type { TrainTaskInput } from '../../worker/task';
import { unpackedPath } from '../packaged-paths';
import { limitInlining } from '../v8-flags';
import { enableRelaxedSimd } from '../wasm-features';

export type TaskInput = Omit<TrainTaskInput, 'port'>;

/** How long to wait for the 'done' message once the task has returned. */
const DONE_GRACE_MS = 2000;

export interface TrainingPool {
  /** How many runs may train at once. */
  readonly threads: number;
  run: (input: TaskInput, onMessage: (message: TrainMessage) => void) => Promise<TrainResult>;
  destroy: () => Promise<void>;
}


/**
 * Forwards a task's messages to onMessage. The task posts 'done' before it returns, but the port and the
 * task's result travel separately: waitForDone() waits for 'done' (bounded) so the last message is never lost.
 */
export function listenUntilDone(port: MessagePort, onMessage: (message: TrainMessage) => void): { waitForDone: () => Promise<void>; close: () => void } {
  let sawDone!: () => void;
  const done = new Promise<void>((resolve) => (sawDone = resolve));
  port.on('message', (message: TrainMessage) => {
    onMessage(message);
    if (message.type === 'done') sawDone();
  });
  return {
    waitForDone: () => Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, DONE_GRACE_MS).unref())]),
    close: () => port.close(),
  };
}

export function createTrainingPool(workerFile: string, threads = Math.max(1, availableParallelism())): TrainingPool {
  enableRelaxedSimd(); // before any worker compiles the kernels (V8 flags are per process)
  limitInlining(); // before any training thread's JavaScript is optimized (src/main/v8-flags.ts)
  let pool: Piscina | undefined;
  const get = () => (pool ??= new Piscina({ filename: unpackedPath(workerFile), minThreads: 0, maxThreads: threads, idleTimeout: TRAINING_THREAD_IDLE_MS }));
  return {
    threads,
    run: async (input, onMessage) => {
      const { port1, port2 } = new MessageChannel();
      const listener = listenUntilDone(port1, onMessage);
      try {
        const result = (await get().run({ ...input, port: port2 }, { transferList: [port2] })) as TrainResult;
        await listener.waitForDone();
        return result;
      } finally {
        listener.close();
      }
    },
    destroy: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
