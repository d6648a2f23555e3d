import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api/runs';
import type { TrainConfig } from '../../../shared/training';
import { continueFrom, datasetChoice, formatEta, formatSeconds, parkedWhy, runEpoch, stepsPerEpoch, threadsText } from './format';
import { formatEpoch } from '../../lib/format';
import { runSummary } from '../../state/test-support';

function run(config: Partial<TrainConfig>, progress: Partial<RunSummary['progress']>, over: Partial<RunSummary> = {}): RunSummary {
  const base = runSummary({ status: 'stopped', ...over });
  return { ...base, config: { ...base.config, ...config }, progress: { ...base.progress, ...progress } };
}

// fashion_test.csv: 10,000 rows, 1,000 dev → 9,000 train rows → 141 steps of 64 per epoch.
const forty = { duration: { unit: 'epochs' as const, count: 40 } };

describe('runEpoch: the epoch the step count is at', () => {
  it('a run stopped between two step messages: the epoch follows its step, not the older message (17.15, not 17.00)', () => {
    const r = run(forty, { step: 2418, totalSteps: 5640, epoch: 17 }, { epochsDone: 17 });
    expect(stepsPerEpoch(r, null)).toBe(141);
    expect(runEpoch(r, null)).toBeCloseTo(2418 / 141, 10);
    expect(formatEpoch(runEpoch(r, null))).toBe('17.15');
  });

  it('a run counted in iterations takes its steps per epoch from its train rows', () => {
    const r = run({ duration: { unit: 'iterations', count: 1000 } }, { step: 282, totalSteps: 1000, epoch: 1.5 });
    expect(stepsPerEpoch(r, 9000)).toBe(141);
    expect(runEpoch(r, 9000)).toBe(2);
  });

  it('full batch: one step per epoch', () => {
    const r = run({ batchSize: 'full', duration: { unit: 'iterations', count: 30 } }, { step: 19, totalSteps: 30, epoch: 18 });
    expect(runEpoch(r, null)).toBe(19);
  });

  it('unknown steps per epoch (not started, data set closed): the progress epoch or the epochs done', () => {
    const r = run({ duration: { unit: 'iterations', count: 1000 } }, { step: 0, totalSteps: 0, epoch: 0 }, { epochsDone: 3 });
    expect(stepsPerEpoch(r, null)).toBeNull();
    expect(runEpoch(r, null)).toBe(3);
  });

  it('a finished 5-epoch run reads "5", not "5.00"', () => {
    const r = run({}, { step: 705, totalSteps: 705, epoch: 4.99 }, { status: 'completed', epochsDone: 5 });
    expect(formatEpoch(runEpoch(r, null))).toBe('5');
  });
});

describe('threadsText: the threads in a run’s settings line', () => {
  it('names several threads, and says while the first trains alone for now (a busy core), only as it runs', () => {
    const base = runSummary();
    const run = (threads: number | undefined, status: RunSummary['status'], onOneThread?: boolean) =>
      ({ threads, status, progress: { ...base.progress, ...(onOneThread === undefined ? {} : { onOneThread }) } }) as RunSummary;
    expect(threadsText(run(1, 'running', true))).toBe('');
    expect(threadsText(run(undefined, 'running'))).toBe('');
    expect(threadsText(run(2, 'running'))).toBe(' · 2 threads');
    expect(threadsText(run(2, 'running', false))).toBe(' · 2 threads');
    expect(threadsText(run(2, 'running', true))).toBe(' · 2 threads (on 1 for now: a core is busy)');
    expect(threadsText(run(2, 'paused', true))).toBe(' · 2 threads'); // a paused run trains on none
  });
});

