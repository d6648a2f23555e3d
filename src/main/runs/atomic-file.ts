// Atomic file writes: write a temp file beside the target, flush it, then rename over the target. A crash
// at any point leaves either the old file or the new one, never a torn one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeFolder } from '../make-folder';

export interface AtomicWriteHooks {
  /** Test seam: called after the temp file is complete, before the rename. */
  beforeRename?: (tempPath: string) => Promise<void> | void;
}

/** The temp files' names: `<target>.tmp-<pid>-<8 hex digits>`; TEMP_NAME matches one, its group 1 the pid. */
export const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]{8}$/;

export async function writeFileAtomic(path: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  await makeFolder(dirname(path));
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
