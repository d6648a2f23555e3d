import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileErrorText } from './file-error';

const dir = mkdtempSync(join(tmpdir(), 'mlp-file-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('fileErrorText', () => {
  it("says what is wrong with the file in words, not Node's error code", async () => {
    const missing = join(dir, 'none.csv');
    expect(fileErrorText(await errorOf(readFile(missing)), missing, 'training file')).toBe(`cannot read training file ${missing}: no such file`);
    expect(fileErrorText(await errorOf(readFile(dir)), dir)).toBe(`cannot read file ${dir}: it is a folder, not a file`);
    // A pipe (`cat data.csv | … /dev/stdin`): read at a position, it fails with ESPIPE.
    expect(fileErrorText(Object.assign(new Error('ESPIPE: invalid seek, read'), { code: 'ESPIPE' }), '/dev/stdin')).toBe(
      'cannot read file /dev/stdin: it is a pipe or a device, not a file (data is read from a file: save it to one first)',
    );
  });

  it('leaves other errors to the caller', () => {
    expect(fileErrorText(new Error('bad'), 'x')).toBeNull();
    expect(fileErrorText(null, 'x')).toBeNull();
  });
});
