// Who trains a run, as another process judges it from the run's record and the presence files of the data folder:
// a crash's record frees the run whatever program has its pid now, a live trainer keeps it (on another machine
// too, by its file's freshness alone), and an earlier version's pid-only record is judged by its pid.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newSummary } from '../../shared/api/runs';
import { presetConfig } from '../../shared/training';
import { PresenceCheck, type PresenceClock, type RunOwner, STALE_MS } from './process-presence';
import { otherProcess, type Trainer, trainedElsewhere } from './run-owner';
import type { RunRecord } from './store';

const folder = mkdtempSync(join(tmpdir(), 'mlp-processes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A clock at `at.ms`, moved by the tests (no sleeping). */
const at = { ms: Date.UTC(2026, 0, 1) };
const clock: PresenceClock = { now: () => at.ms, every: () => () => {} };

const GONE = 2 ** 22 + 12345; // above Linux's largest pid: no process has it
let tokens = 0;
function owner(patch: Partial<RunOwner> = {}): RunOwner {
  return { token: `test-owner-${++tokens}`, pid: process.ppid, host: hostname(), role: 'cli', ...patch };
}

/** The presence file of `who`, last touched `ageMs` before the clock's now. */
function presence(who: RunOwner, ageMs: number): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${who.token}.json`);
  writeFileSync(path, JSON.stringify(who));
  const touched = new Date(at.ms - ageMs);
  utimesSync(path, touched, touched);
  return path;
}

function record(trainedBy?: Trainer, status = 'running'): RunRecord {
  const summary = newSummary({ id: 'r', config: presetConfig('standard'), devRows: 20, datasetId: 'ds', datasetName: 'digits.csv', groupId: null, colorIndex: 0, createdAt: 1, threads: 1 });
  return { version: 1, summary: { ...summary, status: status as RunRecord['summary']['status'] }, steps: [], epochs: [], ...(trainedBy === undefined ? {} : { trainedBy }) };
}

const judged = (trainedBy?: Trainer, status?: string) => trainedElsewhere(record(trainedBy, status), new PresenceCheck(folder, clock));

describe('trainedElsewhere', () => {
  it('a crashed trainer frees its run, whatever program has its pid now: its presence file is stale (and removed), or gone', async () => {
    // its pid now this process's (the test's own), or another live program's (the one that started the tests)
    for (const pid of [process.pid, process.ppid]) {
      const crashed = owner({ pid });
      const path = presence(crashed, STALE_MS + 1000);
      expect(await judged(crashed)).toBeNull();
      if (pid !== process.pid) expect(existsSync(path)).toBe(false); // a crash's leftover, cleaned
    }
    expect(await judged(owner())).toBeNull(); // it exited and removed its file (a quit: its queued runs' records still name it)
  });

  it('a live trainer on this machine keeps its run: its file is fresh and its pid runs; the file fresh but the pid gone is a crash of seconds ago', async () => {
    const live = owner();
    presence(live, STALE_MS - 1000);
    expect(await judged(live)).toEqual(live);
    expect(await judged(live, 'paused')).toEqual(live);
    expect(await judged(live, 'queued')).toEqual(live);
    expect(await judged(live, 'stopped')).toBeNull(); // ended: it trains it no more
    expect(otherProcess(live)).toBe(`another MLP Studio process (the command line, pid ${process.ppid})`);
    const justCrashed = owner({ pid: GONE });
    const path = presence(justCrashed, 0);
    expect(await judged(justCrashed)).toBeNull();
    expect(existsSync(path)).toBe(false);
    // a presence of this very process that it no longer holds (stopped) is not taken for this one, nor for another
    const mine = owner({ pid: process.pid, role: 'app' });
    presence(mine, 0);
    expect(await judged(mine)).toBeNull();
  });

  it("a trainer on another machine (a shared folder) is judged by its file's freshness alone: its pid means nothing here", async () => {
    const there = owner({ host: 'lab-pc', pid: GONE, role: 'app' });
    presence(there, STALE_MS - 1000);
    expect(await judged(there)).toEqual(there);
    expect(otherProcess(there)).toBe(`another MLP Studio process (the app, pid ${GONE} on lab-pc)`);
    at.ms += 2000; // no touch since: it crashed, or its machine went to sleep
    expect(await judged(there)).toBeNull();
    const liveHere = owner({ host: 'lab-pc', pid: process.pid }); // this process's pid, on that machine: not this one
    presence(liveHere, 0);
    expect(await judged(liveHere)).toEqual(liveHere);
  });

  it("an earlier version's record names a pid alone: judged by that pid on this machine, as that version did", async () => {
    expect(await judged(process.ppid)).toBe(process.ppid); // it may still train (an earlier version's CLI)
    expect(otherProcess(process.ppid)).toBe(`another MLP Studio process (pid ${process.ppid}: the app, or the command line)`);
    expect(await judged(GONE)).toBeNull(); // a crash
    expect(await judged(process.pid)).toBeNull(); // this process (of this version) wrote no such record: a crash's
    expect(await judged(process.ppid, 'stopped')).toBeNull();
    expect(await judged(undefined)).toBeNull(); // a record from before runs said who trains them
  });

  it('looks at each process once per check: a listing of many runs of one trainer reads its file once', async () => {
    const live = owner();
    const path = presence(live, 0);
    const check = new PresenceCheck(folder, clock);
    expect(await trainedElsewhere(record(live), check)).toEqual(live);
    rmSync(path); // it exits meanwhile: this listing answers as it looked, the next one sees it
    expect(await trainedElsewhere(record(live), check)).toEqual(live);
    expect(await trainedElsewhere(record(live), new PresenceCheck(folder, clock))).toBeNull();
  });

  it('a token that is no plain file name names no process (a hand-edited record)', async () => {
    const outside = join(folder, '..', `${folder.split(/[\\/]/).at(-1)}-outside.json`);
    writeFileSync(outside, '{}');
    try {
      expect(await judged(owner({ token: `../${outside.split(/[\\/]/).at(-1)!.slice(0, -5)}` }))).toBeNull();
      expect(existsSync(outside)).toBe(true);
    } finally {
      rmSync(outside, { force: true });
    }
  });
});
