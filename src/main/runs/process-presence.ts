// Which MLP Studio processes are alive in a data folder, told by files a process keeps there, not by its pid
// alone: after a crash a pid soon names another program (on Windows within minutes), and on another machine
// that shares the folder (a network drive, a synced folder) it names nothing at all.
//
// A process that trains runs keeps <dataDir>/processes/<token>.json (its pid, host, role and start; a fresh
// random token per process) and touches it every REFRESH_MS while it lives; it removes it when it stops
// training or exits. Another process takes it for alive while the file is fresh (touched within STALE_MS) and,
// on the same machine, its pid runs; a stale file is a crash's, and is removed. A run's record names its
// trainer by that token (run-owner.ts). Node only; no native modules.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Which program a process is, for messages: the app (desktop or browser mode) or the command line. */
export type ProcessRole = 'app' | 'cli';

/** A process that trains runs, as a run's record names it. */
export interface RunOwner {
  token: string;
  pid: number;
  host: string;
  role: ProcessRole;
}

/** What a token looks like (it becomes a file name: a hand-edited record cannot point elsewhere). */
export const TOKEN = /^[A-Za-z0-9-]{8,64}$/;

/** The time, and a repeating unref'd timer: injected in tests, which then move time without sleeping. */
export interface PresenceClock {
  now(): number;
  /** Calls `tick` every `ms` without keeping the process alive; answers how to cancel it. */
  every(ms: number, tick: () => void): () => void;
}

export const SYSTEM_CLOCK: PresenceClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref(); // a process that has nothing else to do exits: its presence goes with it
    return () => clearInterval(timer);
  },
};

/** How often a live process touches its presence file. */
export const REFRESH_MS = 10_000;
/** A presence file not touched for this long is a crashed (or killed) process's: four refreshes missed, room
 *  for a busy disk and for clocks of machines sharing the folder that differ by a few seconds. */
export const STALE_MS = 4 * REFRESH_MS;

/** The presence folder of a data folder. */
export function processesFolder(dataDir: string): string {
  return join(dataDir, 'processes');
}

/** This process's presences now (token → file): whether a token with this process's pid is one of them, and
 *  what an exit removes. Per process: the app and the CLI train from their main thread. */
const ownPresences = new Map<string, string>();
let removesOnExit = false;

function removeOwnPresences(): void {
  for (const path of ownPresences.values()) rmSync(path, { force: true });
  ownPresences.clear();
}

/** Whether `host` names this machine (Windows' names ignore case). */
export function isThisHost(host: string): boolean {
  return host.toLowerCase() === hostname().toLowerCase();
}

/** Whether a process with this id runs on this machine (signal 0 tests without sending one; EPERM: it runs as
 *  another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's presence in one data folder: written the first time a run's record names it (claim). */
export class ProcessPresence {
  readonly owner: RunOwner;
  private readonly path: string;
  private cancelRefresh: (() => void) | null = null;

  constructor(
    /** The presence folder (processesFolder(dataDir)). */
    readonly folder: string,
    role: ProcessRole,
    readonly clock: PresenceClock = SYSTEM_CLOCK,
  ) {
    this.owner = { token: randomUUID(), pid: process.pid, host: hostname(), role };
    this.path = join(folder, `${this.owner.token}.json`);
  }

  /** This process as a run's record names it. Its presence file is there before the record is written (so
   *  another process never reads a record naming a process it cannot find), and kept fresh from then on. */
  claim(): RunOwner {
    if (this.cancelRefresh) return this.owner;
    // Written at once, once: a record that names this process is about to be saved. A folder that cannot be
    // written is left unsaid here: the run's record, saved there too, says it in its row.
    try {
      mkdirSync(this.folder, { recursive: true });
      this.write();
    } catch {
      // (see above)
    }
    ownPresences.set(this.owner.token, this.path);
    if (!removesOnExit) {
      removesOnExit = true;
      process.once('exit', removeOwnPresences); // a clean exit leaves none; a crash's goes stale
    }
    this.cancelRefresh = this.clock.every(REFRESH_MS, () => void this.refresh());
    void removeStalePresences(this.folder, this.clock);
    return this.owner;
  }

