// The datasets namespace's argument schemas: what the services may trust after validation.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { datasetsMethods } from './datasets';

const ok = (name: keyof typeof datasetsMethods, args: unknown[]) => v.safeParse(datasetsMethods[name].args, args).success;

describe('datasets API schemas', () => {
  it('open takes one FileRef or an IDX pair, with optional options', () => {
    const ref = { kind: 'path', path: '/data/train.csv' };
    expect(ok('open', [ref])).toBe(true);
    expect(ok('open', [ref, { skipBadRows: true, jobId: 'ui-1' }])).toBe(true);
    expect(ok('open', [[ref, { kind: 'upload', id: 'abcdef012345', name: 'labels.gz' }]])).toBe(true);
    expect(ok('open', [[]])).toBe(false);
    expect(ok('open', [[ref, ref, ref]])).toBe(false);
    expect(ok('open', [ref, { jobId: 'no spaces allowed' }])).toBe(false);
    expect(ok('open', [{ kind: 'path', path: '' }])).toBe(false);
  });

  it('split options are checked field by field', () => {
    expect(ok('setSplit', ['ds-1-abc', { kind: 'first', devRows: 1000 }])).toBe(true);
    expect(ok('setSplit', ['ds-1-abc', { kind: 'first', devRows: 1000, testId: 'ds-2-def' }])).toBe(true);
    expect(ok('setSplit', ['ds-1-abc', { kind: 'first', devRows: -1 }])).toBe(false);
    expect(ok('setSplit', ['ds-1-abc', { kind: 'random', devFraction: 0.1, seed: 3, stratified: true }])).toBe(true);
    expect(ok('setSplit', ['ds-1-abc', { kind: 'random', devFraction: 1, seed: 3, stratified: true }])).toBe(false);
    expect(ok('setSplit', ['ds-1-abc', { kind: 'random', devFraction: 0.1, seed: 1.5, stratified: true }])).toBe(false);
    expect(ok('setSplit', ['../etc', { kind: 'first', devRows: 1 }])).toBe(false);
  });

  it('thumbnail pages are bounded; examples take at most 10,000 indices', () => {
    expect(ok('thumbnails', ['ds-1', { start: 0, count: 256, classFilter: null, subset: 'all' }])).toBe(true);
    expect(ok('thumbnails', ['ds-1', { start: 0, count: 5000, classFilter: null, subset: 'all' }])).toBe(false);
    expect(ok('thumbnails', ['ds-1', { start: 0, count: 10, classFilter: 3, subset: 'test' }])).toBe(false);
    expect(ok('examples', ['ds-1', [0, 5, 9]])).toBe(true);
    expect(ok('examples', ['ds-1', [1.5]])).toBe(false);
    expect(ok('examples', ['ds-1', new Array(10001).fill(0)])).toBe(false);
  });

  it('saved class names are asked for by a fingerprint and a class count', () => {
    expect(ok('savedClassNames', ['0123456789abcdef0123456789abcdef', 10])).toBe(true);
    expect(ok('savedClassNames', ['../../etc/passwd', 10])).toBe(false);
    expect(ok('savedClassNames', ['0123456789abcdef0123456789abcdef', 0])).toBe(false);
    expect(ok('savedClassNames', ['0123456789abcdef0123456789abcdef', 2.5])).toBe(false);
  });

  it('class names are trimmed, non-empty and short', () => {
    const parsed = v.safeParse(datasetsMethods.setClassNames.args, ['ds-1', ['  cat ', 'dog']]);
    expect(parsed.success && parsed.output[1]).toEqual(['cat', 'dog']);
    expect(ok('setClassNames', ['ds-1', ['']])).toBe(false);
    expect(ok('setClassNames', ['ds-1', ['x'.repeat(41)]])).toBe(false);
  });
});
