// Writing a run's model file where a save dialog said: the path is checked before anything is read or written.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSource } from '../../shared/model-file';
import { presetConfig } from '../../shared/training';
import { modelFile, saveModelFile } from './model-export';

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
    const saved = await saveModelFile(path, 'npz', async () => source);
    expect(saved).toEqual({ path, bytes: readFileSync(path).length });
    expect([...readFileSync(path).subarray(0, 2)]).toEqual([0x50, 0x4b]); // "PK": a zip
  });

  it('refuses a relative path, another extension or a missing folder before reading the weights', async () => {
    let read = false;
    const weights = async () => ((read = true), source);
    await expect(saveModelFile('model.json', 'json', weights)).rejects.toThrow("cannot save the model to 'model.json': not an absolute path");
    await expect(saveModelFile(join(dir, 'model.npz'), 'json', weights)).rejects.toThrow("a .json file's name ends in .json");
    await expect(saveModelFile(join(dir, 'nowhere', 'model.json'), 'json', weights)).rejects.toThrow(`the folder ${join(dir, 'nowhere')} does not exist`);
    expect(read).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});
