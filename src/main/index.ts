// The Electron adapter: the only main-process file (with ./electron/) that imports electron. It builds the
// same services browser mode and the CLI use, and bridges them to the window over IPC.
import { app, BrowserWindow, dialog, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from './dispatch';
import { registerDialogs } from './electron/dialogs';
import { broadcaster, registerIpc } from './electron/ipc';
import { installMenu } from './electron/menu';
import { createMainWindow } from './electron/window';
import { createServices, type Services } from './services';
import { resolvePathOnly } from './services/files';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
/** How long a quit waits for the services to stop (runs get 5 s to stop, then their last saves and the pool). */
const QUIT_WAIT_MS = 10_000;
let services: Services | undefined;
let mainWindow: BrowserWindow | undefined;

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!mainWindow || event.sender !== mainWindow.webContents || !frame || frame.parent !== null) return false;
  const url = frame.url;
  return devServerUrl ? url.startsWith(devServerUrl) : url.startsWith('file://');
}

/** Brings the window to the front, or opens it again (macOS keeps the app running with no window). */
function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(outDir, devServerUrl);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  const emit = broadcaster(() => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const log = (line: string) => console.error(line);
  const ctx = { dataDir: app.getPath('userData'), emit, resolveFile: resolvePathOnly };
  // The training worker: the pool loads it from app.asar.unpacked in a packaged app (runs/pool.ts).
  services = await createServices(ctx, { transport: 'electron', workerFile: join(outDir, 'main', 'worker.js'), log });
  registerIpc(createDispatcher(services.handlers), isTrustedSender);
  registerDialogs(isTrustedSender, () => services?.datasets.warmReaders());
  installMenu(Boolean(devServerUrl));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  mainWindow = createMainWindow(outDir, devServerUrl);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // MLP Studio is already running: that instance shows its window ('second-instance'), this one ends
  // before it opens the data folder or starts any thread.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) showWindow(); // before the first window exists, start() is about to open it
  });

  start().catch((error: unknown) => {
    console.error(error);
    dialog.showErrorBox('MLP Studio could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !services) return;
    event.preventDefault();
    quitting = true;
    const stopped = services.dispose().catch((error: unknown) => console.error('stopping the runs on quit failed:', error));
    const waited = new Promise<void>((resolve) => setTimeout(resolve, QUIT_WAIT_MS).unref());
    void Promise.race([stopped, waited]).then(() => app.quit());
  });
}