describe('formatEta', () => {
  it('is never 0 while steps remain: under half a second reads "<1 s", a stale or missing 0 reads "—"', () => {
    expect(formatEta(0.3, 5)).toBe('<1 s');
    expect(formatEta(0, 2000)).toBe('—');
    expect(formatEta(null, 2000)).toBe('—');
    expect(formatEta(Number.NaN, 2000)).toBe('—');
  });

  it('a known time left as seconds or minutes', () => {
    expect(formatEta(7.4, 100)).toBe('7 s');
    expect(formatEta(65, 100)).toBe('1:05');
    expect(formatEta(12, null)).toBe('12 s');
  });

  it('nothing once no step is left', () => {
    expect(formatEta(0, 0)).toBeNull();
    expect(formatEta(3, 0)).toBeNull();
  });
});

describe('formatSeconds (a run’s elapsed time)', () => {
  it('writes under half a second of training as "<1 s", as the time left does, not "0 s"', () => {
    expect(formatSeconds(0.3)).toBe('<1 s');
    expect(formatSeconds(0.5)).toBe('1 s');
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(12.4)).toBe('12 s');
    expect(formatSeconds(65)).toBe('1:05');
    expect(formatSeconds(null)).toBe('—');
  });
});

describe('continueFrom: what Continue goes on from', () => {
  it('a stopped run: where it stopped (its final weights), not its last checkpoint', () => {
    expect(continueFrom(run(forty, { step: 5801 }, { status: 'stopped', checkpointEpoch: 41 }))).toBe('Continue from where it stopped (step 5,801)');
  });

  it('a run stopped inside its first epoch has weights to go on from (it had no Continue)', () => {
    expect(continueFrom(run(forty, { step: 3915 }, { status: 'stopped', checkpointEpoch: 0 }))).toBe('Continue from where it stopped (step 3,915)');
  });

  it('an interrupted run: its last checkpoint', () => {
    expect(continueFrom(run(forty, { step: 4512 }, { status: 'interrupted', checkpointEpoch: 32 }))).toBe('Continue from the checkpoint after epoch 32');
  });

  it('a run with no weights yet (stopped while queued, or the app closed before its first checkpoint or its start): from the start', () => {
    const fromStart = 'Continue from the start (it has no saved weights yet)';
    expect(continueFrom(run(forty, { step: 0 }, { status: 'stopped', checkpointEpoch: 0 }))).toBe(fromStart);
    expect(continueFrom(run(forty, { step: 90 }, { status: 'interrupted', checkpointEpoch: 0 }))).toBe(fromStart);
    expect(continueFrom(run(forty, { step: 0 }, { status: 'interrupted', checkpointEpoch: 0 }))).toBe(fromStart);
    expect(continueFrom(run(forty, { step: 1 }, { status: 'stopped', checkpointEpoch: 0 }))).toBe('Continue from where it stopped (step 1)');
  });

  it('none for a run that cannot continue', () => {
    for (const status of ['completed', 'running', 'paused', 'queued', 'failed', 'diverged'] as const) {
      expect(continueFrom(run(forty, { step: 500 }, { status, checkpointEpoch: 3 }))).toBeNull();
    }
  });
});

describe('parkedWhy', () => {
  it('a run on one thread gave its thread, not "its threads"', () => {
    expect(parkedWhy(1)).toBe('Its thread went to a queued run. Resume puts it first in the queue; it goes on from where it paused.');
    expect(parkedWhy(2)).toMatch(/^Its threads went to a queued run\./);
  });
});

describe('datasetChoice: a data set in the Train form’s menu', () => {
  const sample = { id: 'a', name: 'Built-in MNIST sample', rows: 10_000 };
  it('its name, with its size in full in the tooltip', () => {
    expect(datasetChoice(sample, [sample, { id: 'b', name: 'fashion_train.csv' }])).toEqual({ label: 'Built-in MNIST sample', title: 'Built-in MNIST sample · 10,000 rows' });
  });
  it('its size too where another open data set has the same name', () => {
    const other = { id: 'b', name: 'train.csv', rows: 600 };
    expect(datasetChoice(other, [sample, other, { id: 'c', name: 'train.csv' }]).label).toBe('train.csv · 600 rows');
  });
});
