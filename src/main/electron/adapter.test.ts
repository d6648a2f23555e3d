// The Electron adapter (src/main/index.ts and ./electron/) against a stand-in `electron` module, since the
// real binary cannot run everywhere tests run: it must build the window locked down, register one IPC
// handler per contract method that refuses foreign senders and validates arguments, and block navigation.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods } from '../../shared/api';
import { wireNames } from '../../shared/api/contract';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const windows: Array<{ options: Record<string, unknown>; webContents: Record<string, unknown>; listeners: Map<string, (...a: unknown[]) => void>; openHandler?: (d: { url: string }) => unknown; loaded?: string }> = [];
  const appListeners = new Map<string, (...a: unknown[]) => void>();
  const menu: { template: Array<Record<string, unknown>> | null; about: Record<string, unknown> | null } = { template: null, about: null };
  /** What the save dialog answers, and the options it was shown with. */
  const save: { answer: { canceled: boolean; filePath?: string }; shown: Record<string, unknown>[] } = { answer: { canceled: true }, shown: [] };
  return { handlers, windows, appListeners, userData: '', menu, quits: 0, save };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const listeners = new Map<string, (...a: unknown[]) => void>();
      const record: (typeof fake.windows)[number] = { options, webContents: {}, listeners };
      this.webContents = {
        on: (name: string, fn: (...a: unknown[]) => void) => listeners.set(name, fn),
        setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => (record.openHandler = fn),
        isDestroyed: () => false,
        send: () => {},
      };
      record.webContents = this.webContents;
      fake.windows.push(record);
    }
    once() {}
    loadFile(path: string) {
      fake.windows.at(-1)!.loaded = path;
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
    static getAllWindows() {
      return [];
    }
    static fromWebContents() {
      return null;
    }
  }
  const app = {
    requestSingleInstanceLock: () => true,
    quit: () => fake.quits++,
    exit: () => {},
    on: (name: string, fn: (...a: unknown[]) => void) => fake.appListeners.set(name, fn),
    whenReady: () => Promise.resolve(),
    getPath: () => fake.userData,
    setAboutPanelOptions: (options: Record<string, unknown>) => (fake.menu.about = options),
  };
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: () => {}, showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async (options: Record<string, unknown>) => (fake.save.shown.push(options), fake.save.answer) },
    ipcMain: { handle: (channel: string, fn: Handler) => fake.handlers.set(channel, fn) },
    Menu: {
      buildFromTemplate: (template: Array<Record<string, unknown>>) => template,
      setApplicationMenu: (template: Array<Record<string, unknown>>) => (fake.menu.template = template),
    },
    nativeTheme: { shouldUseDarkColors: false },
    screen: { getPrimaryDisplay: () => ({ workAreaSize: { width: 1366, height: 728 } }) }, // a 1366×768 laptop's, less its taskbar
    session: { defaultSession: { setPermissionRequestHandler: () => {} } },
    shell: { openExternal: async () => {} },
  };
});

beforeAll(async () => {
  fake.userData = mkdtempSync(join(tmpdir(), 'mlp-electron-'));
  await import('../index');
  // whenReady().then(async …) creates the services, then the window.
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
});

const window = () => fake.windows[0];
const fromWindow = (url = 'file:///app/out/renderer/index.html') => ({ sender: window().webContents, senderFrame: { parent: null, url } });

