// Writing what the Models view exports where a save dialog said: the path is checked before anything is made or written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FORMATS, type ModelSource, parseModelJson } from '../../shared/model-file';
import { presetConfig } from '../../shared/training';
import { buildEntriesForTests } from '../test-support';
import { makeModelFile, modelFile, parseModelJsonBytes, readModelFile, saveExport } from './model-export';
import { modelFileTaskFile, OFF_THREAD_MIN_BYTES, offThreadFile } from './model-file-thread';

const dir = mkdtempSync(join(tmpdir(), 'mlp-model-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source: ModelSource = {
  name: 'adam: 0.001 · 2 relu',
  config: { ...presetConfig('standard'), hidden: [{ units: 2, activation: 'relu' }] },
  layerSizes: [4, 2, 2],
  params: Float32Array.from({ length: 4 * 2 + 2 + 2 * 2 + 2 }, (_, i) => i / 16),
  image: { width: 2, height: 2 },
  labels: ['Sandal', 'Ankle boot'],
  trained: { epochs: 1, steps: 10, dataset: 'fashion.csv' },
  metrics: { devAccuracy: 0.9, bestDevAccuracy: 0.9, testAccuracy: null },
};

describe('a model file on disk', () => {
  it('names the file after the run, and writes the .json as UTF-8', () => {
    const file = modelFile(source, 'json');
    expect(file.name).toBe('adam 0.001 · 2 relu.json');
    expect(JSON.parse(Buffer.from(file.data).toString('utf8')).labels).toEqual(['Sandal', 'Ankle boot']);
    expect(modelFile(source, 'npz').name).toBe('adam 0.001 · 2 relu.npz');
  });

  it('writes where it is told, and answers the bytes written', async () => {
    const path = join(dir, 'model.npz');
    const saved = await saveExport(path, 'npz', 'the model', async () => modelFile(source, 'npz').data);
    expect(saved).toEqual({ path, bytes: readFileSync(path).length });
    expect([...readFileSync(path).subarray(0, 2)]).toEqual([0x50, 0x4b]); // "PK": a zip
    // A name typed without an extension gets the format's.
    expect((await saveExport(join(dir, 'typed'), 'json', 'the model', async () => modelFile(source, 'json').data)).path).toBe(join(dir, 'typed.json'));
    expect(existsSync(join(dir, 'typed.json'))).toBe(true);
  });

  it('refuses a relative path, another extension or a missing folder before making the file', async () => {
    let made = false;
    const make = async () => ((made = true), modelFile(source, 'json').data);
    await expect(saveExport('model.json', 'json', 'the model', make)).rejects.toThrow("cannot save the model to 'model.json': not an absolute path");
    await expect(saveExport(join(dir, 'model.npz'), 'json', 'the model', make)).rejects.toThrow("a .json file's name ends in .json");
    await expect(saveExport(join(dir, 'nowhere', 'p.csv'), 'csv', 'the predictions', make)).rejects.toThrow(
      `cannot save the predictions to '${join(dir, 'nowhere', 'p.csv')}': the folder ${join(dir, 'nowhere')} does not exist`,
    );
    expect(made).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('reads a model file back, and names the file in what it refuses', async () => {
    const path = join(dir, 'back.json');
    writeFileSync(path, modelFile(source, 'json').data);
    expect((await readModelFile(path, 'back.json')).params).toEqual(source.params);
    await expect(readModelFile(join(dir, 'none.json'), 'none.json')).rejects.toThrow('cannot read model file none.json: no such file');
    mkdirSync(join(dir, 'folder.json'));
    await expect(readModelFile(join(dir, 'folder.json'), 'folder.json')).rejects.toThrow('cannot read model file folder.json: it is a folder, not a file');
    writeFileSync(join(dir, 'm.npz'), modelFile(source, 'npz').data);
    await expect(readModelFile(join(dir, 'm.npz'), 'm.npz')).rejects.toThrow("m.npz is NumPy's .npz: it holds the weights but not the layers' activations nor the class names; import the .json");
    writeFileSync(join(dir, 'cut.json'), Buffer.from(modelFile(source, 'json').data).subarray(0, 100));
    await expect(readModelFile(join(dir, 'cut.json'), 'cut.json')).rejects.toThrow(/^cut\.json: not JSON: /);
    // The app's own .onnx export, by name or renamed: said in one line, without the file's bytes in it.
    writeFileSync(join(dir, 'm.onnx'), modelFile(source, 'onnx').data);
    await expect(readModelFile(join(dir, 'm.onnx'), 'm.onnx')).rejects.toThrow('m.onnx is an ONNX model: MLP Studio writes .onnx for other tools (ONNX Runtime, Netron) and reads back its own .json');
    writeFileSync(join(dir, 'onnx.json'), modelFile(source, 'onnx').data);
    await expect(readModelFile(join(dir, 'onnx.json'), 'onnx.json')).rejects.toThrow(/^onnx\.json: not JSON: a model file begins with "\{", this one with binary data \(byte 0x08\)$/);
    writeFileSync(join(dir, 'csv.json'), 'label,1x1\n3,0\n');
    await expect(readModelFile(join(dir, 'csv.json'), 'csv.json')).rejects.toThrow(/^csv\.json: not JSON: a model file begins with "\{", this one with "label,1x1"$/);
    // Broken further in: JSON.parse's message, its quote of the text kept on one line.
    writeFileSync(join(dir, 'broken.json'), '{"format":\n\u0001x}');
    const broken = String(await readModelFile(join(dir, 'broken.json'), 'broken.json').catch((error: Error) => error.message));
    expect(broken).toMatch(/^broken\.json: not JSON: /);
    expect(broken.includes('\n') || broken.includes('\u0001')).toBe(false);
  });

  it('reads the weights from the bytes where they lie (what a string cannot hold), as parseModelJson reads the text', () => {
    const json = Buffer.from(modelFile(source, 'json').data);
    expect(parseModelJsonBytes(json)).toEqual(parseModelJson(json.toString('utf8')));
    // A byte order mark before it (an editor's save), other spacing, a name that mentions the key: the same model.
    expect(parseModelJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json])).params).toEqual(source.params);
    const compact = Buffer.from(JSON.stringify({ ...JSON.parse(json.toString('utf8')), name: 'a "base64": "x" name' }));
    expect(parseModelJsonBytes(compact)).toMatchObject({ name: 'a "base64": "x" name', params: source.params });
    // A writer that escapes / as \/ (PHP's json_encode): JSON.parse undoes it, as before.
    const escaped = Buffer.from(json.toString('utf8').replace(/"base64": "([^"]*)"/, (_, b64: string) => `"base64": "${b64.replaceAll('/', '\\/')}"`));
    expect(escaped.includes('\\/')).toBe(true);
    expect(parseModelJsonBytes(escaped).params).toEqual(source.params);
    // What the weights' text holds is checked as before.
    const bad = Buffer.from(json.toString('utf8').replace(/"base64": "A/, '"base64": "*'));
    expect(() => parseModelJsonBytes(bad)).toThrow('weights.base64: invalid base64 character at 0');
    const infinite = Buffer.from(json.toString('utf8').replace('"epochs": 1', '"epochs": 1e999'));
    expect(() => parseModelJsonBytes(infinite)).toThrow(/^training\.epochs: /);
  });
});

describe('a big model file, made and read on a worker thread', () => {
  let workerFile = '';
  beforeAll(async () => {
    workerFile = join(await buildEntriesForTests('mlp-model-file-', { 'model-file-task': 'src/main/runs/model-file-task.ts' }), 'model-file-task.js');
  }, 60_000);
  const always = () => ({ workerFile, minBytes: 0 }); // every model counts as big

  it('makes the same bytes as the calling thread, in every format', async () => {
    for (const format of MODEL_FORMATS) {
      const own = { ...source, params: source.params.slice() };
      const made = await makeModelFile(own, format, { ...always(), moveWeights: true });
      expect(own.params.length).toBe(0); // its weights moved to the thread: detached here, not copied
      expect(Buffer.from((await makeModelFile(source, format, always())).data).equals(Buffer.from(made.data))).toBe(true);
      expect(source.params.length).toBeGreaterThan(0); // copied, by default
      expect(made.name).toBe(modelFile(source, format).name);
      expect(Buffer.from(made.data).equals(Buffer.from(modelFile(source, format).data)), format).toBe(true);
    }
  });

  it('reads the same model back, and refuses what the calling thread refuses, in its words', async () => {
    const path = join(dir, 'thread.json');
    writeFileSync(path, modelFile(source, 'json').data);
    expect(await readModelFile(path, 'thread.json', always())).toEqual(await readModelFile(path, 'thread.json'));
    writeFileSync(join(dir, 'thread-cut.json'), Buffer.from(modelFile(source, 'json').data).subarray(0, 100));
    const here = await readModelFile(join(dir, 'thread-cut.json'), 'thread-cut.json').catch((error: Error) => error.message);
    await expect(readModelFile(join(dir, 'thread-cut.json'), 'thread-cut.json', always())).rejects.toThrow(here as string);
  });

  it('only from OFF_THREAD_MIN_BYTES, and only where the worker entry is built', () => {
    expect(offThreadFile(OFF_THREAD_MIN_BYTES - 1, { workerFile })).toBeNull();
    expect(offThreadFile(OFF_THREAD_MIN_BYTES, { workerFile })).toBe(workerFile);
    expect(offThreadFile(OFF_THREAD_MIN_BYTES, { workerFile: null })).toBeNull();
    expect(modelFileTaskFile()).toBeNull(); // the sources run here, unbuilt: the work stays on this thread
  });
});
