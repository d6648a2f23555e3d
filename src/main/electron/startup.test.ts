// How the Electron adapter (src/main/index.ts) starts, against a stand-in `electron` module: a second instance
// ends without touching the data folder or opening a window, and a start that fails says why and exits
// instead of leaving a process with no window.
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  lock: true,
  userData: (): string => {
    throw new Error('no place for the user data');
  },
  calls: [] as string[],
  errorBoxes: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    constructor() {
      fake.calls.push('window');
    }
    static getAllWindows() {
      return [];
    }
  }
  const app = {
    requestSingleInstanceLock: () => fake.lock,
    quit: () => fake.calls.push('quit'),
    exit: (code: number) => fake.calls.push(`exit ${code}`),
    on: (name: string) => fake.calls.push(`on ${name}`),
    whenReady: () => Promise.resolve(),
    getPath: () => {
      fake.calls.push('getPath');
      return fake.userData();
    },
  };
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (_title: string, message: string) => fake.errorBoxes.push(message) },
    session: { defaultSession: { setPermissionRequestHandler: () => {} } },
  };
});

afterEach(() => {
  vi.resetModules();
  fake.calls.length = 0;
  fake.errorBoxes.length = 0;
});

describe('Electron adapter start', () => {
  it('quits as a second instance, before opening the data folder or a window', async () => {
    fake.lock = false;
    await import('../index');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls).toEqual(['quit']);
  });

  it('shows why it could not start and exits, instead of running on with no window', async () => {
    fake.lock = true;
    await import('../index');
    await vi.waitFor(() => expect(fake.calls).toContain('exit 1'));
    expect(fake.errorBoxes).toEqual(['no place for the user data']);
    expect(fake.calls).not.toContain('window');
  });
});
