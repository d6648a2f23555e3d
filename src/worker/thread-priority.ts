// Training threads give way to the UI. Node side (like ./task.ts and ./shard-threads.ts): it calls the OS.
import { setPriority } from 'node:os';

/** The nice value of a thread that trains (0 is normal, 19 the lowest): under contention the UI's threads
 *  (the renderer, the main process's IPC) run first, and a run that has the cores to itself is unaffected. */
export const TRAINING_NICE = 10;

let lowered = false;

/** Lowers the calling thread's priority to TRAINING_NICE, once per thread. Linux only: there a nice value
 *  belongs to one thread (setpriority on the calling thread); elsewhere it would lower the whole process,
 *  the app's main process with it. Not permitted (a sandbox): the thread keeps its priority. */
export function yieldToTheUi(): void {
  if (process.platform !== 'linux' || lowered) return;
  lowered = true;
  try {
    setPriority(0, TRAINING_NICE);
  } catch {
    // not permitted here: train at the normal priority
  }
}
