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

  it('numbers counting 0, 1, 2, … (pandas\' column names) are a header when they go past every grey level or value after them', () => {
    const small = ['3,1,2,3,0', '1,0,0,1,2', '2,3,3,0,0'];
    const labelled = parseCsv(`0,1,2,3,4\n${small.join('\n')}`); // 4 is more than any value below: names
    expect([labelled.header, labelled.data.rows, labelled.labelColumn]).toEqual([true, 3, 1]);
    expect([...(labelled.data.labels ?? [])]).toEqual([3, 1, 2]);
    const mnistLike = parseCsv(`${Array.from({ length: 785 }, (_, i) => i).join(',')}\n${'5,'.repeat(784)}0\n${'7,'.repeat(784)}255\n`);
    expect([mnistLike.header, mnistLike.data.rows, mnistLike.data.width, mnistLike.labelColumn]).toEqual([true, 2, 28, 1]); // 784 is no grey level
    const pandas = parseCsv(`${Array.from({ length: 10 }, (_, i) => i).join(',')}\n${'0,'.repeat(9)}8\n${'1,'.repeat(9)}0\n`);
    expect([pandas.header, pandas.data.rows, pandas.data.width]).toEqual([true, 2, 3]);
    // A data row that happens to count (an image of a gradient) among larger values: data, as before.
    const gradient = parseCsv(`0,1,2,3,4\n${rows.join('\n')}`);
    expect([gradient.header, gradient.data.rows]).toEqual([false, 4]);
    const unlabelled = parseCsv('1,2,3,4\n9,9,9,9\n8,8,8,8');
    expect([unlabelled.header, unlabelled.data.rows, unlabelled.data.labels]).toEqual([false, 3, null]); // fewer than 5: data
    // with a name for the label: as any header
    expect(parseCsv(`label,0,1,2,3\n${rows.join('\n')}`)).toMatchObject({ header: true, labelColumn: 1 });
  });

  it('lines 2 and 3 damaged alike do not outvote a good first line (the first is overruled by three lines that agree)', () => {
    const { problems } = problemsOf(['3,1,2,3,4', '7,5,6,7', '1,9,9,9', '2,8,8,8,8', '4,4,4,4,4'].join('\n'));
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('a message about the first line quotes its text, not its line end; a trailing comma on every line is named', () => {
    expect(problemsOf('3,1,2,3,4,5\r\n').problems[0].found).toBe('6 values ("3,1,2,3,4,5")');
    expect(problemsOf('3,1,2,3,4,\n7,5,6,7,8,\n').problems[0]).toMatchObject({ line: 1, column: 6, found: 'an empty value' });
    // A trailing comma on the first line alone: a row problem, skippable.
    const { problems, skippable } = problemsOf(['3,1,2,3,4,', ...rows].join('\n'));
    expect([problems.map((p) => p.line), skippable]).toEqual([[1], true]);
  });

  it('pixel columns named row x column (MNIST-in-CSV\'s 1x1 … 28x28) give the image\'s shape: 14×56 is not read as 28×28', () => {
    const names = (height: number, width: number) => Array.from({ length: height * width }, (_, k) => `${Math.floor(k / width) + 1}x${(k % width) + 1}`);
    const row = (label: number, n: number) => [label, ...Array.from({ length: n }, (_, k) => k % 256)].join(',');
    const wide = parseCsv([['label', ...names(14, 56)].join(','), row(1, 784), row(2, 784)].join('\n'));
    expect([wide.data.width, wide.data.height, wide.data.rows]).toEqual([56, 14, 2]);
    // Not square at all (24 × 32 = 768), and the label last.
    const notSquare = parseCsv([[...names(24, 32), 'label'].join(','), [...Array.from({ length: 768 }, () => 7), 3].join(',')].join('\n'));
    expect([notSquare.data.width, notSquare.data.height, notSquare.data.labels?.[0]]).toEqual([32, 24, 3]);
    expect(parseCsv([['label', ...names(28, 28)].join(','), row(0, 784)].join('\n')).data).toMatchObject({ width: 28, height: 28 });
    // Names out of their order, or other names of a square count: a square, as before; of another count: refused.
    const shuffled = names(14, 56);
    [shuffled[0], shuffled[1]] = [shuffled[1], shuffled[0]];
    expect(parseCsv([['label', ...shuffled].join(','), row(1, 784)].join('\n')).data).toMatchObject({ width: 28, height: 28 });
    expect(problemsOf([['label', ...names(24, 32).map((n) => `px${n}`)].join(','), row(1, 768)].join('\n')).problems[0].found).toBe('768 pixel columns');
  });

  it('a file of one or two lines is read from its first, as before', () => {
    expect(problemsOf('3,1,,3,4\n').problems[0]).toMatchObject({ line: 1, column: 3 });
    expect(parseCsv('3,1,2,3,4\n7,5,6,7,8').data.rows).toBe(2);
  });
});
