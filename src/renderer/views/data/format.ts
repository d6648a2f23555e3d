// How the Data view words things: skipped lines, a class by number and name, a load's progress, and whether
// "skip bad rows" can help a failed load.
import type { DatasetErrorInfo, RowSubset, SkippedRows } from '../../../shared/datasets';

// One formatter for every count the view shows: toLocaleString makes a new one on each call (~0.1 ms each,
// dozens of them when the view is shown).
const counts = new Intl.NumberFormat('en-US');
const dates = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** A count in English style: 12345 → "12,345". */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** A moment in the user's locale, as Date's toLocaleString() writes it ("11/29/2026, 7:58:04 AM"). */
export function formatDateTime(time: string | number | Date): string {
  return dates.format(typeof time === 'string' ? new Date(time) : time);
}

/** "line 3", "lines 3, 9", or the first `max` lines then "…". */
export function skippedLinesText(skipped: SkippedRows, max = 30): string {
  const shown = skipped.lines.slice(0, max).join(', ');
  return `${skipped.count === 1 ? 'line' : 'lines'} ${shown}${skipped.count > max ? ', …' : ''}`;
}

/** "5 · Sandal", or just "5" when the class's name is its number (digits). */
export function classTitle(index: number, name: string | undefined): string {
  return name === undefined || name === String(index) ? String(index) : `${index} · ${name}`;
}

/** What a load in progress has got to: "12,000 rows · 40%", "40%", "12,000 rows", or "" when nothing is known. */
export function loadProgressText(rows: number, percent: number | null): string {
  const parts: string[] = [];
  if (rows > 0) parts.push(`${formatCount(rows)} rows`);
  if (percent !== null) parts.push(`${percent}%`);
  return parts.join(' · ');
}

/** True when the load failed on rows with bad values, which "skip bad rows" leaves out; false for an empty
 * file, a header-only file, a layout that cannot be read, a binary file, … (the parser says which: `skippable`). */
export function canSkipBadRows(error: DatasetErrorInfo): boolean {
  return error.skippable;
}

/** Images of class k among the rows the grid shows: all of them, the training rows or the dev rows. */
export function classCountIn(ds: { classCounts: readonly number[]; split: { devClassCounts: readonly number[] } }, k: number, subset: RowSubset): number {
  const dev = ds.split.devClassCounts[k] ?? 0;
  return subset === 'dev' ? dev : subset === 'train' ? ds.classCounts[k] - dev : ds.classCounts[k];
}
