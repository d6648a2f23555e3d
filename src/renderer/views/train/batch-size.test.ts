import { describe, expect, it } from 'vitest';
import { batchSizeNote } from './batch-size';

describe('batchSizeNote', () => {
  it('a batch size above the training rows says each step takes all of them', () => {
    expect(batchSizeNote(100_000, 54_000)).toBe('larger than the 54,000 training rows: each step takes all of them (full batch)');
    expect(batchSizeNote(54_001, 54_000)).not.toBeNull();
  });

  it('nothing to say up to the training rows (equal is already one batch per epoch)', () => {
    expect(batchSizeNote(54_000, 54_000)).toBeNull();
    expect(batchSizeNote(128, 54_000)).toBeNull();
  });

  it('nothing while the field is empty or no data set is chosen', () => {
    expect(batchSizeNote(null, 54_000)).toBeNull();
    expect(batchSizeNote(100_000, null)).toBeNull();
  });
});
