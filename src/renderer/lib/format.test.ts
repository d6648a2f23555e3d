import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatBytes, formatEpoch, formatLoss, formatPercent, namePieces, sentenceCase } from './format';

describe('formatPercent', () => {
  it('writes a fraction as a percentage with one decimal and no space before the sign', () => {
    expect(formatPercent(0.75)).toBe('75.0%');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('takes the number of decimals', () => {
    expect(formatPercent(0.4567, 0)).toBe('46%');
    expect(formatPercent(0.4567, 2)).toBe('45.67%');
    expect(formatPercent(0.2, 0)).toBe('20%');
  });

  it('never writes a share that is not 0 or 1 as one (a recall of 2,499 of 2,500 read "100.0%")', () => {
    expect([formatPercent(2499 / 2500), formatPercent(22499 / 22500, 2), formatPercent(0.996, 0)]).toEqual(['>99.9%', '>99.99%', '>99%']);
    expect([formatPercent(1 / 2500), formatPercent(0.00004, 2), formatPercent(0.004, 0)]).toEqual(['<0.1%', '<0.01%', '<1%']);
    expect([formatPercent(0.9994), formatPercent(0.0005)]).toEqual(['99.9%', '0.1%']); // as rounding has them
  });

  it('writes a tiny negative rounding as 0, not -0', () => {
    expect(formatPercent(-1e-9)).toBe('0.0%');
    expect(formatPercent(-1e-9, 0)).toBe('0%');
  });

  it('writes an unknown share as a dash', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatAccuracy', () => {
  it('writes a run’s accuracy with two decimals and no space before the sign', () => {
    expect(formatAccuracy(0.8512)).toBe('85.12%');
    expect(formatAccuracy(null)).toBe('—');
  });

  it('has two decimals', () => {
    expect(formatAccuracy(0.85)).toBe('85.00%');
    expect(formatAccuracy(0.98766)).toBe('98.77%');
    expect(formatAccuracy(null)).toBe('—');
  });
});

describe('formatLoss', () => {
  it('has four significant digits, one decimal from 100 up, and a dash when unknown', () => {
    expect(formatLoss(0.385612)).toBe('0.3856');
    expect(formatLoss(2.302585)).toBe('2.303');
    expect(formatLoss(1234.56)).toBe('1234.6');
    expect(formatLoss(null)).toBe('—');
    expect(formatLoss(Number.NaN)).toBe('—');
  });

  it('writes the huge losses of a run about to diverge as powers of ten, short enough for the run row', () => {
    expect(formatLoss(999_999.94)).toBe('999999.9');
    expect(formatLoss(1_145_321_207.009)).toBe('1.145e+9');
    expect(formatLoss(1.3955447349597915e26)).toBe('1.396e+26');
  });
});

describe('formatEpoch', () => {
  it('two decimals unless whole', () => {
    expect(formatEpoch(0)).toBe('0');
    expect(formatEpoch(17.1489)).toBe('17.15');
    expect(formatEpoch(2.5)).toBe('2.50');
    expect(formatEpoch(16.999)).toBe('17');
  });
});

describe('sentenceCase', () => {
  it('capitalises the first letter only', () => {
    expect(sentenceCase('server stopping')).toBe('Server stopping');
    expect(sentenceCase('the connection to the MLP Studio server is closed')).toBe('The connection to the MLP Studio server is closed');
    expect(sentenceCase('')).toBe('');
  });

  it('leaves a message that starts with a name as it is: a file is named as it is spelt', () => {
    expect(sentenceCase("fashion_train.csv (60,000 rows), the data run 'adam' trained on, is not open")).toBe("fashion_train.csv (60,000 rows), the data run 'adam' trained on, is not open");
    expect(sentenceCase('digits.csv line 3: expected 785 values')).toBe('digits.csv line 3: expected 785 values');
    expect(sentenceCase("'adam 0.001' is training")).toBe("'adam 0.001' is training");
    expect(sentenceCase('cannot read it: no such file')).toBe('Cannot read it: no such file');
    expect(sentenceCase('stopping.')).toBe('Stopping.');
  });
});

describe('formatBytes', () => {
  it('writes sizes in powers of 1000 with at most one decimal', () => {
    expect([0, 740, 2_300, 1_700_000, 47_040_000, 412_300_000, 1_931_608_224].map(formatBytes)).toEqual(['0 B', '740 B', '2.3 kB', '1.7 MB', '47.0 MB', '412 MB', '1.9 GB']);
    expect(formatBytes(NaN)).toBe('—');
  });
});

describe('namePieces', () => {
  it('cuts a file name after each _ . and -, keeping every character in order', () => {
    expect(namePieces('fashion_semicolon_bad.csv')).toEqual(['fashion_', 'semicolon_', 'bad.', 'csv']);
    expect(namePieces('t10k-images-idx3-ubyte.gz')).toEqual(['t10k-', 'images-', 'idx3-', 'ubyte.', 'gz']);
    expect(namePieces('Built-in MNIST sample')).toEqual(['Built-', 'in MNIST sample']);
    expect(namePieces('plain')).toEqual(['plain']);
    expect(namePieces('')).toEqual(['']);
    for (const name of ['a__b..c', '_x_', 'x.']) expect(namePieces(name).join('')).toBe(name);
  });
});
