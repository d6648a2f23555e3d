// `predict`: a model file's predictions for a data set. The model is made by hand so that every answer is known:
// 2×2 images, no hidden layer, 3 classes, class k's score 10 × pixel k (0–1), so the brightest of the first three
// pixels wins, with softmax([10, 0, 0]) = 0.999909 for a lone white pixel.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelJson, modelNpz, type ModelSource } from '../../shared/model-file';
import { presetConfig } from '../../shared/training';
import { UsageError } from '../args';
import { predictCommand } from './predict';

const dir = mkdtempSync(join(tmpdir(), 'mlp-predict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** W [4 inputs, 3 classes]: input k → class k with weight 10; the fourth pixel counts for nothing; b = 0. */
const model: ModelSource = {
  name: 'brightest pixel',
  config: { ...presetConfig('standard'), hidden: [] },
  layerSizes: [4, 3],
  params: Float32Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0]),
  image: { width: 2, height: 2 },
  labels: ['left', 'right', 'low'],
  trained: { epochs: 2, steps: 30, dataset: 'pixels.csv' },
  metrics: { devAccuracy: 0.9, bestDevAccuracy: 0.9, testAccuracy: null },
};
const modelPath = join(dir, 'pixels.json');
writeFileSync(modelPath, modelJson(model));

// label, 4 pixels: three told right, a 2 taken for a 0, a 1 taken for a 2.
const labelled = join(dir, 'labelled.csv');
writeFileSync(labelled, ['label,p0,p1,p2,p3', '0,255,0,0,0', '1,0,255,0,0', '2,0,0,255,0', '2,255,0,0,0', '1,0,0,255,9'].join('\n'));
const unlabelled = join(dir, 'unlabelled.csv');
writeFileSync(unlabelled, ['p0,p1,p2,p3', '0,0,255,0', '0,255,0,0'].join('\n'));

const LONE = '0.999909'; // e^10 / (e^10 + 2)
const REST = '0.000045'; // 1 / (e^10 + 2)

async function predict(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await predictCommand.run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false });
  return { code, stdout, stderr };
}

