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
  });

  it('leaves other errors to the caller', () => {
    expect(fileErrorText(new Error('bad'), 'x')).toBeNull();
    expect(fileErrorText(null, 'x')).toBeNull();
  });
});
