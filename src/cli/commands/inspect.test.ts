import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../args';
import { formatCsv } from '../../main/datasets/csv-writer';
import { makeData } from '../../main/datasets/test-helpers';
import { inspectCommand } from './inspect';

const dir = mkdtempSync(join(tmpdir(), 'mlp-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inspect(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await inspectCommand.run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false });
  return { code, stdout, stderr };
}

describe('cli inspect', () => {
  const good = join(dir, 'digits.csv');
  writeFileSync(good, formatCsv(makeData(40, 28, 10)));

  it('prints the summary of a file', async () => {
    const { code, stdout } = await inspect(good);
    expect(code).toBe(0);
    expect(stdout).toContain('digits.csv — CSV, with a header, label in column 1');
    expect(stdout).toContain('rows        40 images of 28×28 pixels, 10 classes');
    expect(stdout).toContain('split       dev = first 4 rows: train 36, dev 4');
  });

  it('says an unlabeled file cannot be trained on (and no longer says "prediction only", from before anything predicted)', async () => {
    const unlabeled = join(dir, 'unlabeled.csv');
    writeFileSync(unlabeled, formatCsv(makeData(10, 28, 10, false)));
    const csv = await inspect(unlabeled);
    expect(csv.stdout).toContain('unlabeled.csv — CSV, with a header, no label column (it cannot be trained on)\n');
    const images = join(dir, 'solo-images-idx3-ubyte');
    writeFileSync(images, Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]));
    const idx = await inspect(images);
    expect(idx.stdout).toContain('solo-images-idx3-ubyte — IDX images, no labels file (they cannot be trained on)\n');
    expect(csv.stdout + idx.stdout).not.toContain('prediction');
    expect(csv.stdout + idx.stdout).not.toContain('split ');
  });

  it('says how a spreadsheet export is written: semicolons, whole numbers 0–16 stretched', async () => {
    const semi = join(dir, 'digits-8x8.csv');
    writeFileSync(semi, ['3;0;16;8;1', '7;2;0;0;4'].join('\n'));
    const { code, stdout } = await inspect(semi);
    expect(code).toBe(0);
    expect(stdout).toContain('digits-8x8.csv — CSV (values separated by semicolons), no header, label in column 1');
    expect(stdout).toContain('stretched from whole numbers 0–16');
  });

  it('--json prints one object', async () => {
    const { code, stdout } = await inspect(good, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ name: 'digits.csv', rows: 40, width: 28, classes: 10, classCounts: new Array(10).fill(4) });
    expect(summary.meanImages).toBeUndefined();
  });

  it('bad input: exit code 2 and the positioned error on stderr', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${formatCsv(makeData(2, 2, 2))}1,2,3,300,5\n`);
    const { code, stdout, stderr } = await inspect(bad);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: bad.csv:4:4 (column "2x1"): expected a whole number 0–255, found "300" (out of range)\n');
    const skipped = await inspect(bad, '--skip-bad-rows');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('skipped     1 bad row, line 4');
    const missing = await inspect(join(dir, 'none.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: cannot read file ${join(dir, 'none.csv')}: no such file\n`);
    const folder = await inspect(dir);
    expect(folder).toMatchObject({ code: 2, stderr: `error: cannot read file ${dir}: it is a folder, not a file\n` });
  });

  it('two files that are not an IDX pair: exit code 2 and the second file named, as bad input', async () => {
    const images = join(dir, 'lone-images-idx3-ubyte');
    writeFileSync(images, Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]));
    expect(await inspect(images, good)).toEqual({ code: 2, stdout: '', stderr: 'error: digits.csv (byte 0): expected the IDX labels or images file of lone-images-idx3-ubyte, found a CSV text file\n' });
    expect(await inspect(good, good)).toEqual({ code: 2, stdout: '', stderr: 'error: digits.csv: expected one file (digits.csv is a CSV: its labels are a column), found a second file\n' });
  });

  it('usage errors', async () => {
    await expect(inspect()).rejects.toThrow(UsageError);
    await expect(inspect('a', 'b', 'c')).rejects.toThrow('give one FILE');
  });
});
