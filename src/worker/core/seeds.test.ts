import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../shared/training';
import { initialWeights } from './seeds';
import { Trainer } from './trainer';

describe('initialWeights', () => {
  it('draws exactly the weights a Trainer with the same network and seed starts from', () => {
    const rows = 40;
    const data = { pixels: new Uint8Array(rows * 16).fill(3), labels: new Uint8Array(rows).map((_, i) => i % 3), rows, inputSize: 16, classes: 3 };
    for (const seed of [1, 42]) {
      const config = { ...presetConfig('standard'), hidden: [{ units: 5, activation: 'relu' as const }, { units: 4, activation: 'tanh' as const }], devRows: 4, seed };
      const start = new Trainer(config, data).getState().params;
      const spec = { layerSizes: [16, 5, 4, 3], activations: config.hidden.map((h) => h.activation), loss: config.loss };
      expect(initialWeights(spec, seed)).toEqual(start);
    }
  });
});
