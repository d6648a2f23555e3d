// The model files against independent readers: a small zip + npy reader here, and — where Python with NumPy is
// installed — NumPy itself, which must load both files and predict what our network predicts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base64ToBytes } from './api/wire';
import { layerViews, MODEL_FORMAT_VERSION, modelFileName, modelJson, modelJsonBytes, modelNpz, type ModelSource, parseModelJson, predictionsFileName } from './model-file';
import { crc32, npyBytes, zipStored } from './npz';
import { pythonWith } from './test-support';
import { presetConfig } from './training';

/** The files of a stored zip, read from its central directory (and each local header checked against it). */
function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const size = view.getUint32(at + 24, true), nameLength = view.getUint16(at + 28, true), local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint16(local + 8, true)).toBe(0); // stored
    const data = bytes.subarray(local + 30 + view.getUint16(local + 26, true), local + 30 + view.getUint16(local + 26, true) + size);
    expect(crc32(data)).toBe(view.getUint32(at + 16, true));
    files.set(name, data);
    at += 46 + nameLength;
  }
  return files;
}

/** An .npy's shape and values (float32, C order, as npyBytes writes them). */
function readNpy(bytes: Uint8Array): { shape: number[]; values: Float32Array } {
  expect([...bytes.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  const headerLength = bytes[8] | (bytes[9] << 8);
  expect((10 + headerLength) % 64).toBe(0);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \([\d, ]*\), \} *\n$/);
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').filter((s) => s.trim()).map(Number);
  const data = bytes.slice(10 + headerLength);
  return { shape, values: new Float32Array(data.buffer) };
}

/** A small trained-looking model: 3×2 images, 4 hidden units (tanh), 3 classes, weights 0.01·(i − 20). */
function source(overrides: Partial<ModelSource> = {}): ModelSource {
  const layerSizes = [6, 4, 3];
  const params = Float32Array.from({ length: 6 * 4 + 4 + 4 * 3 + 3 }, (_, i) => 0.01 * (i - 20));
  return {
    name: 'adam 0.001 · 4 tanh',
    config: { ...presetConfig('standard'), hidden: [{ units: 4, activation: 'tanh' }] },
    layerSizes,
    params,
    image: { width: 3, height: 2 },
    labels: ['zero', 'one', 'two'],
    trained: { epochs: 2.5, steps: 40, dataset: 'tiny.csv' },
    metrics: { devAccuracy: 0.5, bestDevAccuracy: 0.75, testAccuracy: null },
    ...overrides,
  };
}

