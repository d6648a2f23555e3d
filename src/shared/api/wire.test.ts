import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, fromWire, toWire } from './wire';

describe('wire encoding', () => {
  it('base64 matches Node and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64ToBytes(text)).toEqual(bytes);
      }),
    );
  });

  it('carries typed arrays inside nested values through JSON', () => {
    const value = { a: new Float32Array([1.5, -2, 3e-8]), list: [new Uint8Array([0, 255]), { n: 1, s: 'x' }], none: null };
    const back = fromWire(JSON.parse(JSON.stringify(toWire(value)))) as typeof value;
    expect(back.a).toBeInstanceOf(Float32Array);
    expect(Array.from(back.a)).toEqual(Array.from(value.a));
    expect(back.list[0]).toEqual(new Uint8Array([0, 255]));
    expect(back.list[1]).toEqual({ n: 1, s: 'x' });
  });

  it('encodes a view, not its whole buffer', () => {
    const buffer = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const back = fromWire(toWire(buffer.subarray(2, 5)));
    expect(back).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('rejects malformed payloads', () => {
    expect(() => base64ToBytes('abc')).toThrow('multiple of 4');
    expect(() => base64ToBytes('ab$=')).toThrow('invalid base64 character at 2');
    // '=' only as padding at the end; characters beyond ASCII (one whose low byte is 'A') are not base64
    expect(() => base64ToBytes('A=AA')).toThrow('invalid base64 character at 1');
    expect(() => base64ToBytes('AAAAA===')).toThrow('invalid base64 character at 5');
    expect(() => base64ToBytes('AAAA\u0141AAA')).toThrow('invalid base64 character at 4');
    expect(() => base64ToBytes('A===')).toThrow('invalid base64 character at 1');
    expect(() => base64ToBytes('====')).toThrow('invalid base64 character at 0');
    expect(base64ToBytes('AA==')).toEqual(new Uint8Array([0]));
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
    expect(() => fromWire({ $typed: 'Float32Array', base64: 'AAA=' })).toThrow('Float32Array payload has 2 bytes');
    expect(() => fromWire({ $typed: 'Function', base64: '' })).toThrow();
  });
});
