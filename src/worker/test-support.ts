// The training task's tests' data and driver (./task.test.ts, ./task-memory.test.ts): a learnable synthetic data
// set, a small config, and the task called in-process with a real MessageChannel and control flag.
import { MessageChannel } from 'node:worker_threads';
import type { DatasetData } from '../shared/dataset';
import { presetConfig, type TrainConfig, type TrainMessage } from '../shared/training';
import { Rng } from './core/rng';
import trainTask, { type TrainTaskInput } from './task';

/** 4×4 images of 3 classes: class k lights up row k (plus noise). Learnable in a few steps. */
export function synthetic(rows: number, seed: number): DatasetData {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(new SharedArrayBuffer(rows * 16));
  const labels = new Uint8Array(new SharedArrayBuffer(rows));
  for (let r = 0; r < rows; r++) {
    const k = rng.below(3);
    labels[r] = k;
    for (let i = 0; i < 16; i++) pixels[r * 16 + i] = Math.floor(rng.uniform() * 60) + (Math.floor(i / 4) === k ? 180 : 0);
  }
  return { pixels, labels, rows, width: 4, height: 4, classes: 3 };
}

export const asTraining = (d: DatasetData) => ({ pixels: d.pixels, labels: d.labels!, rows: d.rows, inputSize: d.width * d.height, classes: d.classes });

export const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  ...presetConfig('standard'),
  hidden: [{ units: 8, activation: 'tanh' }],
  learningRate: 0.01,
  batchSize: 16,
  devRows: 60,
  duration: { unit: 'epochs', count: 3 },
  ...overrides,
});

/** Runs the task (`task`: the built one, whose data-parallel runs can start their shard threads); resolves
 *  with its result and every message, in order, up to 'done'. */
export async function run(input: Partial<TrainTaskInput> & { onMessage?: (m: TrainMessage, control: Int32Array) => void; task?: typeof trainTask }) {
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(4));
  const messages: TrainMessage[] = [];
  const done = new Promise<void>((resolve) => {
    port2.on('message', (m: TrainMessage) => {
      messages.push(m);
      if (m.type === 'done') resolve();
    });
  });
  try {
    const onMessage = input.onMessage;
    const post = onMessage ? (m: TrainMessage) => onMessage(m, control) : null;
    // the in-process stand-in for the port lets a test react between steps, as the main thread would
    const port = post ? { postMessage: (m: TrainMessage) => (post(m), port1.postMessage(m)) } : port1;
    const { task = trainTask, ...rest } = input;
    const result = await task({ config: config(), train: synthetic(300, 1), control, ...rest, port: port as TrainTaskInput['port'] });
    await done;
    return { result, messages };
  } finally {
    port1.close();
  }
}