describe('Electron adapter', () => {
  it('creates the window isolated, sandboxed, without node, with the CommonJS preload', () => {
    const prefs = window().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(window().loaded).toMatch(/renderer[\\/]index\.html$/);
  });

  it('paints the page\'s own background before the page shows, and has the app\'s icon on Linux', () => {
    const css = readFileSync(join(__dirname, '../../renderer/styles.css'), 'utf8');
    const light = /:root\s*{[^}]*--bg:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    expect(window().options).toMatchObject({ show: false, backgroundColor: light });
    if (process.platform === 'linux') expect(existsSync(String(window().options.icon))).toBe(true);
  });

  it('fits the window in a small screen\'s work area, above its minimum size', () => {
    expect(window().options).toMatchObject({ width: 1280, height: 728, minWidth: 900, minHeight: 600 });
  });

  it('blocks navigation and new windows', () => {
    let prevented = false;
    window().listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://example.com');
    expect(prevented).toBe(true);
    expect(window().openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('registers one handler per contract method, plus the dialogs', () => {
    const channels = [...fake.handlers.keys()];
    expect(channels.filter((c) => c.startsWith('api:')).sort()).toEqual(wireNames(apiMethods).map((n) => `api:${n}`).sort());
    expect(channels).toContain('edge:open-dialog');
  });

  it('answers our own window, validating the arguments', async () => {
    const info = (await fake.handlers.get('api:app.info')!(fromWindow())) as { transport: string; dataDir: string };
    expect(info).toMatchObject({ transport: 'electron', dataDir: fake.userData });
    await expect(Promise.resolve(fake.handlers.get('api:runs.pause')!(fromWindow(), 42))).rejects.toThrow(/runs\.pause: invalid argument/);
  });

  it('refuses other senders, subframes and foreign pages', async () => {
    const call = (event: unknown) => Promise.resolve(fake.handlers.get('api:app.info')!(event));
    await expect(call({ sender: {}, senderFrame: { parent: null, url: 'file:///x' } })).rejects.toThrow("refused, the caller is not the app's window");
    await expect(call({ sender: window().webContents, senderFrame: { parent: {}, url: 'file:///x' } })).rejects.toThrow('refused');
    await expect(call(fromWindow('https://evil.example/'))).rejects.toThrow('refused');
    await expect(Promise.resolve(fake.handlers.get('edge:open-dialog')!({ sender: {}, senderFrame: null }, 'Open', []))).rejects.toThrow('refused');
  });

  it('asks the save dialog with the page\'s title, name and filters, and answers its path, or null when cancelled', async () => {
    const save = (event: unknown, ...args: unknown[]) => Promise.resolve(fake.handlers.get('edge:save-dialog')!(event, ...args));
    const filters = [{ name: 'MLP Studio model', extensions: ['json'] }];
    fake.save.answer = { canceled: false, filePath: '/home/me/model.json' };
    expect(await save(fromWindow(), 'Export adam', 'adam.json', filters)).toBe('/home/me/model.json');
    expect(fake.save.shown.at(-1)).toEqual({ title: 'Export adam', defaultPath: 'adam.json', filters });
    fake.save.answer = { canceled: true };
    expect(await save(fromWindow(), 'Export adam', 'adam.json', filters)).toBeNull();
    fake.save.answer = { canceled: false, filePath: '' };
    expect(await save(fromWindow(), 'Export adam', 'adam.json', filters)).toBeNull();
    await expect(save({ sender: {}, senderFrame: null }, 'Export', 'a.json', filters)).rejects.toThrow("save dialog: refused, the caller is not the app's window");
    await expect(save(fromWindow(), 'Export', 'x'.repeat(256), filters)).rejects.toThrow();
    await expect(save(fromWindow(), 'Export', 'a.json', [{ name: 'x' }])).rejects.toThrow();
  });

  it('installs its own menu (standard roles, no developer tools in a build) and an About panel with our version', () => {
    const roles = JSON.stringify(fake.menu.template);
    for (const role of ['fileMenu', 'editMenu', 'windowMenu', 'help']) expect(roles).toContain(`"role":"${role}"`);
    expect(roles).not.toContain('toggleDevTools');
    expect(fake.menu.about).toMatchObject({ applicationName: 'MLP Studio' });
  });

  it('holds the quit until the services have stopped, then quits', async () => {
    let prevented = 0;
    fake.appListeners.get('will-quit')!({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
    await vi.waitFor(() => expect(fake.quits).toBe(1), { timeout: 10_000 });
    fake.appListeners.get('will-quit')!({ preventDefault: () => prevented++ }); // the quit it asked for goes through
    expect(prevented).toBe(1);
  });
});
