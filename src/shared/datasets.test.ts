import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileRowNumber } from './datasets';

describe('fileRowNumber', () => {
  it("counts a data set's row as its file's, past the rows left out", () => {
    expect([0, 1, 2].map((k) => fileRowNumber(k, []))).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((k) => fileRowNumber(k, [0]))).toEqual([2, 3, 4]);
    expect([0, 1, 2, 3].map((k) => fileRowNumber(k, [1, 2, 5]))).toEqual([1, 4, 5, 7]);
  });

  it('agrees with walking the file row by row, for any rows left out', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (leftOut) => {
        const skipped = leftOut.flatMap((out, place) => (out ? [place] : []));
        const kept = leftOut.flatMap((out, place) => (out ? [] : [place + 1]));
        expect(kept.map((_, k) => fileRowNumber(k, skipped))).toEqual(kept);
      }),
    );
  });
});
