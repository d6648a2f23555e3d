import { describe, expect, it } from 'vitest';
import { asciiBytes, float32FromLittleEndian, float32LittleEndian, LITTLE_ENDIAN_HOST } from './bytes';

describe('file bytes', () => {
  // 1.5 = 0x3fc00000, -2 = 0xc0000000, a subnormal, NaN's bits and -0 kept as they are.
  const values = new Float32Array([1.5, -2, 1e-40, NaN, -0]);
  const expected = [0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, ...new Uint8Array(new Float32Array([1e-40]).buffer), 0x00, 0x00, 0xc0, 0x7f, 0x00, 0x00, 0x00, 0x80];

  it('float32 as little-endian bytes, by the copy and value by value alike, from a view into a larger buffer', () => {
    expect(LITTLE_ENDIAN_HOST).toBe(true); // every machine the app ships for
    const inside = new Float32Array(9);
    inside.set(values, 2);
    const view = inside.subarray(2, 7);
    expect([...float32LittleEndian(view)]).toEqual(expected);
    expect([...float32LittleEndian(view, false)]).toEqual(expected);
    expect(float32LittleEndian(new Float32Array(0))).toEqual(new Uint8Array(0));
  });

  it('little-endian float32 bytes as values, by a view and value by value alike, aligned or not', () => {
    const bytes = new Uint8Array(expected);
    const check = (values: Float32Array) => expect([...values]).toEqual([1.5, -2, new Float32Array([1e-40])[0], NaN, -0]);
    check(float32FromLittleEndian(bytes));
    check(float32FromLittleEndian(bytes, false));
    const unaligned = new Uint8Array(expected.length + 1);
    unaligned.set(expected, 1);
    check(float32FromLittleEndian(unaligned.subarray(1)));
    expect(() => float32FromLittleEndian(new Uint8Array(6))).toThrow('6 bytes are not a whole number of float32 values');
  });

  it('names as ASCII, or an error naming the format', () => {
    expect([...asciiBytes('W1.npy', 'zip')]).toEqual([87, 49, 46, 110, 112, 121]);
    expect(() => asciiBytes('poids_é', 'zip')).toThrow("zip: 'poids_é' is not printable ASCII");
  });
});
