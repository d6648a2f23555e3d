// The .onnx file against ONNX Runtime (its WebAssembly build, run in Node): it loads the file and gives the
// probabilities the app's own network gives, for each hidden activation and for two hidden layers; and, where
// Python has the onnx package, the ONNX checker (with shape inference) accepts the file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { createPredictor } from '../main/runs/predictor';
import type { ModelSource } from './model-file';
import { modelOnnx } from './onnx';
import { pythonWith } from './test-support';
import { type Activation, presetConfig, type TrainerState } from './training';

ort.env.wasm.numThreads = 1;

/** A 4×4-image model with the given hidden layers, weights from a fixed formula. */
function source(hidden: { units: number; activation: Activation }[]): ModelSource {
  const layerSizes = [16, ...hidden.map((h) => h.units), 3];
  let count = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) count += layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1];
  return {
    name: 'test',
    config: { ...presetConfig('standard'), hidden },
    layerSizes,
    params: Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.7) * 0.3),
    image: { width: 4, height: 4 },
    labels: ['a', 'b', 'c'],
    trained: { epochs: 1, steps: 10, dataset: 'd' },
    metrics: { devAccuracy: null, bestDevAccuracy: null, testAccuracy: null },
  };
}

const images = [new Array(16).fill(0), Array.from({ length: 16 }, (_, i) => (i * 37) % 256), Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 255 : 0))];

describe('the .onnx model in ONNX Runtime', () => {
  it.each<[string, { units: number; activation: Activation }[]]>([
    ['relu', [{ units: 8, activation: 'relu' }]],
    ['sigmoid', [{ units: 8, activation: 'sigmoid' }]],
    ['tanh and relu, two hidden layers', [{ units: 8, activation: 'tanh' }, { units: 5, activation: 'relu' }]],
  ])('%s: the probabilities our network gives, for a batch of images', async (_name, hidden) => {
    const m = source(hidden);
    const session = await ort.InferenceSession.create(modelOnnx(m));
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['probabilities']);
    const pixels = new ort.Tensor('float32', Float32Array.from(images.flat()), [images.length, 16]);
    const { probabilities } = await session.run({ pixels });
    expect(probabilities.dims).toEqual([images.length, 3]);
    const ours = createPredictor(m.config, { layerSizes: m.layerSizes, params: m.params } as TrainerState);
    images.forEach((image, i) => {
      const expected = ours(Uint8Array.from(image));
      for (let k = 0; k < 3; k++) expect((probabilities.data as Float32Array)[i * 3 + k]).toBeCloseTo(expected[k], 5);
    });
    await session.release();
  });
});

const onnxChecker = pythonWith('onnx');

describe.skipIf(!onnxChecker)('the .onnx model in the ONNX checker (skipped: no Python with the onnx package)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-onnx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes onnx.checker with shape inference, and infers the output [N, classes]', () => {
    const path = join(dir, 'm.onnx');
    writeFileSync(path, modelOnnx(source([{ units: 8, activation: 'tanh' }, { units: 5, activation: 'relu' }])));
    const script = `
import sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
dims = m.graph.output[0].type.tensor_type.shape.dim
print([d.dim_param or d.dim_value for d in dims], [n.op_type for n in m.graph.node])
`;
    expect(execFileSync(onnxChecker!, ['-c', script, path], { encoding: 'utf8' }).trim()).toBe("['N', 3] ['Mul', 'Gemm', 'Tanh', 'Gemm', 'Relu', 'Gemm', 'Softmax']");
  });
});
