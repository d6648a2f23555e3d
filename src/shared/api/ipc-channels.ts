// Channel names of the Electron IPC bridge (main ↔ preload). Methods use `api:<namespace>.<method>`.
export const EVENT_CHANNEL = 'api:event';
export const OPEN_DIALOG_CHANNEL = 'edge:open-dialog';
export const SAVE_DIALOG_CHANNEL = 'edge:save-dialog';

export function methodChannel(wireName: string): string {
  return `api:${wireName}`;
}
