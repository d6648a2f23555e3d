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
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    chunk += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    chunk += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    chunk += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = text.charCodeAt(i + k);
      const d = ch === 61 /* = */ ? 0 : ch < 128 ? DECODE[ch] : -1;
      if (d < 0) throw new Error(`invalid base64 character at ${i + k}`);
      n = (n << 6) | d;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
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
