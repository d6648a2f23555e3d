// Builds the app (electron-vite) when out/ is missing or older than any source file, so `npm run web`,
// `npm run cli` and `npm run bench` always run what is in src/. Quiet when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'out', 'main', 'web.js');
const inputs = ['src', 'scripts', 'resources', 'package.json', 'electron.vite.config.ts', 'svelte.config.js'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'generated') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const sourcesAt = Math.max(...inputs.map((p) => newest(join(root, p))));
if (builtAt < sourcesAt) {
  process.stderr.write('Building MLP Studio…\n');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write('The build failed; run `npm run build` to see why.\n');
    process.exit(result.status ?? 1);
  }
}
