// Browser mode's uploads: the web server stores a file's bytes in <dataDir>/uploads before the page opens it, and
// resolves the page's FileRef of an upload to that file (the desktop app and the CLI pass paths: ../services/files.ts).
//
// Uploads are stored by content: <dataDir>/uploads/<sha256 of the bytes>, hashed while they stream in to a
// partial file (`.partial-*`) that is renamed into place only once complete, so a failed or aborted upload
// leaves nothing behind, and the same bytes uploaded again reuse the stored copy. The upload's id is that
// hash, so the FileRef stays valid after a restart as long as the file is kept.
//
// Which uploads are kept: those holding data a saved run trained on or was measured on (a run records its
// data's fingerprint, so uploads/index.json notes the fingerprint of what each upload was opened as), those
// holding data open now, and the newest few not opened yet (a load in progress, or one to retry). prune()
// removes the rest: at startup (only what runs need stays) and in the session when data is closed or a run
// removed, so the folder grows with the data the user keeps, not with every upload. A second server on the data
// folder: the index is merged, not overwritten (upload-index.ts); a pass in the session removes only uploads this
// process received or opened; and a server that starts beside another leaves the folder as it is (web.ts).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeFolder } from '../make-folder';
import { TEMP_NAME, writeFileAtomic } from '../runs/atomic-file';
import { isRunning } from '../runs/process-presence';
import type { FileRef } from '../../shared/api/files';
import type { RunSummary } from '../../shared/api/runs';
import { formatIndex, INDEX, mergeIndex, parseIndex, UPLOAD_ID, type UploadEntry } from './upload-index';

const PARTIAL_NAME = /^\.partial-(\d+)-[0-9a-f]+$/;
/** The random names uploads had before they were stored by content (unreachable after a restart). */
const OLD_UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What prune() keeps besides the uploads holding these fingerprints. */
export interface PruneOptions {
  /** Data that saved runs trained or were measured on, and data open now. */
  fingerprints: Set<string>;
  /** How many of the newest uploads not opened yet to keep (0 at startup). */
  newestUnopened: number;
  /** Keeps every upload that was opened, whatever its fingerprints (some runs could not be read). */
  keepOpened?: boolean;
  /** The pass at startup: it also removes uploads the index does not know (in the session those could be
   *  another process's, sharing the data folder). */
  startup?: boolean;
}

export interface PruneResult {
  removed: number;
  freedBytes: number;
  kept: number;
  keptBytes: number;
}

