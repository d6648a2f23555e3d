// JSON encoding of API values for the WebSocket bridge. Electron's IPC carries typed arrays natively
// (structured clone); JSON does not, so typed arrays travel as { $typed: kind, base64 } objects.
import * as v from 'valibot';

const typedArrays = {
  Uint8Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedKind = keyof typedArrays;
type typedArrays = typeof typedArrays;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const EQUALS = 61;

/** The bytes' base64 as ASCII bytes (4 per 3, padded with '='). (Built by appending characters to strings, the
 *  encoding of a 151 MB model's weights made a rope of ~10^8 pieces and ran the process out of its 4 GB heap.) */
export function base64Ascii(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(base64Length(bytes.length));
  base64Into(bytes, out, 0);
  return out;
}

/** The length of n bytes in base64. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** Writes the bytes' base64 into out from `at` (base64Length(bytes.length) bytes): a file can take it where it
 *  goes, without a buffer of its own (../model-file.ts). */
export function base64Into(bytes: Uint8Array, out: Uint8Array, at: number): void {
  const whole = bytes.length - (bytes.length % 3);
  let o = at;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = ENCODE[n >>> 18];
    out[o + 1] = ENCODE[(n >>> 12) & 63];
    out[o + 2] = ENCODE[(n >>> 6) & 63];
    out[o + 3] = ENCODE[n & 63];
    o += 4;
  }
  if (whole < bytes.length) {
    const two = whole + 1 < bytes.length;
    const n = (bytes[whole] << 16) | (two ? bytes[whole + 1] << 8 : 0);
    out[o] = ENCODE[n >>> 18];
    out[o + 1] = ENCODE[(n >>> 12) & 63];
    out[o + 2] = two ? ENCODE[(n >>> 6) & 63] : EQUALS;
    out[o + 3] = EQUALS;
  }
}

const ascii = new TextDecoder(); // UTF-8, which reads ASCII as it is

export function bytesToBase64(bytes: Uint8Array): string {
  return ascii.decode(base64Ascii(bytes));
}

/** Each UTF-16 code unit's 6-bit value in base64, or -1 ('=' too: it is taken only at the end). */
const DECODE_ANY = new Int8Array(65536).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE_ANY[ALPHABET.charCodeAt(i)] = i;

export function base64ToBytes(text: string): Uint8Array {
  const unlike = /[^ -~\t\n\r]/.exec(text); // not printable ASCII: named where it is (UTF-8 would make a character beyond ASCII 2–4 bytes)
  if (unlike) throw new Error(`invalid base64 character at ${unlike.index}`);
  return base64AsciiToBytes(new TextEncoder().encode(text)); // then one byte each
}

/** base64ToBytes of text given as its ASCII bytes (a model file's weights, read without making them a string:
 *  the largest networks' are more characters than a JavaScript string holds). */
export function base64AsciiToBytes(ascii: Uint8Array): Uint8Array {
  const length = ascii.length;
  if (length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const EQUALS = 61;
  const padding = length >= 2 && ascii[length - 1] === EQUALS ? (ascii[length - 2] === EQUALS ? 2 : 1) : 0;
  const out = new Uint8Array((length / 4) * 3 - padding);
  const bad = (from: number) => {
    for (let k = from; ; k++) if (DECODE_ANY[ascii[k]] < 0 && !(k >= length - padding)) return new Error(`invalid base64 character at ${k}`);
  };
  let o = 0;
  for (let i = 0; i < length; i += 4) {
    const last = i + 4 === length;
    const c = last && padding === 2 ? 0 : DECODE_ANY[ascii[i + 2]];
    const d = last && padding > 0 ? 0 : DECODE_ANY[ascii[i + 3]];
    // any -1 shifted keeps the sign bit, so one test finds a bad character among the four
    const n = (DECODE_ANY[ascii[i]] << 18) | (DECODE_ANY[ascii[i + 1]] << 12) | (c << 6) | d;
    if (n < 0) throw bad(i);
    if (o < out.length) out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function kindOf(value: unknown): TypedKind | undefined {
  for (const kind of Object.keys(typedArrays) as TypedKind[]) if (value instanceof typedArrays[kind]) return kind;
  return undefined;
}

/** Replaces typed arrays by tagged base64 objects, recursively. */
export function toWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const kind = kindOf(value);
  if (kind) {
    const view = value as ArrayBufferView;
    return { $typed: kind, base64: bytesToBase64(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
  }
  if (Array.isArray(value)) return value.map(toWire);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toWire(item);
  return out;
}

const TypedSchema = v.object({ $typed: v.picklist(Object.keys(typedArrays) as TypedKind[]), base64: v.string() });

/** Inverse of toWire. */
export function fromWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromWire);
  if ('$typed' in value) {
    const tagged = v.parse(TypedSchema, value);
    const bytes = base64ToBytes(tagged.base64);
    const Ctor = typedArrays[tagged.$typed];
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`${tagged.$typed} payload has ${bytes.byteLength} bytes`);
    return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = fromWire(item);
  return out;
}

/** Messages of the WebSocket bridge. */
export const ClientMessageSchema = v.object({
  type: v.literal('call'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  name: v.pipe(v.string(), v.maxLength(200)),
  args: v.array(v.unknown()),
});
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string } }
  | { type: 'event'; name: string; payload: unknown };
