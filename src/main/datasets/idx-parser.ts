// Streaming parser for IDX files (yann.lecun.com/exdb/mnist): a big-endian header — 0x00 0x00, a type byte
// (0x08 = unsigned byte, the only one MNIST and Fashion-MNIST use), the number of dimensions, then one uint32
// per dimension — followed by the items. Images are idx3 (count × rows × cols), labels idx1 (count).
// Pure TS: push() chunks, then finish().
import { ParseError, problem, showBytes } from './errors';
import { GrowableBytes } from './growable';

export interface ParsedIdx {
  /** [count] for labels, [count, rows, cols] for images. */
  dims: number[];
  /** count × (product of the other dims) bytes, on a SharedArrayBuffer. */
  data: Uint8Array;
}

/** Refuse headers that promise more than this many bytes (2 GiB − 1, a typed array's practical limit). */
const MAX_IDX_BYTES = 0x7fffffff;

const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** True when `bytes` start like an IDX file: 00 00, one of IDX's types, 1–8 dimensions. The parser then says what it
 *  reads (unsigned bytes, 1 or 3 dimensions) and what this one is: a file of floats was "binary data (byte 0x00)". */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && TYPE_NAMES[bytes[2]] !== undefined && bytes[3] >= 1 && bytes[3] <= 8;
}

export class IdxParser {
  private header = new Uint8Array(16);
  private headerLength = 0;
  private dims: number[] | null = null;
  private total = 0;
  private out: GrowableBytes | null = null;
  private bytesSeen = 0;

  constructor(
    private readonly file: string,
    /** Decompressed size if known: checked against the header before anything is allocated. */
    private readonly expectedBytes: number | null = null,
    /** A likely size (a gzip's trailer) for the first allocation when the exact size is unknown. */
    private readonly sizeHint: number | null = null,
  ) {}

  get bytes(): number {
    return this.bytesSeen;
  }

  /** Items (images or labels) complete so far. */
  get items(): number {
    if (!this.dims || !this.out) return 0;
    const size = this.total / Math.max(1, this.dims[0]);
    return size > 0 ? Math.floor(this.out.length / size) : 0;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (!this.dims) {
      while (pos < chunk.length && !this.dims) {
        this.header[this.headerLength++] = chunk[pos++];
        this.bytesSeen++;
        this.readHeader();
      }
      if (!this.dims) return;
    }
    const rest = chunk.subarray(pos);
    const out = this.out as GrowableBytes;
    if (out.length + rest.length > this.total) {
      const offset = this.bytesSeen + (this.total - out.length);
      throw new ParseError([problem({ file: this.file, byteOffset: offset }, `the end of the file after ${this.describe()}`, 'more bytes (the header count is too small, or two files were joined)')]);
    }
    out.ensure(out.length + rest.length);
    out.bytes.set(rest, out.length);
    out.length += rest.length;
    this.bytesSeen += rest.length;
  }

  finish(): ParsedIdx {
    if (!this.dims) {
      const found = this.bytesSeen === 0 ? 'an empty file (0 bytes)' : `only ${this.bytesSeen} bytes ${showBytes(this.header.subarray(0, this.headerLength))}`;
      throw new ParseError([problem({ file: this.file, byteOffset: 0 }, 'an IDX header (magic number and dimensions)', found)]);
    }
    const out = this.out as GrowableBytes;
    if (out.length < this.total) {
      const size = this.total / Math.max(1, this.dims[0]);
      throw new ParseError([
        problem({ file: this.file, byteOffset: this.bytesSeen }, `${this.describe()} (${this.headerLength + this.total} bytes)`, `the file ends after ${this.bytesSeen} bytes, in item ${Math.floor(out.length / size) + 1}`, 'truncated'),
      ]);
    }
    return { dims: this.dims, data: out.finish() };
  }

  private describe(): string {
    const d = this.dims as number[];
    return d.length === 1 ? `${d[0]} labels` : `${d[0]} images of ${d.slice(1).join('×')}`;
  }

  /** Called after each header byte: validates the magic as soon as it is complete, then the dims. */
  private readHeader(): void {
    const h = this.header;
    const n = this.headerLength;
    if (n === 4) {
      const where = { file: this.file, byteOffset: 0 };
      if (h[0] !== 0 || h[1] !== 0) throw new ParseError([problem(where, 'the IDX magic number 00 00 08 0N', showBytes(h.subarray(0, 4)))]);
      if (h[2] !== 0x08) throw new ParseError([problem({ ...where, byteOffset: 2 }, 'IDX type 0x08 (unsigned byte)', `type 0x${h[2].toString(16).padStart(2, '0')} (${TYPE_NAMES[h[2]] ?? 'unknown'})`)]);
      if (h[3] < 1 || h[3] > 3) throw new ParseError([problem({ ...where, byteOffset: 3 }, '1 dimension (labels) or 3 (images)', `${h[3]} dimensions`)]);
    }
    if (n < 4 || n < 4 + 4 * h[3]) return;
    const dims: number[] = [];
    for (let k = 0; k < h[3]; k++) dims.push(((h[4 + 4 * k] << 24) | (h[5 + 4 * k] << 16) | (h[6 + 4 * k] << 8) | h[7 + 4 * k]) >>> 0);
    let total = 1;
    for (const d of dims) total *= d;
    const where = { file: this.file, byteOffset: 4 };
    if (dims.length === 2) throw new ParseError([problem({ ...where, byteOffset: 3 }, '1 dimension (labels) or 3 (images)', '2 dimensions')]);
    if (dims[0] === 0) throw new ParseError([problem(where, `at least one ${dims.length === 1 ? 'label' : 'image'}`, `a header counting 0 (${dims.join('×')})`)]);
    if (dims.slice(1).some((d) => d === 0)) throw new ParseError([problem(where, 'image sides of at least 1', dims.join('×'))]);
    if (total > MAX_IDX_BYTES) throw new ParseError([problem(where, 'at most 2 GiB of items', `a header promising ${dims.join('×')} = ${total} bytes`)]);
    if (this.expectedBytes !== null && this.expectedBytes !== n + total) {
      this.dims = dims;
      const what = this.describe();
      throw new ParseError([
        problem(where, `${n + total} bytes for ${what}`, `a file of ${this.expectedBytes} bytes`, this.expectedBytes < n + total ? 'truncated' : 'trailing bytes'),
      ]);
    }
    this.dims = dims;
    this.total = total;
    // A header can promise anything: allocate what the file size (or the gzip's hint) supports, grow beyond.
    const likely = this.expectedBytes ?? (this.sizeHint !== null ? this.sizeHint - n : 64 << 20);
    this.out = new GrowableBytes(Math.min(total, Math.max(0, likely)));
  }
}
