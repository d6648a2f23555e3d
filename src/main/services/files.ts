// Turns the UI's FileRef into a path on this host, for the transports that pass paths: the desktop app (its
// dialog, a drop) and the CLI. Browser mode's uploads are resolved by its upload store (../web/upload-store.ts).
import type { FileRef } from '../../shared/api/files';

/** Resolver for transports that only ever pass paths (Electron, CLI). */
export function resolvePathOnly(ref: FileRef): { path: string; displayName: string } {
  if (ref.kind !== 'path') throw new Error(`uploads are only accepted in browser mode (got upload '${ref.name}')`);
  return { path: ref.path, displayName: ref.path };
}
