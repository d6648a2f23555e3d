// Runs one training task in a worker thread through Piscina (the same task the app's pool runs) and
// forwards its messages. The built worker entry sits beside the built CLI: out/main/worker.js.
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { TrainMessage, TrainResult } from '../../shared/training';
import type { TrainTaskInput } from '../../worker/task';

export type TaskRequest = Omit<TrainTaskInput, 'port'>;

/** Runs the task; calls onMessage for every message, the 'done' one included, before resolving. */
export type TaskRunner = (request: TaskRequest, onMessage: (message: TrainMessage) => void) => Promise<TrainResult>;

/** How long to wait for the 'done' message after the task resolved (it is posted before returning). */
const DONE_GRACE_MS = 2000;

/** Pipes a port's messages to onMessage until 'done'; returns a promise of that moment and a closer. */
export function listen(port: MessagePort, onMessage: (message: TrainMessage) => void) {
  let sawDone!: () => void;
  const done = new Promise<void>((resolve) => (sawDone = resolve));
  port.on('message', (message: TrainMessage) => {
    onMessage(message);
    if (message.type === 'done') sawDone();
  });
  const waitForDone = () => Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, DONE_GRACE_MS).unref())]);
  return { waitForDone, close: () => port.close() };
}

export const piscinaRunner: TaskRunner = async (request, onMessage) => {
  const pool = new Piscina({ filename: fileURLToPath(new URL('./worker.js', import.meta.url)), minThreads: 1, maxThreads: 1 });
  const { port1, port2 } = new MessageChannel();
  const listener = listen(port2, onMessage);
  try {
    const input: TrainTaskInput = { ...request, port: port1 };
    const result = (await pool.run(input, { transferList: [port1] })) as TrainResult;
    await listener.waitForDone();
    return result;
  } finally {
    listener.close();
    await pool.destroy();
  }
};
