import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolder } from './make-folder';

const root = mkdtempSync(join(tmpdir(), 'mlp-make-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeFolder', () => {
  it('makes the folder and its missing parents, and accepts one that exists', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeFolder(deep);
    await makeFolder(join(root, 'a'));
  });

  it('fails as the system says when a file is in the way', async () => {
    writeFileSync(join(root, 'file'), 'x');
    await expect(makeFolder(join(root, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeFolder(join(root, 'file'))).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('fails on a broken link where the folder goes (the link is there, no folder is made)', async () => {
    const link = join(root, 'broken-link');
    symlinkSync(join(root, 'nowhere'), link);
    await expect(makeFolder(link)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('lets concurrent callers make the same folders', async () => {
    const deep = join(root, 'x', 'y', 'z');
    await Promise.all([makeFolder(deep), makeFolder(deep), makeFolder(join(root, 'x', 'y'))]);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  // Node 20's mkdir({ recursive: true }) never returns here.
  it.runIf(process.platform === 'linux')('fails at once where the system refuses a folder whose parent exists (/proc)', async () => {
    await expect(makeFolder('/proc/mlp-studio-test/runs')).rejects.toMatchObject({ code: 'ENOENT', path: '/proc/mlp-studio-test' });
  });
});
