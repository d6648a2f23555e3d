// The preload exposes exactly the API contract as window.api — one function per method, plus `on` for
// events and `pathForFile` for drops — never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { apiMethods, type ApiEvents } from '../shared/api';
import { buildClient, type Subscribe } from '../shared/api/contract';
import { EVENT_CHANNEL, methodChannel, OPEN_DIALOG_CHANNEL, SAVE_DIALOG_CHANNEL } from '../shared/api/ipc-channels';
import type { DialogFilter } from '../shared/api/files';
import { serviceError } from './service-error';

/** ipcRenderer.invoke, rejecting with the service's own message (./service-error.ts). */
async function invoke<T>(channel: string, ...args: unknown[]): Promise<T> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as T;
  } catch (error) {
    throw serviceError(error);
  }
}

const on: Subscribe<ApiEvents> = (event, listener) => {
  const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
    if (name === event) (listener as (p: unknown) => void)(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.off(EVENT_CHANNEL, wrapped);
  };
};

const api = buildClient(apiMethods, (name, args) => invoke(methodChannel(name), ...args), on);

contextBridge.exposeInMainWorld('api', api);
contextBridge.exposeInMainWorld('electronFiles', {
  /** The real path of a File the user dropped or picked (Electron ≥ 32 has no File.path). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  /** Native open dialog; resolves to the chosen paths (empty when cancelled). */
  showOpenDialog: (title: string, filters: DialogFilter[]) => invoke<string[]>(OPEN_DIALOG_CHANNEL, title, filters),
  /** Native save dialog; resolves to the chosen path, or null when cancelled. */
  showSaveDialog: (title: string, defaultName: string, filters: DialogFilter[]) => invoke<string | null>(SAVE_DIALOG_CHANNEL, title, defaultName, filters),
});
