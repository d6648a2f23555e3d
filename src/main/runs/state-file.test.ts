import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainerState } from '../../shared/training';
import { decodeState, encodeState, readStateHeader } from './state-file';
import { savedSteps } from './run-weights';
import { RunStore } from './store';

const state = (withMoments: boolean): TrainerState => ({
  version: 1,
  layerSizes: [3, 2],
  params: Float32Array.from([1.5, -2, 3e-8, Math.PI, 0, -0, 7, 8]),
  m: withMoments ? Float32Array.from({ length: 8 }, (_, i) => i / 7) : null,
  v: withMoments ? Float32Array.from({ length: 8 }, (_, i) => 1e-30 * i) : null,
  steps: 123,
  epoch: 4,
  stepInEpoch: 5,
  shuffleRng: [1, 2, 3, 4294967295],
  epochLossSum: 12.25,
  epochRows: 320,
});

describe('state file', () => {
  it('round-trips a state bit for bit, with and without optimizer moments', () => {
    for (const withMoments of [true, false]) {
      const original = state(withMoments);
      const back = decodeState(encodeState(original));
      expect(back).toEqual(original);
      expect(Object.is(back.params[5], -0)).toBe(true);
    }
  });

  it('stores the arrays as raw float32 (4 bytes each), not as text', () => {
    const bytes = encodeState(state(true));
    expect(bytes.length).toBeLessThan(300 + 24 * 4);
    expect(bytes.length % 4).toBe(0);
  });

  it('reads from an unaligned view (a Buffer slice of a larger read), copying the arrays out of it', () => {
    const bytes = encodeState(state(true));
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    const back = decodeState(padded.subarray(1));
    expect(back).toEqual(state(true));
    for (const array of [back.params, back.m, back.v]) expect(array!.buffer).not.toBe(padded.buffer);
  });

  it('views the arrays where they lie in a whole file\'s own buffer, without copying them', () => {
    const bytes = new Uint8Array(encodeState(state(true))); // its own buffer, as a whole file's read is
    const back = decodeState(bytes);
    expect(back).toEqual(state(true));
    for (const array of [back.params, back.m, back.v]) expect(array!.buffer).toBe(bytes.buffer);
  });

  it('says what is wrong with a damaged file', () => {
    const bytes = encodeState(state(true));
    expect(() => decodeState(new Uint8Array(3))).toThrow('not an MLP Studio state file');
    expect(() => decodeState(bytes.subarray(0, 20))).toThrow('the file ends inside its header');
    expect(() => decodeState(bytes.subarray(0, bytes.length - 8))).toThrow('its v array lies outside the file (truncated?)');
  });
});

describe('readStateHeader', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mlp-state-header-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array) => {
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads everything but the arrays; null when there is no file', async () => {
    const { params: _p, m: _m, v: _v, ...rest } = state(true);
    expect(await readStateHeader(file('good.bin', encodeState(state(true))))).toEqual(rest);
    expect(await readStateHeader(join(folder, 'missing.bin'))).toBeNull();
  });

  it('a path it cannot read (not a missing file) is an error naming it, not "no state"', async () => {
    const path = join(folder, 'a-folder.bin');
    mkdirSync(path);
    await expect(readStateHeader(path)).rejects.toThrow(`cannot read ${path}`);
    const store = new RunStore(folder);
    mkdirSync(join(folder, 'run-x', 'checkpoint.bin'), { recursive: true });
    await expect(store.loadState('run-x', 'checkpoint')).rejects.toThrow(`cannot read ${join(folder, 'run-x', 'checkpoint.bin')}`);
    expect(await store.loadState('run-x', 'final')).toBeNull(); // not there: no state
    // choosing the run's current weights says the same (not "is not a valid checkpoint")
    await expect(savedSteps(store, 'run-x', 'checkpoint')).rejects.toThrow(new RegExp(`^cannot read ${join(folder, 'run-x', 'checkpoint.bin')}`));
  });

  /** A state file with this header text and no data. */
  const withHeader = (text: string) => {
    const json = Buffer.from(text, 'utf8');
    const prefix = Buffer.alloc(12);
    prefix.write('MLPSTATE', 0, 'latin1');
    prefix.writeUInt32LE(json.length, 8);
    return Buffer.concat([prefix, json]);
  };

  it('a damaged file gives the Error decodeState gives', async () => {
    const bytes = encodeState(state(true));
    const damaged: [string, Uint8Array, string][] = [
      ['empty', new Uint8Array(0), 'not an MLP Studio state file'],
      ['short', new Uint8Array(3), 'not an MLP Studio state file'],
      ['other', Buffer.from('MLPSTATX and more bytes after it'), 'not an MLP Studio state file'],
      ['header cut', bytes.subarray(0, 20), 'the file ends inside its header'],
      ['bad json', withHeader('{"state": {'), 'its header is not valid JSON'],
      ['data cut', bytes.subarray(0, bytes.length - 8), 'its v array lies outside the file (truncated?)'],
      ['bad offset', withHeader('{"state": {}, "arrays": {"params": {"offset": -1, "length": 0}}}'), 'its params array lies outside the file (truncated?)'],
      ['no params', withHeader('{"state": {}, "arrays": {"params": null, "m": null, "v": null}}'), 'it holds no parameters'],
      ['null header', withHeader('null'), 'it holds no parameters'],
    ];
    for (const [name, data, message] of damaged) {
      expect(() => decodeState(data), name).toThrow(message);
      await expect(readStateHeader(file(`${name}.bin`, data)), name).rejects.toThrow(message);
    }
  });
});