  /** A check of other processes' presences in this folder, by this clock (one per listing: PresenceCheck). */
  check(): PresenceCheck {
    return new PresenceCheck(this.folder, this.clock);
  }

  /** Touches the file (rewrites it if another process took it for a crash's and removed it: a machine that slept). */
  async refresh(): Promise<void> {
    const now = new Date(this.clock.now());
    try {
      await utimes(this.path, now, now);
    } catch {
      if (!this.cancelRefresh) return; // stopped meanwhile: its file was removed on purpose
      await writeFile(this.path, this.text())
        .then(() => utimes(this.path, now, now))
        .catch(() => {});
      if (!this.cancelRefresh) await rm(this.path, { force: true }).catch(() => {}); // stopped while it was rewritten
    }
  }

  /** No longer trains here: removes the file (runs whose records still name this process are free from now on). */
  stop(): void {
    this.cancelRefresh?.();
    this.cancelRefresh = null;
    ownPresences.delete(this.owner.token);
    rmSync(this.path, { force: true });
  }

  private write(): void {
    writeFileSync(this.path, this.text());
    const now = new Date(this.clock.now());
    utimesSync(this.path, now, now); // its age is by this clock (the one refresh uses)
  }

  private text(): string {
    return `${JSON.stringify({ version: 1, ...this.owner, startedAt: new Date(this.clock.now()).toISOString() })}\n`;
  }
}

/** Whether the processes records name are alive, each asked once per check: make one per listing (60 runs
 *  one process trains read its file once), a new one for a later question. */
export class PresenceCheck {
  private readonly answers = new Map<string, Promise<boolean>>();

  constructor(
    readonly folder: string,
    private readonly clock: PresenceClock = SYSTEM_CLOCK,
  ) {}

  isAlive(owner: RunOwner): Promise<boolean> {
    let answer = this.answers.get(owner.token);
    if (!answer) {
      answer = this.judge(owner);
      this.answers.set(owner.token, answer);
    }
    return answer;
  }

  private async judge(owner: RunOwner): Promise<boolean> {
    if (!TOKEN.test(owner.token)) return false;
    const sameHost = isThisHost(owner.host);
    // This process's pid: one of its own presences, or a crashed process's whose pid this one now has.
    if (sameHost && owner.pid === process.pid) return ownPresences.has(owner.token);
    const path = join(this.folder, `${owner.token}.json`);
    const file = await stat(path).catch(() => null);
    if (!file) return false; // it exited (or its file was found stale)
    // On another machine the pid names nothing here: the file's freshness alone tells.
    const alive = this.clock.now() - file.mtimeMs < STALE_MS && (!sameHost || isRunning(owner.pid));
    if (!alive) await rm(path, { force: true }).catch(() => {});
    return alive;
  }
}

/** Another live process of this role in the folder (not this one), or null: e.g. a second browser-mode server on
 *  the data folder, whose open uploads this one must not take for unneeded. */
export async function otherLiveProcess(folder: string, role: ProcessRole, clock: PresenceClock = SYSTEM_CLOCK): Promise<RunOwner | null> {
  const check = new PresenceCheck(folder, clock);
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const token = name.slice(0, -'.json'.length);
    if (!name.endsWith('.json') || !TOKEN.test(token)) continue;
    const owner = await readFile(join(folder, name), 'utf8')
      .then((text) => {
        const { pid, host, role } = JSON.parse(text) as RunOwner;
        return { token, pid: Number(pid), host: String(host), role };
      })
      .catch(() => null);
    if (!owner || owner.role !== role || (owner.pid === process.pid && isThisHost(owner.host))) continue;
    if (await check.isAlive(owner)) return owner;
  }
  return null;
}

/** Removes the presence files of the folder that are stale (crashed processes'). */
async function removeStalePresences(folder: string, clock: PresenceClock): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.json') || ownPresences.has(name.slice(0, -'.json'.length))) continue;
    const path = join(folder, name);
    const file = await stat(path).catch(() => null);
    if (file && clock.now() - file.mtimeMs >= STALE_MS) await rm(path, { force: true }).catch(() => {});
  }
}
