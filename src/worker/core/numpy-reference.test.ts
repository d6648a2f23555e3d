// Our training step against the NumPy reference (../shared/bench/numpy_ref.py): the same network (one ReLU hidden
// layer, softmax cross-entropy), the same starting weights and batches, and each optimizer's update written as that
// script writes it, in float32. NumPy sums in another order (OpenBLAS), so the two agree within float32 rounding,
// not bit for bit; the test would catch a wrong gradient, a missing bias correction, a mean taken over the wrong
// count (an epoch's short last batch) or an optimizer that drifts from the reference's formula.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonWith } from '../../shared/test-support';
import { type OptimizerName, presetConfig, type TrainConfig } from '../../shared/training';
import { mnistDigits } from './test-support';
import { Trainer } from './trainer';

const python = pythonWith('numpy');
const dir = mkdtempSync(join(tmpdir(), 'mlp-numpy-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The reference's step, as numpy_ref.py writes it (its fwd, its loss, dz2, the gradients G and the four updates),
 * run from our starting weights on our batches, in float32 (as the bench runs it) and in float64. In: a JSON file
 * {X, Y, W1 [784, H], b1, W2 [H, 10], b2, batches, opt, lr, beta1, beta2, eps}; out: {float32: run, float64: run},
 * each run {losses: each batch's mean loss, W1, b1, W2, b2} after the last batch.
 */
const REFERENCE_STEPS = `
import json, sys, numpy as np
a = json.load(open(sys.argv[1]))
def run(dt):
    X = np.array(a['X'], dtype=np.uint8).reshape(-1, 784).astype(dt) / dt(255); Y = np.array(a['Y'], dtype=np.int64)
    H = len(a['b1'])
    P = [np.array(a['W1'], dt).reshape(784, H), np.array(a['b1'], dt), np.array(a['W2'], dt).reshape(H, 10), np.array(a['b2'], dt)]
    M = [np.zeros_like(q) for q in P]; V = [np.zeros_like(q) for q in P]
    b1m, b2m, eps, t, lr, opt = dt(a['beta1']), dt(a['beta2']), dt(a['eps']), 0, dt(a['lr']), a['opt']
    def fwd(x):
        z1 = x @ P[0] + P[1]; a1 = np.maximum(z1, 0); z2 = a1 @ P[2] + P[3]
        z2 = z2 - z2.max(1, keepdims=True); e = np.exp(z2); return z1, a1, e / e.sum(1, keepdims=True)
    losses = []
    for idx in a['batches']:
        x = X[idx]; y = Y[idx]; m = len(idx)
        z1, a1, p_ = fwd(x)
        losses.append(float(-np.log(p_[np.arange(m), y]).sum() / m))
        dz2 = p_.copy(); dz2[np.arange(m), y] -= 1; dz2 /= m
        G = [None, None, a1.T @ dz2, dz2.sum(0)]
        dz1 = (dz2 @ P[2].T) * (z1 > 0)
        G[0] = x.T @ dz1; G[1] = dz1.sum(0)
        t += 1
        for i in range(4):
            if opt == 'sgd': P[i] -= lr * G[i]
            elif opt == 'momentum': M[i] = b1m * M[i] + (1 - b1m) * G[i]; P[i] -= lr * M[i]
            elif opt == 'rmsprop': V[i] = b2m * V[i] + (1 - b2m) * G[i] ** 2; P[i] -= lr * G[i] / (np.sqrt(V[i]) + eps)
            else:
                M[i] = b1m * M[i] + (1 - b1m) * G[i]; V[i] = b2m * V[i] + (1 - b2m) * G[i] ** 2
                P[i] -= lr * (M[i] / (1 - b1m ** t)) / (np.sqrt(V[i] / (1 - b2m ** t)) + eps)
    return {'losses': losses, 'W1': P[0].ravel().tolist(), 'b1': P[1].tolist(), 'W2': P[2].ravel().tolist(), 'b2': P[3].tolist()}
print(json.dumps({'float32': run(np.float32), 'float64': run(np.float64)}))
`;

/** One run of the reference: each batch's mean loss, and the weights after the last. */
interface ReferenceRun {
  losses: number[];
  W1: number[];
  b1: number[];
  W2: number[];
  b2: number[];
}

/** The reference's name for each of our optimizers. */
const REFERENCE_NAME: Record<OptimizerName, string> = { gd: 'sgd', momentum: 'momentum', rmsprop: 'rmsprop', adam: 'adam' };

/** The largest |a − b| over two arrays of the same length. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
  return most;
}

describe.skipIf(!python)('our training step against the NumPy reference, numpy_ref.py (skipped: python3 with numpy is not installed)', () => {
  const data = mnistDigits(60, 7); // 600 digits: 100 dev rows, 500 to train, 8 batches of 64 an epoch (the last of 52)

  for (const [optimizer, learningRate] of [['adam', 0.001], ['gd', 0.1], ['momentum', 0.1], ['rmsprop', 0.001]] as const) {
    it(`${optimizer}: the same batch losses and, after 3 epochs (24 steps), the same weights within float32 rounding`, () => {
      const config: TrainConfig = { ...presetConfig('standard'), hidden: [{ units: 32, activation: 'relu' }], optimizer, learningRate, batchSize: 64, devRows: 100, duration: { unit: 'epochs', count: 3 }, seed: 5 };
      const trainer = new Trainer(config, data);
      const { W, b } = trainer.net.p;
      const start = { W1: Array.from(W[0]), b1: Array.from(b[0]), W2: Array.from(W[1]), b2: Array.from(b[1]) };
      // Each step's rows, as the Trainer takes them: this epoch's order (redrawn when an epoch ends), 64 at a time.
      const epochOrder = () => (trainer as unknown as { order: Uint32Array }).order;
      const batches: number[][] = [];
      const losses: number[] = [];
      while (!trainer.done) {
        const from = trainer.stepInEpoch * trainer.batchSize;
        batches.push(Array.from(epochOrder().subarray(from, from + trainer.nextBatchRows)));
        losses.push(trainer.step());
      }
      expect(batches.map((rows) => rows.length)).toEqual([64, 64, 64, 64, 64, 64, 64, 52, 64, 64, 64, 64, 64, 64, 64, 52, 64, 64, 64, 64, 64, 64, 64, 52]);
      expect(batches.flat().every((row) => row >= 100)).toBe(true); // never a dev row

      const input = join(dir, `${optimizer}.json`);
      writeFileSync(input, JSON.stringify({ X: Array.from(data.pixels), Y: Array.from(data.labels), ...start, batches, opt: REFERENCE_NAME[optimizer], lr: learningRate, beta1: config.beta1, beta2: config.beta2, eps: config.epsilon }));
      const reference = JSON.parse(execFileSync(python!, ['-c', REFERENCE_STEPS, input], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { float32: ReferenceRun; float64: ReferenceRun };

      // It learns; and against the reference in float64, ours is as close as the reference in float32 is (within 4×:
      // both sum in float32, in other orders). RMSprop without bias correction moves a weight whose gradient is
      // near 0 by up to lr / √(1 − β₂), whatever its sign, so rounding shows most there (1e-4 in W1 for both).
      expect(losses[23]).toBeLessThan(losses[0] * 0.8);
      const exact = reference.float64;
      const asFloat32Does = (ours: ArrayLike<number>, theirs: ArrayLike<number>, truth: ArrayLike<number>) => {
        expect(maxDifference(ours, truth)).toBeLessThanOrEqual(4 * maxDifference(theirs, truth) + 1e-7);
      };
      asFloat32Does(losses, reference.float32.losses, exact.losses);
      asFloat32Does(W[0], reference.float32.W1, exact.W1);
      asFloat32Does(b[0], reference.float32.b1, exact.b1);
      asFloat32Does(W[1], reference.float32.W2, exact.W2);
      asFloat32Does(b[1], reference.float32.b2, exact.b2);
      // And they moved: the comparison is of trained weights, not of the start.
      expect(maxDifference(start.W1, exact.W1)).toBeGreaterThan(1e-3);
    });
  }
});
