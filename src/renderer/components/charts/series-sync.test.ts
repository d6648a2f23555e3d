import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POINTS, append, type XY } from './run-series';
import { applySeries, diffSeries, type SentMark } from './series-sync';

/** Sends what changed and applies it to the copy; returns how many points went. */
function sync(series: XY[], copy: XY[], mark: { sent?: SentMark }): number {
  const { update, mark: next } = diffSeries(series, mark.sent);
  mark.sent = next;
  if (!update) return 0;
  applySeries(copy, update);
  return update.xy.length / 2;
}

describe('diffSeries / applySeries', () => {
  it('sends only the new points while a series grows, nothing when it has not changed', () => {
    const series: XY[] = [];
    const copy: XY[] = [];
    const mark = {};
    for (let x = 0; x < 5; x++) append(series, x, x * 2);
    expect(sync(series, copy, mark)).toBe(5);
    expect(sync(series, copy, mark)).toBe(0);
    append(series, 5, 10);
    append(series, 6, 12);
    expect(sync(series, copy, mark)).toBe(2);
    expect(copy).toEqual(series);
  });

  it('a resumed run (cut back, then grown past where it was) and a halved series go again whole or from where they still agree', () => {
    const series: XY[] = [];
    const copy: XY[] = [];
    const mark = {};
    for (let x = 0; x < 10; x++) append(series, x, x);
    sync(series, copy, mark);
    append(series, 4, 99); // back to step 4: points 4… are new objects
    for (let x = 5; x < 12; x++) append(series, x, -x);
    expect(sync(series, copy, mark)).toBe(12);
    expect(copy).toEqual(series);
    for (let x = 12; x <= MAX_POINTS + 1; x++) append(series, x, x % 7); // halved on the way
    sync(series, copy, mark);
    expect(copy).toEqual(series);
  });

  it('a replaced array (a run history) is sent whole', () => {
    const copy: XY[] = [];
    const mark = {};
    sync([{ x: 1, y: 1 }], copy, mark);
    const history = [{ x: 0, y: 5 }, { x: 1, y: 4 }];
    expect(sync(history, copy, mark)).toBe(2);
    expect(copy).toEqual(history);
  });

  it('any sequence of appends, cut-backs and replacements leaves the copy equal to the series', () => {
    type Op = { kind: 'append'; dx: number; y: number } | { kind: 'back'; by: number } | { kind: 'replace'; n: number } | { kind: 'sync' };
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), dx: fc.integer({ min: 1, max: 3 }), y: fc.double({ noNaN: true, min: -10, max: 10 }) }),
      fc.record({ kind: fc.constant('back' as const), by: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('replace' as const), n: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('sync' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 60 }), (ops) => {
        let series: XY[] = [];
        const copy: XY[] = [];
        const mark = {};
        for (const o of ops) {
          const lastX = series.at(-1)?.x ?? 0;
          if (o.kind === 'append') append(series, lastX + o.dx, o.y);
          else if (o.kind === 'back') append(series, lastX - o.by, 0); // a resume: drops points at or after x
          else if (o.kind === 'replace') series = Array.from({ length: o.n }, (_, i) => ({ x: i, y: -i }));
          else sync(series, copy, mark);
        }
        sync(series, copy, mark);
        expect(copy).toEqual(series);
      }),
    );
  });

  it('refuses an update that starts past the end of the copy', () => {
    expect(() => applySeries([], { from: 2, xy: new Float64Array(2) })).toThrow(/starts at point 2 but the copy has only 0/);
  });
});
