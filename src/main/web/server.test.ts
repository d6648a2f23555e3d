// Browser mode's door, checked from outside: token, Origin and Host are enforced on pages, uploads and the
// WebSocket; the bridge answers contract calls and refuses anything else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FileRef } from '../../shared/api/files';
import { createDispatcher } from '../dispatch';
import { createServices } from '../services';
import { UploadStore } from '../services/files';
import { startWebServer, type WebServer } from './server';

let server: WebServer;
let uploads: UploadStore;
let uploadStarts = 0;
let origin: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(tmpdir(), 'mlp-web-secret.txt'), 'secret');
  uploads = new UploadStore(join(dir, 'uploads'));
  server = await startWebServer({ port: 0, rendererDir: dir, uploads, log: () => {}, onUploadStart: () => uploadStarts++ });
  const ctx = { dataDir: dir, emit: () => {}, resolveFile: (ref: FileRef) => uploads.resolve(ref) };
  const services = await createServices(ctx, { transport: 'browser', workerFile: '/nonexistent/worker.js', log: () => {}, openSample: false });
  server.bridge(createDispatcher(services.handlers));
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

function get(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function openSocket(query: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
    ws.send(JSON.stringify(message));
  });
}

describe('browser-mode server', () => {
  it('serves the page only with the token, then by cookie', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    const first = await get(`/?token=${server.token}`);
    expect(first.status).toBe(200);
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect(cookie).toMatch(/^mlp_studio_token=/);
    expect((await get('/index.html', { cookie })).status).toBe(200);
  });

  it('refuses foreign Host headers (DNS rebinding) and escaping paths', async () => {
    expect((await get(`/?token=${server.token}`, { host: 'evil.example:80' })).status).toBe(421);
    const escaped = await get(`/..%2f..%2f${encodeURIComponent(join(tmpdir(), 'mlp-web-secret.txt'))}?token=${server.token}`);
    expect(escaped.status).not.toBe(200);
  });

  it('bridges API calls over the WebSocket with the token and our Origin only', async () => {
    await expect(openSocket('', { origin })).rejects.toThrow('refused 401');
    await expect(openSocket(`?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(openSocket(`?token=${server.token}`, {})).rejects.toThrow('refused 403');
    const ws = await openSocket(`?token=${server.token}`, { origin });
    const reply = await call(ws, { type: 'call', id: 1, name: 'app.info', args: [] });
    expect(reply).toMatchObject({ type: 'result', id: 1, ok: true, value: { name: 'MLP Studio', transport: 'browser' } });
    const bad = await call(ws, { type: 'call', id: 2, name: 'app.rm', args: [] });
    expect(bad).toMatchObject({ id: 2, ok: false, error: { message: "unknown API method 'app.rm'" } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1008);
  });

  it('accepts uploads from our page only, and resolves them by id', async () => {
    expect((await get(`/upload?name=a.csv&token=${server.token}`, {}, 'POST', 'x')).status).toBe(403);
    expect(uploadStarts).toBe(0); // refused: nothing started
    const ok = await get(`/upload?name=a.csv&token=${server.token}`, { origin }, 'POST', 'label,p\n1,2\n');
    expect(uploadStarts).toBe(1); // the reader threads were asked to start as the file came in
    expect(ok.status).toBe(200);
    const { id } = JSON.parse(ok.body) as { id: string };
    const resolved = uploads.resolve({ kind: 'upload', id, name: 'a.csv' });
    expect(resolved.displayName).toBe('a.csv');
    expect(readFileSync(resolved.path, 'utf8')).toBe('label,p\n1,2\n');
    expect(() => uploads.resolve({ kind: 'upload', id: '00000000-0000', name: 'b.csv' })).toThrow("upload 'b.csv' (00000000-0000) is not on this host");
  });
});
