// Property-based fuzzing of the IDX parser: random bytes, truncations and mutations of valid files give either
// the data or a ParseError positioned by byte — the same whatever the chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from './errors';
import { IdxParser } from './idx-parser';
import { idxBytes } from './test-helpers';

function outcome(bytes: Uint8Array, chunk: number, exact: boolean) {
  const parser = new IdxParser('f-idx3-ubyte', exact ? bytes.length : null);
  try {
    for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
    const r = parser.finish();
    const items = r.dims.reduce((a, b) => a * b, 1);
    expect(r.data.length).toBe(items);
    expect(r.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    return { dims: r.dims, data: [...r.data] };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    expect(error.problems).toHaveLength(1);
    const p = error.problems[0];
    expect(p.byteOffset).not.toBeNull();
    expect(p.message.startsWith('f-idx3-ubyte (byte ')).toBe(true);
    return { error: p.message };
  }
}

function check(bytes: Uint8Array, chunk: number, exact: boolean) {
  expect(outcome(bytes, chunk, exact)).toEqual(outcome(bytes, 1 << 20, exact));
}

const validIdx = fc
  .record({ n: fc.integer({ min: 0, max: 5 }), side: fc.integer({ min: 1, max: 4 }), images: fc.boolean(), seed: fc.nat() })
  .map(({ n, side, images, seed }) => {
    const dims = images ? [n, side, side] : [n];
    const count = dims.reduce((a, b) => a * b, 1);
    return idxBytes(dims, Uint8Array.from({ length: count }, (_, k) => (k * 31 + seed) & 255));
  });

describe('IDX parser fuzzing (fast-check)', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), check), { numRuns: 400 });
  });

  it('random headers that start like IDX', () => {
    const header = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.uint8Array({ minLength: 0, maxLength: 40 })).map(([dims, rest]) => Uint8Array.from([0, 0, 8, dims, ...rest]));
    fc.assert(fc.property(header, fc.integer({ min: 1, max: 9 }), fc.boolean(), check), { numRuns: 400 });
  });

  it('truncations and mutations of valid files', () => {
    fc.assert(
      fc.property(validIdx, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (bytes, cut, at, byte, chunk, exact) => {
        check(bytes.subarray(0, cut % (bytes.length + 1)), chunk, exact);
        const mutated = Uint8Array.from(bytes);
        mutated[at % mutated.length] = byte;
        check(mutated, chunk, exact);
      }),
      { numRuns: 400 },
    );
  });

  it('valid files parse to what was written', () => {
    const data = Uint8Array.from({ length: 3 * 2 * 2 }, (_, k) => k * 20);
    expect(outcome(idxBytes([3, 2, 2], data), 5, true)).toEqual({ dims: [3, 2, 2], data: [...data] });
  });
});
