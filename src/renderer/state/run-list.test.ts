import { describe, expect, it } from 'vitest';
import type { RunProgress, RunSummary } from '../../shared/api/runs';
import { presetConfig } from '../../shared/training';
import { applyPending, mergeSummary, namedAsShown, nameParts, runToShow, sortRuns, withDistinctNames, type PendingUpdate } from './run-list';
import { runSummary } from './test-support';

const progress = (step: number, loss = 0.5): RunProgress => ({ step, totalSteps: 1000, epoch: step / 100, samplesPerSecond: 2000, etaSeconds: 30, loss });

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return runSummary({ id, name: 'Adam 0.001 · 128 relu', status: 'running', datasetName: 'fashion_train.csv', progress: progress(100), epochsDone: 1, ...over });
}

const withSeed = (id: string, seed: number, over: Partial<RunSummary> = {}): RunSummary => run(id, { config: { ...presetConfig('standard'), seed }, ...over });

describe('mergeSummary: which summary of a run is shown', () => {
  it('same running leg, summary older than the step events shown: its fields, the newer progress and its time', () => {
    const known = run('a', { progress: progress(120, 0.4), elapsedSeconds: 6, epochsDone: 1 });
    const summary = run('a', { progress: progress(100, 0.6), elapsedSeconds: 5, epochsDone: 2, lastDevAccuracy: 0.81 });
    const merged = mergeSummary(known, summary);
    expect(merged.progress).toEqual(progress(120, 0.4));
    expect(merged.elapsedSeconds).toBe(6); // the time that goes with that progress
    expect(merged.epochsDone).toBe(2);
    expect(merged.lastDevAccuracy).toBe(0.81);
    expect(summary.progress.step).toBe(100); // inputs untouched
  });

  it('same paused leg keeps the newer progress too', () => {
    const merged = mergeSummary(run('a', { status: 'paused', progress: progress(300) }), run('a', { status: 'paused', progress: progress(250), checkpointEpoch: 2 }));
    expect(merged.progress.step).toBe(300);
    expect(merged.checkpointEpoch).toBe(2);
  });

  it('a summary at the same or a later step wins whole', () => {
    const known = run('a', { progress: progress(120, 0.4) });
    const same = run('a', { progress: progress(120, 0.3) });
    const later = run('a', { progress: progress(140, 0.2) });
    expect(mergeSummary(known, same)).toBe(same);
    expect(mergeSummary(known, later)).toBe(later);
  });

  it('a new status wins whole, even with older progress (a run resumed from its checkpoint steps back)', () => {
    const known = run('a', { status: 'running', progress: progress(500) });
    const stopped = run('a', { status: 'stopped', progress: progress(480) });
    expect(mergeSummary(known, stopped)).toBe(stopped);
    const paused = run('a', { status: 'paused', progress: progress(400) });
    const resumed = run('a', { status: 'running', progress: progress(300) });
    expect(mergeSummary(paused, resumed)).toBe(resumed);
  });

  it('outside running/paused the summary wins whole, even unchanged status with older progress', () => {
    for (const status of ['queued', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const) {
      const summary = run('a', { status, progress: progress(10) });
      expect(mergeSummary(run('a', { status, progress: progress(90) }), summary)).toBe(summary);
    }
  });
});

describe('sortRuns: the list order', () => {
  it('newest first; runs created together in palette order; sorts the array itself', () => {
    const runs = [
      run('old', { createdAt: 100, colorIndex: 0 }),
      run('cmp-2', { createdAt: 300, colorIndex: 2 }),
      run('mid', { createdAt: 200, colorIndex: 5 }),
      run('cmp-0', { createdAt: 300, colorIndex: 0 }),
      run('cmp-1', { createdAt: 300, colorIndex: 1 }),
    ];
    const sorted = sortRuns(runs);
    expect(sorted).toBe(runs);
    expect(sorted.map((r) => r.id)).toEqual(['cmp-0', 'cmp-1', 'cmp-2', 'mid', 'old']);
  });

  it('a compared group in palette order though its runs were created a millisecond apart', () => {
    const group = (id: string, createdAt: number, colorIndex: number) => run(id, { createdAt, colorIndex, groupId: 'g' });
    const runs = [group('rmsprop', 301, 2), run('mid', { createdAt: 200, colorIndex: 5 }), group('adam', 301, 3), group('gd', 300, 0), group('momentum', 300, 1), run('new', { createdAt: 400, colorIndex: 6 })];
    expect(sortRuns(runs).map((r) => r.id)).toEqual(['new', 'gd', 'momentum', 'rmsprop', 'adam', 'mid']);
  });

  it('an empty list stays empty', () => {
    expect(sortRuns([])).toEqual([]);
  });
});

describe('withDistinctNames: names that tell runs apart', () => {
  it('leaves unique names, and the runs themselves, alone', () => {
    const runs = [run('a', { name: 'Adam' }), run('b', { name: 'SGD' })];
    const shown = withDistinctNames(runs);
    expect(shown[0]).toBe(runs[0]);
    expect(shown[1]).toBe(runs[1]);
  });

  it('a shared name gets each run’s seed when the seeds differ', () => {
    const runs = [withSeed('a', 7, { name: 'Adam' }), withSeed('b', 42, { name: 'Adam' }), withSeed('c', 1, { name: 'SGD' })];
    expect(withDistinctNames(runs).map((r) => r.name)).toEqual(['Adam · seed 7', 'Adam · seed 42', 'SGD']);
    expect(runs.map((r) => r.name)).toEqual(['Adam', 'Adam', 'SGD']); // inputs untouched
  });

  it('same name and seed: numbered by age, oldest #1, palette order among runs created together; list order kept', () => {
    const runs = [
      run('newest', { name: 'Adam', createdAt: 300, colorIndex: 0 }),
      run('together-b', { name: 'Adam', createdAt: 200, colorIndex: 3 }),
      run('together-a', { name: 'Adam', createdAt: 200, colorIndex: 1 }),
      run('oldest', { name: 'Adam', createdAt: 100, colorIndex: 9 }),
    ];
    expect(withDistinctNames(runs).map((r) => [r.id, r.name])).toEqual([
      ['newest', 'Adam #4'],
      ['together-b', 'Adam #3'],
      ['together-a', 'Adam #2'],
      ['oldest', 'Adam #1'],
    ]);
  });

  it('every shown name is distinct when some of the seeds are shared', () => {
    const runs = [withSeed('a', 1, { name: 'Adam', createdAt: 100 }), withSeed('b', 1, { name: 'Adam', createdAt: 200 }), withSeed('c', 2, { name: 'Adam', createdAt: 300 })];
    const names = withDistinctNames(runs).map((r) => r.name);
    expect(new Set(names).size).toBe(3);
    expect(names).toEqual(['Adam #1', 'Adam #2', 'Adam #3']);
  });
});

describe('withDistinctNames: runs of one name on different data sets', () => {
  const on = (id: string, datasetName: string, over: Partial<RunSummary> = {}) => run(id, { name: 'Adam', datasetName, ...over });

  it('the data set’s name tells them apart first, with no seed or number when that is enough', () => {
    const runs = [on('a', 'fashion_test.csv'), on('b', 'mnist_train.csv'), run('c', { name: 'SGD' })];
    expect(withDistinctNames(runs).map((r) => r.name)).toEqual(['Adam · fashion_test.csv', 'Adam · mnist_train.csv', 'SGD']);
  });

  it('then the seed, or a number by age, only among runs of the same name and data set', () => {
    const seeded = (id: string, datasetName: string, seed: number, createdAt: number) =>
      on(id, datasetName, { config: { ...presetConfig('standard'), seed }, createdAt });
    const runs = [
      seeded('f1', 'fashion.csv', 1, 400),
      seeded('m2', 'mnist.csv', 7, 300),
      seeded('f2', 'fashion.csv', 2, 200),
      seeded('m1', 'mnist.csv', 7, 100),
      seeded('s1', 'sample.csv', 7, 50),
    ];
    expect(withDistinctNames(runs).map((r) => [r.id, r.name])).toEqual([
      ['f1', 'Adam · fashion.csv · seed 1'],
      ['m2', 'Adam · mnist.csv #2'], // same seed as m1: numbered, counting only the mnist.csv runs
      ['f2', 'Adam · fashion.csv · seed 2'],
      ['m1', 'Adam · mnist.csv #1'],
      ['s1', 'Adam · sample.csv'],
    ]);
  });

  it('nine runs of one name over four data sets all get distinct names, whatever the list order', () => {
    const sets = ['a.csv', 'b.csv', 'c.csv', 'd.csv'];
    const runs = Array.from({ length: 9 }, (_, i) => on(`r${i}`, sets[i % 4], { createdAt: 100 + i }));
    const names = withDistinctNames(runs).map((r) => r.name);
    expect(new Set(names).size).toBe(9);
    expect(names.slice(0, 4)).toEqual(['Adam · a.csv #1', 'Adam · b.csv #1', 'Adam · c.csv #1', 'Adam · d.csv #1']);
    expect(names[8]).toBe('Adam · a.csv #3');
    const reversed = withDistinctNames([...runs].reverse()).map((r) => r.name).reverse();
    expect(reversed).toEqual(names); // each run's name depends on the set of runs, not on their order
  });
});

describe('applyPending: a flush of batched updates', () => {
  const step = (s: number, elapsedSeconds: number, loss = 0.3) => ({ progress: progress(s, loss), elapsedSeconds });
  const pendingOf = (entries: [string, PendingUpdate][]) => new Map(entries);

  it('runs without updates stay the same objects, in the same order', () => {
    const runs = [run('a'), run('b')];
    const out = applyPending(runs, pendingOf([['b', { summary: null, step: step(150, 9) }]]));
    expect(out[0]).toBe(runs[0]);
    expect(out.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('an update for a run not in the list is dropped, not added', () => {
    const runs = [run('a')];
    const out = applyPending(runs, pendingOf([['gone', { summary: run('gone'), step: step(10, 1) }]]));
    expect(out).toEqual(runs);
    expect(out[0]).toBe(runs[0]);
  });

  it('a newer step sets the progress and elapsed time and nothing else', () => {
    const known = run('a', { progress: progress(100), elapsedSeconds: 5, epochsDone: 1 });
    const [out] = applyPending([known], pendingOf([['a', { summary: null, step: step(150, 8, 0.25) }]]));
    expect(out).toEqual({ ...known, progress: progress(150, 0.25), elapsedSeconds: 8 });
    expect(known.progress.step).toBe(100); // input untouched
  });

  it('a step older than the shown progress is ignored; one at the same step applies', () => {
    const known = run('a', { progress: progress(100), elapsedSeconds: 5 });
    expect(applyPending([known], pendingOf([['a', { summary: null, step: step(90, 4) }]]))[0]).toBe(known);
    const [same] = applyPending([known], pendingOf([['a', { summary: null, step: step(100, 6, 0.2) }]]));
    expect(same.elapsedSeconds).toBe(6);
    expect(same.progress.loss).toBe(0.2);
  });

  it('the summary is merged first, then the step applies unless older than the merged progress', () => {
    const known = run('a', { progress: progress(100), elapsedSeconds: 5, epochsDone: 1 });
    // Epoch summary at 200, a step event from before it (150): the summary's progress stands.
    const [a] = applyPending([known], pendingOf([['a', { summary: run('a', { progress: progress(200), elapsedSeconds: 10, epochsDone: 2 }), step: step(150, 8) }]]));
    expect(a.progress.step).toBe(200);
    expect(a.elapsedSeconds).toBe(10);
    expect(a.epochsDone).toBe(2);
    // Epoch summary at 200, a later step at 230: the summary's fields, the step's progress and time.
    const [b] = applyPending([known], pendingOf([['a', { summary: run('a', { progress: progress(200), elapsedSeconds: 10, epochsDone: 2 }), step: step(230, 11) }]]));
    expect(b.progress.step).toBe(230);
    expect(b.elapsedSeconds).toBe(11);
    expect(b.epochsDone).toBe(2);
  });

  it('a full-batch epoch: the step the row makes of it carries the time shown before, the summary sent with it the time now; the newer stays', () => {
    // A run started from the queue shows 0 s; its epoch at step 15 comes as a summary (8 s trained) and as the
    // step RunsState makes from the epoch point, with the 0 s it had. The row said 'elapsed 0 s' all through.
    const known = run('a', { progress: progress(14), elapsedSeconds: 0 });
    const [out] = applyPending([known], pendingOf([['a', { summary: run('a', { progress: progress(15), elapsedSeconds: 8 }), step: step(15, 0, 1.7) }]]));
    expect(out.progress).toEqual(progress(15, 1.7));
    expect(out.elapsedSeconds).toBe(8);
  });

  it('a summary older than the shown progress (same leg) keeps the shown progress and its time; an older step is still ignored', () => {
    const known = run('a', { progress: progress(300), elapsedSeconds: 15 });
    const [out] = applyPending([known], pendingOf([['a', { summary: run('a', { progress: progress(200), elapsedSeconds: 10, epochsDone: 2 }), step: step(250, 12) }]]));
    expect(out.progress.step).toBe(300);
    expect(out.epochsDone).toBe(2);
    expect(out.elapsedSeconds).toBe(15); // the time that goes with the progress kept
  });

  it('a status change in the flush is shown, with its own progress', () => {
    const known = run('a', { status: 'running', progress: progress(300) });
    const [out] = applyPending([known], pendingOf([['a', { summary: run('a', { status: 'diverged', progress: progress(280), error: 'loss became NaN' }), step: null }]]));
    expect(out.status).toBe('diverged');
    expect(out.progress.step).toBe(280);
    expect(out.error).toBe('loss became NaN');
  });
});

describe('namedAsShown: a service message names the run as the list does', () => {
  it("two runs named 'Adam 0.001 · 128 relu': the message about seed 4's names it '… · seed 4'", () => {
    const runs = [withSeed('a', 3), withSeed('b', 4)];
    const shown = withDistinctNames(runs);
    const text = "Built-in MNIST sample (10,000 rows), the data run 'Adam 0.001 · 128 relu' trained on, is not open";
    expect(namedAsShown(text, 'b', runs, shown)).toBe("Built-in MNIST sample (10,000 rows), the data run 'Adam 0.001 · 128 relu · seed 4' trained on, is not open");
  });
  it('a run whose name is its own, or unknown, leaves the message as it is', () => {
    const runs = [withSeed('a', 3)];
    const text = "run 'Adam 0.001 · 128 relu' is running";
    expect(namedAsShown(text, 'a', runs, withDistinctNames(runs))).toBe(text);
    expect(namedAsShown(text, 'gone', runs, withDistinctNames(runs))).toBe(text);
  });
});

describe('nameParts: what a shortened name keeps', () => {
  it('splits off the seed or number withDistinctNames added, which tells the run apart', () => {
    const [a, b] = withDistinctNames([withSeed('a', 1, { datasetName: 'x.csv' }), withSeed('b', 2, { datasetName: 'x.csv' })]);
    expect(nameParts(a.name)).toEqual({ head: 'Adam 0.001 · 128 relu', tail: ' · seed 1' });
    expect(nameParts(b.name).tail).toBe(' · seed 2');
    const [, second] = withDistinctNames([run('a', { createdAt: 1 }), run('b', { createdAt: 2 })]);
    expect(nameParts(second.name)).toEqual({ head: 'Adam 0.001 · 128 relu', tail: ' #2' });
  });
  it('a name without one is all head', () => {
    expect(nameParts('gd 0.1 · 256 relu, 128 relu, 64 relu')).toEqual({ head: 'gd 0.1 · 256 relu, 128 relu, 64 relu', tail: '' });
  });
});

describe('runToShow: the run Evaluate and Draw show', () => {
  // The notebook's four as the list orders them (newest first; a group in palette order), with the dev accuracy
  // each reaches.
  const group = (status: RunSummary['status'] = 'completed') =>
    sortRuns([
      run('gd', { groupId: 'g', colorIndex: 0, createdAt: 2000, status, lastDevAccuracy: 0.5 }),
      run('momentum', { groupId: 'g', colorIndex: 1, createdAt: 2000, status, lastDevAccuracy: 0.72 }),
      run('adam', { groupId: 'g', colorIndex: 2, createdAt: 2001, status, lastDevAccuracy: 0.91 }),
      run('rmsprop', { groupId: 'g', colorIndex: 3, createdAt: 2001, status, lastDevAccuracy: 0.88 }),
      run('older', { createdAt: 1000, lastDevAccuracy: 0.97 }),
    ]);

  it('nothing picked: the newest group’s finished run of the highest dev accuracy, not its first', () => {
    const runs = group();
    expect(runs[0].id).toBe('gd');
    expect(runToShow(runs, null)?.id).toBe('adam');
    expect(runToShow(runs, 'removed')?.id).toBe('adam'); // a pick no longer there
  });

  it('a run the user picked stays picked, whatever its accuracy', () => {
    expect(runToShow(group(), 'gd')?.id).toBe('gd');
    expect(runToShow(group(), 'older')?.id).toBe('older');
  });

  it('only finished runs of the group count: while they train, the group’s first; a failed one is passed over', () => {
    expect(runToShow(group('running'), null)?.id).toBe('gd');
    const runs = group().map((r) => (r.id === 'adam' ? { ...r, status: 'failed' as const } : r));
    expect(runToShow(runs, null)?.id).toBe('rmsprop');
    const stopped = group().map((r) => (r.id === 'adam' ? { ...r, status: 'stopped' as const } : r));
    expect(runToShow(stopped, null)?.id).toBe('adam');
  });

  it('the newest run outside a group, however good an older group is; none: null', () => {
    const single = run('single', { createdAt: 3000, lastDevAccuracy: 0.3 });
    expect(runToShow(sortRuns([...group(), single]), null)?.id).toBe('single');
    expect(runToShow([], null)).toBeNull();
  });

  it('runs without a dev accuracy (trained without a dev set, Draw): the group’s first', () => {
    const runs = group().map((r) => ({ ...r, lastDevAccuracy: null }));
    expect(runToShow(runs, null)?.id).toBe('gd');
  });
});
