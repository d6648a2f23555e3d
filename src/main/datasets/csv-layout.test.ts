import { describe, expect, it } from 'vitest';
import { isNumber, parseNumber } from './csv-layout';

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
