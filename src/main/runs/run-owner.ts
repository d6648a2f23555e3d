// Which process trains a run, across processes: the app and the command line may share a data folder, and a run
// one of them trains is not continued or removed by the other (both trained it at once, and an epoch was lost).
// A run's record names its process (RunRecord.trainedBy) while it is queued, running or paused. Node only.
import { hasEnded } from './run-rules';
import type { RunRecord } from './store';

/** "another MLP Studio process (pid 4242: the app, or the command line)": how every message names it. */
export function otherProcess(pid: number): string {
  return `another MLP Studio process (pid ${pid}: the app, or the command line)`;
}

/** The other process that trains the run of this record now, or null: the record says one trains it (it has not
 *  ended), and that process runs and is not this one. (A crash leaves a record that says so of a process gone.) */
export function trainedElsewhere(record: RunRecord): number | null {
  const pid = record.trainedBy;
  return pid !== undefined && pid !== process.pid && !hasEnded(record.summary.status) && isRunning(pid) ? pid : null;
}

/** Whether a process with this id runs (signal 0 tests without sending one; EPERM: it runs as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
