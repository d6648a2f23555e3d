import { describe, expect, it } from 'vitest';
import type { DatasetErrorInfo, ParseProblem } from '../../../shared/datasets';
import { canSkipBadRows, classCountIn, classTitle, formatCount, formatDateTime, loadProgressText, skippedLinesText } from './format';

describe('skippedLinesText', () => {
  it('"line" for one, "lines" for more, "…" past the limit', () => {
    expect(skippedLinesText({ count: 1, lines: [3], rows: [], problems: [] })).toBe('line 3');
    expect(skippedLinesText({ count: 2, lines: [3, 9], rows: [], problems: [] })).toBe('lines 3, 9');
    expect(skippedLinesText({ count: 4, lines: [3, 4, 5, 6], rows: [], problems: [] }, 2)).toBe('lines 3, 4, …');
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
const failure = (skippable: boolean, ...problems: ParseProblem[]): DatasetErrorInfo => ({ message: 'bad', problems, truncated: false, skippable });

describe('canSkipBadRows: when "Open again, skipping bad rows" is offered', () => {
  it('when the parser says skipping can get past the problems (rows with bad values)', () => {
    expect(canSkipBadRows(failure(true, problem({}), problem({ line: 9 })))).toBe(true);
  });

  it('not when the parser says the problem is the whole file, whatever its words', () => {
    // Every row bad while skipping: the problems read like row problems, but skipping is what left no rows.
    expect(canSkipBadRows(failure(false, problem({}), problem({ line: 9 })))).toBe(false);
    // An empty value in the first line: a layout that cannot be read, skipped or not.
    expect(canSkipBadRows(failure(false, problem({ line: 1, column: 3, expected: 'a number', found: 'an empty value' })))).toBe(false);
    expect(canSkipBadRows(failure(false, problem({ line: 2, column: 1, expected: 'data rows after the header', found: 'nothing (the file has a header only)' })))).toBe(false);
    expect(canSkipBadRows(failure(false, problem({ line: null, column: null, byteOffset: 0, expected: 'an IDX header (magic number and dimensions)' })))).toBe(false);
  });
});

describe('formatCount', () => {
  it('writes counts in English style, as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 10000, 60000, 1234567]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('formatDateTime', () => {
  it("writes a moment as Date's toLocaleString() does", () => {
    const iso = '2026-11-29T07:58:04.000Z';
    expect(formatDateTime(iso)).toBe(new Date(iso).toLocaleString());
    expect(formatDateTime(Date.parse(iso))).toBe(new Date(iso).toLocaleString());
  });
});

describe('classCountIn', () => {
  it("counts a class among the rows shown: all, the training rows or the dev rows (the menu said all of them)", () => {
    const ds = { classCounts: [6000, 5900], split: { devClassCounts: [100, 0] } };
    expect([0, 1].map((k) => classCountIn(ds, k, 'all'))).toEqual([6000, 5900]);
    expect([0, 1].map((k) => classCountIn(ds, k, 'train'))).toEqual([5900, 5900]);
    expect([0, 1].map((k) => classCountIn(ds, k, 'dev'))).toEqual([100, 0]);
  });
});
