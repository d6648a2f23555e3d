// The policy that lets a data-parallel run's leader leave its shards out while they slow the steps down
// (another program on a core), fed with made-up step times: each mode's time per step is given, and the
// test follows the modes the policy picks.
import { describe, expect, it } from 'vitest';
import { ThreadChoice, type ThreadChoiceOptions, type ThreadMode } from './thread-choice';

const small: ThreadChoiceOptions = { window: 4, probeWindow: 4, settle: 1, firstProbeAfter: 2, aloneProbeEvery: 4 };
const perWindow = 5; // settle + window

/** Runs `steps` steps where a step takes seconds(mode, step); returns the mode of each step. */
function follow(choice: ThreadChoice, steps: number, seconds: (mode: ThreadMode, step: number) => number): ThreadMode[] {
  const modes: ThreadMode[] = [];
  for (let s = 0; s < steps; s++) {
    modes.push(choice.mode);
    choice.record(seconds(choice.mode, s));
  }
  return modes;
}

const count = (modes: ThreadMode[], mode: ThreadMode) => modes.filter((m) => m === mode).length;

describe('ThreadChoice', () => {
  it('on a quiet machine, tries the leader alone once, early, and never again, even when its speed drifts by less than the slowdown', () => {
    const choice = new ThreadChoice(small);
    // all threads: 300 µs a step, drifting ±10% from window to window; the leader alone would take 450
    const modes = follow(choice, 200 * perWindow, (mode, s) => (mode === 'all' ? 300e-6 * (1 + 0.1 * Math.sin(s / perWindow)) : 450e-6));
    expect(modes.slice(2 * perWindow, 3 * perWindow)).toEqual(Array(perWindow).fill('leader')); // the probe, after 2 windows
    expect(count(modes, 'leader')).toBe(perWindow);
    expect(choice.switches).toBe(0);
    expect(choice.keepsLeaderAlone).toBe(false);
  });

  it('says it keeps the leader alone from the probe that wins until the one that brings the shards back, not during a probe', () => {
    const choice = new ThreadChoice(small);
    const busyFrom = 5 * perWindow;
    const quietFrom = 40 * perWindow;
    const seconds = (mode: ThreadMode, s: number) => (s >= busyFrom && s < quietFrom ? (mode === 'all' ? 1000e-6 : 500e-6) : mode === 'all' ? 300e-6 : 450e-6);
    const kept: boolean[] = [];
    const modes: ThreadMode[] = [];
    for (let s = 0; s < 80 * perWindow; s++) {
      modes.push(choice.mode);
      choice.record(seconds(choice.mode, s));
      kept.push(choice.keepsLeaderAlone);
    }
    expect(kept.slice(0, busyFrom)).not.toContain(true); // the early probe lost
    expect(kept[quietFrom - 1]).toBe(true);
    expect(kept.at(-1)).toBe(false);
    // while it keeps the leader alone, some steps are probes of every thread
    const probesWhileKept = modes.filter((m, s) => m === 'all' && s > 0 && kept[s - 1]);
    expect(probesWhileKept.length).toBeGreaterThan(0);
  });

  it('leaves the shards out when a core is busy from the start, letting them back in for a probe every 4 windows', () => {
    const choice = new ThreadChoice(small);
    const modes = follow(choice, 3 * perWindow + 50 * perWindow, (mode) => (mode === 'all' ? 1000e-6 : 500e-6));
    expect(choice.switches).toBe(1);
    const alone = modes.slice(3 * perWindow); // after 2 windows and the probe: 4 alone, 1 probe, …
    expect(count(alone, 'all')).toBe(10 * perWindow);
  });

  it('leaves the shards out once the steps slow down and the leader alone is faster', () => {
    const choice = new ThreadChoice(small);
    // quiet for 10 windows (300 µs), then another program takes a core: all threads 1,000 µs, the leader 500
    const busyFrom = 10 * perWindow;
    const modes = follow(choice, 100 * perWindow, (mode, s) => (s < busyFrom ? 300e-6 : mode === 'all' ? 1000e-6 : 500e-6));
    expect(count(modes.slice(0, busyFrom), 'leader')).toBe(perWindow); // the early probe only
    expect(choice.switches).toBe(1);
    // two slow windows (one could be a hiccup), then the probe that wins
    expect(modes.slice(busyFrom, busyFrom + 2 * perWindow)).toEqual(Array(2 * perWindow).fill('all'));
    expect(modes.slice(busyFrom + 2 * perWindow, busyFrom + 7 * perWindow)).toEqual(Array(5 * perWindow).fill('leader'));
  });

  it('takes one slow window for a hiccup, not a reason to probe', () => {
    const choice = new ThreadChoice(small);
    // 300 µs a step, but every 7th window 1,000 µs; the leader alone 500 µs
    const modes = follow(choice, 100 * perWindow, (mode, s) => (mode === 'leader' ? 500e-6 : Math.floor(s / perWindow) % 7 === 6 ? 1000e-6 : 300e-6));
    expect(count(modes, 'leader')).toBe(perWindow); // the early probe only
    expect(choice.switches).toBe(0);
  });

  it('lets the shards back in once the other program is gone, for good', () => {
    const choice = new ThreadChoice(small);
    const busyFrom = 5 * perWindow;
    const quietFrom = 40 * perWindow;
    const seconds = (mode: ThreadMode, s: number) => (s >= busyFrom && s < quietFrom ? (mode === 'all' ? 1000e-6 : 500e-6) : mode === 'all' ? 300e-6 : 450e-6);
    const modes = follow(choice, 80 * perWindow, seconds);
    expect(modes[quietFrom - 1]).toBe('leader');
    expect(choice.switches).toBe(2);
    // within 4 windows and the probe, all threads are back, and not asked again
    expect(count(modes.slice(quietFrom + 5 * perWindow), 'leader')).toBe(0);
  });

  it('does not go alone for a probe faster by less than the margin, and does not ask again while nothing changes', () => {
    const choice = new ThreadChoice({ ...small, marginToAlone: 0.25 });
    // all threads slowed to 1,000 µs after 3 windows; the leader alone 800 µs: 20% faster, under the 25% margin
    const modes = follow(choice, 60 * perWindow, (mode, s) => (s < 3 * perWindow ? 300e-6 : mode === 'all' ? 1000e-6 : 800e-6));
    expect(choice.switches).toBe(0);
    expect(count(modes, 'leader')).toBe(2 * perWindow); // the early probe, and the one the slowdown brought
  });

  it('asks again when the steps slow down further', () => {
    const choice = new ThreadChoice(small);
    // 300 µs, then 1,000 µs (the leader alone 900: no switch), then 2,000 µs (the leader alone still 900)
    const modes = follow(choice, 60 * perWindow, (mode, s) => (s < 10 * perWindow ? 300e-6 : mode === 'leader' ? 900e-6 : s < 30 * perWindow ? 1000e-6 : 2000e-6));
    expect(choice.switches).toBe(1);
    expect(count(modes.slice(11 * perWindow, 30 * perWindow), 'leader')).toBe(perWindow);
    expect(modes.at(-1)).toBe('leader');
  });

  it('counts a window by its mean step: a few steps stuck behind a descheduled thread count in full', () => {
    const choice = new ThreadChoice(small);
    // all threads: 3 steps of 300 µs and one of 10 ms per window (mean 2.7 ms, median 300 µs); leader 500 µs
    const modes = follow(choice, 30 * perWindow, (mode, s) => (mode === 'leader' ? 500e-6 : s % perWindow === 4 ? 10e-3 : 300e-6));
    expect(choice.switches).toBe(1);
    expect(count(modes.slice(-10 * perWindow), 'leader')).toBeGreaterThanOrEqual(8 * perWindow); // a probe every 5 windows
  });

  it('ends a window of slow steps once they add up to windowSeconds (probeSeconds for a probe), after at least minSteps', () => {
    const choice = new ThreadChoice({ window: 256, probeWindow: 64, windowSeconds: 0.095, probeSeconds: 0.018, minSteps: 4, settle: 1, firstProbeAfter: 1 });
    // 10 ms steps with every thread: a window ends after 10 of them (100 ms); 5 ms steps alone: a probe
    // after 4, the minimum (20 ms)
    const modes = follow(choice, 11 + 5 + 11, (mode) => (mode === 'all' ? 10e-3 : 5e-3));
    expect(modes).toEqual([...Array(11).fill('all'), ...Array(5).fill('leader'), ...Array(11).fill('leader')]);
    expect(choice.switches).toBe(1);
  });

  it('times a probe over probeWindow steps and the mode the run keeps over window steps', () => {
    const choice = new ThreadChoice({ window: 6, probeWindow: 2, settle: 1, firstProbeAfter: 1 });
    const modes = follow(choice, 7 + 3 + 7, (mode) => (mode === 'all' ? 300e-6 : 450e-6));
    expect(modes).toEqual([...Array(7).fill('all'), ...Array(3).fill('leader'), ...Array(7).fill('all')]);
  });

  it('comes back to every thread for a probe faster by any amount', () => {
    const choice = new ThreadChoice(small);
    // busy from the start (all 1,000 µs, alone 500), then all threads 490 µs: 2% faster than alone
    const modes = follow(choice, 60 * perWindow, (mode, s) => (mode === 'leader' ? 500e-6 : s < 20 * perWindow ? 1000e-6 : 490e-6));
    expect(choice.switches).toBe(2);
    expect(modes.at(-1)).toBe('all');
  });

  it('does not count the first steps of a window (a shard joining or leaving)', () => {
    const choice = new ThreadChoice({ window: 4, probeWindow: 4, settle: 3, firstProbeAfter: 1 });
    // every first 3 steps of a window are 100× slower; the rest as on a quiet machine
    follow(choice, 40 * 7, (mode, s) => (s % 7 < 3 ? 0.03 : mode === 'all' ? 300e-6 : 450e-6));
    expect(choice.switches).toBe(0);
  });
});
