// The binary form of a TrainerState on disk (checkpoint.bin, final.bin): the weights and optimizer moments
// as raw little-endian float32, so saving an epoch's checkpoint costs a copy, not a base64 encoding on
// the main process's event loop (which took ~0.2 s per epoch for 784-128-10 and grows with the network).
//
//   "MLPSTATE" (8 bytes) | uint32 LE header length H | H bytes of JSON header | zero padding to a multiple
//   of 4 | the float32 arrays, back to back, in the order and at the offsets the header's `arrays` gives.
import type { TrainerState } from '../../shared/training';

const MAGIC = 'MLPSTATE';
const ARRAY_NAMES = ['params', 'm', 'v'] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];

interface Header {
  /** Everything in the state but its arrays. */
  state: Omit<TrainerState, ArrayName>;
  /** Where each array is, in float32 elements from the start of the data section; null = none. */
  arrays: Record<ArrayName, { offset: number; length: number } | null>;
}

export function encodeState(state: TrainerState): Buffer {
  const { params, m, v, ...rest } = state;
  const arrays = { params, m, v };
  let offset = 0;
  const layout = {} as Header['arrays'];
  for (const name of ARRAY_NAMES) {
    const array = arrays[name];
    layout[name] = array ? { offset, length: array.length } : null;
    offset += array?.length ?? 0;
  }
  const header = Buffer.from(JSON.stringify({ state: rest, arrays: layout } satisfies Header), 'utf8');
  const dataStart = Math.ceil((MAGIC.length + 4 + header.length) / 4) * 4;
  const out = Buffer.alloc(dataStart + offset * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  const data = new Float32Array(out.buffer, out.byteOffset + dataStart, offset);
  for (const name of ARRAY_NAMES) {
    const array = arrays[name];
    if (array) data.set(array, layout[name]!.offset);
  }
  return out;
}

/** Reads what encodeState wrote; throws an Error saying what is wrong. */
export function decodeState(bytes: Uint8Array): TrainerState {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not an MLP Studio state file');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > buf.length) throw new Error('the file ends inside its header');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, headerEnd)) as Header;
  } catch {
    throw new Error('its header is not valid JSON');
  }
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const floats = (buf.length - dataStart) / 4;
  const arrays = {} as Record<ArrayName, Float32Array | null>;
  for (const name of ARRAY_NAMES) {
    const at = header.arrays?.[name];
    if (!at) {
      arrays[name] = null;
      continue;
    }
    if (!Number.isInteger(at.offset) || !Number.isInteger(at.length) || at.offset < 0 || at.length < 0 || at.offset + at.length > floats) {
      throw new Error(`its ${name} array lies outside the file (truncated?)`);
    }
    const start = dataStart + at.offset * 4;
    // A copy: the file's buffer may not be 4-byte aligned, and the state outlives it.
    arrays[name] = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + at.length * 4));
  }
  if (!arrays.params) throw new Error('it holds no parameters');
  return { ...header.state, params: arrays.params, m: arrays.m, v: arrays.v };
}
