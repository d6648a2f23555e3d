// Property-based fuzzing: random bytes, truncations and mutations of valid files never crash or hang the
// parser; the outcome is always a well-formed parse or a ParseError whose problems are positioned — and it
// does not depend on how the input was cut into chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from './csv-writer';
import { ParseError } from './errors';
import { bytesOf, makeData, parseCsv } from './test-helpers';

type Outcome = { ok: true; rows: number; pixels: number[]; labels: number[] | null; separator: string } | { ok: false; messages: string[] };

function outcome(bytes: Uint8Array, chunk: number, skipBadRows = false, fastPath = true): Outcome {
  try {
    const r = parseCsv(bytes, { chunk, skipBadRows, fastPath });
    const { data } = r;
    const size = data.width * data.height;
    expect(data.rows).toBeGreaterThan(0);
    expect(size).toBeGreaterThan(0);
    expect(data.pixels.length).toBe(data.rows * size);
    if (data.labels) {
      expect(data.labels.length).toBe(data.rows);
      for (const l of data.labels) expect(l).toBeLessThan(data.classes);
    }
    if (skipBadRows) expect(r.skipped.lines.length).toBe(r.skipped.count);
    return { ok: true, rows: data.rows, pixels: [...data.pixels], labels: data.labels ? [...data.labels] : null, separator: r.separator };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems.length).toBeLessThanOrEqual(10);
    for (const p of error.problems) {
      expect(p.file).toBe('t.csv');
      expect(p.message.startsWith('t.csv')).toBe(true);
      expect(p.line !== null || p.byteOffset !== null).toBe(true);
      if (p.line !== null) expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.expected.length).toBeGreaterThan(0);
    }
    return { ok: false, messages: error.problems.map((p) => p.message) };
  }
}

/** Parses whole and in `chunk`-byte pieces, with and without the fast path: same outcome, well formed. */
function check(bytes: Uint8Array, chunk: number, skipBadRows = false): void {
  const whole = outcome(bytes, 1 << 20, skipBadRows);
  expect(outcome(bytes, chunk, skipBadRows)).toEqual(whole);
  expect(outcome(bytes, chunk, skipBadRows, false)).toEqual(whole);
}

/** A file as formatCsv writes it, values separated by `separator` and, in a semicolon or tab file with
 *  `decimalCommas`, every other value written with a decimal comma (7 as 7,0). */
function written(data: ReturnType<typeof makeData>, separator: string, decimalCommas: boolean): string {
  const comma = (value: string, row: number, column: number) => decimalCommas && separator !== ',' && row > 0 && value !== '' && (row + column) % 2 === 0;
  const lines = formatCsv(data).split('\n');
  return lines.map((line, row) => line.split(',').map((v, column) => (comma(v, row, column) ? `${v},0` : v)).join(separator)).join('\n');
}

const validFile = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), side: fc.integer({ min: 1, max: 4 }), labeled: fc.boolean(), seed: fc.nat(), crlf: fc.boolean(), separator: fc.constantFrom(',', ',', ';', '\t'), decimalCommas: fc.boolean() })
  .map(({ rows, side, labeled, seed, crlf, separator, decimalCommas }) => {
    const text = written(makeData(rows, side, 5, labeled, seed), separator, decimalCommas);
    return bytesOf(crlf ? text.replace(/\n/g, '\r\n') : text);
  });

/** Bytes that CSV parsers trip over. */
const tricky = fc.constantFrom(...[44, 59, 10, 13, 32, 9, 34, 46, 45, 43, 101, 48, 49, 57, 0, 0xef, 0xbb, 0xbf, 0xff, 97]);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.oneof(tricky, fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: tricky }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(bytes: Uint8Array, mutations: Array<{ kind: 'set' | 'insert' | 'delete'; at: number; byte: number }>): Uint8Array {
  let out = [...bytes];
  for (const m of mutations) {
    const at = out.length ? m.at % out.length : 0;
    if (m.kind === 'set' && out.length) out[at] = m.byte;
    else if (m.kind === 'insert') out.splice(at, 0, m.byte);
    else out = out.slice(0, at).concat(out.slice(at + m.byte));
  }
  return Uint8Array.from(out);
}

describe('CSV parser fuzzing (fast-check)', () => {
  it('random bytes: a parse or a positioned error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => check(bytes, chunk)),
      { numRuns: 400 },
    );
  });

  it('random text of CSV-ish characters', () => {
    const csvish = fc.array(tricky, { maxLength: 200 }).map((a) => Uint8Array.from(a));
    fc.assert(fc.property(csvish, fc.integer({ min: 1, max: 16 }), fc.boolean(), (bytes, chunk, skip) => check(bytes, chunk, skip)), { numRuns: 400 });
  });

  it('truncations of valid files', () => {
    fc.assert(
      fc.property(validFile, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 32 }), (bytes, cut, chunk) => {
        check(bytes.subarray(0, Math.floor(bytes.length * cut)), chunk);
      }),
      { numRuns: 300 },
    );
  });

  it('mutations of valid files', () => {
    fc.assert(
      fc.property(validFile, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 32 }), fc.boolean(), (bytes, mutations, chunk, skip) => {
        check(mutate(bytes, mutations), chunk, skip);
      }),
      { numRuns: 400 },
    );
  });

  it('valid files parse to what was written, separated by commas, semicolons or tabs, with decimal commas or not', () => {
    const separator = fc.constantFrom(',', ';', '\t');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.integer({ min: 1, max: 40 }), separator, fc.boolean(), (rows, side, seed, chunk, by, commas) => {
        const data = makeData(rows, side, 7, true, seed);
        const text = written(data, by, commas);
        const r = parseCsv(text, { chunk });
        expect(r.data.pixels).toEqual(data.pixels);
        expect(r.data.labels).toEqual(data.labels);
        const name = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }[by];
        expect(r.separator).toBe(by !== ',' && /\d,0/.test(text) ? `${name}, decimal commas` : name);
      }),
      { numRuns: 200 },
    );
  });
});
