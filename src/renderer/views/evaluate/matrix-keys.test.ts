import { describe, expect, it } from 'vitest';
import { nextCell, tabStop } from './matrix-keys';

describe('nextCell', () => {
  it('moves one cell with each arrow', () => {
    expect(nextCell(4, 6, 'ArrowUp', 10)).toEqual({ truth: 3, predicted: 6 });
    expect(nextCell(4, 6, 'ArrowDown', 10)).toEqual({ truth: 5, predicted: 6 });
    expect(nextCell(4, 6, 'ArrowLeft', 10)).toEqual({ truth: 4, predicted: 5 });
    expect(nextCell(4, 6, 'ArrowRight', 10)).toEqual({ truth: 4, predicted: 7 });
  });

  it('stops at the edges instead of wrapping', () => {
    expect(nextCell(0, 3, 'ArrowUp', 10)).toEqual({ truth: 0, predicted: 3 });
    expect(nextCell(9, 3, 'ArrowDown', 10)).toEqual({ truth: 9, predicted: 3 });
    expect(nextCell(3, 0, 'ArrowLeft', 10)).toEqual({ truth: 3, predicted: 0 });
    expect(nextCell(3, 9, 'ArrowRight', 10)).toEqual({ truth: 3, predicted: 9 });
    expect(nextCell(0, 0, 'ArrowLeft', 1)).toEqual({ truth: 0, predicted: 0 });
  });

  it('goes to the row’s ends with Home and End, to the matrix’s corners with Ctrl', () => {
    expect(nextCell(4, 6, 'Home', 10)).toEqual({ truth: 4, predicted: 0 });
    expect(nextCell(4, 6, 'End', 10)).toEqual({ truth: 4, predicted: 9 });
    expect(nextCell(4, 6, 'Home', 10, true)).toEqual({ truth: 0, predicted: 0 });
    expect(nextCell(4, 6, 'End', 10, true)).toEqual({ truth: 9, predicted: 9 });
  });

  it('leaves other keys to the page', () => {
    for (const key of ['Tab', 'Enter', ' ', 'Escape', 'a', 'PageDown']) expect(nextCell(4, 6, key, 10)).toBeNull();
  });

  it('brings a cell outside a smaller matrix back inside it', () => {
    expect(nextCell(7, 8, 'ArrowUp', 3)).toEqual({ truth: 1, predicted: 2 });
  });

  it('refuses a matrix without rows', () => {
    expect(() => nextCell(0, 0, 'ArrowUp', 0)).toThrow(RangeError);
  });
});

describe('tabStop', () => {
  it('is the last focused cell while it is inside the matrix, else the first cell', () => {
    expect(tabStop({ truth: 2, predicted: 7 }, 10)).toEqual({ truth: 2, predicted: 7 });
    expect(tabStop(null, 10)).toEqual({ truth: 0, predicted: 0 });
    expect(tabStop({ truth: 2, predicted: 7 }, 5)).toEqual({ truth: 0, predicted: 0 });
  });
});
