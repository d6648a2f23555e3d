import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SAVED, SavedClassNames } from './class-names';

const root = mkdtempSync(join(tmpdir(), 'mlp-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${++n}`, 'user'); // a folder not made yet, as on a first start

describe('SavedClassNames', () => {
  it('keeps names by fingerprint across instances (a restart), only for the same number of classes', async () => {
    const dir = freshDir();
    await new SavedClassNames(dir).save('fp-a', ['cat', 'dog']);
    const again = new SavedClassNames(dir);
    expect(await again.get('fp-a', 2)).toEqual(['cat', 'dog']);
    expect(await again.get('fp-a', 3)).toBeNull();
    expect(await again.get('fp-b', 2)).toBeNull();
  });

  it('keeps every one of saves made one right after another, and a read sees the last', async () => {
    const names = new SavedClassNames(freshDir());
    void names.save('fp-a', ['a0', 'a1']);
    void names.save('fp-b', ['b0', 'b1']);
    void names.save('fp-a', ['A0', 'A1']);
    expect(await names.get('fp-a', 2)).toEqual(['A0', 'A1']);
    expect(await names.get('fp-b', 2)).toEqual(['b0', 'b1']);
  });

  it('keeps the most recently named MAX_SAVED data sets', async () => {
    const dir = freshDir();
    const names = new SavedClassNames(dir);
    const keys = () => Object.keys(JSON.parse(readFileSync(join(dir, 'class-names.json'), 'utf8')) as object);
    for (let i = 0; i < MAX_SAVED; i++) await names.save(`fp-${i}`, ['x', 'y']);
    await names.save('fp-0', ['renamed', 'y']); // the oldest becomes the most recent
    await names.save('fp-new', ['x', 'y']); // one too many: the least recently named goes
    expect(keys()).toHaveLength(MAX_SAVED);
    expect(keys()).not.toContain('fp-1');
    expect(keys().slice(-2)).toEqual(['fp-0', 'fp-new']);
    expect(await names.get('fp-0', 2)).toEqual(['renamed', 'y']);
  });

  it('reads a damaged file as no names saved, and writes over it', async () => {
    const dir = join(root, 'damaged');
    const names = new SavedClassNames(dir);
    await names.save('fp-a', ['a', 'b']);
    writeFileSync(join(dir, 'class-names.json'), '{"fp-a": ["a", 2], "fp-b": ');
    expect(await names.get('fp-a', 2)).toBeNull();
    writeFileSync(join(dir, 'class-names.json'), '{"fp-a": ["a", 2], "fp-b": ["c", "d"]}');
    expect(await names.get('fp-a', 2)).toBeNull(); // not all strings
    expect(await names.get('fp-b', 2)).toEqual(['c', 'd']);
    await names.save('fp-c', ['e', 'f']);
    expect(await names.get('fp-c', 2)).toEqual(['e', 'f']);
  });
});
