// NumPy's .npz: a zip archive of .npy files, one per array, which `np.load(path)` opens as a dict-like object.
// Written here without compression (zip "stored"), little-endian float32 arrays in C order. Pure: bytes in,
// bytes out, no Node and no DOM, so the services and the tests share it.
// Formats: numpy.lib.format (NPY 1.0) and PKWARE's APPNOTE (local headers, central directory, end record).
import { asciiBytes, float32LittleEndian } from './bytes';

/** One array: row-major float32 values and their shape (the product of the shape is values.length). */
export interface NpyArray {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** An .npy file (format 1.0): magic, version, header length, a Python dict literal padded with spaces to a
 *  multiple of 64 bytes and ended by '\n', then the data. */
export function npyBytes(shape: readonly number[], values: Float32Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`npy: shape (${shape.join(', ')}) holds ${count} values, got ${values.length}`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const prefix = NPY_MAGIC.length + 2 + 2; // magic, version 1.0, uint16 header length
  const headerLength = Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix;
  const out = new Uint8Array(prefix + headerLength + values.length * 4);
  out.set(NPY_MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerLength, true);
  out.set(asciiBytes(dict.padEnd(headerLength - 1, ' '), 'npy'), prefix);
  out[prefix + headerLength - 1] = 0x0a; // '\n' ends the header
  out.set(float32LittleEndian(values), prefix + headerLength);
  return out;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zip uses): crc32(bytes of "123456789") = 0xcbf43926. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of these files, stored (not compressed). Names are ASCII; sizes stay below 4 GiB (no zip64). */
export function zipStored(files: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const entries = files.map((f) => ({ ...f, nameBytes: asciiBytes(f.name, 'zip'), crc: crc32(f.data), offset: 0 }));
  const localSize = entries.reduce((sum, e) => sum + 30 + e.nameBytes.length + e.data.length, 0);
  const centralSize = entries.reduce((sum, e) => sum + 46 + e.nameBytes.length, 0);
  if (localSize + centralSize + 22 > 0xffffffff) throw new RangeError('zip: the archive would need zip64 (over 4 GiB)');
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01: a fixed date, so the same arrays give the same bytes
  let at = 0;
  for (const e of entries) {
    e.offset = at;
    view.setUint32(at, 0x04034b50, true); // local file header
    view.setUint16(at + 4, 20, true); // version needed: 2.0
    view.setUint16(at + 6, 0, true); // flags
    view.setUint16(at + 8, 0, true); // method: stored
    view.setUint16(at + 10, 0, true); // time
    view.setUint16(at + 12, DOS_DATE, true);
    view.setUint32(at + 14, e.crc, true);
    view.setUint32(at + 18, e.data.length, true); // compressed size
    view.setUint32(at + 22, e.data.length, true); // uncompressed size
    view.setUint16(at + 26, e.nameBytes.length, true);
    view.setUint16(at + 28, 0, true); // extra field length
    out.set(e.nameBytes, at + 30);
    out.set(e.data, at + 30 + e.nameBytes.length);
    at += 30 + e.nameBytes.length + e.data.length;
  }
  const centralAt = at;
  for (const e of entries) {
    view.setUint32(at, 0x02014b50, true); // central directory header
    view.setUint16(at + 4, 20, true); // version made by
    view.setUint16(at + 6, 20, true); // version needed
    view.setUint16(at + 8, 0, true);
    view.setUint16(at + 10, 0, true);
    view.setUint16(at + 12, 0, true);
    view.setUint16(at + 14, DOS_DATE, true);
    view.setUint32(at + 16, e.crc, true);
    view.setUint32(at + 20, e.data.length, true);
    view.setUint32(at + 24, e.data.length, true);
    view.setUint16(at + 28, e.nameBytes.length, true);
    // extra and comment lengths, disk number, internal and external attributes: 0
    view.setUint32(at + 42, e.offset, true);
    out.set(e.nameBytes, at + 46);
    at += 46 + e.nameBytes.length;
  }
  view.setUint32(at, 0x06054b50, true); // end of central directory
  view.setUint16(at + 8, entries.length, true); // entries on this disk
  view.setUint16(at + 10, entries.length, true); // entries in all
  view.setUint32(at + 12, at - centralAt, true);
  view.setUint32(at + 16, centralAt, true);
  return out;
}

/** An .npz of these arrays: `np.load(path)[name]` gives each back with its shape. */
export function npzBytes(arrays: readonly NpyArray[]): Uint8Array {
  return zipStored(arrays.map((a) => ({ name: `${a.name}.npy`, data: npyBytes(a.shape, a.values) })));
}
