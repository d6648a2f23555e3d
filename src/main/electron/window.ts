// The app window, locked down: isolated, sandboxed preload, no node in the page, no navigation away,
// no new windows (links open in the user's browser).
import { BrowserWindow, nativeTheme, screen, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The window's icon on Linux (Windows and macOS show the executable's): beside the packaged app
 *  (electron-builder.yml extraResources), else the repo's. */
function linuxIcon(outDir: string): string | undefined {
  const packaged = process.resourcesPath ? [join(process.resourcesPath, 'icon.png')] : [];
  return [...packaged, join(outDir, '..', 'resources', 'icon.png')].find((path) => existsSync(path));
}

export function createMainWindow(outDir: string, devServerUrl: string | undefined): BrowserWindow {
  // 1280×820, or less on a smaller screen (a 1366×768 laptop): a window taller than the work area is centred
  // with its title bar above the screen's top edge, where it cannot be grabbed.
  const { width, height } = screen.getPrimaryDisplay().workAreaSize;
  const window = new BrowserWindow({
    width: Math.min(1280, width),
    height: Math.min(820, height),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'MLP Studio',
    ...(process.platform === 'linux' ? { icon: linuxIcon(outDir) } : {}),
    // The page's own background (src/renderer/styles.css --bg), so the window never flashes another colour.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16171b' : '#f6f7f9',
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
