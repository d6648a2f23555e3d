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
let services: Services | undefined;
let mainWindow: BrowserWindow | undefined;

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!mainWindow || event.sender !== mainWindow.webContents || !frame || frame.parent !== null) return false;
  const url = frame.url;
  return devServerUrl ? url.startsWith(devServerUrl) : url.startsWith('file://');
}

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.whenReady().then(async () => {
  const emit = broadcaster(() => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const log = (line: string) => console.error(line);
  const ctx = { dataDir: app.getPath('userData'), emit, resolveFile: resolvePathOnly };
  services = await createServices(ctx, { transport: 'electron', workerFile: join(outDir, 'main', 'worker.js'), log });
  registerIpc(createDispatcher(services.handlers), isTrustedSender);
  registerDialogs(isTrustedSender, () => services?.datasets.warmReaders());
  installMenu(Boolean(devServerUrl));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  mainWindow = createMainWindow(outDir, devServerUrl);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(outDir, devServerUrl);
  });
}, (error: unknown) => {
  dialog.showErrorBox('MLP Studio could not start', String(error));
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
  services.dispose().finally(() => app.quit());
});
