// Browser mode's door, checked from outside: token, Origin and Host are enforced on pages, uploads and the
// WebSocket; the bridge answers contract calls and refuses anything else.
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FileRef } from '../../shared/api/files';
import { createDispatcher } from '../dispatch';
import { createServices } from '../services';
import { UploadStore } from './upload-store';
import { startWebServer, type WebServer } from './server';

let server: WebServer;
let uploads: UploadStore;
let uploadStarts = 0;
let origin: string;
let rendererDir: string;
const logged: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-web-'));
  rendererDir = dir;
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(tmpdir(), 'mlp-web-secret.txt'), 'secret');
  uploads = new UploadStore(join(dir, 'uploads'));
  server = await startWebServer({ port: 0, rendererDir: dir, uploads, log: (line) => logged.push(line), onUploadStart: () => uploadStarts++ });
  const ctx = { dataDir: dir, emit: () => {}, resolveFile: (ref: FileRef) => uploads.resolve(ref) };
  const services = await createServices(ctx, { transport: 'browser', workerFile: '/nonexistent/worker.js', log: () => {}, openSample: false });
  server.bridge(createDispatcher(services.handlers));
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

type Answer = { status: number; headers: Record<string, unknown>; body: string };

function get(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string, port = server.port): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
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

  const post = (name: string, body: string, to: WebServer = server) =>
    get(`/upload?name=${name}&token=${to.token}`, { origin: `http://127.0.0.1:${to.port}` }, 'POST', body, to.port);
  const stored = (folder = uploads.folder) => (existsSync(folder) ? readdirSync(folder).sort() : []);

  it('stores the same bytes once, by their hash: a second upload reuses the copy, both refs resolve', async () => {
    const before = stored();
    const first = JSON.parse((await post('one.csv', 'label,p\n3,4\n')).body) as { id: string };
    const second = JSON.parse((await post('two.csv', 'label,p\n3,4\n')).body) as { id: string };
    expect(second.id).toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
    expect(stored()).toEqual([...before, first.id].sort()); // one file more, no partial file left
    expect(uploads.resolve({ kind: 'upload', id: first.id, name: 'one.csv' })).toMatchObject({ displayName: 'one.csv' });
    const again = uploads.resolve({ kind: 'upload', id: second.id, name: 'two.csv' });
    expect(again.displayName).toBe('two.csv');
    expect(readFileSync(again.path, 'utf8')).toBe('label,p\n3,4\n');
    expect(logged.at(-1)).toContain('the same as a file uploaded before');
  });

  it('keeps nothing of an upload the client abandons half way', async () => {
    const before = stored();
    const lines = logged.length;
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: `/upload?name=big.csv&token=${server.token}`,
      method: 'POST',
      headers: { origin, 'content-length': '100000' },
    });
    req.on('error', () => {});
    req.write('label,p\n'.repeat(1000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await expect.poll(() => logged.length).toBe(lines + 1);
    expect(stored()).toEqual(before);
    expect(logged.at(-1)).toBe("upload of 'big.csv' ended before it was complete; nothing of it was kept");
  });

  it('says the disk is full, keeps nothing and stays up when the upload cannot be written', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'mlp-web-full-')), 'uploads');
    const full = new UploadStore(folder, { openPartial: (path) => (writeFileSync(path, 'x'), createWriteStream('/dev/full')) });
    const lines: string[] = [];
    const other = await startWebServer({ port: 0, rendererDir, uploads: full, log: (line) => lines.push(line) });
    try {
      const answer = await post('a.csv', 'label,p\n1,2\n'.repeat(10000), other);
      expect(answer.status).toBe(507);
      expect(answer.body).toBe(`cannot store the upload in ${folder}: the disk is full: free some space and upload it again\n`);
      expect(stored(folder)).toEqual([]);
      expect(lines).toEqual([`upload of 'a.csv' failed: cannot store the upload in ${folder}: the disk is full: free some space and upload it again`]);
      expect((await get(`/?token=${other.token}`, {}, 'GET', undefined, other.port)).status).toBe(200); // still serving
    } finally {
      await other.close();
    }
  });

  it('refuses an upload over the limit as it streams, when its length was not declared', async () => {
    const before = stored();
    const folder = uploads.folder;
    const small = new UploadStore(folder);
    await expect(small.receive(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), 'big.bin', 15)).rejects.toThrow('larger than the limit of 15 bytes');
    expect(stored()).toEqual(before);
  });
});
