// A process's presence file: written when a record first names the process, touched on every tick of its clock
// (an injected one: no sleeping), written again if another process removed it, gone when it stops or exits; and
// judged from another, real process (a child node process that keeps its presence through this module).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntriesForTests } from '../test-support';
import { otherLiveProcess, PresenceCheck, type PresenceClock, ProcessPresence, REFRESH_MS, type RunOwner, STALE_MS } from './process-presence';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempFolder(prefix = 'mlp-processes-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A clock moved by hand: `tick()` runs the timers as REFRESH_MS passes. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const ticks = new Set<() => void>();
  const clock: PresenceClock = {
    now: () => now,
    every: (ms, tick) => {
      expect(ms).toBe(REFRESH_MS);
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
  };
  return { clock, timers: () => ticks.size, tick: () => ((now += REFRESH_MS), [...ticks].forEach((t) => t())) };
}

describe('ProcessPresence', () => {
  it('is written when a record first names the process, kept fresh while it lives, and removed when it stops', async () => {
    const folder = join(tempFolder(), 'processes');
    const time = manualClock();
    const presence = new ProcessPresence(folder, 'cli', time.clock);
    const path = join(folder, `${presence.owner.token}.json`);
    expect(existsSync(path)).toBe(false); // not before it trains anything
    const owner = presence.claim();
    expect(owner).toEqual({ token: expect.stringMatching(/^[0-9a-f-]{36}$/), pid: process.pid, host: hostname(), role: 'cli' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ ...owner, startedAt: new Date(time.clock.now()).toISOString() });
    expect(presence.claim()).toBe(owner);
    expect(time.timers()).toBe(1); // one timer, however many records name it

    // Judged from another process's point of view (a check on the folder at the same time): alive while it lives.
    const aliveLater = async (ticks: number) => {
      for (let i = 0; i < ticks; i++) time.tick();
      await presence.refresh(); // the tick's touch, awaited
      expect(statSync(path).mtimeMs).toBe(time.clock.now());
      return new PresenceCheck(folder, time.clock).isAlive(owner);
    };
    expect(await aliveLater(10)).toBe(true); // 100 s on: still fresh

    rmSync(path); // another process took it for a crash's (this machine slept): the next touch writes it again
    expect(await aliveLater(1)).toBe(true);

    presence.stop();
    expect(existsSync(path)).toBe(false);
    expect(time.timers()).toBe(0);
    expect(await new PresenceCheck(folder, time.clock).isAlive(owner)).toBe(false);
  });

  it('a refresh that finds its file removed (taken for a crash\'s) writes it again, but not once the process has stopped', async () => {
    const folder = tempFolder();
    const presence = new ProcessPresence(folder, 'app', manualClock().clock);
    presence.claim();
    const file = join(folder, `${presence.owner.token}.json`);
    rmSync(file); // another process judged it stale: this machine slept
    await presence.refresh();
    expect(existsSync(file)).toBe(true);
    rmSync(file);
    const refreshing = presence.refresh(); // the timer's turn, in flight
    presence.stop(); // the app quits meanwhile
    await refreshing;
    expect(existsSync(file)).toBe(false); // else taken for alive elsewhere for 40 s after it quit
  });

  it("removes the stale presence files it finds as it starts (crashed processes'), not fresh ones", async () => {
    const folder = tempFolder();
    const time = manualClock();
    const file = (name: string, ageMs: number) => {
      writeFileSync(join(folder, name), '{}');
      const touched = new Date(time.clock.now() - ageMs);
      utimesSync(join(folder, name), touched, touched);
    };
    file('crashed-0001.json', STALE_MS + 1);
    file('running-0002.json', STALE_MS - 1000);
    const presence = new ProcessPresence(folder, 'app', time.clock);
    presence.claim();
    await expect.poll(() => readdirSync(folder).sort()).toEqual([`${presence.owner.token}.json`, 'running-0002.json']);
    presence.stop();
  });
});

describe('a presence kept by another process', () => {
  let entry = '';
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    const out = await buildEntriesForTests('mlp-presence-', { presence: 'src/main/runs/process-presence.ts' });
    dirs.push(out);
    // The other process: claims its presence in the folder it is given, says who it is, and lives until told.
    entry = join(out, 'other.mjs');
    writeFileSync(entry, [
      "import { ProcessPresence } from './presence.js';",
      "const owner = new ProcessPresence(process.argv[2], 'cli').claim();",
      'process.stdout.write(`${JSON.stringify(owner)}\\n`);',
      "process.stdin.on('data', () => process.exit(0));", // a clean exit
      'setInterval(() => {}, 1000);',
    ].join('\n'));
  }, 60_000);
  afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

  async function otherProcess(folder: string): Promise<{ child: ChildProcess; owner: RunOwner }> {
    const child = spawn(process.execPath, [entry, folder], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
      child.once('exit', (code) => reject(new Error(`the other process exited (${code})`)));
    });
    return { child, owner: JSON.parse(line) as RunOwner };
  }
  const ended = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

  it('is alive while that process lives; a crash (killed) leaves its file, judged dead by its pid at once and removed', async () => {
    const folder = tempFolder();
    const { child, owner } = await otherProcess(folder);
    expect(owner).toMatchObject({ pid: child.pid, host: hostname(), role: 'cli' });
    expect(await new PresenceCheck(folder).isAlive(owner)).toBe(true);
    // Found among the folder's processes by its role, not this process's own presence of that role.
    new ProcessPresence(folder, 'app').claim();
    expect(await otherLiveProcess(folder, 'cli')).toEqual(owner);
    expect(await otherLiveProcess(folder, 'app')).toBeNull();
    child.kill('SIGKILL');
    await ended(child);
    expect(existsSync(join(folder, `${owner.token}.json`))).toBe(true); // a crash removes nothing
    expect(await new PresenceCheck(folder).isAlive(owner)).toBe(false);
    expect(existsSync(join(folder, `${owner.token}.json`))).toBe(false);
    expect(await otherLiveProcess(folder, 'cli')).toBeNull();
  });

  it('a clean exit removes its file', async () => {
    const folder = tempFolder();
    const { child, owner } = await otherProcess(folder);
    child.stdin!.write('exit\n');
    await ended(child);
    expect(existsSync(join(folder, `${owner.token}.json`))).toBe(false);
  });
});
