// Where the Electron binary is, without triggering its download (since Electron 42 `require('electron')`
// downloads the binary on first use, which fails offline). Shared by `npm start` and the e2e fixtures.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** @returns {{ path: string } | { missing: string }} */
export function findElectronBinary() {
  if (!existsSync(join(electronDir, 'package.json'))) return { missing: 'the electron package is not installed (run npm install)' };
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
  if (!relative) return { missing: 'the Electron binary has not been downloaded yet' };
  const full = join(distDir, relative);
  return existsSync(full) ? { path: full } : { missing: `the Electron binary is missing (${full})` };
}

/**
 * Runs the electron package's own installer (the download). Returns null when the binary is then present,
 * else the installer's last words (its stack trace is not for the user).
 */
export async function downloadElectronBinary() {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (result.status === 0 && 'path' in findElectronBinary()) return null;
  const lines = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  return lines.at(-1) ?? `the installer exited with ${result.status}`;
}
