// Where a worker-thread entry built beside the services lies (out/main/<name>, electron.vite.config.ts), found from
// this bundle or the chunk it landed in; inside a packaged app, from app.asar.unpacked. Null when it is not built
// (the unit tests run the sources): callers then do the work on their own thread.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpackedPath } from './packaged-paths';

export function builtEntryFile(fileName: string): string | null {
  let here: string;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch {
    return null;
  }
  for (const dir of [here, join(here, '..')]) {
    const path = unpackedPath(join(dir, fileName));
    if (existsSync(path)) return path;
  }
  return null;
}
