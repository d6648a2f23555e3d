import { describe, expect, it } from 'vitest';
import { highest, OUT_OF_SCALE, outOfScale, scaleHintText } from './scale-hint';

describe('out-of-scale run', () => {
  it('names the run whose loss peaks far above every other run', () => {
    const peaks = [{ name: 'gd 0.1', peak: 2.3 }, { name: 'adam 50', peak: 38_093 }, { name: 'adam 0.001', peak: 2.4 }];
    expect(outOfScale(peaks)).toEqual({ name: 'adam 50', peak: 38_093, others: 2.4 });
  });

  it('says nothing when the peaks are within the factor, for one run alone, or with no loss yet', () => {
    expect(outOfScale([{ name: 'a', peak: 2.3 }, { name: 'b', peak: 2.3 * OUT_OF_SCALE * 0.99 }])).toBeNull();
    expect(outOfScale([{ name: 'a', peak: 2.3 }, { name: 'b', peak: 2.3 * OUT_OF_SCALE }])).not.toBeNull();
    expect(outOfScale([{ name: 'diverging alone', peak: 1e6 }])).toBeNull();
    expect(outOfScale([{ name: 'a', peak: 1e6 }, { name: 'no points yet', peak: -Infinity }, { name: 'c', peak: NaN }])).toBeNull();
  });

  it('two runs far above a third: neither stands out from the other', () => {
    expect(outOfScale([{ name: 'a', peak: 2 }, { name: 'b', peak: 5_000 }, { name: 'c', peak: 9_000 }])).toBeNull();
  });

  it('takes the highest point of every series it is given', () => {
    expect(highest([{ x: 0, y: 1 }, { x: 1, y: 7 }], [], [{ x: 2, y: 3 }])).toBe(7);
    expect(highest([])).toBe(-Infinity);
  });

  it('writes a large peak in whole thousands, the others as the chart does', () => {
    expect(scaleHintText({ name: 'adam 50 · 128 relu', peak: 99_347.12, others: 2.2893 })).toBe('adam 50 · 128 relu reaches a loss of 99,347; beside it the others (at most 2.289) lie flat.');
    expect(scaleHintText({ name: 'gd 3', peak: 412.5, others: 0.31 })).toBe('gd 3 reaches a loss of 412.5; beside it the others (at most 0.3100) lie flat.');
  });
});
