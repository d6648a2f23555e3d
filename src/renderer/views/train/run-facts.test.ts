import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api/runs';
import { runSummary } from '../../state/test-support';
import { factsText, runFacts } from './run-facts';

const running = (over: Partial<RunSummary> = {}) =>
  runSummary({ status: 'running', bestDevAccuracy: 0.957, elapsedSeconds: 65, ...over, progress: { ...runSummary().progress, samplesPerSecond: 48_300 } });

describe('runFacts: a run row’s facts, the most needed first', () => {
  it('a running run: how far, how good, then ETA, speed and elapsed time', () => {
    expect(factsText(runFacts(running(), 3.5, 0.3856, '28 s'))).toBe(
      'epoch 3.50 / 5 · loss 0.3856 · best dev 95.70% · ETA 28 s · 48k samples/s · elapsed 1:05',
    );
  });

  it('a finished run has no ETA or speed; its test accuracy follows its best dev accuracy', () => {
    const done = runSummary({ bestDevAccuracy: 0.8, lastTestAccuracy: 0.7912, elapsedSeconds: 7 });
    expect(factsText(runFacts(done, 5, 0.5, null))).toBe('epoch 5 / 5 · loss 0.5000 · best dev 80.00% · test 79.12% · elapsed 7 s');
  });

  it('a run counted in iterations has no epoch total; an unknown ETA is shown as unknown, a missing one not at all', () => {
    const iterations = running({ config: { ...running().config, duration: { unit: 'iterations', count: 30 } } });
    expect(runFacts(iterations, 2, null, '—').map((f) => `${f.label}:${f.value}${f.suffix}`)).toEqual(
      ['epoch:2', 'loss:—', 'best dev:95.70%', 'ETA:—', ':48k samples/s', 'elapsed:1:05'],
    );
    expect(runFacts(iterations, 2, null, null).map((f) => f.label)).toEqual(['epoch', 'loss', 'best dev', '', 'elapsed']);
  });

  it('marks the values the e2e specs read', () => {
    expect(runFacts(running(), 1, 1, '1 s').flatMap((f) => f.testid ?? [])).toEqual(['run-epoch', 'run-best', 'run-eta', 'run-elapsed']);
  });
});
