// Test support for the runs service: builds the real Piscina task entry (src/worker/task.ts) to a temp
// folder, and makes small labelled data sets, so tests drive real worker threads through real code.
import { join } from 'node:path';
import { buildEntriesForTests } from '../test-support';
import type { DatasetData } from '../../shared/dataset';

export async function buildWorkerForTests(): Promise<string> {
  // the data-parallel shard entry lands beside the task, where task.ts looks for it
  const entries = { worker: 'src/worker/task.ts', 'shard-task': 'src/worker/shard-task.ts' };
  const outDir = await buildEntriesForTests('mlp-worker-', entries, (name) => (name === 'worker' ? 'worker.mjs' : `${name}.js`));
  return join(outDir, 'worker.mjs');
}

/** `rows` images of side×side pixels in `classes` classes: class c lights up band c (plus seeded noise). */
export function bandsDataset(rows: number, side = 6, classes = 3, seed = 7): DatasetData {
  const size = side * side;
  const pixels = new Uint8Array(new SharedArrayBuffer(rows * size));
  const labels = new Uint8Array(new SharedArrayBuffer(rows));
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let r = 0; r < rows; r++) {
    const c = r % classes;
    labels[r] = c;
    for (let p = 0; p < size; p++) {
      const band = Math.floor(((p % side) * classes) / side);
      pixels[r * size + p] = Math.round((band === c ? 180 : 20) + rand() * 60);
    }
  }
  return { pixels, labels, rows, width: side, height: side, classes };
}
