// Bytes of the file formats the app writes (src/shared/npz.ts, onnx.ts, model-file.ts): float32 values as
// little-endian bytes, whatever the machine's order, and names as ASCII.

/** True where the machine stores numbers little-endian (x86, ARM as every OS here runs it). */
export const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The values as little-endian float32 bytes, to be read (written into a file), not changed: on a little-endian
 *  machine a view of the values' own bytes, else a copy converted value by value. No copy, because each large
 *  buffer costs its page faults: for the 147 MB of a 784-4096-4096-4096-10 model's weights a copy took ~0.5 s
 *  here, the bytes or value by value alike. `littleEndianHost` is for the tests, which run the other path too. */
export function float32LittleEndian(values: Float32Array, littleEndianHost = LITTLE_ENDIAN_HOST): Uint8Array {
  if (littleEndianHost) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

/** Little-endian float32 bytes (a whole number of values) as values: on a little-endian machine a view of the
 *  bytes when they are aligned (they are then shared, not copied), else a copy converted value by value. */
export function float32FromLittleEndian(bytes: Uint8Array, littleEndianHost = LITTLE_ENDIAN_HOST): Float32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`${bytes.length} bytes are not a whole number of float32 values`);
  if (littleEndianHost && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const values = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

/** A name in printable ASCII as bytes; `what` names the format in the error ("zip", "protobuf"). */
export function asciiBytes(text: string, what: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`${what}: '${text}' is not printable ASCII (names here are)`);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
