// Chunk sources for the readers: a raw file (or a byte range of it) read into one reused buffer, or a gzip
// file through zlib's streaming gunzip; and the loop that feeds a CSV parser from one, yielding to the event
// loop between chunks (in Electron the main process's loop carries the UI's IPC) and honouring cancel.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { CsvParser } from './csv-parser';
import { LoadCancelled } from './errors';

export const CHUNK = 1 << 20;
/** Longest stretch of parsing between two returns to the event loop. */
export const SLICE_MS = 12;

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ChunkSource {
  /** Chunks of the (decompressed) file. A raw file reuses one buffer: the parsers copy what they keep. */
  chunks: AsyncIterable<Uint8Array>;
  /** Bytes read from disk so far. */
  bytesRead: () => number;
  close: () => void;
}

/** Bytes [from, to) of a raw file, read into one reused 1 MiB buffer: no garbage, so the peak memory stays the data. */
export function rawSource(path: string, from = 0, to = Infinity): ChunkSource {
  let read = 0;
  let closed = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(CHUNK);
      while (!closed) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, to - from - read), from + read);
        if (bytesRead === 0) break;
        read += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  }
  return { chunks: chunks(), bytesRead: () => read, close: () => void (closed = true) };
}

/** A gzip file through zlib's streaming gunzip. */
export function gzipSource(path: string): ChunkSource {
  const file = createReadStream(path, { highWaterMark: CHUNK });
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  file.on('error', (error) => gunzip.destroy(error));
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of file.pipe(gunzip) as AsyncIterable<Buffer>) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  return {
    chunks: chunks(),
    bytesRead: () => file.bytesRead,
    close: () => {
      file.destroy();
      gunzip.destroy();
    },
  };
}

/** Pushes bytes [from, to) of a raw file through `parser`, yielding every SLICE_MS; `onChunk` after each chunk. */
export async function pushRange(parser: CsvParser, path: string, from: number, to: number, signal: AbortSignal | undefined, onChunk: () => void): Promise<void> {
  const source = rawSource(path, from, to);
  let lastYield = performance.now();
  try {
    for await (const bytes of source.chunks) {
      parser.push(bytes);
      onChunk();
      if (performance.now() - lastYield > SLICE_MS) {
        await yieldToLoop();
        lastYield = performance.now();
      }
      if (signal?.aborted) throw new LoadCancelled();
    }
  } finally {
    source.close();
  }
}
