// Worker-thread entry for big models' files (./model-file-thread.ts): makes one model file, or reads one, per
// message, and posts the result with its large buffer moved, not copied. Built as its own entry
// (electron.vite.config.ts) into out/main/model-file-task.js; one thread per request, ended after it.
import { parentPort } from 'node:worker_threads';
import { modelFile, readModelFileHere } from './model-export';
import type { ModelFileReply, ModelFileRequest } from './model-file-thread';

/** The buffer to move with a reply: the view's own, when the view covers all of it (else it is copied). */
const whole = (view: Uint8Array | Float32Array): ArrayBuffer[] =>
  view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer ? [view.buffer] : [];

parentPort?.on('message', async (request: ModelFileRequest) => {
  let reply: ModelFileReply;
  let moved: ArrayBuffer[] = [];
  try {
    if (request.kind === 'make') {
      const file = modelFile(request.source, request.format);
      reply = { kind: 'made', file };
      moved = whole(file.data);
    } else {
      const source = await readModelFileHere(request.path, request.name);
      reply = { kind: 'read', source };
      moved = whole(source.params);
    }
  } catch (error) {
    reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply, moved);
});
