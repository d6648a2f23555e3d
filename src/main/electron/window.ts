// The app window, locked down: isolated, sandboxed preload, no node in the page, no navigation away,
// no new windows (links open in the user's browser).
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { join } from 'node:path';

export function createMainWindow(outDir: string, devServerUrl: string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'MLP Studio',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#17181c' : '#f7f7f8',
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(join(outDir, 'renderer', 'index.html'));
  return window;
}
