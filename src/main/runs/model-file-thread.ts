// Big models' files are made and read on a worker thread (./model-file-task.ts), not on the services' thread —
// Electron's main process, or the browser-mode server — which answers the page and forwards training progress:
// a 784-4096-4096-4096-10 model (147 MB of weights) took 0.8 s to write as .json, 2 s as .npz and 3.9 s to read
// back there. Small ones stay on the calling thread (a worker's start costs more than their few milliseconds).
import { Worker } from 'node:worker_threads';
import type { ExportedFile } from '../../shared/api/runs';
import type { ModelFormat, ModelSource } from '../../shared/model-file';
import { builtEntryFile } from '../built-entry';

/** From this many bytes of weights (or of a file to read), the work goes to a worker: ~16 M bytes take ~0.1 s. */
export const OFF_THREAD_MIN_BYTES = 16 * 1024 * 1024;

export type ModelFileRequest =
  | { kind: 'make'; source: ModelSource; format: ModelFormat }
  | { kind: 'read'; path: string; name: string };

export type ModelFileReply =
  | { kind: 'made'; file: ExportedFile }
  | { kind: 'read'; source: ModelSource }
  | { kind: 'failed'; message: string };

/** Where to find the worker entry, and from what size to use it (tests set both). */
export interface OffThread {
  workerFile?: string | null;
  minBytes?: number;
}

/** The built entry, or null (the unit tests run the sources: then everything is done on the calling thread). */
export function modelFileTaskFile(): string | null {
  return builtEntryFile('model-file-task.js');
}

/** The worker file to use for work of `bytes` bytes, or null to do it here. */
export function offThreadFile(bytes: number, { workerFile = modelFileTaskFile(), minBytes = OFF_THREAD_MIN_BYTES }: OffThread = {}): string | null {
  return workerFile && bytes >= minBytes ? workerFile : null;
}

/** The model file made on a new worker thread (modelFile's bytes). With `moveWeights` the source's weights are
 *  moved there, not copied (a copy of 147 MB held this thread 0.5 s): their buffer is then detached here, so only a
 *  caller that owns them says so (a shared buffer is shared either way). */
export async function makeOffThread(workerFile: string, source: ModelSource, format: ModelFormat, moveWeights = false): Promise<ExportedFile> {
  const { buffer } = source.params;
  const reply = await ask(workerFile, { kind: 'make', source, format }, moveWeights && buffer instanceof ArrayBuffer ? [buffer] : []);
  if (reply.kind !== 'made') throw new Error(`the model file's thread answered '${reply.kind}' to 'make'`);
  return reply.file;
}

/** The model file read and checked on a new worker thread (readModelFileHere's answer). */
export async function readOffThread(workerFile: string, path: string, name: string): Promise<ModelSource> {
  const reply = await ask(workerFile, { kind: 'read', path, name });
  if (reply.kind !== 'read') throw new Error(`the model file's thread answered '${reply.kind}' to 'read'`);
  return reply.source;
}

/** Runs one request on a new worker thread and ends it; rejects with the worker's own message when it fails. */
function ask(workerFile: string, request: ModelFileRequest, moved: ArrayBuffer[] = []): Promise<ModelFileReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.once('message', (reply: ModelFileReply) => settle(() => (reply.kind === 'failed' ? reject(new Error(reply.message)) : resolve(reply))));
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error('the model is too large to handle here: its thread ran out of memory') : error)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the model file's thread ended (exit code ${code}) before it answered`))));
    try {
      worker.postMessage(request, moved);
    } catch (error) {
      settle(() => reject(error)); // weights that cannot be sent (detached by an earlier move): the thread ends too
    }
  });
}