describe('cli predict', () => {
  it('writes one CSV line per image to --out and prints the accuracy, the classes and the mistakes', async () => {
    const out = join(dir, 'labelled-predictions.csv');
    const { code, stdout, stderr } = await predict(modelPath, labelled, '--out', out);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(out, 'utf8').split('\n')).toEqual([
      'row,label,predicted,name,probability,p(left),p(right),p(low)',
      `1,0,0,left,${LONE},${LONE},${REST},${REST}`,
      `2,1,1,right,${LONE},${REST},${LONE},${REST}`,
      `3,2,2,low,${LONE},${REST},${REST},${LONE}`,
      `4,2,0,left,${LONE},${LONE},${REST},${REST}`,
      `5,1,2,low,${LONE},${REST},${REST},${LONE}`,
      '',
    ]);
    expect(stdout).toBe(
      [
        'model     pixels.json: 4 → 3, trained 2 epochs on pixels.csv',
        'data      5 images of labelled.csv',
        'accuracy  60.00% (3 of 5)',
        '  class  name   predicted   images  recall  precision',
        '      0  left           2        1  100.0%      50.0%',
        '      1  right          1        2   50.0%     100.0%',
        '      2  low            2        2   50.0%      50.0%',
        'mistakes  1 right taken for 2 low 1×, 2 low taken for 0 left 1×',
        `predictions written to ${out}`,
        '',
      ].join('\n'),
    );
  });

  it('without --out: the CSV on stdout and the summary on stderr (so `> file.csv` holds only the CSV)', async () => {
    const { code, stdout, stderr } = await predict(modelPath, unlabelled);
    expect(code).toBe(0);
    expect(stdout).toBe(['row,predicted,name,probability,p(left),p(right),p(low)', `1,2,low,${LONE},${REST},${REST},${LONE}`, `2,1,right,${LONE},${REST},${LONE},${REST}`, ''].join('\n'));
    expect(stderr).toContain('data      2 images of unlabelled.csv (no labels, so no accuracy)\n');
    expect(stderr).toContain('  class  name   predicted\n      0  left           0\n      1  right          1\n      2  low            1\n');
    expect(stderr).not.toContain('accuracy  ');
  });

  it('leaves the name column out when every class is named by its number', async () => {
    const digits = join(dir, 'digits.json');
    writeFileSync(digits, modelJson({ ...model, labels: ['0', '1', '2'] }));
    const { stdout } = await predict(digits, labelled, '--out', join(dir, 'digits.csv'));
    expect(stdout).toContain('  class  predicted   images  recall  precision\n      0          2        1  100.0%      50.0%\n');
    expect(stdout).toContain('mistakes  1 taken for 2 1×, 2 taken for 0 1×\n');
  });

  it("says when the file's classes are not the model's: their count, or Fashion-MNIST's names against a digits model", async () => {
    const four = join(dir, 'four.csv');
    writeFileSync(four, ['label,p0,p1,p2,p3', '0,255,0,0,0', '3,0,255,0,0', '1,0,255,0,0'].join('\n'));
    const { stdout } = await predict(modelPath, four, '--out', join(dir, 'four-p.csv'));
    expect(stdout).toContain("\nnote      four.csv's labels are 4 classes; the model tells 3 apart: this accuracy says little of it.\n");
    // The image taken for "right" whose label 3 the model lacks counts against right's precision (it counted for nothing).
    expect(stdout).toContain('      1  right          2        1  100.0%      50.0%\n');
    const tenDigits = join(dir, 'ten.json');
    writeFileSync(tenDigits, modelJson({ ...model, layerSizes: [4, 10], labels: Array.from({ length: 10 }, (_, k) => String(k)), params: new Float32Array(4 * 10 + 10) }));
    const fashion = join(dir, 'fashion_bits.csv');
    writeFileSync(fashion, ['label,p0,p1,p2,p3', ...Array.from({ length: 10 }, (_, k) => `${k},0,0,0,0`)].join('\n'));
    expect((await predict(tenDigits, fashion, '--out', join(dir, 'f-p.csv'))).stdout).toContain("\nnote      fashion_bits.csv's classes (T-shirt/top, Trouser, Pullover, …) are not the model's (0, 1, 2, …): this accuracy says little of it.\n");
    // Class numbers name no class here: a file of 3 numbered classes against left, right, low says nothing (above).
    // But the built-in sample's are the digits: a Fashion-MNIST model on it is told (FILE left out).
    const fashionModel = join(dir, 'fashion-model.json');
    const fashionNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    writeFileSync(fashionModel, modelJson({ ...model, layerSizes: [784, 10], image: { width: 28, height: 28 }, labels: fashionNames, params: new Float32Array(784 * 10 + 10) }));
    expect((await predict(fashionModel, '--out', join(dir, 'sample-p.csv'))).stdout).toContain("\nnote      the built-in MNIST sample's classes (0, 1, 2, …) are not the model's (T-shirt/top, Trouser, Pullover, …): this accuracy says little of it.\n");
  });

  it("with --skip-bad-rows, each line keeps its image's row in the file (the rows after a bad one were renumbered)", async () => {
    const damaged = join(dir, 'damaged.csv');
    writeFileSync(damaged, ['p0,p1,p2,p3', '0,0,255,0', 'x,255,0,0', '0,255,0,0', '255,0,0,0'].join('\n'));
    const { code, stdout, stderr } = await predict(modelPath, damaged, '--skip-bad-rows');
    expect(code).toBe(0);
    expect(stderr).toMatch(/^note: left out 1 bad row of damaged\.csv \(line 3\)/);
    expect(stdout.split('\n').slice(1, 4).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(['1,2,low', '3,1,right', '4,0,left']);
  });

  it('--json: the summary as one object, with --out only', async () => {
    const out = join(dir, 'json.csv');
    const { code, stdout } = await predict(modelPath, labelled, '--out', out, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ model: modelPath, file: 'labelled.csv', out, rows: 5, accuracy: 0.6, correct: 3, confusions: [[1, 2, 1], [2, 0, 1]] });
    expect(existsSync(out)).toBe(true);
    await expect(predict(modelPath, labelled, '--json')).rejects.toThrow(UsageError);
  });

  it('says when the model gives no answer (outputs that overflow float32 into NaN), and counts those images wrong', async () => {
    const overflowing = join(dir, 'overflowing.json');
    writeFileSync(overflowing, modelJson({ ...model, params: new Float32Array(model.params.length).fill(1e38) }));
    const bright = join(dir, 'bright.csv');
    writeFileSync(bright, ['label,p0,p1,p2,p3', '0,255,255,255,255', '0,0,255,0,0'].join('\n')); // 4e38 overflows; 1e38 does not (equal scores: class 0)
    const { code, stdout, stderr } = await predict(overflowing, bright);
    expect(code).toBe(0);
    expect(stdout.split('\n')[1]).toBe('1,0,,,,NaN,NaN,NaN');
    expect(stderr).toContain("accuracy  50.00% (1 of 2)\nnote      1 of 2 images got no answer: the model's outputs are not numbers");
  });

  it('refuses, on one line with exit code 2, what it cannot use — and writes nothing', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, ['label,a,b,c,d,e,f,g,h,i', '0,1,2,3,4,5,6,7,8,9'].join('\n'));
    expect(await predict(modelPath, small)).toEqual({ code: 2, stdout: '', stderr: 'error: pixels.json reads 2×2 images (4 pixels); small.csv has 3×3 images (9 pixels)\n' });

    // As many pixels in another shape (an IDX file of 4×1 images): not what the model learnt, refused.
    const strip = join(dir, 'strip-images-idx3-ubyte');
    writeFileSync(strip, Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 255, 0, 0, 0, 0, 255, 0, 0]));
    expect(await predict(modelPath, strip)).toEqual({ code: 2, stdout: '', stderr: 'error: pixels.json reads 2×2 images (4 pixels); strip-images-idx3-ubyte has 4×1 images (4 pixels)\n' });

    const npz = join(dir, 'pixels.npz');
    writeFileSync(npz, modelNpz(model));
    const refused = await predict(npz, labelled);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^error: .*pixels\.npz is NumPy's \.npz: .* import the \.json\n$/);

    const notModel = join(dir, 'not-a-model.json');
    writeFileSync(notModel, '{"format": "something else"}');
    expect((await predict(notModel, labelled)).stderr).toMatch(/^error: .*not-a-model\.json: /);
    expect((await predict(join(dir, 'missing.json'), labelled)).stderr).toMatch(/^error: cannot read model file .*missing\.json/);

    const missingFolder = join(dir, 'nowhere', 'p.csv');
    expect(await predict(modelPath, labelled, '--out', missingFolder)).toEqual({
      code: 2, stdout: '', stderr: `error: cannot write predictions file ${missingFolder}: there is no folder ${join(dir, 'nowhere')}\n`,
    });
    // --out naming the data or the model: refused, both kept.
    for (const input of [labelled, modelPath]) {
      const before = readFileSync(input);
      expect(await predict(modelPath, labelled, '--out', input)).toEqual({
        code: 2, stdout: '', stderr: `error: --out ${input} is ${input}, which this command reads: writing the predictions file there would replace it; give another name\n`,
      });
      expect(readFileSync(input).equals(before)).toBe(true);
    }
    await expect(predict()).rejects.toThrow('missing MODEL');
    await expect(predict(modelPath, labelled, 'third')).rejects.toThrow("unexpected argument 'third'");
  });
});
