// The binary form of a TrainerState on disk (checkpoint.bin, final.bin): the weights and optimizer moments
// as raw little-endian float32, so saving an epoch's checkpoint costs a copy, not a base64 encoding on
// the main process's event loop (which took ~0.2 s per epoch for 784-128-10 and grows with the network).
//
//   "MLPSTATE" (8 bytes) | uint32 LE header length H | H bytes of JSON header | zero padding to a multiple
//   of 4 | the float32 arrays, back to back, in the order and at the offsets the header's `arrays` gives.
import { open, type FileHandle } from 'node:fs/promises';
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

/** The magic and the header's length: the first PREFIX_BYTES of a state file. */
const PREFIX_BYTES = MAGIC.length + 4;

/** The header's length from the file's first bytes; throws unless they begin a state file. */
function headerLengthOf(prefix: Buffer): number {
  if (prefix.length < PREFIX_BYTES || prefix.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not an MLP Studio state file');
  return prefix.readUInt32LE(MAGIC.length);
}

/** A file that is not there (ENOENT): "no such state", where any other failure to open it is an error. */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** A state file that is there but cannot be read (permissions, a folder in its place, a disk error): an
 *  I/O failure, told apart from a damaged file's contents. */
export class UnreadableFile extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

function parseHeader(text: string): Header {
  try {
    return JSON.parse(text) as Header;
  } catch {
    throw new Error('its header is not valid JSON');
  }
}

/** Where each array lies, in float32 elements from the data section's start, checked against the `floats` the
 *  file holds there; throws saying which array lies outside (a truncated file) or that there are no parameters. */
function arrayLayout(header: Header, floats: number): Header['arrays'] {
  const layout = {} as Header['arrays'];
  for (const name of ARRAY_NAMES) {
    const at = header?.arrays?.[name];
    if (at && (!Number.isInteger(at.offset) || !Number.isInteger(at.length) || at.offset < 0 || at.length < 0 || at.offset + at.length > floats)) {
      throw new Error(`its ${name} array lies outside the file (truncated?)`);
    }
    layout[name] = at ?? null;
  }
  if (!layout.params) throw new Error('it holds no parameters');
  return layout;
}

/** The data section's first byte: after the header, rounded up to a multiple of 4. */
const dataStartOf = (headerEnd: number) => Math.ceil(headerEnd / 4) * 4;

/** Reads what encodeState wrote; throws an Error saying what is wrong. */
export function decodeState(bytes: Uint8Array): TrainerState {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = PREFIX_BYTES + headerLengthOf(buf);
  if (headerEnd > buf.length) throw new Error('the file ends inside its header');
  const header = parseHeader(buf.toString('utf8', PREFIX_BYTES, headerEnd));
  const dataStart = dataStartOf(headerEnd);
  const layout = arrayLayout(header, (buf.length - dataStart) / 4);
  // A whole file's own buffer (store.ts reads the file whole) is viewed where it lies, 4-byte aligned by the
  // format: copied, a big model's arrays held the services' thread (147 MB of weights, with Adam's moments 441 MB:
  // ~1.5 s here). Bytes in a larger buffer (a slice, a small read from Node's shared pool) are copied, so that a
  // state never keeps, or moves to a thread, memory that is not its own.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const array = (name: ArrayName) => {
    const at = layout[name];
    if (!at) return null;
    const start = dataStart + at.offset * 4;
    if (own) return new Float32Array(bytes.buffer, start, at.length);
    return new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + at.length * 4));
  };
  return { ...header.state, params: array('params')!, m: array('m'), v: array('v') };
}

/** Everything in a saved state but its arrays (what tells which of a run's states is newer). */
export type StateHeader = Header['state'];

/**
 * The header of the state file at `path`, read without its arrays (the first bytes and the header's, not the
 * megabytes after them), checked as decodeState checks it — the arrays must lie inside the file — so a damaged
 * file throws the same Error. Null when the file cannot be opened (there is none).
 */
export async function readStateHeader(path: string): Promise<StateHeader | null> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return null;
    throw new UnreadableFile(path, error);
  }
  try {
    const { size } = await file.stat();
    const read = async (start: number, length: number) => {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
      try {
        const { bytesRead } = await file.read(out, 0, out.length, start);
        return out.subarray(0, bytesRead);
      } catch (error) {
        throw new UnreadableFile(path, error);
      }
    };
    const headerEnd = PREFIX_BYTES + headerLengthOf(await read(0, PREFIX_BYTES));
    if (headerEnd > size) throw new Error('the file ends inside its header');
    const header = parseHeader((await read(PREFIX_BYTES, headerEnd - PREFIX_BYTES)).toString('utf8'));
    arrayLayout(header, (size - dataStartOf(headerEnd)) / 4);
    return { ...header.state }; // as decodeState spreads it: a header without its state is an empty one, never null (no file)
  } finally {
    await file.close();
  }
}
