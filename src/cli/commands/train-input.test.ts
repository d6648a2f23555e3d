import { describe, expect, it } from 'vitest';
import { ParseError, problem } from '../../main/datasets/errors';
import { parseErrorText } from './train-input';

const bad = (line: number) => problem({ file: 'data/bad.csv', line, column: 4 }, 'a number', '"x"');

describe('parseErrorText', () => {
  it('gives the first problem, how many more, and the option for bad rows when skipping them can help', () => {
    expect(parseErrorText(new ParseError([bad(3)]))).toBe('data/bad.csv:3:4: expected a number, found "x"');
    expect(parseErrorText(new ParseError([bad(3), bad(9)], { skippable: true }))).toBe(
      'data/bad.csv:3:4: expected a number, found "x" (and 1 more problem); --skip-bad-rows leaves out the rows with problems',
    );
    const ten = Array.from({ length: 10 }, (_, i) => bad(i + 2));
    expect(parseErrorText(new ParseError(ten, { truncated: true, skippable: true }))).toBe(
      'data/bad.csv:2:4: expected a number, found "x" (and more than 9 more problems); --skip-bad-rows leaves out the rows with problems',
    );
    // Every row bad while skipping: said after the first problem, as the Data view says it.
    const lead = 'every row of data/bad.csv has a problem (25 rows), so leaving them out leaves nothing to read';
    expect(parseErrorText(new ParseError(ten, { truncated: true, lead }))).toBe(`data/bad.csv:2:4: expected a number, found "x" (and more than 9 more problems); ${lead}`);
  });
});
