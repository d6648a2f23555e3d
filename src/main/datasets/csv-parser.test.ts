import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileRowNumber } from '../../shared/datasets';
import { csvHeader, formatCsv } from './csv-writer';
import { bytesOf, makeData, parseCsv, problemsOf } from './test-helpers';

const HEADER_2x2 = 'label,1x1,1x2,2x1,2x2';

describe('CSV formats', () => {
  it('reads MNIST-in-CSV (label,1x1,…) — the notebook file', () => {
    const r = parseCsv(`${HEADER_2x2}\n5,0,255,12,3\n0,1,2,3,4\n`);
    expect(r.header).toBe(true);
    expect(r.labelColumn).toBe(1);
    expect(r.data.rows).toBe(2);
    expect([r.data.width, r.data.height, r.data.classes]).toEqual([2, 2, 6]);
    expect([...(r.data.labels ?? [])]).toEqual([5, 0]);
    expect([...r.data.pixels]).toEqual([0, 255, 12, 3, 1, 2, 3, 4]);
    expect(r.data.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(r.data.labels?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('reads a 28×28 file: size and classes come from the data', () => {
    const data = makeData(30, 28, 10);
    const r = parseCsv(formatCsv(data));
    expect([r.data.width, r.data.height, r.data.rows, r.data.classes]).toEqual([28, 28, 30, 10]);
    expect(r.data.pixels).toEqual(data.pixels);
  });

  it('reads Kaggle train.csv (label,pixel0,…) and its unlabeled test.csv (pixel0,…)', () => {
    const train = parseCsv('label,pixel0,pixel1,pixel2,pixel3\n1,9,8,7,6\n');
    expect([...(train.data.labels ?? [])]).toEqual([1]);
    expect([...train.data.pixels]).toEqual([9, 8, 7, 6]);
    const test = parseCsv('pixel0,pixel1,pixel2,pixel3\n9,8,7,6\n1,2,3,4\n');
    expect(test.data.labels).toBeNull();
    expect(test.labelColumn).toBeNull();
    expect(test.data.classes).toBe(0);
    expect([...test.data.pixels]).toEqual([9, 8, 7, 6, 1, 2, 3, 4]);
  });

  it('reads headerless label-first files (1 + side² columns) and headerless unlabeled ones (side²)', () => {
    const labeled = parseCsv('3,1,2,3,4\n7,5,6,7,8');
    expect(labeled.header).toBe(false);
    expect([...(labeled.data.labels ?? [])]).toEqual([3, 7]);
    expect([...labeled.data.pixels]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const unlabeled = parseCsv('1,2,3,4,5,6,7,8,9\n');
    expect(unlabeled.data.labels).toBeNull();
    expect([unlabeled.data.width, unlabeled.data.rows]).toEqual([3, 1]);
  });

  it('finds a label column anywhere in a header', () => {
    const r = parseCsv('p0,p1,Label,p2,p3\n10,11,4,12,13\n');
    expect(r.labelColumn).toBe(3);
    expect([...(r.data.labels ?? [])]).toEqual([4]);
    expect([...r.data.pixels]).toEqual([10, 11, 12, 13]);
  });

  it('accepts CRLF, a BOM, spaces and tabs around values, quotes, blank lines and no final newline', () => {
    const text = `\uFEFF"label", 1x1 ,1x2,2x1,2x2\r\n 5 ,\t0, "255",12 ,3\r\n\r\n0,1,2,3,4`;
    const r = parseCsv(text);
    expect(r.header).toBe(true);
    expect([...(r.data.labels ?? [])]).toEqual([5, 0]);
    expect([...r.data.pixels]).toEqual([0, 255, 12, 3, 1, 2, 3, 4]);
    expect(parseCsv(`${HEADER_2x2}\n1,1,2,3,4\n\n\n`).data.rows).toBe(1);
  });

  it('keeps every row through buffer growth: unknown size, too small and too large estimates', () => {
    const data = makeData(5000, 3, 10);
    const text = formatCsv(data);
    for (const expectedBytes of [null, 100, text.length * 3, text.length]) {
      const r = parseCsv(text, { expectedBytes, chunk: 4093 });
      expect(r.data.rows).toBe(5000);
      expect(Buffer.from(r.data.pixels).equals(Buffer.from(data.pixels))).toBe(true);
      expect(Buffer.from(r.data.labels as Uint8Array).equals(Buffer.from(data.labels as Uint8Array))).toBe(true);
    }
  });

  it('fast path and general path agree on edge values (leading zeros, 3 and 4 digits, CR)', () => {
    for (const text of ['7,0255,000,99,255\n', '7,1,2,3,256\n', '7,1,2,3,1000\n', '7,1,2,3,4\r\n', '255,10,100,5,0', '256,1,2,3,4\n', '7,1,2,3,4,\n']) {
      const run = (fastPath: boolean) => {
        try {
          const r = parseCsv(text, { fastPath });
          return { pixels: [...r.data.pixels], labels: [...(r.data.labels ?? [])] };
        } catch (error) {
          return { error: (error as Error).message };
        }
      };
      expect(run(true)).toEqual(run(false));
    }
    expect([...parseCsv('7,0255,000,99,255\n').data.pixels]).toEqual([255, 0, 99, 255]);
  });

  it('gives the same result for every chunking, down to one byte at a time', () => {
    const text = `\uFEFF${HEADER_2x2}\r\n5,0,255,12,3\r\n0, 1,2.0,3,4\n`;
    const whole = parseCsv(text);
    for (const chunk of [1, 2, 3, 7, 13]) {
      const r = parseCsv(text, { chunk });
      expect(r.data).toEqual(whole.data);
    }
  });

  it('detects files of 0–1 floats, scales them to 0–255 and says so', () => {
    const r = parseCsv(`${HEADER_2x2}\n1,0,1,0,0\n2,0.5,1.0,0,0.2\n3,1,0,0.25,0\n`);
    expect(r.scaledFromUnit).toBe(true);
    expect([...r.data.pixels]).toEqual([0, 255, 0, 0, 128, 255, 0, 51, 255, 0, 64, 0]);
    expect(parseCsv(`${HEADER_2x2}\n1,0,9,0,0\n`).scaledFromUnit).toBe(false);
  });

  it('reads decimals as Number() does (the byte-level decimal reader against the plain twin)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.nat(), (places, seed) => {
        const digits = String(seed).padStart(places, '0').slice(-places);
        const text = places ? `0.${digits}` : '1.';
        const r = parseCsv(`label,a,b,c,d\n1,0,0.5,${text},1\n`);
        expect(r.data.pixels[2]).toBe(Math.round(Number(text) * 255));
      }),
      { numRuns: 300 },
    );
  });

  it('reads files whose values are separated by semicolons or tabs (a spreadsheet’s CSV), on both paths and any chunking', () => {
    const data = makeData(40, 5, 10);
    const comma = formatCsv(data);
    for (const separator of [';', '\t']) {
      const text = comma.replaceAll(',', separator);
      for (const fastPath of [true, false]) {
        for (const chunk of [1 << 16, 7]) {
          const r = parseCsv(text, { fastPath, chunk });
          expect([r.header, r.labelColumn, r.data.width, r.data.rows]).toEqual([true, 1, 5, 40]);
          expect(r.data.pixels).toEqual(data.pixels);
          expect(r.data.labels).toEqual(data.labels);
          expect(r.separator).toBe(separator === ';' ? 'semicolon' : 'tab');
        }
      }
    }
    // headerless, with spaces and a decimal row (the general path) between plain ones
    const r = parseCsv('3; 1;2;3;4\n7;5;6.0;7;8\n1;0;0;0;9\n');
    expect([...(r.data.labels ?? [])]).toEqual([3, 7, 1]);
    expect([...r.data.pixels]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 9]);
  });

  it('keeps commas as the separator whenever they give a layout (a semicolon inside a header name is just text)', () => {
    const r = parseCsv('label,a;1,b,c,d\n1,9,8,7,6\n');
    expect(r.separator).toBe('comma');
    expect([...r.data.pixels]).toEqual([9, 8, 7, 6]);
    expect(r.data.width).toBe(2);
  });

  it('reads whole numbers written as floats (numpy.savetxt default %.18e)', () => {
    const r = parseCsv('3.000000000000000000e+00,1.200000000000000000e+01,0.0,2.55e2,7\n');
    expect([...(r.data.labels ?? [])]).toEqual([3]);
    expect([...r.data.pixels]).toEqual([12, 0, 255, 7]);
    expect(r.scaledFromUnit).toBe(false);
  });
});

