import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../shared/training';
import { Trainer } from '../../worker/core/trainer';
import { createPredictor, createPredictorInTurns } from './predictor';
import { bandsDataset } from './test-support';

describe('createPredictor', () => {
  // A small trained network: 6×6 images of 3 classes (class c lights band c).
  const data = bandsDataset(300);
  const config = { ...presetConfig('standard'), hidden: [{ units: 8, activation: 'relu' as const }], batchSize: 16, duration: { unit: 'epochs' as const, count: 3 }, devRows: 30 };
  const train = { pixels: data.pixels, labels: data.labels!, rows: data.rows, inputSize: 36, classes: 3 };
  const trainer = new Trainer(config, train);
  while (!trainer.done) trainer.step();
  const predict = createPredictor(config, trainer.getState());

  it('gives the trained network’s probabilities for one image, as the Trainer predicts them', () => {
    const expected = trainer.predict(data.pixels, 5);
    for (let r = 0; r < 5; r++) {
      const probs = predict(data.pixels.subarray(r * 36, (r + 1) * 36));
      expect(probs).toHaveLength(3);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (let k = 0; k < 3; k++) expect(probs[k]).toBeCloseTo(expected.probabilities[r * 3 + k], 6);
    }
  });

  it('refuses an image of the wrong size, and weights of another network', () => {
    expect(() => predict(new Uint8Array(35))).toThrow('images of 36 pixels, got 35');
    expect(() => createPredictor({ ...config, hidden: [] }, trainer.getState())).toThrow('the saved weights are for a 36-8-3 network');
  });

  it('built in turns, answers as built at once; a big network\'s weights (more than one 16 MB piece) are copied with turns between', async () => {
    const turnCameDuring = async (build: () => Promise<unknown>) => {
      let built = false;
      let turnBeforeBuilt = false;
      setImmediate(() => (turnBeforeBuilt = !built));
      await build();
      built = true;
      return turnBeforeBuilt;
    };
    const small = await createPredictorInTurns(config, trainer.getState());
    expect(small(data.pixels.subarray(0, 36))).toEqual(predict(data.pixels.subarray(0, 36)));
    expect(await turnCameDuring(() => createPredictorInTurns(config, trainer.getState()))).toBe(false); // one piece: no turn

    // 1,000-4,200-10: 4.25 M weights, two pieces.
    const big = { ...config, hidden: [{ units: 4200, activation: 'relu' as const }] };
    const layerSizes = [1000, 4200, 10];
    const params = Float32Array.from({ length: 1000 * 4200 + 4200 + 4200 * 10 + 10 }, (_, i) => Math.sin(i) * 0.05);
    expect(await turnCameDuring(() => createPredictorInTurns(big, { layerSizes, params }))).toBe(true);
    const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    expect((await createPredictorInTurns(big, { layerSizes, params }))(image)).toEqual(createPredictor(big, { layerSizes, params })(image));
  });
});
