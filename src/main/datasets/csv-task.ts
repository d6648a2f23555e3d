// Worker-thread entry of the parallel CSV reader (read-parallel.ts): for each message, reads one byte range
// of a file with readRange (csv-range.ts) and posts the result. The rows go straight into the task's
// SharedArrayBuffers; progress goes to a shared Float64Array: [bytes, rows] at 2·index. The thread stays for
// the next task (read-parallel.ts keeps idle threads a while). Built as its own entry (electron.vite.config.ts)
// into out/main/csv-task.js.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readRange, type RangeTask } from './csv-range';

export interface CsvTaskData {
  path: string;
  task: RangeTask;
  index: number;
  progress: Float64Array;
}

parentPort?.on('message', ({ path, task, index, progress }: CsvTaskData) => {
  const fd = openSync(path, 'r');
  try {
    const result = readRange(
      task,
      (into, position) => readSync(fd, into, 0, into.length, position),
      (bytes, rows) => {
        progress[2 * index] = bytes;
        progress[2 * index + 1] = rows;
      },
    );
    parentPort?.postMessage(result);
  } finally {
    closeSync(fd);
  }
});
