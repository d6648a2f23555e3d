// Which process trains a run, across processes: the app and the command line may share a data folder (on one
// machine, or on several through a network drive or a synced folder), and a run one of them trains is not
// continued or removed by another (both trained it at once, and an epoch was lost). A run's record names its
// process (RunRecord.trainedBy) while it is queued, running or paused: by the token of its presence file
// (process-presence.ts), which tells whether it is still alive. Node only.
import { isRunning, isThisHost, type PresenceCheck, type RunOwner } from './process-presence';
import { hasEnded } from './run-rules';
import type { RunRecord } from './store';

/** What a record says of its trainer: a process with a presence, or — written by an earlier version — a pid. */
export type Trainer = RunOwner | number;

/** "another MLP Studio process (the command line, pid 4242 on lab-pc)": how every message names it (the
 *  machine when it is not this one). An earlier version's record names a pid alone. */
export function otherProcess(trainer: Trainer): string {
  if (typeof trainer === 'number') return `another MLP Studio process (pid ${trainer}: the app, or the command line)`;
  const { role, pid, host } = trainer;
  const which = role === 'app' ? 'the app' : role === 'cli' ? 'the command line' : String(role);
  const where = isThisHost(host) ? '' : ` on ${host}`;
  return `another MLP Studio process (${which}, pid ${pid}${where})`;
}

/** The other process that trains the run of this record now, or null: the record says one trains it (it has not
 *  ended), and `check` finds that process alive (process-presence.ts) and not this one (`self`, this process's
 *  presence in the folder, if it has one). A crash leaves a record
 *  that names a process gone: its presence file is stale or removed, whatever program has its pid now.
 *  A record of an earlier version names a pid alone, with no presence to ask: it is judged as that version did,
 *  by whether a process other than this one runs with that pid on this machine (an earlier version's CLI may
 *  still train beside this app; once the records are saved by this version, they name a presence). */
export async function trainedElsewhere(record: RunRecord, check: PresenceCheck, self?: RunOwner): Promise<Trainer | null> {
  const trainer = record.trainedBy;
  if (trainer === undefined || hasEnded(record.summary.status)) return null;
  if (typeof trainer === 'number') return trainer !== process.pid && isRunning(trainer) ? trainer : null;
  // This process's own record: a stop (or an end) whose save failed leaves it naming this process, still alive.
  if (trainer.token === self?.token) return null;
  return (await check.isAlive(trainer)) ? trainer : null;
}
