// A training run on the WASM SIMD kernels follows the plain-TS run's loss curve (issue: Speed). Same
// seed, same data, same config; only the kernels (and where the buffers live) differ.
import { beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../shared/training';
import type { TrainConfig } from '../../shared/training';
import { plainKernels } from '../core/kernels-plain';
import { Trainer, type TrainingData } from '../core/trainer';
import type * as WasmModule from './index';
import { loadWasmModule, WASM_BUILDS } from './test-support';

let wasm: typeof WasmModule;

beforeAll(async () => {
  wasm = await loadWasmModule();
}, 120_000);

/** 1,064 synthetic 28×28 images of 10 classes: a class stroke plus noise, about half the pixels 0. */
function syntheticData(): TrainingData {
  const rows = 1064, D = 784;
  const pixels = new Uint8Array(rows * D), labels = new Uint8Array(rows);
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
  for (let r = 0; r < rows; r++) {
    const label = r % 10;
    labels[r] = label;
    for (let i = 0; i < D; i++) {
      const y = Math.floor(i / 28), x = i % 28;
      const stroke = Math.abs(x - 4 - 2 * label) < 3 || Math.abs(y - 4 - 2 * ((label * 3) % 10)) < 2;
      const v = (stroke ? 180 : 0) + next() * 120 - 50;
      pixels[r * D + i] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { pixels, labels, rows, inputSize: D, classes: 10 };
}

function losses(trainer: Trainer, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(trainer.step());
  return out;
}

/**
 * Tolerance: each step's GEMMs differ from the plain ones by float32 rounding (sums in another order,
 * relative ~1e-6), the optimizer by a few ulp; Adam scales updates to about lr regardless of the
 * gradient's size, so after n steps the weights differ by about n·lr·1e-6. Measured over these 48 steps:
 * at most 2e-7 relative in the loss; the bound leaves 50× room. A wrong kernel changes the loss in the
 * first or second decimal within a few steps.
 */
const RELATIVE = 1e-5;

describe('training on the WASM SIMD kernels', () => {
  const data = syntheticData();
  const steps = 48;
  const configs: [string, TrainConfig][] = [];
  const standard = presetConfig('standard');
  configs.push(['standard (Adam, batch 64)', { ...standard, devRows: 64, duration: { unit: 'iterations', count: steps } }]);
  configs.push(['momentum, 2 hidden layers, batch 100', { ...standard, optimizer: 'momentum', learningRate: 0.05, hidden: [{ units: 40, activation: 'relu' }, { units: 24, activation: 'tanh' }], batchSize: 100, devRows: 64, duration: { unit: 'iterations', count: steps } }]);
  configs.push(['rmsprop, sigmoid', { ...standard, optimizer: 'rmsprop', hidden: [{ units: 33, activation: 'sigmoid' }], devRows: 64, duration: { unit: 'iterations', count: steps } }]);

  for (const [name, config] of configs) {
    for (const build of WASM_BUILDS) for (const sparseBelow of [0, 1]) {
      it(`${name}: the loss curve matches the plain kernels' (${build} build, ${sparseBelow ? 'zero-skipping' : 'dense'} GEMMs)`, () => {
        const plain = new Trainer(config, data, { kernels: plainKernels });
        const be = wasm.createWasmSimdBackend({ build, sparseBelow });
        const fast = new Trainer(config, data, { kernels: be.kernels, allocator: be.allocator });
        expect(fast.net.params).toEqual(plain.net.params); // same seed: the same initial weights
        const a = losses(plain, steps), b = losses(fast, steps);
        for (let i = 0; i < steps; i++) {
          if (!(Math.abs(a[i] - b[i]) <= RELATIVE * a[i])) throw new Error(`step ${i + 1}: loss ${b[i]} on wasm-simd, ${a[i]} on plain`);
        }
        expect(a[steps - 1]).toBeLessThan(0.8 * a[0]); // it learned, so the comparison covers real updates
        const devPlain = plain.evaluateDev()!, devFast = fast.evaluateDev()!;
        expect(Math.abs(devFast.loss - devPlain.loss)).toBeLessThanOrEqual(RELATIVE * devPlain.loss);
      });
    }
  }
});
