// The shard threads of this training thread's multi-threaded runs (./shard-task.ts, built beside this
// file). A thread that ended its run cleanly is kept for the next run, so its compiled code stays warm: a
// new thread's first few hundred steps ran slower (e.g. a middle item 94 µs against 45) and slept more
// often in its waits. An idle thread ends after TRAINING_THREAD_IDLE_MS and never keeps the process alive.
import { Worker } from 'node:worker_threads';
import { TRAINING_THREAD_IDLE_MS } from '../shared/training';
import type { ShardMessage, ShardTaskData } from './shard-task';

/** A shard thread serving one run: ready once its network is built; release() after the run's stop. */
export interface ShardThread {
  ready: Promise<void>;
  release(): Promise<void>;
}

/** How long a stopped run's shard may take to say it is done (ms) before it is ended instead of kept. */
const SHARD_DONE_MS = 10_000;

/** Threads that served a run without failing, each with the timer that ends it. */
const idle: { worker: Worker; timer: ReturnType<typeof setTimeout> }[] = [];

/** A thread for shard `data.setup.index` of a run: a kept one given the run's data, or a new one. */
export function shardThread(data: ShardTaskData): ShardThread {
  const { index } = data.setup;
  const kept = idle.pop();
  let w: Worker;
  if (kept) {
    clearTimeout(kept.timer);
    w = kept.worker;
    w.ref();
    w.postMessage(data);
  } else {
    const created = new Worker(new URL('./shard-task.js', import.meta.url), { workerData: data });
    created.on('error', () => {}); // reported through the channel (or below, before 'ready')
    created.on('exit', () => forget(created));
    w = created;
  }
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
  ready.catch(() => {}); // awaited by the run's task
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
  const timer = setTimeout(() => {
    forget(worker);
    void worker.terminate();
  }, TRAINING_THREAD_IDLE_MS);
  timer.unref();
  idle.push({ worker, timer });
}

/** Drops a thread that ended (or is being ended) from the idle list. */
function forget(worker: Worker): void {
  const at = idle.findIndex((k) => k.worker === worker);
  if (at < 0) return;
  clearTimeout(idle[at].timer);
  idle.splice(at, 1);
}
