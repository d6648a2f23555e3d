// Browser mode: a loopback HTTP + WebSocket server that serves the built renderer and bridges the API.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from '../dispatch';
import type { UploadStore } from '../services/files';
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

async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL, uploads: UploadStore): Promise<void> {
  const name = url.searchParams.get('name') ?? 'upload';
  const length = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && length > MAX_UPLOAD_BYTES) return refuse(res, 413, `upload is ${length} bytes; the limit is ${MAX_UPLOAD_BYTES}`);
  const id = randomUUID();
  await uploads.ensureFolder();
  await pipeline(req, createWriteStream(uploads.pathFor(id, name)));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name }));
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
      receiveUpload(req, res, url, options.uploads).catch((error: unknown) => {
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
