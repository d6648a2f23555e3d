// What every service is given: where to keep files, how to emit events, how to find a file the UI named.
import type { ApiEvents } from '../../shared/api';
import type { FileRef } from '../../shared/api/files';

export interface ServiceContext {
  /** The user data folder (Electron's userData; --data-dir in browser mode and the CLI). */
  dataDir: string;
  /** Sends an event to every connected window / socket. */
  emit: <K extends keyof ApiEvents & string>(event: K, payload: ApiEvents[K]) => void;
  /** Resolves a FileRef to a readable path on this host, and the name to show the user. Throws a clear Error if unknown. */
  resolveFile: (ref: FileRef) => { path: string; displayName: string };
  /** Told when files were opened as a data set with this content fingerprint (browser mode keeps the uploads
   *  that runs trained on by it). */
  opened?: (refs: FileRef[], fingerprint: string) => void;
}
