// The conventional per-user app-data folder, used by browser mode and the CLI (Electron uses app.getPath('userData'),
// which resolves to the same place).
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, os: string = platform()): string {
  const name = 'MLP Studio';
  if (os === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}
