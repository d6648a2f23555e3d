// The CSV reader threads started ahead of the first large file: the app starts them once it is idle, the
// datasets service does so without ever throwing, never while a load runs, and a second call starts none; an
// idle thread that fails ends quietly instead of throwing in the main process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FileRef } from '../../shared/api/files';
import type { ServiceContext } from '../services/context';
import { createServices } from '../services';
import { formatCsv } from './csv-writer';
import type * as readParallel from './read-parallel';
import { idleReaderThreads, startReaderThreads } from './read-parallel';
import { createDatasetService, type DatasetServiceOptions } from './service';
import { makeData } from './test-helpers';

// The real module, with startReaderThreads watched: the app's own wiring calls it through the default.
vi.mock('./read-parallel', async (importOriginal) => {
  const real = await importOriginal<typeof readParallel>();
  return { ...real, startReaderThreads: vi.fn(real.startReaderThreads) };
});

const dir = mkdtempSync(join(tmpdir(), 'mlp-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx: ServiceContext = {
  dataDir: join(dir, 'user'),
  emit: () => {},
  resolveFile: (ref: FileRef) => {
    if (ref.kind !== 'path') throw new Error('paths only');
    return { path: ref.path, displayName: ref.path };
  },
};

/** A worker file that waits for messages, as csv-task.js does. */
function idleWorkerFile(name: string, source = "import { parentPort } from 'node:worker_threads';\nparentPort?.on('message', () => {});\n"): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

function service(options: DatasetServiceOptions) {
  return createDatasetService(ctx, options);
}

describe('reader threads started ahead', () => {
  it('the app starts them once its services are up (and the sample, if any, is in)', async () => {
    vi.mocked(startReaderThreads).mockClear();
    const services = await createServices(ctx, { transport: 'browser', workerFile: '/nonexistent/worker.js', log: () => {}, openSample: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(startReaderThreads).toHaveBeenCalledTimes(1);
    } finally {
      await services.dispose();
    }
  });

  it('warmReaders starts them on demand only, and a second call starts none', () => {
    const workerFile = idleWorkerFile('idle.mjs');
    const datasets = service({ startReaderThreads: () => startReaderThreads(2, workerFile) });
    expect(idleReaderThreads(workerFile)).toBe(0);
    datasets.warmReaders();
    expect(idleReaderThreads(workerFile)).toBe(2);
    datasets.warmReaders();
    expect(idleReaderThreads(workerFile)).toBe(2);
  });

  it('starts none while a load runs (its threads are busy, not gone)', async () => {
    const start = vi.fn(() => 0);
    const datasets = service({ startReaderThreads: start });
    const path = join(dir, 'small.csv');
    writeFileSync(path, formatCsv(makeData(50, 28, 10)));
    const pending = datasets.open({ kind: 'path', path }, { jobId: 'j1' });
    datasets.warmReaders();
    expect(start).not.toHaveBeenCalled();
    expect((await pending).kind).toBe('loaded');
    datasets.warmReaders();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('never throws: a thread that cannot start is logged', () => {
    const lines: string[] = [];
    const datasets = service({
      startReaderThreads: () => {
        throw new Error('ERR_WORKER_INIT_FAILED');
      },
      log: (line) => lines.push(line),
    });
    expect(() => datasets.warmReaders()).not.toThrow();
    expect(lines).toEqual([expect.stringMatching(/reader threads did not start.*ERR_WORKER_INIT_FAILED/)]);
  });

  it('an idle thread whose file fails ends quietly (no error thrown in this process)', async () => {
    const workerFile = idleWorkerFile('broken.mjs', "throw new Error('broken reader');\n");
    expect(startReaderThreads(1, workerFile)).toBe(1);
    for (let k = 0; k < 500 && idleReaderThreads(workerFile) > 0; k++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(idleReaderThreads(workerFile)).toBe(0); // it ended and was dropped; an unhandled 'error' would fail this file
  });
});
