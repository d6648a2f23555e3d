// Class names the user gave a data set, kept in <dataDir>/class-names.json by the data's content fingerprint
// (./fingerprint.ts), so that they come back when the same data is opened again — after a restart, or from
// another file name — and Evaluate and Draw show them again for its runs. Written atomically; a damaged or
// missing file means "no names saved", never an error. At most MAX_SAVED data sets, the most recently named kept.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../runs/atomic-file';

export const MAX_SAVED = 100;

/** fingerprint → names, the most recently saved last. */
type Saved = Record<string, string[]>;

export class SavedClassNames {
  private readonly file: string;
  constructor(dataDir: string) {
    this.file = join(dataDir, 'class-names.json');
  }

  /** Saves run one after another (each reads what the one before wrote); a read waits for them. */
  private writes: Promise<void> = Promise.resolve();

  /** The names saved for this data, when there are `classes` of them; else null. */
  async get(fingerprint: string, classes: number): Promise<string[] | null> {
    await this.writes.catch(() => undefined);
    const names = (await this.read())[fingerprint];
    return names && names.length === classes ? names : null;
  }

  /** Saves the names of this data. */
  save(fingerprint: string, names: readonly string[]): Promise<void> {
    const write = async () => {
      const saved = await this.read();
      delete saved[fingerprint]; // added again last: the most recent
      saved[fingerprint] = [...names];
      const kept = Object.entries(saved).slice(-MAX_SAVED);
      await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(kept), null, 2));
    };
    this.writes = this.writes.catch(() => undefined).then(write);
    return this.writes;
  }

  private async read(): Promise<Saved> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      const valid = Object.entries(parsed).filter(([, names]) => Array.isArray(names) && names.every((n) => typeof n === 'string'));
      return Object.fromEntries(valid) as Saved;
    } catch {
      return {};
    }
  }
}