/** The fingerprints of the data sets `runs` trained on, were measured on, or (imported) evaluated on. */
export function runFingerprints(runs: RunSummary[]): string[] {
  return runs.flatMap((run) => [run.dataset?.fingerprint, run.dataset?.test?.fingerprint, run.imported?.evaluatedOn?.fingerprint].filter((f) => f !== undefined));
}

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
  private entries = new Map<string, UploadEntry>();
  /** Why index.json could not be read (then nothing opened before is removed), or null. */
  private damaged: string | null = null;
  /** Index writes, one after another. */
  private saving: Promise<void> = Promise.resolve();
  /** Uploads received by this process and not opened since, oldest first. */
  private awaiting: string[] = [];
  /** Uploads this process received or opened: a pass in the session removes only those (another server sharing
   *  the folder may have the others open, or a run of its own on them). */
  private readonly touchedHere = new Set<string>();
  /** Uploads this process removed, and when (ISO): an index written by another process does not bring them back,
   *  unless that one stored them again since. */
  private readonly removedHere = new Map<string, string>();
  /** Storing a received upload and pruning take turns: a file reused as a copy is never being removed. */
  private turn: Promise<unknown> = Promise.resolve();

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task, task);
    this.turn = run.catch(() => undefined);
    return run;
  }

  constructor(
    readonly folder: string,
    private readonly options: UploadStoreOptions = {},
  ) {}

  /** Reads uploads/index.json (missing: no uploads yet). Call once, before the first upload. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.folder, INDEX), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.damaged = String(error);
      return this.keepStoredUploads();
    }
    try {
      this.entries = parseIndex(text);
    } catch (error) {
      this.damaged = `${INDEX} is damaged (${(error as Error).message})`;
      return this.keepStoredUploads();
    }
  }

  /** The index could not be read: every upload stored is noted as one to keep (`unknown`), so that the index this
   *  process writes next does not leave them out, to be removed at the next start as unknown. */
  private async keepStoredUploads(): Promise<void> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    for (const id of names.filter((name) => UPLOAD_ID.test(name))) {
      const file = await stat(join(this.folder, id)).catch(() => null);
      if (file) this.entries.set(id, { name: id, bytes: file.size, at: file.mtime.toISOString(), fingerprints: [], unknown: true });
    }
  }

  /** Writes the index, with what another process sharing the folder noted since (upload-index.ts). */
  private save(): Promise<void> {
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        const onDisk = await readFile(join(this.folder, INDEX), 'utf8').then(parseIndex).catch(() => null); // none, or torn: ours
        if (onDisk) mergeIndex(this.entries, onDisk, this.removedHere);
        await writeFileAtomic(join(this.folder, INDEX), formatIndex(this.entries));
      });
    return this.saving;
  }

  /** Notes that these uploads were opened as the data set with this fingerprint (kept while a run needs it). */
  async noteOpened(refs: FileRef[], fingerprint: string): Promise<void> {
    let changed = false;
    for (const ref of refs) {
      const entry = ref.kind === 'upload' ? this.entries.get(ref.id) : undefined;
      if (ref.kind === 'upload') {
        this.awaiting = this.awaiting.filter((id) => id !== ref.id);
        this.touchedHere.add(ref.id);
      }
      if (!entry || entry.fingerprints.includes(fingerprint)) continue;
      entry.fingerprints.push(fingerprint);
      delete entry.unknown;
      changed = true;
    }
    if (changed) await this.save();
  }

  /**
   * Removes the uploads nothing needs (see the top of this file), partial files of earlier processes, and
   * uploads stored under the random names of earlier versions; other files in the folder are left alone.
   */
  prune(options: PruneOptions | (() => PruneOptions)): Promise<PruneResult> {
    // Options given as a function are read when the pass's turn comes, as what it keeps (the newest uploads not
    // opened) is: data opened while it waited is then in one or the other.
    return this.exclusive(() => this.pruneNow(typeof options === 'function' ? options() : options));
  }

  private async pruneNow(options: PruneOptions): Promise<PruneResult> {
    const known = new Set(this.entries.keys());
    const result: PruneResult = { removed: 0, freedBytes: 0, kept: 0, keptBytes: 0 };
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
      throw error;
    }
    const keepOpened = options.keepOpened || this.damaged !== null;
    const pending = new Set(options.newestUnopened > 0 ? this.awaiting.slice(-options.newestUnopened) : []);
    const needed = (id: string): boolean => {
      const entry = this.entries.get(id);
      if (!entry) return this.damaged !== null || !options.startup; // not in a damaged index: perhaps a run's
      if (pending.has(id) || entry.unknown) return true;
      if (!options.startup && !this.touchedHere.has(id)) return true; // another server's, perhaps open there
      return entry.fingerprints.length > 0 && (keepOpened || entry.fingerprints.some((f) => options.fingerprints.has(f)));
    };
    for (const name of names) {
      const path = join(this.folder, name);
      const ofProcess = PARTIAL_NAME.exec(name)?.[1] ?? (name.startsWith(`${INDEX}.`) ? TEMP_NAME.exec(name)?.[1] : undefined);
      const leftOver = ofProcess !== undefined && !isRunning(Number(ofProcess)); // a crash's (this process runs)
      const remove = UPLOAD_ID.test(name) ? !needed(name) : OLD_UPLOAD_NAME.test(name) || leftOver;
      if (!remove && !UPLOAD_ID.test(name)) continue;
      const bytes = await stat(path).then((s) => s.size, () => 0);
      // one that cannot be removed is counted as kept, and tried again next time
      const removed = remove && (await rm(path, { force: true }).then(() => true, () => false));
      if (removed) {
        result.removed++;
        result.freedBytes += bytes;
        this.entries.delete(name);
        this.removedHere.set(name, new Date().toISOString());
        this.awaiting = this.awaiting.filter((id) => id !== name);
      } else {
        result.kept++;
        result.keptBytes += bytes;
      }
    }
    const stored = new Set(names);
    for (const id of known) if (!stored.has(id)) this.entries.delete(id); // gone meanwhile
    if (result.removed > 0) await this.save();
    return result;
  }

  async ensureFolder(): Promise<void> {
    await makeFolder(this.folder);
  }

  /**
   * Stores the bytes of `body` and answers their id (the SHA-256): written to a partial file while hashed, then
   * renamed to the id, or dropped when a file with that id is stored already (`reused`). On any failure (the
   * client went away, the disk is full, more than `maxBytes`) the partial file is removed and the error thrown.
   */
  async receive(body: Readable, name: string, maxBytes = Infinity): Promise<{ id: string; bytes: number; reused: boolean }> {
    await this.ensureFolder();
    const partial = join(this.folder, `.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
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
    let stored: string | null = null;
    try {
      await pipeline(counted, this.options.openPartial?.(partial) ?? createWriteStream(partial));
      const id = hash.digest('hex');
      const target = join(this.folder, id);
      return await this.exclusive(async () => {
        const reused = existsSync(target);
        if (reused) await rm(partial, { force: true });
        else await rename(partial, target);
        stored = reused ? null : target;
        const fingerprints = this.entries.get(id)?.fingerprints ?? [];
        this.entries.set(id, { name, bytes, at: new Date().toISOString(), fingerprints });
        this.awaiting = [...this.awaiting.filter((a) => a !== id), id];
        this.touchedHere.add(id);
        this.removedHere.delete(id); // stored again
        await this.save(); // not noted, it would be removed at the next start as unknown: fail now instead
        return { id, bytes, reused };
      });
    } catch (error) {
      body.unpipe(counted);
      await rm(partial, { force: true });
      if (stored) {
        const id = basename(stored);
        await rm(stored, { force: true });
        this.entries.delete(id);
        this.awaiting = this.awaiting.filter((a) => a !== id);
      }
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
