// Finding a run's data among the loaded data sets: by fingerprint, the preferred load first, else the newest;
// runs without a fingerprint by an id known to hold their data, or a look-alike; never another data set.
import { describe, expect, it } from 'vitest';
import { findRunData, mayBeRunData, runDataKey } from './run-data';

const loaded = (id: string, fingerprint: string) => ({ id, fingerprint });

describe('findRunData', () => {
  const a1 = loaded('a1', 'fp-a');
  const b = loaded('b', 'fp-b');
  const a2 = loaded('a2', 'fp-a');

  it('the load under the key\'s id among those with its fingerprint, else the newest of them', () => {
    expect(findRunData([a1, b, a2], { fingerprint: 'fp-a', id: 'a1' })).toBe(a1);
    expect(findRunData([a1, b, a2], { fingerprint: 'fp-a', id: 'gone' })).toBe(a2);
    expect(findRunData([a1, b, a2], { fingerprint: 'fp-a', id: null })).toBe(a2);
  });

  it('never a load with another fingerprint, even under the key\'s id (an id chosen for another data set)', () => {
    expect(findRunData([b], { fingerprint: 'fp-a', id: 'b' })).toBeNull();
    expect(findRunData([a1, b], { fingerprint: 'fp-a', id: 'b' })).toBe(a1);
    expect(findRunData([], { fingerprint: 'fp-a', id: null })).toBeNull();
  });

  it('with a fingerprint, look-alikes do not count', () => {
    expect(findRunData([b], { fingerprint: 'fp-a', id: null }, () => true)).toBeNull();
  });

  it('without a fingerprint: the load under the key\'s id, else the newest look-alike, else none', () => {
    const looksLike = (d: { id: string }) => d.id.startsWith('a');
    expect(findRunData([a1, b, a2], { fingerprint: undefined, id: 'b' }, looksLike)).toBe(b);
    expect(findRunData([a1, b, a2], { fingerprint: undefined, id: 'gone' }, looksLike)).toBe(a2);
    expect(findRunData([a1, b, a2], { fingerprint: undefined, id: 'b' })).toBe(b);
    expect(findRunData([a1, b, a2], { fingerprint: undefined, id: 'gone' })).toBeNull();
    expect(findRunData([b], { fingerprint: undefined, id: null }, looksLike)).toBeNull();
  });
});

describe('runDataKey', () => {
  it('the run\'s recorded fingerprint and its last data set id', () => {
    const dataset = { fingerprint: 'fp-a', rows: 10, width: 2, height: 2, split: { kind: 'first' as const, devRows: 1 } };
    expect(runDataKey({ datasetId: 'a1', dataset })).toEqual({ fingerprint: 'fp-a', id: 'a1' });
    expect(runDataKey({ datasetId: 'old' })).toEqual({ fingerprint: undefined, id: 'old' });
  });
});

describe('mayBeRunData', () => {
  const run = { datasetName: 'digits.csv', config: { devRows: 100 } };

  it('the run\'s file name, labeled, with more rows than its dev set', () => {
    expect(mayBeRunData(run, { name: 'digits.csv', labeled: true, rows: 101 })).toBe(true);
    expect(mayBeRunData(run, { name: 'other.csv', labeled: true, rows: 1000 })).toBe(false);
    expect(mayBeRunData(run, { name: 'digits.csv', labeled: false, rows: 1000 })).toBe(false);
    expect(mayBeRunData(run, { name: 'digits.csv', labeled: true, rows: 100 })).toBe(false);
  });
});
