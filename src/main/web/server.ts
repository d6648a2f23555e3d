// Browser mode: a loopback HTTP + WebSocket server that serves the built renderer and bridges the API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from '../dispatch';
import { fileErrorText } from '../../shared/file-error';
import { UploadTooLarge, type UploadStore } from './upload-store';
import { checkRequest, newToken, tokenCookie, type Gate } from './auth';
import { SocketBridge } from './bridge';
import { serveStatic } from './static';

export interface WebServerOptions {
  port: number;
  rendererDir: string;
  uploads: UploadStore;
  log: (line: string) => void;
  /** Called as an upload starts (e.g. to start the CSV reader threads while the file travels). */
  onUploadStart?: () => void;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** Connects the services: the dispatcher answers calls; the returned emit broadcasts events. */
  bridge: (dispatcher: Dispatcher) => (name: string, payload: unknown) => void;
  close: () => Promise<void>;
}

const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

function refuse(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(`${reason}\n`);
}

async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL, options: WebServerOptions): Promise<void> {
  const name = url.searchParams.get('name') ?? 'upload';
  const length = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && length > MAX_UPLOAD_BYTES) return refuse(res, 413, `upload is ${length} bytes; the limit is ${MAX_UPLOAD_BYTES}`);
  let stored;
  try {
    stored = await options.uploads.receive(req, name, MAX_UPLOAD_BYTES);
  } catch (error) {
    // Nothing of it is kept (receive removed the partial file); the client is told why, if it is still there.
    if (req.destroyed) {
      options.log(`upload of '${name}' ended before it was complete; nothing of it was kept`);
      return;
    }
    const [status, reason] = uploadError(error, options.uploads.folder);
    options.log(`upload of '${name}' failed: ${reason}`);
    if (!res.headersSent) refuse(res, status, reason);
    req.resume(); // drain what the client still sends, so it reads the answer rather than a reset
    return;
  }
  options.log(`upload of '${name}': ${stored.bytes} bytes${stored.reused ? ', the same as a file uploaded before (its copy reused)' : ''}`);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: stored.id, name }));
}

/** The HTTP status and the words for an upload that failed on this side. */
function uploadError(error: unknown, folder: string): [number, string] {
  if (error instanceof UploadTooLarge) return [413, `upload is larger than the limit of ${error.limit} bytes`];
  const text = fileErrorText(error, folder, 'the upload in', 'store');
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC') return [507, `${text}: free some space and upload it again`];
  return [500, text ?? `upload failed: ${error instanceof Error ? error.message : String(error)}`];
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = newToken();
  const gate: Gate = { token, allowedHosts: [] };
  let bridge: SocketBridge | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isUpload = req.method === 'POST' && url.pathname === '/upload';
    const verdict = checkRequest(req, gate, { requireOrigin: isUpload });
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    if (isUpload) {
      options.onUploadStart?.();
      receiveUpload(req, res, url, options).catch((error: unknown) => {
        options.log(`upload failed: ${String(error)}`);
        if (!res.headersSent) refuse(res, 500, 'upload failed');
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const headers: Record<string, string> = url.searchParams.has('token') ? { 'set-cookie': tokenCookie(token) } : {};
    serveStatic(options.rendererDir, url.pathname, res, headers).catch((error: unknown) => {
      options.log(`serving ${url.pathname} failed: ${String(error)}`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const verdict = checkRequest(req, gate, { requireOrigin: true });
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!verdict.ok || path !== '/api' || !bridge) {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => bridge?.attach(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  gate.allowedHosts.push(`127.0.0.1:${port}`, `localhost:${port}`);

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    bridge: (dispatcher) => {
      bridge = new SocketBridge(dispatcher, options.log);
      const b = bridge;
      return (name, payload) => b.broadcast(name, payload);
    },
    close: async () => {
      bridge?.closeAll();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
