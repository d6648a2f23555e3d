// uploads/index.json: what browser mode knows of each stored upload — above all the fingerprints of the data sets
// it was opened as, which tell whether a saved run still needs it (src/main/web/upload-store.ts). Two servers may
// share a data folder (a second `npm run web`), so a process writing the index merges what is on disk first:
// the entries another process noted stay, with every fingerprint either side noted.

/** An upload's id: the SHA-256 of its bytes, in hex. */
export const UPLOAD_ID = /^[0-9a-f]{64}$/;
export const INDEX = 'index.json';

/** What the index keeps of an upload. */
export interface UploadEntry {
  /** The file's name when it was last uploaded (for the log). */
  name: string;
  bytes: number;
  /** When it was last uploaded (ISO date). */
  at: string;
  /** The fingerprints of the data sets it was opened as (src/main/datasets/fingerprint.ts). */
  fingerprints: string[];
  /** Stored before an index that could not be read: what it was opened as is not known, so it is kept until it is
   *  opened again (then its fingerprint is noted, and the usual rule holds). */
  unknown?: true;
}

/** The entries of an index's text; throws on text that is not one (a torn or damaged file). Entries that do not
 *  look like one are left out. */
export function parseIndex(text: string): Map<string, UploadEntry> {
  const parsed = JSON.parse(text) as Record<string, Partial<UploadEntry>>;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object of uploads');
  const entries = new Map<string, UploadEntry>();
  for (const [id, e] of Object.entries(parsed)) {
    if (!UPLOAD_ID.test(id) || typeof e !== 'object' || e === null || !Array.isArray(e.fingerprints)) continue;
    entries.set(id, { name: String(e.name), bytes: Number(e.bytes), at: String(e.at), fingerprints: e.fingerprints.map(String), ...(e.unknown ? { unknown: true } : {}) });
  }
  return entries;
}

export function formatIndex(entries: Map<string, UploadEntry>): string {
  return JSON.stringify(Object.fromEntries(entries), null, 1);
}

/** Adds to `mine` what another process noted in `onDisk`: its entries this process has not removed (`removedHere`:
 *  id → when; one uploaded again since then is its again), and the fingerprints it noted of those both know. */
export function mergeIndex(mine: Map<string, UploadEntry>, onDisk: Map<string, UploadEntry>, removedHere: ReadonlyMap<string, string>): void {
  for (const [id, theirs] of onDisk) {
    const removedAt = removedHere.get(id);
    if (removedAt !== undefined && theirs.at <= removedAt) continue;
    const entry = mine.get(id);
    if (!entry) {
      mine.set(id, theirs);
      continue;
    }
    for (const f of theirs.fingerprints) if (!entry.fingerprints.includes(f)) entry.fingerprints.push(f);
    if (theirs.unknown && entry.fingerprints.length === 0) entry.unknown = true;
  }
}
