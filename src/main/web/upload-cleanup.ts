// When browser mode removes the uploads nothing needs (UploadStore.prune, src/main/web/upload-store.ts): once at
// startup, keeping only what saved runs need; then in the session whenever that may have changed (data opened
// or closed, a run removed), also keeping the data open now and the newest uploads not opened yet.
import { runFingerprints, type PruneOptions, type UploadStore } from './upload-store';
import { formatBytes } from '../../shared/format-bytes';
import type { RunOwner } from '../runs/process-presence';
import type { RunSummary } from '../../shared/api/runs';

/** How many of the newest uploads not opened (yet) stay in the session: a load in progress, one to retry. */
export const PENDING_UPLOADS = 4;

export interface UploadNeeds {
  runs: () => RunSummary[];
  /** The fingerprints of the data sets open now. */
  open: () => string[];
  /** How many run folders could not be read (their data is unknown). */
  unreadableRuns: () => number;
  /** Another browser-mode server alive on this data folder, or null: what it has open, or received and not
   *  opened yet, is not known here, so the startup pass leaves the folder as it is. */
  otherServer?: () => Promise<RunOwner | null>;
}

export interface UploadCleanup {
  /** The startup pass: logs what it freed and kept; never throws. */
  atStart: () => Promise<void>;
  /** A pass soon (one at a time; calls meanwhile make one more). */
  soon: () => void;
  /** Resolves when no pass is running (tests). */
  idle: () => Promise<void>;
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/** `removed`: called after a pass in the session removed uploads. */
export function uploadCleanup(uploads: UploadStore, needs: UploadNeeds, log: (line: string) => void, removed: () => void = () => {}): UploadCleanup {
  const options = (startup: boolean): PruneOptions => ({
    fingerprints: new Set([...runFingerprints(needs.runs()), ...needs.open()]),
    newestUnopened: startup ? 0 : PENDING_UPLOADS,
    keepOpened: needs.unreadableRuns() > 0,
    startup,
  });
  let running: Promise<void> | null = null;
  let again = false;

  async function atStart(): Promise<void> {
    try {
      const other = await needs.otherServer?.();
      if (other) {
        log(`uploads: left as they are: another browser-mode server (pid ${other.pid}) uses this data folder, and may have them open`);
        return;
      }
      const result = await uploads.prune(() => options(true));
      if (result.removed > 0) log(`uploads: removed ${files(result.removed)} no saved run needs (${formatBytes(result.freedBytes)} freed)`);
      if (result.kept > 0) {
        const why = needs.unreadableRuns() > 0 ? 'some runs could not be read, so every upload opened before is kept' : 'the data of saved runs';
        log(`uploads: kept ${files(result.kept)} (${formatBytes(result.keptBytes)}): ${why}`);
      }
    } catch (error) {
      log(`uploads: the folder ${uploads.folder} was not cleaned up: ${String(error)}`);
    }
  }

  async function passes(): Promise<void> {
    do {
      again = false;
      const result = await uploads.prune(() => options(false));
      if (result.removed > 0) {
        log(`uploads: removed ${files(result.removed)} no longer needed (${formatBytes(result.freedBytes)} freed)`);
        removed();
      }
    } while (again);
  }

  return {
    atStart,
    soon: () => {
      if (running) {
        again = true;
        return;
      }
      running = passes()
        .catch((error: unknown) => log(`uploads: the folder ${uploads.folder} was not cleaned up: ${String(error)}`))
        .finally(() => (running = null));
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
