// The preload exposes exactly the contract as window.api (one function per method, `on` for events) and
// the file helpers — never ipcRenderer itself. Checked against a stand-in `electron` module.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods } from '../shared/api';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as unknown[][],
  listeners: new Set<(event: unknown, name: string, payload: unknown) => void>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: Record<string, unknown>) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      fake.invoked.push(args);
      // What Electron's ipcRenderer.invoke rejects with when the main process's handler throws.
      if (args[0] === 'api:runs.stop') throw new Error("Error invoking remote method 'api:runs.stop': Error: run 'r-9' is not running");
      return 'answer';
    },
    on: (_channel: string, fn: (event: unknown, name: string, payload: unknown) => void) => fake.listeners.add(fn),
    off: (_channel: string, fn: (event: unknown, name: string, payload: unknown) => void) => fake.listeners.delete(fn),
  },
  webUtils: { getPathForFile: () => '/home/user/mnist.csv' },
}));

beforeAll(async () => {
  await import('./index');
});

describe('preload', () => {
  it('exposes window.api with every contract method and nothing of ipcRenderer', async () => {
    expect([...fake.exposed.keys()].sort()).toEqual(['api', 'electronFiles']);
    const api = fake.exposed.get('api')!;
    for (const [ns, group] of Object.entries(apiMethods)) {
      for (const m of Object.keys(group)) expect(typeof (api[ns] as Record<string, unknown>)[m]).toBe('function');
    }
    expect(Object.keys(api).sort()).toEqual([...Object.keys(apiMethods), 'on'].sort());
    expect(JSON.stringify(Object.keys(fake.exposed.get('electronFiles')!))).not.toContain('ipc');
    await expect((api.runs as Record<string, (...a: unknown[]) => Promise<unknown>>).pause('r-1')).resolves.toBe('answer');
    expect(fake.invoked.at(-1)).toEqual(['api:runs.pause', 'r-1']);
  });

  it("rejects with the service's own message, without Electron's wrapping", async () => {
    const runs = fake.exposed.get('api')!.runs as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await expect(runs.stop('r-9')).rejects.toThrow(/^run 'r-9' is not running$/);
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const on = fake.exposed.get('api')!.on as (name: string, fn: (p: unknown) => void) => () => void;
    const got: unknown[] = [];
    const off = on('runs.changed', (p) => got.push(p));
    for (const fn of fake.listeners) {
      fn({}, 'runs.changed', 1);
      fn({}, 'datasets.changed', 2);
    }
    off();
    for (const fn of fake.listeners) fn({}, 'runs.changed', 3);
    expect(got).toEqual([1]);
  });
});
