// Creates a folder and any missing parents (mkdir -p) without Node's recursive mkdir, which on Node 20 loops
// forever where the system refuses a new folder with ENOENT although its parent exists (any path under
// /proc, for one): it walks up to the nearest existing folder, then makes each missing level once, and the
// first refusal is thrown as the system gave it (code and path, for the caller's message).
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function makeFolder(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    const found = await whatIsAt(at);
    if (found === 'other' && at === target) await mkdir(target); // a file there: the system's EEXIST
    if (found) break;
    missing.push(at);
    if (dirname(at) === at) break; // a root that does not exist: mkdir below says why
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Made meanwhile by someone else: fine. Not a folder (a file made meanwhile, a broken link): the system's EEXIST.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || (await whatIsAt(folder)) !== 'folder') throw error;
    }
  }
}

/** What is at `path`: a folder, something else (a file above the target makes the mkdir below it fail
 *  with ENOTDIR, as it should), or nothing. */
async function whatIsAt(path: string): Promise<'folder' | 'other' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
