// Which bridge this page talks through: Electron's preload (window.api) or browser mode's WebSocket.
import type { Api } from '../../shared/api';
import type { DialogFilter } from '../../shared/api/files';
import { connectWebSocket } from './ws-client';

/** What the Electron preload exposes besides the API (see src/preload/index.ts). */
export interface ElectronFiles {
  pathForFile: (file: File) => string;
  showOpenDialog: (title: string, filters: DialogFilter[]) => Promise<string[]>;
  showSaveDialog: (title: string, defaultName: string, filters: DialogFilter[]) => Promise<string | null>;
}

declare global {
  interface Window {
    api?: Api;
    electronFiles?: ElectronFiles;
  }
}

export type Transport =
  | { kind: 'electron'; api: Api; files: ElectronFiles; ready: Promise<void>; onClose: (l: (reason: string) => void) => void }
  | { kind: 'browser'; api: Api; token: string; ready: Promise<void>; onClose: (l: (reason: string) => void) => void };

export function pickTransport(): Transport {
  if (window.api && window.electronFiles) {
    return { kind: 'electron', api: window.api, files: window.electronFiles, ready: Promise.resolve(), onClose: () => {} };
  }
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  // The token now lives in an HttpOnly cookie; keep it out of the address bar and history.
  if (token) history.replaceState(null, '', location.pathname + location.hash);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const connection = connectWebSocket(`${scheme}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  return { kind: 'browser', token, ...connection };
}