/** Class probabilities of one image (0–255 grey levels) by the source's weights: the network's own rule. */
function predict(m: ModelSource, pixels: number[]): number[] {
  let x = pixels.map((p) => p / 255);
  layerViews(m.layerSizes, m.params).forEach(({ weight, bias, outputs }, l) => {
    const z = Array.from({ length: outputs }, (_, o) => bias[o] + x.reduce((s, xi, i) => s + xi * weight[i * outputs + o], 0));
    x = l < m.config.hidden.length ? z.map((v) => (m.config.hidden[l].activation === 'relu' ? Math.max(0, v) : m.config.hidden[l].activation === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v)))) : z;
  });
  const max = Math.max(...x);
  const e = x.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('npz', () => {
  it('crc32 is the zip one', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('an .npy header is padded to 64 bytes and names the shape; a vector gets a 1-tuple', () => {
    expect(readNpy(npyBytes([2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)))).toEqual({ shape: [2, 3], values: Float32Array.of(1, 2, 3, 4, 5, 6) });
    expect(new TextDecoder().decode(npyBytes([3], Float32Array.of(1, 2, 3)).subarray(10, 70))).toContain("'shape': (3,)");
    expect(() => npyBytes([2, 2], Float32Array.of(1, 2, 3))).toThrow('npy: shape (2, 2) holds 4 values, got 3');
  });

  it('a stored zip holds each file whole, with its name and CRC, and the same files give the same bytes', () => {
    const files = [{ name: 'a.npy', data: Uint8Array.of(1, 2, 3) }, { name: 'b.npy', data: new Uint8Array(0) }];
    const zip = readZip(zipStored(files));
    expect([...zip.keys()]).toEqual(['a.npy', 'b.npy']);
    expect([...zip.get('a.npy')!]).toEqual([1, 2, 3]);
    expect(zipStored(files)).toEqual(zipStored(files));
  });
});

describe('model files', () => {
  it('the .json keeps the architecture, preprocessing, class names, config, metrics and the weights bit for bit', () => {
    const m = source();
    const file = JSON.parse(modelJson(m));
    expect(file).toMatchObject({
      format: 'mlp-studio-model',
      version: MODEL_FORMAT_VERSION,
      name: 'adam 0.001 · 4 tanh',
      input: { width: 3, height: 2, scale: 1 / 255 },
      layers: [{ inputs: 6, outputs: 4, activation: 'tanh' }, { inputs: 4, outputs: 3, activation: 'softmax' }],
      labels: ['zero', 'one', 'two'],
      training: { config: m.config, epochs: 2.5, steps: 40, dataset: 'tiny.csv' },
      metrics: { devAccuracy: 0.5, bestDevAccuracy: 0.75, testAccuracy: null },
      weights: { dtype: 'float32', byteOrder: 'little' },
    });
    const bytes = base64ToBytes(file.weights.base64);
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)).toEqual(m.params);
  });

  it('the .json is what JSON.stringify writes, the weights spliced in as bytes, whatever the names hold', () => {
    // Names that hold the line the weights are spliced at, quotes, newlines and non-ASCII text.
    const tricky = '\n  "base64": "" \\" ünïcode 数字';
    const m = source({ name: tricky, labels: [tricky, '"base64": ""', 'two'], trained: { epochs: 1, steps: 9, dataset: tricky } });
    const text = modelJson(m);
    const file = JSON.parse(text);
    expect(text).toBe(JSON.stringify(file, null, 1) + '\n');
    expect(file.name).toBe(tricky);
    expect(file.labels[1]).toBe('"base64": ""');
    const bytes = base64ToBytes(file.weights.base64);
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)).toEqual(m.params);
    expect(new TextDecoder().decode(modelJsonBytes(m))).toBe(text);
  });

  it('the .npz has W and b per layer in the notebook orientation: W [outputs, inputs], b [outputs, 1]', () => {
    const m = source();
    const zip = readZip(modelNpz(m));
    expect([...zip.keys()]).toEqual(['W1.npy', 'b1.npy', 'W2.npy', 'b2.npy']);
    const W1 = readNpy(zip.get('W1.npy')!), b2 = readNpy(zip.get('b2.npy')!);
    expect(W1.shape).toEqual([4, 6]);
    expect(readNpy(zip.get('W2.npy')!).shape).toEqual([3, 4]);
    expect(b2.shape).toEqual([3, 1]);
    const [first, second] = layerViews(m.layerSizes, m.params);
    expect(W1.values[1 * 6 + 5]).toBe(first.weight[5 * 4 + 1]); // unit 1's weight on pixel 5
    expect(b2.values).toEqual(second.bias);
  });

  it('refuses a source whose sizes do not agree, naming them', () => {
    expect(() => modelJson(source({ labels: ['a', 'b'] }))).toThrow('cannot write the model: 2 class names for 3 classes');
    expect(() => modelNpz(source({ image: { width: 2, height: 2 } }))).toThrow('2×2 images do not make the 6 inputs');
    expect(() => modelJson(source({ params: new Float32Array(3) }))).toThrow('layers 6-4-3 have 43 parameters, the weights hold 3');
  });

  it('file names: the run name without what file systems refuse, and the extension', () => {
    expect(modelFileName('adam 0.001 · 128 relu', 'npz')).toBe('adam 0.001 · 128 relu.npz');
    expect(modelFileName('a/b: c?*', 'json')).toBe('a b c.json');
    expect(modelFileName(' .. ', 'json')).toBe('model.json');
    expect(predictionsFileName('fashion_test.csv', 'adam 0.001 · 128 relu')).toBe('fashion_test predicted by adam 0.001 · 128 relu.csv');
    expect(predictionsFileName('train-images-idx3-ubyte.gz', 'a/b')).toBe('train-images-idx3-ubyte predicted by a b.csv');
    expect(predictionsFileName('letters.csv', 'adam 0.001 · 128 relu · letters.csv')).toBe('letters predicted by adam 0.001 · 128 relu · letters.csv');
  });
});

