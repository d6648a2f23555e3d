// The upload index two servers on one data folder share: what one writes keeps what the other noted.
import { describe, expect, it } from 'vitest';
import { formatIndex, mergeIndex, parseIndex, type UploadEntry } from './upload-index';

const id = (c: string) => c.repeat(64);
const entry = (at: string, fingerprints: string[]): UploadEntry => ({ name: 'a.csv', bytes: 10, at, fingerprints });

describe('upload index', () => {
  it('merges what another process noted: its entries, and the fingerprints of those both know', () => {
    const mine = new Map([[id('a'), entry('2026-11-30T10:00:00.000Z', ['F'])]]);
    const theirs = new Map([
      [id('a'), entry('2026-11-30T10:00:00.000Z', ['G'])],
      [id('b'), entry('2026-11-30T10:05:00.000Z', ['H'])],
    ]);
    mergeIndex(mine, theirs, new Map());
    expect(mine.get(id('a'))?.fingerprints).toEqual(['F', 'G']);
    expect(mine.get(id('b'))?.fingerprints).toEqual(['H']);
  });

  it('does not bring back what this process removed, unless the other stored it again since', () => {
    const removed = new Map([[id('c'), '2026-11-30T11:00:00.000Z'], [id('d'), '2026-11-30T11:00:00.000Z']]);
    const mine = new Map<string, UploadEntry>();
    mergeIndex(mine, new Map([[id('c'), entry('2026-11-30T10:00:00.000Z', ['F'])], [id('d'), entry('2026-11-30T12:00:00.000Z', ['G'])]]), removed);
    expect([...mine.keys()]).toEqual([id('d')]);
  });

  it('reads back what it writes, leaves out what is not an entry, and throws on text that is not an index', () => {
    const entries = new Map([[id('e'), { ...entry('2026-11-30T10:00:00.000Z', []), unknown: true as const }]]);
    const text = formatIndex(entries);
    expect(parseIndex(text)).toEqual(entries);
    expect([...parseIndex(JSON.stringify({ 'not-an-id': entry('x', []), [id('f')]: { name: 'b' } })).keys()]).toEqual([]);
    expect(() => parseIndex('{"torn')).toThrow();
    expect(() => parseIndex('[]')).toThrow('not an object of uploads');
  });
});
