// Files whose values are separated by semicolons or tabs (a spreadsheet's CSV in a locale where the comma is the
// decimal mark) read a comma in a number as its decimal point: 0,5 is 0.5, and the summary says so. A comma
// there reads exactly as a dot would; files separated by commas are untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { separatorNote } from '../../shared/datasets';
import type { ParseProblem } from '../../shared/datasets';
import type { ParsedCsv } from './csv-parser';
import { formatCsv } from './csv-writer';
import { ParseError } from './errors';
import { makeData, parseCsv, problemsOf } from './test-helpers';

/** Parses `text` whole, and on both paths in 7-byte chunks: the same data and separator (else the test fails). */
function parseEvery(text: string, skipBadRows = false): ParsedCsv {
  const whole = parseCsv(text, { skipBadRows });
  for (const fastPath of [true, false]) {
    const cut = parseCsv(text, { skipBadRows, fastPath, chunk: 7 });
    expect(cut.data).toEqual(whole.data);
    expect(cut.separator).toBe(whole.separator);
  }
  return whole;
}

/** The one problem of a failing parse, as its message. */
function messageOf(text: string): string {
  const { problems } = problemsOf(text);
  expect(problems).toHaveLength(1);
  return problems[0].message;
}

describe('decimal commas in files separated by semicolons or tabs', () => {
  it('reads 0,5 as 0.5: a spreadsheet’s 0–1 pixels are scaled to 0–255, and the summary says "decimal commas"', () => {
    for (const separator of [';', '\t']) {
      const text = ['label;a;b;c;d', '1;0;1;0;0', '2;0,5;1,0;0;0,2', '3;1;0; 0,25 ;"0"'].join('\n').replaceAll(';', separator);
      const r = parseEvery(text);
      expect(r.scaledFromUnit).toBe(true);
      expect([...r.data.pixels]).toEqual([0, 255, 0, 0, 128, 255, 0, 51, 255, 0, 64, 0]);
      expect([...(r.data.labels ?? [])]).toEqual([1, 2, 3]);
      expect(r.separator).toBe(separator === ';' ? 'semicolon, decimal commas' : 'tab, decimal commas');
    }
    expect(`CSV${separatorNote('semicolon, decimal commas')}`).toBe('CSV (values separated by semicolons, decimal commas)');
    expect(`CSV${separatorNote('tab, decimal commas')}`).toBe('CSV (values separated by tabs, decimal commas)');
    expect(`CSV${separatorNote('semicolon')}`).toBe('CSV (values separated by semicolons)');
    expect(separatorNote('comma') + separatorNote(null)).toBe('');
  });

  it('a headerless first line with decimal commas is data split at its semicolons, though its commas also split it into a layout', () => {
    // At its commas '5;0;0,5;1;0' is 2 values (a label and 1×1 pixel); '5;0,1;0,2;0,3;0,4' 5 of them, as many as at its semicolons.
    const r = parseEvery('5;0;0,5;1;0\n4;1;0;0;1\n');
    expect([r.header, r.labelColumn, r.data.width, r.separator]).toEqual([false, 1, 2, 'semicolon, decimal commas']);
    expect([...r.data.pixels]).toEqual([0, 128, 255, 0, 255, 0, 0, 255]);
    const tie = parseEvery('5;0,1;0,2;0,3;0,4\n');
    expect([tie.header, tie.data.width, ...(tie.data.labels ?? [])]).toEqual([false, 2, 5]);
    expect([...tie.data.pixels]).toEqual([0.1, 0.2, 0.3, 0.4].map((v) => Math.round(v * 255)));
  });

  it('accepts 0.5 and 0,5 in the same file, and a label written 5,0', () => {
    const r = parseEvery('label;a;b;c;d\n5,0;0,5;0.5;1;0\n');
    expect([...r.data.pixels]).toEqual([128, 128, 255, 0]);
    expect([...(r.data.labels ?? [])]).toEqual([5]);
    expect(r.separator).toBe('semicolon, decimal commas');
  });

  it('says "decimal commas" only when a value was read with one: not for whole numbers, nor for a bad row left out', () => {
    expect(parseEvery('label;a;b;c;d\n1;0;0.5;1;0\n').separator).toBe('semicolon');
    const skipped = parseEvery('label;a;b;c;d\n1;0;0.5;1;0\n2;0,5;1;0;x\n', true);
    expect([skipped.separator, skipped.data.rows, skipped.skipped.lines]).toEqual(['semicolon', 1, [3]]);
  });

  it('1,000 is 1.0, not a thousand (pixels 0–255 have no thousands), and 255,0 is 255: whole numbers stay 0–255', () => {
    const r = parseEvery('label;a;b;c;d\n1;1,000;255,0;0,0;3\n');
    expect([...r.data.pixels]).toEqual([1, 255, 0, 3]);
    expect([r.scaledFromUnit, r.separator]).toEqual([false, 'semicolon, decimal commas']);
  });

  it('an odd or out-of-range value gives the error naming its line and column, as written', () => {
    const head = 'label;a;b;c;d\n1;0;0;0;0\n';
    expect(messageOf(`${head}1;2;12,5;0;0\n`)).toBe('t.csv:3:3 (column "b"): expected a whole number 0–255, found "12,5" (not a whole number)');
    expect(messageOf(`${head}1;256,0;0;0;0\n`)).toBe('t.csv:3:2 (column "a"): expected a whole number 0–255, found "256,0" (out of range)');
    expect(messageOf(`${head}1;0,5;0;0;0\n1;1,5;0;0;0\n`)).toBe('t.csv:4:2 (column "a"): expected a value 0–1 (this file holds 0–1 floats since line 3), found "1,5" (out of range)');
    expect(messageOf(`${head}1;200;0;0;0\n1;0,5;0;0;0\n`)).toBe('t.csv:4:2 (column "a"): expected a whole number 0–255, found "0,5" (earlier values go up to 200, so this is not a 0–1 file)');
    expect(messageOf(`${head}3,5;0;0;0;0\n`)).toBe('t.csv:3:1 (column "label"): expected a whole-number class label 0–255, found "3,5" (bad label)');
    expect(messageOf('3,5;0;0;0;0\n')).toBe('t.csv:1:1: expected a whole-number class label 0–255, found "3,5" (bad label)');
  });

  it('malformed values: two commas, two decimal marks, an empty value are not numbers; ,5 and 5, read as .5 and 5. do', () => {
    const head = 'label;a;b;c;d\n';
    expect(messageOf(`${head}1;0,,5;0;0;0\n`)).toBe('t.csv:2:2 (column "a"): expected a number, found "0,,5" (not a number)');
    expect(messageOf(`${head}1;0,5,3;0;0;0\n`)).toBe('t.csv:2:2 (column "a"): expected a number, found "0,5,3" (not a number)');
    expect(messageOf(`${head}1;0,5.3;0;0;0\n`)).toBe('t.csv:2:2 (column "a"): expected a number, found "0,5.3" (not a number)');
    expect(messageOf(`${head}1;,;0;0;0\n`)).toBe('t.csv:2:2 (column "a"): expected a number, found "," (not a number)');
    expect(messageOf(`${head}1;;0;0;0\n`)).toBe('t.csv:2:2 (column "a"): expected a number, found an empty value');
    for (const [comma, dot] of [[',5', '.5'], ['5,', '5.'], ['+5,0', '+5.0'], ['5,0e1', '5.0e1']]) {
      const r = parseEvery(`${head}1;${comma};1;0;0\n`);
      expect(r.data).toEqual(parseEvery(`${head}1;${dot};1;0;0\n`).data);
      expect(r.separator).toBe('semicolon, decimal commas');
    }
  });

  it('any value written with a comma for its dot reads as with the dot: the same data, or the same problem', () => {
    const field = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.', 'e', '-', '+', ' '), { minLength: 1, maxLength: 7 }).map((a) => a.join(''));
    const normal = (p: ParseProblem) => ({ ...p, found: p.found.replaceAll(',', '.'), message: p.message.replaceAll(',', '.') });
    const outcome = (text: string) => {
      try {
        const r = parseCsv(text);
        return { data: r.data, scaledFromUnit: r.scaledFromUnit, separator: r.separator };
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        return { problems: error.problems.map(normal) };
      }
    };
    fc.assert(
      fc.property(field, field, (a, b) => {
        const dot = `label;a;b;c;d\n1;0;1;0;0\n2;${a};1;${b};0\n`;
        const withCommas = outcome(dot.replaceAll('.', ','));
        const withDots = outcome(dot);
        const commaRead = 'data' in withDots && (a + b).includes('.');
        expect(withCommas).toEqual({ ...withDots, ...('data' in withDots ? { separator: commaRead ? 'semicolon, decimal commas' : 'semicolon' } : {}) });
      }),
      { numRuns: 400 },
    );
  });

  it('files separated by commas keep the comma as their separator: 0,5 is two values', () => {
    const r = parseEvery('1,0,5,0,0\n');
    expect([r.separator, r.data.width, ...r.data.pixels]).toEqual(['comma', 2, 0, 5, 0, 0]);
    expect(problemsOf('label,a,b,c,d\n1,0,5,0,0,0\n').problems[0].message).toBe('t.csv:2:6: expected 5 values, found 6 values (column 6 is extra)');
  });

  it('a large semicolon export of a 0–1 data set reads back what was written', () => {
    const data = makeData(50, 4, 10);
    const text = formatCsv(data)
      .split('\n')
      .map((line, k) => (k === 0 ? line.replaceAll(',', ';') : line.replace(/,(\d+)/g, (_, v: string) => `;${(Number(v) / 255).toFixed(4).replace('.', ',')}`)))
      .join('\n');
    const r = parseEvery(text);
    expect([r.separator, r.scaledFromUnit]).toEqual(['semicolon, decimal commas', true]);
    expect(r.data.pixels).toEqual(data.pixels);
    expect(r.data.labels).toEqual(data.labels);
  });
});
