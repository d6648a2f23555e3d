// `npm start`: build, then launch the desktop app. Where Electron cannot start (no binary and no way to
// download it), say so in one line and point to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectronBinary, findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-built.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

let binary = findElectronBinary();
if ('missing' in binary) {
  console.log(`MLP Studio: ${binary.missing}; downloading it once…`);
  const failure = await downloadElectronBinary();
  if (failure === null) binary = findElectronBinary();
  else {
    console.error(`MLP Studio cannot start Electron here: its binary could not be downloaded (${failure}). Run the same app in your browser instead: npm run web`);
    process.exit(1);
  }
}
if ('missing' in binary) {
  console.error(`MLP Studio cannot start Electron here (${binary.missing}). Run the same app in your browser instead: npm run web`);
  process.exit(1);
}
const args = [...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []), root, ...process.argv.slice(2)];
const child = spawn(binary.path, args, { stdio: 'inherit', cwd: root });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