describe('reading a model file back', () => {
  it('gives back what was written, bit for bit', () => {
    const m = source();
    expect(parseModelJson(modelJson(m))).toEqual({ ...m, labels: [...m.labels] });
  });

  /** The written file with one change made to its parsed object, as text again. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed file, edited field by field
  const edited = (change: (file: any) => void) => {
    const file = JSON.parse(modelJson(source()));
    change(file);
    return JSON.stringify(file);
  };
  const weightsOf = (values: number[]) => Buffer.from(Float32Array.from(values).buffer).toString('base64');

  it.each([
    ['{"format":', /^not JSON: /],
    ['[1, 2]', /^not an MLP Studio model file \(its "format" is missing/],
    [JSON.stringify({ format: 'onnx' }), 'not an MLP Studio model file (its "format" is "onnx", not "mlp-studio-model")'],
    [edited((f) => (f.version = 2)), /^version: Invalid type: Expected 1/],
    [edited((f) => delete f.layers), 'layers: missing'],
    [edited((f) => (f.layers[1].inputs = 5)), 'layers[1].inputs is 5, but layers[0].outputs is 4'],
    [edited((f) => (f.layers[0].activation = 'softmax')), 'layers[0].activation is softmax: the last layer\'s is softmax, and only its'],
    [edited((f) => (f.layers[1].activation = 'gelu')), /^layers\[1\]\.activation: Invalid type/],
    [edited((f) => (f.input.width = 2)), 'input is 2×2 = 4 pixels, but layers[0].inputs is 6'],
    [edited((f) => (f.training.config.hidden[0].units = 5)), 'training.config.hidden (5 tanh) does not match the layers'],
    [edited((f) => f.labels.pop()), 'labels has 2 names for 3 classes'],
    [edited((f) => (f.weights.base64 = weightsOf([1, 2, 3]))), 'weights.base64 holds 12 bytes; layers 6-4-3 need 172 (43 float32)'],
    [edited((f) => (f.weights.base64 = 'ab$d')), 'weights.base64: invalid base64 character at 2'],
    [edited((f) => (f.weights.base64 = weightsOf([...Array(42).fill(0), NaN]))), 'weights: number 42 is NaN; a model\'s weights are finite'],
    [edited((f) => (f.training.config.learningRate = -1)), /^training\.config\.learningRate: /],
  ])('refuses %#, saying what is wrong and where', (text, message) => {
    expect(() => parseModelJson(text)).toThrow(message);
  });
});

const python = pythonWith('numpy');

describe.skipIf(!python)('model files in NumPy (skipped: python3 with numpy is not installed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('np.load opens the .npz, the .json weights decode to the same arrays, and both predict what our network does', () => {
    const m = source();
    writeFileSync(join(dir, 'm.npz'), modelNpz(m));
    writeFileSync(join(dir, 'm.json'), modelJson(m));
    const images = [[0, 0, 0, 0, 0, 0], [255, 0, 128, 7, 0, 255], [12, 34, 56, 78, 90, 255]];
    const script = `
import base64, json, sys
import numpy as np
z = np.load(sys.argv[1])
X = np.array(json.loads(sys.argv[3]), dtype=np.float32).T / 255   # [inputs, images], as the notebook's X
A = np.tanh(z['W1'] @ X + z['b1'])
Z = z['W2'] @ A + z['b2']
P = np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
m = json.load(open(sys.argv[2]))
w = np.frombuffer(base64.b64decode(m['weights']['base64']), dtype='<f4')
same = bool(np.array_equal(w[:24].reshape(6, 4).T, z['W1'])) and bool(np.array_equal(w[24:28], z['b1'][:, 0]))
print(json.dumps({'keys': sorted(z.files), 'dtype': str(z['W1'].dtype), 'same': same, 'probs': P.T.tolist()}))
`;
    const out = JSON.parse(execFileSync(python!, ['-c', script, join(dir, 'm.npz'), join(dir, 'm.json'), JSON.stringify(images)], { encoding: 'utf8' }));
    expect(out).toMatchObject({ keys: ['W1', 'W2', 'b1', 'b2'], dtype: 'float32', same: true });
    images.forEach((image, i) => {
      const ours = predict(m, image);
      out.probs[i].forEach((p: number, k: number) => expect(p).toBeCloseTo(ours[k], 5));
    });
  });
});
