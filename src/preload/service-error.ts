// Electron rejects a failed ipcRenderer.invoke with a new Error whose message wraps the handler's:
// "Error invoking remote method 'api:datasets.setSplit': Error: the dev set would be empty" (the main side
// sends error.toString(), lib/browser/ipc-dispatch.ts; the renderer side adds the prefix,
// lib/renderer/api/ipc-renderer.ts). The window shows a service's own words, as in browser mode.

const WRAPPED = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?([\s\S]*)$/;

/** The error a failed invoke should reject with: the service's message alone. */
export function serviceError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const inner = WRAPPED.exec(message)?.[1];
  if (inner) return new Error(inner);
  return error instanceof Error ? error : new Error(message);
}
