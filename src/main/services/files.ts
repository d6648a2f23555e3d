// Turns the UI's FileRef into a path on this host. Paths come from Electron (dialog, drop); uploads come from
// browser mode, whose bytes the web server wrote to <dataDir>/uploads/<id> before the call.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../make-folder';
import type { FileRef } from '../../shared/api/files';

export class UploadStore {
  private readonly names = new Map<string, string>();
  constructor(readonly folder: string) {}

  async ensureFolder(): Promise<void> {
    await makeFolder(this.folder);
  }

  /** Where the bytes of upload `id` go; remembers the user's name for the file. */
  pathFor(id: string, displayName: string): string {
    this.names.set(id, displayName);
    return join(this.folder, id);
  }

  resolve(ref: FileRef): { path: string; displayName: string } {
    if (ref.kind === 'path') return { path: ref.path, displayName: ref.path };
    const path = join(this.folder, ref.id);
    if (!this.names.has(ref.id) || !existsSync(path)) throw new Error(`upload '${ref.name}' (${ref.id}) is not on this host; upload it again`);
    return { path, displayName: ref.name };
  }
}

/** Resolver for transports that only ever pass paths (Electron, CLI). */
export function resolvePathOnly(ref: FileRef): { path: string; displayName: string } {
  if (ref.kind !== 'path') throw new Error(`uploads are only accepted in browser mode (got upload '${ref.name}')`);
  return { path: ref.path, displayName: ref.path };
}
