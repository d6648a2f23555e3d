// Turns the UI's FileRef into a path on this host. Paths come from Electron (dialog, drop); uploads come from
// browser mode, whose bytes the web server stored in <dataDir>/uploads before the call.
//
// Uploads are stored by content: <dataDir>/uploads/<sha256 of the bytes>, hashed while they stream in to a
// partial file (`.partial-*`) that is renamed into place only once complete, so a failed or aborted upload
// leaves nothing behind, and the same bytes uploaded again reuse the stored copy. The upload's id is that
// hash, so the FileRef stays valid after a restart as long as the file is kept.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeFolder } from '../make-folder';
import type { FileRef } from '../../shared/api/files';

/** An upload's id: the SHA-256 of its bytes, in hex. */
const UPLOAD_ID = /^[0-9a-f]{64}$/;
const PARTIAL_PREFIX = '.partial-';

export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the upload is larger than the limit of ${limit} bytes`);
  }
}

export interface UploadStoreOptions {
  /** Test seam: where the bytes of a partial upload are written (default: a write stream on `path`). */
  openPartial?: (path: string) => Writable;
}

export class UploadStore {
  constructor(
    readonly folder: string,
    private readonly options: UploadStoreOptions = {},
  ) {}

  async ensureFolder(): Promise<void> {
    await makeFolder(this.folder);
  }

  /**
   * Stores the bytes of `body` and answers their id (the SHA-256): written to a partial file while hashed, then
   * renamed to the id, or dropped when a file with that id is stored already (`reused`). On any failure (the
   * client went away, the disk is full, more than `maxBytes`) the partial file is removed and the error thrown.
   */
  async receive(body: Readable, maxBytes = Infinity): Promise<{ id: string; bytes: number; reused: boolean }> {
    await this.ensureFolder();
    const partial = join(this.folder, `${PARTIAL_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new UploadTooLarge(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // `body` is piped, not handed to pipeline: a failure here (a full disk) must not destroy it, so that the
    // server can still answer the request; the client going away (an error on `body`) fails the copy.
    const failCopy = (error: Error) => counted.destroy(error);
    const cutShort = () => {
      if (!body.readableEnded) failCopy(new Error('the upload ended before it was complete'));
    };
    body.on('error', failCopy);
    body.on('close', cutShort);
    body.pipe(counted);
    try {
      await pipeline(counted, this.options.openPartial?.(partial) ?? createWriteStream(partial));
      const id = hash.digest('hex');
      const target = join(this.folder, id);
      const reused = existsSync(target);
      if (reused) await rm(partial, { force: true });
      else await rename(partial, target);
      return { id, bytes, reused };
    } catch (error) {
      body.unpipe(counted);
      await rm(partial, { force: true });
      throw error;
    } finally {
      body.off('error', failCopy);
      body.off('close', cutShort);
    }
  }

  resolve(ref: FileRef): { path: string; displayName: string } {
    if (ref.kind === 'path') return { path: ref.path, displayName: ref.path };
    const path = join(this.folder, ref.id);
    if (!UPLOAD_ID.test(ref.id) || !existsSync(path)) throw new Error(`upload '${ref.name}' (${ref.id}) is not on this host; upload it again`);
    return { path, displayName: ref.name };
  }
}

/** Resolver for transports that only ever pass paths (Electron, CLI). */
export function resolvePathOnly(ref: FileRef): { path: string; displayName: string } {
  if (ref.kind !== 'path') throw new Error(`uploads are only accepted in browser mode (got upload '${ref.name}')`);
  return { path: ref.path, displayName: ref.path };
}
