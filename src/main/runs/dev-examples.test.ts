import { describe, expect, it } from 'vitest';
import { cellExamples, type DevExamples } from './dev-examples';

// Six dev examples (data-set rows 10…15): truths 0 0 1 1 1 0, predictions 0 1 1 0 0 1.
const dev: DevExamples = {
  epoch: 3,
  datasetId: 'ds-1',
  rows: Uint32Array.from([10, 11, 12, 13, 14, 15]),
  labels: Uint8Array.from([0, 0, 1, 1, 1, 0]),
  predicted: Uint8Array.from([0, 1, 1, 0, 0, 1]),
  confidence: Float32Array.from([0.9, 0.6, 0.8, 0.7, 0.95, 0.6]),
};

describe('cellExamples', () => {
  it('lists the rows of one cell, most confident first (ties in dev order), with the total', () => {
    expect(cellExamples(dev, 1, 0, 10)).toEqual({ datasetId: 'ds-1', epoch: 3, total: 2, rows: [14, 13], confidence: [dev.confidence[4], dev.confidence[3]] });
    expect(cellExamples(dev, 0, 1, 10).rows).toEqual([11, 15]);
  });

  it('the diagonal holds the right answers', () => {
    expect(cellExamples(dev, 0, 0, 10).rows).toEqual([10]);
    expect(cellExamples(dev, 1, 1, 10).rows).toEqual([12]);
  });

  it('shows at most `limit` rows but counts them all; an empty cell is empty', () => {
    const one = cellExamples(dev, 1, 0, 1);
    expect(one.total).toBe(2);
    expect(one.rows).toEqual([14]);
    expect(cellExamples(dev, 1, 2, 10)).toMatchObject({ total: 0, rows: [], confidence: [] });
  });
});
