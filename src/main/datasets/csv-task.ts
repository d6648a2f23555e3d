// Worker-thread entry of the parallel CSV reader (read-parallel.ts): reads one byte range of the file with
// readRange (csv-range.ts) and posts the result; its pixels and labels are SharedArrayBuffer-backed, so
// nothing is copied on the way back. Progress goes to a shared Float64Array: [bytes, rows] at 2·index.
// Built as its own entry (electron.vite.config.ts) into out/main/csv-task.js.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readRange, type RangeTask } from './csv-range';

export interface CsvTaskData {
  path: string;
  task: RangeTask;
  index: number;
  progress: Float64Array;
}

const { path, task, index, progress } = workerData as CsvTaskData;
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
