// Bytes of the file formats the app writes (src/shared/npz.ts, onnx.ts, model-file.ts): float32 values as
// little-endian bytes, whatever the machine's order, and names as ASCII.

/** The values as little-endian float32 bytes. */
export function float32LittleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

/** A name in printable ASCII as bytes; `what` names the format in the error ("zip", "protobuf"). */
export function asciiBytes(text: string, what: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`${what}: '${text}' is not printable ASCII (names here are)`);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
