import { describe, expect, it } from 'vitest';
import { datasetStyle, stepLossPointRadius, type Slot } from './chart-host';

const slot = (key: Slot['key']): Slot => ({ id: 'r1', key, label: 'adam', color: '#36c', hidden: false });

describe('the step loss line', () => {
  it('is drawn without points, except a lone point, which is a dot (else a run that diverged at once shows nothing)', () => {
    expect([0, 1, 2, 500].map(stepLossPointRadius)).toEqual([0, 3, 0, 0]);
    const radius = datasetStyle(slot('loss')).pointRadius as (ctx: { dataset: { data: unknown[] } }) => number;
    expect(radius({ dataset: { data: [{ x: 1, y: 2.3 }] } })).toBeGreaterThan(0);
    expect(radius({ dataset: { data: [{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }] } })).toBe(0);
  });
  it('dev loss and accuracy keep their points', () => {
    expect(datasetStyle(slot('devLoss')).pointRadius).toBe(3);
    expect(datasetStyle(slot('devAccuracy')).pointRadius).toBe(3);
  });
});
