import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../shared/api';
import { ApiCallError, createDispatcher } from './dispatch';
import { createServices } from './services';
import { resolvePathOnly } from './services/files';

const dataDir = mkdtempSync(join(tmpdir(), 'mlp-dispatch-'));

async function services(): Promise<ApiHandlers> {
  const ctx = { dataDir, emit: () => {}, resolveFile: resolvePathOnly };
  return (await createServices(ctx, { transport: 'browser', workerFile: '/nonexistent/worker.js', log: () => {}, openSample: false })).handlers;
}

describe('dispatcher', () => {
  it('answers every method of the contract', async () => {
    expect(createDispatcher(await services()).names).toContain('app.info');
  });

  it('calls the service with validated arguments', async () => {
    const info = (await createDispatcher(await services()).call('app.info', [])) as { name: string; cores: number; dataDir: string };
    expect(info.name).toBe('MLP Studio');
    expect(info.cores).toBeGreaterThanOrEqual(1);
    expect(info.dataDir).toBe(dataDir);
  });

  it('refuses unknown methods and wrong argument lists with a clear message', async () => {
    const dispatcher = createDispatcher(await services());
    await expect(dispatcher.call('app.nope', [])).rejects.toThrow(new ApiCallError("unknown API method 'app.nope'"));
    await expect(dispatcher.call('toString', [])).rejects.toThrow(ApiCallError);
    await expect(dispatcher.call('app.info', [1])).rejects.toThrow(/app\.info: invalid argument/);
    await expect(dispatcher.call('app.info', 'x')).rejects.toThrow(/invalid argument/);
  });

  it('refuses a service object that lacks a method', () => {
    expect(() => createDispatcher({} as ApiHandlers)).toThrow('service for app.info is missing');
  });
});
