import { describe, expect, it } from 'vitest';
import { isNumber, parseNumber } from './csv-layout';
import { parseCsv, problemsOf } from './test-helpers';

// What counts as a number: parseNumber reads a whole field (spaces and quotes around it allowed), isNumber a
// first line's field already unquoted; both share one grammar, a comma its decimal mark with `decimalComma`.
// [field, decimalComma, parseNumber's value (NaN: not a number), isNumber]
const CASES: [string, boolean, number, boolean][] = [
  ['5', false, 5, true],
  ['-1.5e3', false, -1500, true],
  ['+2', false, 2, true],
  ['.5', false, 0.5, true],
  ['5.', false, 5, true],
  ['1E-2', false, 0.01, true],
  ['1e999', false, Infinity, true],
  ['', false, NaN, false],
  ['', true, NaN, false],
  [' ', false, NaN, false],
  [' 5 ', false, 5, false], // parseNumber trims; isNumber's fields come trimmed
  ['"0.5"', false, 0.5, false], // parseNumber unquotes; isNumber's fields come unquoted
  ['""5""', false, NaN, false], // one pair of quotes only
  ['+', false, NaN, false],
  ['-', false, NaN, false],
  ['.', false, NaN, false],
  ['1e', false, NaN, false],
  ['1e+', false, NaN, false],
  ['e5', false, NaN, false],
  ['NaN', false, NaN, false],
  ['Infinity', false, NaN, false],
  ['-Infinity', true, NaN, false],
  ['0x1', false, NaN, false],
  ['0b1', false, NaN, false],
  ['1_000', false, NaN, false],
  ['1 000', false, NaN, false],
  ['0,5', false, NaN, false],
  ['0,5', true, 0.5, true],
  ['-0,5e1', true, -5, true],
  [',5', true, 0.5, true],
  ['0.5', true, 0.5, true],
  ['0,,5', true, NaN, false],
  ['0,5.1', true, NaN, false],
  ['0x1', true, NaN, false],
  ['"0,5"', true, 0.5, false],
];

describe('parseNumber and isNumber: the edge cases of one grammar', () => {
  it.each(CASES)('%j (decimal comma: %s) reads as %s, is a number: %s', (field, decimalComma, value, number) => {
    expect(parseNumber(field, decimalComma)).toBe(value);
    expect(isNumber(field, decimalComma)).toBe(number);
  });

  it('agree on every trimmed, unquoted field', () => {
    for (const [field, decimalComma] of CASES) {
      if (field !== field.trim() || field.includes('"')) continue;
      expect(isNumber(field, decimalComma)).toBe(!Number.isNaN(parseNumber(field, decimalComma)));
    }
  });
});

// The layout is decided from the first lines, not the first alone: a damaged first row is a row problem (named,
// and left out with "skip bad rows"), not the file's layout or header; pandas' numbered column names are a header.
describe('a first line is told from a damaged first row by the lines after it', () => {
  const rows = ['3,1,2,3,4', '7,5,6,7,8', '1,9,9,9,9'];
  const firstBad = (first: string) => [first, ...rows].join('\n');

  it.each([
    ['a value short', '3,1,2,3', 5, 'expected 5 values'],
    ['a value too many', '3,1,2,3,4,5', 6, 'expected 5 values'],
    ['an empty value', '3,1,,3,4', 3, 'a number'],
    ['a stray letter', '3,1,x,3,4', 3, 'a number'],
  ])('%s: line 1 is the problem, and skipping it keeps every other row', (_, first, column, expected) => {
    const { problems, skippable } = problemsOf(firstBad(first));
    expect(problems.map((p) => [p.line, p.column])).toEqual([[1, column]]);
    expect(problems[0].message).toContain(expected);
    expect(skippable).toBe(true);
    const skipped = parseCsv(firstBad(first), { skipBadRows: true });
    expect([skipped.header, skipped.data.width, skipped.data.rows]).toEqual([false, 2, 3]);
    expect([...(skipped.data.labels ?? [])]).toEqual([3, 7, 1]);
  });

  it('text labels in a file without a header: each row\'s label is the problem, not "a header of 4 pixel columns"', () => {
    const { problems } = problemsOf('a,1,2,3,4\nb,5,6,7,8\n');
    expect(problems.map((p) => [p.line, p.column])).toEqual([[1, 1], [2, 1]]);
  });

  it('numbers counting 0, 1, 2, … (pandas\' column names) are a header: the label first, or none', () => {
    const labelled = parseCsv(`0,1,2,3,4\n${rows.join('\n')}`);
    expect([labelled.header, labelled.data.rows, labelled.labelColumn]).toEqual([true, 3, 1]);
    expect([...(labelled.data.labels ?? [])]).toEqual([3, 7, 1]);
    const unlabelled = parseCsv('1,2,3,4\n9,9,9,9\n8,8,8,8');
    expect([unlabelled.header, unlabelled.data.rows, unlabelled.data.labels]).toEqual([false, 3, null]); // fewer than 5: data
    const pandas = parseCsv(`${Array.from({ length: 10 }, (_, i) => i).join(',')}\n${'0,'.repeat(9)}16\n${'1,'.repeat(9)}0\n`);
    expect([pandas.header, pandas.data.rows, pandas.data.width, pandas.scaledFromUnit]).toEqual([true, 2, 3, false]);
    // with a name for the label: as any header
    expect(parseCsv(`label,0,1,2,3\n${rows.join('\n')}`)).toMatchObject({ header: true, labelColumn: 1 });
  });

  it('a file of one or two lines is read from its first, as before', () => {
    expect(problemsOf('3,1,,3,4\n').problems[0]).toMatchObject({ line: 1, column: 3 });
    expect(parseCsv('3,1,2,3,4\n7,5,6,7,8').data.rows).toBe(2);
  });
});
