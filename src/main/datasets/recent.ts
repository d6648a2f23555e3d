// The data sets opened lately, kept in <dataDir>/recent-datasets.json (newest first, at most 8), written
// atomically. A damaged or missing file means "none yet", never an error.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolder } from '../make-folder';
import type { RecentDataset } from '../../shared/datasets';

export const MAX_RECENT = 8;

export class RecentList {
  private readonly file: string;
  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent-datasets.json');
  }

  async read(): Promise<RecentDataset[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(isRecent).slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }

  /** Puts `entry` first, dropping an older entry for the same file. */
  async remember(entry: RecentDataset): Promise<RecentDataset[]> {
    const same = (e: RecentDataset) => (entry.path !== null ? e.path === entry.path : e.path === null && e.name === entry.name);
    const list = [entry, ...(await this.read()).filter((e) => !same(e))].slice(0, MAX_RECENT);
    await makeFolder(join(this.file, '..'));
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(list, null, 2));
    await rename(temp, this.file);
    return list;
  }
}

function isRecent(value: unknown): value is RecentDataset {
  const e = value as RecentDataset;
  return (
    typeof e === 'object' && e !== null && typeof e.name === 'string' && (e.path === null || typeof e.path === 'string') &&
    (e.upload === undefined || typeof e.upload === 'string') &&
    [e.rows, e.width, e.height, e.classes].every((n) => typeof n === 'number') && typeof e.openedAt === 'string'
  );
}
