// Electron's half of the API bridge: one ipcMain handler per contract method, each checking that the call
// comes from our own window's top frame before the shared dispatcher validates the arguments.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Dispatcher } from '../dispatch';
import { ApiCallError } from '../dispatch';
import { EVENT_CHANNEL, methodChannel } from '../../shared/api/ipc-channels';


/** True when the event comes from the main frame of a window we created, showing our own page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function registerIpc(dispatcher: Dispatcher, isTrustedSender: SenderCheck): void {
  for (const name of dispatcher.names) {
    ipcMain.handle(methodChannel(name), async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) throw new ApiCallError(`${name}: refused, the caller is not the app's window`);
      return dispatcher.call(name, args);
    });
  }
}

export function broadcaster(targets: () => WebContents[]): (name: string, payload: unknown) => void {
  return (name, payload) => {
    for (const contents of targets()) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  };
}
