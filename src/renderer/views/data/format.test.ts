import { describe, expect, it } from 'vitest';
import type { DatasetErrorInfo, ParseProblem } from '../../../shared/datasets';
import { canSkipBadRows, classTitle, loadProgressText, skippedLinesText } from './format';

describe('skippedLinesText', () => {
  it('"line" for one, "lines" for more, "…" past the limit', () => {
    expect(skippedLinesText({ count: 1, lines: [3], problems: [] })).toBe('line 3');
    expect(skippedLinesText({ count: 2, lines: [3, 9], problems: [] })).toBe('lines 3, 9');
    expect(skippedLinesText({ count: 4, lines: [3, 4, 5, 6], problems: [] }, 2)).toBe('lines 3, 4, …');
  });
});

describe('classTitle', () => {
  it('the number alone when the name is the digit, else number and name', () => {
    expect(classTitle(0, '0')).toBe('0');
    expect(classTitle(5, 'Sandal')).toBe('5 · Sandal');
    expect(classTitle(7, undefined)).toBe('7');
  });
});

describe('loadProgressText', () => {
  it('no stray separator when only one part is known', () => {
    expect(loadProgressText(0, 0)).toBe('0%');
    expect(loadProgressText(0, null)).toBe('');
    expect(loadProgressText(12_000, null)).toBe('12,000 rows');
    expect(loadProgressText(12_000, 40)).toBe('12,000 rows · 40%');
  });
});

const problem = (over: Partial<ParseProblem>): ParseProblem => ({ file: 'f.csv', line: 4, column: 3, byteOffset: null, found: '"oops"', expected: 'a whole number 0–255', message: '', ...over });
const failure = (...problems: ParseProblem[]): DatasetErrorInfo => ({ message: 'bad', problems, truncated: false });

describe('canSkipBadRows: when "Open again, skipping bad rows" is offered', () => {
  it('for rows with bad values', () => {
    expect(canSkipBadRows(failure(problem({}), problem({ line: 9 })))).toBe(true);
  });

  it('not for an empty file, a header-only file or a layout it cannot read', () => {
    expect(canSkipBadRows(failure(problem({ line: 1, column: 1, expected: 'a header or data rows', found: 'an empty file (0 bytes)' })))).toBe(false);
    expect(canSkipBadRows(failure(problem({ line: 2, column: 1, expected: 'data rows after the header', found: 'nothing (the file has a header only)' })))).toBe(false);
    expect(canSkipBadRows(failure(problem({ line: 1, column: 1, expected: 'a label then side×side pixels (785 = 1 + 28×28 values), or side×side pixels for an unlabeled file', found: '3 values' })))).toBe(false);
  });

  it('not for binary files or positions without a column', () => {
    expect(canSkipBadRows(failure(problem({ line: null, column: null, byteOffset: 0, expected: 'an IDX header (magic number and dimensions)' })))).toBe(false);
    expect(canSkipBadRows(failure(problem({ line: 7, column: null, expected: 'lines shorter than 64 MB' })))).toBe(false);
  });
});
