import { describe, expect, it } from 'vitest';
import type { Slot } from './chart-host';
import { datasetStyle, epochPointRadius, MIN_MARKER_GAP, stepLossPointRadius } from './chart-style';

const slot = (key: Slot['key']): Slot => ({ id: 'r1', key, label: 'adam', color: '#36c', hidden: false });

describe('the step loss line', () => {
  it('is drawn without points, except a lone point, which is a dot (else a run that diverged at once shows nothing)', () => {
    expect([0, 1, 2, 500].map(stepLossPointRadius)).toEqual([0, 3, 0, 0]);
    const radius = datasetStyle(slot('loss')).pointRadius as (ctx: { dataset: { data: unknown[] } }) => number;
    expect(radius({ dataset: { data: [{ x: 1, y: 2.3 }] } })).toBeGreaterThan(0);
    expect(radius({ dataset: { data: [{ x: 1, y: 2.3 }, { x: 2, y: 2.1 }] } })).toBe(0);
  });
});

describe('the dev loss and accuracy points (one per epoch)', () => {
  // A full-batch run's 30 epochs are steps 1–30; the x axis draws `pixelsPerStep` pixels a step.
  const epochs = Array.from({ length: 30 }, (_, i) => ({ x: i + 1, y: 1 - i / 40 }));
  const context = (pixelsPerStep: number, data: readonly unknown[] = epochs) => ({ chart: { scales: { x: { getPixelForValue: (v: number) => 60 + v * pixelsPerStep } } }, dataset: { data } });
  const radius = (key: Slot['key']) => datasetStyle(slot(key)).pointRadius as unknown as (ctx: ReturnType<typeof context>) => number;

  it('crowded (30 epochs in 30 steps beside a run of 500 steps, 1.2 px a step): the line without points', () => {
    for (const key of ['devLoss', 'devAccuracy'] as const) expect(radius(key)(context(600 / 500))).toBe(0);
  });
  it('far enough apart (the runs alone, or on the epochs axis: 20 px an epoch): points, as before', () => {
    for (const key of ['devLoss', 'devAccuracy'] as const) expect(radius(key)(context(20))).toBe(3);
    // a run of 5 epochs of 141 steps each beside them on the steps axis
    expect(radius('devLoss')(context(1.2, [141, 282, 423, 564, 705].map((x) => ({ x, y: 0.3 }))))).toBe(3);
  });
  it('a lone point is drawn however it is scaled; the gap is the average one', () => {
    expect(radius('devAccuracy')(context(0.01, [{ x: 3, y: 0.5 }]))).toBe(3);
    expect([epochPointRadius(0, 0), epochPointRadius(1, 0), epochPointRadius(2, MIN_MARKER_GAP - 1), epochPointRadius(3, 2 * MIN_MARKER_GAP)]).toEqual([3, 3, 0, 3]);
  });
});