describe('CSV errors name the file, line and column, what was found and what was expected', () => {
  it('wrong column count: too few', () => {
    const { problems } = problemsOf(`${HEADER_2x2}\n1,1,2,3,4\n2,1,2\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 't.csv', line: 3, column: 4, found: '3 values', expected: '5 values' });
    expect(problems[0].message).toBe('t.csv:3:4 (column "2x1"): expected 5 values, found 3 values (the row ends early)');
  });

  it('wrong column count: too many', () => {
    const { problems } = problemsOf('1,1,2,3,4\n2,1,2,3,4,5,6\n');
    expect(problems[0]).toMatchObject({ line: 2, column: 6, found: '7 values', expected: '5 values' });
    expect(problems[0].message).toBe('t.csv:2:6: expected 5 values, found 7 values (column 6 is extra)');
  });

  it('not a number', () => {
    const { problems } = problemsOf(`${HEADER_2x2}\n1,1,abc,3,4\n`);
    expect(problems[0]).toMatchObject({ line: 2, column: 3, found: '"abc"', expected: 'a number' });
    expect(problems[0].message).toBe('t.csv:2:3 (column "1x2"): expected a number, found "abc" (not a number)');
  });

  it('an empty value', () => {
    const { problems } = problemsOf('1,1,,3,4\n');
    expect(problems[0]).toMatchObject({ line: 1, column: 3, found: 'an empty value', expected: 'a number' });
  });

  it('a pixel out of range, or a fraction in a 0–255 file', () => {
    expect(problemsOf('1,1,256,3,4\n').problems[0]).toMatchObject({ line: 1, column: 3, found: '"256"', expected: 'a whole number 0–255' });
    expect(problemsOf('1,1,2,-1,4\n').problems[0].message).toBe('t.csv:1:4: expected a whole number 0–255, found "-1" (out of range)');
    const fraction = problemsOf('1,200,2,3,4\n1,0.5,2,3,4\n').problems[0];
    expect(fraction).toMatchObject({ line: 2, column: 2, found: '"0.5"' });
    expect(fraction.message).toContain('earlier values go up to 200, so this is not a 0–1 file');
    expect(problemsOf('1,0.5,2,3,4\n').problems[0].message).toContain('(this file holds 0–1 floats since line 1)');
  });

  it('a semicolon file names its problems by its own values', () => {
    const few = problemsOf('5;1;2;3;4\n6;1;2;3\n');
    expect(few.problems[0]).toMatchObject({ line: 2, expected: '5 values', found: '4 values' });
  });

  it('a bad label', () => {
    for (const label of ['256', '3.5', '-1']) {
      const { problems } = problemsOf(`${HEADER_2x2}\n${label},1,2,3,4\n`);
      expect(problems[0]).toMatchObject({ line: 2, column: 1, found: `"${label}"`, expected: 'a whole-number class label 0–255' });
      expect(problems[0].message).toBe(`t.csv:2:1 (column "label"): expected a whole-number class label 0–255, found "${label}" (bad label)`);
    }
  });

  it('an empty file, a blank file, a header only', () => {
    expect(problemsOf('').problems[0].message).toBe('t.csv:1:1: expected a header or data rows, found an empty file (0 bytes)');
    expect(problemsOf('\n \r\n').problems[0].found).toBe('only blank lines');
    const headerOnly = problemsOf(`${HEADER_2x2}\n`).problems[0];
    expect(headerOnly.message).toBe('t.csv:2:1: expected data rows after the header, found nothing (the file has a header only)');
  });

  it('binary garbage', () => {
    const { problems } = problemsOf(new Uint8Array([0x51, 0x4b, 0x03, 0x04, 0, 0, 1, 2]));
    expect(problems[0]).toMatchObject({ byteOffset: 2, line: null, expected: 'a CSV text file (or an IDX file)', found: 'binary data (byte 0x03)' });
    expect(problems[0].message).toBe('t.csv (byte 2): expected a CSV text file (or an IDX file), found binary data (byte 0x03)');
  });

  it('names a binary file dropped by mistake when its first bytes say what it is', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(problemsOf(png).problems[0].message).toBe('t.csv (byte 0): expected a CSV text file (or an IDX file), found a PNG image, binary data');
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]);
    expect(problemsOf(xlsx).problems[0].found).toBe('a ZIP archive (an Excel .xlsx workbook is one: save it as CSV from Excel), binary data');
    const npy = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0x76, 0]);
    expect(problemsOf(npy).problems[0].found).toMatch(/^a NumPy array/);
    // a text file that merely starts like one is text: only files with control bytes are checked
    expect(problemsOf('%PDF,1,2,3,4\n1,1,2,3,4\n').problems[0]?.found ?? '').not.toMatch(/PDF document|binary/);
  });

  it('a text file of prose is not a header-only data set', () => {
    expect(problemsOf('These are my notes about the data set\n').problems[0].message).toBe(
      't.csv:1:1: expected a header with side×side pixel columns (784 = 28×28, 64 = 8×8, …), or columns named row x column (1x1 … 24x32), and an optional "label" column, found 1 pixel column (no "label" column)',
    );
  });

  it('says how many values a line has with its thousands grouped', () => {
    expect(problemsOf(`${Array(3_000_000).fill(1).join(',')}\n`).problems[0].found).toMatch(/^3,000,000 values \(/);
    expect(problemsOf(`${HEADER_2x2}\n1,1,2,3,4\n${Array(1205).fill(1).join(',')}\n`).problems[0].found).toBe('1,205 values');
  });

  it('a first line that is no known layout', () => {
    const { problems } = problemsOf('1,2,3,4,5,6\n');
    expect(problems[0]).toMatchObject({ line: 1, column: 1 });
    expect(problems[0].expected).toContain('785 = 1 + 28×28');
    expect(problemsOf('a,b,c\n1,2,3\n').problems[0].found).toBe('3 pixel columns');
  });

  it('lists up to the first 10 problems and says it stopped', () => {
    const rows = Array.from({ length: 25 }, (_, k) => (k % 2 ? '1,x,2,3,4' : '1,1,2,3,4'));
    const { problems, truncated, message } = problemsOf(rows.join('\n'));
    expect(problems).toHaveLength(10);
    expect(truncated).toBe(true);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(message).toContain('(stopped after the first 10 problems)');
  });

  it('skip bad rows: reports exactly how many and which lines, keeps the rest', () => {
    const text = `${HEADER_2x2}\n1,1,2,3,4\n2,x,2,3,4\n3,1,2\n4,1,2,3,4\n5,1,2,3,999\n`;
    const r = parseCsv(text, { skipBadRows: true });
    expect(r.data.rows).toBe(2);
    expect([...(r.data.labels ?? [])]).toEqual([1, 4]);
    expect([...r.data.pixels]).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(r.skipped.count).toBe(3);
    expect(r.skipped.lines).toEqual([3, 4, 6]);
    expect(r.skipped.problems.map((p) => p.line)).toEqual([3, 4, 6]);
    // Without the choice, the same file fails with the same three problems.
    expect(problemsOf(text).problems.map((p) => [p.line, p.column])).toEqual([[3, 2], [4, 4], [6, 5]]);
  });

  it('says whether skipping bad rows can get past the problems: rows with bad values, not whole-file ones', () => {
    expect(problemsOf(`${HEADER_2x2}\n1,1,2,3,4\n2,x,2,3,4\n3,1,2\n`).skippable).toBe(true);
    expect(problemsOf(Array.from({ length: 25 }, (_, k) => (k % 2 ? '1,x,2,3,4' : '1,1,2,3,4')).join('\n'))).toMatchObject({ truncated: true, skippable: true });
    const wholeFile = [
      '', // empty
      '\n \r\n', // blank lines only
      `${HEADER_2x2}\n`, // a header only
      '1,2,3,4,5,6\n', // no known layout
      'a,b,c\n1,2,3\n', // a header with no square number of pixels
      '1,1,,3,4\n', // an empty value in the only line: its layout cannot be read, skipped or not
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), // binary data
    ];
    for (const input of wholeFile) expect(problemsOf(input).skippable).toBe(false);
    expect(problemsOf(`${HEADER_2x2}\n`, { skipBadRows: true }).skippable).toBe(false);
    // Every row bad while skipping leaves no rows: a whole-file problem, though its problems are the rows'.
    const allBad = problemsOf(`${HEADER_2x2}\n2,x,2,3,4\n3,1,2\n`, { skipBadRows: true });
    expect(allBad.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(allBad.message).toMatch(/^every row of t\.csv has a problem \(2 rows\), so leaving them out leaves nothing to read: 2 problems:\n/); // said first: skipping cannot help
    expect(allBad.skippable).toBe(false);
    const manyBad = problemsOf(Array.from({ length: 25 }, () => '1,x,2,3,4').join('\n'), { skipBadRows: true });
    expect(manyBad.message).toMatch(/^every row of t\.csv has a problem \(25 rows\)/);
    expect([manyBad.problems.length, manyBad.truncated]).toEqual([10, true]);
  });

  it('names standardized data (z-scores) as the whole file’s problem, not as rows to skip', () => {
    // Each pixel's (x − mean) / std: negative fractions and fractions above 1 on every row.
    const zRow = (k: number) => `${k % 3},${(-0.4 - k / 100).toFixed(3)},1.${k + 100},-0.922,0.5`;
    const lead = /^the values of t\.csv look standardized \(negative fractions such as "-0\.\d+"\), not grey levels: MLP Studio reads whole numbers 0–255 or fractions 0–1/;
    for (const rows of [4, 30]) {
      const text = Array.from({ length: rows }, (_, k) => zRow(k)).join('\n');
      for (const skipBadRows of [false, true]) {
        const e = problemsOf(text, { skipBadRows });
        expect(e.message).toMatch(lead);
        expect(e.skippable).toBe(false);
        expect(e.problems.length).toBe(Math.min(rows, 10));
      }
    }
    // One damaged row among good ones, or negative whole numbers alone (no fraction): rows to skip, said as before.
    const oneBad = problemsOf(['1,1,2,3,4', '2,-0.5,1.5,3,4', '3,5,6,7,8', '1,1,2,3,4'].join('\n'));
    expect([oneBad.skippable, oneBad.message]).toEqual([true, expect.not.stringMatching(/standardized/)]);
    const firstBad = problemsOf(['2,-0.5,1.5,3,4', '1,1,2,3,4', '3,5,6,7,8', '1,1,2,3,4'].join('\n'));
    expect([firstBad.skippable, firstBad.message]).toEqual([true, expect.not.stringMatching(/standardized/)]);
    const negativeWholes = problemsOf(Array.from({ length: 12 }, () => '1,-1,2,3,4').join('\n'));
    expect([negativeWholes.skippable, negativeWholes.message]).toEqual([true, expect.not.stringMatching(/standardized/)]);
    // Other problems among them (a bad label): not only the scale, so not said.
    const mixed = problemsOf(['1,-0.5,1.5,3,4', 'x,-0.5,1.5,3,4', '1,-0.5,1.5,3,4', '1,-0.5,1.5,3,4'].join('\n'));
    expect(mixed.message).not.toMatch(/standardized/);
  });

  it('skip bad rows counts every bad line, beyond the first 10', () => {
    const rows = Array.from({ length: 40 }, (_, k) => (k % 4 === 0 ? '1,1,2,3,4' : '1,1,2,3,x'));
    const r = parseCsv(rows.join('\n'), { skipBadRows: true });
    expect(r.data.rows).toBe(10);
    expect(r.skipped.count).toBe(30);
    expect(r.skipped.lines).toHaveLength(30);
    expect(r.skipped.problems).toHaveLength(10);
  });

  it("records where the rows left out were among the file's data rows (header and blank lines are not rows)", () => {
    // Lines: 1 header, 2 good, 3 bad, 4 blank, 5 good, 6 bad, 7 bad, 8 good.
    const text = [HEADER_2x2, '1,1,2,3,4', '1,x,2,3,4', '', '2,1,2,3,4', '1,1,2', '1,1,2,3,4,5', '3,1,2,3,4'].join('\n');
    for (const chunk of [3, 1 << 16]) {
      const r = parseCsv(text, { skipBadRows: true, chunk });
      expect([r.data.rows, r.skipped.lines, r.skipped.rows]).toEqual([3, [3, 6, 7], [1, 3, 4]]);
      // So the data set's rows 0, 1, 2 are the file's rows 1, 3 and 6.
      expect([0, 1, 2].map((k) => fileRowNumber(k, r.skipped.rows))).toEqual([1, 3, 6]);
    }
    // A bad first row, among the lines the layout is read from.
    expect(parseCsv(['1,1,2,3', '1,1,2,3,4', '2,1,2,3,4', '3,1,2,3,4', '1,1,2,3,4'].join('\n'), { skipBadRows: true }).skipped.rows).toEqual([0]);
  });
});

describe('CSV round trip', () => {
  it('CSV → parse → CSV is identical, labeled and unlabeled', () => {
    for (const data of [makeData(50, 28, 10), makeData(7, 3, 4), makeData(9, 5, 1, false)]) {
      const text = formatCsv(data);
      const parsed = parseCsv(text, { chunk: 997 });
      expect(parsed.data.pixels).toEqual(data.pixels);
      expect(parsed.data.labels).toEqual(data.labels);
      expect(formatCsv(parsed.data)).toBe(text);
    }
  });

  it('writes the notebook header', () => {
    expect(csvHeader(2, 2, true)).toBe(HEADER_2x2);
    expect(csvHeader(28, 28, true).split(',')).toHaveLength(785);
    expect(csvHeader(28, 28, true).endsWith(',28x28')).toBe(true);
  });

  it('reads its own bytes regardless of the label being the largest value', () => {
    const r = parseCsv(bytesOf('9,0,0,0,0\n'));
    expect(r.data.classes).toBe(10);
  });
});
