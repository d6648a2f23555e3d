// Native open/save dialogs for the window (the Electron edge of "files differ by transport only at the edge").
import { BrowserWindow, dialog, ipcMain } from 'electron';
import * as v from 'valibot';
import { DialogFilterSchema } from '../../shared/api/files';
import { OPEN_DIALOG_CHANNEL, SAVE_DIALOG_CHANNEL } from '../../shared/api/ipc-channels';
import type { SenderCheck } from './ipc';

const OpenArgs = v.tuple([v.pipe(v.string(), v.maxLength(200)), v.array(DialogFilterSchema)]);
const SaveArgs = v.tuple([v.pipe(v.string(), v.maxLength(200)), v.pipe(v.string(), v.maxLength(255)), v.array(DialogFilterSchema)]);

/** onOpen: called as the open dialog shows (e.g. to start the CSV reader threads while the user picks). */
export function registerDialogs(isTrustedSender: SenderCheck, onOpen: () => void = () => {}): void {
  ipcMain.handle(OPEN_DIALOG_CHANNEL, async (event, ...raw: unknown[]) => {
    if (!isTrustedSender(event)) throw new Error('open dialog: refused, the caller is not the app\'s window');
    onOpen();
    const [title, filters] = v.parse(OpenArgs, raw);
    const owner = BrowserWindow.fromWebContents(event.sender);
    const options = { title, filters, properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'> };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  });
  ipcMain.handle(SAVE_DIALOG_CHANNEL, async (event, ...raw: unknown[]) => {
    if (!isTrustedSender(event)) throw new Error('save dialog: refused, the caller is not the app\'s window');
    const [title, defaultPath, filters] = v.parse(SaveArgs, raw);
    const owner = BrowserWindow.fromWebContents(event.sender);
    const options = { title, defaultPath, filters };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  });
}
