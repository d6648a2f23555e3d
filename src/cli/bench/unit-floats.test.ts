import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDataset } from '../../main/datasets/read';
import { unitDecimal, writeUnitFloatCsv } from './unit-floats';

describe('the 0–1 float CSV of the parse bench', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('writes p/255 with 4 decimals, trailing zeros dropped, and every byte comes back by rounding ×255', () => {
    expect(unitDecimal(0)).toBe('0');
    expect(unitDecimal(255)).toBe('1');
    expect(unitDecimal(128)).toBe('0.502');
    expect(unitDecimal(1)).toBe('0.0039');
    expect(unitDecimal(51)).toBe('0.2');
    for (let p = 0; p < 256; p++) {
      const s = unitDecimal(p);
      expect(s).toMatch(/^(0|1|0\.\d{1,4})$/);
      expect(Math.round(Number(s) * 255)).toBe(p);
    }
  });

  it('keeps the header and labels, converts the pixels, and our parser reads the source bytes back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'unit-floats-test-'));
    const source = join(dir, 'source.csv');
    const target = join(dir, 'unit.csv');
    writeFileSync(source, 'label,1x1,1x2,2x1,2x2\n7,0,128,255,3\n2,1,0,51,0\n');
    const file = writeUnitFloatCsv(source, target);
    const text = readFileSync(target, 'latin1');
    expect(text).toBe('label,1x1,1x2,2x1,2x2\n7,0,0.502,1,0.0118\n2,0.0039,0,0.2,0\n');
    expect(file).toEqual({ bytes: text.length, rows: 2, columns: 5, pixels: Uint8Array.of(0, 128, 255, 3, 1, 0, 51, 0), labels: Uint8Array.of(7, 2) });
    const { data, scaledFromUnit } = await readDataset([{ path: target, name: 'unit.csv' }], { parallel: { threads: 0 } });
    expect(scaledFromUnit).toBe(true);
    expect([...data.pixels]).toEqual([...file.pixels]);
    expect(data.labels && [...data.labels]).toEqual([7, 2]);
  });

  it('refuses a source pixel that is not a whole number 0–255, naming line and column', () => {
    dir = mkdtempSync(join(tmpdir(), 'unit-floats-test-'));
    const source = join(dir, 'source.csv');
    writeFileSync(source, 'label,a,b\n1,2,3\n1,2,300\n');
    expect(() => writeUnitFloatCsv(source, join(dir, 'unit.csv'))).toThrow(/line 3 column 3: '300' is not a whole number 0–255/);
  });
});
